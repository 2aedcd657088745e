/**
 * Benchmark `invitations`: mails per second into a local SMTP server (smtp-server on 127.0.0.1,
 * accepting and discarding every message) through the real path: invitations created by
 * inviteContacts (suppression and throttling checks included), then the real send job (runSendJob:
 * chunked reads, decryption, templates, unsubscribe tokens, the pooled nodemailer transport, the
 * per-chunk status update). BENCH_INVITATIONS sets the number of contacts (default 20,000);
 * BENCH_SMTP_POOL the pool size (default SMTP_POOL_SIZE's default, 10).
 * The SMTP server runs in a process of its own (bench/smtp-sink.mjs), as a real mail server would.
 */
import { startProfile } from './fixtures.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import { inviteContacts } from '../src/features/distribution/invite.js';
import { runSendJob } from '../src/features/distribution/send.js';
import { createTenant } from '../src/features/setup/service.js';
import { npsDefinition } from '../src/features/surveys/definition.js';
import { systemActor } from '../src/lib/audit.js';
import { MasterKey } from '../src/lib/crypto/keyring.js';
import type { DatabaseHandle } from '../src/lib/db/connect.js';
import { parseEnv } from '../src/lib/env.js';
import { openRuntime } from '../src/server.js';
import type { Figure } from './responses.js';

