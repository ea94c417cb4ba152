/**
 * Loads provider definitions lazily: the provider index on first use, a service file only when a
 * statement names that service. Every file is validated (shape against format-schema.ts, then
 * the cross-references a schema cannot express) and every problem is reported with its path.
 *
 * Parsed, validated files are cached as JSON under $CCQL_HOME/cache/providers, keyed by a hash
 * of the YAML text, because YAML parsing dominates start-up (ivs.yaml: ~90 ms to parse, ~1 ms
 * to JSON.parse). A changed file has a new hash, so the cache can never serve stale content.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CcqlError, suggest } from '../errors.js';
import { ccqlHome } from '../home.js';
import { writeFileAtomic } from '../fs-atomic.js';
import type { ProviderIndex, ResourceDef, ServiceDef } from './types.js';
import { providerIndexSchema, serviceFileSchema } from './format-schema.js';
import { checkServiceSemantics } from './semantics.js';
import { listedProperties } from './listing.js';
import { splitTypeName } from './naming.js';
import { checkNativeClients } from './native-clients.js';
import { isNativeResource, nativeGetMethod, nativeListedProperties } from './native-semantics.js';

const require = createRequire(import.meta.url);
const CACHE_FORMAT = 'v2';
/**
 * Aliases make a YAML file a graph: 30 lines of nested `*a` references expand to billions of
 * nodes once validated or cached. Provider files have no need for more than a handful.
 */
export const MAX_YAML_ALIASES = 100;

/** The providers/ folder shipped with ccql (two levels up from src/catalog or dist/catalog). */
export function defaultProvidersDir(): string {
  const fromEnv = process.env.CCQL_PROVIDERS_DIR;
  if (fromEnv) return fromEnv;
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'providers');
}

export interface CatalogOptions {
  dir?: string;
  /** Cache parsed files as JSON (default true; tests of the loader turn it off). */
  cache?: boolean;
  cacheDir?: string;
}

type ServiceFile = { service: string; title: string; resources: Record<string, Omit<ResourceDef, 'name'>> };

export class Catalog {
  readonly dir: string;
  private readonly useCache: boolean;
  private readonly cacheDir: string;
  private readonly indexes = new Map<string, ProviderIndex>();
  private readonly services = new Map<string, ServiceDef>();

  constructor(options: CatalogOptions = {}) {
    this.dir = options.dir ?? defaultProvidersDir();
    this.useCache = options.cache ?? true;
    this.cacheDir = options.cacheDir ?? join(ccqlHome(), 'cache', 'providers');
  }

