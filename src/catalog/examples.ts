/**
 * Example statements for a resource, derived from its provider definition alone: the INSERT
 * template of `SHOW INSERT INTO` and the examples of the reference pages. Values are always
 * `{{ placeholder }}`s, never sample data, so that no example can carry a realistic secret for a
 * write-only property.
 *
 * Every example must run as printed once its placeholders are filled in (test/integration/templates
 * runs the INSERT template of every type against the emulator): names that PostgreSQL reserves
 * are quoted, a property that shares its name with a pseudo-column is written by its column
 * name, and each placeholder is one value, named uniquely within its statement, so that
 * `ccql exec --var NAME=VALUE` can fill every one of them.
 */
import type { Column, Method, ResourceDef } from './types.js';
import { inputParams } from './native-semantics.js';
import { IDENTIFIER_COLUMN, PATCH_DOCUMENT_PARAM, REGION_COLUMN, snakeCase, splitTypeName } from './naming.js';

type Json = Record<string, unknown>;

export type InsertMode = 'required' | 'all';

/** Objects nested deeper than this are given as one placeholder (for a JSON value) in examples. */
const MAX_EXAMPLE_DEPTH = 3;

/**
 * Words PostgreSQL does not take as a bare column name in every position: its reserved,
 * type/function-name and column-name keywords (`pg_get_keywords()` with catcode R, T or C, as
 * of PostgreSQL 18). `SELECT user` is the current user and `INSERT INTO t (Group)` a syntax
 * error; `"user"` and `"Group"` are the columns.
 */
const SQL_KEYWORDS = new Set(
  `all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast char
character check coalesce collate collation column concurrently constraint create cross current_catalog current_date
current_role current_schema current_time current_timestamp current_user dec decimal default deferrable desc distinct do
else end except exists extract false fetch float for foreign freeze from full grant greatest group grouping having ilike
in initially inner inout int integer intersect interval into is isnull join json json_array json_arrayagg json_exists
json_object json_objectagg json_query json_scalar json_serialize json_table json_value lateral leading least left like
limit localtime localtimestamp merge_action national natural nchar none normalize not notnull null nullif numeric offset
on only or order out outer overlaps overlay placing position precision primary real references returning right row
select session_user setof similar smallint some substring symmetric system_user table tablesample then time timestamp to
trailing treat trim true union unique user using values varchar variadic verbose when where window with xmlattributes
xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`.split(/\s+/),
);

/**
 * Names a placeholder cannot have: Handlebars reads `{{ true }}` as a literal, `{{ else }}` and
 * `{{ this }}` as syntax and `{{ log }}`, `{{ lookup }}`… as calls of its built-in helpers.
 */
const TEMPLATE_WORDS = new Set(['true', 'false', 'null', 'undefined', 'else', 'this', 'if', 'unless', 'each', 'with', 'log', 'lookup', 'helper_missing', 'block_helper_missing']);

