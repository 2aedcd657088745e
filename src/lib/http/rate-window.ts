import { AppError, ErrorCode } from '../errors.js';

/**
 * A fixed-window counter in memory, for limits keyed by something other than the address (the
 * account named in a sign-in). Per process: enough for one instance; several instances each count.
 */
export class RateWindow {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string, now = Date.now()): number {
    let entry = this.hits.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.hits.size > 50_000) this.prune(now);
      entry = { count: 0, resetAt: now + this.windowMs };
      this.hits.set(key, entry);
    }
    entry.count++;
    return entry.count > this.max ? Math.ceil((entry.resetAt - now) / 1000) : 0;
  }

  /**
   * Counts one hit; over the limit, the 429 to throw: `Retry-After` and the `RateLimit-Limit`,
   * `-Remaining` and `-Reset` headers (as @fastify/rate-limit sends them), `detail` saying how long.
   */
  check(key: string, detail: (seconds: number) => string, now = Date.now()): AppError | undefined {
    const wait = this.hit(key, now);
    if (wait === 0) return undefined;
    return new AppError(ErrorCode.RATE_LIMITED, detail(wait), {
      extra: { retryAfterSeconds: wait },
      headers: rateLimitHeaders(this.max, 0, wait),
    });
  }

  private prune(now: number): void {
    for (const [k, v] of this.hits) if (v.resetAt <= now) this.hits.delete(k);
  }
}

/** The headers of a rate-limited answer (draft-ietf-httpapi-ratelimit-headers, as @fastify/rate-limit's `enableDraftSpec`). */
export function rateLimitHeaders(limit: number, remaining: number, resetSeconds: number): Record<string, string> {
  return {
    'retry-after': String(resetSeconds),
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(remaining),
    'ratelimit-reset': String(resetSeconds),
  };
}
