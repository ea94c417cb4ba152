/**
 * Runs Cloud Control mutations (create/update/delete), several at once under the session's
 * concurrency limit, each waited for (GetResourceRequestStatus) unless /*+ NOWAIT *\/. After the
 * first failure no new request starts; the error then says exactly which items were done.
 */
import { randomUUID } from 'node:crypto';
import type { CallContext, ProgressEvent } from '../aws/cloudcontrol.js';
import { AwsCallError } from '../aws/errors.js';
import { CcqlError } from '../errors.js';
import { scrub } from '../schema/write-only.js';
import type { StatementContext } from './context.js';
import { CallCounter, linkedAbort } from './fetch.js';

export interface MutationItem {
  region: string;
  /** How messages name the item: "row 2", or the identifier. */
  label: string;
  /** Write-only values this item sends, scrubbed from any message. */
  secrets: string[];
  start(clientToken: string, call: CallContext): Promise<ProgressEvent>;
}

export interface MutationDone {
  index: number;
  item: MutationItem;
  /** The final event (SUCCESS), or the accepted one with NOWAIT. */
  event: ProgressEvent;
  /** The resource did not exist (UPDATE/DELETE of a missing identifier). */
  notFound: boolean;
}

export async function mutate(ctx: StatementContext, operation: string, sqlName: string, items: readonly MutationItem[]): Promise<MutationDone[]> {
  const cc = ctx.cloudControl();
  const nowait = ctx.hints.has('NOWAIT');
  const counter = new CallCounter(`${operation} ${sqlName}`, ctx.hooks.onProgress);
  const abort = linkedAbort(ctx.hooks.signal);
  const call = counter.context(abort.signal);
  const done: MutationDone[] = [];
  const failures: Array<{ index: number; error: CcqlError }> = [];
  let next = 0;

  const worker = async (): Promise<void> => {
    while (failures.length === 0 && next < items.length) {
      const index = next++;
      const item = items[index]!;
      try {
        const accepted = await item.start(randomUUID(), call);
        if (nowait) {
          ctx.notice({
            severity: 'NOTICE',
            message: `${operation} ${sqlName}${labelSuffix(item)} in ${item.region} accepted, not waiting (/*+ NOWAIT */): request token ${accepted.RequestToken ?? '(none)'}`,
          });
          done.push({ index, item, event: accepted, notFound: false });
          continue;
        }
        const final = await cc.wait(accepted, item.region, call);
        if (final.OperationStatus === 'SUCCESS') {
          done.push({ index, item, event: final, notFound: false });
        } else if (final.ErrorCode === 'NotFound' && operation !== 'CreateResource') {
          done.push({ index, item, event: final, notFound: true });
        } else {
          const message = scrub(`${final.ErrorCode ?? final.OperationStatus ?? 'FAILED'}: ${final.StatusMessage ?? 'no status message'}`, item.secrets);
          failures.push({
            index,
            error: new CcqlError('request_failed', `${operation} ${sqlName}${labelSuffix(item)} in ${item.region} failed: ${message}`, {
              ...(final.RequestToken ? { details: [`request token: ${final.RequestToken}`] } : {}),
            }),
          });
        }
      } catch (e) {
        if (e instanceof AwsCallError && e.awsCode === 'ResourceNotFoundException' && operation !== 'CreateResource') {
          done.push({ index, item, event: {}, notFound: true });
          continue;
        }
        const err = e instanceof CcqlError ? e : new CcqlError('internal', String(e));
        if (err.code === 'cancelled') {
          failures.push({ index, error: err });
          continue;
        }
        failures.push({ index, error: new CcqlError(err.code, scrub(err.message, item.secrets), { ...(err.hint ? { hint: err.hint } : {}), cause: err }) });
      }
    }
  };

  const workers = Math.max(1, Math.min(ctx.options.concurrency, items.length));
  try {
    await Promise.all(Array.from({ length: workers }, () => worker()));
  } finally {
    abort.unlink();
  }
  done.sort((a, b) => a.index - b.index);
  for (const d of done) {
    if (d.notFound) ctx.notice({ severity: 'NOTICE', message: `${sqlName}${labelSuffix(d.item)} in ${d.item.region} does not exist; nothing to change` });
  }
  if (failures.length > 0) throw failureReport(operation, items, done, failures);
  return done;
}

function labelSuffix(item: MutationItem): string {
  return item.label ? ` ${item.label}` : '';
}

/** The first failure, with what was done and what was never started. */
function failureReport(operation: string, items: readonly MutationItem[], done: readonly MutationDone[], failures: ReadonlyArray<{ index: number; error: CcqlError }>): CcqlError {
  failures = [...failures].sort((a, b) => a.index - b.index);
  const first = failures[0]!.error;
  const details = [...first.details];
  const succeeded = done.filter((d) => !d.notFound);
  const verb = operation === 'CreateResource' ? 'created' : operation === 'DeleteResource' ? 'deleted' : 'updated';
  if (items.length > 1) {
    details.push(
      succeeded.length === 0
        ? `nothing was ${verb}`
        : `${verb} before the failure: ${succeeded.map((d) => `${d.item.label}${d.event.Identifier && d.event.Identifier !== d.item.label ? ` → ${d.event.Identifier}` : ''}`).join(', ')}`,
    );
    for (const f of failures.slice(1)) details.push(`also failed: ${f.error.message}`);
    const attempted = new Set([...done.map((d) => d.index), ...failures.map((f) => f.index)]);
    const skipped = items.map((item, i) => (attempted.has(i) ? undefined : item.label)).filter((l): l is string => l !== undefined);
    if (skipped.length > 0) details.push(`not attempted: ${skipped.join(', ')}`);
  }
  return new CcqlError(first.code, first.message, { ...(first.hint ? { hint: first.hint } : {}), details, cause: first });
}
