import type { Env } from './lib/env.js';
import type { Db } from './lib/db/db.js';
import type { Keyring } from './lib/crypto/keyring.js';
import type { Mailer } from './lib/mail/mailer.js';
import type { Jobs } from './lib/jobs.js';

/** The services every feature receives. Built once by server.ts (or by the test harness). */
export interface AppContext {
  env: Env;
  db: Db;
  keyring: Keyring;
  mailer: Mailer;
  jobs: Jobs;
}
