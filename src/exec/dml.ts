/**
 * INSERT, UPDATE and DELETE on provider tables: CreateResource, UpdateResource and
 * DeleteResource. Everything that can be checked is checked before the first call. An
 * UPDATE/DELETE whose WHERE names the resources (identifier and region equalities only) acts on
 * them directly; any other WHERE is run by the engine over the listed resources first, and the
 * statement then acts on each matching one.
 */
import type { ResourceDef } from '../catalog/types.js';
import type { ProgressEvent } from '../cloudcontrol/client.js';
import { CcqlError } from '../errors.js';
import { IDENTIFIER, IDENTIFIER_ALIAS, REGION, identifierAliasFree, primaryIdentifierColumns } from '../plan/columns.js';
import {
  checkPatchDocument,
  desiredStates,
  patchForValues,
  resolveInsertColumns,
  resolveSetColumns,
  type PatchOperation,
  type SetTarget,
  type WrittenName,
} from '../plan/dml.js';
import type { FetchPlan } from '../plan/fetch-plan.js';
import { literalValue, parseJson } from '../plan/values.js';
import { MASK, maskWriteOnly, writeOnlyValues } from '../plan/write-only.js';
import type { TableRef } from '../sql/analyze.js';
import { as, body, isObj, list, literal, quoteIdent, str, type Literal, type Obj } from '../sql/ast.js';
import { at } from '../sql/positioned-error.js';
import { SqlBuilder, clauseSpan, findTopLevel, isKeyword } from '../sql/rewrite.js';
import { tableName, type StatementContext } from './context.js';
import { describeFetches, dryRunResult } from './dry-run.js';
import { callParams } from './fetch.js';
import { mutate, type MutationDone, type MutationItem } from './mutations.js';
import { engineColumns, plan, runSql, withTables } from './query.js';
import type { Cell, ResultColumn, StatementResult } from './result.js';
import { resourceRow, type Row } from './rows.js';

// ---- INSERT ------------------------------------------------------------------------------------

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
  if (constant) {
    values = constant.map((row, i) => row.map((l, j) => literalValue(l, () => describe(i, j, constant.length))));
  } else {
    values = await evaluateInsertSelect(ctx, target, cols.length);
  }
  const states = desiredStates(resource, target.name, targets, values, ctx.options.region);
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

/** VALUES (…), (…) or SELECT of literals (also UNION ALL of those): the literals, else undefined. */
function constantRows(sel: Obj): Array<Array<{ literal: Literal; cast?: string }>> | undefined {
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
  const out: Array<Array<{ literal: Literal; cast?: string }>> = [];
  for (const row of rows) {
    const lits = row.map((v) => literal(v));
    if (lits.some((l) => l === undefined)) return undefined;
    out.push(lits as Array<{ literal: Literal; cast?: string }>);
  }
  return out;
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
    const sql = new SqlBuilder().slice(ctx.text, start, end, replacements);
    const outcome = await runSql(ctx, engine, sql);
    if (outcome.columns.length !== columns) {
      throw new CcqlError('invalid_input', `INSERT has ${columns} columns but its SELECT returns ${outcome.columns.length}`);
    }
    return outcome.rows;
  });
}

// ---- UPDATE ------------------------------------------------------------------------------------

interface SetItem {
  target: SetTarget;
  /** Patch operations when the value is a literal; undefined when the engine must evaluate it. */
  constant: PatchOperation[] | undefined;
  /** The value expression's text span. */
  span: { start: number; end: number };
  label: string;
}

