import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { cookieOf, dbKind, operatorCookie, setUp, signIn, startTestApp, type TestApp } from '../../../test/harness.js';
import { startReceiver, type Receiver } from '../../../test/receiver.js';
import { answeredSurvey } from '../../../test/respondents.js';
import { dateIn } from '../agreement/dates.js';
import { runLabelling } from '../labelling/run.js';
import { assertBothLanguages } from '../../../test/mail-catalogue.js';
import { longDate, runSubprocessorTick, settleSubprocessorChanges } from './changes.js';

/** `d` + n calendar days, as an ISO date. */
const plusDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Noon in Amsterdam on a calendar day (10:00 or 11:00 UTC): well inside that day whatever the season. */
const noonOn = (d: string) => new Date(`${d}T10:30:00Z`);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe(`SUB-2 sub-processor changes (${dbKind})`, () => {
  let provider: Receiver;
  let t: TestApp;
  let op: string;
  const alfa = { id: '', owner: '', admin: '' };
  const bravo = { id: '', owner: '' };

  const api = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    cookie: string,
    payload?: unknown,
  ) => {
    const r = await t.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as Json }),
    });
    return { status: r.statusCode, body: r.body ? (r.json() as Json) : null };
  };
  const register = async (entry: Json) => {
    const r = await api('POST', '/api/v1/operator/subprocessors', op, {
      safeguards: ['dpa'],
      appliesTo: 'all',
      ...entry,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body!.id as string;
  };
  const entryOf = async (cookie: string, id: string) =>
    ((await api('GET', '/api/v1/subprocessors', cookie)).body!.subprocessors as Json[]).find(
      (s) => s.id === id,
    ) as Json;
  const outbox = async (cookie: string) =>
    (await api('GET', '/api/v1/outbox?limit=200', cookie)).body!.messages as Array<{
      to: string;
      kind: string;
      subject: string;
      text: string;
    }>;
  const externalInUse = async (cookie: string) =>
    (await api('GET', '/api/v1/labelling', cookie)).body!.externalProvider.inUse as boolean;
  const chain = async (tenantId: string, action: string) =>
    (
      await sql<{
        actor_id: string;
        subject_id: string;
        details: Json;
      }>`SELECT actor_id, subject_id, details FROM audit_events WHERE tenant_id = ${tenantId}::uuid AND action = ${action} ORDER BY seq`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows;
  const activate = async (cookie: string) => {
    const terms = (await api('GET', '/api/v1/labelling', cookie)).body!.terms.version;
    const r = await api('POST', '/api/v1/labelling/activate', cookie, {
      termsVersion: terms,
      acceptTerms: true,
      allowExternalProvider: true,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };

  before(async () => {
    provider = await startReceiver();
    t = await startTestApp({
      AI_PROVIDER_URL: provider.url,
      AI_PROVIDER_MODEL: 'stand-in',
      AI_PROVIDER_NAME: 'Example AI',
      LABELLING_SWEEP_SECONDS: '0',
    });
    ({ tenantId: alfa.id, ownerCookie: alfa.owner } = await setUp(t, { name: 'Alfa Zorg', slug: 'alfa' }));
    op = await operatorCookie(t);
    const b = await api('POST', '/api/v1/operator/tenants', op, {
      name: 'Bravo Wonen',
      slug: 'bravo',
      owner: { email: 'owner@bravo.test', name: 'Bea', password: 'Grachtenpand-Blauw-3' },
    });
    assert.equal(b.status, 201, JSON.stringify(b.body));
    bravo.id = b.body!.tenantId;
    bravo.owner = await signIn(t, 'owner@bravo.test', 'Grachtenpand-Blauw-3');
    // Alfa agreed 8 days (MAAT-IT) and has a privacy contact; Bravo keeps 30 days and has none.
    const put = await api('PUT', `/api/v1/operator/tenants/${alfa.id}/agreement`, op, {
      subprocessorObjectionDays: 8,
      contacts: { privacyEmail: 'privacy@alfa.test' },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    // An admin of Alfa, to try objecting without being an owner.
    assert.equal(
      (await api('POST', '/api/v1/users', alfa.owner, { email: 'admin@alfa.test', name: 'Adam', role: 'admin' }))
        .status,
      201,
    );
    const token = /#token=([A-Za-z0-9_-]+)/.exec(
      (await outbox(alfa.owner)).find((m) => m.to === 'admin@alfa.test')!.text,
    )![1]!;
    alfa.admin = cookieOf(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/accept-invite',
        payload: { token, password: 'Lantaarnpaal-Fietspad-2026' },
      }),
    );
    await activate(alfa.owner);
    await activate(bravo.owner);
  });
  after(async () => {
    await t.close();
    await provider.close();
  });

  test("SUB-2 a new AI provider is mailed to each customer's privacy contact (owners without one), Dutch first, and is not used during the window", async () => {
    const today = dateIn(new Date());
    const ai = await register({
      name: 'Example AI',
      service: 'Labelen van geredigeerde antwoorden / labelling redacted answers',
      location: 'Parijs',
      country: 'FR',
      kind: 'ai',
    });

    const mailA = (await outbox(alfa.owner)).filter((m) => m.kind === 'subprocessor-change');
    assert.deepEqual(
      mailA.map((m) => m.to),
      ['privacy@alfa.test'],
      'to the privacy contact, and only to it',
    );
    assert.match(mailA[0]!.subject, /^Peil: nieuwe subverwerker Example AI \/ new sub-processor Example AI$/);
    const text = mailA[0]!.text;
    assert.ok(
      text.indexOf('Geachte privacycontactpersoon') < text.indexOf('Dear privacy contact'),
      'Dutch first, English beside it',
    );
    const lastA = plusDays(today, 8);
    const [y, m, d] = lastA.split('-').map(Number) as [number, number, number];
    const longNl = new Intl.DateTimeFormat('nl-NL', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(Date.UTC(y, m - 1, d)));
    assert.ok(text.includes(`tot en met ${longNl} bezwaar maken (8 dagen`), text);
    assert.match(text, /Parijs, FR \(binnen de EER\)/);
    // Issue 14: the notice's words are mails:subprocessorChange.*, Dutch first, English beside it.
    assertBothLanguages(mailA[0]!.subject, 'mails:subprocessorChange.addedSubject', { name: 'Example AI' });
    assertBothLanguages(text, 'mails:staff.dearPrivacy');
    assertBothLanguages(text, 'mails:subprocessorChange.added', { name: 'Example AI' });
    assertBothLanguages(text, 'mails:subprocessorChange.insideEea');
    assertBothLanguages(text, 'mails:subprocessorChange.objection', (l) => ({ until: longDate(lastA)[l], days: 8 }));
    assertBothLanguages(text, 'mails:subprocessorChange.link', { link: 'http://peil.test/app/privacy/subprocessors' });
    const mailB = (await outbox(bravo.owner)).filter((m) => m.kind === 'subprocessor-change');
    assert.deepEqual(
      mailB.map((m) => m.to),
      ['owner@bravo.test'],
      'no privacy contact: the owners',
    );

    const a = await entryOf(alfa.owner, ai);
    assert.deepEqual(
      [a.status, a.change.change, a.change.status, a.change.windowEndsOn, a.statusText.nl],
      ['objection_window', 'added', 'pending', lastA, `In bezwaartermijn tot en met ${longNl}`],
    );
    assert.equal(
      (await entryOf(bravo.owner, ai)).change.windowEndsOn,
      plusDays(today, 30),
      "each customer's own agreed days",
    );
    assert.deepEqual(
      (await chain(alfa.id, 'subprocessor.change_notified')).map((r) => [
        r.subject_id,
        r.details.to,
        r.details.windowEndsOn,
      ]),
      [[ai, 'privacy_contact', lastA]],
    );
    assert.ok(
      !JSON.stringify(await chain(alfa.id, 'subprocessor.change_notified')).includes('privacy@alfa.test'),
      'no address in the log',
    );

    // Not applied: the external provider is not in use, and a labelling run sends it nothing.
    assert.equal(await externalInUse(alfa.owner), false);
    await answeredSurvey(
      t,
      alfa.owner,
      alfa.id,
      [{ score: 9, why: 'Heel vriendelijk personeel.' }],
      'Tijdens de termijn',
    );
    const run = await runLabelling(t.ctx, alfa.id);
    assert.equal(run.external, 0);
    assert.equal(provider.bodies.length, 0);

    // A day before the window ends (its last day) it is still not applied; the day after, it is.
    assert.equal(await settleSubprocessorChanges(t.ctx.db, noonOn(lastA)), 0);
    assert.equal((await entryOf(alfa.owner, ai)).status, 'objection_window');
    assert.equal(
      await settleSubprocessorChanges(t.ctx.db, noonOn(plusDays(lastA, 1))),
      1,
      "only Alfa's window has passed",
    );
    assert.equal((await entryOf(alfa.owner, ai)).status, 'applied');
    assert.equal((await entryOf(bravo.owner, ai)).status, 'objection_window');
    assert.equal(await externalInUse(alfa.owner), true);
    await settleSubprocessorChanges(t.ctx.db, noonOn(plusDays(today, 31)));
    assert.equal(await externalInUse(bravo.owner), true);
    assert.equal((await chain(alfa.id, 'subprocessor.change_applied')).length, 1);
  });

  test('SUB-2 an objection blocks a change for that customer only; the other customer gets it after its window', async () => {
    const today = dateIn(new Date());
    const ai = ((await api('GET', '/api/v1/subprocessors', alfa.owner)).body!.subprocessors as Json[]).find(
      (s) => s.kind === 'ai',
    )!.id as string;
    // The provider moves from Paris to Frankfurt: a change, announced to both.
    assert.equal(
      (await api('PATCH', `/api/v1/operator/subprocessors/${ai}`, op, { location: 'Frankfurt', country: 'DE' })).status,
      204,
    );
    const mail = (await outbox(alfa.owner)).find(
      (m) => m.kind === 'subprocessor-change' && m.subject.includes('wijziging'),
    )!;
    assert.equal(mail.subject, 'Peil: wijziging subverwerker Example AI / change of sub-processor Example AI');
    assert.equal(mail.to, 'privacy@alfa.test');
    assert.match(mail.text, /Land: FR -> DE/);
    const changed = await entryOf(alfa.owner, ai);
    assert.deepEqual(
      [changed.status, changed.change.change, changed.change.previous.country],
      ['objection_window', 'changed', 'FR'],
    );
    assert.equal(await externalInUse(alfa.owner), false, 'the changed entry is not used during its window');

    const objection = await api('POST', `/api/v1/subprocessors/${ai}/objection`, alfa.owner, {
      reason: 'Geen verwerking in Duitsland zonder overleg.',
    });
    assert.equal(objection.status, 200, JSON.stringify(objection.body));
    assert.deepEqual(
      [objection.body!.status, objection.body!.statusText.nl, objection.body!.statusText.en],
      ['objected', 'Bezwaar ingediend', 'Objected'],
    );
    const me = (await api('GET', '/api/v1/auth/me', alfa.owner)).body!;
    const ownerId = me.user?.id ?? me.id;
    assert.equal(objection.body!.change.objection.by, ownerId);
    const logged = await chain(alfa.id, 'subprocessor.objected');
    assert.deepEqual(
      logged.map((r) => [r.actor_id, r.subject_id]),
      [[ownerId, ai]],
    );
    assert.ok(!JSON.stringify(logged).includes('Duitsland'), 'the reason is not copied into the log');
    const stored = await t.ctx.db.tenant(alfa.id, (tx) =>
      tx
        .selectFrom('subprocessor_changes')
        .select('objection_reason_enc')
        .where('status', '=', 'objected')
        .executeTakeFirstOrThrow(),
    );
    assert.ok(!stored.objection_reason_enc!.toString('latin1').includes('Duitsland'), 'sealed with the customer key');

    // Long after both windows: Bravo has the change, Alfa does not, and its run sends nothing out.
    await settleSubprocessorChanges(t.ctx.db, noonOn(plusDays(today, 31)));
    assert.equal((await entryOf(bravo.owner, ai)).status, 'applied');
    assert.equal(await externalInUse(bravo.owner), true);
    assert.equal((await entryOf(alfa.owner, ai)).status, 'objected');
    assert.equal(await externalInUse(alfa.owner), false);
    const sentBefore = provider.bodies.length;
    await answeredSurvey(t, alfa.owner, alfa.id, [{ score: 6, why: 'Lang moeten wachten op antwoord.' }], 'Na bezwaar');
    assert.equal((await runLabelling(t.ctx, alfa.id)).external, 0);
    assert.equal(provider.bodies.length, sentBefore, 'not one text to the provider for the objecting customer');

    // The operator sees the objection with its reason, and overrides it after agreement.
    const open = (await api('GET', '/api/v1/operator/subprocessors/changes', op)).body!.changes as Json[];
    const mine = open.find((c) => c.tenantId === alfa.id && c.subprocessorId === ai)!;
    assert.deepEqual(
      [mine.status, mine.objection.reason, mine.objection.by],
      ['objected', 'Geen verwerking in Duitsland zonder overleg.', ownerId],
    );
    assert.ok(!open.some((c) => c.tenantId === bravo.id && c.subprocessorId === ai), 'Bravo has nothing open');
    const pendingOverride = await api(
      'POST',
      `/api/v1/operator/subprocessors/changes/${bravo.id}/${mine.id}/resolve`,
      op,
      { resolution: 'override', note: 'x' },
    );
    assert.equal(pendingOverride.status, 404, "the change id is Alfa's, not Bravo's");
    const ok = await api('POST', `/api/v1/operator/subprocessors/changes/${alfa.id}/${mine.id}/resolve`, op, {
      resolution: 'override',
      note: 'Telefonisch akkoord op 3 december.',
    });
    assert.equal(ok.status, 204, JSON.stringify(ok.body));
    assert.equal((await entryOf(alfa.owner, ai)).status, 'applied');
    assert.equal(await externalInUse(alfa.owner), true);
    assert.deepEqual(
      (await chain(alfa.id, 'subprocessor.change_resolved')).map((r) => r.details.resolution),
      ['override'],
    );
    const outcome = (await outbox(alfa.owner)).find((m) =>
      m.subject.startsWith('Peil: wijziging doorgevoerd na overleg Example AI'),
    )!;
    assert.equal(outcome.to, 'privacy@alfa.test');
    assert.match(outcome.text, /Telefonisch akkoord op 3 december/);
    assertBothLanguages(outcome.subject, 'mails:subprocessorResolution.applySubject', { name: 'Example AI' });
    assertBothLanguages(outcome.text, 'mails:subprocessorResolution.apply', { name: 'Example AI' });
    assertBothLanguages(outcome.text, 'mails:staff.note', { note: 'Telefonisch akkoord op 3 december.' });
  });

  test('SUB-2 refused: objecting for another customer, by a non-owner, twice, after the window; withdrawing stops the entry for that customer', async () => {
    const today = dateIn(new Date());
    const objectionsBefore = (await chain(alfa.id, 'subprocessor.objected')).length;
    const onlyAlfa = await register({
      name: 'Alfa Sms',
      service: 'SMS-herinneringen',
      location: 'Gent',
      country: 'BE',
      kind: 'other',
      appliesTo: [alfa.id],
    });
    assert.equal((await entryOf(alfa.owner, onlyAlfa)).status, 'objection_window');
    assert.equal(
      (await outbox(bravo.owner)).filter((m) => m.subject.includes('Alfa Sms')).length,
      0,
      'Bravo is not affected and not told',
    );

    // Bravo's owner cannot object to Alfa's change (it does not see it), nor reach Alfa's row by id.
    assert.equal(
      (await api('POST', `/api/v1/subprocessors/${onlyAlfa}/objection`, bravo.owner, { reason: 'sabotage' })).status,
      404,
    );
    assert.equal((await entryOf(alfa.owner, onlyAlfa)).status, 'objection_window');
    // An admin is not the owner; an empty reason is no objection.
    assert.equal(
      (await api('POST', `/api/v1/subprocessors/${onlyAlfa}/objection`, alfa.admin, { reason: 'ik ook' })).status,
      403,
    );
    assert.equal(
      (await api('POST', `/api/v1/subprocessors/${onlyAlfa}/objection`, alfa.owner, { reason: '   ' })).status,
      422,
    );
    assert.equal(
      (await api('POST', '/api/v1/subprocessors/not-a-uuid/objection', alfa.owner, { reason: 'x' })).status,
      404,
    );
    assert.equal(
      (await chain(alfa.id, 'subprocessor.objected')).length,
      objectionsBefore,
      'nothing recorded by the refused attempts',
    );

    // After the window has been settled, an objection comes too late.
    await settleSubprocessorChanges(t.ctx.db, noonOn(plusDays(today, 9)));
    assert.equal((await entryOf(alfa.owner, onlyAlfa)).status, 'applied');
    const late = await api('POST', `/api/v1/subprocessors/${onlyAlfa}/objection`, alfa.owner, { reason: 'te laat' });
    assert.equal(late.status, 409, JSON.stringify(late.body));

    // A window whose last day has passed but that the tick has not settled yet: too late as well.
    const other = await register({
      name: 'Alfa Print',
      service: 'Drukwerk',
      location: 'Utrecht',
      country: 'NL',
      kind: 'other',
      appliesTo: [alfa.id],
    });
    await sql`UPDATE subprocessor_changes SET window_ends_on = ${plusDays(today, -1)}::date WHERE tenant_id = ${alfa.id}::uuid AND subprocessor_id = ${other}::uuid AND status = 'pending'`.execute(
      t.ctx.db.handle.kysely,
    );
    const expired = await api('POST', `/api/v1/subprocessors/${other}/objection`, alfa.owner, { reason: 'te laat' });
    assert.equal(expired.status, 409, JSON.stringify(expired.body));
    assert.match(expired.body!.detail, /eindigde op/);

    // In time, once; a second objection is refused. The operator withdraws it: the entry no longer applies.
    const third = await register({
      name: 'Alfa Archief',
      service: 'Archivering',
      location: 'Delft',
      country: 'NL',
      kind: 'other',
      appliesTo: [alfa.id],
    });
    assert.equal(
      (await api('POST', `/api/v1/subprocessors/${third}/objection`, alfa.owner, { reason: 'Niet nodig.' })).status,
      200,
    );
    assert.equal(
      (await api('POST', `/api/v1/subprocessors/${third}/objection`, alfa.owner, { reason: 'Nog eens.' })).status,
      409,
    );
    const change = ((await api('GET', '/api/v1/operator/subprocessors/changes', op)).body!.changes as Json[]).find(
      (c) => c.subprocessorId === third,
    )!;
    assert.equal(
      (
        await api('POST', `/api/v1/operator/subprocessors/changes/${alfa.id}/${change.id}/resolve`, alfa.owner, {
          resolution: 'override',
          note: 'zelf',
        })
      ).status,
      401,
      'a customer cannot resolve its own objection',
    );
    assert.equal((await entryOf(alfa.owner, third)).status, 'objected');
    assert.equal(
      (
        await api('POST', `/api/v1/operator/subprocessors/changes/${alfa.id}/${change.id}/resolve`, op, {
          resolution: 'withdraw',
          note: 'Niet voor Alfa.',
        })
      ).status,
      204,
    );
    assert.equal(await entryOf(alfa.owner, third), undefined, 'withdrawn: no longer applies to Alfa');
    assert.deepEqual(
      (await api('GET', '/api/v1/operator/subprocessors', op)).body!.subprocessors.find((s: Json) => s.id === third)
        .appliesTo,
      [],
    );
    // An entry for all, withdrawn for one customer, stays away from it through later changes.
    const forAll = await register({
      name: 'Voorbeeld Vertaling',
      service: 'Vertalen',
      location: 'Antwerpen',
      country: 'BE',
      kind: 'other',
    });
    const open = ((await api('GET', '/api/v1/operator/subprocessors/changes', op)).body!.changes as Json[]).find(
      (c) => c.subprocessorId === forAll && c.tenantId === alfa.id,
    )!;
    assert.equal(
      (
        await api('POST', `/api/v1/operator/subprocessors/changes/${alfa.id}/${open.id}/resolve`, op, {
          resolution: 'withdraw',
          note: 'Alfa wil dit niet.',
        })
      ).status,
      204,
    );
    assert.equal(
      (await api('PATCH', `/api/v1/operator/subprocessors/${forAll}`, op, { location: 'Brussel' })).status,
      204,
    );
    assert.equal(await entryOf(alfa.owner, forAll), undefined);
    assert.equal((await entryOf(bravo.owner, forAll)).change.previous.location, 'Antwerpen');
  });
  test('SUB-2 silence counts only after the notice went out: a failed mail starts no window, the tick sends it again', async () => {
    const mailer = t.ctx.mailer as { send: typeof t.ctx.mailer.send };
    const send = mailer.send;
    mailer.send = async () => ({ ok: false, response: 'relay down', permanent: false });
    let id: string;
    try {
      id = await register({
        name: 'Stille Opslag',
        service: 'Archief',
        location: 'Oslo',
        country: 'NO',
        kind: 'other',
        appliesTo: [bravo.id],
      });
    } finally {
      mailer.send = send;
    }
    const waiting = await entryOf(bravo.owner, id);
    assert.deepEqual(
      [waiting.status, waiting.change.windowEndsOn, waiting.statusText.en],
      ['objection_window', null, 'In objection window (notice being sent)'],
    );
    await settleSubprocessorChanges(t.ctx.db, noonOn(plusDays(dateIn(new Date()), 400)));
    assert.equal((await entryOf(bravo.owner, id)).status, 'objection_window', 'not told, so not consented');
    assert.equal((await outbox(bravo.owner)).filter((m) => m.subject.includes('Stille Opslag')).length, 0);

    const tick = await runSubprocessorTick(t.ctx);
    assert.equal(tick.notified, 1);
    assert.deepEqual(
      (await outbox(bravo.owner)).filter((m) => m.subject.includes('Stille Opslag')).map((m) => m.to),
      ['owner@bravo.test'],
    );
    assert.equal((await entryOf(bravo.owner, id)).change.windowEndsOn, plusDays(dateIn(new Date()), 30));
    assert.equal((await runSubprocessorTick(t.ctx)).notified, 0, 'told once');
  });
});
