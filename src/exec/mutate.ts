/**
 * Runs mutation plans (INSERT, UPDATE, DELETE alike): the requests come from the plan, or from
 * the rows its engine SQL returns; then Create/Update/DeleteResource several at once under the
 * session's concurrency limit, each waited for (GetResourceRequestStatus) unless NOWAIT; then
 * RETURNING. After the first failure no new request starts. Whatever ends the statement (a
 * failure, Ctrl-C), the error says what became of every request: not sent, sent without an
 * answer (may exist), accepted (its request token; still running, may exist), succeeded (its
 * identifier), failed.
 */
import { randomUUID } from 'node:crypto';
import { AwsCallError } from '../aws/errors.js';
import { isFinalStatus, type CallContext, type RequestEvent, type ResourceApi } from '../aws/resource-api.js';
import { CcqlError, toCcqlError } from '../errors.js';
import { requestsFromRows } from '../plan/mutation.js';
import type { MutationPlan, MutationRequest, ReturningPlan } from '../plan/plan.js';
import type { SqlType } from '../catalog/types.js';
import { IDENTIFIER, IDENTIFIER_ALIAS, REGION } from '../plan/columns.js';
import type { StatementResult } from '../result.js';
import { parseJsonExact } from '../schema/json.js';
import { patchSecrets, scrub, stripWriteOnly, writeOnlyValues } from '../schema/write-only.js';
import type { ExecContext } from './context.js';
import { CallCounter, linkedAbort, tooManyCalls } from './fetch.js';
import { engineColumns, runSql, withTables } from './query.js';
import { resourceRow, type Row } from './rows.js';

type RequestState =
  | { kind: 'not_sent' }
  | { kind: 'sent' }
  | { kind: 'accepted'; event: RequestEvent }
  | { kind: 'succeeded'; event: RequestEvent }
  | { kind: 'not_found' }
  | { kind: 'failed'; error: CcqlError; event?: RequestEvent };

interface Tracked {
  request: MutationRequest;
  secrets: string[];
  state: RequestState;
}

export async function runMutationPlan(plan: MutationPlan, ctx: ExecContext): Promise<StatementResult> {
  for (const n of plan.notices) ctx.notice(n);
  const { requests, before } = plan.source.kind === 'direct' ? await direct(plan, ctx) : await requestsFromEngine(plan, ctx);
  const tracked = requests.map((request) => ({ request, secrets: secretsOf(plan, request), state: { kind: 'not_sent' } as RequestState }));
  await send(plan, tracked, ctx);

  const done = tracked.filter((t) => t.state.kind === 'succeeded' || t.state.kind === 'accepted');
  const verb = plan.verb === 'insert' ? 'INSERT 0' : plan.verb.toUpperCase();
  const tag = `${verb} ${done.length}`;
  for (const t of tracked) {
    if (t.state.kind === 'not_found') ctx.notice({ severity: 'NOTICE', message: `${plan.target.name} ${t.request.label} in ${t.request.region} does not exist; nothing to change` });
  }
  if (plan.returning) return returning(plan, plan.returning, done, before, tag, ctx);
  return { kind: 'command', command: tag };
}

/** Resources as they were before the statement changed them, by region and identifier (DELETE … RETURNING). */
type Before = ReadonlyMap<string, Row>;

function key(region: string, identifier: string): string {
  return `${region}\u0000${identifier}`;
}

/** The plan's own requests; for DELETE … RETURNING of the resources' columns, read them first. */
async function direct(plan: MutationPlan, ctx: ExecContext): Promise<{ requests: readonly MutationRequest[]; before: Before }> {
  const requests = plan.source.kind === 'direct' ? plan.source.requests : [];
  const before = new Map<string, Row>();
  if (plan.returning?.properties !== 'before') return { requests, before };
  const api = ctx.api();
  await Promise.all(
    requests.map(async (r) => {
      const found = r.identifier ? await api.get(plan.resource.typeName, r.region, r.identifier, { signal: ctx.hooks.signal }) : undefined;
      if (found) before.set(key(r.region, r.identifier!), resourceRow(plan.resource, r.region, found.identifier, found.properties, {}, plan.returning!.identifierAlias));
    }),
  );
  return { requests, before };
}

