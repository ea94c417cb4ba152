/**
 * Runs EXEC: one call of the method with the statement's parameters. `/*+ SHOWRESULTS *\/` shows
 * the answer as rows (the table's columns where the method maps its output to rows, else the
 * answer's own members); without it the statement answers `EXEC` with a notice. Secret values
 * the answer holds are masked in the rows and kept out of every message.
 */
import type { NativeOutput } from '../aws/native.js';
import type { SqlType } from '../catalog/types.js';
import { CcqlError } from '../errors.js';
import { tableColumns } from '../plan/columns.js';
import type { ExecPlan } from '../plan/exec-plan.js';
import { nativeCallOf } from '../plan/native.js';
import type { Cell, ResultColumn, StatementResult } from '../result.js';
import type { ExecContext } from './context.js';
import { CallCounter, linkedAbort } from './fetch.js';
import { maskOutput, nativeRequest, nativeRows, outputSecrets } from './native-rows.js';

export async function runExecPlan(plan: ExecPlan, ctx: ExecContext): Promise<StatementResult> {
  for (const n of plan.notices) ctx.notice(n);
  const call = nativeCallOf(plan.method)!;
  const abort = linkedAbort(ctx.hooks.signal);
  const counter = new CallCounter(`${call.operation} ${plan.name}`, ctx.hooks.onProgress, ctx.options.maxCalls);
  // "Not found" is an answer for a read or a delete; for EXEC it is the service's error, as it says it.
  const request = { ...nativeRequest(plan.resource, plan.method, plan.params, plan.name), notFound: undefined };
  let out: NativeOutput | undefined;
  try {
    out = await ctx.native().send(request, counter.context(abort.signal));
  } finally {
    abort.unlink();
  }
  if (!out) throw new CcqlError('internal', `${call.operation} answered nothing`);
  for (const s of outputSecrets(call, out)) ctx.secret(s);
  if (!plan.showResults) {
    ctx.notice({ severity: 'NOTICE', message: `${plan.name}: ${call.operation} in ${plan.region} succeeded` });
    return { kind: 'command', command: 'EXEC' };
  }
  if (call.output) {
    const rows = nativeRows(plan.resource, plan.method, out, { region: plan.region, implied: plan.params, secrets: 'mask' });
    const cols = tableColumns(plan.resource);
    return {
      kind: 'rows',
      columns: cols.map((c) => ({ name: c.name, type: c.type })),
      rows: rows.map((r) => cols.map((c) => (r[c.name] ?? null) as Cell)),
      command: `SELECT ${rows.length}`,
    };
  }
  const answer = maskOutput(call, out);
  const members = Object.keys(answer);
  if (members.length === 0) return { kind: 'rows', columns: [{ name: 'response', type: 'jsonb' }], rows: [[{}]], command: 'SELECT 1' };
  const columns: ResultColumn[] = members.map((m) => ({ name: m, type: typeOf(answer[m]) }));
  return { kind: 'rows', columns, rows: [members.map((m) => (answer[m] ?? null) as Cell)], command: 'SELECT 1' };
}

function typeOf(v: unknown): SqlType {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'bigint' : 'double precision';
  if (v instanceof Date) return 'timestamptz';
  if (typeof v === 'object' && v !== null) return 'jsonb';
  return 'text';
}
