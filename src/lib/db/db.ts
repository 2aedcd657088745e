import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DatabaseHandle, DatabaseKind } from './connect.js';
import type { DB } from './schema.js';

export type Tx = Transaction<DB>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/** The transaction settings row-level security trusts (migration 0041 verifies each). */
export type SettingName = 'tenant_id' | 'session_id_hash' | 'login_email' | 'cross_tenant';

/**
 * OBLIGATIONS ACC-6, SEC-3 (issue 16): a setting's value as the database accepts it, `<value>.<mac>`
 * with mac = sha256(k || sha256(k || name ':' value)), k being the database's own key
 * (peil_setting_key, 0041), which peil_app cannot read. An injected set_config can change the
 * setting, but without k it cannot make a value that peil_signed_setting() accepts.
 */
export function signSetting(key: Buffer, name: SettingName, value: string): string {
  const inner = createHash('sha256').update(key).update(`${name}:${value}`, 'utf8').digest();
  return `${value}.${createHash('sha256').update(key).update(inner).digest('hex')}`;
}

/**
 * The key of the settings, read on a connection that may (the owner's); null before migration 0041
 * (a restore loads an older backup into the schema it was made from, whose policies read the
 * settings unsigned).
 */
export async function readSettingKey(query: (text: string) => Promise<{ rows: unknown[] }>): Promise<Buffer | null> {
  const exists = await query(`SELECT to_regclass('public.peil_setting_key')::text AS t`);
  if (!(exists.rows[0] as { t: string | null } | undefined)?.t) return null;
  const { rows } = await query('SELECT key FROM peil_setting_key');
  const key = (rows[0] as { key: Buffer } | undefined)?.key;
  if (!key) throw new Error('peil_setting_key has no key (migration 0041)');
  return key;
}

/** A setting's value for a connection whose schema may predate 0041 (backup and restore). */
export function settingValue(key: Buffer | null, name: SettingName, value: string): string {
  return key ? signSetting(key, name, value) : value;
}

/** Each open transaction's key, for the static helpers that switch a setting inside one. */
const keys = new WeakMap<object, Buffer>();
function keyOf(tx: Tx): Buffer {
  const key = keys.get(tx);
  if (!key) throw new Error('not a transaction opened by Db');
  return key;
}

/**
 * The application's only way into the database. Every unit of work is a transaction that first
 * drops to the `peil_app` role (no BYPASSRLS, owns nothing) and names its tenant with a
 * transaction-local setting, so row-level security filters every query: a forgotten WHERE returns
 * nothing rather than another customer's rows (OBLIGATIONS ACC-6).
 *
 * On PostgreSQL these transactions run on the application's pool, which signs in as peil_app
 * (DatabaseHandle.app): an injected RESET ROLE or SET ROLE cannot make them the owner. Only owner()
 * and maintenance() use the owner's connection. On PGlite both are the one embedded connection.
 *
 * Never open a second transaction inside one: PGlite has one connection, and on PostgreSQL that is
 * the pool exhaustion that sank Formbricks under load (DESIGN.md).
 */
export class Db {
  constructor(readonly handle: DatabaseHandle) {}

  private key?: Promise<Buffer>;

  /** The settings' key, read once through the owner's connection (peil_app may not read it). */
  private settingKey(): Promise<Buffer> {
    this.key ??= readSettingKey((text) => this.handle.pool.query(text)).then(
      (key) => {
        if (!key) throw new Error('the database is not migrated (migration 0041: peil_setting_key)');
        return key;
      },
      (err: unknown) => {
        this.key = undefined;
        throw err;
      },
    );
    return this.key;
  }

  /** A transaction on `on` whose settings this Db signs. */
  private async begin<T>(
    on: 'app' | 'owner',
    fn: (tx: Tx, sign: (name: SettingName, value: string) => string) => Promise<T>,
    isolation?: 'repeatable read',
  ): Promise<T> {
    const key = await this.settingKey();
    const begin = (on === 'app' ? this.handle.app.kysely : this.handle.kysely).transaction();
    return (isolation ? begin.setIsolationLevel(isolation) : begin).execute(async (tx) => {
      keys.set(tx, key);
      return fn(tx, (name, value) => signSetting(key, name, value));
    });
  }

  get kind(): DatabaseKind {
    return this.handle.kind;
  }