/** The requests for the rows the engine returns, and the target's rows as read (for DELETE … RETURNING). */
async function requestsFromEngine(plan: MutationPlan, ctx: ExecContext): Promise<{ requests: MutationRequest[]; before: Before }> {
  if (plan.source.kind !== 'engine') return { requests: [], before: new Map() };
  const { fetches, sql, strict } = plan.source;
  return withTables(
    ctx,
    fetches,
    async (engine, fetched) => {
      const outcome = await runSql(ctx, engine, sql);
      if (plan.verb === 'insert') {
        const width = plan.source.kind === 'engine' && plan.source.rows.kind === 'insert' ? plan.source.rows.targets.length : 0;
        if (outcome.columns.length !== width) {
          throw new CcqlError('invalid_input', `INSERT has ${width} columns but its SELECT returns ${outcome.columns.length}`);
        }
      } else {
        const read = fetched.get(plan.target.id)?.length ?? 0;
        ctx.notice({ severity: 'NOTICE', message: `${outcome.rows.length} of ${read} ${plan.target.name} resource${read === 1 ? '' : 's'} read match the WHERE clause` });
      }
      const before = new Map<string, Row>();
      if (plan.returning?.properties === 'before') {
        for (const row of fetched.get(plan.target.id) ?? []) before.set(key(String(row[REGION]), String(row[IDENTIFIER])), row);
      }
      if (outcome.rows.length > ctx.options.maxCalls) throw tooManyCalls(ctx.options.maxCalls, `${plan.operation} on ${outcome.rows.length} rows would make more`);
      return { requests: requestsFromRows(plan, outcome.rows, ctx.options.region), before };
    },
    { strict },
  );
}

function secretsOf(plan: MutationPlan, r: MutationRequest): string[] {
  if (r.desiredState) return writeOnlyValues(plan.resource, { ...r.desiredState });
  if (r.patch) return patchSecrets(plan.resource, r.patch);
  return [];
}

function start(plan: MutationPlan, api: ResourceApi, r: MutationRequest, token: string, call: CallContext): Promise<RequestEvent> {
  const type = plan.resource.typeName;
  switch (plan.operation) {
    case 'CreateResource':
      return api.create(type, r.region, r.desiredState ?? {}, token, call);
    case 'UpdateResource':
      return api.update(type, r.region, r.identifier!, r.patch ?? [], token, call);
    case 'DeleteResource':
      return api.delete(type, r.region, r.identifier!, token, call);
  }
}

