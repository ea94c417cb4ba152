/**
 * What INSERT, UPDATE and DELETE share: the resources an UPDATE/DELETE names directly, the
 * statement's WHERE and RETURNING clauses and WITH prefix as engine SQL, RETURNING rows.
 */
import type { ResourceDef } from '../catalog/types.js';
import { CcqlError } from '../errors.js';
import { IDENTIFIER_ALIAS, IDENTIFIER, REGION, identifierAliasFree, primaryIdentifierColumns } from '../plan/columns.js';
import type { FetchPlan } from '../plan/fetch-plan.js';
import type { TableRef } from '../sql/analyze.js';
import { quoteIdent, type Obj } from '../sql/ast.js';
import { at } from '../sql/positioned-error.js';
import { SqlBuilder, clauseSpan, findTopLevel, isKeyword } from '../sql/rewrite.js';
import { tableName, type StatementContext } from './context.js';
import { callParams } from './fetch.js';
import type { MutationDone } from './mutations.js';
import { engineColumns, plan, replacementsFor, runSql } from './query.js';
import type { StatementResult } from '../result.js';
import { resourceRow, type Row } from './rows.js';

/**
 * Which resources an UPDATE/DELETE acts on must not depend on a region or row that failed to
 * load: reading for them is always strict.
 */
export const STRICT = { strict: true };

/** A builder that starts with the statement's own `WITH …` clause, if it has one. */
export function withPrefix(ctx: StatementContext, verb: string): SqlBuilder {
  const sql = new SqlBuilder();
  const stmt = ctx.parsed.stmt[ctx.parsed.kind] as Obj;
  if (stmt.withClause === undefined) return sql;
  const tokens = ctx.parsed.tokens;
  const first = tokens.findIndex((t) => t.tokenName !== 'C_COMMENT' && t.tokenName !== 'SQL_COMMENT');
  const verbAt = findTopLevel(tokens, (t) => isKeyword(t, verb), Math.max(0, first));
  if (first < 0 || verbAt < 0) return sql;
  const reads = ctx.analysis.refs.filter((r) => r.role === 'read');
  return sql.slice(ctx.text, tokens[first]!.start, tokens[verbAt]!.start, replacementsFor(ctx, reads)).raw(' ');
}

/**
 * The resources an UPDATE/DELETE names directly: its WHERE holds only identifier and region
 * equalities (or IN lists). Undefined when the engine has to decide which rows match.
 */
export function directTargets(ctx: StatementContext, target: TableRef, resource: ResourceDef): Array<{ region: string; identifier: string }> | undefined {
  if (!ctx.analysis.targetWhereIsConstraintsOnly) return undefined;
  const allowed = new Set([REGION, IDENTIFIER, ...primaryIdentifierColumns(resource).map((c) => c.name)]);
  if (identifierAliasFree(resource)) allowed.add(IDENTIFIER_ALIAS);
  if (target.conjuncts.some((c) => !allowed.has(c.column))) return undefined;
  const p: FetchPlan | undefined = plan(ctx, [target])[0];
  if (!p) return undefined;
  if (p.method.kind === 'none') return [];
  if (p.method.kind !== 'get' || p.region.kind !== 'const' || p.method.identifierParts.some((s) => s.kind !== 'const')) return undefined;
  return callParams(p, new Map()).map((c) => ({ region: c.region, identifier: c.identifier! }));
}

export function appendWhere(ctx: StatementContext, sql: SqlBuilder, target: TableRef, replacements: Parameters<SqlBuilder['slice']>[3]): void {
  const from = ctx.parsed.tokens.findIndex((t) => t.start >= target.end);
  const where = clauseSpan(ctx.text, ctx.parsed.tokens, 'WHERE', ['RETURNING'], Math.max(0, from));
  if (where) sql.raw(' WHERE ').slice(ctx.text, where.start, where.end, replacements);
}

export function reportMatches(ctx: StatementContext, target: TableRef, matched: number, fetched: number): void {
  ctx.notice({ severity: 'NOTICE', message: `${matched} of ${fetched} ${target.name} resource${fetched === 1 ? '' : 's'} read match the WHERE clause` });
}

export function returningSpan(ctx: StatementContext): { start: number; end: number } | undefined {
  const body = ctx.parsed.stmt[ctx.parsed.kind] as Obj;
  if (body.returningClause === undefined && body.returningList === undefined) return undefined;
  const target = ctx.analysis.target!;
  const from = ctx.parsed.tokens.findIndex((t) => t.start >= target.end);
  return clauseSpan(ctx.text, ctx.parsed.tokens, 'RETURNING', [], Math.max(0, from));
}

export function refuseNowaitReturning(ctx: StatementContext, returning: { start: number } | undefined): void {
  if (returning && ctx.hints.has('NOWAIT')) {
    throw at(
      new CcqlError('invalid_input', 'RETURNING needs the finished resource, so it cannot be used with /*+ NOWAIT */', {
        hint: 'drop /*+ NOWAIT */ to wait for the request, or drop RETURNING',
      }),
      returning.start,
    );
  }
}

/** RETURNING after create/update: the resources as they are now (GetResource), through the engine. */
export async function returningRows(
  ctx: StatementContext,
  target: TableRef,
  resource: ResourceDef,
  done: readonly MutationDone[],
  returning: { start: number; end: number },
  tag: string,
): Promise<StatementResult> {
  const cc = ctx.cloudControl();
  const enginePromise = ctx.engine();
  enginePromise.catch(() => undefined);
  const alias = target.columns.has(IDENTIFIER_ALIAS) && identifierAliasFree(resource);
  // Concurrently (the client bounds calls in flight), in the order of the statement's rows.
  const fetched = await Promise.all(
    done.map(async (d) => {
      const id = d.event.Identifier;
      const r = id ? await cc.get(resource.typeName, d.item.region, id, { signal: ctx.hooks.signal }) : undefined;
      return r ? resourceRow(resource, d.item.region, r.identifier, r.properties, {}, alias) : undefined;
    }),
  );
  const rows = fetched.filter((r): r is Row => r !== undefined);
  const engine = await enginePromise;
  const name = tableName(ctx, target);
  await engine.materialize(name, engineColumns({ ref: target, resource, identifierAlias: alias }), rows);
  try {
    const q = quoteIdent(target.exposedName);
    const sql = new SqlBuilder().raw('SELECT ').slice(ctx.text, returning.start, returning.end).raw(` FROM pg_temp.${name} AS ${q}`);
    const outcome = await runSql(ctx, engine, sql);
    return { kind: 'rows', columns: outcome.columns, rows: outcome.rows, command: tag };
  } finally {
    await engine.drop([name]).catch(() => undefined);
  }
}
