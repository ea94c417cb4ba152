/**
 * The per-region client-side rate limit. It sits inside the SDK's retry loop (as client
 * middleware), so every attempt, retries included, takes a token, and every throttling answer is
 * seen.
 *
 * Fixed: at most `rate` requests per second. Adaptive (the default): no limit until the service
 * throttles a large share of the last second's attempts (CUT_SHARE, or clearly more than it
 * usually does). Then the rate becomes a little under what got through, as a trial. A service
 * limit (Cloud Control's are per account per region) throttles less once the rate is under it,
 * so if the throttled share falls the cut is kept, and each success raises the rate a little
 * (about 10% a second at full rate): a fan-out settles just under the limit. If the share does
 * not fall, the throttling does not depend on the rate (faults, a proxy, a noisy neighbour) and
 * the cut only cost time: the rate goes back to what it was, and that share becomes the usual
 * one, which no longer counts towards a cut. (Cutting on every large share would ratchet the rate
 * down under throttling that ignores it, and cost a fan-out most of its speed.)
 */
import { sleep } from './limits.js';

/** Time as the limiter sees it; tests inject one, so that none depends on the wall clock. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after `ms`; rejects with ccql's 'cancelled' error when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => performance.now(), sleep };

const WINDOW_MS = 1000;
const MIN_SAMPLE = 10;
/** What got through becomes the rate: counted over at least this many successes (1 or 2 are too coarse). */
const MIN_THROUGH = 5;
/** The share of throttled attempts (last window) that means "too fast" while no other share is usual. */
const CUT_SHARE = 0.25;
/** Beyond a usual share: at least this much more, and more than this many standard errors of the window's sample. */
const MIN_RISE = 0.1;
const Z_CUT = 2;
/** Below what got through, to leave room. */
const MARGIN = 0.95;
/** Per success: about +10% per second at full rate. */
const GROWTH = 0.1;
const MIN_RATE = 1;
/**
 * A trial judges the answers from this long after its cut (those before are to calls sent at the
 * old rate). A clear rise or fall, or no fall at all, shows in MIN_SAMPLE of them; a fall too small
 * to count takes a window and TRIAL_SAMPLE answers (or two windows, at a low rate).
 */
const SETTLE_MS = 500;
const TRIAL_SAMPLE = 20;
/** A change of the share counts when it is MIN_CHANGE at least and more than Z_TRIAL standard errors. */
const MIN_CHANGE = 0.1;
const Z_TRIAL = 1.5;
/**
 * The most throttling taken as usual. Past about 30% throttled, the SDK's retry quota (5 per
 * throttled retry, 1 back per success) runs dry and calls fail whatever the cause, so a share
 * over this plus MIN_RISE keeps being tried against a slower rate.
 */
const MAX_USUAL = 0.25;
/** The usual share is pooled over the answers of the trials that showed it, the latest this many. */
const USUAL_SAMPLE = 200;

interface Trial {
  /** The rate before the cut (undefined: no limit). */
  previous: number | undefined;
  /** The throttled share that made the cut, and of how many answers. */
  share: number;
  n: number;
  /** Answers from this time on are the trial's. */
  from: number;
  ok: number;
  throttled: number;
}

export class RegionRate {
  private rate: number | undefined;
  private tokens = 0;
  private last: number;
  private firstAt: number | undefined;
  private readonly successes: number[] = [];
  private readonly throttles: number[] = [];
  private lastCut = -Infinity;
  private trial: Trial | undefined;
  /** The share of attempts throttled whatever the rate, as learnt from cuts that did not lower it. */
  private usual = 0;
  private usualThrottled = 0;
  private usualN = 0;

  constructor(
    private readonly fixed: number | undefined,
    private readonly clock: Clock = systemClock,
  ) {
    this.rate = fixed && fixed > 0 ? fixed : undefined;
    this.tokens = this.burst();
    this.last = clock.now();
  }

  /** The current limit in requests per second (undefined: none). */
  get limit(): number | undefined {
    return this.rate;
  }

  /** The throttled share taken as not depending on the rate (0 until a cut showed one). */
  get usualThrottling(): number {
    return this.usual;
  }

