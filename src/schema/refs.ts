/** `$ref` resolution in a registry schema: what a property is once its references are followed. */
import type { ResourceDef } from '../catalog/types.js';
import { isObject, parsePointer, type Json } from './pointer.js';

type Schema = Record<string, unknown>;

/**
 * `schema` with its `$ref`s (local pointers such as `#/definitions/X`) followed into `root`; the
 * referring node's own keywords (a description) are kept beside the target's.
 */
export function deref(schema: Schema, root: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 32 && typeof s.$ref === 'string'; i++) {
    const ref = s.$ref as string;
    if (!ref.startsWith('#')) return {};
    let target: unknown = root;
    for (const seg of parsePointer(ref.slice(1))) {
      target = isObject(target as Json) ? (target as Record<string, unknown>)[seg] : undefined;
    }
    if (!isObject(target as Json)) return {};
    const { $ref: _ignored, ...rest } = s;
    // Draft-07 ignores keywords beside $ref; keep them only where the target says nothing (a description).
    s = { ...rest, ...(target as Schema) };
  }
  return s;
}

/** The schema node of a top-level property with `#/definitions/…` references followed. */
export function propertySchema(resource: ResourceDef, property: string): Record<string, unknown> | undefined {
  const root = resource.schema as Schema;
  const node = (root.properties as Record<string, Schema> | undefined)?.[property];
  return node ? deref(node, root) : undefined;
}

/** The JSON type a property's schema names (`array`, `object`, `string`…), when it names one. */
export function propertySchemaType(resource: ResourceDef, property: string): string | undefined {
  const t = propertySchema(resource, property)?.type;
  return typeof t === 'string' ? t : undefined;
}
