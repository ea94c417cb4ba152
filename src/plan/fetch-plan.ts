/**
 * Which API calls bring the rows of each provider table a statement reads. The method is chosen
 * from the resource's own `methods` (providers/*.yaml) by the parameters the statement supplies,
 * as steampipe's key columns choose get or list: `get_resource` when the identifier (or every
 * part of the primary identifier) is pinned, else `list_resources` when its required parameters
 * (region, list parents) are given, followed by a GetResource per listed resource only when the
 * statement uses columns the list does not return.
 *
 * Pure: no I/O. Values that come from another table's rows (`ON k.channel_arn = c.arn`) are
 * described here and resolved by exec/ once that table has been fetched.
 */
import { regionNameProblem } from '../catalog/naming.js';
import { nativeGetMethod } from '../catalog/native-semantics.js';
import type { Method, ResourceDef } from '../catalog/types.js';
import { at, CcqlError } from '../errors.js';
import type { Constraint, TableRefNode } from '../sql/ir.js';
import {
  IDENTIFIER,
  IDENTIFIER_ALIAS,
  REGION,
  identifierAliasFree,
  listColumns,
  listParentColumns,
  primaryIdentifierColumns,
  tableColumns,
} from './columns.js';
import { inputParams, isNativeResource, nativeCallOf } from './native.js';

/** Where a parameter's values come from. */
export type ValueSource = { readonly kind: 'const'; readonly values: readonly string[] } | { readonly kind: 'column'; readonly ref: number; readonly column: string };

export type RegionSource =
  | { readonly kind: 'const'; readonly values: readonly string[]; readonly origin: 'statement' | 'default' | 'arn' }
  | { readonly kind: 'column'; readonly ref: number; readonly column: string };

export type FetchMethod =
  /** GetResource per identifier; the identifier is the parts joined with `|`. */
  | { readonly kind: 'get'; readonly identifierParts: readonly ValueSource[] }
  /** ListResources per combination of list-parent values (property name → source). */
  | { readonly kind: 'list'; readonly parents: ReadonlyArray<{ readonly property: string; readonly column: string; readonly source: ValueSource }> }
  /** The constraints contradict each other (`region = 'a' AND region = 'b'`): no rows, no calls. */
  | { readonly kind: 'none' };

export interface FetchPlan {
  readonly ref: TableRefNode;
  readonly resource: ResourceDef;
  /** The provider method that reads the rows (`list_resources`, `get_resource`). */
  readonly providerMethod: Method | undefined;
  /** The engine table holding the rows. */
  readonly table: string;
  readonly region: RegionSource;
  readonly method: FetchMethod;
  /** GetResource for each listed resource, because the statement uses columns the list lacks. */
  readonly hydrate: boolean;
  /** Hydration would be needed but the type has no read handler: those columns stay NULL. */
  readonly unreadable: boolean;
  /** Other references whose rows must be fetched first. */
  readonly dependsOn: readonly number[];
  /** The engine table also needs an `identifier` column (the statement writes `Identifier`). */
  readonly identifierAlias: boolean;
  /** A native table's method that reads each listed resource when `hydrate` (its get method). */
  readonly hydrateMethod?: Method | undefined;
}

export interface FetchPlanOptions {
  defaultRegion: string | undefined;
  /** Where the default region came from, for messages ("--region", "AWS_REGION"…). */
  regionSource?: string | undefined;
  /** Names the engine table of a reference. */
  tableName: (ref: TableRefNode) => string;
}

/** Plans every reference, in an order where each plan's dependencies come first. */
export function planFetches(refs: readonly TableRefNode[], resources: ReadonlyMap<number, ResourceDef>, options: FetchPlanOptions): FetchPlan[] {
  const ordered: FetchPlan[] = [];
  const done = new Set<number>();
  let pending = [...refs];
  while (pending.length > 0) {
    const candidates: FetchPlan[] = [];
    let firstProblem: CcqlError | undefined;
    for (const ref of pending) {
      const attempt = planOne(ref, resources.get(ref.id)!, done, options);
      if (attempt instanceof CcqlError) firstProblem ??= at(attempt, ref.span.start);
      else candidates.push(attempt);
    }
    if (candidates.length === 0) throw firstProblem!;
    // A plan fed by an already-fetched table goes first: once per distinct value beats a full listing.
    const pick = candidates.find((c) => c.dependsOn.length > 0) ?? candidates[0]!;
    ordered.push(pick);
    done.add(pick.ref.id);
    pending = pending.filter((r) => r !== pick.ref);
  }
  return ordered;
}

