import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eventually, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { ensureContacts } from '../../../test/respondents.js';
import { signedRowToken } from '../../lib/tokens.js';

/**
 * OBLIGATIONS SVC-4: participation per contact of a confidential or anonymous survey is "answered or
 * not", without times. The attacker is a customer user who may read contacts and send invitations
 * (the owner): they read the invitations list, with addresses, and try to match its rows against the
 * responses' times. The test gives the attacker every response's exact submitted_at (read here as the
 * database owner), more than any customer channel gives, and the invitations were sent ten days
 * before the answers, so any listed time within two days of an answer can only be a trace of it.
 */
describe('SVC-4 participation per contact without times', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  const db = () => t.ctx.db.handle.kysely;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    await ensureContacts(t, owner, tenantId, 5);
  });
  after(() => t.close());

  /** A survey in this mode, sent ten days ago to all five contacts; two reminded yesterday; three answered now. */
  async function answered(anonymity: 'identified' | 'confidential' | 'anonymous') {
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: `Onderzoek ${anonymity}`, kind: 'enps', anonymity },
    });
    assert.equal(s.statusCode, 201, s.body);
    const surveyId: string = s.json().id;
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/surveys/${surveyId}/distributions`,
          headers: { cookie: owner },
          payload: { all: true },
        })
      ).statusCode,
      202,
    );
    await eventually(
      async () =>
        (
          await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM invitations WHERE survey_id = ${surveyId}::uuid AND status <> 'sent'`.execute(
            db(),
          )
        ).rows[0]!.n === 0,
      20_000,
      'the invitations sent',
    );
    await sql`UPDATE invitations SET created_at = now() - interval '10 days', sent_at = now() - interval '10 days' WHERE survey_id = ${surveyId}::uuid`.execute(
      db(),
    );
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const invs = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('invitations')
        .select(['id', 'contact_id'])
        .where('survey_id', '=', surveyId)
        .orderBy('id')
        .execute(),
    );
    await sql`UPDATE invitations SET reminders_sent = 1, last_reminded_at = now() - interval '1 day' WHERE id IN (${invs[0]!.id}::uuid, ${invs[3]!.id}::uuid)`.execute(
      db(),
    );
    const answeredIds = invs.slice(0, 3).map((i) => i.id);
    for (const [n, inv] of invs.slice(0, 3).entries()) {
      const path = `/s/${signedRowToken(tenantId, inv.id, (b) => keys.tokenMac(b), surveyId)}`;
      assert.equal((await t.app.inject({ method: 'GET', url: path })).statusCode, 200);
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: path,
            headers: form,
            payload: `score=${4 + n}&why=Reden+${n}&lang=nl`,
          })
        ).statusCode,
        303,
      );
    }
    const submitted = (
      await sql<{ at: Date }>`SELECT submitted_at AS at FROM responses WHERE survey_id = ${surveyId}::uuid`.execute(
        db(),
      )
    ).rows.map((r) => +new Date(r.at));
    assert.equal(submitted.length, 3);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${surveyId}/invitations`,
      headers: { cookie: owner },
    });
    assert.equal(res.statusCode, 200, res.body);
    const rows = res.json().invitations as Array<Record<string, unknown>>;
    return { surveyId, rows, answeredIds, reminded: invs[3]!.id, submitted };
  }

  /**
   * The attack: every value listed for a contact who answered that reads as a time, within two days
   * of some answer (a contact who did not answer has no response to be linked to).
   */
  function timesNearAnAnswer(
    rows: Array<Record<string, unknown>>,
    answeredIds: string[],
    submitted: number[],
  ): string[] {
    const found: string[] = [];
    for (const r of rows.filter((x) => answeredIds.includes(x.id as string))) {
      for (const [k, v] of Object.entries(r)) {
        if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(v)) continue;
        if (submitted.some((at) => Math.abs(+new Date(v) - at) < 2 * 86_400_000))
          found.push(`${String(r.email)}: ${k}=${v}`);
      }
    }
    return found;
  }

  for (const mode of ['confidential', 'anonymous'] as const) {
    test(`SVC-4 ${mode}: the invitations list says who answered, with addresses, but no answer time, day or reminder history to match against the responses`, async () => {
      const { surveyId, rows, answeredIds, reminded, submitted } = await answered(mode);
      assert.equal(rows.length, 5);
      assert.ok(
        rows.every((r) => typeof r.email === 'string'),
        'the attacker sees addresses',
      );
      assert.deepEqual(
        timesNearAnAnswer(rows, answeredIds, submitted),
        [],
        'a listed time links a contact to a response',
      );
      for (const r of rows) {
        const didAnswer = answeredIds.includes(r.id as string);
        assert.equal(r.responded, didAnswer, 'participation per contact stays');
        assert.equal(r.respondedAt, null);
        if (didAnswer) {
          assert.equal(r.remindersSent, null, 'the reminders before an answer place it in time');
          assert.equal(r.lastRemindedAt, null);
        }
      }
      // A contact who did not answer keeps its reminder history: it tells nothing about any response.
      const open = rows.find((r) => r.id === reminded)!;
      assert.equal(open.responded, false);
      assert.equal(open.remindersSent, 1);
      assert.ok(open.lastRemindedAt);
      // The counts stay.
      const d = (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/surveys/${surveyId}/distributions`,
          headers: { cookie: owner },
        })
      ).json().distributions[0].counts;
      assert.equal(d.responded, 3);
      assert.equal(d.opened, 3);
      assert.equal(d.reminded, 2);
    });
  }

  test('SVC-4 identified surveys still list when each contact answered', async () => {
    const { rows, answeredIds, submitted } = await answered('identified');
    const times = rows
      .filter((r) => answeredIds.includes(r.id as string))
      .map((r) => +new Date(r.respondedAt as string));
    assert.deepEqual([...times].sort(), [...submitted].sort(), 'respondedAt is the answer time');
    assert.ok(rows.filter((r) => r.responded).every((r) => typeof r.remindersSent === 'number'));
  });

  test('SVC-4 the OpenAPI document says that shielded surveys list no answer times', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/v1/surveys/{id}/invitations'].get;
    const item = op.responses['200'].content['application/json'].schema.properties.invitations.items;
    assert.match(item.properties.respondedAt.description, /null for confidential and anonymous surveys/);
    assert.equal(item.properties.responded.type, 'boolean');
    assert.match(op.description, /yes\/no/);
  });
});
