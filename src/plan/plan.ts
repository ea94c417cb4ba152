/**
 * The plan of one statement: a read-only value that says everything exec/ will do. Which
 * provider method reads or changes each table and with which pushed-down values, the calls in
 * order, the SQL the engine runs, and for INSERT/UPDATE/DELETE the requests with their desired
 * states or patch documents (when the statement alone decides them) or how rows from the
 * engine become requests (when a WHERE or SELECT does). EXPLAIN, --dry-run and the wire
 * server's Describe read this value; exec/ interprets it.
 */
import type { Catalog } from '../catalog/loader.js';
import { isNativeResource } from '../catalog/native-semantics.js';
import type { Method, ResourceDef } from '../catalog/types.js';
import { at, CcqlError } from '../errors.js';
import type { Notice } from '../result.js';
import type { CatalogStatement } from '../sql/catalog-statement.js';
import type { ExplainNode, MutationNode, QueryNode, StatementNode, TableRefNode } from '../sql/ir.js';
import { quoteIdent } from '../sql/quote.js';
import { SqlBuilder, type EngineSql } from '../sql/rewrite.js';
import type { Replacement } from '../sql/ir.js';
import { planFetches, type FetchPlan, type FetchPlanOptions } from './fetch-plan.js';
import type { InsertTarget, PatchOperation, SetTarget } from './dml.js';
import { planExec, type ExecPlan } from './exec-plan.js';
import { planMutation } from './mutation.js';

export interface PlanOptions {
  /** Region for tables the statement gives none for (--region, AWS_REGION, the profile). */
  defaultRegion: string | undefined;
  /** Where the default region came from, for notices. */
  regionSource: string | undefined;
  /** Unique per statement in a session, so that engine table names never collide. */
  statementId: number;
  /** Most API calls one statement may make: a plan that needs more is refused before any call. */
  maxCalls: number;
}

/** The default bound on one statement's calls (`--max-calls` raises it). */
export const DEFAULT_MAX_CALLS = 10_000;

export interface CatalogPlan {
  readonly kind: 'catalog';
  readonly statement: CatalogStatement;
}

export interface PassthroughPlan {
  readonly kind: 'passthrough';
  readonly sql: string;
  readonly commandTag: string | undefined;
  readonly transaction: 'begin' | 'end' | undefined;
}

export interface QueryPlan {
  readonly kind: 'query';
  readonly fetches: readonly FetchPlan[];
  readonly sql: EngineSql;
  readonly notices: readonly Notice[];
}

/** One Create/Update/DeleteResource request. */
export interface MutationRequest {
  readonly region: string;
  /** How messages name it: "row 2", or the identifier. */
  readonly label: string;
  readonly identifier?: string;
  /** CreateResource: the properties by CloudFormation name. */
  readonly desiredState?: Readonly<Record<string, unknown>>;
  /** UpdateResource: the JSON Patch. */
  readonly patch?: readonly PatchOperation[];
}

/** How each row the engine returns becomes a request. */
export type RowsToRequests =
  /** INSERT … SELECT: each row holds the values of the column list. */
  | { readonly kind: 'insert'; readonly targets: readonly InsertTarget[] }
  /** UPDATE: identifier, region, then the value of each SET item without a constant patch. */
  | { readonly kind: 'update'; readonly sets: readonly UpdateSet[] }
  /** DELETE: identifier, region. */
  | { readonly kind: 'delete' };

export interface UpdateSet {
  readonly target: SetTarget;
  /** The patch operations when the value is a constant; else the engine computes the value per row. */
  readonly constant: readonly PatchOperation[] | undefined;
  /** The property (or data__PatchDocument) it sets, for messages. */
  readonly label: string;
}

export interface MutationPlan {
  readonly kind: 'mutation';
  readonly verb: 'insert' | 'update' | 'delete';
  /**
   * Create/Update/DeleteResource, or the operation of the table's native method (`CreateStage`):
   * then `providerMethod` is that method, and each request is one synchronous call of it.
   */
  readonly operation: 'CreateResource' | 'UpdateResource' | 'DeleteResource' | (string & {});
  readonly target: TableRefNode;
  readonly resource: ResourceDef;
  readonly providerMethod: Method | undefined;
  /** `/*+ NOWAIT *\/`: accepted requests are not waited for. */
  readonly nowait: boolean;
  /** Where the requests come from. */
  readonly source:
    | { readonly kind: 'direct'; readonly requests: readonly MutationRequest[] }
    | {
        readonly kind: 'engine';
        readonly fetches: readonly FetchPlan[];
        readonly sql: EngineSql;
        readonly rows: RowsToRequests;
        /** Which resources are changed must not depend on a region that failed to load. */
        readonly strict: boolean;
      };
  readonly returning: ReturningPlan | undefined;
  readonly notices: readonly Notice[];
}

