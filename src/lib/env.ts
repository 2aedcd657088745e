import { z } from 'zod';
import { resolve } from 'node:path';

/**
 * The one place that reads process.env. Parsed once at start with zod: a bad value stops the start
 * with a message naming the variable, instead of failing later somewhere else.
 */
const durationMinutes = (def: number) => z.coerce.number().int().positive().default(def);
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  PEIL_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Issue 14: the language of the `peil` command's messages (nl or en); without it see cliLanguage(). */
  PEIL_LANG: z.enum(['nl', 'en']).optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public URL of this server, used in links sent by email. */
  PEIL_BASE_URL: z.string().url().optional(),
  /** Folder for the embedded database, the lock file and the development master key. */
  PEIL_DATA_DIR: z.string().default('.data'),
  /** PostgreSQL connection string. Without it Peil runs on the embedded PGlite in PEIL_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * OBLIGATIONS ACC-6, SEC-3: the URL requests sign in with, as the least-privilege role peil_app
   * (with DATABASE_URL; PGlite has one user). Default: DATABASE_URL with the user peil_app and no
   * password (trust or peer authentication). Its password, if any, is set on peil_app at start.
   */
  DATABASE_APP_URL: z.string().url().optional(),
  /**
   * Issue 17: how many Peil processes `peil start` runs on this machine (node:cluster, one address),
   * with DATABASE_URL only: the embedded PGlite is one process (a larger value is refused there with
   * a message). Everything the processes must share lives in PostgreSQL.
   */
  PEIL_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Pool size for PostgreSQL (PGlite always has exactly one connection). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(20),
  /**
   * OBLIGATIONS SEC-2: at start, how long to wait for a PostgreSQL server that refuses connections
   * (trying again with back-off, a line per attempt); 0 gives up at once.
   */
  DATABASE_WAIT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /**
   * SEC-2: a request that gets no PostgreSQL connection within this long gets 503 instead of hanging
   * (a network that drops packets). It also bounds the wait for a free connection when the pool is busy.
   */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** SEC-2: the Retry-After (seconds) of a 503 while the database is away. */
  DATABASE_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3_600).default(5),
  /** 32 bytes, base64. Wraps every tenant's data key. */
  PEIL_MASTER_KEY: z.string().optional(),
  PEIL_MASTER_KEY_FILE: z.string().optional(),
  /** Only for `peil keys rotate`: the new master key (instead of --new-key-file). */
  PEIL_NEW_MASTER_KEY: z.string().optional(),
  /** OBLIGATIONS SEC-5: production on the embedded PGlite only with this explicit consent. */
  PEIL_ALLOW_EMBEDDED_DB: flag,
  /** OBLIGATIONS SUB-4, SEC-4: where data is stored and processed, as shown to customers. */
  PEIL_HOSTING_LOCATION: z.string().trim().min(1).max(100).default('EU'),
  /** OBLIGATIONS SUB-4: the country (ISO 3166-1 alpha-2) of the data centre where data is stored and processed. */
  PEIL_HOSTING_COUNTRY: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code, e.g. NL')
    .default('NL'),
  /**
   * OBLIGATIONS SUB-1: the company hosting Peil (servers, database), when that is not the operator
   * itself; the operator's register must then hold an entry of kind 'hosting' for it.
   */
  PEIL_HOSTING_PROVIDER: z.string().trim().min(1).max(200).optional(),
  /**
   * OBLIGATIONS LOG-3, LOG-4: how often every tenant's audit chain head is signed (checkpoint) and
   * log retention is applied, by a background job; 0 turns the schedule off (tests call it directly).
   */
  AUDIT_MAINTENANCE_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(10),
  /**
   * OBLIGATIONS LOG-3: every this many days each customer's signed audit head is mailed to its privacy
   * contact (or its owners), so the customer holds evidence outside Peil's database (0: never; the
   * customer can still download it).
   */
  AUDIT_ANCHOR_DAYS: z.coerce.number().min(0).max(366).default(7),
  /** OBLIGATIONS SEC-2: scheduled encrypted backups into this folder (the only way on a running PGlite). */
  PEIL_BACKUP_DIR: z.string().optional(),
  PEIL_BACKUP_INTERVAL_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 31)
    .default(24),
  /** How many scheduled backup files are kept in PEIL_BACKUP_DIR (older ones are deleted). */
  PEIL_BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  /** smtp://user:pass@host:port or smtps://... Without it mail goes to the built-in outbox. */
  SMTP_URL: z.string().url().optional(),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  MAIL_FROM: z.string().default('Peil <no-reply@peil.localhost>'),
  /** OBLIGATIONS AGR-1: the processor named in every customer's agreement (the operator's organisation). */
  PEIL_OPERATOR_ORGANISATION: z.string().trim().min(1).max(200).default('Peil'),
  /**
   * OBLIGATIONS AGR-3: how often unannounced agreement versions are mailed and versions whose
   * objection window has passed are deemed accepted (features/agreement/versions.ts); also once at
   * start. 0 turns it off.
   */
  AGREEMENT_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /**
   * OBLIGATIONS BRE-2: how often the breach notification deadlines are checked and the operators
   * alerted (features/breaches/service.ts runBreachTick); also once at start. 0 turns it off.
   */
  BREACH_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /**
   * OBLIGATIONS DSR-1: how often requests of respondents are swept (reminders to the privacy contact
   * before a due date, unconfirmed requests expired; features/requests/service.ts); also once at start.
   * 0 turns it off (tests call requestTick with their own clock).
   */
  REQUEST_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3600),
  /** DSR-1: posts of the public request form per minute from one address. */
  REQUEST_RATE_PER_MINUTE: z.coerce.number().int().positive().default(10),
  /** DSR-1: how long the confirmation link of a request works, in hours. */
  REQUEST_CONFIRM_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  /** OBLIGATIONS END-1..END-3: the end tick (reminders, ending at the end date, deletion after the deadlines); 0: never (tests). */
  ENDING_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3600),
  /** OBLIGATIONS BEN-1: how often the benchmark job counts new answers and computes cells of closed quarters (0: never; the operator can start it). */
  BENCHMARK_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3600),
  SESSION_IDLE_MINUTES: durationMinutes(60),
  SESSION_ABSOLUTE_MINUTES: durationMinutes(12 * 60),
  /** Largest accepted upload (contact files), in MiB. */
  UPLOAD_LIMIT_MB: z.coerce.number().positive().default(200),
  /**
   * OBLIGATIONS SEC-3: what the XML of an uploaded workbook may inflate to, in MiB (a 1M-row sheet
   * with six columns is about 290), and the compression ratio beyond which it is a zip bomb.
   */
  XLSX_INFLATE_LIMIT_MB: z.coerce.number().positive().default(320),
  XLSX_MAX_RATIO: z.coerce.number().min(2).default(100),
  /** OBLIGATIONS SEC-3: heap (MiB) and wall time (s) of the worker that parses one workbook. */
  XLSX_WORKER_MEMORY_MB: z.coerce.number().int().min(64).default(1024),
  XLSX_PARSE_TIMEOUT_SECONDS: z.coerce.number().positive().default(600),
  /** Window of the response micro-batcher, in milliseconds. */
  RESPONSE_BATCH_WINDOW_MS: z.coerce.number().min(0).max(100).default(2),
  /** OBLIGATIONS ACC-4: sign-in attempts per minute from one address, and per 15 minutes for one account. */
  SIGN_IN_RATE_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /**
   * OBLIGATIONS SVC-4: how often the invitations of anonymous surveys are checked for a transaction id
   * that links them to a response, and rewritten (respond/anonymity-sweep.ts); also once at start.
   * 0 turns it off.
   */
  ANONYMITY_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Issue 17: how often contact files not committed within the hour are deleted, for every customer (0: never). */
  UPLOAD_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Issue 4 (A): answers posted through a survey's open link, per minute from one address. */
  OPEN_LINK_RATE_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** Issue 14: how long the answers of an unfinished multi-page survey are kept between its steps. */
  RESPONSE_DRAFT_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  /** Issue 14: the most contacts a name search decrypts (names have no blind index); above it the search says so. */
  CONTACT_SEARCH_MAX: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  SIGN_IN_RATE_PER_ACCOUNT: z.coerce.number().int().positive().default(20),
  /** Consecutive failed sign-ins that lock an account, and for how long. */
  LOCKOUT_AFTER_FAILURES: z.coerce.number().int().min(3).default(5),
  LOCKOUT_MINUTES: z.coerce.number().int().positive().default(15),
  /** Proxies whose X-Forwarded-For/-Proto are believed: comma-separated addresses or CIDRs. */
  PEIL_TRUSTED_PROXIES: z.string().optional(),
  /** Serve HTTPS directly with this certificate and key (PEM files), instead of behind a proxy. */
  PEIL_TLS_CERT_FILE: z.string().optional(),
  PEIL_TLS_KEY_FILE: z.string().optional(),
  /**
   * Optional external labelling provider (OBLIGATIONS AI-3, SUB-3): any OpenAI-compatible chat
   * completions endpoint, e.g. https://api.mistral.ai/v1 or http://127.0.0.1:8080/v1. Without it the
   * built-in labeller does all the work (AI-5). The key is sent only as a bearer token, never logged.
   */
  AI_PROVIDER_URL: z.string().url().optional(),
  AI_PROVIDER_MODEL: z.string().min(1).optional(),
  AI_PROVIDER_KEY: z.string().min(1).optional(),
  /** Name of the provider as a sub-processor, shown to customers (default: the URL's host). */
  AI_PROVIDER_NAME: z.string().min(1).max(200).optional(),
  AI_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Texts a customer may have labelled per month unless the operator set its own quota (AI-4). */
  LABELLING_DEFAULT_MONTHLY_QUOTA: z.coerce.number().int().min(0).default(10_000),
  /** How often every customer with the module on is checked for new answers; 0 turns the sweep off. */
  LABELLING_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /**
   * OBLIGATIONS SVC-4: a confidential or anonymous survey releases only answers older than this, so
   * that a writer batch committing late cannot land inside a release step already shown (release.ts).
   */
  RESULTS_SETTLE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
  /**
   * Issue 17: how often the results rollups take in the settled responses (s; 0: never, views then
   * count every response), and how many responses one fold takes per transaction.
   */
  ROLLUP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
  ROLLUP_CHUNK: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  /** OBLIGATIONS SVC-5: requests per minute one API key may make. */
  API_KEY_RATE_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** OBLIGATIONS SVC-4 (closed loop): how often new answers are checked against alert rules (s; 0: never). */
  FOLLOWUP_SWEEP_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
  /** OBLIGATIONS SVC-6: how often totals are recounted and the 80 %/100 % usage mails go out (s; 0: never). */
  PLANS_TICK_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** How often the webhook dispatcher looks for new responses and due deliveries (ms; 0: never). */
  WEBHOOK_SWEEP_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  /** Delivery attempts per event, and the back-off base: attempt n waits base × 2^(n-1). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(86_400_000).default(60_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Issue 15: after a secret rotation, deliveries are signed with the old secret too for this long (hours; 0: not at all). */
  WEBHOOK_SECRET_OVERLAP_HOURS: z.coerce.number().min(0).max(720).default(24),
  /**
   * Development and tests only (refused in production): webhooks may point at private and loopback
   * addresses and use plain http, e.g. a local receiver on 127.0.0.1.
   */
  PEIL_WEBHOOK_ALLOW_PRIVATE: flag,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Issue 15: the bearer token Prometheus sends to GET /metrics (Authorization: Bearer …), at least
   * 16 characters. Without it, /metrics answers only requests from this machine (a loopback address,
   * not forwarded by a proxy), and in production not at all.
   */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Issue 15: how long each check of GET /readyz (database, background jobs, mail) may take. */
  READY_CHECK_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2_000),
});

