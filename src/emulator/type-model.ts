/**
 * What the emulator needs to know about one resource type, derived once from its ResourceDef:
 * property classes as model paths, how identifiers are formed and parsed, which parts of a model
 * may be shown, and its validator.
 */
import { listedProperties } from '../catalog/listing.js';
import type { ResourceDef } from '../catalog/types.js';
import { validatorFor, type SchemaValidator } from './validation.js';
import { formatOf, type TypeFormat } from './formats.js';
import { deleteAt, isObject, parsePointer, schemaPointerToPath, valuesAt, type Json, type JsonObject } from '../schema/pointer.js';

export class TypeModel {
  readonly def: ResourceDef;
  readonly readOnly: string[][];
  readonly createOnly: string[][];
  readonly writeOnly: string[][];
  /** Generated-value formats, nested and derived identifiers, global namespace (formats.ts). */
  readonly format: TypeFormat | undefined;
  /** The primary identifier as model paths (nested where the schema nests it: `StorageLensConfiguration/Id`). */
  readonly primaryPaths: string[][];
  /** Top-level identifier properties AWS stores lower-cased (RDS `DBInstanceIdentifier`). */
  readonly lowercase: ReadonlySet<string>;
  private validatorCache: SchemaValidator | undefined;

  constructor(def: ResourceDef) {
    this.def = def;
    this.readOnly = def.readOnlyProperties.map(schemaPointerToPath);
    this.createOnly = def.createOnlyProperties.map(schemaPointerToPath);
    this.writeOnly = def.writeOnlyProperties.map(schemaPointerToPath);
    this.format = formatOf(def.typeName);
    this.primaryPaths = this.format?.primary?.map(parsePointer) ?? def.primaryIdentifier.map((p) => [p]);
    this.lowercase = new Set((this.format?.lowercase ?? []).map((p) => parsePointer(p)[0]!));
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
    return this.isWriteOnlyPath(instancePath.split('/').slice(1));
  }

  /** Whether a model path (`['AuthParameters', 'ApiKeyAuthParameters', 'ApiKeyValue']`) is, or is inside, a write-only property. */
  isWriteOnlyPath(segs: readonly string[]): boolean {
    return this.writeOnly.some((w) => w.length <= segs.length && w.every((s, i) => s === '*' || s === segs[i]));
  }

  /** `Arn` → `arn:…`; several properties joined with `|`, in primary identifier order. */
  identifierOf(model: JsonObject): string | undefined {
    if (this.format?.primary) {
      const parts: string[] = [];
      for (const path of this.primaryPaths) {
        const [v] = valuesAt(model, path);
        if (v === undefined || v === null || typeof v === 'object') return undefined;
        parts.push(String(v));
      }
      return parts.join('|');
    }
    return joinIdentifier(this.def.primaryIdentifier, model);
  }

  /**
   * An identifier as the service matches it: parts naming a property AWS stores lower-cased are
   * lower-cased (`MyDB` finds `mydb`).
   */
  normalizeIdentifier(identifier: string): string {
    if (this.lowercase.size === 0) return identifier;
    const parts = identifier.split('|');
    if (parts.length !== this.def.primaryIdentifier.length) return identifier;
    return parts.map((p, i) => (this.lowercase.has(this.def.primaryIdentifier[i]!) ? p.toLowerCase() : p)).join('|');
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

  /**
   * The model as the service shows it, which is what the type's read handler returns: write-only
   * values removed, and an object that held nothing but write-only values removed with them
   * (Lambda's `Code`), as a read handler cannot return what it never reads back (a copy).
   * Update patches apply to this.
   */
  visible(model: JsonObject): JsonObject {
    const copy = structuredClone(model);
    if (this.writeOnly.length === 0) return copy;
    for (const path of this.writeOnly) deleteAt(copy, path);
    pruneEmptied(copy, model);
    return copy;
  }

  /** The read model (see `visible`). */
  readModel(model: JsonObject): JsonObject {
    return this.visible(model);
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

/** Drops objects that are empty now but were not in `before` (emptied by removing write-only values). */
function pruneEmptied(node: Json, before: Json | undefined): void {
  if (!isObject(node) || !isObject(before)) return;
  for (const [k, v] of Object.entries(node)) {
    const was = before[k];
    pruneEmptied(v, was);
    if (isObject(v) && Object.keys(v).length === 0 && isObject(was) && Object.keys(was).length > 0) delete node[k];
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
