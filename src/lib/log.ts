import { hostname } from 'node:os';

/**
 * Issue 15: the log of code that runs outside a request (background jobs, ticks, the response
 * writer, start-up). Every line is pino's JSON, the same as the request log: once the app is built
 * with its logger (`peil start`), `log` is the app's own pino instance (bindLogger); before that, and
 * in commands that build no app, it writes lines of the same shape itself (level number, time, pid,
 * hostname, msg), to standard error so that a command's output on standard output stays clean.
 *
 * OBLIGATIONS LOG-1: no personal data and no secrets in a line: error codes, counts, tenant ids.
 */
type LogFn = (objOrMsg: object | string, msg?: string) => void;

export interface Logger {
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LEVELS: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

const fallback = {
  level: LEVELS.info,
  write: (line: string): void => void process.stderr.write(line),
};

function line(level: number, objOrMsg: object | string, msg?: string): void {
  if (level < fallback.level) return;
  const fields =
    typeof objOrMsg === 'string' ? { msg: objOrMsg } : { ...objOrMsg, ...(msg === undefined ? {} : { msg }) };
  if ('err' in fields && fields.err instanceof Error)
    fields.err = { type: fields.err.name, message: fields.err.message, code: (fields.err as { code?: unknown }).code };
  fallback.write(`${JSON.stringify({ level, time: Date.now(), pid: process.pid, hostname: hostname(), ...fields })}\n`);
}

const own: Logger = {
  error: (o, m) => line(LEVELS.error, o, m),
  warn: (o, m) => line(LEVELS.warn, o, m),
  info: (o, m) => line(LEVELS.info, o, m),
  debug: (o, m) => line(LEVELS.debug, o, m),
};

let bound: Logger | undefined;

/** The logger of this process (see above). */
export const log: Logger = {
  error: (o, m) => (bound ?? own).error(o, m),
  warn: (o, m) => (bound ?? own).warn(o, m),
  info: (o, m) => (bound ?? own).info(o, m),
  debug: (o, m) => (bound ?? own).debug(o, m),
};

/** The level and destination of lines written before an app's logger is bound (LOG_LEVEL; `peil start` writes to standard output). */
export function configureLog(opts: { level?: LogLevel; stream?: { write(line: string): unknown } }): void {
  if (opts.level) fallback.level = LEVELS[opts.level];
  if (opts.stream) {
    const stream = opts.stream;
    fallback.write = (l) => void stream.write(l);
  }
}

/** From now on `log` writes through this logger (the app's pino instance); returns the undo. */
export function bindLogger(logger: Logger): () => void {
  bound = logger;
  return () => {
    if (bound === logger) bound = undefined;
  };
}
