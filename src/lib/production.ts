import { readFileSync } from 'node:fs';
import { relative, resolve, isAbsolute } from 'node:path';
import { EnvError, type Env } from './env.js';

/**
 * OBLIGATIONS SEC-5: development, test and production are separate configurations, and production
 * refuses the development defaults that make `npm start` work with nothing configured. Each default
 * is fine on a laptop and wrong with real respondents' data:
 *
 * - a master key generated into the data folder (or an example key) – whoever copies the folder has
 *   the key, and the key protects every customer;
 * - the built-in outbox instead of SMTP – invitations would never reach anyone;
 * - plain HTTP – passwords and session cookies in clear (ACC-5);
 * - the embedded PGlite – fsync is off inside it (DESIGN.md); allowed only with explicit consent;
 * - no audit maintenance – the log would be neither signed (LOG-3) nor pruned (LOG-4).
 *
 * A pure function of the configuration and a few facts read beside it, so each rule is tested
 * without starting anything; startServer() stops with all problems at once (exit code 78).
 */
export interface ProductionFacts {
  /** Where the master key would come from, and its bytes when they could be read. */
  masterKey: { origin: 'env' | 'file' | 'data-dir'; bytes: Buffer | null; path?: string | undefined };
}

/** Keys that appear in documentation and examples: never acceptable outside development. */
const EXAMPLE_KEYS = new Set([
  Buffer.alloc(32).toString('base64'),
  Buffer.alloc(32, 0xff).toString('base64'),
  Buffer.from('0123456789abcdef0123456789abcdef').toString('base64'),
  Buffer.from('peil-example-master-key-32-bytes').toString('base64'),
]);

function weakKey(bytes: Buffer): string | null {
  if (EXAMPLE_KEYS.has(bytes.toString('base64'))) return 'it is an example key from documentation';
  // 32 random bytes have about 30 distinct values; fewer than 16 means a pattern, not randomness.
  if (new Set(bytes).size < 16) return 'it is not random (repeated bytes); create one with `npx peil keys generate`';
  if (/^[\x20-\x7e]{32}$/.test(bytes.toString('latin1')))
    return 'it is printable text, not 32 random bytes; create one with `npx peil keys generate`';
  return null;
}