export async function runUpdate(ctx: StatementContext): Promise<StatementResult> {
  const target = ctx.analysis.target!;
  const resource = ctx.resources.get(target.id)!;
  const body = ctx.parsed.stmt.UpdateStmt as Obj;
  if (list(body.fromClause).length > 0) throw at(new CcqlError('not_supported', `UPDATE … FROM is not supported for ${target.name}`, { hint: 'use a subquery in WHERE instead' }), target.start);
  const sets = list(body.targetList)
    .map((t) => as(t, 'ResTarget'))
    .filter((t): t is Obj => t !== undefined);
  const spans = setSpans(ctx, target, sets.length);
  const written: WrittenName[] = sets.map((s) => {
    const offset = ctx.parsed.offsets.char(typeof s.location === 'number' ? s.location : 0);
    if (as(s.val, 'MultiAssignRef') || list(s.indirection).length > 0) {
      throw at(new CcqlError('not_supported', 'UPDATE … SET supports column = value only'), offset);
    }
    return { name: str(s.name) ?? '', offset };
  });
  const setTargets = resolveSetColumns(resource, target.name, written);
  const items: SetItem[] = setTargets.map((t, i) => {
    const lit = literal(sets[i]!.val);
    const label = t.kind === 'patch' ? 'data__PatchDocument' : t.column.property!;
    let constant: PatchOperation[] | undefined;
    if (lit) {
      try {
        constant = setOps(resource, target.name, t, literalValue(lit, () => label), label);
      } catch (e) {
        throw e instanceof CcqlError ? at(e, written[i]!.offset) : e;
      }
    }
    return { target: t, constant, span: spans[i]!, label };
  });
  const returning = returningSpan(ctx);
  refuseNowaitReturning(ctx, returning);
  const type = resource.typeName;

  const direct = items.every((i) => i.constant) ? directTargets(ctx, target, resource) : undefined;
  let rows: Array<{ region: string; identifier: string; ops: PatchOperation[] }>;
  if (direct) {
    const ops = items.flatMap((i) => i.constant!);
    rows = direct.map((d) => ({ ...d, ops }));
  } else {
    const plans = plan(ctx, ctx.analysis.refs);
    if (ctx.options.dryRun) {
      return dryRunResult([...describeFetches(plans), { operation: 'UpdateResource', region: '<region of each matching row>', type, parameters: { TypeName: type, Identifier: '<each row matching the WHERE clause>', PatchDocument: maskPatch(resource, items.flatMap((i) => i.constant ?? [{ op: 'add', path: `/${i.label}`, value: '<evaluated per row>' }])) } }]);
    }
    rows = await withTables(ctx, plans, async (engine, replacements, fetched) => {
      const q = quoteIdent(target.exposedName);
      const sql = new SqlBuilder().raw(`SELECT ${q}.${IDENTIFIER}, ${q}.${REGION}`);
      for (const i of items) if (!i.constant) sql.raw(', (').slice(ctx.text, i.span.start, i.span.end, replacements).raw(')');
      sql.raw(` FROM pg_temp.${tableName(target)} AS ${q}`);
      appendWhere(ctx, sql, target, replacements);
      const outcome = await runSql(ctx, engine, sql);
      reportMatches(ctx, target, outcome.rows.length, fetched.get(target.id)?.length ?? 0);
      return outcome.rows.map((r) => {
        let k = 2;
        const ops = items.flatMap((i) => i.constant ?? setOps(resource, target.name, i.target, r[k++], i.label));
        return { identifier: String(r[0]), region: String(r[1]), ops };
      });
    });
  }
  if (ctx.options.dryRun) {
    return dryRunResult(rows.map((r) => ({ operation: 'UpdateResource', region: r.region, type, parameters: { TypeName: type, Identifier: r.identifier, PatchDocument: maskPatch(resource, r.ops) } })));
  }
  const cc = ctx.cloudControl();
  const done = await mutate(
    ctx,
    'UpdateResource',
    target.name,
    rows.map((r) => ({
      region: r.region,
      label: r.identifier,
      secrets: patchSecrets(resource, r.ops),
      start: (token, call) => cc.update(type, r.region, r.identifier, r.ops, token, call),
    })),
  );
  const changed = done.filter((d) => !d.notFound);
  const tag = `UPDATE ${changed.length}`;
  if (returning && !ctx.hints.has('NOWAIT')) return returningRows(ctx, target, resource, changed, returning, tag);
  return { kind: 'command', command: tag };
}

function setOps(resource: ResourceDef, sqlName: string, t: SetTarget, value: unknown, label: string): PatchOperation[] {
  if (t.kind === 'patch') {
    const doc = typeof value === 'string' ? parseJson(value, () => label) : value;
    return checkPatchDocument(resource, sqlName, doc);
  }
  return patchForValues(resource, [{ column: t.column }], [value], () => label);
}

/** Text spans of the value expressions of `SET a = …, b = …`. */
function setSpans(ctx: StatementContext, target: TableRef, count: number): Array<{ start: number; end: number }> {
  const tokens = ctx.parsed.tokens;
  const from = tokens.findIndex((t) => t.start >= target.end);
  const set = findTopLevel(tokens, (t) => isKeyword(t, 'SET'), Math.max(0, from));
  const spans: Array<{ start: number; end: number }> = [];
  let i = set + 1;
  for (let n = 0; n < count && set >= 0; n++) {
    const eq = findTopLevel(tokens, (t) => t.text === '=', i);
    if (eq < 0) break;
    const stop = findTopLevel(tokens, (t) => t.text === ',' || isKeyword(t, 'WHERE') || isKeyword(t, 'FROM') || isKeyword(t, 'RETURNING'), eq + 1);
    const end = stop < 0 ? ctx.text.length : tokens[stop]!.start;
    spans.push({ start: tokens[eq]!.end, end });
    i = stop + 1;
    if (stop < 0) break;
  }
  while (spans.length < count) spans.push({ start: target.end, end: target.end });
  return spans;
}

