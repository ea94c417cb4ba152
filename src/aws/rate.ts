/**
 * The per-region client-side rate limit. It sits inside the SDK's retry loop (as client
 * middleware), so every attempt, retries included, takes a token, and every throttling answer is
 * seen.
 *
 * Fixed: at most `rate` requests per second. Adaptive (the default): no limit until the service
 * first throttles; then, at most once a second, the rate becomes a little under the share of
 * the last second's attempts that got through, and each success raises it a little (about 10%
 * a second at full rate). A fan-out so settles just under the service's limit instead of burning
 * attempts on throttling errors, while throttling that does not depend on the rate (faults, a
 * noisy neighbour) costs only a modest cut that the successes soon win back.
 */
import { sleep } from './limits.js';

const WINDOW_MS = 1000;
/** Below what got through, to leave room. */
const MARGIN = 0.95;
/** Per success: about +10% per second at full rate. */
const GROWTH = 0.1;
const MIN_SAMPLE = 10;
/** The share of throttled attempts (last window) that means "too fast". */
const CUT_SHARE = 0.25;

export class RegionRate {
  private rate: number | undefined;
  private tokens = 0;
  private last = Date.now();
  private firstAt: number | undefined;
  private readonly successes: number[] = [];
  private readonly throttles: number[] = [];
  private lastCut = 0;

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
    // In debt: each waiter has reserved the next free slot, so they are served in order.
    await sleep((-this.tokens / rate) * 1000, signal);
  }

  success(): void {
    const now = Date.now();
    this.successes.push(now);
    prune(this.successes, now);
    if (this.fixed === undefined && this.rate !== undefined) this.rate += GROWTH;
  }

  throttled(): void {
    if (this.fixed !== undefined) return;
    const now = Date.now();
    this.throttles.push(now);
    prune(this.throttles, now);
    prune(this.successes, now);
    // One cut per window: the throttles of one burst are one signal, not many.
    if (now - this.lastCut < WINDOW_MS) return;
    const attempts = this.successes.length + this.throttles.length;
    if (attempts < MIN_SAMPLE) return;
    // A few throttles are the SDK's backoff's business; a large share of them means the rate is too high.
    if (this.throttles.length / attempts < CUT_SHARE) return;
    // Send at the rate that got through: the attempt rate of the last window minus the throttled share.
    const observedMs = Math.min(WINDOW_MS, Math.max(100, now - (this.firstAt ?? now)));
    const attemptRate = this.rate ?? (attempts * 1000) / observedMs;
    const throughShare = this.successes.length / attempts;
    this.rate = Math.max(1, attemptRate * throughShare * MARGIN);
    this.lastCut = now;
    this.tokens = Math.min(this.tokens, 0);
    this.last = now;
  }

  private burst(): number {
    return this.rate === undefined ? 0 : Math.max(1, this.rate / 5);
  }
}

function prune(times: number[], now: number): void {
  while (times.length > 0 && times[0]! < now - WINDOW_MS) times.shift();
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
