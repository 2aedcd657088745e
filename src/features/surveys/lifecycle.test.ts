import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { colleague, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { answeredSurvey } from '../../../test/respondents.js';

/** Issue 14 (point 2): archive, delete and duplicate a survey. */
describe('issue 14: archive, delete and duplicate a survey', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
  });
  after(() => t.close());

  const api = (method: 'POST' | 'PUT' | 'GET' | 'DELETE', url: string, payload?: unknown, cookie = owner) =>
    t.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const listed = async (q = '') =>
    ((await api('GET', `/api/v1/surveys${q}`)).json().surveys as Array<{ id: string }>).map((s) => s.id);
  const auditOf = async (action: string, subject: string) =>
    (await api('GET', `/api/v1/audit?action=${action}&subject=survey:${subject}`)).json().entries as Array<{
      details: Record<string, unknown>;
    }>;

  test('archiving hides a survey from the list (a filter shows it), changes nothing else, is logged and can be undone', async () => {
    const s = (await api('POST', '/api/v1/surveys', { name: 'Archief 2025' })).json();
    const archived = await api('POST', `/api/v1/surveys/${s.id}/archive`);
    assert.equal(archived.statusCode, 200, archived.body);
    assert.ok(archived.json().archivedAt);
    assert.equal(archived.json().status, 'open', 'archiving does not close');
    assert.ok(!(await listed()).includes(s.id), 'hidden by default');
    assert.ok((await listed('?archived=true')).includes(s.id));
    assert.ok((await listed('?archived=all')).includes(s.id));
    assert.equal((await auditOf('survey.archived', s.id)).length, 1);
    const back = await api('POST', `/api/v1/surveys/${s.id}/unarchive`);
    assert.equal(back.json().archivedAt, null);
    assert.ok((await listed()).includes(s.id));
    assert.ok(!(await listed('?archived=true')).includes(s.id));
    assert.equal((await auditOf('survey.unarchived', s.id)).length, 1);
  });

  test('a survey without responses is deleted with its invitations; the log keeps its name', async () => {
    const s = (await api('POST', '/api/v1/surveys', { name: 'Verkeerd begonnen', status: 'draft' })).json();
    const del = await api('DELETE', `/api/v1/surveys/${s.id}`);
    assert.equal(del.statusCode, 204, del.body);
    assert.equal((await api('GET', `/api/v1/surveys/${s.id}`)).statusCode, 404);
    assert.ok(!(await listed('?archived=all')).includes(s.id));
    const [entry] = await auditOf('survey.deleted', s.id);
    assert.equal(entry?.details.name, 'Verkeerd begonnen');
    assert.equal((await api('DELETE', `/api/v1/surveys/${s.id}`)).statusCode, 404);
  });

  test('REG-4 a survey with responses cannot be deleted (its answers follow the retention period): 409, nothing removed, archiving still works', async () => {
    const { surveyId } = await answeredSurvey(t, owner, tenantId, [{ score: 9, why: 'Prima' }], 'Met antwoorden');
    const del = await api('DELETE', `/api/v1/surveys/${surveyId}`);
    assert.equal(del.statusCode, 409, del.body);
    assert.match(del.json().detail, /bewaartermijn/);
    assert.match(del.json().detail, /Archive/);
    const still = await api('GET', `/api/v1/surveys/${surveyId}`);
    assert.equal(still.json().responses, 1);
    assert.equal((await auditOf('survey.deleted', surveyId)).length, 0);
    assert.equal((await api('POST', `/api/v1/surveys/${surveyId}/archive`)).statusCode, 200);
  });

  test('duplicating makes a draft with the same questions, texts, settings and template, without invitations or responses', async () => {
    const custom = await api('POST', '/api/v1/surveys', {
      name: 'Medewerkers',
      kind: 'enps',
      anonymity: 'confidential',
      minGroupSize: 7,
      defaultLanguage: 'en',
    });
    assert.equal(custom.statusCode, 201, custom.body);
    const from = custom.json();
    const { surveyId: answered } = await answeredSurvey(t, owner, tenantId, [{ score: 3 }], 'Nog een');
    for (const source of [from.id, answered]) {
      const before = (await api('GET', `/api/v1/surveys/${source}`)).json();
      const dup = await api('POST', `/api/v1/surveys/${source}/duplicate`, {});
      assert.equal(dup.statusCode, 201, dup.body);
      const copy = dup.json();
      assert.notEqual(copy.id, source);
      assert.equal(copy.name, `Kopie van ${before.name}`);
      assert.equal(copy.status, 'draft');
      assert.deepEqual(
        [copy.kind, copy.anonymity, copy.minGroupSize, copy.defaultLanguage, copy.responses],
        [before.kind, before.anonymity, before.minGroupSize, before.defaultLanguage, 0],
      );
      assert.deepEqual(copy.definition, before.definition);
      const inv = await t.ctx.db.tenant(tenantId, (tx) =>
        tx.selectFrom('invitations').select('id').where('survey_id', '=', copy.id).execute(),
      );
      assert.equal(inv.length, 0);
      assert.equal((await auditOf('survey.duplicated', source))[0]?.details.to, copy.id);
    }
    const named = await api('POST', `/api/v1/surveys/${from.id}/duplicate`, { name: 'Medewerkers 2027' });
    assert.equal(named.json().name, 'Medewerkers 2027');
  });

  test('ACC-2 a viewer can neither archive, delete nor duplicate (an analyst, who edits surveys, can)', async () => {
    const s = (await api('POST', '/api/v1/surveys', { name: 'Alleen voor schrijvers', status: 'draft' })).json();
    for (const role of ['viewer'] as const) {
      const cookie = await colleague(t, owner, role);
      for (const [method, url] of [
        ['POST', `/api/v1/surveys/${s.id}/archive`],
        ['POST', `/api/v1/surveys/${s.id}/duplicate`],
        ['DELETE', `/api/v1/surveys/${s.id}`],
      ] as const) {
        const res = await api(method, url, method === 'POST' ? {} : undefined, cookie);
        assert.equal(res.statusCode, 403, `${role} ${method} ${url}`);
      }
    }
    assert.equal((await api('GET', `/api/v1/surveys/${s.id}`)).json().archivedAt, null);
  });
});