  /**
   * Work inside one tenant. `repeatable read` gives every statement the same snapshot, for readers
   * that must see one consistent state across several queries (verifying the audit chain).
   */
  tenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>, opts: { isolation?: 'repeatable read' } = {}): Promise<T> {
    if (!isUuid(tenantId)) throw new Error('tenant id must be a uuid');
    return this.begin(
      'app',
      async (tx, sign) => {
        await sql`select set_config('role', 'peil_app', true), set_config('app.tenant_id', ${sign('tenant_id', tenantId)}, true)`.execute(
          tx,
        );
        return fn(tx);
      },
      opts.isolation,
    );
  }

  /**
   * Work on global tables as the application role, with what grants.sql allows it there (reading
   * customers' names and settings, the labelling switch, appending to the system log); tenant rows
   * and other sessions stay invisible.
   */
  global<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.begin('app', async (tx) => {
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
    return this.begin('owner', async (tx, sign) => {
      await sql`select set_config('app.tenant_id', ${sign('tenant_id', tenantId)}, true)`.execute(tx);
      return fn(tx);
    });
  }

  /**
   * Resolving a session cookie, before the tenant is known: the one sessions row whose hash is
   * `idHash` (policy session_lookup, 0010), and no other session of any customer or operator.
   */
  session<T>(idHash: Buffer, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.begin('app', async (tx, sign) => {
      await sql`select set_config('role', 'peil_app', true), set_config('app.session_id_hash', ${sign('session_id_hash', idHash.toString('hex'))}, true)`.execute(
        tx,
      );
      return fn(tx);
    });
  }

  /** Names the session a transaction creates or removes, so that policy session_lookup lets it through. */
  static async nameSession(tx: Tx, idHash: Buffer): Promise<void> {
    await sql`select set_config('app.session_id_hash', ${signSetting(keyOf(tx), 'session_id_hash', idHash.toString('hex'))}, true)`.execute(
      tx,
    );
  }

  /**
   * Operator commands on the owner connection, for the few writes to global tables that peil_app may
   * not do (OBLIGATIONS ACC-6, SEC-1; grants.sql says per table what it may): creating a customer with
   * its key ('tenant-create'; first run with the first operator: 'setup'), destroying a customer's key
   * ('key-erase'), the operator's sign-in, which alone reads a password hash and records the lock-out
   * ('operator-sign-in'), the operator's switch of the labelling module ('ai-switch'), suspending
   * or resuming a customer ('tenant-suspend', AGR-6: peil_app may not update tenants), the register
   * of sub-processors ('subprocessors'), the breach register ('breaches', BRE-1: read and written only
   * here, peil_app holds nothing on it), ending a customer ('tenant-end', END-2) and removing its rows
   * and writing the statement of deletion ('tenant-delete', END-3/END-4: the audit log and the closed
   * table deletion_statements), the plans and each customer's plan and extensions ('plans', SVC-6),
   * the benchmark's sectors, settings and sector assignments, its job's
   * cells ('benchmark', BEN-1: the closed tables benchmark_contributions and benchmark_cell_stats),
   * an operator's own language ('operator-settings', issue 14: peil_app may not update operators),
   * the leases of the periodic ticks ('ticks', issue 17: which process runs a tick now).
   * No tenant is set; code that writes a tenant's rows calls Db.switchTenant first (row-level security
   * is forced, which binds a non-superuser owner) and names the tenant in its statements (a superuser
   * owner is not bound). Never for what a customer's request does.
   */
  owner<T>(
    purpose:
      | 'setup'
      | 'tenant-create'
      | 'key-erase'
      | 'operator-sign-in'
      | 'ai-switch'
      | 'tenant-suspend'
      | 'subprocessors'
      | 'breaches'
      | 'tenant-end'
      | 'tenant-delete'
      | 'plans'
      | 'benchmark'
      | 'operator-settings'
      | 'ticks'
      | 'key-rotate',
    fn: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    return this.begin('owner', async (tx) => {
      await sql`select set_config('app.owner_purpose', ${purpose}, true)`.execute(tx);
      return fn(tx);
    });
  }

  /** Sign-in: the users rows with exactly this email, in any tenant (policy login_lookup). */
  loginLookup<T>(email: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.begin('app', async (tx, sign) => {
      await sql`select set_config('role', 'peil_app', true), set_config('app.login_email', ${sign('login_email', email.toLowerCase())}, true)`.execute(
        tx,
      );
      return fn(tx);
    });
  }

  /**
   * Read-only overview across tenants for one named purpose. No tenant is set, so tenant tables show
   * nothing, except the rows a policy opens for exactly this purpose (for 'labelling': the module's
   * settings and usage counts, policy labelling_overview in 0002_labelling.sql; no personal data;
   * for 'integrations': webhooks and their deliveries to find due work, and expired idempotency
   * keys to prune, policies in 0008_integrations.sql; for 'subprocessors': the assignments and consents
   * of the sub-processor register, policies in 0014_subprocessors.sql; for 'breaches': every customer's
   * part of a breach (numbers, deadlines, states) for the operator's board, policy in 0018_breaches.sql;
   * for 'followups': which customers have an active alert rule or a follow-up mail to send, policies in
   * 0021_followups.sql).
   */
  crossTenant<T>(
    purpose: 'labelling' | 'integrations' | 'subprocessors' | 'breaches' | 'followups',
    fn: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    return this.begin('app', async (tx, sign) => {
      await sql`select set_config('role', 'peil_app', true), set_config('app.cross_tenant', ${sign('cross_tenant', purpose)}, true)`.execute(
        tx,
      );
      return fn(tx);
    });
  }

  /** Switch tenant inside a transaction (the response writer commits several tenants' rows at once). */
  static async switchTenant(tx: Tx, tenantId: string): Promise<void> {
    if (!isUuid(tenantId)) throw new Error('tenant id must be a uuid');
    await sql`select set_config('app.tenant_id', ${signSetting(keyOf(tx), 'tenant_id', tenantId)}, true)`.execute(tx);
  }
}
