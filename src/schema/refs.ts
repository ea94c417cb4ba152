/** `$ref` resolution in a registry schema: what a property is once its references are followed. */
import type { ResourceDef } from '../catalog/types.js';

/** How many `$ref` hops to follow before giving up (schemas with cycles exist). */
const MAX_HOPS = 8;

/** The schema node of a top-level property with `#/definitions/…` references followed. */
export function propertySchema(resource: ResourceDef, property: string): Record<string, unknown> | undefined {
  const schema = resource.schema as { properties?: Record<string, unknown>; definitions?: Record<string, unknown> };
  let node = schema.properties?.[property] as Record<string, unknown> | undefined;
  for (let i = 0; i < MAX_HOPS && node && typeof node.$ref === 'string'; i++) {
    const m = /^#\/definitions\/(.+)$/.exec(node.$ref);
    node = m ? (schema.definitions?.[m[1]!] as Record<string, unknown> | undefined) : undefined;
  }
  return node;
}

/** The JSON type a property's schema names (`array`, `object`, `string`…), when it names one. */
export function propertySchemaType(resource: ResourceDef, property: string): string | undefined {
  const t = propertySchema(resource, property)?.type;
  return typeof t === 'string' ? t : undefined;
}
