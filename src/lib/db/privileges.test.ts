import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { operatorCookie, setUp, signIn, startTestApp, type TestApp } from '../../../test/harness.js';
import { privilegesOf, publicTables, tenantTables } from '../../../test/tenant-tables.js';
import { migrate } from './migrate.js';

/**
 * OBLIGATIONS ACC-6, SEC-1: what the application role can do on the global tables, tried the way a
 * bug in a feature or an injected statement would: as peil_app, inside a customer's transaction.
 * grants.sql says per table what peil_app may do and why; this file holds the same list.
 */
const GLOBAL_PRIVILEGES: Record<string, string[]> = {
  tenants: ['SELECT'],
  tenant_keys: [],
  operators: ['SELECT(email, id, locale, name)'],
  sessions: ['DELETE', 'INSERT', 'SELECT', 'UPDATE(enrolment_only, last_seen_at)'],
  system_audit_events: ['INSERT'],
  ai_module_switch: ['SELECT'],
  backups: ['SELECT'],
  subprocessors: ['SELECT'],
  plans: ['SELECT'],
  breaches: [],
  breach_updates: [],
  master_key_rotations: [],
  deletion_statements: [],
  audit_chain_backfill: [],
  peil_migrations: [],
  // Issue 16 (0041): the key of the signed settings.
  peil_setting_key: [],
  // Issue 17 (0035): request counters shared by every process (hashed keys, counts); the ticks' leases
  // are claimed on the owner connection.
  rate_limit_counters: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
  tick_leases: [],
  // OBLIGATIONS BEN-1 (0024): sectors, rules and published cells are read; contributions and the
  // unpublished cell numbers are closed (grants.sql).
  benchmark_sectors: ['SELECT'],
  benchmark_settings: ['SELECT'],
  benchmark_cells: ['SELECT'],
  benchmark_contributions: [],
  benchmark_cell_stats: [],
};

class Rollback extends Error {
  constructor(readonly rows: number) {
    super('rollback');
  }
}

