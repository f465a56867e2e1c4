/*
 * Outlook's per-mailbox limits as Graph enforces them, per app and mailbox:
 * - a request budget per sliding window (Graph: 10,000 requests per 10 minutes);
 * - at most `maxConcurrent` requests executing at once (Graph: 4).
 * A request over either limit is refused at once with 429 and a Retry-After; it takes no budget and no slot.
 * Times are real milliseconds, so tests scale them down (e.g. 100 requests per second).
 */

export interface MailboxLimits {
  /** Requests admitted per window. Graph: 10,000. */
  budget: number;
  /** The window, in ms. Graph: 600,000 (10 minutes). */
  windowMs: number;
  /** Requests executing at once. Graph: 4. */
  maxConcurrent: number;
  /** Retry-After sent with a concurrency refusal, in ms (rounded as `retryAfterFormat` says). */
  concurrencyRetryAfterMs: number;
  /**
   * How Retry-After is written. 'seconds': whole seconds, rounded up, as Graph writes them (and as MSAL
   * and most clients parse them). 'fractional': seconds with up to three decimals ("0.25"), so scaled-down
   * tests do not sleep whole seconds; @microsoft/microsoft-graph-client's RetryHandler reads it with Number().
   */
  retryAfterFormat: 'seconds' | 'fractional';
}

export const GRAPH_LIMITS: MailboxLimits = {
  budget: 10_000,
  windowMs: 600_000,
  maxConcurrent: 4,
  concurrencyRetryAfterMs: 1_000,
  retryAfterFormat: 'seconds'
};

/** Graph's limits scaled down for tests: 100 requests per second, still 4 at once, fractional Retry-After. */
export const TEST_LIMITS: MailboxLimits = {
  budget: 100,
  windowMs: 1_000,
  maxConcurrent: 4,
  concurrencyRetryAfterMs: 50,
  retryAfterFormat: 'fractional'
};

export function formatRetryAfter(ms: number, format: MailboxLimits['retryAfterFormat']): string {
  const positive = Math.max(ms, 1);
  if (format === 'seconds') return String(Math.ceil(positive / 1000));
  return String(Number((positive / 1000).toFixed(3)));
}

export type Admission =
  { admitted: true; release: () => void } | { admitted: false; reason: 'budget' | 'concurrency'; retryAfterMs: number };

export interface LimiterStats {
  /** Requests admitted (executed). */
  requests: number;
  /** Requests refused with 429. */
  throttled: number;
  throttledByBudget: number;
  throttledByConcurrency: number;
  inFlight: number;
  maxConcurrency: number;
}

export class MailboxLimiter {
  private readonly admittedAt: number[] = [];
  readonly stats: LimiterStats = {
    requests: 0,
    throttled: 0,
    throttledByBudget: 0,
    throttledByConcurrency: 0,
    inFlight: 0,
    maxConcurrency: 0
  };

  constructor(private readonly limits: () => MailboxLimits) {}

  admit(now = Date.now()): Admission {
    const { budget, windowMs, maxConcurrent, concurrencyRetryAfterMs } = this.limits();
    while (this.admittedAt.length > 0 && (this.admittedAt[0] ?? 0) <= now - windowMs) this.admittedAt.shift();
    if (this.admittedAt.length >= budget) {
      this.stats.throttled += 1;
      this.stats.throttledByBudget += 1;
      const oldest = this.admittedAt[this.admittedAt.length - budget] ?? now;
      return { admitted: false, reason: 'budget', retryAfterMs: oldest + windowMs - now };
    }
    if (this.stats.inFlight >= maxConcurrent) {
      this.stats.throttled += 1;
      this.stats.throttledByConcurrency += 1;
      return { admitted: false, reason: 'concurrency', retryAfterMs: concurrencyRetryAfterMs };
    }
    this.admittedAt.push(now);
    this.stats.requests += 1;
    this.stats.inFlight += 1;
    this.stats.maxConcurrency = Math.max(this.stats.maxConcurrency, this.stats.inFlight);
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.stats.inFlight -= 1;
      }
    };
  }

  /** Forget the window (a test's "ten minutes later"). */
  resetWindow(): void {
    this.admittedAt.length = 0;
  }
}