/**
 * RETURNING: one row per changed resource in an engine table of the resource's columns plus
 * the request's progress-event fields, and the clause evaluated over it.
 */
export interface ReturningPlan {
  readonly table: string;
  readonly sql: EngineSql;
  readonly identifierAlias: boolean;
  /**
   * Where the resource's own columns come from: GetResource after the request (INSERT, UPDATE),
   * the resource as it was before it (DELETE), or nowhere when RETURNING names only event fields.
   */
  readonly properties: 'after' | 'before' | 'none';
  /** Event field → engine column; a property of the same name keeps its column, the field is then only `event_<field>`. None for native methods, which have no request events. */
  readonly eventColumns: ReadonlyArray<{ readonly field: string; readonly column: string }>;
}

export interface ExplainPlan {
  readonly kind: 'explain';
  readonly format: 'text' | 'json';
  readonly plan: QueryPlan | MutationPlan | ExecPlan;
}

export type { ExecPlan };
export type StatementPlan = CatalogPlan | PassthroughPlan | QueryPlan | MutationPlan | ExplainPlan | ExecPlan;

/** What planning needs besides the statement: the resources of its references. */
export interface PlanContext {
  catalog: Catalog;
  options: PlanOptions;
}

export function planStatement(node: StatementNode, ctx: PlanContext): StatementPlan {
  switch (node.kind) {
    case 'catalog':
      return { kind: 'catalog', statement: node.statement };
    case 'passthrough':
      return { kind: 'passthrough', sql: node.text, commandTag: node.commandTag, transaction: node.transaction };
    case 'explain':
      return planExplain(node, ctx);
    case 'query':
      return planQuery(node, ctx);
    case 'exec':
      return planExec(node, ctx.catalog, ctx.options.defaultRegion, ctx.options.regionSource);
    default:
      return planMutation(node, resourcesOf(node, ctx), ctx.options);
  }
}

function planExplain(node: ExplainNode, ctx: PlanContext): ExplainPlan {
  const inner = node.statement;
  const plan =
    inner.kind === 'query'
      ? planQuery(inner, ctx)
      : inner.kind === 'exec'
        ? planExec(inner, ctx.catalog, ctx.options.defaultRegion, ctx.options.regionSource)
        : planMutation(inner, resourcesOf(inner, ctx), ctx.options);
  return { kind: 'explain', format: node.format, plan };
}

function planQuery(node: QueryNode, ctx: PlanContext): QueryPlan {
  const resources = resourcesOf(node, ctx);
  const fetches = planFetches(node.refs, resources, fetchOptions(ctx.options));
  checkFanout(fetches, 0, ctx.options.maxCalls);
  const replacements = readReplacements(node, fetches);
  const sql = new SqlBuilder().slice(node.text, 0, node.text.length, replacements).build();
  return { kind: 'query', fetches, sql, notices: fetchNotices(node, fetches, ctx.options) };
}

/**
 * Refuses a plan whose calls, as far as the statement alone tells (regions × identifiers ×
 * list parents, plus `requests` changes), exceed the bound: `arn IN (…100,000 values…)` must not
 * start 100,000 calls unasked. Calls only rows can tell are bounded as they start (exec/).
 */
export function checkFanout(fetches: readonly FetchPlan[], requests: number, maxCalls: number): void {
  let calls = requests;
  for (const f of fetches) {
    if (f.method.kind === 'none') continue;
    const sources = [f.region, ...(f.method.kind === 'get' ? f.method.identifierParts : f.method.parents.map((p) => p.source))];
    calls += sources.reduce((n, s) => n * (s.kind === 'const' ? s.values.length : 1), 1);
  }
  if (calls > maxCalls) {
    const first = fetches.find((f) => f.method.kind !== 'none');
    throw at(
      new CcqlError('invalid_input', `this statement would make at least ${calls} API calls, more than the ${maxCalls} one statement may make`, {
        hint: `narrow the WHERE clause, or raise the limit with --max-calls ${calls}; EXPLAIN shows the calls`,
      }),
      first?.ref.span.start ?? 0,
    );
  }
}

