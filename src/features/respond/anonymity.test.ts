import { configureLog } from '../../lib/log.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { emptyDatabase, eventually, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { ensureContacts } from '../../../test/respondents.js';
import { loadMigrations, migrate } from '../../lib/db/migrate.js';
import { signedRowToken } from '../../lib/tokens.js';
import { runDistributionTick } from '../distribution/send.js';
import { sweepAnonymousInvitations } from './anonymity-sweep.js';

/**
 * OBLIGATIONS SVC-4, anonymous surveys: what the database keeps must not link a response to the
 * person who gave it. The attacker here is whoever reads the database as its owner (a database
 * administrator): the invitation rows (their times, their reminder history) and the system column
 * xmin (the transaction id that wrote a row), against the responses' submitted_at and xmin.
 * The background sweep is off (ANONYMITY_SWEEP_SECONDS=0); the tests call it where they need it.
 */
describe('SVC-4 anonymous answers leave no link in the database', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  const db = () => t.ctx.db.handle.kysely;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  before(async () => {
    t = await startTestApp({ ANONYMITY_SWEEP_SECONDS: '0' });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    await ensureContacts(t, owner, tenantId, 6);
  });
  after(() => t.close());

  /**
   * An anonymous survey sent to every contact ten days ago (so that the day of the answers, today,
   * differs from every time an invitation may rightly hold).
   */
  async function sentTenDaysAgo(name: string, reminders?: { max: number; intervalDays: number }) {
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name, kind: 'enps', anonymity: 'anonymous' },
    });
    assert.equal(s.statusCode, 201, s.body);
    const surveyId: string = s.json().id;
    const d = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/distributions`,
      headers: { cookie: owner },
      payload: { all: true, ...(reminders ? { reminders } : {}) },
    });
    assert.equal(d.statusCode, 202, d.body);
    await eventually(
      async () => {
        const { rows } = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM invitations WHERE survey_id = ${surveyId}::uuid AND status <> 'sent'`.execute(
          db(),
        );
        return rows[0]!.n === 0;
      },
      20_000,
      'the invitations sent',
    );
    await sql`UPDATE invitations SET created_at = now() - interval '10 days', sent_at = now() - interval '10 days' WHERE survey_id = ${surveyId}::uuid`.execute(
      db(),
    );
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const rows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('invitations')
        .select(['id', 'contact_id'])
        .where('survey_id', '=', surveyId)
        .orderBy('id')
        .execute(),
    );
    return {
      surveyId,
      links: rows.map((r) => ({
        invitationId: r.id,
        contactId: r.contact_id,
        path: `/s/${signedRowToken(tenantId, r.id, (b) => keys.tokenMac(b), surveyId)}`,
      })),
    };
  }

  /** A respondent opens the link and answers, as a browser does. */
  async function answer(path: string, score: number, why: string): Promise<void> {
    assert.equal((await t.app.inject({ method: 'GET', url: path })).statusCode, 200);
    const res = await t.app.inject({
      method: 'POST',
      url: path,
      headers: form,
      payload: new URLSearchParams({ score: String(score), why, lang: 'nl' }).toString(),
    });
    assert.equal(res.statusCode, 303, res.body);
  }

  /** The attack on xmin: invitations of the survey written by the same transaction as some response. */
  const sharedXmin = async (surveyId: string) =>
    (
      await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM invitations i JOIN responses r ON r.xmin = i.xmin WHERE i.survey_id = ${surveyId}::uuid`.execute(
        db(),
      )
    ).rows[0]!.n;

  /**
   * The attack on times: every time-valued column of the survey's invitations (whatever it is called)
   * that lies within two days of a response's submitted_at. The invitations were sent ten days ago, so
   * only a trace of the answer (its time, its day in any time zone, a reminder just before it) can be
   * that close.
   */
  const timesNearAnAnswer = async (surveyId: string) =>
    (
      await sql<{ col: string }>`
        SELECT DISTINCT e.key AS col
          FROM invitations i, jsonb_each_text(to_jsonb(i)) AS e(key, value)
         WHERE i.survey_id = ${surveyId}::uuid AND e.value ~ '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:'
           AND EXISTS (SELECT 1 FROM responses r WHERE r.survey_id = ${surveyId}::uuid
                        AND abs(extract(epoch FROM e.value::timestamptz - r.submitted_at)) < 2 * 86400)`.execute(db())
    ).rows.map((r) => r.col);

  test('SVC-4 anonymous: after answers through the respondent pages, no invitation shares a transaction id with a response, none keeps a time near the answer, and after the sweep their order says nothing', async () => {
    const { surveyId, links } = await sentTenDaysAgo('Anoniem onderzoek');
    // Two were reminded twice, yesterday last: that history would place their answers after it.
    await sql`UPDATE invitations SET reminders_sent = 2, last_reminded_at = now() - interval '1 day' WHERE id IN (${links[0]!.invitationId}::uuid, ${links[1]!.invitationId}::uuid)`.execute(
      db(),
    );
    for (const [i, l] of links.slice(0, 4).entries()) await answer(l.path, 3 + i, `Reden ${i}`);
    const { rows: stored } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM responses WHERE survey_id = ${surveyId}::uuid AND invitation_id IS NULL AND contact_id IS NULL`.execute(
      db(),
    );
    assert.equal(stored[0]!.n, 4);

    // The writer writes each invitation again after its commit: wait for that.
    await eventually(async () => (await sharedXmin(surveyId)) === 0, 20_000, 'the invitations written again');
    assert.deepEqual(await timesNearAnAnswer(surveyId), [], 'no invitation column carries a time or day of an answer');
    const { rows: answered } = await sql<{
      responded_at: Date;
      created_at: Date;
      opened_at: Date | null;
      reminders_sent: number;
    }>`
      SELECT responded_at, created_at, opened_at, reminders_sent FROM invitations WHERE survey_id = ${surveyId}::uuid AND responded_at IS NOT NULL`.execute(
      db(),
    );
    assert.equal(answered.length, 4, 'the invitations still know they were answered');
    for (const r of answered) {
      assert.equal(+new Date(r.responded_at), +new Date(r.created_at));
      assert.equal(+new Date(r.opened_at!), +new Date(r.created_at));
      assert.ok(r.reminders_sent <= 1, 'only "reminded or not" stays');
    }

    // The order attack: each answer's invitation was written again in its own transaction, so ranking
    // the invitations by xmin would follow the order of the answers (and of the responses' xmin).
    // The sweep writes all answered invitations of the survey in one transaction.
    const swept = await sweepAnonymousInvitations(t.ctx);
    assert.ok(swept.invitations >= 4, JSON.stringify(swept));
    const { rows: ids } = await sql<{
      n: number;
    }>`SELECT count(DISTINCT xmin::text)::int AS n FROM invitations WHERE survey_id = ${surveyId}::uuid AND responded_at IS NOT NULL`.execute(
      db(),
    );
    assert.equal(ids[0]!.n, 1, 'every answered invitation carries the same transaction id');
    assert.equal(await sharedXmin(surveyId), 0);
    assert.deepEqual(await timesNearAnAnswer(surveyId), []);
    // Nothing left to do: a second sweep rewrites nothing.
    assert.equal((await sweepAnonymousInvitations(t.ctx)).invitations, 0);
  });

  test('SVC-4 anonymous: when writing the invitation again fails, the failure is logged without personal data and the sweep still unlinks the rows', async () => {
    const { surveyId, links } = await sentTenDaysAgo('Anoniem, mislukte tweede schrijfslag');
    // A real failure of the database, not a mock: a trigger refuses every later write of an answered
    // invitation, with a message that names the row (as database errors can).
    await sql`CREATE FUNCTION peil_test_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF OLD.responded_at IS NOT NULL THEN RAISE EXCEPTION 'refused rewrite of invitation %', OLD.id; END IF; RETURN NEW; END $$`.execute(
      db(),
    );
    await sql`CREATE TRIGGER peil_test_refuse_rewrite BEFORE UPDATE ON invitations FOR EACH ROW EXECUTE FUNCTION peil_test_refuse_rewrite()`.execute(
      db(),
    );
    // Background work logs JSON lines through src/lib/log.ts (pino's shape); capture them here.
    const logged: string[] = [];
    configureLog({ stream: { write: (line: string) => logged.push(line) } });
    try {
      await answer(links[0]!.path, 2, 'Te veel werkdruk');
      await answer(links[1]!.path, 9, 'Fijne collega’s');
      await eventually(
        async () => logged.filter((l) => l.includes('anonymous invitation')).length >= 2,
        20_000,
        'the failures logged',
      );
    } finally {
      configureLog({ stream: process.stderr });
    }
    // The failure is real: right now both invitations share their transaction id with their response.
    assert.equal(await sharedXmin(surveyId), 2);
    // The log names no invitation, contact or address, and does not repeat the database's message.
    const emails = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts`.execute(db())).rows[0]!.n;
    assert.ok(emails > 0);
    for (const line of logged) {
      for (const l of links) assert.ok(!line.includes(l.invitationId) && !line.includes(l.contactId), line);
      assert.doesNotMatch(line, /@example\.nl|refused rewrite/);
    }

    await sql`DROP TRIGGER peil_test_refuse_rewrite ON invitations`.execute(db());
    await sql`DROP FUNCTION peil_test_refuse_rewrite()`.execute(db());
    // The sweep (at start and periodically) finds them.
    const swept = await sweepAnonymousInvitations(t.ctx);
    assert.ok(swept.invitations >= 2, JSON.stringify(swept));
    assert.equal(await sharedXmin(surveyId), 0);
    assert.deepEqual(await timesNearAnAnswer(surveyId), []);
  });

  test('SVC-4 anonymous: without an answer time, reminders skip those who answered, counts stay and a second answer is refused', async () => {
    const { surveyId, links } = await sentTenDaysAgo('Anoniem met herinnering', { max: 1, intervalDays: 3 });
    await answer(links[0]!.path, 8, 'Prima');
    await answer(links[1]!.path, 6, 'Kan beter');
    // The same link again: the "already answered" page, and a replayed post stores nothing.
    const again = await t.app.inject({ method: 'GET', url: links[0]!.path });
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /Je hebt al geantwoord/);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: links[0]!.path, headers: form, payload: 'score=1&lang=nl' }))
        .statusCode,
      409,
    );

    await runDistributionTick(t.ctx);
    const { rows } = await sql<{
      id: string;
      reminders_sent: number;
    }>`SELECT id, reminders_sent FROM invitations WHERE survey_id = ${surveyId}::uuid`.execute(db());
    const reminded = new Map(rows.map((r) => [r.id, r.reminders_sent]));
    assert.equal(reminded.get(links[0]!.invitationId), 0);
    assert.equal(reminded.get(links[1]!.invitationId), 0);
    for (const l of links.slice(2))
      assert.equal(reminded.get(l.invitationId), 1, 'a reminder to each who did not answer');

    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${surveyId}/distributions`,
      headers: { cookie: owner },
    });
    const c = list.json().distributions[0].counts;
    assert.equal(c.responded, 2);
    assert.equal(c.opened, 2);
    assert.equal(c.reminded, links.length - 2);
    const { rows: n } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM responses WHERE survey_id = ${surveyId}::uuid`.execute(db());
    assert.equal(n[0]!.n, 2);
  });
});

describe('SVC-4 migration 0011 on existing rows', () => {
  test('SVC-4 anonymous: migration 0011 removes answer times from existing invitations and anonymous webhook payloads, and lifts minimum group sizes below 3', async () => {
    const { handle, drop } = await emptyDatabase();
    try {
      const before = new Set(
        loadMigrations()
          .map((m) => m.version)
          .filter((v) => v < 11),
      );
      await migrate(handle.pool, () => {}, { only: before });
      const q = (text: string, values: unknown[] = []) => handle.pool.query(text, values);
      const tenant = randomUUID();
      const [anon, conf] = [randomUUID(), randomUUID()];
      const [contact, dist, inv, resp, hook] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await q(`INSERT INTO tenants (id, slug, name) VALUES ($1, 'oud', 'Oud')`, [tenant]);
      await q(
        `INSERT INTO surveys (tenant_id, id, name, kind, definition, anonymity, min_group_size) VALUES ($1, $2, 'Anoniem', 'nps', '{}', 'anonymous', 2), ($1, $3, 'Vertrouwelijk', 'nps', '{}', 'confidential', 2)`,
        [tenant, anon, conf],
      );
      await q(`INSERT INTO contacts (tenant_id, id, email_hmac, email_enc) VALUES ($1, $2, '\\x01', '\\x02')`, [
        tenant,
        contact,
      ]);
      await q(`INSERT INTO distributions (tenant_id, id, survey_id) VALUES ($1, $2, $3)`, [tenant, dist, anon]);
      // As the old writer left it: answered and opened "only to the day", two reminders before that.
      await q(
        `INSERT INTO invitations (tenant_id, id, survey_id, distribution_id, contact_id, language, status, created_at, sent_at, opened_at, responded_at, reminders_sent, last_reminded_at)
         VALUES ($1, $2, $3, $4, $5, 'nl', 'sent', now() - interval '10 days', now() - interval '10 days', date_trunc('day', now()), date_trunc('day', now()), 2, now() - interval '1 day')`,
        [tenant, inv, anon, dist, contact],
      );
      await q(
        `INSERT INTO responses (tenant_id, id, survey_id, language, score, answers_enc) VALUES ($1, $2, $3, 'nl', 7, '\\x03')`,
        [tenant, resp, anon],
      );
      await q(
        `INSERT INTO webhooks (tenant_id, id, url, events, secret_enc) VALUES ($1, $2, 'https://hook.example/x', '{response.completed}', '\\x04')`,
        [tenant, hook],
      );
      await q(
        `INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_id, event_type, payload_enc) VALUES ($1, $2, $3, $4, 'response.completed', '\\x05')`,
        [tenant, randomUUID(), hook, resp],
      );

      await migrate(handle.pool);

      const sizes = (
        await q(`SELECT min_group_size FROM surveys WHERE tenant_id = $1 ORDER BY name`, [tenant])
      ).rows.map((r: { min_group_size: number }) => r.min_group_size);
      assert.deepEqual(sizes, [3, 3]);
      const checks = (
        await q(
          `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'surveys'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%min_group_size%'`,
        )
      ).rows.map((r: { def: string }) => r.def);
      assert.deepEqual(checks, ['CHECK (((min_group_size >= 3) AND (min_group_size <= 1000)))']);
      const row = (
        await q(
          `SELECT responded_at = created_at AS r, opened_at = created_at AS o, reminders_sent, last_reminded_at = created_at AS l FROM invitations WHERE id = $1`,
          [inv],
        )
      ).rows[0];
      assert.deepEqual(row, { r: true, o: true, reminders_sent: 1, l: true });
      assert.equal((await q(`SELECT count(*)::int AS n FROM webhook_deliveries`)).rows[0].n, 0);
    } finally {
      await handle.close();
      await drop();
    }
  });
});
