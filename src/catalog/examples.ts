/**
 * Example statements for a resource, derived from its provider definition alone: the INSERT
 * template of `SHOW INSERT INTO` and the examples of the reference pages. Values are always
 * `{{ placeholder }}`s, never sample data, so that no example can carry a realistic secret for a
 * write-only property.
 */
import type { Column, ResourceDef } from './types.js';
import { IDENTIFIER_COLUMN, PATCH_DOCUMENT_PARAM, REGION_COLUMN, snakeCase, splitTypeName } from './naming.js';

type Json = Record<string, unknown>;

export type InsertMode = 'required' | 'all';

/** Objects nested deeper than this are given as one placeholder in examples. */
const MAX_EXAMPLE_DEPTH = 3;

/** Columns that a create can set: property columns that are not read-only. */
export function writableColumns(r: ResourceDef): Column[] {
  return r.columns.filter((c) => c.property !== undefined && !c.readOnly);
}

/** Columns an update can change: writable and not create-only. */
export function updatableColumns(r: ResourceDef): Column[] {
  return writableColumns(r).filter((c) => !c.createOnly);
}

/** Columns a SELECT returns from Cloud Control (write-only ones never come back). */
export function selectableColumns(r: ResourceDef): Column[] {
  return r.columns.filter((c) => !c.writeOnly);
}

/** Required columns first (in schema order), then the optional ones. */
export function insertColumns(r: ResourceDef, mode: InsertMode): Column[] {
  const writable = writableColumns(r);
  const required = writable.filter((c) => c.required);
  if (mode === 'required') return required;
  return [...required, ...writable.filter((c) => !c.required)];
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
// Example values, built from the property schemas

/**
 * A placeholder-filled example of a property's value, as a plain JSON-able value: strings are
 * `{{ name }}` placeholders, objects list their (required, or all) sub-properties, arrays hold
 * one example item. Read-only sub-properties are left out.
 */
export function exampleValue(r: ResourceDef, c: Column, mode: InsertMode): unknown {
  if (!c.property) return `{{ ${c.name} }}`;
  const props = (r.schema.properties ?? {}) as Json;
  const readOnly = new Set(r.readOnlyProperties.map(normalizePointer));
  return exampleOf(r.schema, props[c.property] as Json | undefined, c.property, `/properties/${c.property}`, mode, readOnly, 0, new Set());
}

function exampleOf(root: Json, node: Json | undefined, name: string, pointer: string, mode: InsertMode, readOnly: Set<string>, depth: number, refs: Set<string>): unknown {
  const placeholder = `{{ ${snakeCase(name)} }}`;
  if (!node || typeof node !== 'object') return placeholder;
  const ref = typeof node.$ref === 'string' ? node.$ref : undefined;
  if (ref !== undefined) {
    if (refs.has(ref)) return placeholder; // recursive definitions
    const target = resolveRef(root, ref);
    if (!target) return placeholder;
    return exampleOf(root, target, name, pointer, mode, readOnly, depth, new Set([...refs, ref]));
  }
  const variant = firstVariant(node);
  if (variant) return exampleOf(root, { ...node, ...variant, oneOf: undefined, anyOf: undefined }, name, pointer, mode, readOnly, depth, refs);
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== 'null') : node.type;
  if (type === 'array' || (type === undefined && node.items !== undefined)) {
    if (depth >= MAX_EXAMPLE_DEPTH) return placeholder;
    const items = Array.isArray(node.items) ? (node.items[0] as Json | undefined) : (node.items as Json | undefined);
    return [exampleOf(root, items, singularOf(name), pointer, mode, readOnly, depth + 1, refs)];
  }
  const properties = node.properties as Json | undefined;
  if (type === 'object' || properties !== undefined) {
    if (depth >= MAX_EXAMPLE_DEPTH) return placeholder;
    if (!properties || Object.keys(properties).length === 0) {
      // a free-form map (tags as an object, environment variables…)
      return { '{{ key }}': '{{ value }}' };
    }
    const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
    let keys = Object.keys(properties).filter((k) => !readOnly.has(normalizePointer(`${pointer}/${k}`)));
    if (mode === 'required' && required.size > 0) keys = keys.filter((k) => required.has(k));
    const out: Json = {};
    for (const k of keys) out[k] = exampleOf(root, properties[k] as Json, k, `${pointer}/${k}`, mode, readOnly, depth + 1, refs);
    return out;
  }
  if (type === 'integer' || type === 'number' || type === 'boolean') return new Bare(placeholder);
  return placeholder;
}

/**
 * A placeholder for a number or boolean inside a JSON value: written without quotes, so that
 * once filled in (`{{ port }}` → `8080`) the JSON has the type the schema asks for.
 */
