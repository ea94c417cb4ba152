/**
 * Turns CloudFormation registry schemas into provider YAML (see docs/provider-format.md).
 * Pure apart from reading the input folder: the same schemas always give the same bytes.
 */
import { deref } from '../schema/refs.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Column, HandlerName, IndexedService, Method, Operation, ProviderIndex, ResourceDef, SqlType, Tagging } from './types.js';
import { IDENTIFIER_COLUMN, PATCH_DOCUMENT_PARAM, REGION_COLUMN, legacySnakeCase, pluralize, snakeCase, splitTypeName, stackqlColumnNames, stackqlResourceNames } from './naming.js';

type Json = Record<string, unknown>;

export const PROVIDER_VERSION = '1';
const HANDLERS: HandlerName[] = ['create', 'read', 'update', 'delete', 'list'];

/**
 * Column names a property cannot have because a pseudo-column owns them: `region`,
 * `data__identifier` and its alias `identifier` (the Cloud Control identifier, as StackQL reads
 * `Identifier`). Such a property's column is `property_<name>`; INSERT and UPDATE still take
 * the property's own name (`Identifier`, `Region`).
 */
const RESERVED_COLUMNS = new Set([REGION_COLUMN, IDENTIFIER_COLUMN.toLowerCase(), 'identifier']);

export interface GeneratedFiles {
  /** relative path (from the providers/ folder) → file text */
  files: Map<string, string>;
  /** Generated (Cloud Control) resources and services; native files are counted by the caller. */
  resourceCount: number;
  serviceCount: number;
}

