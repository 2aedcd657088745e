/**
 * Test helper: a survey answered by respondents through the real respondent pages (form posts to
 * /s/<token>), without reading the invitation mails: the personal links are made the way the send
 * job makes them.
 */
import assert from 'node:assert/strict';
import { signedRowToken } from '../src/lib/tokens.js';
import { importCsv, type TestApp } from './harness.js';

export interface Answer {
  score: number;
  why?: string;
  lang?: 'nl' | 'en';
}

/** Imports `n` contacts (respondent1@example.nl, ...) unless the tenant has that many already. */
export async function ensureContacts(t: TestApp, cookie: string, tenantId: string, n: number): Promise<void> {
  const have = await t.ctx.db.tenant(tenantId, (tx) =>
    tx
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  );
  if (Number(have.n) >= n) return;
  const rows = Array.from({ length: n }, (_, i) => `respondent${i + 1}@example.nl;Respondent${i + 1};nl`);
  const res = await importCsv(t, cookie, `email;voornaam;taal\n${rows.join('\n')}\n`);
  assert.equal(res.statusCode, 200, res.body);
}

/** Creates a survey, invites every contact, and answers one invitation per answer. Returns the response ids in order. */
export async function answeredSurvey(
  t: TestApp,
  cookie: string,
  tenantId: string,
  answers: Answer[],
  name = 'Klanttevredenheid',
): Promise<{ surveyId: string; responseIds: string[] }> {
  await ensureContacts(t, cookie, tenantId, answers.length);
  const s = await t.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: { cookie }, payload: { name } });
  assert.equal(s.statusCode, 201, s.body);
  const surveyId: string = s.json().id;
  const d = await t.app.inject({
    method: 'POST',
    url: `/api/v1/surveys/${surveyId}/distributions`,
    headers: { cookie },
    payload: { all: true },
  });
  assert.equal(d.statusCode, 202, d.body);
  const invitations = await t.ctx.db.tenant(tenantId, (tx) =>
    tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).orderBy('id').execute(),
  );
  const keys = await t.ctx.keyring.forTenant(tenantId);
  const responseIds: string[] = [];
  for (const [i, a] of answers.entries()) {
    const invitationId = invitations[i]!.id;
    const token = signedRowToken(tenantId, invitationId, (b) => keys.tokenMac(b));
    const form = new URLSearchParams({ score: String(a.score), why: a.why ?? '', lang: a.lang ?? 'nl' }).toString();
    const res = await t.app.inject({
      method: 'POST',
      url: `/s/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form,
    });
    assert.equal(res.statusCode, 303, res.body);
    const row = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('responses').select('id').where('invitation_id', '=', invitationId).executeTakeFirstOrThrow(),
    );
    responseIds.push(row.id);
  }
  return { surveyId, responseIds };
}

/**
 * Issue 14: a respondent page's POST answers with 303 to a GET page (the next page, or the same page
 * with its problems); this posts and follows that redirect as a browser does, so tests see the page the
 * respondent sees. A redirect to the thank-you page is returned as it is (the 303).
 */
export async function postStep(
  t: TestApp,
  opts: { method: 'POST'; url: string; headers?: Record<string, string>; payload?: string },
): Promise<Awaited<ReturnType<TestApp['app']['inject']>>> {
  const res = await t.app.inject(opts);
  const location = res.headers.location;
  if (res.statusCode !== 303 || typeof location !== 'string' || /\/thanks(\?|$)/.test(location)) return res;
  return t.app.inject({
    method: 'GET',
    url: location,
    ...(opts.headers?.cookie ? { headers: { cookie: opts.headers.cookie } } : {}),
  });
}
