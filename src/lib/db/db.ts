import { sql, type Transaction } from 'kysely';
import type { DatabaseHandle, DatabaseKind } from './connect.js';
import type { DB } from './schema.js';

export type Tx = Transaction<DB>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/**
 * The application's only way into the database. Every unit of work is a transaction that first
 * drops to the `peil_app` role (no BYPASSRLS, owns nothing) and names its tenant with a
 * transaction-local setting, so row-level security filters every query: a forgotten WHERE returns
 * nothing rather than another customer's rows (OBLIGATIONS ACC-6).
 *
 * Never open a second transaction inside one: PGlite has one connection, and on PostgreSQL that is
 * the pool exhaustion that sank Formbricks under load (DESIGN.md).
 */
export class Db {
  constructor(readonly handle: DatabaseHandle) {}

  get kind(): DatabaseKind {
    return this.handle.kind;
  }

  /**
   * Work inside one tenant. `repeatable read` gives every statement the same snapshot, for readers
   * that must see one consistent state across several queries (verifying the audit chain).
   */
  tenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>, opts: { isolation?: 'repeatable read' } = {}): Promise<T> {
    if (!isUuid(tenantId)) throw new Error('tenant id must be a uuid');
    const begin = this.handle.kysely.transaction();
    return (opts.isolation ? begin.setIsolationLevel(opts.isolation) : begin).execute(async (tx) => {
      await sql`select set_config('role', 'peil_app', true), set_config('app.tenant_id', ${tenantId}, true)`.execute(tx);
      return fn(tx);
    });
  }

  /** Work on global tables (tenants, sessions, operators) as the application role; tenant rows stay invisible. */
  global<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.handle.kysely.transaction().execute(async (tx) => {
      await sql`select set_config('role', 'peil_app', true)`.execute(tx);
      return fn(tx);
    });
  }

  /**
   * Maintenance inside one tenant on the owner connection: the few things the application role may
   * not do, such as removing audit entries after their retention (LOG-4) or re-signing checkpoints
   * after a master key rotation (SEC-1). peil_app has no UPDATE or DELETE on the log, so a bug or an
   * injection in a request can never rewrite it; these operator jobs can. Row-level security still
   * applies (it is forced, also for the owner), so the tenant is set as in tenant().
   */
  maintenance<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (!isUuid(tenantId)) throw new Error('tenant id must be a uuid');
    return this.handle.kysely.transaction().execute(async (tx) => {
      await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(tx);
      return fn(tx);
    });
  }

  /** Sign-in: the users rows with exactly this email, in any tenant (policy login_lookup). */
  loginLookup<T>(email: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.handle.kysely.transaction().execute(async (tx) => {
      await sql`select set_config('role', 'peil_app', true), set_config('app.login_email', ${email.toLowerCase()}, true)`.execute(tx);
      return fn(tx);
    });
  }

  /**
   * Read-only overview across tenants for one named purpose. No tenant is set, so tenant tables show
   * nothing, except the rows a policy opens for exactly this purpose (for 'labelling': the module's
   * settings and usage counts, policy labelling_overview in 0002_labelling.sql; no personal data;
   * for 'integrations': webhooks and their deliveries to find due work, and expired idempotency
   * keys to prune, policies in 0008_integrations.sql).
   */
  crossTenant<T>(purpose: 'labelling' | 'integrations', fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.handle.kysely.transaction().execute(async (tx) => {
      await sql`select set_config('role', 'peil_app', true), set_config('app.cross_tenant', ${purpose}, true)`.execute(tx);
      return fn(tx);
    });
  }

  /** Switch tenant inside a transaction (the response writer commits several tenants' rows at once). */
  static async switchTenant(tx: Tx, tenantId: string): Promise<void> {
    if (!isUuid(tenantId)) throw new Error('tenant id must be a uuid');
    await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(tx);
  }
}