export type Env = z.infer<typeof schema> & { dataDir: string; baseUrl: string };

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = result.data;
  if (env.AI_PROVIDER_URL && !env.AI_PROVIDER_MODEL) {
    throw new EnvError('Invalid configuration:\n  AI_PROVIDER_MODEL: required when AI_PROVIDER_URL is set');
  }
  return {
    ...env,
    dataDir: resolve(env.PEIL_DATA_DIR),
    // Issue 14: without PEIL_BASE_URL, the address Peil listens on (127.0.0.1 by default): the admin
    // app and the links in mail must share one origin, or a user signs in twice.
    baseUrl: (env.PEIL_BASE_URL ?? `http://${localHost(env.HOST)}:${env.PORT}`).replace(/\/$/, ''),
  };
}

/** The host name to reach a listening address from this machine (0.0.0.0 and :: are not one). */
export const localHost = (host: string): string =>
  host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

/**
 * Issue 14: the language the `peil` command speaks: PEIL_LANG (nl|en) if set, else the locale
 * environment as POSIX orders it (the first of LC_ALL, LC_MESSAGES, LANG that is set: "en…" is
 * English, "nl…" Dutch), else Dutch. Read before the rest of the configuration, so that a mistake in
 * it is reported in this language too (an unknown PEIL_LANG is reported by parseEnv()).
 */
export function cliLanguage(source: Record<string, string | undefined> = process.env): 'nl' | 'en' {
  const chosen = source.PEIL_LANG?.trim().toLowerCase();
  if (chosen === 'nl' || chosen === 'en') return chosen;
  const locale = [source.LC_ALL, source.LC_MESSAGES, source.LANG].find((v) => v && v.trim())?.toLowerCase() ?? '';
  if (locale.startsWith('en')) return 'en';
  return 'nl';
}
