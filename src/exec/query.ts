/**
 * Queries over provider tables: plan the calls, fetch the rows (the engine starts meanwhile),
 * materialize one temporary table per table reference, and run the user's own SQL there with
 * only the table references replaced.
 */
import { CcqlError, suggest } from '../errors.js';
import { EngineError, type Engine, type QueryOutcome } from '../engine/engine.js';
import { identifierAliasFree, tableColumns } from '../plan/columns.js';
import { planFetches, type FetchPlan } from '../plan/fetch-plan.js';
import type { TableRef } from '../sql/analyze.js';
import { quoteIdent } from '../sql/ast.js';
import { at } from '../sql/positioned-error.js';
import { SqlBuilder, type Replacement } from '../sql/rewrite.js';
import { tableName, type StatementContext } from './context.js';
import { describeFetches, dryRunResult } from './dry-run.js';
import { fetchTables } from './fetch.js';
import type { StatementResult } from '../result.js';
import type { Row } from './rows.js';

export async function runQuery(ctx: StatementContext): Promise<StatementResult> {
  const refs = ctx.analysis.refs;
  const plans = plan(ctx, refs);
  if (ctx.options.dryRun) return dryRunResult(describeFetches(plans));
  return withTables(ctx, plans, async (engine, replacements) => {
    const sql = new SqlBuilder().slice(ctx.text, 0, ctx.text.length, replacements);
    const outcome = await runSql(ctx, engine, sql);
    return toResult(outcome);
  });
}

/** Plans the fetches of `refs`, with errors pointing at the reference they concern. */
export function plan(ctx: StatementContext, refs: readonly TableRef[]): FetchPlan[] {
  const plans = planFetches(refs, ctx.resources, { defaultRegion: ctx.options.region, regionSource: ctx.options.regionSource });
  for (const p of plans.filter((x) => x.unreadable)) {
    ctx.notice({
      severity: 'WARNING',
      message: `${p.ref.name} (${p.resource.typeName}) has no read handler: only the columns its list returns are filled, the others are NULL`,
    });
  }
  const defaulted = plans.filter((p) => p.region.kind === 'const' && p.region.origin === 'default');
  if (defaulted.length > 0 && !ctx.options.dryRun) {
    const names = [...new Set(defaulted.map((p) => p.ref.name))].join(', ');
    ctx.notice({
      severity: 'NOTICE',
      message: `no region in the statement for ${names}: using ${ctx.options.region} (from ${ctx.options.regionSource ?? 'the session default'})`,
    });
  }
  return plans;
}

/**
 * Fetches the planned tables (starting the engine meanwhile), materializes them, runs `fn` with
 * the replacements for the table references, and drops the tables whatever happens.
 */
export async function withTables<T>(
  ctx: StatementContext,
  plans: readonly FetchPlan[],
  fn: (engine: Engine, replacements: Replacement[], rows: ReadonlyMap<number, Row[]>) => Promise<T>,
  options: { strict?: boolean } = {},
): Promise<T> {
  const enginePromise = ctx.engine();
  // An unawaited rejection would be reported as unhandled if the fetch fails first.
  enginePromise.catch(() => undefined);
  const rows = await fetchTables(plans, { cc: ctx.cloudControl(), hooks: ctx.hooks, strict: options.strict ?? ctx.options.strict });
  const engine = await enginePromise;
  ctx.hooks.signal?.throwIfAborted();
  const created: string[] = [];
  try {
    for (const p of plans) {
      const name = tableName(ctx, p.ref);
      created.push(name);
      await engine.materialize(name, engineColumns(p), rows.get(p.ref.id) ?? []);
    }
    return await fn(engine, replacementsFor(ctx, plans.map((p) => p.ref)), rows);
  } finally {
    await engine.drop(created).catch(() => undefined);
  }
}

export function engineColumns(p: { ref: TableRef; resource: FetchPlan['resource']; identifierAlias: boolean }): Array<{ name: string; type: FetchPlan['resource']['columns'][number]['type'] }> {
  const cols = tableColumns(p.resource).map((c) => ({ name: c.name, type: c.type }));
  if (p.identifierAlias && identifierAliasFree(p.resource)) cols.push({ name: 'identifier', type: 'text' });
  return cols;
}

/** `aws.ivs.stages s` → `pg_temp.ccql_t0 s`; `aws.ivs.stages` → `pg_temp.ccql_t0 AS stages`. */
export function replacementsFor(ctx: Pick<StatementContext, 'statementId'>, refs: readonly TableRef[]): Replacement[] {
  return refs
    .filter((r) => r.role === 'read')
    .map((r) => ({ start: r.start, end: r.end, text: `pg_temp.${tableName(ctx, r)}${r.alias ? '' : ` AS ${quoteIdent(r.exposedName)}`}` }));
}

/** Runs built SQL; engine errors point back into the user's statement. */
export async function runSql(ctx: StatementContext, engine: Engine, sql: SqlBuilder): Promise<QueryOutcome> {
  try {
    return await engine.query(sql.build(), { onNotice: (n) => ctx.notice(n) });
  } catch (e) {
    throw engineError(e, ctx, sql);
  }
}

export function engineError(e: unknown, ctx: StatementContext, sql?: SqlBuilder): unknown {
  if (!(e instanceof EngineError)) return e;
  // Our table names mean nothing to the user: name the provider table instead.
  let message = e.message;
  for (const r of ctx.analysis.refs) message = message.replace(new RegExp(`(?:pg_temp\\.)?\\b${tableName(ctx, r)}\\b`, 'g'), r.name);
  let hint = e.hint;
  if (e.sqlstate === '42703' && !hint) {
    const m = /column "?(?:[\w$]+\.)?([^"\s]+)"? does not exist/.exec(message);
    const columns = [...new Set(ctx.analysis.refs.flatMap((r) => tableColumns(ctx.resources.get(r.id)!).map((c) => c.name)))];
    const s = m ? suggest(m[1]!, columns) : undefined;
    if (s) hint = `did you mean "${s}"?`;
  }
  if (e.sqlstate === '0A000' && /cross-database references/.test(message) && !hint) {
    hint = 'provider tables are named provider.service.resource, e.g. aws.ivs.stages (SHOW PROVIDERS lists the providers)';
  }
  if ((e.sqlstate === '3F000' || e.sqlstate === '42P01') && /schema|relation/.test(message) && !hint) {
    hint = 'provider tables have three-part names, e.g. aws.ivs.stages (SHOW SERVICES, SHOW RESOURCES IN aws.ivs list them)';
  }
  const err = new CcqlError('engine', message, { sqlstate: e.sqlstate, ...(hint ? { hint } : {}), details: [...e.details], cause: e });
  const offset = e.position !== undefined && sql ? sql.sourceOffset(e.position) : undefined;
  return offset === undefined ? err : at(err, offset);
}

export function toResult(outcome: QueryOutcome): StatementResult {
  if (outcome.returnsRows) return { kind: 'rows', columns: outcome.columns, rows: outcome.rows, command: outcome.command };
  return { kind: 'command', command: outcome.command };
}
