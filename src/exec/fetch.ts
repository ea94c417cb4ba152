/**
 * Runs fetch plans: the Cloud Control calls that bring each provider table's rows, fanned out
 * concurrently (the client bounds calls in flight and the rate per region). A table that
 * depends on another (`ON k.channel_arn = c.arn`) starts when that one is complete, once per
 * distinct value. A call that still fails after the SDK's retries costs its region or row, with
 * a notice, unless the session is strict; mistakes in the statement fail it outright.
 */
import { setMaxListeners } from 'node:events';
import { AwsCallError } from '../aws/errors.js';
import type { CallContext, ResourceApi } from '../aws/resource-api.js';
import { CcqlError } from '../errors.js';
import type { NativeApi } from '../aws/native.js';
import { callParams, type CallParams } from '../plan/call-params.js';
import { identifierParams, nativeCallOf } from '../plan/native.js';
import { nativeRequest, nativeRows, rowParams } from './native-rows.js';
import { REGION } from '../plan/columns.js';
import type { FetchPlan } from '../plan/fetch-plan.js';
import type { Notice, RunHooks } from '../result.js';
import { resourceRow, type Row } from './rows.js';

export interface FetchContext {
  /** Cloud Control, asked for only by tables it serves. */
  api: () => ResourceApi;
  /** The native SDK clients, asked for only by tables served by native methods. */
  native: () => NativeApi;
  maxCalls: number;
  hooks: RunHooks;
  strict: boolean;
}

/**
 * An AbortController that also aborts when the statement's signal does. Every call in flight
 * listens on its signal, so the listener limit (a leak warning at 10) does not apply.
 */
export function linkedAbort(parent: AbortSignal | undefined): AbortController & { unlink(): void } {
  const c = new AbortController() as AbortController & { unlink(): void };
  setMaxListeners(0, c.signal);
  const onAbort = (): void => c.abort();
  if (parent?.aborted) c.abort();
  else parent?.addEventListener('abort', onAbort, { once: true });
  c.unlink = () => parent?.removeEventListener('abort', onAbort);
  return c;
}

/** Counts calls started and finished, and reports them as progress. */
export class CallCounter {
  started = 0;
  finished = 0;

  constructor(
    private readonly label: string,
    private readonly onProgress: RunHooks['onProgress'],
    /** Most calls the statement may start (what the plan could not count: hydration, joins). */
    private readonly maxCalls = Infinity,
  ) {}

  context(signal: AbortSignal | undefined): CallContext {
    return {
      signal,
      onStart: () => {
        if (this.started >= this.maxCalls) throw tooManyCalls(this.maxCalls, `${this.label} needs more`);
        this.started++;
        this.report();
      },
      onCall: () => {
        this.finished++;
        this.report();
      },
    };
  }

  private report(): void {
    this.onProgress?.({ done: this.finished, total: this.started, label: this.label });
  }
}

export function tooManyCalls(max: number, what: string): CcqlError {
  return new CcqlError('invalid_input', `${what} than ${max} API calls, the most one statement may make`, {
    hint: `narrow the WHERE clause (region, identifiers), or raise the limit with --max-calls; EXPLAIN shows the calls`,
  });
}

/** Fetches every planned table; returns rows by reference id. */
export async function fetchTables(plans: readonly FetchPlan[], ctx: FetchContext): Promise<Map<number, Row[]>> {
  const results = new Map<number, Row[]>();
  if (plans.length === 0) return results;
  const abort = linkedAbort(ctx.hooks.signal);
  const failures = new Failures();
  const counter = new CallCounter(plans.map((p) => p.ref.name).join(', '), ctx.hooks.onProgress, ctx.maxCalls);
  const call = counter.context(abort.signal);
  const done = new Map<number, Promise<void>>();
  try {
    for (const plan of plans) {
      const deps = plan.dependsOn.map((d) => done.get(d)).filter((p): p is Promise<void> => p !== undefined);
      done.set(
        plan.ref.id,
        Promise.all(deps).then(async () => {
          const rows = await fetchOne(plan, results, ctx, call, failures);
          results.set(plan.ref.id, rows);
        }),
      );
    }
    await Promise.all([...done.values()]).catch((e: unknown) => {
      abort.abort();
      throw e;
    });
  } catch (e) {
    if (ctx.hooks.signal?.aborted) throw new CcqlError('cancelled', 'statement cancelled', { cause: e });
    throw e;
  } finally {
    abort.unlink();
  }
  // Returning an empty table when every call failed (a wrong endpoint, no network, expired
  // credentials) would read as "there are no resources": that is an error, strict or not.
  const nothing = failures.nothingSucceeded();
  if (nothing) throw nothing;
  // Nor may a table whose calls failed come back empty: its few rows may be exactly the lost ones.
  for (const plan of plans) {
    const lost = failures.regionsOf(plan.ref.id);
    if (lost.length > 0 && (results.get(plan.ref.id)?.length ?? 0) === 0) {
      throw new CcqlError('aws', `no rows of ${plan.ref.name} came back: calls failed in ${lost.join(', ')}`, {
        hint: 'an empty result here could be a failure, not an empty table; try again, or check the endpoint and the region',
        details: failures.notices().map((n) => n.message),
      });
    }
  }
  for (const n of failures.notices()) ctx.hooks.onNotice?.(n);
  return results;
}