function inside(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function productionProblems(env: Env, facts: ProductionFacts): string[] {
  if (env.PEIL_ENV !== 'production') return [];
  const problems: string[] = [];
  const mk = facts.masterKey;
  if (mk.origin === 'data-dir') {
    problems.push(
      'PEIL_MASTER_KEY / PEIL_MASTER_KEY_FILE is not set: production does not use a development master key in the data folder. Create one with `npx peil keys generate` and keep it outside the database and its backups.',
    );
  } else if (mk.bytes) {
    const weak = weakKey(mk.bytes);
    if (weak)
      problems.push(
        `The master key (${mk.origin === 'env' ? 'PEIL_MASTER_KEY' : 'PEIL_MASTER_KEY_FILE'}) is refused: ${weak}.`,
      );
  }
  if (mk.origin === 'file' && mk.path && inside(env.dataDir, mk.path)) {
    problems.push(
      `PEIL_MASTER_KEY_FILE lies inside PEIL_DATA_DIR (${env.dataDir}): a copy of the data folder would carry the key that opens it.`,
    );
  }
  if (!env.SMTP_URL) {
    problems.push('SMTP_URL is not set: mail would go to the built-in outbox and never reach respondents.');
  } else {
    const u = new URL(env.SMTP_URL);
    if (u.searchParams.get('tls_reject_unauthorized') === 'false')
      problems.push("SMTP_URL has tls_reject_unauthorized=false: the mail server's certificate would not be checked.");
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
    if (u.protocol === 'smtp:' && u.searchParams.get('starttls') === 'false' && !local)
      problems.push('SMTP_URL has starttls=false for a remote server: mail would travel without TLS.');
  }
  if (!env.PEIL_BASE_URL || !env.PEIL_BASE_URL.startsWith('https://')) {
    problems.push(
      `PEIL_BASE_URL must be the public https:// address of Peil (now ${env.PEIL_BASE_URL ? `"${env.PEIL_BASE_URL}"` : 'not set'}): production serves over TLS only, directly or behind a TLS-terminating proxy.`,
    );
  }
  // ACC-5 answers plain HTTP in production with a redirect: without TLS here or at a trusted proxy,
  // nothing would ever arrive as HTTPS.
  const cert = Boolean(env.PEIL_TLS_CERT_FILE);
  const key = Boolean(env.PEIL_TLS_KEY_FILE);
  if (cert !== key) {
    problems.push(
      `${cert ? 'PEIL_TLS_CERT_FILE is set without PEIL_TLS_KEY_FILE' : 'PEIL_TLS_KEY_FILE is set without PEIL_TLS_CERT_FILE'}: Peil serves HTTPS itself only with both.`,
    );
  } else if (!cert && !env.PEIL_TRUSTED_PROXIES) {
    problems.push(
      'No TLS settings: set PEIL_TLS_CERT_FILE and PEIL_TLS_KEY_FILE (Peil serves HTTPS itself), or PEIL_TRUSTED_PROXIES (the TLS-terminating proxy in front of Peil).',
    );
  }
  if (!env.DATABASE_URL && !env.PEIL_ALLOW_EMBEDDED_DB) {
    problems.push(
      'DATABASE_URL is not set: production belongs on PostgreSQL. The embedded PGlite runs with fsync off; to run on it anyway, consent with PEIL_ALLOW_EMBEDDED_DB=true.',
    );
  }
  if (env.DATABASE_URL && !env.DATABASE_APP_URL && new URL(env.DATABASE_URL).password !== '') {
    problems.push(
      'DATABASE_APP_URL is not set while DATABASE_URL carries a password: requests sign in as the least-privilege role peil_app, which then has no password. Set DATABASE_APP_URL=postgres://peil_app:<password>@host/database (ACC-6).',
    );
  }
  if (env.AUDIT_MAINTENANCE_MINUTES === 0) {
    problems.push(
      'AUDIT_MAINTENANCE_MINUTES is 0: the audit log would be neither signed (checkpoints) nor pruned after its retention.',
    );
  }
  if (env.PEIL_WEBHOOK_ALLOW_PRIVATE) {
    problems.push(
      'PEIL_WEBHOOK_ALLOW_PRIVATE is set: webhooks could reach private and loopback addresses (SSRF). It is for development and tests only.',
    );
  }
  return problems;
}

/** Reads where the master key comes from, without generating one (loadMasterKey would, in development). */
export function masterKeyFacts(env: Env): ProductionFacts['masterKey'] {
  const decode = (text: string) => {
    const b = Buffer.from(text.trim(), 'base64');
    return b.length === 32 ? b : null;
  };
  if (env.PEIL_MASTER_KEY) return { origin: 'env', bytes: decode(env.PEIL_MASTER_KEY) };
  if (env.PEIL_MASTER_KEY_FILE) {
    let bytes: Buffer | null = null;
    try {
      bytes = decode(readFileSync(env.PEIL_MASTER_KEY_FILE, 'utf8'));
    } catch {
      // loadMasterKey reports an unreadable file with its own message.
    }
    return { origin: 'file', bytes, path: env.PEIL_MASTER_KEY_FILE };
  }
  return { origin: 'data-dir', bytes: null };
}

export class ProductionConfigError extends EnvError {
  constructor(readonly problems: string[]) {
    super(
      `Peil does not start in production with development settings (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

export function assertProductionReady(env: Env): void {
  const problems = productionProblems(env, { masterKey: masterKeyFacts(env) });
  if (problems.length) throw new ProductionConfigError(problems);
}