export function resourcesOf(node: QueryNode | MutationNode, ctx: PlanContext): Map<number, ResourceDef> {
  return new Map(node.refs.map((r) => [r.id, ctx.catalog.resource(...r.parts)]));
}

export function fetchOptions(options: PlanOptions): FetchPlanOptions {
  return { defaultRegion: options.defaultRegion, regionSource: options.regionSource, tableName: (ref) => engineTableName(options, ref) };
}

/** Name of the engine table holding a reference's rows. */
export function engineTableName(options: Pick<PlanOptions, 'statementId'>, ref: TableRefNode): string {
  return `ccql_${options.statementId}_t${ref.id}`;
}

/**
 * The engine's text for the statement's reads: `aws.ivs.stages s` → `pg_temp.ccql_1_t0 s`,
 * `aws.ivs.stages` → `pg_temp.ccql_1_t0 AS stages`, plus the statement's own rewrites.
 */
export function readReplacements(node: QueryNode | MutationNode, fetches: readonly FetchPlan[]): Replacement[] {
  const tables = new Map(fetches.map((f) => [f.ref.id, f.table]));
  const refs = node.refs
    .filter((r) => r.role === 'read' && tables.has(r.id))
    .map((r) => ({ start: r.span.start, end: r.span.end, text: `pg_temp.${tables.get(r.id)!}${r.alias ? '' : ` AS ${quoteIdent(r.exposedName)}`}` }));
  return [...refs, ...node.rewrites];
}

/** What the user should know about how the plan reads the statement. */
export function fetchNotices(node: QueryNode | MutationNode, fetches: readonly FetchPlan[], options: PlanOptions): Notice[] {
  const notices: Notice[] = node.warnings.map((message) => ({ severity: 'WARNING', message }));
  for (const p of fetches.filter((x) => x.unreadable)) {
    notices.push({
      severity: 'WARNING',
      message: `${p.ref.name} (${p.resource.typeName}) has no read handler: only the columns its list returns are filled, the others are NULL`,
    });
  }
  for (const p of fetches) {
    if (p.region.kind !== 'const' || p.region.origin !== 'arn') continue;
    notices.push({ severity: 'NOTICE', message: `no region in the statement for ${p.ref.name}: using ${p.region.values.join(', ')} (from the ARN${p.region.values.length > 1 ? 's' : ''} it names)` });
  }
  const defaulted = fetches.filter((p) => p.region.kind === 'const' && p.region.origin === 'default');
  const from = `using ${options.defaultRegion} (from ${options.regionSource ?? 'the session default'})`;
  const open = [...new Set(defaulted.filter((p) => !p.ref.sealed).map((p) => p.ref.name))];
  if (open.length > 0) notices.push({ severity: 'NOTICE', message: `no region in the statement for ${open.join(', ')}: ${from}` });
  const sealed = [...new Set(defaulted.filter((p) => p.ref.sealed).map((p) => p.ref.name))];
  if (sealed.length > 0) {
    notices.push({
      severity: 'NOTICE',
      message: `no region condition reaches ${sealed.join(', ')}: ${from}`,
      hint: 'a condition outside a subquery with GROUP BY, DISTINCT, a window or LIMIT, or outside a CTE read more than once, does not choose the regions read inside it: put the region condition inside',
    });
  }
  return notices;
}

/** Which APIs running the plan calls: each SDK is loaded only by a statement that needs it. */
export function planApis(plan: QueryPlan | MutationPlan | ExecPlan): { cloudcontrol: boolean; native: boolean } {
  if (plan.kind === 'exec') return { cloudcontrol: false, native: true };
  const fetches = plan.kind === 'query' ? plan.fetches : plan.source.kind === 'engine' ? plan.source.fetches : [];
  const methods = [...fetches.map((f) => f.providerMethod), ...(plan.kind === 'mutation' ? [plan.providerMethod] : [])];
  const tables = [...fetches.map((f) => f.resource), ...(plan.kind === 'mutation' ? [plan.resource] : [])];
  return {
    cloudcontrol: tables.some((r) => !isNativeResource(r)) || methods.some((m) => m?.call.api === 'cloudcontrol'),
    native: methods.some((m) => m?.call.api === 'native') || tables.some((r) => isNativeResource(r)),
  };
}
