/** The abortable sleep and the in-flight semaphore, on vitest's fake timers (no test waits for real time). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Semaphore, sleep } from '../../../src/aws/limits.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sleep', () => {
  it('resolves after the time asked, not before', async () => {
    let done = false;
    const p = sleep(250).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(249);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
  });

  it("rejects with a 'cancelled' error as soon as the signal aborts, and leaves no timer behind", async () => {
    const abort = new AbortController();
    const p = sleep(60_000, abort.signal);
    const rejected = expect(p).rejects.toMatchObject({ code: 'cancelled', message: 'statement cancelled' });
    await vi.advanceTimersByTimeAsync(10);
    abort.abort();
    await rejected;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses at once when the signal has already aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(sleep(10, abort.signal)).rejects.toMatchObject({ code: 'cancelled' });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('Semaphore', () => {
  it('runs at most `limit` at once, the others in order as slots free', async () => {
    const s = new Semaphore(2);
    let active = 0;
    let most = 0;
    const order: number[] = [];
    const job = (i: number) => () =>
      (async () => {
        active++;
        most = Math.max(most, active);
        await sleep(100);
        order.push(i);
        active--;
        return i;
      })();
    const all = Promise.all([0, 1, 2, 3, 4].map((i) => s.run(job(i))));
    await vi.advanceTimersByTimeAsync(300);
    expect(await all).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('takes a waiter that is cancelled out of the queue, and the slot goes to the next', async () => {
    const s = new Semaphore(1);
    const started: string[] = [];
    const hold = s.run(async () => {
      started.push('first');
      await sleep(100);
    });
    const abort = new AbortController();
    const cancelled = s.run(async () => void started.push('cancelled'), abort.signal);
    const next = s.run(async () => void started.push('next'));
    const rejected = expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    abort.abort();
    await rejected;
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all([hold, next]);
    expect(started).toEqual(['first', 'next']);
  });

  it('frees the slot when the work fails', async () => {
    const s = new Semaphore(1);
    await expect(s.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await s.run(() => Promise.resolve('after'))).toBe('after');
  });
});
