/**
 * The adaptive limiter against simulated services (sim.ts: the real RegionRate and Semaphore,
 * the SDK's retry loop and quota, the emulator's token bucket), on a fake clock: a full-property
 * SELECT's calls, and how long they take against what no client can beat.
 */
import { describe, expect, it } from 'vitest';
import { cancelled } from '../../../src/aws/limits.js';
import { RegionRate } from '../../../src/aws/rate.js';
import { FakeClock, floorMs, simulate, type Scenario } from './sim.js';

const SEEDS = [1, 2, 3];

async function runs(s: Scenario): Promise<Array<Awaited<ReturnType<typeof simulate>>>> {
  return Promise.all(SEEDS.map((seed) => simulate({ ...s, seed })));
}

describe('the adaptive rate limit against a service limit', () => {
  it('settles just under the limit: a long fan-out takes the floor, with few calls throttled', async () => {
    const s: Scenario = { regions: 1, resources: 500, latencyMs: 50, limitRps: 25 };
    for (const o of await runs(s)) {
      expect(o.failed).toBe(0);
      expect(o.ms / floorMs(s)).toBeLessThan(1.1);
      expect(o.throttled / o.attempts).toBeLessThan(0.2);
      expect(o.usual).toEqual([0]); // nothing taken as throttling that ignores the rate
    }
  });

  it('does not give up the burst a quiet account allows, and still settles under the limit', async () => {
    const s: Scenario = { regions: 1, resources: 100, latencyMs: 50, limitRps: 25, fullBucket: true };
    for (const o of await runs(s)) {
      expect(o.failed).toBe(0);
      expect(o.ms / floorMs(s)).toBeLessThan(1.05);
      expect(o.limits[0]).toBeLessThan(35);
    }
  });

  it('reacts to a limit far under what it sends before the SDK retry quota runs dry', async () => {
    const s: Scenario = { regions: 1, resources: 2000, latencyMs: 50, limitRps: 25, concurrency: 64 };
    for (const o of await runs(s)) {
      expect(o.failed).toBe(0);
      expect(o.ms / floorMs(s)).toBeLessThan(1.05);
    }
  });
});

describe('the adaptive rate limit against throttling that does not depend on the rate', () => {
  it('ends with no limit worth the name, costing next to nothing against no client-side limit at all', async () => {
    const s: Scenario = { regions: 1, resources: 300, latencyMs: 1, randomThrottle: 0.2 };
    const unlimited = await Promise.all(SEEDS.map((seed) => simulate({ ...s, seed, fixedRate: 1e9 })));
    const adaptive = await runs(s);
    adaptive.forEach((o, i) => {
      expect(o.failed).toBe(0);
      // none, or (a cut kept on a chance streak) one far above the thousands a second this sends
      expect(o.limits[0] ?? Infinity).toBeGreaterThan(1000);
      expect(o.ms / unlimited[i]!.ms).toBeLessThan(1.1);
    });
  });

  it('under a service limit as well, keeps near the limit without running the retry quota dry', async () => {
    const s: Scenario = { regions: 1, resources: 2000, latencyMs: 50, limitRps: 25, randomThrottle: 0.2 };
    for (const o of await runs(s)) {
      expect(o.failed).toBe(0);
      expect(o.ms / floorMs(s)).toBeLessThan(1.15);
      expect(o.usual[0]).toBeGreaterThan(0.1);
    }
  });
});

describe('RegionRate.take', () => {
  it('gives a cancelled wait its slot back, to the next caller', async () => {
    const clock = new FakeClock();
    const r = new RegionRate(10, clock); // a burst of 2, then one token per 100 ms
    await clock.run(Promise.all([r.take(), r.take()]));
    const abort = new AbortController();
    const waiting = r.take(abort.signal);
    const rejected = expect(waiting).rejects.toMatchObject({ code: cancelled().code });
    abort.abort();
    await rejected;
    expect(clock.pending).toBe(0);
    // the next caller waits for the slot the cancelled one had reserved, not the one after it
    await clock.run(r.take());
    expect(clock.now()).toBeCloseTo(100, 6);
  });

  it('refuses at once when the signal has already aborted', async () => {
    const clock = new FakeClock();
    const r = new RegionRate(1, clock);
    await clock.run(r.take());
    const abort = new AbortController();
    abort.abort();
    await expect(r.take(abort.signal)).rejects.toMatchObject({ code: 'cancelled' });
  });
});