async function fetchOne(plan: FetchPlan, fetched: ReadonlyMap<number, Row[]>, ctx: FetchContext, call: CallContext, failures: Failures): Promise<Row[]> {
  const { resource, method } = plan;
  if (method.kind === 'none') return [];
  const combos = callParams(plan, fetched);
  const typeName = resource.typeName;
  const handle = (e: unknown, what: string, region: string): undefined => {
    if (e instanceof AwsCallError && e.partial && !ctx.strict) {
      failures.add(`${what} ${plan.ref.name} in ${region}`, e, plan.ref.id, region);
      return undefined;
    }
    throw e;
  };
  if (nativeCallOf(plan.providerMethod)) return unique(await fetchNative(plan, combos, ctx, call, failures, handle));
  const api = ctx.api();

  const perCombo = combos.map(async (p): Promise<Row[]> => {
    if (method.kind === 'get') {
      try {
        const r = await api.get(typeName, p.region, p.identifier!, call);
        failures.succeeded();
        return r ? [resourceRow(resource, p.region, r.identifier, r.properties, p.implied, plan.identifierAlias)] : [];
      } catch (e) {
        return handle(e, 'GetResource', p.region) ?? [];
      }
    }
    const items: Array<Promise<Row | undefined>> = [];
    const settleItems = (): Promise<unknown> => Promise.allSettled(items);
    try {
      for await (const page of api.list(typeName, p.region, p.parents, call)) {
        failures.succeeded();
        for (const res of page) {
          if (!plan.hydrate) {
            items.push(Promise.resolve(resourceRow(resource, p.region, res.identifier, res.properties, p.implied, plan.identifierAlias)));
            continue;
          }
          const item = api.get(typeName, p.region, res.identifier, call).then(
            (full) => {
              failures.succeeded();
              return full ? resourceRow(resource, p.region, full.identifier, full.properties, p.implied, plan.identifierAlias) : undefined;
            },
            (e: unknown) => handle(e, 'GetResource', p.region),
          );
          // Observed now, so a failure while the next page loads is not an unhandled rejection;
          // it still fails the statement when the items are awaited below.
          item.catch(() => undefined);
          items.push(item);
        }
      }
    } catch (e) {
      // Hydrations already started must settle (and so be observed) before this fails or goes on.
      await settleItems();
      handle(e, 'ListResources', p.region);
      failures.incomplete(`${plan.ref.name} in ${p.region}`);
    }
    const rows = await Promise.all(items);
    return rows.filter((r): r is Row => r !== undefined);
  });
  return unique((await Promise.all(perCombo)).flat());
}