/** A column or property name as SQL must write it: bare when PostgreSQL allows, else in double quotes. */
export function sqlIdentifier(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !SQL_KEYWORDS.has(name.toLowerCase())) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Columns that a create can set: property columns that are not read-only, nor made only of
 * read-only members (`EgressEndpoints`, whose items' every field AWS sets).
 */
export function writableColumns(r: ResourceDef): Column[] {
  return r.columns.filter((c) => c.property !== undefined && !c.readOnly && !onlyReadOnlyMembers(r, c.property));
}

function onlyReadOnlyMembers(r: ResourceDef, property: string): boolean {
  const readOnly = new Set(r.readOnlyProperties.map(normalizePointer));
  const pointer = `/properties/${property}`;
  if (![...readOnly].some((p) => p.startsWith(`${pointer}/`))) return false;
  let node = ((r.schema.properties ?? {}) as Json)[property] as Json | undefined;
  for (let i = 0; i < 8 && node; i++) {
    if (typeof node.$ref === 'string') node = resolveRef(r.schema, node.$ref);
    else if (isSchema(node.items)) node = node.items;
    else break;
  }
  const members = node && isSchema(node.properties) ? Object.keys(node.properties) : [];
  return members.length > 0 && members.every((k) => readOnly.has(`${pointer}/${k}`));
}

/** Columns an update can change: writable and not create-only. */
export function updatableColumns(r: ResourceDef): Column[] {
  return writableColumns(r).filter((c) => !c.createOnly);
}

/** Columns a SELECT returns from Cloud Control (write-only ones never come back). */
export function selectableColumns(r: ResourceDef): Column[] {
  return r.columns.filter((c) => !c.writeOnly);
}

/**
 * Required columns first (in schema order), then the optional ones. Where the type's schema
 * offers alternative forms (a top-level oneOf/anyOf: `TemplateURL` or `TemplateBody`), the
 * columns are those of its first form: what that form requires counts as required, and a
 * column that would make the desired state match another oneOf form too is left out (see
 * alternativeColumns).
 */
export function insertColumns(r: ResourceDef, mode: InsertMode): Column[] {
  const shape = objectShape(r.schema, r.schema);
  const byProperty = new Map(writableColumns(r).map((c) => [c.property!, c]));
  const keys = exampleKeys(r.schema, r.schema, shape, mode, (k) => byProperty.has(k), true);
  const needed = new Set(neededKeys(shape, keys));
  const required = keys.filter((k) => needed.has(k));
  const ordered = mode === 'required' ? required : [...required, ...keys.filter((k) => !needed.has(k))];
  return ordered.map((k) => byProperty.get(k)!);
}

/** Writable columns an INSERT template leaves out because another form of the type takes them instead. */
export function alternativeColumns(r: ResourceDef): Column[] {
  const shown = new Set(insertColumns(r, 'all'));
  return writableColumns(r).filter((c) => !shown.has(c));
}

function requiredHere(shape: ObjectShape, c: Column): boolean {
  return c.required === true || shape.required.has(c.property!) || shape.formRequired.has(c.property!);
}

/**
 * The name an INSERT column list uses for a property column: its CloudFormation name (as the
 * seed page writes INSERTs) where that name means this column, else the column name. A
 * property `Region` (AWS::SNS::Subscription) would mean the `region` pseudo-column, so it is
 * written `property_region`, the name DESCRIBE shows.
 */
export function insertColumnName(r: ResourceDef, c: Column): string {
  if (c.property === undefined) return sqlIdentifier(c.name);
  const lower = c.property.toLowerCase();
  // The lookup INSERT makes (plan/columns.ts findColumn): a column name first, then a property name.
  const byName = r.columns.find((x) => x.name.toLowerCase() === lower);
  const resolved = byName ?? r.columns.find((x) => x.property?.toLowerCase() === lower);
  // `Identifier` reads as the Cloud Control identifier outside INSERT: the column name never does.
  const aliasOfIdentifier = lower === 'identifier' && byName === undefined;
  return sqlIdentifier(resolved === c && !aliasOfIdentifier ? c.property : c.name);
}

/**
 * Write-only fields nested inside a column's property, as dotted paths relative to it
 * (`AuthParameters` → `BasicAuthParameters.Password`, …). Empty when the column itself is
 * write-only or holds none.
 */
export function nestedWriteOnly(r: ResourceDef, c: Column): string[] {
  if (!c.property) return [];
  const prefix = `/properties/${c.property}/`;
  return r.writeOnlyProperties
    .filter((p) => p.startsWith(prefix))
    .map((p) =>
      p
        .slice(prefix.length)
        .split('/')
        .filter((s) => s !== '*')
        .join('.'),
    );
}

/** `'<Arn>'` or, for a compound identifier, `'<ChannelArn>|<Name>'`. */
export function identifierPlaceholder(r: ResourceDef): string {
  const parts = r.primaryIdentifier.length > 0 ? r.primaryIdentifier : ['Identifier'];
  return `'${parts.map((p) => `<${p}>`).join('|')}'`;
}

/** The singular name used for a resource in a deploy manifest (`AWS::IVS::StreamKey` → `stream_key`). */
export function singularName(r: ResourceDef): string {
  return snakeCase(splitTypeName(r.typeName).last);
}

// ---------------------------------------------------------------------------------------------
// Placeholders

/** One `{{ name }}` of an example statement: what value it stands for and how it is written. */
export interface Placeholder {
  name: string;
  /**
   * The schema of the value it stands for (for a map key, of the key), `$ref`s resolved at the
   * top; nested `$ref`s point into the resource's schema.
   */
  schema: Json;
  /**
   * `text`: the value's characters, inside a quoted string (an SQL literal or a JSON string);
   * `json`: JSON text written as it is (a number, true/false, or any JSON value).
   */
  form: 'text' | 'json';
  /** Written inside JSON text (so a `"` in a text value must be escaped as JSON escapes it). */
  inJson: boolean;
}

/** Placeholder names of one statement, unique within it. */
class Placeholders {
  readonly list: Placeholder[] = [];
  private readonly used = new Set<string>();
  /** Names kept for the columns' own placeholders, so that a nested one cannot take them first. */
  private readonly reserved: Set<string>;

  constructor(reserved: readonly string[] = []) {
    this.reserved = new Set(reserved);
  }

  /**
   * `{{ base }}`, or when that name is taken, qualified by the names it sits under
   * (`{{ tag_key }}`), or numbered as a last resort. `own`: the placeholder of a whole column,
   * which may take the column's reserved name.
   */
  add(base: string, path: readonly string[], p: Omit<Placeholder, 'name'>, own = false): string {
    const stem = base === '' ? 'value' : base;
    let name = stem;
    if (!(own && !this.used.has(name) && !TEMPLATE_WORDS.has(name))) {
      for (let i = path.length - 1; this.taken(name) && i >= 0; i--) name = `${path.slice(i).join('_')}_${stem}`;
      const qualified = name;
      for (let n = 2; this.taken(name); n++) name = `${qualified}_${n}`;
    }
    this.used.add(name);
    this.list.push({ name, ...p });
    return `{{ ${name} }}`;
  }

  private taken(name: string): boolean {
    return this.used.has(name) || this.reserved.has(name) || TEMPLATE_WORDS.has(name);
  }
}

// ---------------------------------------------------------------------------------------------
// Example values, built from the property schemas

/**
 * A placeholder for JSON text written without quotes: a number or boolean (`{{ port }}` →
 * `8080`, so that the JSON has the type the schema asks for), or a whole JSON value where the
 * example does not spell out its structure.
 */
export class Bare {
  constructor(readonly text: string) {}
}

interface ExampleContext {
  root: Json;
  mode: InsertMode;
  readOnly: Set<string>;
  placeholders: Placeholders;
}

/**
 * A placeholder-filled example of a column's value, as a plain JSON-able value: strings are
 * `{{ name }}` placeholders, objects list their (required, or all) sub-properties, maps one
 * `{{ key }}`, arrays hold one example item. Read-only sub-properties are left out. The
 * column's own placeholder is named after the column.
 */
export function exampleValue(r: ResourceDef, c: Column, mode: InsertMode): unknown {
  return columnExample(r, c, mode, new Placeholders());
}

function columnExample(r: ResourceDef, c: Column, mode: InsertMode, placeholders: Placeholders): unknown {
  const props = (r.schema.properties ?? {}) as Json;
  const ctx: ExampleContext = { root: r.schema, mode, readOnly: new Set(r.readOnlyProperties.map(normalizePointer)), placeholders };
  const node = c.property === undefined ? undefined : (props[c.property] as Json | undefined);
  const value = exampleOf(ctx, node, c.name, [singularName(r)], `/properties/${c.property ?? ''}`, 0, new Set());
  if (typeof value === 'string' && c.type === 'jsonb') {
    // A jsonb column given as one placeholder takes JSON text: mark the placeholder so.
    const last = placeholders.list[placeholders.list.length - 1];
    if (last && value === `{{ ${last.name} }}`) last.form = 'json';
  }
  return value;
}

/**
 * `written`: the schema at this place before one of its alternatives was picked for the
 * example, which is what a placeholder's value must satisfy.
 */
function exampleOf(ctx: ExampleContext, node: Json | undefined, base: string, path: readonly string[], pointer: string, depth: number, refs: Set<string>, written?: Json): unknown {
  const inJson = depth > 0;
  const own = (n: Json): Json => written ?? n;
  const any = (schema: Json): Bare => new Bare(ctx.placeholders.add(base, path, { schema: own(schema), form: 'json', inJson }, !inJson));
  if (!node || typeof node !== 'object') return any({});
  const ref = typeof node.$ref === 'string' ? node.$ref : undefined;
  if (ref !== undefined) {
    const target = refs.has(ref) ? undefined : resolveRef(ctx.root, ref);
    // A recursive or unresolvable definition is left to the user as one JSON value.
    if (!target) return any(node);
    return exampleOf(ctx, withRefResolved(node, target), base, path, pointer, depth, new Set([...refs, ref]), written);
  }
  const variant = firstVariant(node);
  if (variant) {
    const resolved = typeof variant.$ref === 'string' ? resolveRef(ctx.root, variant.$ref) : variant;
    if (resolved) return exampleOf(ctx, { ...node, ...resolved, oneOf: undefined, anyOf: undefined }, base, path, pointer, depth, refs, own(node));
  }
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== 'null') : node.type;
  const here = [...path, base];
  if (type === 'array' || (type === undefined && node.items !== undefined)) {
    if (depth >= MAX_EXAMPLE_DEPTH) return any(node);
    const items = Array.isArray(node.items) ? (node.items[0] as Json | undefined) : (node.items as Json | undefined);
    // As many items as the schema needs at least: each its own placeholders.
    const count = Math.max(1, typeof node.minItems === 'number' ? Math.min(node.minItems, 4) : 1);
    const item = singularOf(base);
    return Array.from({ length: count }, (_, i) => {
      const name = i === 0 ? item : `${item}_${i + 1}`;
      return exampleOf(ctx, items, name, i === 0 ? here : [...path, name], pointer, depth + 1, refs);
    });
  }
  const shape = objectShape(ctx.root, node);
  if (type === 'object' || Object.keys(shape.properties).length > 0 || node.patternProperties !== undefined || isSchema(node.additionalProperties)) {
    if (depth >= MAX_EXAMPLE_DEPTH) return any(node);
    if (Object.keys(shape.properties).length === 0) return mapExample(ctx, node, base, here, pointer, depth, refs);
    const keys = exampleKeys(ctx.root, node, shape, ctx.mode, (k) => !ctx.readOnly.has(normalizePointer(`${pointer}/${k}`)));
    const out: Json = {};
    for (const k of keys) out[k] = exampleOf(ctx, shape.properties[k], snakeCase(k), here, `${pointer}/${k}`, depth + 1, refs);
    return out;
  }
  const numeric = Array.isArray(node.enum) && node.enum.length > 0 && node.enum.every((v) => typeof v === 'number');
  if (type === 'integer' || type === 'number' || type === 'boolean' || (type === undefined && numeric)) {
    return new Bare(ctx.placeholders.add(base, path, { schema: own(node), form: 'json', inJson }, !inJson));
  }
  return ctx.placeholders.add(base, path, { schema: own(node), form: 'text', inJson }, !inJson);
}