describe(`least privilege of the application role (${process.env.PEIL_TEST_DATABASE_URL ? 'postgresql' : 'pglite'})`, () => {
  let t: TestApp;
  let tenantA: string;
  let tenantB: string;
  let cookieA: string;
  let cookieB: string;
  let cookieOp: string;

  before(async () => {
    t = await startTestApp();
    const a = await setUp(t);
    tenantA = a.tenantId;
    cookieA = a.ownerCookie;
    cookieOp = await operatorCookie(t);
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: cookieOp },
      payload: {
        name: 'Bravo Wonen',
        slug: 'bravo',
        owner: { email: 'owner@bravo.test', name: 'Bea', password: 'Grachtenpand-Blauw-3' },
      },
    });
    assert.equal(b.statusCode, 201, b.body);
    tenantB = b.json().tenantId;
    cookieB = await signIn(t, 'owner@bravo.test', 'Grachtenpand-Blauw-3');
  });
  after(() => t.close());

  /** Runs `statement` as peil_app inside tenant A's transaction; it must be refused by the grants. */
  const refused = async (statement: RawBuilder<unknown>, what: string) => {
    await assert.rejects(
      t.ctx.db.tenant(tenantA, (tx) => statement.execute(tx)),
      /permission denied/,
      `${what} was not refused`,
    );
  };
  /** Rows a statement touches in tenant A's transaction, rolled back afterwards. */
  const touched = (statement: RawBuilder<unknown>) =>
    t.ctx.db
      .tenant(tenantA, async (tx) => {
        const r = await statement.execute(tx);
        throw new Rollback(Number(r.numAffectedRows ?? r.rows.length));
      })
      .catch((err: unknown) => {
        if (err instanceof Rollback) return err.rows;
        throw err;
      });

  test('ACC-6 inside a tenant transaction, peil_app cannot change, remove or create a customer: UPDATE, DELETE, INSERT and TRUNCATE of tenants are refused', async () => {
    await refused(
      sql`UPDATE tenants SET status = 'suspended' WHERE id = ${tenantB}::uuid`,
      'suspending another customer',
    );
    await refused(sql`UPDATE tenants SET name = 'Overgenomen'`, 'renaming every customer');
    await refused(
      sql`UPDATE tenants SET require_second_factor = false WHERE id = ${tenantA}::uuid`,
      "changing its own customer's row directly",
    );
    await refused(sql`DELETE FROM tenants WHERE id = ${tenantB}::uuid`, 'removing another customer');
    await refused(
      sql`INSERT INTO tenants (id, slug, name) VALUES (gen_random_uuid(), 'nep', 'Nep')`,
      'creating a customer',
    );
    await refused(sql`TRUNCATE tenants CASCADE`, 'emptying the table');
    // The one setting a customer changes itself goes through a function bound to the transaction's tenant.
    await refused(
      sql`SELECT peil_set_require_second_factor(${tenantB}::uuid, true)`,
      "setting another customer's second-factor requirement",
    );
    const row = await t.ctx.db.handle.kysely
      .selectFrom('tenants')
      .select(['status', 'name', 'require_second_factor'])
      .where('id', '=', tenantB)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'active', name: 'Bravo Wonen', require_second_factor: false });
    // What the customer may do still works, through the API.
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/tenant/settings', headers: { cookie: cookieB } })).json()
        .requireSecondFactor,
      false,
    );
  });

  test("SEC-1 inside a tenant transaction, peil_app reads no operator's password hash, and cannot create or change an operator", async () => {
    await refused(sql`SELECT password_hash FROM operators`, 'reading password hashes');
    await refused(sql`SELECT * FROM operators`, 'reading whole operator rows');
    await refused(sql`SELECT id FROM operators WHERE password_hash LIKE '$%'`, 'filtering on the hash');
    await refused(sql`UPDATE operators SET password_hash = 'x'`, "replacing an operator's password");
    await refused(sql`UPDATE operators SET locked_until = NULL, failed_sign_ins = 0`, 'lifting a lock-out');
    await refused(
      sql`INSERT INTO operators (id, email, name, password_hash) VALUES (gen_random_uuid(), 'nep@peil.test', 'Nep', 'x')`,
      'creating an operator account',
    );
    await refused(sql`DELETE FROM operators`, 'removing operators');
    // What a resolved session shows is all it reads.
    const shown = await t.ctx.db.tenant(tenantA, (tx) =>
      tx.selectFrom('operators').select(['id', 'email', 'name']).execute(),
    );
    assert.equal(shown.length, 1);
    // The operator still signs in (the hash is read on the owner connection, for the sign-in only).
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookieOp } })).json().kind,
      'operator',
    );
  });

  test("SEC-1 peil_app reads no user's password hash with a query; where a password is checked it gets one hash, of its own tenant or of the email being signed in", async () => {
    await refused(sql`SELECT password_hash FROM users`, "reading its own users' hashes");
    await refused(sql`SELECT * FROM users`, 'reading whole user rows');
    await refused(sql`SELECT id FROM users WHERE password_hash IS NOT NULL`, 'filtering on the hash');
    const userB = await t.ctx.db.handle.kysely
      .selectFrom('users')
      .select(['id', 'email'])
      .where('tenant_id', '=', tenantB)
      .executeTakeFirstOrThrow();
    const userA = await t.ctx.db.handle.kysely
      .selectFrom('users')
      .select(['id', 'email'])
      .where('tenant_id', '=', tenantA)
      .executeTakeFirstOrThrow();
    const hashOf = (tenant: string, user: string) =>
      sql<{ h: string | null }>`SELECT peil_password_hash(${tenant}::uuid, ${user}::uuid) AS h`;
    assert.equal(
      (await t.ctx.db.tenant(tenantA, (tx) => hashOf(tenantB, userB.id).execute(tx))).rows[0]!.h,
      null,
      "A's transaction got B's hash",
    );
    assert.equal(
      (await t.ctx.db.global((tx) => hashOf(tenantB, userB.id).execute(tx))).rows[0]!.h,
      null,
      'a transaction without tenant got a hash',
    );
    assert.equal(
      (await t.ctx.db.loginLookup(userA.email, (tx) => hashOf(tenantB, userB.id).execute(tx))).rows[0]!.h,
      null,
      "a sign-in of A's owner got B's hash",
    );
    assert.match(
      (await t.ctx.db.loginLookup(userB.email, (tx) => hashOf(tenantB, userB.id).execute(tx))).rows[0]!.h ?? '',
      /\S/,
    );
    assert.match(
      (await t.ctx.db.tenant(tenantA, (tx) => hashOf(tenantA, userA.id).execute(tx))).rows[0]!.h ?? '',
      /\S/,
    );
  });

  test("SEC-1 inside a tenant transaction, peil_app reads no customer key and cannot destroy or replace one; peil_tenant_key() gives another tenant's transaction nothing", async () => {
    await refused(sql`SELECT * FROM tenant_keys`, 'reading the key table');
    await refused(
      sql`SELECT wrapped_key FROM tenant_keys WHERE tenant_id = ${tenantB}::uuid`,
      "reading another customer's wrapped key",
    );
    await refused(
      sql`UPDATE tenant_keys SET wrapped_key = NULL, destroyed_at = now() WHERE tenant_id = ${tenantB}::uuid`,
      "destroying another customer's key",
    );
    await refused(sql`DELETE FROM tenant_keys`, 'removing keys');
    await refused(
      sql`INSERT INTO tenant_keys (tenant_id, wrapped_key, master_key_id) VALUES (${tenantB}::uuid, ${Buffer.from([0])}, 'x')`,
      'planting a key',
    );
    const other = await t.ctx.db.tenant(
      tenantA,
      async (tx) => (await sql`SELECT * FROM peil_tenant_key(${tenantB}::uuid)`.execute(tx)).rows,
    );
    assert.deepEqual(other, []);
    const none = await t.ctx.db.global(
      async (tx) => (await sql`SELECT * FROM peil_tenant_key(${tenantB}::uuid)`.execute(tx)).rows,
    );
    assert.deepEqual(none, []);
    const own = await t.ctx.db.tenant(
      tenantA,
      async (tx) =>
        (await sql<{ wrapped_key: Buffer | null }>`SELECT * FROM peil_tenant_key(${tenantA}::uuid)`.execute(tx)).rows,
    );
    assert.equal(own.length, 1);
    assert.ok(own[0]!.wrapped_key);
    // B's data still opens: its key is intact.
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: cookieB } })).statusCode,
      200,
    );
  });

  test("ACC-6 inside a tenant transaction, peil_app sees its own customer's sessions only: another customer's and the operator's sessions are invisible, cannot be changed or ended, and none can be planted", async () => {
    const all = await t.ctx.db.handle.kysely.selectFrom('sessions').select(['tenant_id', 'kind']).execute();
    assert.ok(
      all.some((s) => s.tenant_id === tenantB) && all.some((s) => s.kind === 'operator'),
      'the fixture has sessions of B and of the operator',
    );
    const seen = await t.ctx.db.tenant(
      tenantA,
      async (tx) => (await sql<{ tenant_id: string | null }>`SELECT tenant_id FROM sessions`.execute(tx)).rows,
    );
    assert.ok(seen.length > 0 && seen.every((s) => s.tenant_id === tenantA), `A sees ${JSON.stringify(seen)}`);
    const global = await t.ctx.db.global(async (tx) => (await sql`SELECT * FROM sessions`.execute(tx)).rows);
    assert.deepEqual(global, []);
    assert.equal(
      await touched(sql`UPDATE sessions SET last_seen_at = now() WHERE tenant_id IS DISTINCT FROM ${tenantA}::uuid`),
      0,
    );
    assert.equal(await touched(sql`DELETE FROM sessions WHERE tenant_id IS DISTINCT FROM ${tenantA}::uuid`), 0);
    await refused(sql`UPDATE sessions SET expires_at = now() + interval '10 years'`, 'prolonging sessions');
    await refused(sql`UPDATE sessions SET user_id = gen_random_uuid()`, 'moving a session to another user');
    // A session for B's owner with a token the attacker knows: row-level security refuses the row.
    const owner = await t.ctx.db.handle.kysely
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', tenantB)
      .executeTakeFirstOrThrow();
    await assert.rejects(
      t.ctx.db.tenant(tenantA, (tx) =>
        sql`INSERT INTO sessions (id_hash, kind, tenant_id, user_id, expires_at) VALUES (${randomBytes(32)}, 'user', ${tenantB}::uuid, ${owner.id}::uuid, now() + interval '1 day')`.execute(
          tx,
        ),
      ),
      /row-level security/,
    );
    // Everyone is still signed in.
    for (const cookie of [cookieA, cookieB, cookieOp])
      assert.equal(
        (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode,
        200,
      );
  });

  test("ACC-6 (issue 16.5) inside a tenant transaction, peil_app changes no session of its own customer but the one it names: another user's enrolment restriction cannot be lifted, no colleague's session kept alive or planted; restricting goes through a function bound to the tenant", async () => {
    // A's owner's session, restricted to enrolment (as when a second factor is required and not set up).
    const ownerA = await t.ctx.db.handle.kysely
      .selectFrom('sessions')
      .select(['id_hash', 'user_id'])
      .where('tenant_id', '=', tenantA)
      .where('kind', '=', 'user')
      .executeTakeFirstOrThrow();
    await sql`UPDATE sessions SET enrolment_only = true WHERE id_hash = ${ownerA.id_hash}`.execute(
      t.ctx.db.handle.kysely,
    );
    try {
      assert.equal(
        await touched(sql`UPDATE sessions SET enrolment_only = false WHERE tenant_id = ${tenantA}::uuid`),
        0,
        "lifting a colleague's enrolment restriction",
      );
      assert.equal(
        await touched(sql`UPDATE sessions SET last_seen_at = now() WHERE tenant_id = ${tenantA}::uuid`),
        0,
        "keeping a colleague's session alive",
      );
      // A session for A's owner with a token the attacker knows, in A's own transaction: refused.
      await assert.rejects(
        t.ctx.db.tenant(tenantA, (tx) =>
          sql`INSERT INTO sessions (id_hash, kind, tenant_id, user_id, expires_at) VALUES (${randomBytes(32)}, 'user', ${tenantA}::uuid, ${ownerA.user_id}::uuid, now() + interval '1 day')`.execute(
            tx,
          ),
        ),
        /row-level security/,
        "planting a session for the customer's owner",
      );
      await refused(
        sql`SELECT peil_restrict_sessions_to_enrolment(${tenantB}::uuid)`,
        "restricting another customer's sessions",
      );
      // Reading and ending its own customer's sessions stays possible (a user removed, a password changed).
      assert.ok((await touched(sql`DELETE FROM sessions WHERE tenant_id = ${tenantA}::uuid`)) > 0);
      const flag = await t.ctx.db.handle.kysely
        .selectFrom('sessions')
        .select('enrolment_only')
        .where('id_hash', '=', ownerA.id_hash)
        .executeTakeFirstOrThrow();
      assert.equal(flag.enrolment_only, true);
    } finally {
      await sql`UPDATE sessions SET enrolment_only = false WHERE id_hash = ${ownerA.id_hash}`.execute(
        t.ctx.db.handle.kysely,
      );
    }
  });

  test("ACC-6 SEC-3 (issue 16.5) an injected set_config cannot become another customer: a forged or replayed app.tenant_id, a session named for another customer's user, a cross-tenant purpose or a sign-in email are refused, and the settings' key is not readable", async () => {
    const notSigned = /not signed by Peil/;
    const inA = (statement: RawBuilder<unknown>) => t.ctx.db.tenant(tenantA, (tx) => statement.execute(tx));
    // Another customer's id, bare and with a made-up mac: every query under row-level security is refused.
    for (const forged of [tenantB, `${tenantB}.${'0'.repeat(64)}`, `${tenantB}.`])
      await assert.rejects(
        t.ctx.db.tenant(tenantA, async (tx) => {
          await sql`SELECT set_config('app.tenant_id', ${forged}, true)`.execute(tx);
          return sql`SELECT count(*) FROM contacts`.execute(tx);
        }),
        notSigned,
        `app.tenant_id = ${forged.slice(0, 40)}… was accepted`,
      );
    // A's own signed value is readable by an injection, but it names A only: splicing B's id in front
    // of A's mac is refused.
    const own = (await inA(sql`SELECT current_setting('app.tenant_id') AS v`)).rows[0] as { v: string };
    assert.match(own.v, new RegExp(`^${tenantA}\\.[0-9a-f]{64}$`));
    const mac = own.v.slice(tenantA.length + 1);
    await assert.rejects(
      t.ctx.db.tenant(tenantA, async (tx) => {
        await sql`SELECT set_config('app.tenant_id', ${`${tenantB}.${mac}`}, true)`.execute(tx);
        return sql`SELECT count(*) FROM surveys`.execute(tx);
      }),
      notSigned,
    );
    // The key itself: closed to peil_app, and the verifying function gives nothing away.
    await refused(sql`SELECT key FROM peil_setting_key`, 'reading the key of the settings');
    // A session planted for B's owner under a session hash the attacker names: refused.
    const ownerB = await t.ctx.db.handle.kysely
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', tenantB)
      .executeTakeFirstOrThrow();
    const hash = randomBytes(32);
    await assert.rejects(
      t.ctx.db.tenant(tenantA, async (tx) => {
        await sql`SELECT set_config('app.session_id_hash', ${hash.toString('hex')}, true), set_config('app.tenant_id', ${tenantB}, true)`.execute(
          tx,
        );
        return sql`INSERT INTO sessions (id_hash, kind, tenant_id, user_id, expires_at) VALUES (${hash}, 'user', ${tenantB}::uuid, ${ownerB.id}::uuid, now() + interval '1 day')`.execute(
          tx,
        );
      }),
      notSigned,
    );
    // A cross-tenant purpose (every customer's labelling settings, read by the operator's overview):
    // refused when a policy reads it. (A's own rows pass the tenant policy before the purpose is read.)
    await t.ctx.db.maintenance(tenantB, (tx) =>
      sql`INSERT INTO labelling_settings (tenant_id) VALUES (${tenantB}::uuid) ON CONFLICT DO NOTHING`.execute(tx),
    );
    await assert.rejects(
      t.ctx.db.tenant(tenantA, async (tx) => {
        await sql`SELECT set_config('app.cross_tenant', 'labelling', true)`.execute(tx);
        return sql`SELECT count(*) FROM labelling_settings WHERE tenant_id = ${tenantB}::uuid`.execute(tx);
      }),
      notSigned,
    );
    // Through the door Peil opens for that purpose, B's row is there (the attack above was not empty).
    const overview = await t.ctx.db.crossTenant('labelling', (tx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM labelling_settings WHERE tenant_id = ${tenantB}::uuid`.execute(
        tx,
      ),
    );
    assert.equal(overview.rows[0]!.n, 1);
    // … and a sign-in email (B's owner's password hash): refused.
    const emailB = await t.ctx.db.handle.kysely
      .selectFrom('users')
      .select('email')
      .where('id', '=', ownerB.id)
      .executeTakeFirstOrThrow();
    await assert.rejects(
      t.ctx.db.tenant(tenantA, async (tx) => {
        await sql`SELECT set_config('app.login_email', ${emailB.email}, true)`.execute(tx);
        return sql`SELECT peil_password_hash(${tenantB}::uuid, ${ownerB.id}::uuid)`.execute(tx);
      }),
      notSigned,
    );
    // Nothing was planted: B's sessions are those it had.
    const planted = await t.ctx.db.handle.kysely
      .selectFrom('sessions')
      .select('id_hash')
      .where('id_hash', '=', hash)
      .execute();
    assert.equal(planted.length, 0);
  });

  test('ACC-6 inside a tenant transaction, peil_app cannot read the system log, key rotations, the migration list or the backfill list, nor switch the labelling module or forge a backup record', async () => {
    await refused(sql`SELECT * FROM system_audit_events`, 'reading the system log (operator emails and addresses)');
    await refused(sql`UPDATE system_audit_events SET action = 'x'`, 'rewriting the system log');
    await refused(sql`DELETE FROM system_audit_events`, 'removing the system log');
    await refused(sql`SELECT * FROM master_key_rotations`, 'reading key rotations');
    await refused(sql`SELECT * FROM peil_migrations`, 'reading the migration list');
    await refused(sql`UPDATE peil_migrations SET checksum = 'x'`, 'changing the migration list');
    await refused(sql`SELECT * FROM audit_chain_backfill`, 'reading the backfill list');
    await refused(
      sql`INSERT INTO audit_chain_backfill (tenant) VALUES (${tenantB}::uuid)`,
      'queueing a re-hash of a chain',
    );
    await refused(sql`UPDATE ai_module_switch SET enabled = true`, 'switching the labelling module');
    await refused(
      sql`INSERT INTO backups (id, started_at, finished_at, database_kind, trigger, file_name, bytes, sha256, master_key_id, tables, rows) VALUES (gen_random_uuid(), now(), now(), 'x', 'command', 'x', 0, 'x', 'x', 0, 0)`,
      'forging a backup record',
    );
  });

  test("ACC-6 peil_app's privileges on every global table are exactly those grants.sql documents; every other table is a tenant table with forced row-level security; a new global table gets nothing", async () => {
    const owner = t.ctx.db.handle.kysely;
    const actual: Record<string, string[]> = {};
    for (const table of Object.keys(GLOBAL_PRIVILEGES)) actual[table] = await privilegesOf(owner, table);
    assert.deepEqual(actual, GLOBAL_PRIVILEGES);
    const protectedTables = new Set((await tenantTables(owner)).filter((x) => x.rls && x.forced).map((x) => x.table));
    const unexplained = (await publicTables(owner)).filter((x) => !(x in GLOBAL_PRIVILEGES) && !protectedTables.has(x));
    assert.deepEqual(
      unexplained,
      [],
      'a table that is neither a tenant table under row-level security nor listed in grants.sql with its purpose',
    );

    // A table added later without row-level security: after grants.sql ran again, peil_app holds nothing on it.
    await sql`CREATE TABLE scratch_global (id uuid PRIMARY KEY, note text)`.execute(owner);
    try {
      await migrate(t.ctx.db.handle.pool);
      assert.deepEqual(await privilegesOf(owner, 'scratch_global'), []);
    } finally {
      await sql`DROP TABLE scratch_global`.execute(owner);
    }
  });
});
