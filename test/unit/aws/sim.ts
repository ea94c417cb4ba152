/**
 * A discrete-event simulation of ccql's Cloud Control fan-out against a throttling service, on a
 * fake clock: the real RegionRate and Semaphore, a model of the SDK's retry loop (the backoff
 * cloudcontrol.ts configures, the SDK's retry quota) and of the emulator (latency, then a token
 * bucket per region; optionally a proxy in front that throttles a random share of calls). Time
 * only moves when every promise has settled, so a run is deterministic and takes no wall time.
 */
import { cancelled, Semaphore } from '../../../src/aws/limits.js';
import { RegionRate, type Clock } from '../../../src/aws/rate.js';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

export class FakeClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly timers: Timer[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise((resolve, reject) => {
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.push(timer);
    });
  }

  /** Pending sleeps (for tests that look at who is waiting). */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward to `until`, firing every sleep due on the way, in order. */
  async advance(until: number): Promise<void> {
    for (;;) {
      await settle();
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.pop();
      this.t = next.at;
      next.fire();
    }
    this.t = Math.max(this.t, until);
  }

  /** Runs until `work` settles, moving time from one sleep to the next. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    work.then(
      () => (done = true),
      () => (done = true),
    );
    for (;;) {
      await settle();
      if (done) return work;
      const next = this.pop();
      if (!next) throw new Error('simulation stalled: nothing is scheduled and the work has not finished');
      this.t = next.at;
      next.fire();
    }
  }

  // A binary heap on (at, seq): thousands of sleeps per run.
  private push(timer: Timer): void {
    const h = this.timers;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): Timer | undefined {
    const h = this.timers;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || !last) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** Lets every promise chain that can move, move (microtasks run before the next macrotask). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** mulberry32: the same sequence on every run. */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Scenario {
  regions: number;
  /** Resources per region: one ListResources page per `pageSize`, one GetResource each. */
  resources: number;
  pageSize?: number;
  latencyMs: number;
  /** The service's limit per region (a token bucket holding up to one second's worth), or none. */
  limitRps?: number;
  /** Whether the bucket starts full (a quiet account) or empty (just used). */
  fullBucket?: boolean;
  /** Share of calls a proxy in front throttles at random, whatever the rate. */
  randomThrottle?: number;
  /** Most calls in flight (ccql's default is 16). */
  concurrency?: number;
  /**
   * Where the `concurrency` slots are. 'shared' (what cloudcontrol.ts does): one set over all
   * regions, a slot held for a whole SDK call, its waits for rate tokens and its retries' backoff
   * included. 'region': the same, with a set per region.
   */
  slots?: 'shared' | 'region';
  /** A fixed client-side limit instead of the adaptive one. */
  fixedRate?: number;
  maxAttempts?: number;
  seed?: number;
}

export interface Outcome {
  ms: number;
  attempts: number;
  throttled: number;
  /** Calls that failed after the SDK's retries (attempts, or its retry quota, ran out). */
  failed: number;
  limits: Array<number | undefined>;
  usual: number[];
}

/** The SDK's retry quota (standard mode): 500, a throttled retry costs 5, refunded on success. */
const QUOTA = 500;
const THROTTLE_COST = 5;

/** Runs a full-property SELECT over `s.regions` regions (ListResources pages, a GetResource per resource). */
export async function simulate(s: Scenario): Promise<Outcome> {
  const clock = new FakeClock();
  const random = seeded(s.seed ?? 1);
  const pageSize = s.pageSize ?? 25;
  const maxAttempts = s.maxAttempts ?? 10;
  const shared = new Semaphore(s.concurrency ?? 16);
  const stats = { attempts: 0, throttled: 0, failed: 0 };
  const regions = Array.from({ length: s.regions }, () => ({
    rate: new RegionRate(s.fixedRate, clock),
    bucket: { tokens: s.fullBucket && s.limitRps ? s.limitRps : 0, at: 0 },
    quota: QUOTA,
    slots: s.slots === 'region' ? new Semaphore(s.concurrency ?? 16) : shared,
  }));

  const serverThrottles = (r: (typeof regions)[number]): boolean => {
    if (s.randomThrottle && random() < s.randomThrottle) return true;
    if (s.limitRps === undefined) return false;
    const b = r.bucket;
    const now = clock.now();
    b.tokens = Math.min(s.limitRps, b.tokens + ((now - b.at) / 1000) * s.limitRps);
    b.at = now;
    if (b.tokens < 1) return true;
    b.tokens -= 1;
    return false;
  };

  // As cloudcontrol.ts does it: the slot is held for the whole SDK call, retries and backoff
  // included; the rate limit is middleware inside the retry loop.
  const call = (r: (typeof regions)[number]): Promise<void> =>
    r.slots.run(async () => {
      for (let attempt = 1; ; attempt++) {
        await r.rate.take();
        stats.attempts++;
        await clock.sleep(s.latencyMs);
        if (!serverThrottles(r)) {
          r.rate.success();
          if (attempt > 1) r.quota = Math.min(QUOTA, r.quota + THROTTLE_COST);
          else r.quota = Math.min(QUOTA, r.quota + 1);
          return;
        }
        stats.throttled++;
        r.rate.throttled();
        if (attempt >= maxAttempts || r.quota < THROTTLE_COST) {
          stats.failed++;
          return;
        }
        r.quota -= THROTTLE_COST;
        // cloudcontrol.ts's backoff: full jitter, up to 200 ms × 2^(attempt-1), at most 3 s
        await clock.sleep(Math.floor(random() * Math.min(3_000, 200 * 2 ** (attempt - 1))));
      }
    });

  const select = async (r: (typeof regions)[number]): Promise<void> => {
    const gets: Array<Promise<void>> = [];
    for (let listed = 0; listed < s.resources; listed += pageSize) {
      await call(r);
      for (let i = listed; i < Math.min(s.resources, listed + pageSize); i++) gets.push(call(r));
    }
    await Promise.all(gets);
  };

  await clock.run(Promise.all(regions.map(select)));
  return {
    ms: clock.now(),
    ...stats,
    limits: regions.map((r) => r.rate.limit),
    usual: regions.map((r) => r.rate.usualThrottling),
  };
}

/** One region's calls at the service's limit: what no client can beat (regions run side by side). */
export function floorMs(s: Scenario): number {
  const calls = Math.ceil(s.resources / (s.pageSize ?? 25)) + s.resources;
  return (calls / (s.limitRps ?? Infinity)) * 1000;
}