export class Bare {
  constructor(readonly text: string) {}
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
    return `{${Object.entries(value as Json)
      .map(([k, v]) => `${JSON.stringify(k)}: ${jsonLine(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

function firstVariant(node: Json): Json | undefined {
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = node[key];
    if (Array.isArray(list) && list.length > 0 && node.properties === undefined && node.type === undefined) {
      return list[0] as Json;
    }
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

export function insertStatement(r: ResourceDef, opts: InsertOptions): string {
  const cols = insertColumns(r, opts.mode);
  const names = [...cols.map((c) => c.property!), REGION_COLUMN];
  const notes = [...cols.map((c) => columnNote(r, c)), 'required'];
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
  const values = [...cols.map((c) => sqlLiteral(exampleValue(r, c, opts.mode), '  ')), `'{{ ${REGION_COLUMN} }}'`];
  values.forEach((v, i) => lines.push(`  ${v}${i < values.length - 1 ? ',' : ''}`));
  lines.push(';');
  return lines.join('\n');
}

function columnNote(r: ResourceDef, c: Column): string {
  const parts = [c.required ? 'required' : 'optional'];
  if (c.createOnly) parts.push('create-only');
  if (c.writeOnly) parts.push('write-only: never returned by reads');
  const nested = nestedWriteOnly(r, c);
  if (nested.length > 0) parts.push(`holds write-only fields: ${nested.join(', ')}`);
  return parts.join(', ');
}

export function selectListStatement(r: ResourceDef): string {
  const cols = selectableColumns(r).filter((c) => c.name !== IDENTIFIER_COLUMN);
  const parents = r.listParents.map((p) => r.columns.find((c) => c.property === p)?.name ?? snakeCase(p));
  const where = [`region = 'us-east-1'`, ...r.listParents.map((p, i) => `${parents[i]} = '<${p}>'`)];
  return [`SELECT`, cols.map((c) => c.name).join(',\n'), `FROM ${r.sqlName}`, `WHERE ${where.join(' AND ')};`].join('\n');
}

export function selectGetStatement(r: ResourceDef): string {
  const cols = selectableColumns(r).filter((c) => c.name !== IDENTIFIER_COLUMN);
  return [`SELECT`, cols.map((c) => c.name).join(',\n'), `FROM ${r.sqlName}`, `WHERE region = 'us-east-1' AND ${IDENTIFIER_COLUMN} = ${identifierPlaceholder(r)};`].join('\n');
}

/** UPDATE with a JSON Patch document (RFC 6902) replacing every updatable property. */
export function updatePatchStatement(r: ResourceDef): string | undefined {
  const cols = updatableColumns(r);
  if (cols.length === 0) return undefined;
  const ops = cols.map((c) => `  {"op": "replace", "path": "/${c.property}", "value": ${patchValue(r, c, '  ')}}`);
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

function patchValue(r: ResourceDef, c: Column, indent: string): string {
  const v = exampleValue(r, c, 'all');
  // a jsonb column whose example is a single placeholder takes JSON text as it is
  if (typeof v === 'string' && c.type === 'jsonb') return v;
  return exampleJson(v, indent);
}

/** UPDATE … SET column = value: the changed columns become a patch. */
export function updateSetStatement(r: ResourceDef): string | undefined {
  const cols = updatableColumns(r);
  if (cols.length === 0) return undefined;
  const sets = cols.map((c) => `  ${c.name} = ${sqlLiteral(exampleValue(r, c, 'all'), '  ')}`);
  return [`UPDATE ${r.sqlName}`, `SET`, sets.join(',\n'), `WHERE ${IDENTIFIER_COLUMN} = ${identifierPlaceholder(r)}`, `AND region = 'us-east-1';`].join('\n');
}

export function deleteStatement(r: ResourceDef): string {
  return ['/*+ delete */', `DELETE FROM ${r.sqlName}`, `WHERE ${IDENTIFIER_COLUMN} = ${identifierPlaceholder(r)}`, `AND region = 'us-east-1';`].join('\n');
}

/** A stackql-deploy style manifest resource with every writable property. */
export function manifestExample(r: ResourceDef): Json {
  return {
    version: 1,
    name: 'stack name',
    description: 'stack description',
    providers: ['aws'],
    globals: [{ name: 'region', value: '{{ vars.AWS_REGION }}' }],
    resources: [
      {
        name: singularName(r),
        props: insertColumns(r, 'all').map((c) => ({ name: c.property, value: plainExample(exampleValue(r, c, 'all')) })),
      },
    ],
  };
}