  /** Waits for a token. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    this.firstAt ??= now;
    const rate = this.rate;
    if (rate === undefined) return;
    this.tokens = Math.min(this.burst(), this.tokens + ((now - this.last) / 1000) * rate);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    // In debt: each waiter has reserved the next free slot, so they are served in order.
    try {
      await this.clock.sleep((-this.tokens / rate) * 1000, signal);
    } catch (e) {
      this.tokens += 1; // a cancelled call sends nothing: its slot goes to the next caller
      throw e;
    }
  }

  success(): void {
    if (this.fixed !== undefined) return;
    const now = this.clock.now();
    this.successes.push(now);
    prune(this.successes, now);
    // Not during a trial: growing back over a limit before the trial is judged would pass for
    // throttling that does not depend on the rate.
    if (this.rate !== undefined && this.trial === undefined) this.rate += GROWTH;
    this.judge(now, false);
  }

  throttled(): void {
    if (this.fixed !== undefined) return;
    const now = this.clock.now();
    this.throttles.push(now);
    prune(this.throttles, now);
    prune(this.successes, now);
    this.judge(now, true);
    if (this.trial) return;
    // One cut per window: the throttles of one burst are one signal, not many.
    if (now - this.lastCut < WINDOW_MS) return;
    const attempts = this.successes.length + this.throttles.length;
    if (attempts < MIN_SAMPLE) return;
    // Too few successes to make a rate of, unless waiting for more would cost too many attempts.
    if (this.successes.length < MIN_THROUGH && attempts < 5 * MIN_SAMPLE) return;
    const share = this.throttles.length / attempts;
    // A few throttles (or the usual share) are the SDK's backoff's business; a large share, or
    // clearly more than usual, means the rate is too high.
    const chance = Z_CUT * Math.sqrt((Math.max(this.usual, 0.05) * (1 - this.usual)) / attempts);
    if (share < Math.max(CUT_SHARE, this.usual + Math.max(MIN_RISE, chance))) return;
    this.cut(now, share, attempts, this.rate);
  }

  /**
   * To the rate that got through (the attempt rate of the last window minus the throttled
   * share), plus the usual share (throttled whatever the rate, so sending it costs the service
   * nothing it would have allowed), minus a margin.
   */
  private cut(now: number, share: number, n: number, previous: number | undefined): void {
    // Over the last window, or since the first call if that is sooner (not a fixed minimum: with
    // a fast service, a first burst of answers may all come back within a few milliseconds).
    const observedMs = Math.min(WINDOW_MS, Math.max(1, now - (this.firstAt ?? now)));
    // What was sent, not what was allowed: under a limit, a fan-out may not have used all of it.
    const attemptRate = Math.min(this.rate ?? Infinity, ((this.successes.length + this.throttles.length) * 1000) / observedMs);
    const through = (attemptRate * (1 - share)) / (1 - this.usual);
    this.rate = Math.max(MIN_RATE, through * MARGIN);
    this.lastCut = now;
    this.tokens = Math.min(this.tokens, 0);
    this.last = now;
    this.trial = { previous, share, n, from: now + SETTLE_MS, ok: 0, throttled: 0 };
  }

  /** Counts an answer towards the trial under way, and decides it once it has seen enough. */
  private judge(now: number, throttled: boolean): void {
    const t = this.trial;
    if (!t || now < t.from) return;
    if (throttled) t.throttled++;
    else t.ok++;
    const n = t.ok + t.throttled;
    // A trial at a low rate gathers answers slowly; past two windows it is judged on what it has.
    const late = now - t.from >= 2 * WINDOW_MS;
    if (n < MIN_SAMPLE && !late) return;
    const share = t.throttled / n;
    const pooled = (t.share * t.n + share * n) / (t.n + n);
    const clear = Math.max(MIN_CHANGE, Z_TRIAL * Math.sqrt(Math.max(pooled * (1 - pooled), 0.05) * (1 / t.n + 1 / n)));
    // It rose: what got through before the cut was flattered by a burst the service allowed (a
    // full token bucket after a quiet spell). No need to wait for the window: cut deeper, from
    // what gets through now.
    if (share - t.share > clear) return this.cut(now, share, n, t.previous);
    // It fell: the cut stays (and the rate may grow again).
    if (t.share - share > clear) {
      this.trial = undefined;
      return;
    }
    // That it did not move takes a full window to tell, unless it has not fallen at all: under a
    // limit, a cut under what got through stops nearly all of its throttling at once.
    const unmoved = share >= t.share - MIN_CHANGE;
    if (!late && !unmoved && (now - t.from < WINDOW_MS || n < TRIAL_SAMPLE)) return;
    this.trial = undefined;
    // It did not move: a slower rate does not avoid this throttling.
    this.rate = t.previous;
    this.tokens = Math.min(this.tokens, this.burst());
    // Pooled over the trials that showed it (one window is a small sample), and from this
    // window, not the one that made the cut: that one was picked for being high.
    const keep = Math.min(1, USUAL_SAMPLE / (this.usualN + n));
    this.usualThrottled = (this.usualThrottled + t.throttled) * keep;
    this.usualN = (this.usualN + n) * keep;
    this.usual = Math.min(MAX_USUAL, this.usualThrottled / this.usualN);
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
