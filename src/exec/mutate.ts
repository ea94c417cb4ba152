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
import type { NativeOutput } from '../aws/native.js';
import { nativeGetMethod } from '../catalog/native-semantics.js';
import { identifierParams, missingParamError, missingParams, nativeCallOf, requestParams } from '../plan/native.js';
import { scrubError } from '../plan/secrets.js';
import type { ExecContext } from './context.js';
import { nativeRequest, nativeRows, outputSecrets, paramProperties, propertiesRow } from './native-rows.js';
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
  /** A native call's output and the parameters it was made with (for RETURNING). */
  output?: NativeOutput;
  params?: Record<string, unknown>;
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
  const alias = plan.returning.identifierAlias;
  await Promise.all(
    requests.map(async (r) => {
      if (!r.identifier) return;
      const row = nativeCallOf(plan.providerMethod) ? await nativeGet(plan, r.region, r.identifier, alias, ctx) : await ccGet(plan, r.region, r.identifier, alias, ctx);
      if (row) before.set(key(r.region, r.identifier), row);
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
  switch (plan.verb) {
    case 'insert':
      return api.create(type, r.region, r.desiredState ?? {}, token, call);
    case 'update':
      return api.update(type, r.region, r.identifier!, r.patch ?? [], token, call);
    case 'delete':
      return api.delete(type, r.region, r.identifier!, token, call);
  }
}

/**
 * One native call for a request: answered when done (no request to wait for), with the output
 * that RETURNING reads, its secrets now the statement's, and the identifier of what it changed.
 */
async function callNative(plan: MutationPlan, ctx: ExecContext, t: Tracked, call: CallContext): Promise<RequestState> {
  const method = plan.providerMethod!;
  const params = requestParams(plan.resource, t.request);
  const missing = missingParams(method, params);
  if (missing.length > 0) throw missingParamError(plan.resource, method, missing, plan.verb === 'insert' ? 'insert' : 'where');
  const out = await ctx.native().send(nativeRequest(plan.resource, method, params, plan.target.name), call);
  if (out === undefined) return { kind: 'not_found' };
  const secrets = outputSecrets(nativeCallOf(method)!, out);
  for (const v of secrets) ctx.secret(v);
  t.secrets.push(...secrets);
  t.output = out;
  t.params = params;
  const row = nativeRows(plan.resource, method, out, { region: t.request.region, implied: params, secrets: 'mask' })[0] ?? propertiesRow(plan.resource, {}, { region: t.request.region, implied: params });
  const identifier = typeof row[IDENTIFIER] === 'string' && row[IDENTIFIER] !== '' ? String(row[IDENTIFIER]) : t.request.identifier;
  return { kind: 'succeeded', event: { Identifier: identifier, OperationStatus: 'SUCCESS' } };
}

async function send(plan: MutationPlan, tracked: Tracked[], ctx: ExecContext): Promise<void> {
  if (tracked.length === 0) return;
  const native = nativeCallOf(plan.providerMethod) !== undefined;
  const api = native ? undefined : ctx.api();
  const counter = new CallCounter(`${plan.operation} ${plan.target.name}`, ctx.hooks.onProgress);
  const abort = linkedAbort(ctx.hooks.signal);
  const call = counter.context(abort.signal);
  let failed = false;
  let next = 0;
  const creating = plan.verb === 'insert';

  const worker = async (): Promise<void> => {
    while (!failed && next < tracked.length && !abort.signal.aborted) {
      const t = tracked[next++]!;
      try {
        t.state = { kind: 'sent' };
        if (!api) {
          t.state = await callNative(plan, ctx, t, call);
          if (t.state.kind === 'succeeded' && creating) ctx.notice({ severity: 'NOTICE', message: `created ${plan.target.name} ${t.state.event.Identifier ?? '(no identifier reported)'} in ${t.request.region}` });
          continue;
        }
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
  if (cancelled && api) await settle(api, tracked, plan.nowait);
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
  const native = nativeCallOf(plan.providerMethod) !== undefined;
  const enginePromise = ctx.engine();
  enginePromise.catch(() => undefined);
  // Concurrently (the client bounds calls in flight), in the order of the statement's rows.
  const rows = await Promise.all(
    done.map(async (t): Promise<Row | undefined> => {
      const event = eventOf(t) ?? {};
      const id = event.Identifier ?? t.request.identifier;
      let row: Row | undefined;
      if (r.properties === 'after' && native) {
        row = await nativeAfter(plan, t, id, r.identifierAlias, ctx);
      } else if (r.properties === 'after') {
        row = id ? await ccGet(plan, t.request.region, id, r.identifierAlias, ctx) : undefined;
        if (!row) return undefined; // gone again: nothing to return
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
  } catch (e) {
    // An engine error may quote a value RETURNING holds, such as a token the call returned.
    throw scrubError(e, done.flatMap((t) => t.secrets));
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

/** A resource as Cloud Control's GetResource reads it, as a row (undefined when it does not exist). */
async function ccGet(plan: MutationPlan, region: string, identifier: string, identifierAlias: boolean, ctx: ExecContext): Promise<Row | undefined> {
  const found = await ctx.api().get(plan.resource.typeName, region, identifier, { signal: ctx.hooks.signal });
  return found ? resourceRow(plan.resource, region, found.identifier, found.properties, {}, identifierAlias) : undefined;
}

/** A resource as the native table's get method reads it (secrets masked), or undefined. */
async function nativeGet(plan: MutationPlan, region: string, identifier: string, identifierAlias: boolean, ctx: ExecContext): Promise<Row | undefined> {
  const get = plan.resource.methods.find((m) => nativeGetMethod(plan.resource, m));
  if (!get) return undefined;
  const params = { region, ...identifierParams(plan.resource, identifier) };
  const out = await ctx.native().send(nativeRequest(plan.resource, get, params, plan.target.name), { signal: ctx.hooks.signal });
  return out ? nativeRows(plan.resource, get, out, { region, implied: params, identifierAlias, secrets: 'mask' })[0] : undefined;
}

/**
 * RETURNING's row of a native change: what the request sent (without write-only values), under
 * the resource as its get method reads it now (when the table has one), under what the call
 * answered, secrets and all: a token CreateStage issued is in its answer only.
 */
async function nativeAfter(plan: MutationPlan, t: Tracked, id: string | undefined, identifierAlias: boolean, ctx: ExecContext): Promise<Row> {
  const region = t.request.region;
  const params = t.params ?? requestParams(plan.resource, t.request);
  const sent = propertiesRow(plan.resource, paramProperties(plan.resource, params), { region, implied: id ? { [IDENTIFIER]: id } : {}, identifierAlias });
  const now = id ? await nativeGet(plan, region, id, identifierAlias, ctx) : undefined;
  const answered = t.output ? nativeRows(plan.resource, plan.providerMethod!, t.output, { region, implied: params, identifierAlias, secrets: 'show' })[0] : undefined;
  return { ...sent, ...definedOnly(now), ...definedOnly(answered) };
}

function definedOnly(row: Row | undefined): Row {
  return Object.fromEntries(Object.entries(row ?? {}).filter(([, v]) => v !== undefined && v !== null));
}