async function send(plan: MutationPlan, tracked: Tracked[], ctx: ExecContext): Promise<void> {
  if (tracked.length === 0) return;
  const api = ctx.api();
  const counter = new CallCounter(`${plan.operation} ${plan.target.name}`, ctx.hooks.onProgress);
  const abort = linkedAbort(ctx.hooks.signal);
  const call = counter.context(abort.signal);
  let failed = false;
  let next = 0;
  const creating = plan.operation === 'CreateResource';

  const worker = async (): Promise<void> => {
    while (!failed && next < tracked.length && !abort.signal.aborted) {
      const t = tracked[next++]!;
      try {
        t.state = { kind: 'sent' };
        const accepted = await start(plan, api, t.request, randomUUID(), call);
        t.state = { kind: 'accepted', event: accepted };
        if (plan.nowait) {
          ctx.notice({
            severity: 'NOTICE',
            message: `${plan.operation} ${plan.target.name}${suffix(t)} in ${t.request.region} accepted, not waiting (/*+ NOWAIT */): request token ${accepted.RequestToken ?? '(none)'}`,
          });
          continue;
        }
        const final = await api.wait(accepted, t.request.region, call);
        if (final.OperationStatus === 'SUCCESS') {
          t.state = { kind: 'succeeded', event: final };
          // Said at once, not at the end: if the process is killed, what exists is on record.
          if (creating) ctx.notice({ severity: 'NOTICE', message: `created ${plan.target.name} ${final.Identifier ?? '(no identifier reported)'} in ${t.request.region}` });
        }
        else if (final.ErrorCode === 'NotFound' && !creating) t.state = { kind: 'not_found' };
        else {
          failed = true;
          const message = scrub(`${final.ErrorCode ?? final.OperationStatus ?? 'FAILED'}: ${final.StatusMessage ?? 'no status message'}`, t.secrets);
          t.state = {
            kind: 'failed',
            event: final,
            error: new CcqlError('request_failed', `${plan.operation} ${plan.target.name}${suffix(t)} in ${t.request.region} failed: ${message}`, {
              ...(final.RequestToken ? { details: [`request token: ${final.RequestToken}`] } : {}),
            }),
          };
        }
      } catch (e) {
        if (e instanceof AwsCallError && e.awsCode === 'ResourceNotFoundException' && !creating) {
          t.state = { kind: 'not_found' };
          continue;
        }
        const err = toCcqlError(e);
        // A cancelled call leaves the request where it was: sent, or accepted and running.
        if (err.code === 'cancelled') continue;
        failed = true;
        t.state = { kind: 'failed', error: new CcqlError(err.code, scrub(err.message, t.secrets), { ...(err.hint ? { hint: err.hint } : {}), cause: err }) };
      }
    }
  };

  const workers = Math.max(1, Math.min(ctx.options.concurrency, tracked.length));
  try {
    await Promise.all(Array.from({ length: workers }, () => worker()));
  } finally {
    abort.unlink();
  }
  const cancelled = ctx.hooks.signal?.aborted === true;
  if (cancelled) await settle(api, tracked, plan.nowait);
  if (cancelled || failed) throw report(plan, tracked, cancelled);
}

/**
 * After Ctrl-C, requests that were accepted may have finished meanwhile: ask once each (briefly,
 * since the user wants to stop) so that the report says what is true, not what was last seen.
 */
async function settle(api: ResourceApi, tracked: Tracked[], nowait: boolean): Promise<void> {
  if (nowait) return;
  await Promise.all(
    tracked.map(async (t) => {
      if (t.state.kind !== 'accepted' || !t.state.event.RequestToken) return;
      try {
        const now = await api.status(t.state.event.RequestToken, t.request.region, { signal: AbortSignal.timeout(3_000) });
        if (!isFinalStatus(now.OperationStatus)) t.state = { kind: 'accepted', event: now };
        else if (now.OperationStatus === 'SUCCESS') t.state = { kind: 'succeeded', event: now };
        else t.state = { kind: 'failed', event: now, error: new CcqlError('request_failed', `${now.ErrorCode ?? now.OperationStatus}: ${scrub(now.StatusMessage ?? '', t.secrets)}`) };
      } catch {
        // Unknown stays "accepted: may exist".
      }
    }),
  );
}

/** The statement's error, listing what became of every request. */
function report(plan: MutationPlan, tracked: readonly Tracked[], cancelled: boolean): CcqlError {
  const firstFailure = tracked.find((t) => t.state.kind === 'failed');
  const first = cancelled
    ? new CcqlError('cancelled', `statement cancelled during ${plan.operation} ${plan.target.name}`)
    : firstFailure?.state.kind === 'failed'
      ? firstFailure.state.error
      : new CcqlError('internal', 'a request failed without an error');
  const details = [...first.details];
  const single = tracked.length === 1;
  const done = plan.verb === 'insert' ? 'created' : plan.verb === 'delete' ? 'deleted' : 'updated';
  const groups = new Map<string, string[]>();
  const add = (heading: string, item: string): void => {
    const list = groups.get(heading) ?? [];
    list.push(item);
    groups.set(heading, list);
  };
  for (const t of tracked) {
    const name = single ? plan.target.name : t.request.label || plan.target.name;
    const s = t.state;
    switch (s.kind) {
      case 'succeeded':
        add(done, `${name}${s.event.Identifier && s.event.Identifier !== t.request.label ? ` → ${s.event.Identifier}` : ''}`);
        break;
      case 'accepted':
        add('accepted, still in progress (may exist)', `${name} (request token ${s.event.RequestToken ?? 'unknown'})`);
        break;
      case 'sent':
        add('sent, no answer (may exist)', name);
        break;
      case 'failed':
        if (t !== firstFailure || cancelled) add('failed', `${name}: ${s.error.message}`);
        break;
      case 'not_found':
        add('did not exist', name);
        break;
      case 'not_sent':
        add('not sent', name);
        break;
    }
  }
  if (groups.size === 0 || (!single && !groups.has(done) && !cancelled)) details.push(`nothing was ${done}`);
  for (const [heading, items] of groups) details.push(`${heading}: ${items.join(', ')}`);
  return new CcqlError(first.code, first.message, { ...(first.hint ? { hint: first.hint } : {}), details, cause: first });
}

