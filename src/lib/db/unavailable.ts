/**
 * OBLIGATIONS SEC-2: telling "the database is away" (a PostgreSQL restart, a failover, a network reset,
 * connections terminated by an administrator) from every other failure. Such an error is not a bug in
 * the request: the API answers 503 with Retry-After (errors.ts, http/problem.ts), the response writer
 * tries its batch again, background work runs again at its next tick, and the process keeps running.
 */

/**
 * SQLSTATEs of a lost or refused connection: admin_shutdown, crash_shutdown, cannot_connect_now (the
 * server is starting or shutting down), too_many_connections, and class 08 (connection exception).
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
/** Socket errors of node on the way to the database. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
]);
/** What node-postgres and pg-pool say when they lose or cannot get a connection (they give no code). */
const MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'terminating connection due to administrator command',
];

export function isConnectionError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (SQLSTATES.has(e.code) || SOCKET_CODES.has(e.code))) return true;
  if (typeof e.message === 'string' && MESSAGES.some((m) => (e.message as string).startsWith(m))) return true;
  // A host name with several addresses fails with an AggregateError of one refusal per address.
  if (Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => isConnectionError(x, depth + 1)))
    return true;
  return e.cause !== undefined && isConnectionError(e.cause, depth + 1);
}

/** The error's code for a log line (never its message: a database message can quote values). */
export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | null;
  if (e && typeof e.code === 'string') return e.code;
  if (e && typeof e.message === 'string') {
    const known = MESSAGES.find((m) => (e.message as string).startsWith(m));
    if (known) return known;
  }
  return e && typeof e.name === 'string' ? e.name : 'unknown';
}

/** Start: the database did not answer within DATABASE_WAIT_SECONDS. */
export class DatabaseUnreachableError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'DatabaseUnreachableError';
  }
}

/** host:port/database of a connection string, without user or password, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured DATABASE_URL';
  }
}