/**
 * The members an object example shows, in schema order: the required ones (with those they
 * depend on), and for all properties the others too, as many as `maxProperties` allows, minus
 * any that would break the object's oneOf/not/dependencies constraints (two properties that
 * exclude each other: only the first is shown).
 */
function exampleKeys(root: Json, node: Json, shape: ObjectShape, mode: InsertMode, settable: (k: string) => boolean, topLevel = false): string[] {
  const all = Object.keys(shape.properties).filter(settable);
  const required = neededKeys(shape, all.filter((k) => shape.required.has(k) || shape.formRequired.has(k))).filter((k) => all.includes(k));
  // A nested object that requires nothing is shown whole even for required properties only:
  // `{}` would say nothing about it. A resource that requires nothing is created from region alone.
  const onlyRequired = mode === 'required' && (required.length > 0 || topLevel);
  const keys = onlyRequired ? required : [...required, ...all.filter((k) => !required.includes(k))];
  const kept = new Set(keys);
  const fixed = new Set(required);
  // Drop optional members, last first, while the member set breaks a constraint that names them.
  for (let guard = 0; guard < all.length; guard++) {
    const culprits = new Set<string>();
    if (!satisfies(root, node, kept, culprits, 0)) {
      const drop = [...all].reverse().find((k) => kept.has(k) && !fixed.has(k) && culprits.has(k));
      if (drop === undefined) break;
      kept.delete(drop);
    } else break;
  }
  let shown = keys.filter((k) => kept.has(k));
  const max = typeof node.maxProperties === 'number' ? node.maxProperties : undefined;
  if (max !== undefined && shown.length > max) shown = shown.slice(0, Math.max(max, required.length));
  return all.filter((k) => shown.includes(k));
}

