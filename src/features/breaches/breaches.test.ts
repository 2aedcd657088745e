import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cookieOf,
  COLLEAGUE_PASSWORD,
  dbKind,
  importCsv,
  newCustomer,
  operatorCookie,
  OPERATOR,
  setUp,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { answeredSurvey } from '../../../test/respondents.js';
import { startSmtp, type TestSmtp } from '../../../test/smtp.js';
import { buildAuditPack } from '../audits/pack.js';
import { assertBothLanguages } from '../../../test/mail-catalogue.js';
import { when } from './model.js';
import { runBreachTick } from './service.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIELDS = {
  startedAt: '2026-03-01T20:00:00.000Z',
  discoveredAt: '2026-03-02T08:00:00.000Z',
  description: 'Een gestolen sessie las contactgegevens / A stolen session read contact details',
  cause: 'Phishingmail aan een beheerder / Phishing mail to an admin',
  categories: ['contact.email', 'contact.name'],
  subjectsApprox: 777,
  recordsApprox: 888,
  consequences: 'Kans op gerichte phishing / Risk of targeted phishing',
  encrypted: false,
  measuresTaken: 'Sessie beëindigd, wachtwoord gereset / Session ended, password reset',
  measuresPlanned: [{ what: 'Tweede factor verplicht / Second factor required', when: '2026-03-09' }],
  expectedRecovery: 'Binnen twee dagen / Within two days',
  contactPoint: { name: 'Olga Operator', email: 'security@peil.test', phone: '+31 20 555 0101' },
};
const H = 3_600_000;
const DISCOVERED = Date.parse(FIELDS.discoveredAt);