export async function benchInvitations(opts: {
  label: string;
  handle: DatabaseHandle;
  count: number;
  poolSize: number;
  outbox?: boolean;
}): Promise<Figure[]> {
  // BENCH_PROFILE also profiles the sink (its own process; written when it exits).
  const sinkArgs = process.env.BENCH_PROFILE
    ? [
        '--cpu-prof',
        `--cpu-prof-name=${basename(process.env.BENCH_PROFILE)}-sink.cpuprofile`,
        `--cpu-prof-dir=${dirname(process.env.BENCH_PROFILE)}`,
      ]
    : [];
  const sink = spawn(process.execPath, [...sinkArgs, join(import.meta.dirname, 'smtp-sink.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: sink.stdout! });
  const nextLine = (prefix: string) =>
    new Promise<number>((resolve) => {
      const on = (l: string) => {
        if (!l.startsWith(prefix)) return;
        lines.off('line', on);
        resolve(Number(l.slice(prefix.length + 1)));
      };
      lines.on('line', on);
    });
  const port = await nextLine('port');
  const dataDir = mkdtempSync(join(tmpdir(), 'peil-bench-inv-'));
  const env = parseEnv({
    PEIL_ENV: 'test',
    PEIL_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PEIL_BASE_URL: 'https://peil.example',
    ...(opts.outbox ? {} : { SMTP_URL: `smtp://127.0.0.1:${port}?starttls=false` }),
    SMTP_POOL_SIZE: String(opts.poolSize),
  });
  const rt = await openRuntime(env, { handle: opts.handle, master: new MasterKey(randomBytes(32)) });
  const bench = `invitations-${opts.label}${opts.outbox ? '-outbox' : ''}`;
  try {
    const { tenantId } = await createTenant(
      rt.ctx,
      {
        name: 'Bench BV',
        slug: `bench-${randomBytes(3).toString('hex')}`,
        owner: { email: 'bench@example.nl', name: 'B', password: 'Meetlat-Wachtwoord-1' },
      },
      systemActor,
    );
    const keys = await rt.ctx.keyring.forTenant(tenantId);
    const surveyId = randomUUID();
    const distributionId = randomUUID();
    await rt.ctx.db.tenant(tenantId, async (tx) => {
      await tx
        .insertInto('surveys')
        .values({
          tenant_id: tenantId,
          id: surveyId,
          name: 'Bench',
          kind: 'nps',
          default_language: 'nl',
          definition: JSON.stringify(npsDefinition('Bench BV')),
          created_by: null,
        })
        .execute();
      await tx
        .insertInto('distributions')
        .values({ tenant_id: tenantId, id: distributionId, survey_id: surveyId, created_by: null, total: 0 })
        .execute();
      for (let off = 0; off < opts.count; off += 5000) {
        const n = Math.min(5000, opts.count - off);
        const ids = Array.from({ length: n }, () => randomUUID());
        const email = (i: number) => `r${off + i}@example.nl`;
        await sql`INSERT INTO contacts (tenant_id, id, email_hmac, email_enc, first_name_enc, last_name_enc, language, profile)
          SELECT ${tenantId}::uuid, u.id, u.h, u.e, u.f, u.l, u.lang, jsonb_build_object('regio', u.r)
            FROM unnest(${ids}::uuid[], ${ids.map((_, i) => keys.emailIndex(email(i)))}::bytea[], ${ids.map((_, i) => keys.seal(email(i)))}::bytea[],
                        ${ids.map((_, i) => keys.seal(`Voornaam${off + i}`))}::bytea[], ${ids.map(() => keys.seal('Jansen'))}::bytea[],
                        ${ids.map((_, i) => ((off + i) % 5 === 0 ? 'en' : 'nl'))}::text[], ${ids.map((_, i) => ['Noord', 'Oost', 'Zuid', 'West'][(off + i) % 4]!)}::text[]) AS u(id, h, e, f, l, lang, r)`.execute(
          tx,
        );
      }
      // 1% of the addresses are on the suppression list, so that check does real work.
      await sql`INSERT INTO suppressions (tenant_id, email_hmac, reason, source) SELECT tenant_id, email_hmac, 'manual', 'bench' FROM contacts WHERE tenant_id = ${tenantId}::uuid AND random() < 0.01`.execute(
        tx,
      );
    });

    const t0 = performance.now();
    const invited = await rt.ctx.db.tenant(tenantId, (tx) =>
      inviteContacts(tx, {
        tenantId,
        surveyId,
        defaultLanguage: 'nl',
        distributionId,
        where: sql`TRUE`,
        at: new Date(),
        throttleDays: 30,
        dryRun: false,
      }),
    );
    const inviteSeconds = (performance.now() - t0) / 1000;

    const stopProfile = process.env.BENCH_PROFILE ? await startProfile() : undefined;
    sink.stdin!.write('cpu\n');
    const sinkCpu0 = await nextLine('cpu');
    const cpu0 = process.cpuUsage();
    // OBLIGATIONS SEC-2 (issue 16): how long anything else waits for the event loop during the send
    // (a request to /healthz waits at least this long).
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    // And what a request that reads the database waits (GET /api/v1/surveys: one tenant transaction), every 100 ms.
    const probes: number[] = [];
    let sending = true;
    const probe = (async () => {
      while (sending) {
        const p0 = performance.now();
        await rt.ctx.db.tenant(tenantId, (tx) => tx.selectFrom('surveys').select('id').execute());
        probes.push(performance.now() - p0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const t1 = performance.now();
    const res = await runSendJob(rt.ctx, { tenantId, distributionId });
    const sendSeconds = (performance.now() - t1) / 1000;
    sending = false;
    await probe;
    lag.disable();
    probes.sort((a, b) => a - b);
    const cpu = process.cpuUsage(cpu0);
    sink.stdin!.write('cpu\n');
    const sinkCpuSeconds = ((await nextLine('cpu')) - sinkCpu0) / 1000;
    const peilCpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (stopProfile) await stopProfile(`${process.env.BENCH_PROFILE}-invitations.cpuprofile`);
    sink.stdin!.write('count\n');
    const received = await nextLine('count');
    if (!opts.outbox && received !== res.sent)
      throw new Error(`the SMTP server received ${received} mails, the job recorded ${res.sent}`);
    return [
      { bench, metric: 'contacts', value: opts.count, unit: 'contacts' },
      {
        bench,
        metric: 'invitations created',
        value: Math.round(invited.invited / inviteSeconds),
        unit: 'invitations/s',
      },
      {
        bench,
        metric: 'mails sent',
        value: res.sent,
        unit: `mails (${invited.skippedBy.suppressed} suppressed, ${res.failed} failed)`,
      },
      { bench, metric: 'throughput', value: Math.round(res.sent / sendSeconds), unit: 'mails/s' },
      { bench, metric: 'send time', value: Math.round(sendSeconds * 10) / 10, unit: 's' },
      // CPU seconds during the send phase, per process (the sink shares the same cores).
      {
        bench,
        metric: 'cpu peil',
        value: Math.round(peilCpuSeconds * 10) / 10,
        unit: `s (${Math.round((peilCpuSeconds / sendSeconds) * 100)}% of one core)`,
      },
      { bench, metric: 'cpu peil per mail', value: Math.round((peilCpuSeconds / res.sent) * 1e6) / 1000, unit: 'ms' },
      {
        bench,
        metric: 'cpu sink',
        value: Math.round(sinkCpuSeconds * 10) / 10,
        unit: `s (${Math.round((sinkCpuSeconds / sendSeconds) * 100)}% of one core)`,
      },
      {
        bench,
        metric: 'event loop delay max',
        value: Math.round(lag.max / 1e6),
        unit: 'ms (SEC-2: other requests wait this long at worst)',
      },
      {
        bench,
        metric: 'database request max',
        value: Math.round(probes[probes.length - 1] ?? 0),
        unit: `ms (a tenant transaction every 100 ms during the send, ${probes.length} probes)`,
      },
      {
        bench,
        metric: 'database request p99',
        value: Math.round(probes[Math.floor(probes.length * 0.99)] ?? 0),
        unit: 'ms',
      },
      { bench, metric: 'event loop delay p99', value: Math.round(lag.percentile(99) / 1e6), unit: 'ms' },
      { bench, metric: 'smtp pool', value: opts.poolSize, unit: 'connections (maxMessages ∞, chunk 1000)' },
    ];
  } finally {
    await rt.close();
    sink.stdin!.write('exit\n');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
