/**
 * OBLIGATIONS ACC-6, SEC-3 (issue 16): requests run on a connection that signs in as the
 * least-privilege role peil_app, so an injected statement cannot leave it: RESET ROLE, SET ROLE to
 * the owner, SET SESSION AUTHORIZATION and set_config('role', ...) do not make a customer's
 * transaction the database owner. Tried as an attacker would, through the app's own Db handle.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type RawBuilder } from 'kysely';
import { freshDatabase, operatorCookie, pgUrl, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { openDatabase } from './connect.js';
import type { Tx } from './db.js';
import { migrate } from './migrate.js';
import { AppRoleError, checkAppRole, prepareAppRole, scramVerifier } from './app-role.js';

const onlyPostgres = pgUrl
  ? false
  : 'PostgreSQL only: PGlite is one embedded connection with one user, there is no login to separate (README)';

describe(`the application signs in as peil_app (${pgUrl ? 'postgresql' : 'pglite'})`, () => {
  let t: TestApp;
  let tenantA: string;
  let tenantB: string;
  let owner: string;

  before(async () => {
    t = await startTestApp();
    tenantA = (await setUp(t)).tenantId;
    const op = await operatorCookie(t);
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: {
        name: 'Bravo Wonen',
        slug: 'bravo',
        owner: { email: 'owner@bravo.test', name: 'Bea', password: 'Grachtenpand-Blauw-3' },
      },
    });
    assert.equal(b.statusCode, 201, b.body);
    tenantB = b.json().tenantId;
    owner = (await sql<{ u: string }>`SELECT current_user AS u`.execute(t.ctx.db.handle.kysely)).rows[0]!.u;
  });
  after(() => t.close());

  /** What the owner connection counts: B's key, and the audit entries of both customers with their hashes. */
  const evidence = async () => ({
    keys: (
      await sql<{ k: string }>`SELECT encode(wrapped_key, 'hex') AS k FROM tenant_keys ORDER BY tenant_id`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows,
    audit: (
      await sql<{
        n: number;
        a: string;
      }>`SELECT count(*)::int AS n, string_agg(action, ',' ORDER BY tenant_id, at, action) AS a FROM audit_events`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows[0],
  });

  test(
    'ACC-6 on PostgreSQL a tenant transaction runs on a connection that signed in as peil_app itself; the owner connection is another login',
    { skip: onlyPostgres },
    async () => {
      const who = await t.ctx.db.tenant(
        tenantA,
        async (tx) =>
          (await sql<{ s: string; c: string }>`SELECT session_user AS s, current_user AS c`.execute(tx)).rows[0],
      );
      assert.deepEqual(who, { s: 'peil_app', c: 'peil_app' });
      assert.notEqual(owner, 'peil_app');
      for (const run of [
        (f: (tx: Tx) => Promise<string>) => t.ctx.db.global(f),
        (f: (tx: Tx) => Promise<string>) => t.ctx.db.session(randomBytes(32), f),
        (f: (tx: Tx) => Promise<string>) => t.ctx.db.loginLookup('x@y.test', f),
        (f: (tx: Tx) => Promise<string>) => t.ctx.db.crossTenant('labelling', f),
      ]) {
        const s = await run(async (tx) => (await sql<{ s: string }>`SELECT session_user AS s`.execute(tx)).rows[0]!.s);
        assert.equal(s, 'peil_app');
      }
    },
  );

  const damage: Array<[string, (b: string) => RawBuilder<unknown>]> = [
    ['reading every customer key', () => sql`SELECT * FROM tenant_keys`],
    ["deleting another customer's key", (b) => sql`DELETE FROM tenant_keys WHERE tenant_id = ${b}::uuid`],
    ['rewriting the audit log', () => sql`UPDATE audit_events SET action = 'rewritten'`],
    ['deleting the audit log', () => sql`DELETE FROM audit_events`],
    ['reading the system log', () => sql`SELECT * FROM system_audit_events`],
    ['turning row-level security off', () => sql`ALTER TABLE contacts DISABLE ROW LEVEL SECURITY`],
  ];
  const escapes: Array<[string, (o: string) => RawBuilder<unknown>]> = [
    ['RESET ROLE', () => sql`RESET ROLE`],
    ['SET ROLE NONE', () => sql`SET ROLE NONE`],
    ['RESET ALL', () => sql`RESET ALL`],
    ['SET ROLE <owner>', (o) => sql`SET ROLE ${sql.id(o)}`],
    ['SET LOCAL ROLE <owner>', (o) => sql`SET LOCAL ROLE ${sql.id(o)}`],
    ['SET SESSION AUTHORIZATION <owner>', (o) => sql`SET SESSION AUTHORIZATION ${sql.id(o)}`],
    ['SET SESSION AUTHORIZATION DEFAULT', () => sql`SET SESSION AUTHORIZATION DEFAULT`],
    ["set_config('role', <owner>, false)", (o) => sql`SELECT set_config('role', ${o}, false)`],
    ["set_config('role', <owner>, true)", (o) => sql`SELECT set_config('role', ${o}, true)`],
    [
      "set_config('session_authorization', <owner>, false)",
      (o) => sql`SELECT set_config('session_authorization', ${o}, false)`,
    ],
  ];

  test(
    "SEC-3 ACC-6 (issue 16) an injected RESET ROLE, SET ROLE <owner>, SET SESSION AUTHORIZATION or set_config('role', <owner>) in a customer's transaction does not become the owner: customer keys cannot be read or deleted, the audit log cannot be rewritten, row-level security cannot be turned off",
    { skip: onlyPostgres },
    async () => {
      const before = await evidence();
      assert.ok(before.keys.length >= 2 && before.audit!.n > 0, 'the fixture has keys and audit entries');
      for (const [escape, esc] of escapes) {
        // Whether the escape itself is refused or it succeeds and lands on peil_app, the role afterwards is peil_app.
        const role = await t.ctx.db
          .tenant(tenantA, async (tx) => {
            await esc(owner).execute(tx);
            return (
              await sql<{
                c: string;
                s: boolean;
              }>`SELECT current_user AS c, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS s`.execute(
                tx,
              )
            ).rows[0];
          })
          .catch((err: Error) => err);
        if (role instanceof Error)
          assert.match(role.message, /permission denied|must be superuser/, `${escape}: ${role.message}`);
        else
          assert.deepEqual(role, { c: 'peil_app', s: false }, `${escape} made the transaction ${JSON.stringify(role)}`);
        for (const [what, stmt] of damage) {
          await assert.rejects(
            t.ctx.db.tenant(tenantA, async (tx) => {
              // A refused escape would abort the transaction: roll back to before it, then do the damage.
              await sql`SAVEPOINT escape`.execute(tx);
              await esc(owner)
                .execute(tx)
                .catch(() => sql`ROLLBACK TO SAVEPOINT escape`.execute(tx));
              await stmt(tenantB).execute(tx);
            }),
            /permission denied|must be owner/,
            `${what} after ${escape} was not refused`,
          );
        }
      }
      assert.deepEqual(await evidence(), before, 'keys and audit entries are unchanged');
    },
  );

  test(
    "ACC-6 (issue 16) after an injected RESET ROLE, another customer's rows stay invisible to a customer's transaction, also rows that the owner would see (the owner here is a superuser)",
    { skip: onlyPostgres },
    async () => {
      const all = (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM users WHERE tenant_id = ${tenantB}::uuid`.execute(
          t.ctx.db.handle.kysely,
        )
      ).rows[0]!.n;
      assert.ok(all > 0);
      for (const [escape, esc] of escapes.filter(([e]) => /^RESET|SET ROLE NONE|DEFAULT/.test(e))) {
        const seen = await t.ctx.db.tenant(tenantA, async (tx) => {
          await esc(owner).execute(tx);
          return (
            await sql<{ n: number }>`SELECT count(*)::int AS n FROM users WHERE tenant_id = ${tenantB}::uuid`.execute(
              tx,
            )
          ).rows[0]!.n;
        });
        assert.equal(seen, 0, `${escape} showed another customer's users`);
      }
      // The connection went back to the pool after an escape; the next request on it is still peil_app.
      const next = await Promise.all(
        Array.from({ length: 12 }, () =>
          t.ctx.db.tenant(
            tenantA,
            async (tx) => (await sql<{ c: string }>`SELECT current_user AS c`.execute(tx)).rows[0]!.c,
          ),
        ),
      );
      assert.deepEqual(new Set(next), new Set(['peil_app']));
    },
  );

  test(
    'ACC-6 the start refuses an application URL that signs in as the owner (who could RESET ROLE back to itself), and accepts peil_app',
    { skip: onlyPostgres },
    async () => {
      const fresh = await freshDatabase();
      await fresh.handle.close();
      const asOwner = await openDatabase({ url: fresh.url!, appUrl: fresh.url!, poolSize: 2 });
      try {
        await migrate(asOwner.pool);
        await assert.rejects(
          checkAppRole(asOwner),
          (err: Error) =>
            err instanceof AppRoleError &&
            /can become the owner|superuser/.test(err.message) &&
            /DATABASE_APP_URL/.test(err.message),
        );
      } finally {
        await asOwner.close();
      }
      const asApp = await openDatabase({ url: fresh.url!, poolSize: 2 });
      try {
        await checkAppRole(asApp);
      } finally {
        await asApp.close();
        await fresh.drop();
      }
    },
  );

  test(
    "SEC-3 peil_app's password is given to PostgreSQL as a SCRAM-SHA-256 verifier (never in clear), computed as PostgreSQL computes it",
    { skip: onlyPostgres },
    async () => {
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      const role = `peil_test_scram_${randomBytes(4).toString('hex')}`;
      try {
        await admin.query(`SET password_encryption = 'scram-sha-256'`);
        await admin.query(`CREATE ROLE ${role} PASSWORD 'Fiets-Molen-Kaas-42'`);
        const stored = (
          await admin.query<{ p: string }>('SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1', [role])
        ).rows[0]!.p;
        const [, params] = stored.split('$');
        const [iterations, salt] = params!.split(':');
        assert.equal(scramVerifier('Fiets-Molen-Kaas-42', Buffer.from(salt!, 'base64'), Number(iterations)), stored);
        assert.notEqual(scramVerifier('Fiets-Molen-Kaas-43', Buffer.from(salt!, 'base64'), Number(iterations)), stored);
      } finally {
        await admin.query(`DROP ROLE IF EXISTS ${role}`);
        await admin.end();
      }
    },
  );

  test(
    'SEC-3 a DATABASE_APP_URL with a password sets that password on peil_app at start, as a verifier',
    { skip: onlyPostgres },
    async () => {
      const u = new URL(pgUrl!);
      u.username = 'peil_app';
      u.password = 'Zeilboot-Regen-77';
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      try {
        await prepareAppRole(t.ctx.db.handle, u.toString());
        const stored =
          (await admin.query<{ p: string | null }>(`SELECT rolpassword AS p FROM pg_authid WHERE rolname = 'peil_app'`))
            .rows[0]!.p ?? '';
        const [, params] = stored.split('$');
        const [iterations, salt] = (params ?? '').split(':');
        assert.equal(scramVerifier('Zeilboot-Regen-77', Buffer.from(salt ?? '', 'base64'), Number(iterations)), stored);
      } finally {
        // The shared test server trusts local connections; leave peil_app without a password as it was.
        await admin.query('ALTER ROLE peil_app PASSWORD NULL');
        await admin.end();
      }
    },
  );

  test(
    'ACC-6 on PGlite the application and the owner share the one embedded connection: the app role is set per transaction, and the start checks pass',
    { skip: pgUrl ? 'PGlite only' : false },
    async () => {
      assert.equal(t.ctx.db.handle.app.kysely, t.ctx.db.handle.kysely);
      const role = await t.ctx.db.tenant(
        tenantA,
        async (tx) => (await sql<{ c: string }>`SELECT current_user AS c`.execute(tx)).rows[0]!.c,
      );
      assert.equal(role, 'peil_app');
      await prepareAppRole(t.ctx.db.handle);
    },
  );
});