/** Patch values at write-only locations, masked, for dry runs. */
function maskPatch(resource: ResourceDef, ops: readonly PatchOperation[]): PatchOperation[] {
  return ops.map((op) => {
    if (!('value' in op)) return op;
    const path = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const root: Record<string, unknown> = {};
    let cursor: Record<string, unknown> = root;
    path.forEach((seg, i) => {
      if (i === path.length - 1) cursor[seg] = op.value;
      else cursor = (cursor[seg] = {}) as Record<string, unknown>;
    });
    let masked: unknown = maskWriteOnly(resource, root);
    for (const seg of path) masked = isObj(masked) || Array.isArray(masked) ? (masked as Record<string, unknown>)[seg] : MASK;
    return { ...op, value: masked === undefined ? MASK : masked };
  });
}

function patchSecrets(resource: ResourceDef, ops: readonly PatchOperation[]): string[] {
  const masked = maskPatch(resource, ops);
  const out: string[] = [];
  ops.forEach((op, i) => {
    if ('value' in op && JSON.stringify(op.value) !== JSON.stringify(masked[i]!.value)) {
      const prop = op.path.split('/')[1] ?? '';
      out.push(...writeOnlyValues(resource, { [prop]: op.value }));
      if (typeof op.value === 'string') out.push(op.value);
    }
  });
  return out;
}

// ---- DELETE ------------------------------------------------------------------------------------

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
      const sql = new SqlBuilder().raw(`SELECT ${q}.${IDENTIFIER} AS ccql_identifier, ${q}.${REGION} AS ccql_region`);
      if (returning) sql.raw(', ').slice(ctx.text, returning.start, returning.end, replacements);
      sql.raw(` FROM pg_temp.${tableName(target)} AS ${q}`);
      appendWhere(ctx, sql, target, replacements);
      const outcome = await runSql(ctx, engine, sql);
      reportMatches(ctx, target, outcome.rows.length, fetched.get(target.id)?.length ?? 0);
      returnedColumns = outcome.columns.slice(2);
      return outcome.rows.map((r) => ({ identifier: String(r[0]), region: String(r[1]), returned: r.slice(2) }));
    });
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

// ---- shared ------------------------------------------------------------------------------------

/**
 * The resources an UPDATE/DELETE names directly: its WHERE holds only identifier and region
 * equalities (or IN lists). Undefined when the engine has to decide which rows match.
 */
function directTargets(ctx: StatementContext, target: TableRef, resource: ResourceDef): Array<{ region: string; identifier: string }> | undefined {
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

function appendWhere(ctx: StatementContext, sql: SqlBuilder, target: TableRef, replacements: Parameters<SqlBuilder['slice']>[3]): void {
  const from = ctx.parsed.tokens.findIndex((t) => t.start >= target.end);
  const where = clauseSpan(ctx.text, ctx.parsed.tokens, 'WHERE', ['RETURNING'], Math.max(0, from));
  if (where) sql.raw(' WHERE ').slice(ctx.text, where.start, where.end, replacements);
}

function reportMatches(ctx: StatementContext, target: TableRef, matched: number, fetched: number): void {
  ctx.notice({ severity: 'NOTICE', message: `${matched} of ${fetched} ${target.name} resource${fetched === 1 ? '' : 's'} read match the WHERE clause` });
}

function returningSpan(ctx: StatementContext): { start: number; end: number } | undefined {
  const body = ctx.parsed.stmt[ctx.parsed.kind] as Obj;
  if (body.returningClause === undefined && body.returningList === undefined) return undefined;
  const target = ctx.analysis.target!;
  const from = ctx.parsed.tokens.findIndex((t) => t.start >= target.end);
  return clauseSpan(ctx.text, ctx.parsed.tokens, 'RETURNING', [], Math.max(0, from));
}

function refuseNowaitReturning(ctx: StatementContext, returning: { start: number } | undefined): void {
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
async function returningRows(
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
  const rows: Row[] = [];
  for (const d of done) {
    const id = identifierOf(d.event);
    if (!id) continue;
    const r = await cc.get(resource.typeName, d.item.region, id, { signal: ctx.hooks.signal });
    if (r) rows.push(resourceRow(resource, d.item.region, r.identifier, r.properties, {}, alias));
  }
  const engine = await enginePromise;
  const name = tableName(target);
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

function identifierOf(event: ProgressEvent): string | undefined {
  return event.Identifier;
}
