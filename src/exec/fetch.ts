/**
 * Runs fetch plans: the Cloud Control calls that bring each provider table's rows, fanned out
 * concurrently (the client bounds calls in flight and the rate per region). A table that
 * depends on another (`ON k.channel_arn = c.arn`) starts when that one is complete, once per
 * distinct value. A call that still fails after the SDK's retries costs its region or row, with
 * a notice, unless the session is strict; mistakes in the statement fail it outright.
 */
import { setMaxListeners } from 'node:events';
import type { CloudControl, CallContext } from '../aws/cloudcontrol.js';
import { AwsCallError } from '../aws/errors.js';
import { CcqlError } from '../errors.js';
import { REGION } from '../plan/columns.js';
import type { FetchPlan, RegionSource, ValueSource } from '../plan/fetch-plan.js';
import type { Notice, RunHooks } from '../result.js';
import { resourceRow, type Row } from './rows.js';

export interface FetchContext {
  cc: CloudControl;
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
  ) {}

  context(signal: AbortSignal | undefined): CallContext {
    return {
      signal,
      onStart: () => {
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

/** One combination of parameter values: a region plus an identifier or list-parent values. */
export interface CallParams {
  region: string;
  identifier?: string;
  parents?: Record<string, string>;
  /** Column values the call implies (list parents), for rows whose properties lack them. */
  implied: Record<string, string>;
}

/** Fetches every planned table; returns rows by reference id. */
export async function fetchTables(plans: readonly FetchPlan[], ctx: FetchContext): Promise<Map<number, Row[]>> {
  const results = new Map<number, Row[]>();
  if (plans.length === 0) return results;
  const abort = linkedAbort(ctx.hooks.signal);
  const failures = new Failures();
  const counter = new CallCounter(plans.map((p) => p.ref.name).join(', '), ctx.hooks.onProgress);
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
      failures.add(`${what} ${plan.ref.name} in ${region}`, e);
      return undefined;
    }
    throw e;
  };

  const perCombo = combos.map(async (p): Promise<Row[]> => {
    if (method.kind === 'get') {
      try {
        const r = await ctx.cc.get(typeName, p.region, p.identifier!, call);
        failures.succeeded();
        return r ? [resourceRow(resource, p.region, r.identifier, r.properties, p.implied, plan.identifierAlias)] : [];
      } catch (e) {
        return handle(e, 'GetResource', p.region) ?? [];
      }
    }
    const items: Array<Promise<Row | undefined>> = [];
    try {
      for await (const page of ctx.cc.list(typeName, p.region, p.parents, call)) {
        failures.succeeded();
        for (const res of page) {
          if (!plan.hydrate) {
            items.push(Promise.resolve(resourceRow(resource, p.region, res.identifier, res.properties, p.implied, plan.identifierAlias)));
            continue;
          }
          items.push(
            ctx.cc.get(typeName, p.region, res.identifier, call).then(
              (full) => {
                failures.succeeded();
                return full ? resourceRow(resource, p.region, full.identifier, full.properties, p.implied, plan.identifierAlias) : undefined;
              },
              (e: unknown) => handle(e, 'GetResource', p.region),
            ),
          );
        }
      }
    } catch (e) {
      handle(e, 'ListResources', p.region);
      failures.incomplete(`${plan.ref.name} in ${p.region}`);
    }
    const rows = await Promise.all(items);
    return rows.filter((r): r is Row => r !== undefined);
  });
  const all = (await Promise.all(perCombo)).flat();
  // The same resource can come back through two parameter combinations; keep it once.
  const seen = new Set<string>();
  return all.filter((r) => {
    const key = `${String(r[REGION])}\u0000${String(r.data__identifier)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every combination of parameter values the plan's calls take. */
export function callParams(plan: FetchPlan, fetched: ReadonlyMap<number, Row[]>): CallParams[] {
  type Slot = { key: string; source: ValueSource | RegionSource };
  const slots: Slot[] = [{ key: 'region', source: plan.region }];
  if (plan.method.kind === 'get') plan.method.identifierParts.forEach((s, i) => slots.push({ key: `id${i}`, source: s }));
  if (plan.method.kind === 'list') for (const p of plan.method.parents) slots.push({ key: `parent:${p.property}:${p.column}`, source: p.source });

  let combos: Array<Record<string, string>> = [{}];
  const byRef = new Map<number, Slot[]>();
  for (const slot of slots) {
    if (slot.source.kind === 'const') {
      const values = slot.source.values;
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [slot.key]: v })));
    } else {
      const list = byRef.get(slot.source.ref) ?? [];
      list.push(slot);
      byRef.set(slot.source.ref, list);
    }
  }
  for (const [ref, group] of byRef) {
    const tuples = new Map<string, Record<string, string>>();
    for (const row of fetched.get(ref) ?? []) {
      const t: Record<string, string> = {};
      let ok = true;
      for (const slot of group) {
        const v = row[(slot.source as { column: string }).column];
        if (v === undefined || v === null || typeof v === 'object') {
          ok = false;
          break;
        }
        t[slot.key] = String(v);
      }
      if (ok) tuples.set(JSON.stringify(t), t);
    }
    combos = combos.flatMap((c) => [...tuples.values()].map((t) => ({ ...c, ...t })));
  }

  return combos.map((c) => {
    const out: CallParams = { region: c.region!, implied: {} };
    if (plan.method.kind === 'get') out.identifier = plan.method.identifierParts.map((_, i) => c[`id${i}`]!).join('|');
    if (plan.method.kind === 'list' && plan.method.parents.length > 0) {
      out.parents = {};
      for (const p of plan.method.parents) {
        const v = c[`parent:${p.property}:${p.column}`]!;
        out.parents[p.property] = v;
        out.implied[p.column] = v;
      }
    }
    return out;
  });
}

/** Calls that failed after retries, summed up per table/region/operation into one notice each. */
class Failures {
  private readonly groups = new Map<string, { count: number; first: AwsCallError }>();
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

  add(key: string, e: AwsCallError): void {
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
