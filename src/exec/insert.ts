/**
 * INSERT on a provider table: one CreateResource per row. The values are literals (VALUES, or
 * SELECT of constants, as StackQL writes it) or whatever the engine computes for an INSERT …
 * SELECT. Every check that can be made is made before the first call.
 */
import { CcqlError } from '../errors.js';
import { desiredStates, resolveInsertColumns, type WrittenName } from '../plan/dml.js';
import { literalValue } from '../plan/values.js';
import { maskWriteOnly, writeOnlyValues } from '../schema/write-only.js';
import type { TableRef } from '../sql/analyze.js';
import { as, body, list, literal, str, type Literal, type Obj } from '../sql/ast.js';
import { at } from '../sql/positioned-error.js';
import { findTopLevel, isKeyword } from '../sql/rewrite.js';
import type { StatementContext } from './context.js';
import { refuseNowaitReturning, returningRows, returningSpan, withPrefix } from './dml-common.js';
import { dryRunResult } from './dry-run.js';
import { mutate, type MutationItem } from './mutations.js';
import { plan, runSql, withTables } from './query.js';
import type { StatementResult } from '../result.js';

export async function runInsert(ctx: StatementContext): Promise<StatementResult> {
  const target = ctx.analysis.target!;
  const resource = ctx.resources.get(target.id)!;
  const body = ctx.parsed.stmt.InsertStmt as Obj;
  const cols = list(body.cols)
    .map((c) => as(c, 'ResTarget'))
    .filter((c): c is Obj => c !== undefined);
  if (cols.length === 0) {
    throw at(
      new CcqlError('invalid_input', `INSERT INTO ${target.name} needs a column list`, {
        hint: `e.g. INSERT INTO ${target.name} (Name, region) VALUES ('…', 'us-east-1'); DESCRIBE ${target.name} lists the columns`,
      }),
      target.start,
    );
  }
  const written: WrittenName[] = cols.map((c) => {
    const offset = ctx.parsed.offsets.char(typeof c.location === 'number' ? c.location : 0);
    if (list(c.indirection).length > 0) throw at(new CcqlError('not_supported', 'INSERT into part of a column is not supported'), offset);
    return { name: str(c.name) ?? '', offset };
  });
  const targets = resolveInsertColumns(resource, target.name, written);
  const returning = returningSpan(ctx);
  refuseNowaitReturning(ctx, returning);

  const sel = as(body.selectStmt, 'SelectStmt');
  if (!sel) throw at(new CcqlError('not_supported', `INSERT INTO ${target.name} needs VALUES (…) or SELECT …`), target.start);
  const describe = (row: number, col: number, rows: number): string => {
    const t = targets[col];
    const name = t?.kind === 'property' ? t.column.property! : 'region';
    return rows > 1 ? `${name} (row ${row + 1})` : name;
  };
  const constant = constantRows(sel);
  let values: unknown[][];
  // Where each constant value is written, so that an error about a value points at it.
  const offsetOf = (row: number, col: number): number | undefined => {
    const loc = constant?.[row]?.[Math.min(col, (constant[row]?.length ?? 1) - 1)]?.location;
    return loc === undefined ? undefined : ctx.parsed.offsets.char(loc);
  };
  if (constant) {
    values = constant.map((row, i) =>
      row.map((l, j) => {
        try {
          return literalValue(l, () => describe(i, j, constant.length));
        } catch (e) {
          throw atValue(e, offsetOf(i, j));
        }
      }),
    );
  } else {
    values = await evaluateInsertSelect(ctx, target, cols.length);
  }
  const states = desiredStates(resource, target.name, targets, values, ctx.options.region, (row, col) => offsetOf(row, col));
  if (!targets.some((t) => t.kind === 'region') && ctx.options.region && !ctx.options.dryRun) {
    ctx.notice({ severity: 'NOTICE', message: `no region given for ${target.name}: using ${ctx.options.region} (from ${ctx.options.regionSource ?? 'the session default'})` });
  }
  const type = resource.typeName;
  if (ctx.options.dryRun) {
    return dryRunResult(
      states.map((s) => ({ operation: 'CreateResource', region: s.region, type, parameters: { TypeName: type, DesiredState: maskWriteOnly(resource, s.state) } })),
    );
  }

  const cc = ctx.cloudControl();
  const items: MutationItem[] = states.map((s, i) => ({
    region: s.region,
    label: states.length > 1 ? `row ${i + 1}` : '',
    secrets: writeOnlyValues(resource, s.state),
    start: (token, call) => cc.create(type, s.region, s.state, token, call),
  }));
  const done = await mutate(ctx, 'CreateResource', target.name, items);
  const tag = `INSERT 0 ${done.length}`;
  if (ctx.hints.has('NOWAIT')) return { kind: 'command', command: tag };
  if (!returning) {
    for (const d of done) ctx.notice({ severity: 'NOTICE', message: `created ${target.name} ${d.event.Identifier ?? '(no identifier reported)'} in ${d.item.region}` });
    return { kind: 'command', command: tag };
  }
  return returningRows(ctx, target, resource, done, returning, tag);
}

