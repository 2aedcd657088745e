import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { dbKind, eventually, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { ensureContacts } from '../../../test/respondents.js';
import { signedRowToken } from '../../lib/tokens.js';
import { SURVEY_SETTINGS_LOCK, surveySettingsKey } from './store.js';

/**
 * OBLIGATIONS SVC-4: the minimum group size and the anonymity mode are promises made to the people who
 * answer. The attacker is a customer user who may edit surveys (the owner) and, once the answers are
 * in, tries to shrink the groups (minGroupSize 5 → 2, so that a group of two shows, from which either
 * member computes the other's answer) or to switch a shielded survey to identified.
 */
describe('SVC-4 minimum group size and anonymity mode', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    await ensureContacts(t, owner, tenantId, 3);
  });
  after(() => t.close());

  const create = (payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: 'Medewerkers', kind: 'enps', ...payload },
    });
  const put = (id: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/surveys/${id}`, headers: { cookie: owner }, payload });
  const get = async (id: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${id}`, headers: { cookie: owner } })).json();

  /** Sends the survey to every contact and answers one invitation through the respondent pages. */
  async function answerOne(surveyId: string): Promise<void> {
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
    const inv = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('invitations')
        .select('id')
        .where('survey_id', '=', surveyId)
        .orderBy('id')
        .executeTakeFirstOrThrow(),
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/s/${signedRowToken(tenantId, inv.id, (b) => keys.tokenMac(b), surveyId)}`,
      headers: form,
      payload: 'score=6&why=Werkdruk&lang=nl',
    });
    assert.equal(res.statusCode, 303, res.body);
  }

  test('SVC-4 confidential: minGroupSize cannot be set below 3 (validation error at /body/minGroupSize)', async () => {
    const two = await create({ anonymity: 'confidential', minGroupSize: 2 });
    assert.equal(two.statusCode, 422, two.body);
    assert.deepEqual(
      two.json().errors.map((e: { pointer: string }) => e.pointer),
      ['/body/minGroupSize'],
    );
    const s = (await create({ anonymity: 'confidential', minGroupSize: 3 })).json();
    assert.equal(s.minGroupSize, 3);
    const lower = await put(s.id, { minGroupSize: 2 });
    assert.equal(lower.statusCode, 422, lower.body);
    assert.deepEqual(
      lower.json().errors.map((e: { pointer: string }) => e.pointer),
      ['/body/minGroupSize'],
    );
    assert.equal((await get(s.id)).minGroupSize, 3);
  });

  test('SVC-4 confidential: minGroupSize cannot be lowered once the survey has responses (409 with a pointer), and can always be raised', async () => {
    const s = (await create({ anonymity: 'confidential', minGroupSize: 6 })).json();
    // Before any response it may still go down (nobody answered under the larger promise yet).
    assert.equal((await put(s.id, { minGroupSize: 5 })).json().minGroupSize, 5);
    await answerOne(s.id);
    for (const attempt of [4, 3]) {
      const res = await put(s.id, { minGroupSize: attempt });
      assert.equal(res.statusCode, 409, res.body);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.deepEqual(
        res.json().errors.map((e: { pointer: string }) => e.pointer),
        ['/minGroupSize'],
      );
    }
    assert.equal((await get(s.id)).minGroupSize, 5);
    // The same value (the editor always sends it) and a higher one are fine; then that is the floor.
    assert.equal((await put(s.id, { name: 'Medewerkers 2026', minGroupSize: 5 })).statusCode, 200);
    assert.equal((await put(s.id, { minGroupSize: 8 })).json().minGroupSize, 8);
    assert.equal((await put(s.id, { minGroupSize: 7 })).statusCode, 409);
    assert.equal((await get(s.id)).minGroupSize, 8);
    // The log keeps the change as evidence.
    const log = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/audit?action=survey.updated&limit=50`,
        headers: { cookie: owner },
      })
    ).json().entries as Array<{ details: { minGroupSize?: { before: number; after: number } } }>;
    assert.ok(
      log.some((e) => e.details.minGroupSize?.before === 5 && e.details.minGroupSize.after === 8),
      JSON.stringify(log.map((e) => e.details)),
    );
  });

  test('SVC-4 confidential: the anonymity mode cannot change once there are responses, above all not from shielded to identified', async () => {
    for (const from of ['confidential', 'anonymous'] as const) {
      const s = (await create({ anonymity: from })).json();
      await answerOne(s.id);
      for (const to of ['identified', 'confidential', 'anonymous'].filter((m) => m !== from)) {
        const res = await put(s.id, { anonymity: to });
        assert.equal(res.statusCode, 409, `${from} → ${to}: ${res.body}`);
        assert.deepEqual(
          res.json().errors.map((e: { pointer: string }) => e.pointer),
          ['/anonymity'],
        );
      }
      assert.equal((await get(s.id)).anonymity, from);
    }
  });

  test(
    'SVC-4 confidential: a change of the anonymity mode waits for an answer being written, and is then refused',
    { skip: dbKind === 'pglite' ? 'PGlite has one connection: an answer and an edit never overlap there' : false },
    async () => {
      const s = (await create({ anonymity: 'confidential' })).json();
      const contact = await t.ctx.db.tenant(tenantId, (tx) =>
        tx.selectFrom('contacts').select('id').executeTakeFirstOrThrow(),
      );
      // A writer batch in flight, on its own connection: it holds the survey's settings lock shared (as
      // ResponseWriter.store does) and has inserted a confidential response it has not committed yet.
      const writer = await t.ctx.db.handle.pool.connect();
      try {
        await writer.query('BEGIN');
        await writer.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [
          SURVEY_SETTINGS_LOCK,
          surveySettingsKey(tenantId, s.id),
        ]);
        await writer.query(
          `INSERT INTO responses (tenant_id, id, survey_id, contact_id, language, score, answers_enc) VALUES ($1, $2, $3, $4, 'nl', 4, '\\x00')`,
          [tenantId, randomUUID(), s.id, contact.id],
        );
        // The owner now switches the survey to identified, which would name that person with the answer.
        const edit = put(s.id, { anonymity: 'identified' });
        await eventually(
          async () =>
            (
              await t.ctx.db.handle.pool.query(
                `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
              )
            ).rows[0].n > 0,
          20_000,
          'the edit waiting for the answer',
        );
        await writer.query('COMMIT');
        const res = await edit;
        assert.equal(res.statusCode, 409, res.body);
        assert.deepEqual(
          res.json().errors.map((e: { pointer: string }) => e.pointer),
          ['/anonymity'],
        );
      } finally {
        await writer.query('ROLLBACK').catch(() => undefined);
        writer.release();
      }
      assert.equal((await get(s.id)).anonymity, 'confidential');
    },
  );
});