export function readSchemas(dir: string): Json[] {
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return names.map((f) => {
    const text = readFileSync(join(dir, f), 'utf8');
    try {
      return JSON.parse(text) as Json;
    } catch (e) {
      throw new Error(`${join(dir, f)}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
  });
}

/** A hand-written file of native-API resources (providers/aws/native/<service>.yaml), as the index lists it. */
export interface NativeServiceFile {
  /** Relative to the provider folder: `native/ivs.yaml`. */
  file: string;
  service: string;
  title: string;
  resourceCount: number;
}

/** The native files in `dir` (the provider's `native/` folder), by file name; none when it does not exist. */
export function readNativeServices(dir: string): NativeServiceFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const data = parse(readFileSync(join(dir, f), 'utf8')) as { service?: unknown; title?: unknown; resources?: unknown };
      if (typeof data?.service !== 'string' || typeof data.title !== 'string' || typeof data.resources !== 'object' || data.resources === null) {
        throw new Error(`${join(dir, f)}: a native service file needs service, title and resources`);
      }
      return { file: `native/${f}`, service: data.service, title: data.title, resourceCount: Object.keys(data.resources).length };
    });
}

/**
 * The provider's files from the registry schemas. `native` lists the hand-written native files,
 * which are not generated but kept: the index names them beside the generated file of their service
 * (or alone, for a service Cloud Control has no types of).
 */
export function generateProvider(schemas: Json[], native: readonly NativeServiceFile[] = []): GeneratedFiles {
  const byService = new Map<string, { title: string; schemas: Json[] }>();
  for (const s of schemas) {
    const typeName = String(s.typeName);
    const { provider, service, serviceTitle } = splitTypeName(typeName);
    if (provider !== 'aws') continue;
    let entry = byService.get(service);
    if (!entry) {
      entry = { title: serviceTitle, schemas: [] };
      byService.set(service, entry);
    }
    entry.schemas.push(s);
  }

  const files = new Map<string, string>();
  const index: ProviderIndex = {
    name: 'aws',
    // StackQL names this provider awscc: its users' statements run unchanged.
    aliases: ['awscc'],
    description: native.length > 0 ? 'Amazon Web Services resources served by the AWS Cloud Control API, and a few by their services\' own APIs' : 'Amazon Web Services resources served by the AWS Cloud Control API',
    version: PROVIDER_VERSION,
    services: [],
  };
  let resourceCount = 0;
  for (const service of [...byService.keys()].sort()) {
    const entry = byService.get(service)!;
    entry.schemas.sort((a, b) => String(a.typeName).localeCompare(String(b.typeName)));
    const typeNames = entry.schemas.map((s) => String(s.typeName));
    const names = resourceNames(typeNames);
    const aliases = resourceAliases(typeNames, names);
    const resources = entry.schemas.map((s) => buildResource(s, service, names.get(String(s.typeName))!, aliases.get(String(s.typeName)) ?? []));
    resourceCount += resources.length;
    const file = `services/${service}.yaml`;
    const indexed: IndexedService = {
      name: service,
      title: entry.title,
      file,
      resourceCount: resources.length,
    };
    index.services.push(indexed);
    files.set(`aws/${file}`, header(`${service} service (${resources.length} resources)`) + toYaml({ service, title: entry.title, resources: Object.fromEntries(resources.map((r) => [r.name, resourceToYaml(r)])) }));
  }
  const serviceCount = index.services.length;
  for (const n of native) {
    const entry = index.services.find((s) => s.name === n.service);
    if (entry) {
      entry.native = n.file;
      entry.resourceCount += n.resourceCount;
    } else index.services.push({ name: n.service, title: n.title, native: n.file, resourceCount: n.resourceCount });
  }
  index.services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  files.set('aws/provider.yaml', header('provider index') + toYaml(index));
  return { files, resourceCount, serviceCount };
}

function header(what: string): string {
  return `# Generated by \`npm run generate:providers\` from the CloudFormation registry schemas: ${what}.\n# Do not edit by hand; change scripts/generate-providers.ts or src/catalog/generate.ts instead.\n`;
}

function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}

/**
 * snake_case plurals of the last type-name segment, unique within the service. On a clash
 * (e.g. `Setting` and `Settings` both → `settings`) the type whose own name is not already the
 * plural keeps it and the other gets its singular snake name. `snake` is the snake_case rule
 * (the legacy one gives the names ccql used before, which become aliases).
 */
export function resourceNames(typeNames: string[], snake: (name: string) => string = snakeCase): Map<string, string> {
  const wanted = new Map<string, string[]>();
  for (const t of typeNames) {
    const plural = pluralize(snake(splitTypeName(t).last));
    wanted.set(plural, [...(wanted.get(plural) ?? []), t]);
  }
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const [plural, types] of wanted) {
    if (types.length === 1) {
      out.set(types[0]!, plural);
      taken.add(plural);
    }
  }
  for (const [plural, types] of wanted) {
    if (types.length === 1) continue;
    const sorted = [...types].sort((a, b) => {
      const sa = snake(splitTypeName(a).last) === plural ? 1 : 0;
      const sb = snake(splitTypeName(b).last) === plural ? 1 : 0;
      return sa - sb || a.localeCompare(b);
    });
    sorted.forEach((t, i) => {
      let name = i === 0 ? plural : snake(splitTypeName(t).last);
      let n = 2;
      while (taken.has(name)) name = `${plural}_${n++}`;
      taken.add(name);
      out.set(t, name);
    });
  }
  return out;
}

/**
 * Other names each type's table answers to: the name ccql gave it before (legacy snake_case)
 * and StackQL's (`graph_ql_apis` and `graphql_apis`… for `AWS::AppSync::GraphQLApi`, whose
 * name is `graphql_apis`). A name that is another table's, or that two types would share, is
 * nobody's alias.
 */
export function resourceAliases(typeNames: string[], names: ReadonlyMap<string, string>): Map<string, string[]> {
  const legacy = resourceNames(typeNames, legacySnakeCase);
  return uniqueAliases(typeNames, names, (t) => [legacy.get(t)!, ...stackqlResourceNames(t)]);
}

/**
 * For each key, the candidates that are neither its name nor any key's name and that no other
 * key wants too, in candidate order without repeats. Names compare ignoring case.
 */
function uniqueAliases<K>(keys: readonly K[], names: ReadonlyMap<K, string>, candidates: (key: K) => string[], reserved: ReadonlySet<string> = new Set()): Map<K, string[]> {
  const taken = new Set([...names.values()].map((n) => n.toLowerCase()));
  const wanted = new Map<string, Set<K>>();
  const per = new Map<K, string[]>();
  for (const k of keys) {
    const own = names.get(k)!.toLowerCase();
    const list = [...new Set(candidates(k).map((c) => c.toLowerCase()))].filter((c) => c !== own && !taken.has(c) && !reserved.has(c));
    per.set(k, list);
    for (const c of list) wanted.set(c, (wanted.get(c) ?? new Set()).add(k));
  }
  return new Map([...per].map(([k, list]) => [k, list.filter((c) => wanted.get(c)!.size === 1)]));
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** `/properties/Arn` → `Arn` (only for top-level pointers). */
function topProperty(pointer: string): string {
  const parts = pointer.split('/');
  return parts[1] === 'properties' ? (parts[2] ?? '') : '';
}

export function sqlTypeOf(schema: Json, prop: Json): SqlType {
  const node = deref(prop, schema) as Json;
  const t = node.type;
  if (Array.isArray(t)) {
    const nonNull = t.filter((x) => x !== 'null');
    if (nonNull.length === 1) return sqlTypeOf(schema, { ...node, type: nonNull[0] });
    return 'jsonb';
  }
  switch (t) {
    case 'string':
      return node.format === 'date-time' ? 'timestamptz' : 'text';
    case 'integer':
      return 'bigint';
    case 'number':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    default:
      return 'jsonb';
  }
}

function describe(schema: Json, prop: Json): string {
  const node = deref(prop, schema) as Json;
  const d = (prop.description ?? node.description ?? '') as string;
  return String(d).replace(/\s+/g, ' ').trim();
}

/**
 * Column names for properties in schema order: `rule(property)`, `property_<name>` where a
 * pseudo-column owns the name, a numeric suffix where two properties would share one.
 */
function propertyColumnNames(properties: string[], rule: (name: string) => string): Map<string, string> {
  const used = new Set([REGION_COLUMN, IDENTIFIER_COLUMN.toLowerCase()]);
  const out = new Map<string, string>();
  for (const property of properties) {
    let name = rule(property);
    if (RESERVED_COLUMNS.has(name)) name = `property_${name}`;
    let n = 2;
    const base = name;
    while (used.has(name)) name = `${base}_${n++}`;
    used.add(name);
    out.set(property, name);
  }
  return out;
}

function buildColumns(schema: Json, readOnly: string[], createOnly: string[], writeOnly: string[], required: string[]): Column[] {
  const props = (schema.properties ?? {}) as Json;
  const columns: Column[] = [
    { name: REGION_COLUMN, type: 'text', description: 'AWS region.' },
    { name: IDENTIFIER_COLUMN, type: 'text', description: 'The Cloud Control identifier: the primary identifier values joined with `|`.' },
  ];
  const properties = Object.keys(props);
  const names = propertyColumnNames(properties, snakeCase);
  const legacy = propertyColumnNames(properties, legacySnakeCase);
  // Other names a column answers to: ccql's earlier spelling, StackQL's. Never a pseudo-column's
  // (StackQL's `region` for a property Region stays the region), another column's, or one two
  // columns would share.
  const aliases = uniqueAliases(properties, names, (p) => [legacy.get(p)!, ...stackqlColumnNames(p)], RESERVED_COLUMNS);
  for (const property of properties) {
    const pointer = `/properties/${property}`;
    const alias = aliases.get(property) ?? [];
    const col: Column = {
      name: names.get(property)!,
      ...(alias.length > 0 ? { aliases: alias } : {}),
      property,
      type: sqlTypeOf(schema, props[property] as Json),
      description: describe(schema, props[property] as Json),
    };
    if (readOnly.includes(pointer)) col.readOnly = true;
    if (createOnly.includes(pointer)) col.createOnly = true;
    if (writeOnly.includes(pointer)) col.writeOnly = true;
    if (required.includes(property)) col.required = true;
    columns.push(col);
  }
  return columns;
}

function buildResource(schema: Json, service: string, name: string, aliases: string[]): ResourceDef {
  const typeName = String(schema.typeName);
  // A few registry schemas list pointers to properties they no longer define
  // (AWS::EC2::Instance's LicenseSpecification): those describe nothing and are dropped.
  const props = new Set(Object.keys((schema.properties ?? {}) as Json));
  const existing = (pointers: string[]) => pointers.filter((p) => props.has(topProperty(p)));
  const readOnly = existing(strings(schema.readOnlyProperties));
  const createOnly = existing(strings(schema.createOnlyProperties));
  const writeOnly = existing(strings(schema.writeOnlyProperties).filter((p) => !strings(schema.readOnlyProperties).includes(p)));
  const required = strings(schema.required).filter((p) => props.has(p));
  const handlers = (schema.handlers ?? {}) as Json;
  const operations: Partial<Record<HandlerName, Operation>> = {};
  let listParents: string[] = [];
  for (const h of HANDLERS) {
    const def = handlers[h] as Json | undefined;
    if (!def) continue;
    const op: Operation = { permissions: strings(def.permissions) };
    if (typeof def.timeoutInMinutes === 'number') op.timeoutInMinutes = def.timeoutInMinutes;
    if (h === 'list') {
      const hs = def.handlerSchema as Json | undefined;
      const req = strings(hs?.required).filter((p) => props.has(p));
      if (req.length > 0) {
        op.requiredParents = req;
        listParents = req;
      }
    }
    operations[h] = op;
  }
  const columns = buildColumns(schema, readOnly, createOnly, writeOnly, required);
  const columnOf = (property: string) => columns.find((c) => c.property === property)?.name ?? snakeCase(property);
  const methods: Method[] = [];
  if (operations.create) {
    methods.push({ name: 'create_resource', verb: 'INSERT', requiredParams: [...required, REGION_COLUMN], call: { api: 'cloudcontrol', operation: 'CreateResource' } });
  }
  if (operations.delete) {
    methods.push({ name: 'delete_resource', verb: 'DELETE', requiredParams: [IDENTIFIER_COLUMN, REGION_COLUMN], call: { api: 'cloudcontrol', operation: 'DeleteResource' } });
  }
  if (operations.update) {
    methods.push({ name: 'update_resource', verb: 'UPDATE', requiredParams: [IDENTIFIER_COLUMN, PATCH_DOCUMENT_PARAM, REGION_COLUMN], call: { api: 'cloudcontrol', operation: 'UpdateResource' } });
  }
  if (operations.list) {
    methods.push({ name: 'list_resources', verb: 'SELECT', requiredParams: [...listParents.map(columnOf), REGION_COLUMN], call: { api: 'cloudcontrol', operation: 'ListResources' } });
  }
  if (operations.read) {
    methods.push({ name: 'get_resource', verb: 'SELECT', requiredParams: [IDENTIFIER_COLUMN, REGION_COLUMN], call: { api: 'cloudcontrol', operation: 'GetResource' } });
  }
  const tagging = buildTagging(schema);
  const def: ResourceDef = {
    name,
    typeName,
    sqlName: `aws.${service}.${name}`,
    ...(aliases.length > 0 ? { aliases } : {}),
    description: String(schema.description ?? '').replace(/\s+/g, ' ').trim(),
    primaryIdentifier: strings(schema.primaryIdentifier).map(topProperty),
    additionalIdentifiers: Array.isArray(schema.additionalIdentifiers) ? (schema.additionalIdentifiers as unknown[]).map((ids) => strings(ids).map(topProperty)) : [],
    readOnlyProperties: readOnly,
    createOnlyProperties: createOnly,
    writeOnlyProperties: writeOnly,
    required,
    listParents,
    operations,
    columns,
    methods,
    schema: schemaForValidation(schema),
  };
  if (tagging) def.tagging = tagging;
  return def;
}

function buildTagging(schema: Json): Tagging | undefined {
  const t = schema.tagging as Json | undefined;
  if (!t && schema.taggable === undefined) return undefined;
  const out: Tagging = { taggable: Boolean(t?.taggable ?? schema.taggable ?? false) };
  if (t) {
    if (typeof t.tagOnCreate === 'boolean') out.tagOnCreate = t.tagOnCreate;
    if (typeof t.tagUpdatable === 'boolean') out.tagUpdatable = t.tagUpdatable;
    if (typeof t.cloudFormationSystemTags === 'boolean') out.cloudFormationSystemTags = t.cloudFormationSystemTags;
    if (typeof t.tagProperty === 'string') out.tagProperty = t.tagProperty;
    if (Array.isArray(t.permissions)) out.permissions = strings(t.permissions);
  }
  return out;
}

/** The parts of the registry schema that describe the model (what the emulator validates). */
function schemaForValidation(schema: Json): Json {
  const keep = ['properties', 'definitions', 'required', 'additionalProperties', 'oneOf', 'anyOf', 'allOf', 'dependencies'];
  const out: Json = {};
  for (const k of keep) if (schema[k] !== undefined) out[k] = schema[k];
  return out;
}

/** The YAML shape of a resource: the ResourceDef minus the fields the file's keys already carry. */
function resourceToYaml(r: ResourceDef): Json {
  const { name: _name, ...rest } = r;
  return rest as Json;
}