  /** Names of the providers installed (folders holding a provider.yaml). */
  providerNames(): string[] {
    if (!existsSync(this.dir)) {
      throw new CcqlError('provider_file', `provider folder ${this.dir} does not exist`, {
        hint: 'set CCQL_PROVIDERS_DIR to a folder of provider definitions, or reinstall ccql',
      });
    }
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(this.dir, d.name, 'provider.yaml')))
      .map((d) => d.name)
      .sort();
  }

  /** Every name a provider answers to: its own and its aliases (`aws`, `awscc`). */
  knownProviderNames(): string[] {
    return this.providerNames().flatMap((n) => [n, ...(this.provider(n).aliases ?? [])]);
  }

  /** A provider's index, by its name or an alias (`awscc` is `aws`). */
  provider(name: string): ProviderIndex {
    const key = name.toLowerCase();
    const cached = this.indexes.get(key);
    if (cached) return cached;
    const names = this.providerNames();
    if (!names.includes(key)) {
      for (const n of names) {
        const index = this.provider(n);
        if (index.aliases?.includes(key)) {
          this.indexes.set(key, index);
          return index;
        }
      }
      const s = suggest(name, this.knownProviderNames());
      throw new CcqlError('unknown_name', `unknown provider '${name}'`, {
        hint: s ? `did you mean '${s}'?` : `installed providers: ${names.join(', ') || '(none)'}`,
      });
    }
    const file = join(this.dir, key, 'provider.yaml');
    const index = this.loadFile<ProviderIndex>(file, 'index', (data) => {
      const problems = this.validateShape('index', data);
      return problems;
    });
    this.indexes.set(key, index);
    return index;
  }

  /** A service with all its resources; parses that one service file only. */
  service(providerName: string, serviceName: string): ServiceDef {
    const index = this.provider(providerName);
    const key = `${index.name}.${serviceName.toLowerCase()}`;
    const cached = this.services.get(key);
    if (cached) return cached;
    const entry = index.services.find((s) => s.name === serviceName.toLowerCase());
    if (!entry) {
      const elsewhere = notServed(index.name, serviceName.toLowerCase());
      if (elsewhere) throw elsewhere;
      const s = suggest(serviceName, index.services.map((x) => x.name));
      throw new CcqlError('unknown_name', `unknown service '${index.name}.${serviceName}'`, {
        hint: s ? `did you mean '${index.name}.${s}'?` : `SHOW SERVICES IN ${index.name} lists them`,
      });
    }
    const resources: ResourceDef[] = [];
    if (entry.file !== undefined) {
      const data = this.serviceFile(index.name, entry.name, entry.file, 'service', (d) => checkServiceSemantics(d, index.name));
      resources.push(...Object.entries(data.resources).map(([name, r]) => withDefaults(name, r)));
    }
    if (entry.native !== undefined) {
      const generated = new Map(resources.flatMap((r) => [r.name, ...(r.aliases ?? [])].map((n) => [n, r.name] as const)));
      const data = this.serviceFile(index.name, entry.name, entry.native, 'native service', (d) => [
        ...checkServiceSemantics(d, index.name),
        ...nativeOnly(d),
        ...checkNativeClients(d.resources),
      ]);
      // Checked on every load, not only before caching: a regenerated service file may bring the name.
      const clashes = nameClashes(data, generated);
      if (clashes.length > 0) {
        const file = this.rel(join(this.dir, index.name, entry.native));
        throw new CcqlError('provider_file', `${file} is not a valid provider native service file (${clashes.length} problem${clashes.length === 1 ? '' : 's'})`, {
          location: { file },
          details: clashes,
          hint: 'rename the native table: a generated table of the service has that name',
        });
      }
      resources.push(...Object.entries(data.resources).map(([name, r]) => withDefaults(name, r)));
    }
    const def: ServiceDef = { name: entry.name, title: entry.title, resources };
    this.services.set(key, def);
    return def;
  }

  /** One file of a service: validated (shape, then `semantics`), and checked to be the service the index says. */
  private serviceFile(provider: string, service: string, rel: string, kind: string, semantics: (d: ServiceFile) => string[]): ServiceFile {
    const file = join(this.dir, provider, rel);
    const data = this.loadFile<ServiceFile>(file, kind, (d) => {
      const problems = this.validateShape('service', d);
      if (problems.length > 0) return problems;
      return semantics(d as ServiceFile);
    });
    if (data.service !== service) {
      throw new CcqlError('provider_file', `${this.rel(file)}: declares service '${data.service}' but the index lists it as '${service}'`, {
        location: { file: this.rel(file), path: 'service' },
      });
    }
    return data;
  }

  /**
   * Resolves `aws.ivs.stages` (case-insensitive) by the resource's name or one of its aliases
   * (`graph_ql_apis` is `graphql_apis`), or throws with a "did you mean".
   */
  resource(providerName: string, serviceName: string, resourceName: string): ResourceDef {
    const service = this.service(providerName, serviceName);
    const wanted = resourceName.toLowerCase();
    const named = (n: string) => service.resources.find((r) => r.name === n) ?? service.resources.find((r) => r.aliases?.includes(n));
    const found = named(wanted);
    if (found) return found;
    const base = wanted.endsWith(LIST_ONLY) ? named(wanted.slice(0, -LIST_ONLY.length)) : undefined;
    if (base && base.operations.list !== undefined) return listOnlyView(base);
    const prefix = `${providerName.toLowerCase()}.${service.name}`;
    if (wanted.startsWith('vw_')) {
      throw new CcqlError('unknown_name', `ccql has no view ${prefix}.${resourceName}: StackQL's vw_ views are not served`, {
        sqlstate: '42P01',
        hint: `query the table itself (SHOW RESOURCES IN ${prefix}); its jsonb columns hold the nested values, e.g. tags->0->>'Key'`,
      });
    }
    // An alias that comes closest suggests the resource's own name.
    const byName = new Map(service.resources.flatMap((r) => [r.name, ...(r.aliases ?? [])].map((n) => [n, r.name] as const)));
    const close = suggest(resourceName, [...byName.keys()]);
    const s = close === undefined ? undefined : byName.get(close);
    throw new CcqlError('unknown_name', `unknown resource '${prefix}.${resourceName}'`, {
      sqlstate: '42P01',
      hint: s ? `did you mean '${prefix}.${s}'?` : `SHOW RESOURCES IN ${prefix} lists them`,
    });
  }

  /** Resolves a dotted name `aws.ivs.stages`. */
  resolve(dotted: string): ResourceDef {
    const parts = dotted.split('.');
    if (parts.length !== 3 || parts.some((p) => p === '')) {
      throw new CcqlError('unknown_name', `'${dotted}' is not a resource name`, {
        hint: 'resources are named provider.service.resource, e.g. aws.ivs.stages',
      });
    }
    const [p, s, r] = parts as [string, string, string];
    return this.resource(p, s, r);
  }

  /** The resource for a CloudFormation type name, e.g. `AWS::IVS::Stage`, or undefined. */
  resourceByType(typeName: string): ResourceDef | undefined {
    let parts;
    try {
      parts = splitTypeName(typeName);
    } catch {
      return undefined;
    }
    let index: ProviderIndex;
    try {
      index = this.provider(parts.provider);
    } catch {
      return undefined;
    }
    if (!index.services.some((s) => s.name === parts.service)) return undefined;
    // Native tables name the type they stand for, but Cloud Control serves only the generated one.
    return this.service(parts.provider, parts.service).resources.find((r) => r.typeName === typeName && !isNativeResource(r));
  }

  private rel(file: string): string {
    const r = relative(process.cwd(), file);
    return r.startsWith('..') ? file : r;
  }

  private loadFile<T>(file: string, kind: string, validate: (data: unknown) => string[]): T {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CcqlError('provider_file', `cannot read ${kind} file ${this.rel(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
        location: { file: this.rel(file) },
      });
    }
    const hash = createHash('sha1').update(CACHE_FORMAT).update(text).digest('hex');
    const cachePath = join(this.cacheDir, `${hash}.json`);
    if (this.useCache) {
      const entry = readCacheEntry(cachePath, hash, kind);
      if (entry !== undefined) return entry as T;
    }
    const data = parseYaml(text, this.rel(file));
    const problems = validate(data);
    if (problems.length > 0) {
      const lines = locateProblems(text, problems);
      throw new CcqlError('provider_file', `${this.rel(file)} is not a valid provider ${kind} file (${problems.length} problem${problems.length === 1 ? '' : 's'})`, {
        location: { file: this.rel(file) },
        details: lines,
        hint: 'docs/provider-format.md describes the format',
      });
    }
    if (this.useCache) {
      try {
        const entry: CacheEntry = { hash, kind, data };
        writeFileAtomic(cachePath, JSON.stringify(entry));
      } catch {
        // the cache is an optimisation; a read-only home must not break ccql
      }
    }
    return data as T;
  }

  private validateShape(kind: 'index' | 'service', data: unknown): string[] {
    const validator = kind === 'index' ? validators().index : validators().service;
    if (validator(data)) return [];
    return (validator.errors ?? []).map((e) => {
      const path = pointerToPath(e.instancePath);
      let msg = e.message ?? 'is invalid';
      if (e.keyword === 'additionalProperties') msg = `unknown key '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`;
      if (e.keyword === 'enum') msg = `must be one of ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
      return `${path || '(top level)'}: ${msg}`;
    });
  }
}

const LIST_ONLY = '_list_only';
const listOnlyViews = new WeakMap<ResourceDef, ResourceDef>();

/**
 * `<resource>_list_only`, as StackQL names it: the list handler's rows and only the columns a
 * list returns, never a GetResource per row, and nothing to change.
 */
export function listOnlyView(base: ResourceDef): ResourceDef {
  let view = listOnlyViews.get(base);
  if (view) return view;
  const listed = new Set(isNativeResource(base) ? nativeListedProperties(base) : listedProperties(base));
  view = {
    ...base,
    name: `${base.name}${LIST_ONLY}`,
    sqlName: `${base.sqlName}${LIST_ONLY}`,
    listOnly: true,
    description: `The ${base.sqlName} rows as ListResources returns them (no GetResource per row): ${base.description}`,
    columns: base.columns.filter((c) => c.property === undefined || listed.has(c.property)),
    methods: base.methods.filter((m) => m.verb === 'SELECT' && (m.call.api === 'cloudcontrol' ? m.call.operation === 'ListResources' : !nativeGetMethod(base, m))),
    operations: { list: base.operations.list! },
  };
  listOnlyViews.set(base, view);
  return view;
}

/** Names StackQL users know that ccql does not serve, with what to use instead. */
function notServed(provider: string, service: string): CcqlError | undefined {
  const answers: Record<string, { what: string; hint: string }> = {
    cloud_control: {
      what: `${provider}.cloud_control (StackQL's resources and resource_requests tables) is not served`,
      hint: `every type is a table of its own: SELECT … FROM ${provider}.<service>.<resource>; a request's progress comes back in RETURNING (OperationStatus, RequestToken…)`,
    },
    tagging: {
      what: `${provider}.tagging (the Resource Groups Tagging API) is not a Cloud Control service`,
      hint: `each taggable table has a tags column: SELECT arn, tags FROM ${provider}.<service>.<resource> WHERE region = '…'`,
    },
  };
  const a = answers[service];
  return a ? new CcqlError('unknown_name', a.what, { sqlstate: '3F000', hint: a.hint }) : undefined;
}

