/** The per-region rate limit: fixed, and adaptive to throttling. Time is a fake clock throughout. */
import { describe, expect, it } from 'vitest';
import { RegionRate, isThrottle } from '../../../src/aws/rate.js';
import { FakeClock } from './sim.js';

/** One attempt every `gapMs`, answered as `throttled(i)` says (a token first, as the SDK middleware takes one). */
async function answer(clock: FakeClock, r: RegionRate, count: number, gapMs: number, throttled: (i: number) => boolean): Promise<void> {
  for (let i = 0; i < count; i++) {
    await clock.run(r.take());
    await clock.advance(clock.now() + gapMs);
    if (throttled(i)) r.throttled();
    else r.success();
  }
}

describe('RegionRate', () => {
  it('has no limit until throttled', async () => {
    const clock = new FakeClock();
    const r = new RegionRate(undefined, clock);
    await answer(clock, r, 100, 10, () => false);
    expect(r.limit).toBeUndefined();
  });

  it('ignores a few throttles among many successes', async () => {
    const clock = new FakeClock();
    const r = new RegionRate(undefined, clock);
    await answer(clock, r, 100, 10, (i) => i % 10 === 0);
    expect(r.limit).toBeUndefined();
  });

  it('cuts to under what got through when most attempts are throttled, and keeps the cut when that helps', async () => {
    const clock = new FakeClock();
    const r = new RegionRate(undefined, clock);
    // 100 attempts a second, 3 in 4 throttled: 25 a second get through
    await answer(clock, r, 20, 10, (i) => i % 4 !== 0);
    const cut = r.limit!;
    expect(cut).toBeGreaterThan(20);
    expect(cut).toBeLessThan(30);
    // at the lower rate the service stops throttling: the cut stays, and successes then win the rate back a little at a time
    await answer(clock, r, 40, 40, () => false);
    expect(r.limit).toBeDefined();
    expect(r.usualThrottling).toBe(0);
    const kept = r.limit!;
    await answer(clock, r, 20, 40, () => false);
    expect(r.limit).toBeCloseTo(kept + 2, 5);
  });

  it('goes back to no limit when the share throttled does not fall with the rate, and takes that share as usual', async () => {
    const clock = new FakeClock();
    const r = new RegionRate(undefined, clock);
    // 30% throttled whatever the rate (a fault-injecting proxy)
    const faults = (i: number): boolean => i % 10 < 3;
    await answer(clock, r, 20, 10, faults);
    expect(r.limit).toBeDefined();
    // (a trial at the lower rate: half a second for the calls sent before it, then a window)
    await answer(clock, r, 100, 10, faults);
    expect(r.limit).toBeUndefined();
    // about 30% seen, taken as usual up to 25%, where the SDK's retry quota starts to run dry
    expect(r.usualThrottling).toBeGreaterThan(0.2);
    expect(r.usualThrottling).toBeLessThanOrEqual(0.25);
    // the same share again is no reason to cut
    await answer(clock, r, 200, 10, faults);
    expect(r.limit).toBeUndefined();
  });

  it('keeps a fixed limit whatever happens, and spaces the calls by it', async () => {
    const clock = new FakeClock();
    const r = new RegionRate(50, clock);
    for (let i = 0; i < 50; i++) r.throttled();
    expect(r.limit).toBe(50);
    // 20 tokens at 50/s with a burst of 10: the 20th is due 10 × 20 ms after the start
    await clock.run(
      (async () => {
        for (let i = 0; i < 20; i++) await r.take();
      })(),
    );
    expect(clock.now()).toBeCloseTo(200, 6);
  });

  it('recognizes throttling answers', () => {
    expect(isThrottle({ name: 'ThrottlingException' })).toBe(true);
    expect(isThrottle({ name: 'X', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottle({ name: 'X', $retryable: { throttling: true } })).toBe(true);
    expect(isThrottle({ name: 'ServiceInternalErrorException', $metadata: { httpStatusCode: 502 } })).toBe(false);
  });
});
