/**
 * Runs query plans: fetch the rows (the engine starts meanwhile), materialize one temporary
 * table per provider reference, run the plan's engine SQL there, drop the tables.
 */
import { at, CcqlError, suggest } from '../errors.js';
import { EngineError, type Engine, type QueryOutcome } from '../engine/engine.js';
import { identifierAliasFree, tableColumns } from '../plan/columns.js';
import type { FetchPlan } from '../plan/fetch-plan.js';
import type { QueryPlan } from '../plan/plan.js';
import type { ResourceDef, SqlType } from '../catalog/types.js';
import type { StatementResult } from '../result.js';
import { sourceOffset, type EngineSql } from '../sql/rewrite.js';
import type { ExecContext } from './context.js';
import { fetchTables } from './fetch.js';
import type { Row } from './rows.js';

export async function runQueryPlan(plan: QueryPlan, ctx: ExecContext): Promise<StatementResult> {
  for (const n of plan.notices) ctx.notice(n);
  return withTables(ctx, plan.fetches, async (engine) => toResult(await runSql(ctx, engine, plan.sql)));
}

/**
 * Fetches the planned tables (starting the engine meanwhile), materializes them, runs `fn`, and
 * drops the tables whatever happens.
 */
export async function withTables<T>(
  ctx: ExecContext,
  fetches: readonly FetchPlan[],
  fn: (engine: Engine, rows: ReadonlyMap<number, Row[]>) => Promise<T>,
  options: { strict?: boolean } = {},
): Promise<T> {
  const enginePromise = ctx.engine();
  // An unawaited rejection would be reported as unhandled if the fetch fails first.
  enginePromise.catch(() => undefined);
  const rows = await fetchTables(fetches, { api: () => ctx.api(), native: () => ctx.native(), hooks: ctx.hooks, strict: options.strict ?? ctx.options.strict, maxCalls: ctx.options.maxCalls });
  const engine = await enginePromise;
  ctx.hooks.signal?.throwIfAborted();
  const created: string[] = [];
  try {
    for (const p of fetches) {
      created.push(p.table);
      await engine.materialize(p.table, engineColumns(p.resource, p.identifierAlias), rows.get(p.ref.id) ?? []);
    }
    return await fn(engine, rows);
  } finally {
    await engine.drop(created).catch(() => undefined);
  }
}

/** The engine table's columns: the resource's, plus `identifier` when the statement writes it. */
export function engineColumns(resource: ResourceDef, identifierAlias: boolean): Array<{ name: string; type: SqlType }> {
  const cols = tableColumns(resource).map((c) => ({ name: c.name, type: c.type }));
  if (identifierAlias && identifierAliasFree(resource)) cols.push({ name: 'identifier', type: 'text' });
  return cols;
}

/** Runs planned engine SQL; engine errors point back into the user's statement. */
export async function runSql(ctx: ExecContext, engine: Engine, sql: EngineSql): Promise<QueryOutcome> {
  try {
    return await engine.query(sql.text, { onNotice: (n) => ctx.notice(n), signal: ctx.hooks.signal });
  } catch (e) {
    throw engineError(e, ctx, sql);
  }
}

export function engineError(e: unknown, ctx: Pick<ExecContext, 'tableNames' | 'columnNames'>, sql?: EngineSql): unknown {
  if (!(e instanceof EngineError)) return e;
  // Our table names mean nothing to the user: name the provider table instead.
  let message = e.message;
  for (const [table, name] of ctx.tableNames) message = message.replace(new RegExp(`(?:pg_temp\\.)?\\b${table}\\b`, 'g'), name);
  let hint = e.hint;
  if (e.sqlstate === '42703' && !hint) {
    const m = /column "?(?:[\w$]+\.)?([^"\s]+)"? does not exist/.exec(message);
    const s = m ? suggest(m[1]!, ctx.columnNames) : undefined;
    if (s) hint = `did you mean "${s}"?`;
  }
  if (e.sqlstate === '0A000' && /cross-database references/.test(message) && !hint) {
    // Two cases reach here: a provider ccql does not have, and a provider table in code the
    // engine runs later (a function body), which ccql does not read.
    hint = 'a three-part name is a provider table (SHOW PROVIDERS lists the providers), read by the statement that names it: not inside a function body';
  }
  if ((e.sqlstate === '3F000' || e.sqlstate === '42P01') && /schema|relation/.test(message) && !hint) {
    hint = 'provider tables have three-part names, e.g. aws.ivs.stages (SHOW SERVICES, SHOW RESOURCES IN aws.ivs list them)';
  }
  const err = new CcqlError('engine', message, { sqlstate: e.sqlstate, ...(hint ? { hint } : {}), details: [...e.details], cause: e });
  const offset = e.position === undefined ? undefined : sql ? sourceOffset(sql, e.position) : e.position;
  return offset === undefined ? err : at(err, offset);
}

export function toResult(outcome: QueryOutcome): StatementResult {
  if (outcome.returnsRows) return { kind: 'rows', columns: outcome.columns, rows: outcome.rows, command: outcome.command };
  return { kind: 'command', command: outcome.command };
}
