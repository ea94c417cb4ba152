/**
 * The per-region client-side rate limit. It sits inside the SDK's retry loop (as client
 * middleware), so every attempt, retries included, takes a token, and every throttling answer is
 * seen.
 *
 * Fixed: at most `rate` requests per second. Adaptive (the default): no limit until the service
 * first throttles; then the rate becomes a little under what actually got through in the last
 * second, and grows by about 10% for each second of successful calls; so a fan-out settles
 * just under the service's limit instead of burning attempts on throttling errors.
 */
import { sleep } from './limits.js';

const WINDOW_MS = 1000;
const DECREASE = 0.9;
const GROWTH = 0.1;
const MIN_SAMPLE = 5;

export class RegionRate {
  private rate: number | undefined;
  private tokens = 0;
  private last = Date.now();
  private readonly recent: number[] = [];
  private lastCut = 0;
  private firstAt: number | undefined;
  private lastWaitAt = 0;

  constructor(private readonly fixed: number | undefined) {
    this.rate = fixed && fixed > 0 ? fixed : undefined;
    this.tokens = this.burst();
  }

  /** The current limit in requests per second (undefined: none yet). */
  get limit(): number | undefined {
    return this.rate;
  }

  /** Waits for a token. */
  async take(signal?: AbortSignal): Promise<void> {
    this.firstAt ??= Date.now();
    const rate = this.rate;
    if (rate === undefined) return;
    const now = Date.now();
    this.tokens = Math.min(this.burst(), this.tokens + ((now - this.last) / 1000) * rate);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    this.lastWaitAt = now;
    // In debt: each waiter has reserved the next free slot, so they are served in order.
    await sleep((-this.tokens / rate) * 1000, signal);
  }

  success(): void {
    const now = Date.now();
    this.recent.push(now);
    while (this.recent.length > 0 && this.recent[0]! < now - WINDOW_MS) this.recent.shift();
    // +0.1 per success is +10% per second at full rate: back to the old rate soon after a cut, so
    // throttling that is not about the rate (a noisy neighbour, a fault) does not starve the run.
    if (this.fixed === undefined && this.rate !== undefined) this.rate += GROWTH;
  }

  throttled(): void {
    if (this.fixed !== undefined) return;
    const now = Date.now();
    // One cut per window: the throttles of one burst are one signal, not many.
    if (now - this.lastCut < WINDOW_MS) return;
    while (this.recent.length > 0 && this.recent[0]! < now - WINDOW_MS) this.recent.shift();
    // A limit that is not what holds calls back did not cause this throttle (a fault, a noisy
    // neighbour): lowering it would only slow the run down.
    if (this.rate !== undefined && now - this.lastWaitAt > WINDOW_MS) return;
    // Too few successes say nothing about the rate that gets through; the SDK's backoff handles it.
    if (this.recent.length < MIN_SAMPLE) return;
    const observedMs = Math.min(WINDOW_MS, Math.max(100, now - (this.firstAt ?? now)));
    const gotThrough = (this.recent.length * 1000) / observedMs;
    this.lastCut = now;
    this.rate = Math.max(1, Math.min(this.rate ?? Infinity, gotThrough) * DECREASE);
    this.tokens = Math.min(this.tokens, 0);
    this.last = now;
  }

  private burst(): number {
    return this.rate === undefined ? 0 : Math.max(1, this.rate / 5);
  }
}

/** The SDK's name for a throttling answer, in any of the forms AWS services use. */
export function isThrottle(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return (
    err?.$retryable?.throttling === true ||
    err?.$metadata?.httpStatusCode === 429 ||
    ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled', 'SlowDown'].includes(err?.name ?? '')
  );
}
