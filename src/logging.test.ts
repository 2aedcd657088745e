import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp, redactUrl } from './app.js';
import { importCsv, injectLikeTheAdminApp, setUp, startTestApp, type TestApp } from '../test/harness.js';
import { signedRowToken } from './lib/tokens.js';
import { unsubscribeLink } from './features/distribution/mail.js';

/**
 * OBLIGATIONS LOG-1, SEC-1, SVC-4: what the request log of a running Peil keeps. The app is built with
 * its real logger (pino, as `peil start` runs it), writing to a buffer this test reads.
 */
describe('LOG-1 request logs without personal data', () => {
  let t: TestApp;
  let logged: FastifyInstance;
  let owner: string;
  let tenantId: string;
  const lines: string[] = [];
  const RESPONDENT_IP = '198.51.100.23';
  const ADMIN_IP = '203.0.113.7';

  before(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' });
    logged = await buildApp(t.ctx, {
      logger: true,
      logStream: { write: (line) => void lines.push(line) },
      startWorkers: false,
    });
    // A respondent page that fails, to see what an error there leaves in the log.
    logged.get('/s/failing-page', { config: { access: 'public' } }, async () => {
      throw new Error('the page broke');
    });
    await logged.ready();
    injectLikeTheAdminApp(logged);
    const s = await setUp(t);
    owner = s.ownerCookie;
    tenantId = s.tenantId;
    const res = await importCsv(t, owner, 'email;voornaam\njan@example.nl;Jan\n');
    assert.equal(res.statusCode, 200, res.body);
  });
  after(async () => {
    await logged.close();
    await t.close();
  });

  test('LOG-1 a query string is logged by the names of harmless parameters only, never a value', () => {
    assert.equal(redactUrl('/api/v1/contacts?email=jan%40example.nl&limit=5'), '/api/v1/contacts?limit&…');
    assert.equal(redactUrl('/api/v1/contacts?jan%40example.nl'), '/api/v1/contacts?…');
    assert.equal(redactUrl('/api/v1/suppressions?reason=bounced&limit=10'), '/api/v1/suppressions?reason&limit');
    assert.equal(redactUrl('/app/accept?token=secret&x=1'), '/app/accept?…');
    assert.equal(redactUrl('/s/abcDEF_123-xyz?lang=nl'), '/s/[token]?lang');
    assert.equal(redactUrl('/u/abcDEF_123-xyz'), '/u/[token]');
    assert.equal(redactUrl('/api/v1/surveys'), '/api/v1/surveys');
  });

  test("LOG-1 SEC-1 looking a contact up by email, and a respondent answering an anonymous survey and unsubscribing, leave neither the address nor the respondent's IP address in the log", async () => {
    const found = await logged.inject({
      method: 'GET',
      url: '/api/v1/contacts?email=jan%40example.nl',
      headers: { cookie: owner },
      remoteAddress: ADMIN_IP,
    });
    assert.equal(found.statusCode, 200, found.body);
    assert.equal(found.json().contacts.length, 1);

    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: 'Anoniem', anonymity: 'anonymous' },
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
    const invitation = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).executeTakeFirstOrThrow(),
    );
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const answer = `/s/${signedRowToken(tenantId, invitation.id, (b) => keys.tokenMac(b), surveyId)}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const asRespondent = { remoteAddress: RESPONDENT_IP };
    assert.equal((await logged.inject({ method: 'GET', url: `${answer}?lang=nl`, ...asRespondent })).statusCode, 200);
    const post = await logged.inject({
      method: 'POST',
      url: answer,
      headers: form,
      payload: 'score=9&why=Prima&lang=nl',
      ...asRespondent,
    });
    assert.equal(post.statusCode, 303, post.body);
    const unsubscribe = new URL(unsubscribeLink('http://peil.test', tenantId, invitation.id, keys)).pathname;
    assert.equal((await logged.inject({ method: 'GET', url: unsubscribe, ...asRespondent })).statusCode, 200);
    assert.equal(
      (
        await logged.inject({
          method: 'POST',
          url: unsubscribe,
          headers: form,
          payload: 'List-Unsubscribe=One-Click',
          ...asRespondent,
        })
      ).statusCode < 400,
      true,
    );
    assert.equal(
      (await logged.inject({ method: 'POST', url: '/s/garbage', headers: form, payload: 'score=1', ...asRespondent }))
        .statusCode,
      404,
    );
    assert.equal((await logged.inject({ method: 'GET', url: '/s/failing-page', ...asRespondent })).statusCode, 500);

    const log = lines.join('');
    // The log is real: the contacts request is in it, with its path and the user's address.
    assert.ok(log.includes('"url":"/api/v1/contacts?…"'), log);
    assert.ok(log.includes(ADMIN_IP));
    for (const leak of ['jan@example.nl', 'jan%40example.nl', 'example.nl', RESPONDENT_IP])
      assert.ok(!log.includes(leak), `the log holds "${leak}"`);
    // Respondent requests are not logged at all, so neither is the time of an anonymous answer's post.
    const respondentLines = lines.filter((l) => /"url":"\/[su]\//.test(l));
    assert.deepEqual(respondentLines, []);
    // An error on a respondent page is still reported, with its request id and without the request.
    const failure = lines
      .map((l) => JSON.parse(l) as { msg: string; reqId?: string; err?: { message: string }; req?: unknown })
      .find((l) => l.err?.message === 'the page broke');
    assert.ok(failure, 'the error is logged');
    assert.equal(failure.msg, 'unhandled error');
    assert.ok(failure.reqId);
    assert.equal(failure.req, undefined);
  });
});