/** A hand-written native file holds resources served by native methods only. */
function nativeOnly(file: ServiceFile): string[] {
  return Object.entries(file.resources)
    .filter(([, r]) => !isNativeResource(r))
    .map(([name]) => `resources.${name}.methods: a native file holds resources served by native methods only`);
}

/** Native tables named like a generated table of the service (its name or an alias). */
function nameClashes(file: ServiceFile, generated: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [name, r] of Object.entries(file.resources)) {
    for (const n of [name, ...(r.aliases ?? [])]) {
      const owner = generated.get(n);
      if (owner) problems.push(`resources.${name}${n === name ? '' : '.aliases'}: '${n}' is already the generated table aws.${file.service}.${owner}${owner === n ? '' : ' (an alias of it)'}`);
    }
  }
  return problems;
}

function withDefaults(name: string, r: Omit<ResourceDef, 'name'>): ResourceDef {
  return {
    name,
    ...r,
    additionalIdentifiers: r.additionalIdentifiers ?? [],
    readOnlyProperties: r.readOnlyProperties ?? [],
    createOnlyProperties: r.createOnlyProperties ?? [],
    writeOnlyProperties: r.writeOnlyProperties ?? [],
    required: r.required ?? [],
    listParents: r.listParents ?? [],
  };
}