function atValue(e: unknown, offset: number | undefined): unknown {
  return e instanceof CcqlError && offset !== undefined ? at(e, offset) : e;
}

type ConstantValue = { literal: Literal; cast?: string; location?: number };

/** VALUES (…), (…) or SELECT of literals (also UNION ALL of those): the literals, else undefined. */
function constantRows(sel: Obj): ConstantValue[][] | undefined {
  if (sel.op !== undefined && sel.op !== 'SETOP_NONE') {
    if (sel.op !== 'SETOP_UNION' || sel.all !== true) return undefined;
    const l = constantRows(body(sel.larg, 'SelectStmt') ?? {});
    const r = constantRows(body(sel.rarg, 'SelectStmt') ?? {});
    return l && r ? [...l, ...r] : undefined;
  }
  for (const k of ['withClause', 'fromClause', 'whereClause', 'groupClause', 'havingClause', 'sortClause', 'limitCount', 'limitOffset', 'distinctClause']) {
    if (sel[k] !== undefined) return undefined;
  }
  const rows: unknown[][] = sel.valuesLists !== undefined ? list(sel.valuesLists).map((l) => list(as(l, 'List')?.items)) : [list(sel.targetList).map((t) => as(t, 'ResTarget')?.val)];
  const out: ConstantValue[][] = [];
  for (const row of rows) {
    const lits: ConstantValue[] = [];
    for (const v of row) {
      const l = literal(v);
      if (l === undefined) return undefined;
      const location = nodeLocation(v);
      lits.push(location === undefined ? l : { ...l, location });
    }
    out.push(lits);
  }
  return out;
}

/** The parser's byte location of an expression node (`{A_Const: {location}}` and the like). */
function nodeLocation(node: unknown): number | undefined {
  const cast = as(node, 'TypeCast');
  if (cast) return nodeLocation(cast.arg); // a TypeCast's own location is that of its `::`
  if (typeof node !== 'object' || node === null) return undefined;
  const inner = Object.values(node as Obj)[0];
  const loc = typeof inner === 'object' && inner !== null ? (inner as Obj).location : undefined;
  return typeof loc === 'number' && loc >= 0 ? loc : undefined;
}

/** INSERT … SELECT with expressions or tables: the engine runs the user's SELECT. */
async function evaluateInsertSelect(ctx: StatementContext, target: TableRef, columns: number): Promise<unknown[][]> {
  const tokens = ctx.parsed.tokens;
  const open = tokens.findIndex((t) => t.start >= target.end && t.text === '(');
  let depth = 0;
  let close = -1;
  for (let i = open; i >= 0 && i < tokens.length; i++) {
    if (tokens[i]!.text === '(') depth++;
    else if (tokens[i]!.text === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  const start = close >= 0 ? tokens[close]!.end : target.end;
  const ret = findTopLevel(tokens, (t) => isKeyword(t, 'RETURNING'), close + 1);
  const end = ret >= 0 ? tokens[ret]!.start : ctx.text.length;
  const reads = ctx.analysis.refs.filter((r) => r.role === 'read');
  const plans = plan(ctx, reads);
  if (ctx.options.dryRun && plans.length > 0) {
    throw new CcqlError('not_supported', '--dry-run cannot show the calls of an INSERT whose SELECT reads provider tables: their rows decide the calls', {
      hint: 'run the SELECT on its own first to see the rows it would insert',
    });
  }
  return withTables(ctx, plans, async (engine, replacements) => {
    const sql = withPrefix(ctx, 'INSERT').slice(ctx.text, start, end, replacements);
    const outcome = await runSql(ctx, engine, sql);
    if (outcome.columns.length !== columns) {
      throw new CcqlError('invalid_input', `INSERT has ${columns} columns but its SELECT returns ${outcome.columns.length}`);
    }
    return outcome.rows;
  });
}
