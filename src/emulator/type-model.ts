/**
 * What the emulator needs to know about one resource type, derived once from its ResourceDef:
 * property classes as model paths, how identifiers are formed and parsed, which parts of a model
 * may be shown, and its validator.
 */
import { listedProperties } from '../catalog/listing.js';
import type { ResourceDef } from '../catalog/types.js';
import { validatorFor, type SchemaValidator } from './validation.js';
import { deleteAt, isObject, schemaPointerToPath, type Json, type JsonObject } from '../schema/pointer.js';

export class TypeModel {
  readonly def: ResourceDef;
  readonly readOnly: string[][];
  readonly createOnly: string[][];
  readonly writeOnly: string[][];
  private validatorCache: SchemaValidator | undefined;

  constructor(def: ResourceDef) {
    this.def = def;
    this.readOnly = def.readOnlyProperties.map(schemaPointerToPath);
    this.createOnly = def.createOnlyProperties.map(schemaPointerToPath);
    this.writeOnly = def.writeOnlyProperties.map(schemaPointerToPath);
  }

  get typeName(): string {
    return this.def.typeName;
  }

  get validator(): SchemaValidator {
    this.validatorCache ??= validatorFor(this.def.schema);
    return this.validatorCache;
  }

  /** Problems in a full model (desired state plus generated values), in the service's wording. */
  validate(model: JsonObject): string[] {
    return this.validator.validate(model, (instancePath) => this.isWriteOnlyInstancePath(instancePath));
  }

  private isWriteOnlyInstancePath(instancePath: string): boolean {
    const segs = instancePath.split('/').slice(1);
    return this.writeOnly.some((w) => w.length <= segs.length && w.every((s, i) => s === '*' || s === segs[i]));
  }

  /** `Arn` → `arn:…`; several properties joined with `|`, in primary identifier order. */
  identifierOf(model: JsonObject): string | undefined {
    return joinIdentifier(this.def.primaryIdentifier, model);
  }

  /**
   * The identifiers a request may use for a resource: the primary one, then each additional
   * identifier, each joined with `|`.
   */
  alternateIdentifiers(model: JsonObject): string[] {
    const out: string[] = [];
    for (const ids of this.def.additionalIdentifiers) {
      const v = joinIdentifier(ids.map((p) => p.replace(/^\/properties\//, '')), model);
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  /**
   * Parses the JSON form of an identifier (`{"Arn": "…"}`) into the `|`-joined forms it can stand
   * for (primary first). Undefined when the identifier is not a JSON object.
   */
  identifiersFromJson(identifier: string): string[] | undefined {
    if (!identifier.startsWith('{')) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(identifier);
    } catch {
      return undefined;
    }
    if (!isObject(parsed as Json)) return undefined;
    const model = parsed as JsonObject;
    const out: string[] = [];
    const primary = this.identifierOf(model);
    if (primary !== undefined) out.push(primary);
    out.push(...this.alternateIdentifiers(model));
    return out;
  }

  /** The model as the service shows it: write-only properties removed (a copy). */
  visible(model: JsonObject): JsonObject {
    if (this.writeOnly.length === 0) return structuredClone(model);
    const copy = structuredClone(model);
    for (const path of this.writeOnly) deleteAt(copy, path);
    return copy;
  }

  /** What a list handler returns per resource: the primary identifier and list parent properties. */
  listProperties(model: JsonObject): JsonObject {
    const out: JsonObject = {};
    for (const p of listedProperties(this.def)) {
      const v = model[p];
      if (v !== undefined) out[p] = structuredClone(v);
    }
    // An identifier or parent property may be write-only (or hold write-only parts).
    return this.writeOnly.length === 0 ? out : this.visible(out);
  }
}

function joinIdentifier(props: readonly string[], model: JsonObject): string | undefined {
  const parts: string[] = [];
  for (const p of props) {
    const v = model[p];
    if (v === undefined || v === null || typeof v === 'object') return undefined;
    parts.push(String(v));
  }
  return parts.length > 0 ? parts.join('|') : undefined;
}

const models = new WeakMap<ResourceDef, TypeModel>();

export function typeModel(def: ResourceDef): TypeModel {
  let m = models.get(def);
  if (!m) {
    m = new TypeModel(def);
    models.set(def, m);
  }
  return m;
}