interface Constraints {
  consts: Map<string, readonly string[] | 'contradiction'>;
  deps: Map<string, Array<{ ref: number; column: string }>>;
}

function collect(constraints: readonly Constraint[], aliasFree: boolean): Constraints {
  const consts = new Map<string, readonly string[] | 'contradiction'>();
  const deps = new Map<string, Array<{ ref: number; column: string }>>();
  for (const c of constraints) {
    const column = c.column === IDENTIFIER_ALIAS && aliasFree ? IDENTIFIER : c.column;
    if ('values' in c) {
      const prev = consts.get(column);
      const values = [...new Set(c.values)];
      const both = prev === undefined ? values : prev === 'contradiction' ? [] : prev.filter((v) => values.includes(v));
      consts.set(column, both.length === 0 ? 'contradiction' : both);
    } else {
      const list = deps.get(column) ?? [];
      list.push(c.from);
      deps.set(column, list);
    }
  }
  return { consts, deps };
}

function planOne(ref: TableRefNode, resource: ResourceDef, done: ReadonlySet<number>, options: FetchPlanOptions): FetchPlan | CcqlError {
  const { consts, deps } = collect(ref.constraints, identifierAliasFree(resource));
  const identifierAlias = ref.columns.has(IDENTIFIER_ALIAS) && identifierAliasFree(resource);
  const dependsOn = new Set<number>();
  const base = { ref, resource, identifierAlias, table: options.tableName(ref), unreadable: false };
  const selects = resource.methods.filter((m) => m.verb === 'SELECT');
  const getMethod = selects.find((m) => m.requiredParams.some((p) => p.toLowerCase() === IDENTIFIER));
  const listMethod = selects.find((m) => m !== getMethod);

  if ([...consts.values()].some((v) => v === 'contradiction')) {
    return { ...base, providerMethod: undefined, region: { kind: 'const', values: [], origin: 'statement' }, method: { kind: 'none' }, hydrate: false, dependsOn: [] };
  }

  /** A source for `column`: constants, or a column of a table fetched before this one. */
  const source = (column: string): ValueSource | undefined => {
    const c = consts.get(column);
    if (Array.isArray(c)) return { kind: 'const', values: c };
    const d = deps.get(column)?.find((x) => done.has(x.ref));
    if (d) {
      dependsOn.add(d.ref);
      return { kind: 'column', ref: d.ref, column: d.column };
    }
    return undefined;
  };

  if (isNativeResource(resource)) return planNative(ref, resource, base, consts, deps, done, source, dependsOn, options);

  let method: FetchMethod | undefined;
  let providerMethod: Method | undefined;
  if (getMethod) {
    method = getByIdentifier(resource, source);
    if (method) providerMethod = getMethod;
    else dependsOn.clear();
  }
  if (!method) {
    if (!listMethod) {
      return new CcqlError('not_supported', `${ref.name} (${resource.typeName}) cannot be listed: it has no list method (Cloud Control has no list handler for it)`, {
        hint: `select single resources with WHERE data__Identifier = '…' AND region = '…'`,
      });
    }
    const parents: Array<{ property: string; column: string; source: ValueSource }> = [];
    const missing: string[] = [];
    for (const c of listParentColumns(resource)) {
      const s = source(c.name);
      if (s) parents.push({ property: c.property!, column: c.name, source: s });
      else missing.push(c.name);
    }
    if (missing.length > 0) {
      const example = missing.map((m) => `${m} = '…'`).join(' AND ');
      return new CcqlError('invalid_input', `${ref.name} can only be listed with ${missing.join(', ')} given: add WHERE ${example}`, {
        hint: `or join it on another table's column, e.g. JOIN ${ref.name} x ON x.${missing[0]} = other.arn; or pin rows with data__Identifier = '…'`,
      });
    }
    method = { kind: 'list', parents };
    providerMethod = listMethod;
  }

  const region = regionOf(ref, consts, deps, done, dependsOn, options, method);
  if (region instanceof CcqlError) return region;

  const needed = ref.allColumns ? tableColumns(resource).map((c) => c.name) : [...ref.columns];
  const listed = listColumns(resource);
  const wanted = method.kind === 'list' && needed.some((c) => !listed.has(c));
  const readable = resource.operations.read !== undefined && getMethod !== undefined;
  return { ...base, providerMethod, region, method, hydrate: wanted && readable, unreadable: wanted && !readable, dependsOn: [...dependsOn] };
}