/**
 * The alternatives a column's value is one of, where its schema is a oneOf/anyOf of required
 * members (`BasicAuthParameters`, `OAuthParameters` or `ApiKeyAuthParameters`): the example
 * shows the first.
 */
function valueAlternatives(r: ResourceDef, c: Column): string[] {
  let node = ((r.schema.properties ?? {}) as Json)[c.property ?? ''] as Json | undefined;
  for (let i = 0; i < 8 && node && typeof node.$ref === 'string'; i++) node = resolveRef(r.schema, node.$ref);
  if (!node || node.type === 'array') return [];
  const branches = Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : [];
  const forms = branches.map((b) => (isSchema(b) && Array.isArray(b.required) && b.required.length > 0 ? b.required.map(String).join(' + ') : ''));
  return forms.length > 1 && forms.every((f) => f !== '') ? forms : [];
}

/** `keys` and the properties `dependencies` lists for them, transitively. */
function neededKeys(shape: ObjectShape, keys: string[]): string[] {
  const out = [...keys];
  for (let i = 0; i < out.length; i++) {
    for (const d of shape.dependencies[out[i]!] ?? []) if (!out.includes(d) && d in shape.properties) out.push(d);
  }
  return out;
}

/**
 * Whether an object with exactly the members `present` can meet the schema's presence rules:
 * `required`, allOf/anyOf/oneOf (exactly one branch), `not`, `dependencies`. Values are not
 * looked at. The members named by a rule that fails go into `culprits`.
 */