function suffix(t: Tracked): string {
  return t.request.label ? ` ${t.request.label}` : '';
}

function eventOf(t: Tracked): RequestEvent | undefined {
  return t.state.kind === 'succeeded' || t.state.kind === 'accepted' ? t.state.event : undefined;
}

/**
 * RETURNING: one row per changed resource (its columns read after the change, or as they were
 * before a DELETE, or only region and identifier) with its request's progress-event fields.
 */
async function returning(plan: MutationPlan, r: ReturningPlan, done: readonly Tracked[], before: Before, tag: string, ctx: ExecContext): Promise<StatementResult> {
  const { resource } = plan;
  const api = ctx.api();
  const enginePromise = ctx.engine();
  enginePromise.catch(() => undefined);
  // Concurrently (the client bounds calls in flight), in the order of the statement's rows.
  const rows = await Promise.all(
    done.map(async (t): Promise<Row | undefined> => {
      const event = eventOf(t) ?? {};
      const id = event.Identifier ?? t.request.identifier;
      let row: Row | undefined;
      if (r.properties === 'after') {
        const found = id ? await api.get(resource.typeName, t.request.region, id, { signal: ctx.hooks.signal }) : undefined;
        if (!found) return undefined; // gone again: nothing to return
        row = resourceRow(resource, t.request.region, found.identifier, found.properties, {}, r.identifierAlias);
      } else if (r.properties === 'before' && id) {
        row = before.get(key(t.request.region, id));
      }
      row ??= resourceRow(resource, t.request.region, id ?? '', {}, {}, r.identifierAlias);
      if (!id) row = { ...row, [IDENTIFIER]: null, ...(r.identifierAlias ? { [IDENTIFIER_ALIAS]: null } : {}) };
      return { ...row, ...eventValues(event, r, plan, t.secrets) };
    }),
  );
  const engine = await enginePromise;
  await engine.materialize(r.table, [...engineColumns(resource, r.identifierAlias), ...r.eventColumns.map((c) => ({ name: c.column, type: eventType(c.field) }))], rows.filter((x): x is Row => x !== undefined));
  try {
    const outcome = await runSql(ctx, engine, r.sql);
    return { kind: 'rows', columns: outcome.columns, rows: outcome.rows, command: tag };
  } finally {
    await engine.drop([r.table]).catch(() => undefined);
  }
}

function eventType(field: string): SqlType {
  if (field === 'EventTime' || field === 'RetryAfter') return 'timestamptz';
  if (field === 'ResourceModel') return 'jsonb';
  return 'text';
}

/**
 * The event's fields under their RETURNING columns: ResourceModel (a JSON string) as JSON
 * without write-only values, StatusMessage without the request's secrets.
 */
function eventValues(event: RequestEvent, r: ReturningPlan, plan: MutationPlan, secrets: readonly string[]): Row {
  const out: Row = {};
  for (const c of r.eventColumns) {
    let v: unknown = event[c.field as keyof RequestEvent];
    if (c.field === 'ResourceModel' && typeof v === 'string') {
      try {
        const model = parseJsonExact(v);
        v = typeof model === 'object' && model !== null && !Array.isArray(model) ? stripWriteOnly(plan.resource, model as Record<string, unknown>) : undefined;
      } catch {
        v = undefined;
      }
    }
    if (c.field === 'StatusMessage' && typeof v === 'string') v = scrub(v, secrets);
    if (v !== undefined) out[c.column] = v;
  }
  return out;
}
