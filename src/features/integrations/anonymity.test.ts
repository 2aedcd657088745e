import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eventually, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { startReceiver, type Receiver } from '../../../test/receiver.js';
import { ensureContacts } from '../../../test/respondents.js';
import { signedRowToken } from '../../lib/tokens.js';

/**
 * OBLIGATIONS SVC-4 through the integration channels (SVC-5). The attacker is the customer with an
 * API key and a webhook receiver of their own, and the owner's session: they try to link responses of
 * a shielded survey to people through the responses API (exact submittedAt, language, text, in time
 * order), a webhook per answer (it arrives the moment the invitation is marked answered), and the
 * invitations list, and to match those by time.
 */
describe('SVC-4 shielded surveys through the API and webhooks', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  let key: string;
  let got: string[] = [];
  let receiver: Receiver;
  let hookUrl: string;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const db = () => t.ctx.db.handle.kysely;

  before(async () => {
    t = await startTestApp({
      PEIL_WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_SWEEP_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '50',
    });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    await ensureContacts(t, owner, tenantId, 4);
    receiver = await startReceiver();
    got = receiver.bodies;
    hookUrl = receiver.url;
    const k = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { cookie: owner },
      payload: { name: 'Koppeling', scopes: ['responses:export', 'invitations:send', 'contacts:read', 'results:read'] },
    });
    assert.equal(k.statusCode, 201, k.body);
    key = k.json().key;
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/webhooks',
          headers: { cookie: owner },
          payload: { url: hookUrl },
        })
      ).statusCode,
      201,
    );
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  /** A survey in this mode, sent to every contact and answered by the first `n` through the respondent pages. */
  async function answered(
    anonymity: 'identified' | 'confidential' | 'anonymous',
    n: number,
    why: (i: number) => string,
  ) {
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: `Onderzoek ${anonymity} ${Date.now()}`, kind: 'enps', anonymity },
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
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const invs = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).orderBy('id').execute(),
    );
    for (const [i, inv] of invs.slice(0, n).entries()) {
      const path = `/s/${signedRowToken(tenantId, inv.id, (b) => keys.tokenMac(b), surveyId)}`;
      const res = await t.app.inject({
        method: 'POST',
        url: path,
        headers: form,
        payload: new URLSearchParams({ score: String(3 + i), why: why(i), lang: i % 2 ? 'en' : 'nl' }).toString(),
      });
      assert.equal(res.statusCode, 303, res.body);
    }
    return surveyId;
  }

  const bearer = () => ({ authorization: `Bearer ${key}` });

  /** Everything the attacker can read about each contact's answer in the invitations list: times. */
  async function listedTimes(surveyId: string): Promise<number[]> {
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${surveyId}/invitations`,
      headers: bearer(),
    });
    assert.equal(list.statusCode, 200, list.body);
    const rows = list.json().invitations as Array<Record<string, unknown>>;
    assert.ok(rows.some((r) => r.responded === true) && rows.every((r) => typeof r.email === 'string'));
    return rows
      .filter((r) => r.responded)
      .flatMap((r) =>
        [r.respondedAt, r.lastRemindedAt].filter((v): v is string => typeof v === 'string').map((v) => +new Date(v)),
      );
  }

  /** Waits until the webhook dispatcher has passed every response so far: a later identified answer arrives. */
  async function dispatcherPassed(marker: string): Promise<void> {
    await answered('identified', 1, () => marker);
    await eventually(async () => got.some((b) => b.includes(marker)), 20_000, 'the identified event');
  }

  test('SVC-4 anonymous: matching the invitations list against the responses API by time links nobody, since the API refuses anonymous surveys', async () => {
    const surveyId = await answered('anonymous', 3, (i) => `Anoniem antwoord ${i}`);
    for (const headers of [bearer(), { cookie: owner }]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses`, headers });
      assert.equal(res.statusCode, 403, res.body);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.match(res.json().detail, /anoniem/);
      assert.match(res.json().detail, /results/);
      assert.doesNotMatch(res.body, /Anoniem antwoord|submittedAt|"language"/);
    }
    // The other side of the match: the list says who answered, and no time.
    assert.deepEqual(await listedTimes(surveyId), []);
  });

  test('SVC-4 anonymous: no webhook is sent per anonymous answer, so its arrival links nobody', async () => {
    const before = got.length;
    const surveyId = await answered('anonymous', 2, (i) => `Geheim anoniem ${i}`);
    await dispatcherPassed('Merkteken na anoniem');
    const events = got
      .slice(before)
      .map((b) => JSON.parse(b) as { data: { surveyId: string; anonymity: string; contactId: string | null } });
    assert.equal(events.length, 1, 'only the identified answer gave an event');
    assert.notEqual(events[0]!.data.surveyId, surveyId);
    assert.equal(events[0]!.data.anonymity, 'identified');
    assert.ok(events[0]!.data.contactId);
    assert.ok(!got.some((b) => b.includes('Geheim anoniem')));
    // Nothing waits to be sent either: no delivery row, sealed or not, for an anonymous response.
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM webhook_deliveries d JOIN responses r ON r.id = d.event_id WHERE r.survey_id = ${surveyId}::uuid`.execute(
      db(),
    );
    assert.equal(rows[0]!.n, 0);
  });

  test('SVC-4 confidential: the responses API refuses, no webhook is sent and the invitations list has no times', async () => {
    const before = got.length;
    const surveyId = await answered('confidential', 3, (i) => `Vertrouwelijk ${i}`);
    await dispatcherPassed('Merkteken na vertrouwelijk');
    assert.equal(got.length - before, 1, 'only the identified answer gave an event');
    assert.ok(!got.some((b) => b.includes('Vertrouwelijk')));
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses`, headers: bearer() });
    assert.equal(res.statusCode, 403);
    assert.match(res.json().detail, /vertrouwelijk/);
    assert.doesNotMatch(res.body, /Vertrouwelijk \d/);
    assert.deepEqual(await listedTimes(surveyId), []);
  });

  test('SVC-4 the OpenAPI document says which surveys give responses and events', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.match(
      doc.paths['/api/v1/surveys/{id}/responses'].get.description,
      /Confidential and anonymous surveys are refused \(403/,
    );
    assert.match(doc.paths['/api/v1/webhooks'].post.description, /confidential and anonymous surveys send no events/);
  });
});
