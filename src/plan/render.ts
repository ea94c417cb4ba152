/**
 * Renderers of a plan, making no call: the calls it will make (--dry-run's rows, and the
 * `calls` of EXPLAIN), and EXPLAIN's description with predicted call counts and, with a rate
 * limit, the least time those calls can take. Values known only at run time (another table's
 * rows, listed identifiers) appear as `<…>` stand-ins; write-only values as `********`.
 */
import type { RowsResult } from '../result.js';
import { maskPatch, maskWriteOnly } from '../schema/write-only.js';
import { callParams, type RowValues } from './call-params.js';
import type { FetchPlan, ValueSource } from './fetch-plan.js';
import type { ExecPlan, ExplainPlan, MutationPlan, QueryPlan } from './plan.js';
import { nativeGetMethod } from '../catalog/native-semantics.js';
import { IDENTIFIER, primaryIdentifierColumns } from './columns.js';
import { buildInput, identifierParams, inputParams, maskedParams, nativeCallOf, requestParams } from './native.js';

export interface PlannedCall {
  readonly operation: string;
  readonly region: string;
  readonly type: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** The calls of a query, mutation or EXEC plan, in order. */
export function plannedCalls(plan: QueryPlan | MutationPlan | ExecPlan): PlannedCall[] {
  if (plan.kind === 'query') return fetchCalls(plan.fetches);
  if (plan.kind === 'exec') {
    const call = nativeCallOf(plan.method)!;
    return [{ operation: call.operation, region: plan.region, type: plan.resource.typeName, parameters: buildInput(call.input, maskedParams(plan.resource, plan.params)) }];
  }
  if (nativeCallOf(plan.providerMethod)) return nativeMutationCalls(plan);
  const type = plan.resource.typeName;
  const request = (region: string, extra: Record<string, unknown>): PlannedCall => ({ operation: plan.operation, region, type, parameters: { TypeName: type, ...extra } });
  if (plan.source.kind === 'direct') {
    return plan.source.requests.map((r) =>
      request(r.region, {
        ...(r.identifier !== undefined ? { Identifier: r.identifier } : {}),
        ...(r.desiredState ? { DesiredState: maskWriteOnly(plan.resource, { ...r.desiredState }) } : {}),
        ...(r.patch ? { PatchDocument: maskPatch(plan.resource, r.patch) } : {}),
      }),
    );
  }
  const how = plan.source.rows;
  const each = plan.verb === 'insert' ? '<each row the SELECT returns>' : '<each row matching the WHERE clause>';
  const last =
    how.kind === 'insert'
      ? request('<region of each row>', { DesiredState: each })
      : how.kind === 'update'
        ? request('<region of each matching row>', {
            Identifier: each,
            PatchDocument: maskPatch(
              plan.resource,
              how.sets.flatMap((s) => s.constant ?? [{ op: 'add', path: `/${s.label}`, value: '<evaluated per row>' }]),
            ),
          })
        : request('<region of each matching row>', { Identifier: each });
  return [...fetchCalls(plan.source.fetches), last];
}

/**
 * A native change's calls: one per request, its input built from the request's parameters (the
 * write-only values masked), or for rows the engine decides, the input with stand-ins for them.
 */
function nativeMutationCalls(plan: MutationPlan): PlannedCall[] {
  const { resource } = plan;
  const method = plan.providerMethod!;
  const call = nativeCallOf(method)!;
  const type = resource.typeName;
  const made = (region: string, params: Readonly<Record<string, unknown>>): PlannedCall => ({ operation: call.operation, region, type, parameters: buildInput(call.input, maskedParams(resource, params)) });
  if (plan.source.kind === 'direct') return plan.source.requests.map((r) => made(r.region, requestParams(resource, r)));
  const how = plan.source.rows;
  const each = plan.verb === 'insert' ? 'of each row the SELECT returns' : 'of each matching row';
  const stand = (name: string): string => `<${name} ${each}>`;
  const params: Record<string, unknown> = {};
  if (how.kind === 'insert') for (const t of how.targets) params[t.kind === 'region' ? 'region' : t.column.name] = stand(t.kind === 'region' ? 'region' : t.column.name);
  else {
    for (const c of [IDENTIFIER, ...primaryIdentifierColumns(resource).map((x) => x.name)]) params[c] = stand(c);
    if (how.kind === 'update') {
      for (const set of how.sets) {
        if (set.target.kind !== 'property') continue;
        const constant = set.constant?.[0];
        params[set.target.column.name] = constant && 'value' in constant ? maskedParams(resource, { [set.target.column.name]: constant.value })[set.target.column.name] : '<evaluated per row>';
      }
    }
  }
  const region = how.kind === 'insert' ? '<region of each row>' : '<region of each matching row>';
  return [...fetchCalls(plan.source.fetches), { operation: call.operation, region, type, parameters: buildInput(call.input, params) }];
}

/** --dry-run's result: one row per call. */
export function dryRunResult(plan: QueryPlan | MutationPlan | ExecPlan): RowsResult {
  const calls = plannedCalls(plan);
  return {
    kind: 'rows',
    columns: [
      { name: 'step', type: 'integer' },
      { name: 'operation', type: 'text' },
      { name: 'region', type: 'text' },
      { name: 'type', type: 'text' },
      { name: 'parameters', type: 'jsonb' },
    ],
    rows: calls.map((c, i) => [i + 1, c.operation, c.region, c.type, c.parameters]),
    command: `SELECT ${calls.length}`,
  };
}

function fetchCalls(plans: readonly FetchPlan[]): PlannedCall[] {
  // Rows of tables fetched earlier are not known yet: stand-ins name where values will come from.
  const symbolic = new Map<number, RowValues[]>();
  for (const p of plans) {
    symbolic.set(p.ref.id, [new Proxy({}, { get: (_t, col) => `<${String(col)} of each row of ${label(p)}>` }) as RowValues]);
  }
  const calls: PlannedCall[] = [];
  for (const p of plans) {
    const type = p.resource.typeName;
    if (p.method.kind === 'none') continue;
    const native = nativeCallOf(p.providerMethod);
    if (native) {
      for (const params of callParams(p, symbolic)) {
        const values = { region: params.region, ...params.implied, ...(params.identifier !== undefined ? identifierParams(p.resource, params.identifier) : {}) };
        calls.push({ operation: native.operation, region: params.region, type, parameters: { ...buildInput(native.input, values), ...(native.pagination && p.method.kind === 'list' ? { pages: 'all' } : {}) } });
        const get = nativeCallOf(p.hydrateMethod);
        if (p.hydrate && get) calls.push({ operation: get.operation, region: params.region, type, parameters: buildInput(get.input, Object.fromEntries(inputParams(get.input).map((k) => [k, `<${k} of each resource listed>`]))) });
      }
      continue;
    }
    for (const params of callParams(p, symbolic)) {
      if (p.method.kind === 'get') {
        calls.push({ operation: 'GetResource', region: params.region, type, parameters: { TypeName: type, Identifier: params.identifier } });
        continue;
      }
      calls.push({ operation: 'ListResources', region: params.region, type, parameters: { TypeName: type, ...(params.parents ? { ResourceModel: params.parents } : {}), pages: 'all' } });
      if (p.hydrate) calls.push({ operation: 'GetResource', region: params.region, type, parameters: { TypeName: type, Identifier: `<each identifier listed>` } });
    }
  }
  return calls;
}

function label(p: FetchPlan): string {
  return p.ref.alias ? `${p.ref.name} ${p.ref.alias}` : p.ref.name;
}

// ---- EXPLAIN ---------------------------------------------------------------------------

/** A predicted number of calls of one operation on one table. */
export interface CallEstimate {
  readonly operation: string;
  readonly table: string;
  /** Calls known before running; the least there will be when `exact` is false. */
  readonly count: number;
  readonly exact: boolean;
  /** What the count multiplies by when not exact: "per further page", "per resource listed". */
  readonly plus: string | undefined;
  /** Known calls per region, for the time bound. */
  readonly perRegion: Readonly<Record<string, number>>;
}

export interface ExplainOptions {
  /** Calls per second per region (--rate-limit): gives the least time the calls take. */
  rateLimit: number | undefined;
  /** The bound on one statement's calls, shown beside the prediction. */
  maxCalls?: number | undefined;
}

/** The plan as EXPLAIN shows it: `QUERY PLAN` rows of text, or one JSON document. */
export function explainResult(explain: ExplainPlan, options: ExplainOptions): RowsResult {
  const doc = explainDocument(explain.plan, options);
  if (explain.format === 'json') return { kind: 'rows', columns: [{ name: 'QUERY PLAN', type: 'jsonb' }], rows: [[[doc]]], command: 'EXPLAIN' };
  return { kind: 'rows', columns: [{ name: 'QUERY PLAN', type: 'text' }], rows: explainText(doc).map((l) => [l]), command: 'EXPLAIN' };
}

interface TableDoc {
  table: string;
  type: string;
  method: string | undefined;
  /** The API that serves the table: Cloud Control, or a native client (`@aws-sdk/client-ivs`). */
  api?: string;
  access: 'get' | 'list' | 'none';
  hydrate: boolean;
  hydrate_method?: string;
  regions: string;
  pushed_down: Record<string, string>;
  depends_on: string[];
}

interface ExplainDocument {
  statement: string;
  /** EXEC: the method called, its API operation and client. */
  exec?: { method: string; operation: string; client: string; region: string };
  tables: TableDoc[];
  mutation?: { operation: string; method: string | undefined; table: string; requests: number | string; wait: boolean; api?: string };
  estimates: CallEstimate[];
  calls_at_least: number;
  calls_exact: boolean;
  min_seconds?: number;
  rate_limit?: number;
  max_calls?: number;
  engine_sql: string | undefined;
  calls: PlannedCall[];
}

export function explainDocument(plan: QueryPlan | MutationPlan | ExecPlan, options: ExplainOptions): ExplainDocument {
  if (plan.kind === 'exec') {
    const call = nativeCallOf(plan.method)!;
    return {
      statement: 'EXEC',
      exec: { method: plan.name, operation: call.operation, client: call.client, region: plan.region },
      tables: [],
      estimates: [{ operation: call.operation, table: plan.resource.sqlName, count: 1, exact: true, plus: undefined, perRegion: { [plan.region]: 1 } }],
      calls_at_least: 1,
      calls_exact: true,
      ...(options.rateLimit ? { rate_limit: options.rateLimit, min_seconds: round(1 / options.rateLimit) } : {}),
      ...(options.maxCalls !== undefined && Number.isFinite(options.maxCalls) ? { max_calls: options.maxCalls } : {}),
      engine_sql: undefined,
      calls: plannedCalls(plan),
    };
  }
  const fetches = plan.kind === 'query' ? plan.fetches : plan.source.kind === 'engine' ? plan.source.fetches : [];
  const estimates = fetches.flatMap((f) => estimateFetch(f, fetches));
  let mutation: ExplainDocument['mutation'];
  if (plan.kind === 'mutation') {
    const requests = plan.source.kind === 'direct' ? plan.source.requests.length : undefined;
    const perRegion: Record<string, number> = {};
    if (plan.source.kind === 'direct') for (const r of plan.source.requests) perRegion[r.region] = (perRegion[r.region] ?? 0) + 1;
    estimates.push({
      operation: plan.operation,
      table: plan.target.name,
      count: requests ?? 0,
      exact: requests !== undefined,
      plus: requests === undefined ? (plan.verb === 'insert' ? 'per row the SELECT returns' : 'per row matching the WHERE clause') : undefined,
      perRegion,
    });
    const native = nativeCallOf(plan.providerMethod) !== undefined;
    // A native call is answered when it is done; a Cloud Control request is polled until it is.
    if (!plan.nowait && !native) {
      estimates.push({ operation: 'GetResourceRequestStatus', table: plan.target.name, count: 0, exact: false, plus: 'per request until it finishes', perRegion: {} });
    }
    const reader = native ? nativeCallOf(plan.resource.methods.find((m) => nativeGetMethod(plan.resource, m)))?.operation : 'GetResource';
    if (reader && plan.returning && plan.returning.properties !== 'none' && !(plan.returning.properties === 'before' && plan.source.kind === 'engine')) {
      estimates.push({ operation: reader, table: plan.target.name, count: requests ?? 0, exact: requests !== undefined, plus: requests === undefined ? 'per changed resource (RETURNING)' : undefined, perRegion: { ...perRegion } });
    }
    const client = nativeCallOf(plan.providerMethod)?.client;
    mutation = { operation: plan.operation, method: plan.providerMethod?.name, table: plan.target.name, requests: requests ?? 'one per row', wait: !plan.nowait && !native, ...(client ? { api: client } : {}) };
  }
  const perRegion: Record<string, number> = {};
  for (const e of estimates) for (const [r, n] of Object.entries(e.perRegion)) perRegion[r] = (perRegion[r] ?? 0) + n;
  const busiest = Math.max(0, ...Object.values(perRegion));
  // Trimmed: under EXPLAIN the statement's text has the EXPLAIN prefix blanked out, not cut.
  const engineSql = (plan.kind === 'query' ? plan.sql.text : plan.source.kind === 'engine' ? plan.source.sql.text : undefined)?.trim();
  return {
    statement: plan.kind === 'query' ? 'SELECT' : plan.verb.toUpperCase(),
    tables: fetches.map((f) => tableDoc(f, fetches)),
    ...(mutation ? { mutation } : {}),
    estimates,
    calls_at_least: estimates.reduce((n, e) => n + e.count, 0),
    calls_exact: estimates.every((e) => e.exact),
    ...(options.rateLimit ? { rate_limit: options.rateLimit, min_seconds: round(busiest / options.rateLimit) } : {}),
    ...(options.maxCalls !== undefined && Number.isFinite(options.maxCalls) ? { max_calls: options.maxCalls } : {}),
    engine_sql: engineSql,
    calls: plannedCalls(plan),
  };
}

function tableDoc(f: FetchPlan, all: readonly FetchPlan[]): TableDoc {
  const pushed: Record<string, string> = {};
  if (f.region.kind === 'const') pushed.region = listOf(f.region.values);
  else pushed.region = `${f.region.column} of each row of ${nameOf(f.region.ref, all)}`;
  if (f.method.kind === 'get') pushed.data__identifier = f.method.identifierParts.map((s) => sourceText(s, all)).join(" || '|' || ");
  if (f.method.kind === 'list') for (const p of f.method.parents) pushed[p.column] = sourceText(p.source, all);
  const native = nativeCallOf(f.providerMethod);
  return {
    table: label(f),
    type: f.resource.typeName,
    method: f.providerMethod?.name,
    ...(native ? { api: native.client } : {}),
    access: f.method.kind,
    hydrate: f.hydrate,
    ...(f.hydrate && f.hydrateMethod ? { hydrate_method: f.hydrateMethod.name } : {}),
    regions:
      f.region.kind === 'const'
        ? `${f.region.values.join(', ') || '(none: the conditions contradict each other)'}${f.region.origin === 'default' ? ' (default region)' : f.region.origin === 'arn' ? ' (from the ARN)' : ''}`
        : `the region of each row of ${nameOf(f.region.ref, all)}`,
    pushed_down: pushed,
    depends_on: f.dependsOn.map((d) => nameOf(d, all)),
  };
}

function estimateFetch(f: FetchPlan, all: readonly FetchPlan[]): CallEstimate[] {
  if (f.method.kind === 'none') return [];
  const table = label(f);
  const consts = (s: ValueSource | FetchPlan['region']): number | undefined => (s.kind === 'const' ? s.values.length : undefined);
  const regions = f.region.kind === 'const' ? f.region.values : [];
  const sources: Array<ValueSource | FetchPlan['region']> = [f.region, ...(f.method.kind === 'get' ? f.method.identifierParts : f.method.parents.map((p) => p.source))];
  const counts = sources.map(consts);
  const known = counts.every((c) => c !== undefined);
  const total = known ? counts.reduce<number>((n, c) => n * c!, 1) : 0;
  const perCallInRegion = known && regions.length > 0 ? total / regions.length : 0;
  const perRegion = Object.fromEntries(regions.map((r) => [r, perCallInRegion]));
  const dependent = known ? undefined : `per row of ${f.dependsOn.map((d) => nameOf(d, all)).join(', ')}`;
  if (f.method.kind === 'get') {
    return [{ operation: nativeCallOf(f.providerMethod)?.operation ?? 'GetResource', table, count: total, exact: known, plus: dependent, perRegion }];
  }
  const native = nativeCallOf(f.providerMethod);
  const list = native?.operation ?? 'ListResources';
  // A native list without a pagination token is one call per combination of parameters.
  const paged = native === undefined || native.pagination !== undefined;
  const out: CallEstimate[] = [{ operation: list, table, count: total, exact: !paged && known, plus: dependent ?? (paged ? 'per further page of results' : undefined), perRegion }];
  if (f.hydrate) out.push({ operation: nativeCallOf(f.hydrateMethod)?.operation ?? 'GetResource', table, count: 0, exact: false, plus: 'per resource listed', perRegion: {} });
  return out;
}

function explainText(doc: ExplainDocument): string[] {
  const lines: string[] = [];
  if (doc.exec) lines.push(`EXEC ${doc.exec.method}: ${doc.exec.operation} (${doc.exec.client}) in ${doc.exec.region}, answered when done`);
  if (doc.mutation) {
    const m = doc.mutation;
    const wait = m.api ? `, each a call of ${m.api} answered when done` : m.wait ? ', each waited for' : ', not waited for (NOWAIT)';
    lines.push(`${doc.statement} ${m.table}: ${m.operation}${m.method ? ` (${m.method})` : ''}, ${typeof m.requests === 'number' ? `${m.requests} request${m.requests === 1 ? '' : 's'}` : m.requests}${wait}`);
  }
  for (const t of doc.tables) {
    const how = t.access === 'none' ? 'no call' : `${t.method ?? t.access}${t.hydrate ? `, then ${t.hydrate_method ?? 'get_resource'} per resource listed` : ''}`;
    lines.push(`${doc.mutation ? 'Read' : 'Fetch'} ${t.table} (${t.api ? `${t.type}, through ${t.api}` : t.type}) by ${how}`);
    lines.push(`  Regions: ${t.regions}`);
    const pushed = Object.entries(t.pushed_down).filter(([k]) => k !== 'region');
    if (pushed.length > 0) lines.push(`  Pushed down: ${pushed.map(([k, v]) => `${k} = ${v}`).join(', ')}`);
    if (t.depends_on.length > 0) lines.push(`  After: ${t.depends_on.join(', ')}`);
  }
  lines.push('Calls:');
  for (const e of doc.estimates) {
    const count = e.exact ? `${e.count}` : e.count > 0 ? `at least ${e.count} (+1 ${e.plus})` : `1 ${e.plus}`;
    lines.push(`  ${e.operation} ${e.table}: ${count}`);
  }
  lines.push(`  Total: ${doc.calls_exact ? '' : 'at least '}${doc.calls_at_least}`);
  if (doc.rate_limit) lines.push(`  At ${doc.rate_limit} calls/s per region: at least ${doc.min_seconds} s`);
  if (doc.max_calls !== undefined) lines.push(`  Limit: ${doc.max_calls} calls per statement (--max-calls)`);
  if (doc.engine_sql !== undefined) lines.push(`Engine SQL: ${doc.engine_sql.replace(/\s+/g, ' ').trim()}`);
  return lines;
}

function sourceText(s: ValueSource, all: readonly FetchPlan[]): string {
  return s.kind === 'const' ? listOf(s.values) : `${s.column} of each row of ${nameOf(s.ref, all)}`;
}

function listOf(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v.replace(/'/g, "''")}'`);
  return quoted.length === 1 ? quoted[0]! : `ANY (${quoted.join(', ')})`;
}

function nameOf(ref: number, all: readonly FetchPlan[]): string {
  const p = all.find((f) => f.ref.id === ref);
  return p ? label(p) : `table ${ref}`;
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
