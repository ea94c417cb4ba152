/** The per-region rate limit: fixed, and adaptive to throttling. */
import { describe, expect, it, vi } from 'vitest';
import { RegionRate, isThrottle } from '../../src/aws/rate.js';

describe('RegionRate', () => {
  it('has no limit until throttled, then settles under what got through', () => {
    vi.useFakeTimers();
    try {
      const r = new RegionRate(undefined);
      expect(r.limit).toBeUndefined();
      // one second: 25 calls got through, 75 were throttled
      for (let i = 0; i < 100; i++) {
        vi.advanceTimersByTime(10);
        if (i % 4 === 0) r.success();
        else r.throttled();
      }
      expect(r.limit).toBeGreaterThan(15);
      expect(r.limit).toBeLessThan(40);
      const cut = r.limit!;
      // successes win the rate back, a little at a time
      for (let i = 0; i < 20; i++) r.success();
      expect(r.limit).toBeCloseTo(cut + 2, 5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores a few throttles among many successes', () => {
    vi.useFakeTimers();
    try {
      const r = new RegionRate(undefined);
      for (let i = 0; i < 100; i++) {
        vi.advanceTimersByTime(10);
        if (i % 10 === 0) r.throttled();
        else r.success();
      }
      expect(r.limit).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps a fixed limit whatever happens', async () => {
    const r = new RegionRate(50);
    for (let i = 0; i < 50; i++) r.throttled();
    expect(r.limit).toBe(50);
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) await r.take();
    // 20 tokens at 50/s with a burst of 10: at least ~200 ms of waiting
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
  });

  it('recognizes throttling answers', () => {
    expect(isThrottle({ name: 'ThrottlingException' })).toBe(true);
    expect(isThrottle({ name: 'X', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottle({ name: 'ServiceInternalErrorException', $metadata: { httpStatusCode: 502 } })).toBe(false);
  });
});
