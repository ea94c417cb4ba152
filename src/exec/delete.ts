/**
 * DELETE on a provider table: one DeleteResource per resource. A WHERE of identifier and region
 * equalities names the resources directly; any other WHERE is run by the engine over the listed
 * resources first, and RETURNING returns the deleted rows as they were.
 */
import { CcqlError } from '../errors.js';
import { IDENTIFIER, REGION } from '../plan/columns.js';
import { quoteIdent, list, type Obj } from '../sql/ast.js';
import { at } from '../sql/positioned-error.js';
import { tableName, type StatementContext } from './context.js';
import { STRICT, appendWhere, directTargets, refuseNowaitReturning, reportMatches, returningSpan, withPrefix } from './dml-common.js';
import { describeFetches, dryRunResult } from './dry-run.js';
import { mutate } from './mutations.js';
import { plan, runSql, withTables } from './query.js';
import type { Cell, ResultColumn, StatementResult } from '../result.js';

export async function runDelete(ctx: StatementContext): Promise<StatementResult> {
  const target = ctx.analysis.target!;
  const resource = ctx.resources.get(target.id)!;
  const body = ctx.parsed.stmt.DeleteStmt as Obj;
  if (list(body.usingClause).length > 0) throw at(new CcqlError('not_supported', `DELETE … USING is not supported for ${target.name}`, { hint: 'use a subquery in WHERE instead' }), target.start);
  const returning = returningSpan(ctx);
  refuseNowaitReturning(ctx, returning);
  const type = resource.typeName;

  const direct = returning ? undefined : directTargets(ctx, target, resource);
  let rows: Array<{ region: string; identifier: string; returned?: unknown[] }>;
  let returnedColumns: ResultColumn[] = [];
  if (direct) rows = direct;
  else {
    const plans = plan(ctx, ctx.analysis.refs);
    if (ctx.options.dryRun) {
      return dryRunResult([
        ...describeFetches(plans),
        { operation: 'DeleteResource', region: '<region of each matching row>', type, parameters: { TypeName: type, Identifier: '<each row matching the WHERE clause>' } },
      ]);
    }
    rows = await withTables(ctx, plans, async (engine, replacements, fetched) => {
      const q = quoteIdent(target.exposedName);
      const sql = withPrefix(ctx, 'DELETE').raw(`SELECT ${q}.${IDENTIFIER} AS ccql_identifier, ${q}.${REGION} AS ccql_region`);
      if (returning) sql.raw(', ').slice(ctx.text, returning.start, returning.end, replacements);
      sql.raw(` FROM pg_temp.${tableName(ctx, target)} AS ${q}`);
      appendWhere(ctx, sql, target, replacements);
      const outcome = await runSql(ctx, engine, sql);
      reportMatches(ctx, target, outcome.rows.length, fetched.get(target.id)?.length ?? 0);
      returnedColumns = outcome.columns.slice(2);
      return outcome.rows.map((r) => ({ identifier: String(r[0]), region: String(r[1]), returned: r.slice(2) }));
    }, STRICT);
  }
  if (ctx.options.dryRun) {
    return dryRunResult(rows.map((r) => ({ operation: 'DeleteResource', region: r.region, type, parameters: { TypeName: type, Identifier: r.identifier } })));
  }
  const cc = ctx.cloudControl();
  const done = await mutate(
    ctx,
    'DeleteResource',
    target.name,
    rows.map((r) => ({ region: r.region, label: r.identifier, secrets: [], start: (token, call) => cc.delete(type, r.region, r.identifier, token, call) })),
  );
  const deleted = done.filter((d) => !d.notFound);
  const tag = `DELETE ${deleted.length}`;
  if (returning && !ctx.hints.has('NOWAIT')) {
    const kept = new Set(deleted.map((d) => d.index));
    return {
      kind: 'rows',
      columns: returnedColumns,
      rows: rows.filter((_, i) => kept.has(i)).map((r) => (r.returned ?? []) as Cell[]),
      command: tag,
    };
  }
  return { kind: 'command', command: tag };
}