function satisfies(root: Json, schema: Json, present: ReadonlySet<string>, culprits: Set<string>, depth: number): boolean {
  const s = typeof schema.$ref === 'string' ? (resolveRef(root, schema.$ref) ?? {}) : schema;
  if (depth > 8) return true;
  const quiet = new Set<string>();
  const test = (b: unknown): boolean => isSchema(b) && satisfies(root, b, present, quiet, depth + 1);
  let ok = true;
  const blame = (b: unknown): void => mentioned(root, b, culprits, 0);
  if (Array.isArray(s.required) && !s.required.every((k) => present.has(String(k)))) ok = false;
  for (const b of Array.isArray(s.allOf) ? s.allOf : []) if (!satisfies(root, b as Json, present, culprits, depth + 1)) ok = false;
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0 && !s.anyOf.some(test)) ok = false;
  if (Array.isArray(s.oneOf) && s.oneOf.length > 0 && s.oneOf.filter(test).length !== 1) {
    ok = false;
    for (const b of s.oneOf) blame(b);
  }
  if (isSchema(s.not) && test(s.not) && requiresAnything(s.not)) {
    ok = false;
    blame(s.not);
  }
  if (isSchema(s.dependencies)) {
    for (const [k, d] of Object.entries(s.dependencies)) {
      if (!present.has(k)) continue;
      const met = Array.isArray(d) ? d.every((x) => present.has(String(x))) : test(d);
      if (!met) {
        ok = false;
        culprits.add(k);
        blame(d);
      }
    }
  }
  return ok;
}

/** The member names a schema's presence rules mention. */
function mentioned(root: Json, schema: unknown, out: Set<string>, depth: number): void {
  if (!isSchema(schema) || depth > 8) return;
  const s = typeof schema.$ref === 'string' ? (resolveRef(root, schema.$ref) ?? {}) : schema;
  if (Array.isArray(s.required)) for (const k of s.required) out.add(String(k));
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) for (const b of Array.isArray(s[key]) ? s[key] : []) mentioned(root, b, out, depth + 1);
  if (isSchema(s.not)) mentioned(root, s.not, out, depth + 1);
}

function requiresAnything(schema: Json): boolean {
  const names = new Set<string>();
  mentioned({}, schema, names, 0);
  return names.size > 0;
}

/** What an object is made of once its allOf and the first branch of each oneOf/anyOf are merged in. */
export interface ObjectShape {
  properties: Record<string, Json>;
  /** Required whatever the form: the node's own `required` and its allOf's. */
  required: Set<string>;
  /** Required by the chosen (first) branch of a oneOf/anyOf. */
  formRequired: Set<string>;
  /** `dependencies` in their list form: a present key needs these keys too. */
  dependencies: Record<string, string[]>;
}

export function objectShape(root: Json, node: Json, depth = 0): ObjectShape {
  const shape: ObjectShape = {
    properties: { ...((isSchema(node.properties) ? node.properties : {}) as Record<string, Json>) },
    required: new Set(Array.isArray(node.required) ? node.required.map(String) : []),
    formRequired: new Set(),
    dependencies: {},
  };
  if (isSchema(node.dependencies)) {
    for (const [k, v] of Object.entries(node.dependencies)) if (Array.isArray(v)) shape.dependencies[k] = v.map(String);
  }
  if (depth > 8) return shape;
  const branch = (b: unknown): ObjectShape | undefined => {
    if (!isSchema(b)) return undefined;
    const target = typeof b.$ref === 'string' ? resolveRef(root, b.$ref) : b;
    return target ? objectShape(root, typeof b.$ref === 'string' ? withRefResolved(b, target) : target, depth + 1) : undefined;
  };
  const merge = (b: ObjectShape, asForm: boolean): void => {
    for (const [k, v] of Object.entries(b.properties)) {
      const mine = shape.properties[k];
      shape.properties[k] = mine ? mergeSchemas(mine, v) : v;
    }
    for (const k of b.required) (asForm ? shape.formRequired : shape.required).add(k);
    for (const k of b.formRequired) shape.formRequired.add(k);
    Object.assign(shape.dependencies, b.dependencies);
  };
  for (const b of Array.isArray(node.allOf) ? node.allOf : []) {
    const s = branch(b);
    if (s) merge(s, false);
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const chosen = (Array.isArray(node[key]) ? node[key] : []).map(branch).find((b) => b !== undefined);
    if (chosen) merge(chosen, true);
  }
  return shape;
}

