// Issue 17: the results' "invited" comes from the survey's own count of its invitations, kept by
// migration 0039's triggers, instead of a count of the invitations on every view. The count must stay
// exact along every path that makes or removes invitations: inviting (twice, the second time nothing
// new), a contact's deletion (its invitations go by cascade), its restore from the log (they come
// back), another survey's and another customer's invitations. Each step compares the results with a
// recount from the invitations themselves.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { importCsv, newCustomer, operatorCookie, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

describe('issue 17: the number invited from the survey’s count, exact against a recount', () => {
  let t: TestApp;
  let owner: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner } = await setUp(t));
  });
  after(() => t.close());

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, cookie = owner, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const survey = async (name: string, cookie = owner) => {
    const res = await call('POST', '/api/v1/surveys', cookie, { name });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  };
  const invite = async (surveyId: string, payload: object, cookie = owner) => {
    const res = await call('POST', `/api/v1/surveys/${surveyId}/distributions`, cookie, payload);
    assert.equal(res.statusCode, 202, res.body);
  };
  const invited = async (surveyId: string, cookie = owner) => {
    const res = await call('GET', `/api/v1/surveys/${surveyId}/results`, cookie);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().invited as number;
  };
  /** The number as the results counted it before 0039: the invitations there are, and those erased. */
  const recount = async (surveyId: string) =>
    (
      await sql<{ n: number }>`SELECT (SELECT count(*) FROM invitations WHERE survey_id = ${surveyId}::uuid)::int
                                    + (SELECT invitations_erased FROM surveys WHERE id = ${surveyId}::uuid) AS n`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows[0]!.n;
  const contactId = async (email: string) => {
    const res = await call('GET', `/api/v1/contacts?q=${encodeURIComponent(email)}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().contacts[0].id as string;
  };

  test('inviting, inviting again, deleting a contact and restoring it: invited follows the invitations', async () => {
    const csv = ['email;voornaam', ...['a', 'b', 'c', 'd'].map((x) => `${x}@telling.nl;${x.toUpperCase()}`)].join('\n');
    assert.equal((await importCsv(t, owner, `${csv}\n`)).statusCode, 200);
    const first = await survey('Telling één');
    const second = await survey('Telling twee');
    assert.deepEqual([await invited(first), await recount(first)], [0, 0]);

    await invite(first, { all: true });
    assert.deepEqual([await invited(first), await recount(first)], [4, 4]);
    await invite(first, { all: true });
    assert.deepEqual([await invited(first), await recount(first)], [4, 4], 'nobody is invited twice');
    await invite(second, { contactIds: [await contactId('a@telling.nl')] });
    assert.deepEqual([await invited(second), await recount(second)], [1, 1]);
    assert.equal(await invited(first), 4, 'another survey’s invitation does not count here');

    // A contact's deletion takes its invitations along (cascade): one fewer in both surveys.
    const a = await contactId('a@telling.nl');
    assert.equal((await call('DELETE', `/api/v1/contacts/${a}`)).statusCode, 204);
    assert.deepEqual(
      [await invited(first), await recount(first), await invited(second), await recount(second)],
      [3, 3, 0, 0],
    );
    // Restored from the log: its invitations come back, and so does the count.
    const log = await call('GET', `/api/v1/audit?action=contact.deleted&subject=contact:${a}`);
    const entry = log.json().entries[0];
    const restored = await call('POST', `/api/v1/audit/${entry.id}/restore`, owner, {});
    assert.equal(restored.statusCode, 200, restored.body);
    assert.deepEqual(
      [await invited(first), await recount(first), await invited(second), await recount(second)],
      [4, 4, 1, 1],
    );
  });

  test('another customer’s invitations never move this customer’s count', async () => {
    const mine = await survey('Mijn telling');
    const other = await newCustomer(t, await operatorCookie(t));
    const csv = ['email', ...Array.from({ length: 5 }, (_, i) => `x${i}@andere.nl`)].join('\n');
    assert.equal((await importCsv(t, other.cookie, `${csv}\n`)).statusCode, 200);
    const theirs = await survey('Hun telling', other.cookie);
    await invite(theirs, { all: true }, other.cookie);
    assert.deepEqual([await invited(theirs, other.cookie), await recount(theirs)], [5, 5]);
    assert.deepEqual([await invited(mine), await recount(mine)], [0, 0]);
  });
});