describe(`BRE breach register (${dbKind})`, () => {
  let smtp: TestSmtp;
  let t: TestApp;
  let op: string;
  const alfa = { id: '', owner: '', admin: '', adminId: '', viewer: '', name: 'Alfa Zorg' };
  const bravo = { id: '', owner: '', name: '' };

  const api = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, cookie: string, payload?: unknown) => {
    const r = await t.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as Json }),
    });
    return {
      status: r.statusCode,
      body: (r.headers['content-type'] ?? '').toString().includes('json')
        ? (r.json() as Json)
        : ({ text: r.body } as Json),
    };
  };
  const create = async (fields: Json = {}) => {
    const r = await api('POST', '/api/v1/operator/breaches', op, { ...FIELDS, ...fields });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const mailsTo = (addr: string) => smtp.mails.filter((m) => m.to.includes(addr));
  const wideWindow = () => ({ from: '2020-01-01T00:00:00.000Z', to: new Date(Date.now() + 24 * H).toISOString() });

  /** A colleague of Alfa, invited by its owner, who accepts from the invitation in the real mailbox. */
  const colleague = async (email: string, role: 'admin' | 'viewer') => {
    assert.equal((await api('POST', '/api/v1/users', alfa.owner, { email, name: role, role })).status, 201);
    await smtp.waitFor(smtp.mails.filter((m) => !m.to.includes(email)).length + 1);
    const mail = mailsTo(email)[0]!;
    const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token, password: COLLEAGUE_PASSWORD },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    return cookieOf(ok);
  };

  before(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, BREACH_SWEEP_SECONDS: '0' });
    ({ tenantId: alfa.id, ownerCookie: alfa.owner } = await setUp(t, { name: alfa.name, slug: 'alfa' }));
    op = await operatorCookie(t);
    const b = await newCustomer(t, op, 'Bravo Wonen B.V.');
    bravo.id = b.id;
    bravo.owner = b.cookie;
    bravo.name = 'Bravo Wonen B.V.';
    // Alfa agreed 36 hours (Focus Feedback) and Bravo keeps 24; both have a privacy contact.
    assert.equal(
      (
        await api('PUT', `/api/v1/operator/tenants/${alfa.id}/agreement`, op, {
          breachNoticeHours: 36,
          contacts: { privacyEmail: 'privacy@alfa.test' },
        })
      ).status,
      200,
    );
    assert.equal(
      (
        await api('PUT', `/api/v1/operator/tenants/${bravo.id}/agreement`, op, {
          contacts: { privacyEmail: 'privacy@bravo.test' },
        })
      ).status,
      200,
    );
    // Alfa: 5 contacts (2 with a phone number), 3 of whom answered a survey. Bravo: 2 contacts without phone.
    const a = await importCsv(
      t,
      alfa.owner,
      'email;voornaam;taal;telefoon\nr1@alfa.test;Anna;nl;0612345678\nr2@alfa.test;Bert;nl;0687654321\nr3@alfa.test;Cor;nl;\nr4@alfa.test;Dirk;nl;\nr5@alfa.test;Eva;nl;\n',
    );
    assert.equal(a.statusCode, 200, a.body);
    const bi = await importCsv(t, bravo.owner, 'email;voornaam;taal\ns1@bravo.test;Sam;nl\ns2@bravo.test;Tess;nl\n');
    assert.equal(bi.statusCode, 200, bi.body);
    alfa.admin = await colleague('admin@alfa.test', 'admin');
    alfa.viewer = await colleague('viewer@alfa.test', 'viewer');
    alfa.adminId = (await api('GET', '/api/v1/auth/me', alfa.admin)).body.id;
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test("BRE-1 a breach is created, updated with a dated history of what changed, and closed; bad input names the field; a customer's session cannot reach the register", async () => {
    const id = await create();
    let b = (await api('GET', `/api/v1/operator/breaches/${id}`, op)).body;
    assert.equal(b.status, 'open');
    assert.deepEqual(b.fields, FIELDS);
    assert.deepEqual(
      b.history.map((h: Json) => h.kind),
      ['created'],
    );

    const up = await api('PATCH', `/api/v1/operator/breaches/${id}`, op, {
      measuresTaken: 'Alle sessies beëindigd / All sessions ended',
      encrypted: true,
      note: 'Meer maatregelen / More measures',
    });
    assert.equal(up.status, 200, JSON.stringify(up.body));
    assert.deepEqual(up.body.changed.sort(), ['encrypted', 'measuresTaken']);
    b = (await api('GET', `/api/v1/operator/breaches/${id}`, op)).body;
    const h = b.history[1];
    assert.equal(h.kind, 'updated');
    assert.equal(h.note, 'Meer maatregelen / More measures');
    assert.deepEqual(h.changes.measuresTaken, {
      from: FIELDS.measuresTaken,
      to: 'Alle sessies beëindigd / All sessions ended',
    });
    assert.deepEqual(h.changes.encrypted, { from: false, to: true });
    assert.ok(!Number.isNaN(Date.parse(h.at)));

    // An update without its note, or that changes nothing, is refused: nothing changes silently.
    const noNote = await api('PATCH', `/api/v1/operator/breaches/${id}`, op, { cause: 'x' });
    assert.equal(noNote.status, 422);
    assert.ok(
      noNote.body.errors.some((e: Json) => e.pointer === '/body/note'),
      JSON.stringify(noNote.body),
    );
    assert.equal(
      (await api('PATCH', `/api/v1/operator/breaches/${id}`, op, { encrypted: true, note: 'niets / nothing' })).status,
      422,
    );

    // Bad input: problem+json naming the field.
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/breaches',
      headers: { cookie: op },
      payload: {
        ...FIELDS,
        categories: ['contact.email', 'geen.categorie'],
        contactPoint: { ...FIELDS.contactPoint, email: 'geen-adres' },
      },
    });
    assert.equal(bad.statusCode, 422);
    assert.match(String(bad.headers['content-type']), /application\/problem\+json/);
    const pointers = (bad.json().errors as Json[]).map((e) => e.pointer).sort();
    assert.deepEqual(pointers, ['/body/categories/1', '/body/contactPoint/email']);
    const early = await api('POST', '/api/v1/operator/breaches', op, {
      ...FIELDS,
      discoveredAt: '2026-02-01T00:00:00.000Z',
    });
    assert.equal(early.status, 422);
    assert.deepEqual(
      early.body.errors.map((e: Json) => e.pointer),
      ['/body/discoveredAt'],
    );

    // Closing: kept, with the closing note; a closed breach no longer changes.
    assert.equal(
      (await api('POST', `/api/v1/operator/breaches/${id}/close`, op, { note: 'Afgehandeld / Handled' })).status,
      200,
    );
    b = (await api('GET', `/api/v1/operator/breaches/${id}`, op)).body;
    assert.equal(b.status, 'closed');
    assert.deepEqual(
      b.history.map((x: Json) => x.kind),
      ['created', 'updated', 'closed'],
    );
    assert.equal(
      (await api('PATCH', `/api/v1/operator/breaches/${id}`, op, { cause: 'later', note: 'te laat / too late' }))
        .status,
      409,
    );

    // A customer's owner (and admin) cannot list, read, create, scope or notify.
    for (const cookie of [alfa.owner, alfa.admin]) {
      for (const [method, url] of [
        ['GET', '/api/v1/operator/breaches'],
        ['GET', `/api/v1/operator/breaches/${id}`],
        ['GET', '/api/v1/operator/breaches/board'],
        ['POST', '/api/v1/operator/breaches'],
        ['POST', `/api/v1/operator/breaches/${id}/scope?preview=true`],
        ['POST', `/api/v1/operator/breaches/${id}/notify`],
      ] as const) {
        const r = await api(
          method,
          url,
          cookie,
          method === 'POST' ? { ...FIELDS, customers: 'all', window: wideWindow() } : undefined,
        );
        assert.ok(r.status === 401 || r.status === 403, `${method} ${url}: ${r.status}`);
      }
    }
  });

  test("BRE-3 a breach scoped to one day of one user's access log counts what that user read and exported that day; the other customer is not affected", async () => {
    const { surveyId } = await answeredSurvey(t, alfa.owner, alfa.id, [{ score: 9 }, { score: 3 }, { score: 7 }]);
    const day = new Date().toISOString().slice(0, 10);
    const respondents = await t.ctx.db.tenant(alfa.id, (tx) =>
      tx.selectFrom('responses').select('contact_id').execute(),
    );
    const all = await t.ctx.db.tenant(alfa.id, (tx) => tx.selectFrom('contacts').select('id').execute());
    const others = all.map((c) => c.id).filter((id) => !respondents.some((r) => r.contact_id === id));
    assert.equal(others.length, 2);
    // Alfa's admin reads the two contacts that did not answer, one of them twice, and exports the responses with contact details.
    for (const id of [others[0], others[1], others[0]])
      assert.equal((await api('GET', `/api/v1/contacts/${id}`, alfa.admin)).status, 200);
    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${surveyId}/responses.csv?contacts=true`,
      headers: { cookie: alfa.admin },
    });
    assert.equal(csv.statusCode, 200, csv.body);
    // Bravo's owner also works today: another user, another customer.
    const bc = (await api('GET', '/api/v1/contacts', bravo.owner)).body.contacts as Json[];
    assert.equal((await api('GET', `/api/v1/contacts/${bc[0]!.id}`, bravo.owner)).status, 200);

    const id = await create();
    const dayWindow = {
      from: `${day}T00:00:00.000Z`,
      to: new Date(Date.parse(`${day}T00:00:00.000Z`) + 24 * H).toISOString(),
    };
    const scope = { customers: 'all', window: dayWindow, actor: { kind: 'user', id: alfa.adminId } };
    const preview = await api('POST', `/api/v1/operator/breaches/${id}/scope?preview=true`, op, scope);
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.recorded, false);
    assert.equal(preview.body.customers.length, 1, 'only Alfa is affected');
    const a = preview.body.customers[0];
    assert.equal(a.tenantId, alfa.id);
    assert.equal(a.contacts, 5, 'two contacts read one by one + three contacts of the exported responses');
    assert.equal(a.responses, 3);
    assert.equal(a.users, 0);
    assert.deepEqual(a.basis, { 'contact.read': 3, 'responses.exported': 1 });
    for (const c of ['contact.email', 'contact.name', 'contact.phone', 'answers.score'])
      assert.ok(a.categories.includes(c), `${c} in ${a.categories}`);
    // The preview recorded nothing.
    assert.deepEqual((await api('GET', `/api/v1/operator/breaches/${id}`, op)).body.customers, []);

    // The day before: nothing. The same day by the admin's email address: the same numbers, the address not stored.
    const yesterday = { from: new Date(Date.parse(dayWindow.from) - 24 * H).toISOString(), to: dayWindow.from };
    assert.deepEqual(
      (await api('POST', `/api/v1/operator/breaches/${id}/scope?preview=true`, op, { ...scope, window: yesterday }))
        .body.customers,
      [],
    );
    const byEmail = await api('POST', `/api/v1/operator/breaches/${id}/scope`, op, {
      customers: [alfa.id, bravo.id],
      window: dayWindow,
      actor: { kind: 'email', email: 'Admin@Alfa.test' },
    });
    assert.equal(byEmail.status, 200, JSON.stringify(byEmail.body));
    assert.equal(byEmail.body.recorded, true);
    assert.deepEqual(
      byEmail.body.customers.map((c: Json) => [c.tenantId, c.contacts, c.responses]),
      [[alfa.id, 5, 3]],
    );
    const parts = (await api('GET', `/api/v1/operator/breaches/${id}`, op)).body.customers as Json[];
    assert.equal(parts.length, 1);
    assert.deepEqual(parts[0]!.scope.actor, { kind: 'email', userIds: [alfa.adminId] });
    assert.ok(
      !JSON.stringify(parts).toLowerCase().includes('admin@alfa.test'),
      'the address is not stored with the numbers',
    );
    assert.equal(parts[0]!.deadline, new Date(DISCOVERED + 36 * H).toISOString(), "Alfa's 36 hours");

    // By data category over all customers: phone numbers only at Alfa (2), email addresses at both.
    const phone = await api('POST', `/api/v1/operator/breaches/${id}/scope?preview=true`, op, {
      customers: 'all',
      categories: ['contact.phone'],
      window: wideWindow(),
    });
    assert.deepEqual(
      phone.body.customers.map((c: Json) => [c.tenantId, c.contacts, c.responses, c.categories]),
      [[alfa.id, 2, 0, ['contact.phone']]],
    );
    const email = await api('POST', `/api/v1/operator/breaches/${id}/scope?preview=true`, op, {
      customers: 'all',
      categories: ['contact.email'],
      window: wideWindow(),
    });
    const byTenant = new Map((email.body.customers as Json[]).map((c) => [c.tenantId, c.contacts]));
    assert.deepEqual([byTenant.get(alfa.id), byTenant.get(bravo.id)], [5, 2]);
    const answers = await api('POST', `/api/v1/operator/breaches/${id}/scope?preview=true`, op, {
      customers: 'all',
      tables: ['responses'],
      window: wideWindow(),
    });
    assert.deepEqual(
      answers.body.customers.map((c: Json) => [c.tenantId, c.contacts, c.responses]),
      [[alfa.id, 0, 3]],
    );
    // A scope that names an unknown customer or a reversed window is refused, naming the field.
    const wrong = await api('POST', `/api/v1/operator/breaches/${id}/scope?preview=true`, op, {
      customers: ['00000000-0000-4000-8000-000000000000'],
      window: { from: dayWindow.to, to: dayWindow.from },
    });
    assert.equal(wrong.status, 422);
    assert.ok(wrong.body.errors.some((e: Json) => e.pointer === '/body/window/to'));
  });

  test("BRE-2 each customer's deadline uses its own agreed hours; the board shows near-due and overdue as the clock moves; operators are alerted once per threshold", async () => {
    const id = await create();
    const rec = await api('POST', `/api/v1/operator/breaches/${id}/scope`, op, {
      customers: 'all',
      categories: ['contact.email'],
      window: wideWindow(),
    });
    assert.equal(rec.status, 200, JSON.stringify(rec.body));
    const parts = new Map(
      ((await api('GET', `/api/v1/operator/breaches/${id}`, op)).body.customers as Json[]).map((p) => [p.tenantId, p]),
    );
    assert.equal(parts.get(alfa.id)!.deadline, new Date(DISCOVERED + 36 * H).toISOString());
    assert.equal(parts.get(bravo.id)!.deadline, new Date(DISCOVERED + 24 * H).toISOString());
    assert.equal(parts.get(bravo.id)!.noticeHours, 24);

    const board = async (hours: number) => {
      const b = (
        await api('GET', `/api/v1/operator/breaches/board?at=${new Date(DISCOVERED + hours * H).toISOString()}`, op)
      ).body;
      const state = (tenant: string) =>
        (['overdue', 'near', 'pending'] as const).find((s) =>
          (b[s] as Json[]).some((i) => i.breachId === id && i.tenantId === tenant),
        );
      return { alfa: state(alfa.id), bravo: state(bravo.id) };
    };
    assert.deepEqual(await board(10), { alfa: 'pending', bravo: 'pending' });
    assert.deepEqual(await board(19), { alfa: 'pending', bravo: 'near' }, 'Bravo: 5 of 24 hours left');
    assert.deepEqual(await board(25), { alfa: 'pending', bravo: 'overdue' }, 'Alfa: 11 of 36 hours left');
    assert.deepEqual(await board(28), { alfa: 'near', bravo: 'overdue' }, 'Alfa: 8 of 36 hours left (a quarter: 9)');
    assert.deepEqual(await board(37), { alfa: 'overdue', bravo: 'overdue' });

    // The tick looks at every breach; this one's alerts are counted by its number.
    const number = (await api('GET', `/api/v1/operator/breaches/${id}`, op)).body.number as number;
    const alerts = () => mailsTo(OPERATOR.email).filter((m) => m.subject.includes(`datalek nr. ${number} `));
    const tick = async (hours: number) => {
      const before = alerts().length;
      await runBreachTick(t.ctx, new Date(DISCOVERED + hours * H));
      return alerts().length - before;
    };
    assert.equal(await tick(10), 0);
    assert.equal(await tick(19), 1, "Bravo's near-due alert");
    assert.equal(await tick(19.5), 0, 'sent once');
    assert.equal(await tick(25), 1, "Bravo's overdue alert");
    assert.equal(await tick(28), 1, "Alfa's near-due alert");
    assert.equal(await tick(30), 0);
    const got = alerts();
    assert.equal(got.length, 3);
    assert.match(got[0]!.subject, /bijna verlopen \/ breach notice no\. \d+ due soon/);
    assert.ok(got[0]!.text.includes(bravo.name));
    assert.match(got[1]!.subject, /te laat \/ breach notice no\. \d+ overdue/);
    assert.ok(got[2]!.text.includes(alfa.name) && got[2]!.text.includes('36'));
    // Issue 14: mails:breachAlert.* in both languages, the deadline in Amsterdam time.
    const deadline = (lng: 'nl' | 'en') => when(new Date(DISCOVERED + 24 * H).toISOString(), lng);
    const common = { number: String(number), org: bravo.name, hours: 24 };
    assertBothLanguages(got[0]!.subject, 'mails:breachAlert.nearSubject', { number: String(number) });
    assertBothLanguages(got[0]!.text, 'mails:breachAlert.near', (l) => ({ ...common, deadline: deadline(l), left: 5 }));
    assertBothLanguages(got[1]!.subject, 'mails:breachAlert.overdueSubject', { number: String(number) });
    assertBothLanguages(got[1]!.text, 'mails:breachAlert.overdue', (l) => ({ ...common, deadline: deadline(l) }));
    const recorded = ((await api('GET', `/api/v1/operator/breaches/${id}`, op)).body.customers as Json[]).find(
      (p) => p.tenantId === bravo.id,
    )!;
    assert.ok(recorded.alerts.near && recorded.alerts.overdue, 'the thresholds are recorded');

    // Once notified, a customer leaves the board and gets no more alerts.
    assert.equal((await api('POST', `/api/v1/operator/breaches/${id}/notify`, op)).body.notified, 2);
    assert.deepEqual(await board(40), { alfa: undefined, bravo: undefined });
    assert.equal(await tick(40), 0);
  });

  test("BRE-4 the privacy contact gets every field and its own numbers only; updates and the closing are mailed; the customer reads its own log and AP draft, never another customer's", async () => {
    const id = await create({ description: 'Lek voor beide klanten / Breach for both customers' });
    assert.equal(
      (
        await api('POST', `/api/v1/operator/breaches/${id}/scope`, op, {
          customers: 'all',
          categories: ['contact.email'],
          window: wideWindow(),
        })
      ).status,
      200,
    );
    const number = (await api('GET', `/api/v1/operator/breaches/${id}`, op)).body.number as number;
    const mailOf = (addr: string, kind: RegExp) =>
      mailsTo(addr).find((m) => m.subject.includes(`nr. ${number} `) && kind.test(m.subject));
    assert.equal((await api('POST', `/api/v1/operator/breaches/${id}/notify`, op)).body.notified, 2);
    assert.equal((await api('POST', `/api/v1/operator/breaches/${id}/notify`, op)).body.notified, 0, 'told once');
    const toAlfa = mailOf('privacy@alfa.test', /Melding datalek/)!;
    const toBravo = mailOf('privacy@bravo.test', /Melding datalek/)!;
    assert.ok(toAlfa && toBravo);
    for (const value of [
      'Lek voor beide klanten',
      FIELDS.cause,
      FIELDS.consequences,
      FIELDS.measuresTaken,
      FIELDS.measuresPlanned[0]!.what,
      '2026-03-09',
      FIELDS.expectedRecovery,
      FIELDS.contactPoint.email,
      FIELDS.contactPoint.phone,
      'Gegevens versleuteld: nee',
      'Data encrypted: no',
      'E-mailadres',
      'Email address',
      '1 maart 2026',
      '2 maart 2026',
    ]) {
      assert.ok(toAlfa.text.includes(value), `the mail has ${value}`);
    }
    assert.ok(toAlfa.text.indexOf('Geachte') < toAlfa.text.indexOf('Dear'), 'Dutch first');
    assert.ok(toAlfa.text.includes('Contactpersonen (respondenten) van uw organisatie: 5'));
    assert.ok(toAlfa.text.includes('36 uur na ontdekking'));
    assert.ok(toBravo.text.includes('Contactpersonen (respondenten) van uw organisatie: 2'));
    assert.ok(toBravo.text.includes('24 uur na ontdekking'));
    for (const [mail, other] of [
      [toAlfa, bravo.name],
      [toBravo, alfa.name],
    ] as const) {
      assert.ok(!mail.text.includes(other), 'no other customer named');
      assert.ok(
        !mail.text.includes('777') && !mail.text.includes('888'),
        "no overall estimate (it would reveal other customers' numbers)",
      );
    }
    assert.ok(!toBravo.text.includes(': 5\n'));
    // Issue 14: the mail's words are the catalogue's (mails:breach.*), Dutch first, English beside it.
    const n = String(number);
    assertBothLanguages(toAlfa.subject, 'mails:breach.subject', { kind: 'notice', number: n });
    for (const key of ['mails:staff.dearPrivacy', 'mails:breach.breachTitle', 'mails:breach.ownTitle'])
      assertBothLanguages(toAlfa.text, key);
    assertBothLanguages(toAlfa.text, 'mails:breach.intro', { kind: 'notice', number: n });
    assertBothLanguages(toAlfa.text, 'mails:breach.own.contacts', { count: 5 });
    assertBothLanguages(toAlfa.text, 'mails:breach.field.measuresTaken');
    assertBothLanguages(toAlfa.text, 'mails:breach.log', { link: 'http://peil.test/app/privacy/breaches' });

    // An update is mailed to both, with its note and what changed; the closing too.
    assert.equal(
      (
        await api('PATCH', `/api/v1/operator/breaches/${id}`, op, {
          expectedRecovery: 'Hersteld / Recovered',
          note: 'Systeem hersteld / System recovered',
        })
      ).body.mailed,
      2,
    );
    const update = mailOf('privacy@alfa.test', /Update datalek/)!;
    assert.ok(
      update.text.includes('Systeem hersteld') &&
        update.text.includes('Gewijzigd: expectedRecovery') &&
        update.text.includes('Verwacht herstel: Hersteld / Recovered'),
    );
    assert.ok(update.text.includes('van uw organisatie: 5'));
    assertBothLanguages(update.subject, 'mails:breach.subject', { kind: 'update', number: String(number) });
    assertBothLanguages(update.text, 'mails:breach.intro', { kind: 'update', number: String(number) });
    assertBothLanguages(update.text, 'mails:staff.note', { note: 'Systeem hersteld / System recovered' });
    assertBothLanguages(update.text, 'mails:breach.changed', { fields: 'expectedRecovery' });

    // The customer's log: its own part only, with the AP draft.
    const log = await api('GET', '/api/v1/breaches', alfa.admin);
    assert.equal(log.status, 200);
    const mine = (log.body.breaches as Json[]).find((b) => b.id === id)!;
    assert.deepEqual(
      mine.messages.map((m: Json) => m.kind),
      ['notice', 'update'],
    );
    assert.equal(mine.current.own.contacts, 5);
    assert.equal(mine.current.own.noticeHours, 36);
    assert.equal(mine.current.fields.expectedRecovery, 'Hersteld / Recovered');
    assert.ok(!('subjectsApprox' in mine.current.fields));
    assert.ok(!JSON.stringify(log.body).includes(bravo.id) && !JSON.stringify(log.body).includes(bravo.name));
    assert.match(mine.apDraft, /Aantal betrokkenen \(minimaal–maximaal\): 5 \(5 contactpersonen/);
    assert.match(mine.apDraft, /Number of people \(minimum–maximum\): 5 \(5 contacts/);
    assert.ok(mine.apDraft.includes(alfa.name) && mine.apDraft.includes('Waren de gegevens versleuteld'));
    const md = await t.app.inject({
      method: 'GET',
      url: `/api/v1/breaches/${id}/ap-draft`,
      headers: { cookie: alfa.owner },
    });
    assert.equal(md.statusCode, 200);
    assert.match(String(md.headers['content-type']), /text\/markdown/);
    assert.match(String(md.headers['content-disposition']), /attachment; filename="datalek-\d+-concept-AP\.md"/);
    assert.ok(
      md.body.includes('Zijn of worden de betrokkenen geïnformeerd') &&
        md.body.includes('Are or will the people be informed'),
    );
    const bravoLog = (await api('GET', '/api/v1/breaches', bravo.owner)).body.breaches as Json[];
    assert.equal(bravoLog.find((b) => b.id === id)!.current.own.contacts, 2);

    // Attacks: a breach of Alfa only (the scope of one user) is invisible to Bravo, by list and by id.
    const alfaOnly = await create({ description: 'Alleen Alfa / Alfa only' });
    const day = new Date().toISOString().slice(0, 10);
    const rec = await api('POST', `/api/v1/operator/breaches/${alfaOnly}/scope`, op, {
      customers: 'all',
      window: { from: `${day}T00:00:00.000Z`, to: new Date(Date.parse(`${day}T00:00:00.000Z`) + 24 * H).toISOString() },
      actor: { kind: 'user', id: alfa.adminId },
    });
    assert.deepEqual(
      rec.body.customers.map((c: Json) => c.tenantId),
      [alfa.id],
    );
    assert.equal((await api('POST', `/api/v1/operator/breaches/${alfaOnly}/notify`, op)).body.notified, 1);
    assert.ok(
      ((await api('GET', '/api/v1/breaches', alfa.owner)).body.breaches as Json[]).some((b) => b.id === alfaOnly),
    );
    assert.ok(
      !((await api('GET', '/api/v1/breaches', bravo.owner)).body.breaches as Json[]).some(
        (b) => b.id === alfaOnly || String(b.current.fields.description).includes('Alleen Alfa'),
      ),
    );
    assert.equal(
      (await api('GET', `/api/v1/breaches/${alfaOnly}/ap-draft`, bravo.owner)).status,
      404,
      "guessing Alfa's breach id",
    );
    assert.equal((await api('GET', '/api/v1/breaches/not-an-id/ap-draft', bravo.owner)).status, 404);
    assert.equal((await api('GET', `/api/v1/operator/breaches/${alfaOnly}`, bravo.owner)).status, 401);
    // A viewer of Alfa cannot read the log (owners and admins only).
    assert.equal((await api('GET', '/api/v1/breaches', alfa.viewer)).status, 403);
    assert.equal((await api('GET', `/api/v1/breaches/${alfaOnly}/ap-draft`, alfa.viewer)).status, 403);

    // The closing is mailed, and the log says closed.
    assert.equal(
      (await api('POST', `/api/v1/operator/breaches/${id}/close`, op, { note: 'Afgesloten / Closed' })).body.mailed,
      2,
    );
    assert.ok(mailOf('privacy@bravo.test', /Datalek afgesloten/));
    const closed = ((await api('GET', '/api/v1/breaches', bravo.owner)).body.breaches as Json[]).find(
      (b) => b.id === id,
    )!;
    assert.equal(closed.status, 'closed');
    assert.deepEqual(
      closed.messages.map((m: Json) => m.kind),
      ['notice', 'update', 'closing'],
    );

    // AUD-1: the audit pack carries the breach log (Alfa's own part).
    const pack = await buildAuditPack(t.ctx, alfa.id, { actor: { kind: 'user', id: null } });
    assert.ok(pack.manifest.files.some((f) => f.name === 'breaches.json'));
  });
});
