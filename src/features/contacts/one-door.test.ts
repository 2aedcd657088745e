import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, startTestApp, type TestApp } from '../../../test/harness.js';

/**
 * Issue 15: every route that creates contacts goes through contacts/upsert-contact.ts. The single
 * invite by email (POST /api/v1/surveys/:id/invitations) used to check contacts itself: it stored
 * "veel" in a number field, stored unknown profile keys without creating their field and wrote no
 * contacts.upserted audit row. Here both doors are tried with the same contacts.
 */
describe('SVC-1 SVC-3 one door for contacts: the invitation API refuses what the contacts API refuses', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  let surveyId: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    const api = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: { cookie: owner }, payload });
    assert.equal(
      (await api('/api/v1/profile-fields', { key: 'uren', type: 'number', label: { nl: 'Uren' } })).statusCode,
      201,
    );
    assert.equal(
      (
        await api('/api/v1/profile-fields', {
          key: 'afdeling',
          type: 'choice',
          label: { nl: 'Afdeling' },
          options: ['Zorg', 'Staf'],
        })
      ).statusCode,
      201,
    );
    const s = await api('/api/v1/surveys', { name: 'Na het servicemoment' });
    assert.equal(s.statusCode, 201, s.body);
    surveyId = s.json().id;
  });
  after(() => t.close());

  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: { cookie: owner }, payload });
  const viaContacts = (body: object) => post('/api/v1/contacts', body);
  const viaInvitation = (body: object) => post(`/api/v1/surveys/${surveyId}/invitations`, body);
  const contactCount = () =>
    t.ctx.db.tenant(tenantId, async (tx) =>
      Number(
        (
          await tx
            .selectFrom('contacts')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
  const fieldKeys = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/profile-fields', headers: { cookie: owner } }))
      .json()
      .fields.map((f: { key: string }) => f.key)
      .sort();
  const upsertAudits = () =>
    t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('audit_events')
        .select(['action', 'actor_kind', 'subject_kind', 'subject_id', 'details'])
        .where('action', '=', 'contacts.upserted')
        .orderBy('seq')
        .execute(),
    );

  const refused: Array<[string, object]> = [
    ['a word in a number field', { email: 'veel@example.nl', profile: { uren: 'veel' } }],
    ['an option that is not one', { email: 'kantine@example.nl', profile: { afdeling: 'Kantine' } }],
    ['an address that is none', { email: 'geen adres' }],
    ['a phone number that is none', { email: 'tel@example.nl', phone: '12' }],
    ['an unknown gender', { email: 'gender@example.nl', gender: 'zwevend' }],
    ['a language Peil does not speak', { email: 'taal@example.nl', language: 'fr' }],
    ['several problems at once', { email: 'x@', phone: '0', profile: { uren: '12 uur', afdeling: 'ICT' } }],
    ['a key that is not a field key', { email: 'sleutel@example.nl', profile: { 'Bad-Key': 'x' } }],
    ['a property the contact does not have', { email: 'extra@example.nl', salaris: 4000 }],
    ['a name over the length limit', { email: 'lang@example.nl', firstName: 'x'.repeat(501) }],
    ['a profile value over the length limit', { email: 'lang2@example.nl', profile: { opmerking: 'x'.repeat(1001) } }],
    [
      'a new field named like a special category (REG-3)',
      { email: 'diagnose@example.nl', profile: { diagnose: 'griep' } },
    ],
  ];

  for (const [what, body] of refused) {
    test(`${what}: the same status and the same problem pointers through both doors, nothing stored`, async () => {
      const before = await contactCount();
      const fieldsBefore = await fieldKeys();
      const a = await viaContacts(body);
      const b = await viaInvitation(body);
      assert.ok(a.statusCode >= 400 && a.statusCode < 500, `the contacts API refuses it: ${a.statusCode} ${a.body}`);
      assert.equal(b.statusCode, a.statusCode, b.body);
      const pointers = (r: typeof a) =>
        ((r.json().errors ?? []) as Array<{ pointer?: string }>).map((e) => e.pointer).sort();
      assert.ok(pointers(a).length > 0, a.body);
      assert.deepEqual(pointers(b), pointers(a));
      assert.equal(await contactCount(), before, 'no contact stored');
      assert.deepEqual(await fieldKeys(), fieldsBefore, 'no field created');
    });
  }

  test('what one door stores the other stores the same way, with the same audit row (field created, values typed)', async () => {
    const auditsBefore = (await upsertAudits()).length;
    const a = await viaContacts({
      email: 'Sanne@Example.nl',
      firstName: 'Sanne',
      profile: { uren: '12,5', vestiging: 'Utrecht' },
    });
    assert.equal(a.statusCode, 201, a.body);
    const b = await viaInvitation({
      email: 'Pim@Example.nl',
      firstName: 'Pim',
      profile: { uren: '12,5', regio: 'Noord' },
    });
    assert.equal(b.statusCode, 200, b.body);
    assert.equal(b.json().result, 'invited');
    assert.deepEqual(
      await fieldKeys(),
      ['afdeling', 'regio', 'uren', 'vestiging'],
      'an unknown key creates its (text) field through either door',
    );
    const contact = async (id: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${id}`, headers: { cookie: owner } })).json();
    assert.deepEqual((await contact(a.json().id)).profile, { uren: 12.5, vestiging: 'Utrecht' });
    assert.deepEqual((await contact(b.json().contactId)).profile, { uren: 12.5, regio: 'Noord' });

    const audits = (await upsertAudits()).slice(auditsBefore);
    assert.equal(audits.length, 2, 'one contacts.upserted row per door');
    const [viaApi, viaInvite] = audits;
    assert.deepEqual(viaApi, {
      action: 'contacts.upserted',
      actor_kind: 'user',
      subject_kind: 'contact',
      subject_id: a.json().id,
      details: { created: 1, updated: 0, fieldsCreated: ['vestiging'] },
    });
    assert.deepEqual(viaInvite, {
      action: 'contacts.upserted',
      actor_kind: 'user',
      subject_kind: 'contact',
      subject_id: b.json().contactId,
      details: { created: 1, updated: 0, fieldsCreated: ['regio'] },
    });

    // An update through the invitation: the same row as an update through the contacts API.
    const again = await viaInvitation({ email: 'sanne@example.nl', lastName: 'de Boer' });
    assert.equal(again.statusCode, 200, again.body);
    const last = (await upsertAudits()).at(-1)!;
    assert.deepEqual(last, {
      action: 'contacts.upserted',
      actor_kind: 'user',
      subject_kind: 'contact',
      subject_id: a.json().id,
      details: { created: 0, updated: 1 },
    });
  });
});
