import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { callerOf, operatorOf, sessionOf } from './guard.js';

/**
 * Issue 15: the access hook resolves the caller once, from the route's `config.access`, and the handler
 * reads it; a permission beyond the route's own is checked on that caller (requirePermission), and an
 * overrun there is audited like any other (OBLIGATIONS ACC-4).
 */
describe('ACC-4 a further permission inside a handler, checked on the resolved caller', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp();
    ({ tenantId, ownerCookie: owner } = await setUp(t));
  });
  after(() => t.close());

  const asOwner = async (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: owner }, ...(payload ? { payload } : {}) });
  const withKey = (key: string, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}` }, payload });
  const denials = () =>
    t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('audit_events')
        .select(['actor_kind', 'actor_id', 'subject_kind', 'subject_id', 'details'])
        .where('action', '=', 'auth.access_denied')
        .execute(),
    );

  test('ACC-4 an API key that may invite but not write contacts cannot create a contact by inviting an address, and the attempt is logged', async () => {
    const key = (
      await asOwner('POST', '/api/v1/api-keys', { name: 'Alleen uitnodigen', scopes: ['invitations:send'] })
    ).json() as { id: string; key: string };
    const survey = (await asOwner('POST', '/api/v1/surveys', { name: 'Na het gesprek' })).json().id as string;
    const known = await asOwner('POST', '/api/v1/contacts', { email: 'bekend@klant.example' });
    assert.ok([200, 201].includes(known.statusCode), known.body);

    const byEmail = await withKey(key.key, `/api/v1/surveys/${survey}/invitations`, { email: 'nieuw@klant.example' });
    assert.equal(byEmail.statusCode, 403, byEmail.body);
    assert.match(byEmail.json().detail, /contacts:write/);
    const contacts = (await asOwner('GET', '/api/v1/contacts?email=nieuw%40klant.example')).json().contacts;
    assert.deepEqual(contacts, [], 'no contact was created');
    const denied = (await denials()).filter((r) => r.details.permission === 'contacts:write');
    assert.equal(denied.length, 1);
    assert.deepEqual(
      [denied[0]!.actor_kind, denied[0]!.actor_id, denied[0]!.subject_kind, denied[0]!.subject_id],
      ['apikey', key.id, 'api_key', key.id],
    );
    assert.equal(denied[0]!.details.route, '/api/v1/surveys/:id/invitations');

    // The route's own permission is enough to invite a contact that exists.
    const byId = await withKey(key.key, `/api/v1/surveys/${survey}/invitations`, { contactId: known.json().id });
    assert.equal(byId.statusCode, 200, byId.body);
    assert.equal(byId.json().result, 'invited');
  });

  test("ACC-4 an API key that may invite but not read contacts cannot preview a mail with a real contact's details, and the attempt is logged", async () => {
    const key = (
      await asOwner('POST', '/api/v1/api-keys', { name: 'Voorbeeld', scopes: ['invitations:send'] })
    ).json() as { id: string; key: string };
    const survey = (await asOwner('POST', '/api/v1/surveys', { name: 'Voorbeeldmail' })).json().id as string;
    const contact = (await asOwner('POST', '/api/v1/contacts', { email: 'geheim@klant.example' })).json().id as string;

    const sample = await withKey(key.key, '/api/v1/email-templates/preview', { surveyId: survey });
    assert.equal(sample.statusCode, 200, sample.body);
    const real = await withKey(key.key, '/api/v1/email-templates/preview', { surveyId: survey, contactId: contact });
    assert.equal(real.statusCode, 403, real.body);
    assert.ok(!real.body.includes('geheim@klant.example'));
    const denied = (await denials()).filter((r) => r.details.permission === 'contacts:read');
    assert.equal(denied.length, 1);
    assert.deepEqual([denied[0]!.actor_id, denied[0]!.details.route], [key.id, '/api/v1/email-templates/preview']);
  });
});

describe('the caller accessors refuse a route whose access does not give that caller', () => {
  // A handler reading callerOf on a route declared 'public' (or operatorOf on a tenant route) is a
  // programming error: it answers 500, never a caller the hook did not check.
  const request = (access: unknown) =>
    ({ routeOptions: { url: '/api/v1/x', config: { access } }, log: { error: () => undefined } }) as never;

  test('callerOf, operatorOf and sessionOf throw an internal error when the hook resolved no such caller', () => {
    for (const read of [callerOf, operatorOf, sessionOf]) {
      assert.throws(
        () => read(request('public')),
        (err) => err instanceof AppError && err.code === ErrorCode.INTERNAL,
      );
    }
  });
});