/** Where a table's region comes from: the statement, a table fetched before, or the default. */
function regionOf(
  ref: TableRefNode,
  consts: Constraints['consts'],
  deps: Constraints['deps'],
  done: ReadonlySet<number>,
  dependsOn: Set<number>,
  options: FetchPlanOptions,
  method?: FetchMethod,
): RegionSource | CcqlError {
  const r = consts.get(REGION);
  if (Array.isArray(r)) return checkedRegions(ref, r, 'statement');
  const rdep = deps.get(REGION)?.find((x) => done.has(x.ref));
  if (rdep) {
    dependsOn.add(rdep.ref);
    return { kind: 'column', ref: rdep.ref, column: rdep.column };
  }
  // Resources found through another table's values live in that table's region.
  if (dependsOn.size > 0) return { kind: 'column', ref: [...dependsOn][0]!, column: REGION };
  if (ref.opaqueRegionAt !== undefined) {
    // Querying the default region for `region LIKE 'us-%'` would look like an answer and be wrong.
    return at(
      new CcqlError('invalid_input', `cannot tell which regions to call for ${ref.name} from this condition on region`, {
        hint: `name the regions, e.g. region IN ('us-east-1', 'us-west-2') or region = 'a' OR region = 'b': ccql calls each region named`,
      }),
      ref.opaqueRegionAt,
    );
  }
  // `WHERE arn = 'arn:aws:ivs:us-west-2:…'`: the resource is in the ARN's region, not the default one.
  const fromArns = method?.kind === 'get' ? arnRegions(method) : undefined;
  if (fromArns) return checkedRegions(ref, fromArns, 'arn');
  if (options.defaultRegion) return checkedRegions(ref, [options.defaultRegion], 'default', options.regionSource);
  return new CcqlError('invalid_input', `${ref.name} needs a region: add WHERE region = '…' (or region IN (…))`, {
    hint: 'or set a default region with --region or AWS_REGION',
  });
}

/**
 * The regions of a get by identifier whose every identifier is a regional ARN
 * (`arn:partition:service:region:account:…`), or undefined.
 */
function arnRegions(method: Extract<FetchMethod, { kind: 'get' }>): string[] | undefined {
  const [only, ...more] = method.identifierParts;
  if (!only || more.length > 0 || only.kind !== 'const' || only.values.length === 0) return undefined;
  const regions = new Set<string>();
  for (const v of only.values) {
    const region = /^arn:[^:]+:[^:]+:([^:]+):/.exec(v)?.[1];
    if (region === undefined) return undefined;
    regions.add(region);
  }
  return [...regions];
}

/** The regions to call for `ref`, or why one of them is no region's name (before any call). */
function checkedRegions(ref: TableRefNode, values: readonly string[], origin: 'statement' | 'default' | 'arn', source?: string): RegionSource | CcqlError {
  for (const v of values) {
    const problem = regionNameProblem(v);
    if (problem) {
      const from = origin === 'default' ? ` (the default region, from ${source ?? 'the session'})` : '';
      return at(new CcqlError('invalid_input', `${problem.message}${from}, for ${ref.name}`, { hint: problem.hint }), ref.span.start);
    }
  }
  return { kind: 'const', values, origin };
}

/**
 * A native table: its get method when the identifier (or every primary-identifier column) is
 * pinned, else the first list method whose required parameters the statement gives, with the
 * other parameters its input takes pushed down where the WHERE clause pins them (the engine
 * still applies the whole WHERE clause, so a filter the service applies more loosely is harmless).
 */
