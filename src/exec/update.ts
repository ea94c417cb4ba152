/**
 * UPDATE on a provider table: one UpdateResource per resource, with the JSON Patch given as
 * `data__PatchDocument` or built from `SET column = value`. A WHERE of identifier and region
 * equalities names the resources directly; any other WHERE is run by the engine over the listed
 * resources first (SET expressions too).
 */
import type { ResourceDef } from '../catalog/types.js';
import { CcqlError } from '../errors.js';
import { checkPatchDocument, patchForValues, resolveSetColumns, type PatchOperation, type SetTarget, type WrittenName } from '../plan/dml.js';
import { literalValue, parseJson } from '../plan/values.js';
import { MASK, maskWriteOnly, writeOnlyValues } from '../schema/write-only.js';
import type { TableRef } from '../sql/analyze.js';
import { as, isObj, list, literal, quoteIdent, str, type Obj } from '../sql/ast.js';
import { IDENTIFIER, REGION } from '../plan/columns.js';
import { at } from '../sql/positioned-error.js';
import { findTopLevel, isKeyword } from '../sql/rewrite.js';
import { tableName, type StatementContext } from './context.js';
import { STRICT, appendWhere, directTargets, refuseNowaitReturning, reportMatches, returningRows, returningSpan, withPrefix } from './dml-common.js';
import { describeFetches, dryRunResult } from './dry-run.js';
import { mutate } from './mutations.js';
import { plan, runSql, withTables } from './query.js';
import type { StatementResult } from '../result.js';

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
      const sql = withPrefix(ctx, 'UPDATE').raw(`SELECT ${q}.${IDENTIFIER}, ${q}.${REGION}`);
      for (const i of items) if (!i.constant) sql.raw(', (').slice(ctx.text, i.span.start, i.span.end, replacements).raw(')');
      sql.raw(` FROM pg_temp.${tableName(ctx, target)} AS ${q}`);
      appendWhere(ctx, sql, target, replacements);
      const outcome = await runSql(ctx, engine, sql);
      reportMatches(ctx, target, outcome.rows.length, fetched.get(target.id)?.length ?? 0);
      return outcome.rows.map((r) => {
        let k = 2;
        const ops = items.flatMap((i) => i.constant ?? setOps(resource, target.name, i.target, r[k++], i.label));
        return { identifier: String(r[0]), region: String(r[1]), ops };
      });
    }, STRICT);
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
