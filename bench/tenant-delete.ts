/**
 * OBLIGATIONS END-3: the time to delete a large customer. BENCH_DELETE_RESPONSES (default 1,000,000)
 * responses, as many invitations, 10,000 contacts and n / 10,000 surveys are generated for one customer
 * directly in the database (SQL generate_series: random sealed bytes, no encryption work), beside a
 * small second customer. The customer is ended, then deleteTenant runs as the tick would: the key is
 * destroyed (eraseTenantKey, which also clears the clear columns in one transaction) and every row is
 * removed, table by table in batches. Reported: key erasure, row removal, and the whole deletion
 * (which includes counting the rows and writing the signed statement).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { deleteTenant, endTenant } from '../src/features/ending/service.js';
import { createTenant } from '../src/features/setup/service.js';
import { systemActor } from '../src/lib/audit.js';
import { MasterKey } from '../src/lib/crypto/keyring.js';
import type { DatabaseHandle } from '../src/lib/db/connect.js';
import { parseEnv } from '../src/lib/env.js';
import { openRuntime } from '../src/server.js';
import type { Figure } from './responses.js';

export async function benchTenantDelete(opts: {
  label: string;
  handle: DatabaseHandle;
  responses: number;
  note: (s: string) => void;
}): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'peil-bench-delete-'));
  const env = parseEnv({ PEIL_ENV: 'test', PEIL_DATA_DIR: dir, LOG_LEVEL: 'silent', ENDING_SWEEP_SECONDS: '0' });
  const rt = await openRuntime(env, { handle: opts.handle, master: new MasterKey(randomBytes(32)) });
  try {
    const slug = `bench-${randomBytes(3).toString('hex')}`;
    const { tenantId } = await createTenant(
      rt.ctx,
      { name: 'Bench BV', slug, owner: { email: 'bench@example.nl', name: 'B', password: 'Meetlat-Wachtwoord-1' } },
      systemActor,
    );
    await createTenant(
      rt.ctx,
      {
        name: 'Other BV',
        slug: `${slug}-other`,
        owner: { email: 'other@example.nl', name: 'O', password: 'Meetlat-Wachtwoord-2' },
      },
      systemActor,
    );
    const db = opts.handle.kysely;
    const n = opts.responses;
    const contacts = Math.min(10_000, n);
    const g0 = performance.now();
    // A contact is invited once per survey: invitation i goes to contact i / surveys of survey i % surveys.
    const surveys = Math.ceil(n / contacts);
    await sql`INSERT INTO surveys (tenant_id, id, name, kind, default_language, definition)
      SELECT ${tenantId}::uuid, md5('s' || k)::uuid, 'Bench ' || k, 'nps', 'nl', '{}'::jsonb FROM generate_series(0, ${surveys - 1}) AS k`.execute(
      db,
    );
    await sql`INSERT INTO distributions (tenant_id, id, survey_id, total, status)
      SELECT ${tenantId}::uuid, md5('d' || k)::uuid, md5('s' || k)::uuid, ${contacts}, 'cancelled' FROM generate_series(0, ${surveys - 1}) AS k`.execute(
      db,
    );
    await sql`INSERT INTO contacts (tenant_id, id, email_hmac, email_enc, language, profile)
      SELECT ${tenantId}::uuid, md5('c' || i)::uuid, decode(md5('h' || i), 'hex'), decode(md5('e' || i) || md5('f' || i), 'hex'), 'nl', jsonb_build_object('afdeling', 'Zorg ' || (i % 7))
        FROM generate_series(0, ${contacts - 1}) AS i`.execute(db);
    // In slices, so that PGlite (one process, in memory) is not handed one enormous statement.
    const slice = 100_000;
    for (let from = 0; from < n; from += slice) {
      const to = Math.min(n, from + slice) - 1;
      await sql`INSERT INTO invitations (tenant_id, id, survey_id, distribution_id, contact_id, language, status, sent_at, responded_at)
        SELECT ${tenantId}::uuid, md5('i' || i)::uuid, md5('s' || (i % ${surveys}))::uuid, md5('d' || (i % ${surveys}))::uuid, md5('c' || (i / ${surveys}))::uuid, 'nl', 'sent', now(), now()
          FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
      await sql`INSERT INTO responses (tenant_id, id, survey_id, invitation_id, contact_id, language, score, answers_enc, answers)
        SELECT ${tenantId}::uuid, md5('r' || i)::uuid, md5('s' || (i % ${surveys}))::uuid, md5('i' || i)::uuid, md5('c' || (i / ${surveys}))::uuid, 'nl', i % 11,
               decode(md5('a' || i) || md5('b' || i) || md5('d' || i), 'hex'), jsonb_build_object('q2', i % 5)
          FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
    }
    const generated = (performance.now() - g0) / 1000;
    opts.note(
      `tenant-delete (${opts.label}): ${n} responses, ${n} invitations, ${contacts} contacts generated in ${generated.toFixed(1)} s`,
    );
    await endTenant(rt.ctx, tenantId, 'operator', 'bench', systemActor);
    const t0 = performance.now();
    const r = await deleteTenant(rt.ctx, tenantId, systemActor, 'operator');
    const total = (performance.now() - t0) / 1000;
    const left = Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM responses WHERE tenant_id = ${tenantId}`.execute(db)).rows[0]!
        .n,
    );
    if (left !== 0 || r.statement.deletion.remainingRows !== 0) throw new Error(`${left} responses left`);
    const others = Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM users WHERE tenant_id <> ${tenantId}`.execute(db)).rows[0]!.n,
    );
    if (others !== 1) throw new Error('the other customer was touched');
    return [
      {
        bench: 'tenant-delete',
        metric: `${opts.label} rows deleted`,
        value: r.statement.deletion.totalRows,
        unit: 'rows',
      },
      {
        bench: 'tenant-delete',
        metric: `${opts.label} key erasure (eraseTenantKey: writers stopped, key destroyed)`,
        value: Number(r.seconds.key.toFixed(2)),
        unit: 's',
      },
      {
        bench: 'tenant-delete',
        metric: `${opts.label} row removal`,
        value: Number(r.seconds.rows.toFixed(2)),
        unit: 's',
      },
      {
        bench: 'tenant-delete',
        metric: `${opts.label} whole deletion (count, key, rows, statement)`,
        value: Number(total.toFixed(2)),
        unit: 's',
      },
    ];
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
