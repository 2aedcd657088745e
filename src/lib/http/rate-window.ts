import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../db/db.js';
import { hitCounter } from '../db/shared.js';
import { AppError, ErrorCode } from '../errors.js';

/**
 * A fixed-window counter, for limits keyed by something other than the address (the account named in
 * a sign-in, an API key). Issue 17: with `shared` on PostgreSQL it counts in the database
 * (rate_limit_counters), so N processes behind one address count one limit; on PGlite (one process)
 * it counts in memory.
 */
export class RateWindow {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();
  private readonly db: Db | undefined;

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    shared?: { db: Db; name: string },
  ) {
    this.db = shared?.db.kind === 'postgres' ? shared.db : undefined;
    this.name = shared?.name ?? '';
  }

  private readonly name: string;

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
  async check(key: string, detail: (seconds: number) => string, now = Date.now()): Promise<AppError | undefined> {
    let wait: number;
    if (this.db) {
      const c = await hitCounter(this.db, `${this.name}:${key}`, this.windowMs);
      wait = c.count > this.max ? Math.max(1, Math.ceil(c.ttlMs / 1000)) : 0;
    } else wait = this.hit(key, now);
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

type StoreCallback = (err: Error | null, res?: { current: number; ttl: number }) => void;

/**
 * Issue 17: a store for @fastify/rate-limit that counts in the database (rate_limit_counters), so
 * that N processes behind one address count one limit per route and address. For PostgreSQL only;
 * on PGlite the plugin's own store in memory is the one process's count.
 */
export function sharedRateStore(db: Db) {
  return class SharedRateStore {
    constructor(
      _globalParams?: unknown,
      private readonly prefix = 'route:',
    ) {}

    incr(key: string, cb: StoreCallback, timeWindow: number): void {
      hitCounter(db, `${this.prefix}${key}`, timeWindow).then(
        (c) => cb(null, { current: c.count, ttl: c.ttlMs }),
        (err: Error) => cb(err),
      );
    }

    // The plugin passes the route's merged options, the route itself under routeInfo (its types say otherwise).
    child(params: { routeInfo?: { method?: unknown; url?: unknown } }): SharedRateStore {
      const r = params.routeInfo ?? {};
      return new SharedRateStore(undefined, `route:${String(r.method ?? '')} ${String(r.url ?? '')}:`);
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