/** A property's schema with a branch's constraints on it added (`required` lists joined). */
function mergeSchemas(a: Json, b: Json): Json {
  const required = [...new Set([...(Array.isArray(a.required) ? a.required : []), ...(Array.isArray(b.required) ? b.required : [])])];
  return { ...a, ...b, ...(required.length > 0 ? { required } : {}) };
}

/** `node` with its `$ref` replaced by the definition, its own keywords kept beside it. */
function withRefResolved(node: Json, target: Json): Json {
  const { $ref: _ref, ...rest } = node;
  const merged = mergeSchemas(target, rest);
  // A `type` written beside a $ref (`"type": "object", "$ref": "#/definitions/Arn"`) is ignored
  // by draft-07 validators and contradicts the definition: the definition says what is sent.
  if (target.type !== undefined) merged.type = target.type;
  return merged;
}

/**
 * A map (tags as an object, environment variables…): one `{{ key }}` member whose value follows
 * the schema of the map's values. A map that allows no member at all is `{}`.
 */
function mapExample(ctx: ExampleContext, node: Json, base: string, path: readonly string[], pointer: string, depth: number, refs: Set<string>): Json {
  const patterns = isSchema(node.patternProperties) ? Object.entries(node.patternProperties) : [];
  const first = patterns[0];
  const valueSchema = first ? (first[1] as Json) : isSchema(node.additionalProperties) ? node.additionalProperties : undefined;
  if (!valueSchema && node.additionalProperties === false) return {};
  const keySchema: Json = first ? { type: 'string', pattern: first[0] } : isSchema(node.propertyNames) ? node.propertyNames : { type: 'string' };
  const key = ctx.placeholders.add('key', path, { schema: keySchema, form: 'text', inJson: true });
  const value = valueSchema ? exampleOf(ctx, valueSchema, 'value', path, `${pointer}/*`, depth + 1, refs) : ctx.placeholders.add('value', path, { schema: { type: 'string' }, form: 'text', inJson: true });
  return { [key]: value };
}

function isSchema(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value with Bare placeholders as plain strings (for YAML, where they must be quoted anyway). */
export function plainExample(value: unknown): unknown {
  if (value instanceof Bare) return value.text;
  if (Array.isArray(value)) return value.map(plainExample);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, plainExample(v)]));
  }
  return value;
}

/**
 * JSON text of an example value: on one line when short, otherwise one member per line,
 * continuation lines indented by `indent`.
 */
export function exampleJson(value: unknown, indent = ''): string {
  const flat = jsonLine(value);
  if (flat.length <= 72) return flat;
  if (Array.isArray(value)) {
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + exampleJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Bare)) {
    const inner = indent + '  ';
    const members = Object.entries(value as Json).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${exampleJson(v, inner)}`);
    return `{\n${members.join(',\n')}\n${indent}}`;
  }
  return flat;
}

function jsonLine(value: unknown): string {
  if (value instanceof Bare) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonLine).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Json)
      .map(([k, v]) => `${JSON.stringify(k)}: ${jsonLine(v)}`)
      .join(', ');
    // `{{ port }}}` would read as the end of a Handlebars `{{{raw}}}` placeholder.
    return `{${members}${members.endsWith('}') ? ' ' : ''}}`;
  }
  return JSON.stringify(value);
}

/**
 * The first of the alternatives a node is made of, where it has no members of its own (those,
 * with their oneOf constraints, are objectShape's).
 */
function firstVariant(node: Json): Json | undefined {
  if (node.properties !== undefined || node.allOf !== undefined) return undefined;
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = node[key];
    if (Array.isArray(list) && isSchema(list[0])) return list[0];
  }
  return undefined;
}

function resolveRef(root: Json, ref: string): Json | undefined {
  const m = /^#\/definitions\/(.+)$/.exec(ref);
  if (!m) return undefined;
  return ((root.definitions ?? {}) as Json)[m[1]!] as Json | undefined;
}

/** Pointers compared without the `*` array-item segments, so that nested paths match however they are written. */
function normalizePointer(p: string): string {
  return p
    .split('/')
    .filter((s) => s !== '*')
    .join('/');
}

function singularOf(name: string): string {
  if (/ies$/.test(name)) return `${name.slice(0, -3)}y`;
  if (/[^s]s$/.test(name)) return name.slice(0, -1);
  return name;
}

/** A SQL literal for an example value: scalars as `'{{ x }}'`, structures as JSON text. */
export function sqlLiteral(value: unknown, indent = ''): string {
  const text = typeof value === 'string' ? value : value instanceof Bare ? value.text : exampleJson(value, indent);
  return `'${text.replace(/'/g, "''")}'`;
}