/**
 * A cache file is only trusted when it names the YAML text it was made from and holds the shape
 * of its kind; anything else (truncated, written by another version, edited by hand) is a miss and
 * is rebuilt from the YAML, never handed to the planner.
 */
interface CacheEntry {
  hash: string;
  kind: string;
  data: unknown;
}

function readCacheEntry(path: string, hash: string, kind: string): unknown {
  let entry: unknown;
  try {
    entry = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isObject(entry) || entry.hash !== hash || entry.kind !== kind || !isObject(entry.data)) return undefined;
  const data = entry.data;
  if (kind === 'index') return typeof data.name === 'string' && Array.isArray(data.services) ? data : undefined;
  if (typeof data.service !== 'string' || !isObject(data.resources)) return undefined;
  return Object.values(data.resources).every((r) => isObject(r) && typeof r.typeName === 'string') ? data : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type ValidateFn = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string; keyword: string; params: unknown }> | null };
let compiled: { index: ValidateFn; service: ValidateFn } | undefined;

/** Compiled once, and only when a file is not in the cache (ajv costs ~50 ms to load). */
function validators(): { index: ValidateFn; service: ValidateFn } {
  if (!compiled) {
    const { Ajv } = require('ajv') as typeof import('ajv');
    const ajv = new Ajv({ allErrors: true, strict: false });
    compiled = { index: ajv.compile(providerIndexSchema) as ValidateFn, service: ajv.compile(serviceFileSchema) as ValidateFn };
  }
  return compiled;
}

/**
 * js-yaml parses the provider files about ten times faster than `yaml` (all 273 services: ~0.5 s
 * against ~6.5 s); `yaml` is still used to point problems at their line (see locateProblems).
 */
function parseYaml(text: string, file: string): unknown {
  const jsYaml = require('js-yaml') as typeof import('js-yaml');
  try {
    return jsYaml.load(text, { filename: file, schema: jsYaml.CORE_SCHEMA, maxAliases: MAX_YAML_ALIASES });
  } catch (e) {
    const err = e as import('js-yaml').YAMLException;
    const line = err.mark ? err.mark.line + 1 : undefined;
    const column = err.mark ? err.mark.column + 1 : undefined;
    const reason = err.reason ?? err.message.split('\n')[0] ?? 'parse error';
    throw new CcqlError('provider_file', `${file} is not valid YAML`, {
      location: { file, ...(line === undefined ? {} : { line }), ...(column === undefined ? {} : { column }) },
      details: [`${file}${line === undefined ? '' : `:${line}:${column}`}: ${reason}`],
    });
  }
}

/** `/resources/stages/columns/2/type` → `resources.stages.columns[2].type` */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** Adds `line N:` to each "path: message" problem, by finding the path's node in the YAML. */
function locateProblems(text: string, problems: string[]): string[] {
  const { parseDocument, LineCounter, isNode } = require('yaml') as typeof import('yaml');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return problems.map((p) => {
    const path = p.slice(0, p.indexOf(': '));
    const keys = path
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .filter((k) => k !== '' && k !== '(top level)')
      .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    for (let n = keys.length; n >= 0; n--) {
      const node = doc.getIn(keys.slice(0, n), true);
      if (isNode(node) && node.range) {
        return `line ${lineCounter.linePos(node.range[0]).line}: ${p}`;
      }
    }
    return p;
  });
}