/** The same resource can come back through two parameter combinations; keep it once. */
function unique(all: Row[]): Row[] {
  const seen = new Set<string>();
  return all.filter((r) => {
    const key = `${String(r[REGION])}\u0000${String(r.data__identifier)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A native table's rows: one call of its method per parameter combination (every page of a
 * list), each listed row read whole by the get method when the statement needs columns the list
 * lacks. A "not found" answer is no rows.
 */
async function fetchNative(
  plan: FetchPlan,
  combos: readonly CallParams[],
  ctx: FetchContext,
  call: CallContext,
  failures: Failures,
  handle: (e: unknown, what: string, region: string) => undefined,
): Promise<Row[]> {
  const { resource } = plan;
  const method = plan.providerMethod!;
  const ncall = nativeCallOf(method)!;
  const api = ctx.native();
  const rowOptions = (region: string, implied: Record<string, unknown>) => ({ region, implied, identifierAlias: plan.identifierAlias, secrets: 'mask' as const });
  const read = async (row: Row): Promise<Row | undefined> => {
    const get = plan.hydrateMethod!;
    const params = rowParams(resource, row);
    const out = await api.send(nativeRequest(resource, get, params, plan.ref.name), call);
    failures.succeeded();
    const full = out === undefined ? undefined : nativeRows(resource, get, out, rowOptions(String(row.region), {}))[0];
    // What only the list says (a summary field the get leaves out) stays.
    return full ? { ...row, ...full } : undefined;
  };
  const perCombo = combos.map(async (p): Promise<Row[]> => {
    const params: Record<string, unknown> = { region: p.region, ...p.implied, ...(p.identifier !== undefined ? identifierParams(resource, p.identifier) : {}) };
    const request = nativeRequest(resource, method, params, plan.ref.name);
    const operation = ncall.operation;
    if (plan.method.kind === 'get') {
      try {
        const out = await api.send(request, call);
        failures.succeeded();
        return out ? nativeRows(resource, method, out, rowOptions(p.region, params)) : [];
      } catch (e) {
        return handle(e, operation, p.region) ?? [];
      }
    }
    const items: Array<Promise<Row | undefined>> = [];
    try {
      for await (const page of api.pages(request, ncall.pagination, call)) {
        failures.succeeded();
        for (const row of nativeRows(resource, method, page, rowOptions(p.region, p.implied))) {
          if (!plan.hydrate) {
            items.push(Promise.resolve(row));
            continue;
          }
          const item = read(row).catch((e: unknown) => handle(e, nativeCallOf(plan.hydrateMethod)!.operation, p.region));
          item.catch(() => undefined);
          items.push(item);
        }
      }
    } catch (e) {
      await Promise.allSettled(items);
      handle(e, operation, p.region);
      failures.incomplete(`${plan.ref.name} in ${p.region}`);
    }
    return (await Promise.all(items)).filter((r): r is Row => r !== undefined);
  });
  return (await Promise.all(perCombo)).flat();
}

/** Calls that failed after retries, summed up per table/region/operation into one notice each. */
class Failures {
  private readonly groups = new Map<string, { count: number; first: AwsCallError }>();
  private readonly failedRegions = new Map<number, Set<string>>();
  private readonly partialTables = new Set<string>();
  private successes = 0;

  succeeded(): void {
    this.successes++;
  }

  /** The first failure, as the statement's error, when calls failed and none succeeded. */
  nothingSucceeded(): CcqlError | undefined {
    if (this.successes > 0) return undefined;
    const first = this.groups.values().next().value;
    if (!first) return undefined;
    const calls = [...this.groups.values()].reduce((n, g) => n + g.count, 0);
    return new CcqlError('aws', `every call failed (${calls} in all); first: ${first.first.message}`, {
      hint: first.first.hint ?? 'check the endpoint, the region and your credentials',
      cause: first.first,
    });
  }

  /** Regions where calls for table reference `ref` failed. */
  regionsOf(ref: number): string[] {
    return [...(this.failedRegions.get(ref) ?? [])];
  }

  add(key: string, e: AwsCallError, ref: number, region: string): void {
    const regions = this.failedRegions.get(ref) ?? new Set<string>();
    regions.add(region);
    this.failedRegions.set(ref, regions);
    const g = this.groups.get(key);
    if (g) g.count++;
    else this.groups.set(key, { count: 1, first: e });
  }

  incomplete(table: string): void {
    this.partialTables.add(table);
  }

  notices(): Notice[] {
    const out: Notice[] = [];
    for (const [key, g] of this.groups) {
      const what = g.count === 1 ? `${key} failed` : `${g.count} calls ${key} failed`;
      const consequence = key.startsWith('ListResources') ? 'its rows are incomplete or missing' : g.count === 1 ? 'that row is left out' : 'those rows are left out';
      out.push({
        severity: 'WARNING',
        message: `${what} after retries (${g.first.awsCode}); ${consequence}`,
        hint: 'the other rows are returned; run with strict mode to fail the statement instead',
      });
    }
    return out;
  }
}