// ---------------------------------------------------------------------------------------------
// Statements

export interface InsertOptions {
  mode: InsertMode;
  /** Add `-- required` / `-- optional` / write-only notes to each column line. */
  annotate: boolean;
  /** A leading StackQL-style `/*+ create *\/` hint line, as the reference pages show. */
  hint?: boolean;
}

export interface InsertTemplate {
  sql: string;
  /** Every placeholder of `sql`, in the order they appear; `region` is the last. */
  placeholders: Placeholder[];
}

export function insertTemplate(r: ResourceDef, opts: InsertOptions): InsertTemplate {
  const cols = insertColumns(r, opts.mode);
  const placeholders = new Placeholders([REGION_COLUMN, ...cols.map((c) => c.name.toLowerCase())]);
  const names = [...cols.map((c) => insertColumnName(r, c)), REGION_COLUMN];
  const shape = objectShape(r.schema, r.schema);
  const notes = [...cols.map((c) => columnNote(r, c, shape)), 'required'];
  const width = Math.max(...names.map((n) => n.length)) + 1;
  const lines: string[] = [];
  if (opts.hint) lines.push('/*+ create */');
  lines.push(`INSERT INTO ${r.sqlName} (`);
  names.forEach((n, i) => {
    const sep = i < names.length - 1 ? ',' : '';
    lines.push(opts.annotate ? `  ${`${n}${sep}`.padEnd(width)} -- ${notes[i]}` : `  ${n}${sep}`);
  });
  lines.push(')');
  lines.push('SELECT');
  const values = cols.map((c) => sqlLiteral(columnExample(r, c, opts.mode, placeholders), '  '));
  values.push(`'{{ ${REGION_COLUMN} }}'`);
  values.forEach((v, i) => lines.push(`  ${v}${i < values.length - 1 ? ',' : ''}`));
  lines.push(';');
  const list = [...placeholders.list, { name: REGION_COLUMN, schema: { type: 'string' }, form: 'text' as const, inJson: false }];
  return { sql: lines.join('\n'), placeholders: list };
}

export function insertStatement(r: ResourceDef, opts: InsertOptions): string {
  return insertTemplate(r, opts).sql;
}

function columnNote(r: ResourceDef, c: Column, shape: ObjectShape): string {
  const parts = [c.required || shape.required.has(c.property!) ? 'required' : requiredHere(shape, c) ? 'required in this form' : 'optional'];
  if (c.createOnly) parts.push('create-only');
  if (c.writeOnly) parts.push('write-only: never returned by reads');
  const forms = valueAlternatives(r, c);
  if (forms.length > 0) parts.push(`one of ${forms.join(' | ')} (the first shown)`);
  const nested = nestedWriteOnly(r, c);
  if (nested.length > 0) parts.push(`holds write-only fields: ${nested.join(', ')}`);
  return parts.join(', ');
}

/**
 * What a template's placeholders may be, where the schema says: the allowed values and the
 * default. One line per such placeholder, written without braces so that the lines render
 * unchanged (and need no variable) when the template goes through `ccql exec --var`.
 */
export function placeholderNotes(placeholders: readonly Placeholder[]): string[] {
  const out: string[] = [];
  for (const p of placeholders) {
    const parts: string[] = [];
    const values = Array.isArray(p.schema.enum) ? p.schema.enum : undefined;
    if (values && values.length > 0) {
      const shown = values.slice(0, 12).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      parts.push(`one of ${shown.join(', ')}${values.length > shown.length ? `, … (${values.length} values)` : ''}`);
    }
    if (p.schema.default !== undefined && typeof p.schema.default !== 'object') parts.push(`default ${String(p.schema.default)}`);
    if (parts.length > 0) out.push(`${p.name}: ${parts.join('; ')}`);
  }
  return out;
}

export function selectListStatement(r: ResourceDef): string {
  const cols = selectableColumns(r).filter((c) => c.name !== IDENTIFIER_COLUMN);
  const parents = r.listParents.map((p) => r.columns.find((c) => c.property === p)?.name ?? snakeCase(p));
  const where = [`region = 'us-east-1'`, ...r.listParents.map((p, i) => `${sqlIdentifier(parents[i]!)} = '<${p}>'`)];
  return [`SELECT`, cols.map((c) => sqlIdentifier(c.name)).join(',\n'), `FROM ${r.sqlName}`, `WHERE ${where.join(' AND ')};`].join('\n');
}