function planNative(
  ref: TableRefNode,
  resource: ResourceDef,
  base: Pick<FetchPlan, 'ref' | 'resource' | 'identifierAlias' | 'table' | 'unreadable'>,
  consts: Constraints['consts'],
  deps: Constraints['deps'],
  done: ReadonlySet<number>,
  source: (column: string) => ValueSource | undefined,
  dependsOn: Set<number>,
  options: FetchPlanOptions,
): FetchPlan | CcqlError {
  const selects = resource.methods.filter((m) => m.verb === 'SELECT');
  const getMethod = selects.find((m) => nativeGetMethod(resource, m));
  const lists = selects.filter((m) => m !== getMethod);
  let method: FetchMethod | undefined;
  let providerMethod: Method | undefined;
  if (getMethod) {
    method = getByIdentifier(resource, source);
    if (method) providerMethod = getMethod;
    else dependsOn.clear();
  }
  if (!method) {
    const pk = primaryIdentifierColumns(resource).map((c) => `${c.name} = '…'`).join(' AND ');
    if (lists.length === 0) {
      return new CcqlError('not_supported', `${ref.name} cannot be listed: ${resource.sqlName} has no list method`, {
        hint: getMethod ? `select single resources with WHERE ${pk} AND region = '…'` : `SHOW METHODS IN ${resource.sqlName} lists what it can do`,
      });
    }
    const given = (p: string): boolean => Array.isArray(consts.get(p)) || (deps.get(p) ?? []).some((d) => done.has(d.ref));
    const required = (m: Method): string[] => m.requiredParams.map((p) => p.toLowerCase()).filter((p) => p !== REGION);
    const chosen = lists.find((m) => required(m).every(given));
    if (!chosen) {
      const fewest = [...lists].sort((a, b) => required(a).filter((p) => !given(p)).length - required(b).filter((p) => !given(p)).length)[0]!;
      const missing = required(fewest).filter((p) => !given(p));
      const example = missing.map((m) => `${m} = '…'`).join(' AND ');
      return new CcqlError('invalid_input', `${ref.name} can only be listed with ${missing.join(', ')} given: add WHERE ${example}`, {
        hint: `or join it on another table's column, e.g. JOIN ${ref.name} x ON x.${missing[0]} = other.${missing[0]}${getMethod ? `; or pin rows with ${pk}` : ''}`,
      });
    }
    const parents: Array<{ property: string; column: string; source: ValueSource }> = required(chosen).map((p) => ({ property: p, column: p, source: source(p)! }));
    const call = nativeCallOf(chosen);
    for (const p of inputParams(call?.input)) {
      const values = consts.get(p);
      if (p === REGION || parents.some((x) => x.column === p) || !Array.isArray(values)) continue;
      parents.push({ property: p, column: p, source: { kind: 'const', values } });
    }
    method = { kind: 'list', parents };
    providerMethod = chosen;
  }
  const region = regionOf(ref, consts, deps, done, dependsOn, options);
  if (region instanceof CcqlError) return region;
  const needed = ref.allColumns ? tableColumns(resource).map((c) => c.name) : [...ref.columns];
  const fields = nativeCallOf(providerMethod)?.output?.fields;
  const listed = new Set([REGION, IDENTIFIER, IDENTIFIER_ALIAS, ...(fields ?? tableColumns(resource).map((c) => c.name)).map((f) => f.toLowerCase())]);
  if (method.kind === 'list') for (const p of method.parents) listed.add(p.column);
  const wanted = method.kind === 'list' && needed.some((c) => !listed.has(c));
  return {
    ...base,
    providerMethod,
    region,
    method,
    hydrate: wanted && getMethod !== undefined,
    unreadable: wanted && getMethod === undefined,
    dependsOn: [...dependsOn],
    hydrateMethod: wanted ? getMethod : undefined,
  };
}

/**
 * A get when the statement gives the whole identifier: `data__Identifier`, or every column of the
 * primary identifier; else undefined (the table is listed).
 */
function getByIdentifier(resource: ResourceDef, source: (column: string) => ValueSource | undefined): FetchMethod | undefined {
  const idSource = source(IDENTIFIER);
  if (idSource) return { kind: 'get', identifierParts: [idSource] };
  const pk = primaryIdentifierColumns(resource);
  const parts = pk.map((c) => source(c.name));
  return pk.length > 0 && parts.every((p) => p !== undefined) ? { kind: 'get', identifierParts: parts as ValueSource[] } : undefined;
}
