import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../auth/passwords.js';
import { dbKind, importCsv, setUp, signIn, startTestApp, type TestApp } from '../../../test/harness.js';

describe(`undo from the audit log (${dbKind})`, () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    const res = await importCsv(
      t,
      owner,
      'email;voornaam;achternaam;telefoon;afdeling\nanne@example.nl;Anne;de Vries;06-12345678;Zorg\nbas@example.nl;Bas;Bakker;;Keuken\n',
    );
    assert.equal(res.statusCode, 200, res.body);
  });
  after(() => t.close());

  const get = (url: string, cookie = owner) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const contactByEmail = async (email: string) =>
    (await get(`/api/v1/contacts?email=${encodeURIComponent(email)}`)).json().contacts[0];

  test('LOG-2 a contact deleted by mistake is found in the log and restored with the same id and the same encrypted values; both actions are logged', async () => {
    const anne = await contactByEmail('anne@example.nl');
    // A survey sent to Anne, so the deletion takes an invitation along.
    const survey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: 'NPS 2025' },
    });
    assert.equal(survey.statusCode, 201, survey.body);
    const dist = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${survey.json().id}/distributions`,
      headers: { cookie: owner },
      payload: { contactIds: [anne.id] },
    });
    assert.equal(dist.statusCode, 202, dist.body);
    const stored = async () =>
      (
        await sql<{ row: string }>`SELECT row_to_json(c)::text AS row FROM contacts c WHERE id = ${anne.id}`.execute(
          t.ctx.db.handle.kysely,
        )
      ).rows[0]?.row;
    const invitations = async () =>
      Number(
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM invitations WHERE contact_id = ${anne.id}`.execute(
            t.ctx.db.handle.kysely,
          )
        ).rows[0]!.n,
      );
    const rowBefore = await stored();
    assert.ok(rowBefore);
    assert.equal(await invitations(), 1);

    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/contacts/${anne.id}`,
      headers: { cookie: owner },
    });
    assert.equal(del.statusCode, 204);
    assert.equal((await get(`/api/v1/contacts/${anne.id}`)).statusCode, 404);
    assert.equal(await invitations(), 0);

    // The admin finds the deletion in the log, with the contact's data readable there.
    const log = await get(`/api/v1/audit?action=contact.deleted&subject=contact:${anne.id}`);
    assert.equal(log.statusCode, 200, log.body);
    const [entry] = log.json().entries;
    assert.equal(entry.action, 'contact.deleted');
    assert.equal(entry.restorable, true);
    assert.equal(entry.before.email, 'anne@example.nl');
    assert.equal(entry.before.lastName, 'de Vries');
    assert.deepEqual(entry.before.profile, { afdeling: 'Zorg' });
    assert.equal(entry.details.sealed, undefined, 'the sealed image is not handed out');
    // In the table itself the image is ciphertext: no clear personal values in the log.
    const raw = (
      await sql<{ d: string }>`SELECT details::text AS d FROM audit_events WHERE id = ${entry.id}`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows[0]!.d;
    for (const clear of ['anne', 'Vries', 'Zorg', '612345678'])
      assert.ok(!raw.includes(clear), `clear "${clear}" in the log row`);

    // The deletion put Anne's address on the suppression list (blind index only, no address).
    const erased = async () =>
      (await get('/api/v1/suppressions?reason=erased')).json().suppressions as Array<{ email?: string | null }>;
    assert.equal((await erased()).length, 1);
    assert.equal((await erased())[0]!.email ?? null, null, 'an erased address is not kept');

    const restore = await t.app.inject({
      method: 'POST',
      url: `/api/v1/audit/${entry.id}/restore`,
      headers: { cookie: owner },
    });
    assert.equal(restore.statusCode, 200, restore.body);
    assert.deepEqual(restore.json().restored, { kind: 'contact', id: anne.id });
    // Undoing the deletion undoes its suppression too.
    assert.equal((await erased()).length, 0);

    // Its data is back: same id, same stored (encrypted) values, and its invitation.
    const back = await get(`/api/v1/contacts/${anne.id}`);
    assert.equal(back.statusCode, 200);
    assert.equal(back.json().email, 'anne@example.nl');
    assert.equal(back.json().phone, '+31612345678');
    const rowAfter = JSON.parse((await stored())!);
    const was = JSON.parse(rowBefore);
    for (const col of [
      'email_hmac',
      'email_enc',
      'first_name_enc',
      'last_name_enc',
      'phone_enc',
      'profile',
      'gender',
      'language',
    ])
      assert.deepEqual(rowAfter[col], was[col], col);
    assert.equal(await invitations(), 1);

    // Both actions are in the log, the restore naming the entry it undid.
    const both = (await get(`/api/v1/audit?subject=contact:${anne.id}&action=contact.deleted,contact.restored`)).json()
      .entries;
    assert.deepEqual(
      both.map((e: { action: string }) => e.action),
      ['contact.restored', 'contact.deleted'],
    );
    assert.equal(both[0].details.fromAuditId, entry.id);
    assert.equal(both[0].after.email, 'anne@example.nl');
    assert.equal(both[0].actor.kind, 'user');

    // A second restore of the same deletion is refused.
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/audit/${entry.id}/restore`,
      headers: { cookie: owner },
    });
    assert.equal(again.statusCode, 409);
  });

  test('LOG-2 DSR-3 an address suppressed before its contact was deleted stays suppressed, for the same reason, after the restore', async () => {
    const bas = await contactByEmail('bas@example.nl');
    const add = await t.app.inject({
      method: 'POST',
      url: '/api/v1/suppressions',
      headers: { cookie: owner },
      payload: { email: 'bas@example.nl' },
    });
    assert.equal(add.statusCode, 201, add.body);
    const listed = async () =>
      ((await get('/api/v1/suppressions')).json().suppressions as Array<{ reason: string; email?: string | null }>).map(
        (x) => [x.reason, x.email ?? null],
      );
    assert.deepEqual(await listed(), [['manual', 'bas@example.nl']]);
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/contacts/${bas.id}`, headers: { cookie: owner } }))
        .statusCode,
      204,
    );
    assert.deepEqual(await listed(), [['manual', null]], 'still suppressed as before, without the address');
    const [entry] = (await get(`/api/v1/audit?action=contact.deleted&subject=contact:${bas.id}`)).json().entries;
    const restore = await t.app.inject({
      method: 'POST',
      url: `/api/v1/audit/${entry.id}/restore`,
      headers: { cookie: owner },
    });
    assert.equal(restore.statusCode, 200, restore.body);
    assert.deepEqual(await listed(), [['manual', null]], 'the restore does not lift a suppression it did not make');
  });

  test('LOG-2 a correction keeps before and after in the log and can be undone from there', async () => {
    const bas = await contactByEmail('bas@example.nl');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/contacts/${bas.id}`,
      headers: { cookie: owner },
      payload: { lastName: 'Bakker-Smit', email: 'bas.smit@example.nl', profile: { afdeling: null, locatie: 'Noord' } },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    assert.equal(patch.json().email, 'bas.smit@example.nl');
    assert.deepEqual(patch.json().profile, { locatie: 'Noord' });

    const [entry] = (await get(`/api/v1/audit?action=contact.updated&subject=${bas.id}`)).json().entries;
    assert.deepEqual(entry.details.fields.sort(), ['email', 'lastName', 'profile']);
    assert.equal(entry.before.lastName, 'Bakker');
    assert.equal(entry.after.lastName, 'Bakker-Smit');

    const undo = await t.app.inject({
      method: 'POST',
      url: `/api/v1/audit/${entry.id}/restore`,
      headers: { cookie: owner },
    });
    assert.equal(undo.statusCode, 200, undo.body);
    const back = (await get(`/api/v1/contacts/${bas.id}`)).json();
    assert.equal(back.lastName, 'Bakker');
    assert.equal(back.email, 'bas@example.nl');
    assert.deepEqual(back.profile, { afdeling: 'Keuken' });
    // Found by the old address again (the blind index came back too).
    assert.equal((await contactByEmail('bas@example.nl')).id, bas.id);
  });

  test('LOG-2 an invalid correction names the field; the email of another contact is refused', async () => {
    const bas = await contactByEmail('bas@example.nl');
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/contacts/${bas.id}`,
      headers: { cookie: owner },
      payload: { email: 'not-an-address', phone: '12' },
    });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(
      bad
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
      ['/body/email', '/body/phone'],
    );
    const taken = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/contacts/${bas.id}`,
      headers: { cookie: owner },
      payload: { email: 'ANNE@example.nl' },
    });
    assert.equal(taken.statusCode, 409);
  });

  test('LOG-2 analysts and viewers can neither read the log nor undo from it', async () => {
    for (const role of ['analyst', 'viewer'] as const) {
      const email = `${role}@zorg.test`;
      const hash = await hashPassword('Zonnebloem-Akker-93');
      await t.ctx.db.tenant(tenantId, (tx) =>
        tx
          .insertInto('users')
          .values({
            tenant_id: tenantId,
            id: randomUUID(),
            email,
            name: role,
            role,
            status: 'active',
            password_hash: hash,
            invited_by: null,
          })
          .execute(),
      );
      const cookie = await signIn(t, email, 'Zonnebloem-Akker-93');
      assert.equal((await get('/api/v1/audit', cookie)).statusCode, 403);
      assert.equal(
        (await t.app.inject({ method: 'POST', url: '/api/v1/audit/1/restore', headers: { cookie } })).statusCode,
        403,
      );
    }
    assert.equal((await get('/api/v1/audit', '')).statusCode, 401);
  });
});