export function selectGetStatement(r: ResourceDef): string {
  const cols = selectableColumns(r).filter((c) => c.name !== IDENTIFIER_COLUMN);
  return [`SELECT`, cols.map((c) => sqlIdentifier(c.name)).join(',\n'), `FROM ${r.sqlName}`, `WHERE region = 'us-east-1' AND ${IDENTIFIER_COLUMN} = ${identifierPlaceholder(r)};`].join('\n');
}

/** UPDATE with a JSON Patch document (RFC 6902) replacing every updatable property. */
export function updatePatchStatement(r: ResourceDef): string | undefined {
  const cols = updatableColumns(r);
  if (cols.length === 0) return undefined;
  const placeholders = new Placeholders(cols.map((c) => c.name.toLowerCase()));
  const ops = cols.map((c) => `  {"op": "replace", "path": "/${c.property}", "value": ${patchValue(r, c, '  ', placeholders)}}`);
  return [
    '/*+ update */',
    `UPDATE ${r.sqlName}`,
    `SET ${PATCH_DOCUMENT_PARAM} = '[`,
    ops.join(',\n').replace(/'/g, "''"),
    `]'`,
    `WHERE ${IDENTIFIER_COLUMN} = ${identifierPlaceholder(r)}`,
    `AND region = 'us-east-1';`,
  ].join('\n');
}

function patchValue(r: ResourceDef, c: Column, indent: string, placeholders: Placeholders): string {
  const v = columnExample(r, c, 'all', placeholders);
  // a jsonb column whose example is a single placeholder takes JSON text as it is
  if (typeof v === 'string' && c.type === 'jsonb') return v;
  return exampleJson(v, indent);
}

/** UPDATE … SET column = value: the changed columns become a patch. */
export function updateSetStatement(r: ResourceDef): string | undefined {
  const cols = updatableColumns(r);
  if (cols.length === 0) return undefined;
  const placeholders = new Placeholders(cols.map((c) => c.name.toLowerCase()));
  const sets = cols.map((c) => `  ${sqlIdentifier(c.name)} = ${sqlLiteral(columnExample(r, c, 'all', placeholders), '  ')}`);
  return [`UPDATE ${r.sqlName}`, `SET`, sets.join(',\n'), `WHERE ${IDENTIFIER_COLUMN} = ${identifierPlaceholder(r)}`, `AND region = 'us-east-1';`].join('\n');
}

export function deleteStatement(r: ResourceDef): string {
  return ['/*+ delete */', `DELETE FROM ${r.sqlName}`, `WHERE ${IDENTIFIER_COLUMN} = ${identifierPlaceholder(r)}`, `AND region = 'us-east-1';`].join('\n');
}

/** A stackql-deploy style manifest resource with every writable property. */
export function manifestExample(r: ResourceDef): Json {
  const cols = insertColumns(r, 'all');
  const placeholders = new Placeholders([REGION_COLUMN, ...cols.map((c) => c.name.toLowerCase())]);
  return {
    version: 1,
    name: 'stack name',
    description: 'stack description',
    providers: ['aws'],
    globals: [{ name: 'region', value: '{{ vars.AWS_REGION }}' }],
    resources: [
      {
        name: singularName(r),
        props: cols.map((c) => ({ name: c.property, value: plainExample(columnExample(r, c, 'all', placeholders)) })),
      },
    ],
  };
}

/** A native table's UPDATE: SET each updatable column its update method's input takes. */
export function nativeUpdateStatement(r: ResourceDef): string | undefined {
  const update = r.methods.find((m) => m.verb === 'UPDATE');
  if (!update || update.call.api !== 'native') return undefined;
  const takes = new Set(inputParams(update.call.input));
  const cols = updatableColumns(r).filter((c) => takes.has(c.name.toLowerCase()));
  if (cols.length === 0) return undefined;
  const placeholders = new Placeholders(cols.map((c) => c.name.toLowerCase()));
  const sets = cols.map((c) => `  ${sqlIdentifier(c.name)} = ${sqlLiteral(columnExample(r, c, 'all', placeholders), '  ')}`);
  return ['/*+ update */', `UPDATE ${r.sqlName}`, `SET`, sets.join(',\n'), `WHERE ${IDENTIFIER_COLUMN} = ${identifierPlaceholder(r)}`, `AND region = 'us-east-1';`].join('\n');
}

/** EXEC of a method with a placeholder for each required parameter (StackQL's form). */
export function execStatement(r: ResourceDef, m: Method): string {
  const params = m.requiredParams.filter((p) => p.toLowerCase() !== REGION_COLUMN).map((p) => `@${p} = '{{ ${p.toLowerCase()} }}'`);
  return `EXEC ${r.sqlName}.${m.name}\n  ${[...params, `@region = 'us-east-1'`].join(',\n  ')};`;
}
