import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cookieOf,
  importCsv,
  newCustomer,
  operatorCookie,
  setUp,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { startSmtp, type ReceivedMail, type TestSmtp } from '../../../test/smtp.js';
import { addMonths, dateIn } from '../agreement/dates.js';
import { assertBothLanguages } from '../../../test/mail-catalogue.js';
import { longDate } from '../agreement/document.js';
import { kindText, requestTick } from './service.js';

/**
 * DSR-1 from the outside: real invitation mails through a real SMTP server, the public pages by HTTP,
 * the customer's list through the API; the reminder tick runs with a controlled clock.
 */
describe('DSR-1 requests of respondents', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let owner: string;
  let tenantId: string;
  const PRIVACY = 'privacy@zorg.example';

  before(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, REQUEST_SWEEP_SECONDS: '0', REQUEST_RATE_PER_MINUTE: '12' });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    const c = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/agreement/contacts',
      headers: { cookie: owner },
      payload: { privacyEmail: PRIVACY },
    });
    assert.equal(c.statusCode, 200, c.body);
    const imp = await importCsv(
      t,
      owner,
      'email;voornaam;taal\nanna@dsr1.example;Anna;nl\nbert@dsr1.example;Bert;en\ncarla@dsr1.example;Carla;nl\n',
    );
    assert.equal(imp.statusCode, 200, imp.body);
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  const api = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, cookie = owner) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return {
      status: res.statusCode,
      body: res.body && String(res.headers['content-type']).includes('json') ? res.json() : res.body,
    };
  };
  const form = (url: string, body: Record<string, string>, remoteAddress = '10.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url,
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(body).toString(),
    });
  const mailsTo = (addr: string, from = 0): ReceivedMail[] => smtp.mails.slice(from).filter((m) => m.to.includes(addr));
  const pathIn = (text: string, re: RegExp) => new URL(re.exec(text)![0]).pathname;
  const requests = async (cookie = owner) =>
    (await api('GET', '/api/v1/requests', undefined, cookie)).body.requests as Array<Record<string, unknown>>;
  const waitMail = async (addr: string, from: number, subject: RegExp) => {
    for (let i = 0; i < 200; i++) {
      const m = mailsTo(addr, from).find((x) => subject.test(x.subject));
      if (m) return m;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no mail to ${addr} matching ${subject}`);
  };
  /** A colleague invited by the owner, who accepts from the real invitation mail. */
  const colleague = async (email: string, role: 'admin' | 'viewer') => {
    const from = smtp.mails.length;
    assert.equal((await api('POST', '/api/v1/users', { email, name: role, role })).status, 201);
    const mail = await waitMail(email, from, /./);
    const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token, password: 'Regenboog-Fiets-88' },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    return cookieOf(ok);
  };
  const contactId = async (email: string) =>
    (await api('GET', `/api/v1/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0].id as string;

  let annaRequestPath = '';

  test('DSR-1 a request goes from the link in a real invitation mail through the request page and the confirmation mail to the Privacy list and the privacy contact; unconfirmed it is forwarded to nobody', async () => {
    const s = await api('POST', '/api/v1/surveys', { name: 'Tevredenheid' });
    const start = smtp.mails.length;
    assert.equal((await api('POST', `/api/v1/surveys/${s.body.id}/distributions`, { all: true })).status, 202);
    await smtp.waitFor(start + 3);
    const anna = mailsTo('anna@dsr1.example', start)[0]!;
    // The link is in the text and in the HTML part, in the respondent's language; Bert's mail in English.
    assert.match(anna.text, /Je privacyrechten: .*: http:\/\/peil\.test\/r\/[A-Za-z0-9_-]{64}/);
    annaRequestPath = pathIn(anna.text, /http:\/\/peil\.test\/r\/[A-Za-z0-9_-]{64}/);
    assert.ok(anna.html.includes(`href="http://peil.test${annaRequestPath}"`));
    assert.match(mailsTo('bert@dsr1.example', start)[0]!.text, /Your privacy rights: .*http:\/\/peil\.test\/r\//);
    // Every survey page of the invitation carries it too (first page, thank-you page).
    const surveyPath = pathIn(anna.text, /http:\/\/peil\.test\/s\/[A-Za-z0-9_-]{86}/);
    assert.ok(
      (await t.app.inject({ method: 'GET', url: surveyPath })).body.includes(`href="${annaRequestPath}?lang=nl"`),
    );
    await form(surveyPath, { score: '7', why: 'Prima', lang: 'nl' });
    assert.ok(
      (await t.app.inject({ method: 'GET', url: `${surveyPath}/thanks?lang=nl` })).body.includes(
        `href="${annaRequestPath}?lang=nl"`,
      ),
    );
    // The survey link does not open the request page, nor the other way round (own MAC domain).
    assert.equal((await t.app.inject({ method: 'GET', url: `/r/${surveyPath.slice(3, 67)}` })).statusCode, 404);

    const page = await t.app.inject({ method: 'GET', url: annaRequestPath });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="nl">/);
    assert.match(page.body, /Zorggroep Test beslist erover, niet Peil/);
    assert.doesNotMatch(page.body, /type="email"/, "from an invitation the address is the contact's: none is asked");
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `${annaRequestPath}?lang=en` })).body.includes(
        'What would you like to ask?',
      ),
      true,
    );
    const bad = await form(annaRequestPath, { lang: 'nl', kind: 'iets' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Kies wat je wilt vragen/);

    const before = smtp.mails.length;
    const sent = await form(annaRequestPath, { lang: 'nl', kind: 'erasure', message: 'Graag alles weg' });
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /Kijk in je e-mail/);
    const confirmMail = await waitMail('anna@dsr1.example', before, /Bevestig je verzoek/);
    const confirmPath = pathIn(confirmMail.text, /http:\/\/peil\.test\/r\/c\/[A-Za-z0-9_-]{64}/);
    // Not confirmed: the customer sees nothing and nobody at the customer was mailed.
    assert.deepEqual(await requests(), []);
    assert.equal(mailsTo(PRIVACY, before).length, 0);
    // Opening the link (a link scanner) confirms nothing: the page asks.
    const ask = await t.app.inject({ method: 'GET', url: confirmPath });
    assert.match(ask.body, /Ja, bevestig mijn verzoek/);
    assert.deepEqual(await requests(), []);

    const ok = await t.app.inject({ method: 'POST', url: confirmPath });
    assert.equal(ok.statusCode, 200);
    const due = addMonths(dateIn(new Date()), 1);
    assert.match(ok.body, /doorgestuurd naar Zorggroep Test\. Zorggroep Test beslist erover, niet Peil/);
    assert.match(ok.body, new RegExp(String(Number(due.slice(8)))));
    const list = await requests();
    assert.equal(list.length, 1);
    assert.equal(list[0]!.kind, 'erasure');
    assert.equal(list[0]!.status, 'received');
    assert.equal(list[0]!.email, 'anna@dsr1.example');
    assert.equal(list[0]!.message, 'Graag alles weg');
    assert.equal(list[0]!.contactId, await contactId('anna@dsr1.example'));
    assert.equal(list[0]!.dueOn, due);
    const notice = await waitMail(PRIVACY, before, /nieuw verzoek van een betrokkene/);
    assert.match(notice.text, /Verwijdering van mijn gegevens/);
    assert.doesNotMatch(notice.text, /anna@dsr1\.example/, 'the mail says where to look, not who asked');
    // Issue 14: the mail to the customer's staff speaks from mails:privacyRequest.*, Dutch first.
    const params = (l: 'nl' | 'en') => ({ org: 'Zorggroep Test', kind: kindText('erasure', l), due: longDate(due, l) });
    assertBothLanguages(notice.subject, 'mails:privacyRequest.newSubject');
    assertBothLanguages(notice.text, 'mails:privacyRequest.filed', params);
    assertBothLanguages(notice.text, 'mails:privacyRequest.decide', params);
    const receipt = await waitMail('anna@dsr1.example', before, /doorgestuurd naar Zorggroep Test/);
    assert.match(receipt.text, /Zorggroep Test beslist over je verzoek, niet Peil/);
    // A used link works once.
    assert.equal((await t.app.inject({ method: 'POST', url: confirmPath })).statusCode, 404);
    assert.equal((await requests()).length, 1);
  });

  test("DSR-1 another customer, a viewer and an admin: B sees none of A's requests and cannot decide them; viewers do not see them; admins see but do not decide", async () => {
    const op = await operatorCookie(t);
    const b = await newCustomer(t, op);
    assert.deepEqual(await requests(b.cookie), []);
    const id = (await requests())[0]!.id as string;
    assert.equal((await api('POST', `/api/v1/requests/${id}/decision`, { decision: 'done' }, b.cookie)).status, 404);
    assert.equal((await api('POST', `/api/v1/requests/${id}/extension`, { reason: 'x' }, b.cookie)).status, 404);
    const viewer = await colleague('viewer@dsr1.test', 'viewer');
    assert.equal((await api('GET', '/api/v1/requests', undefined, viewer)).status, 403);
    const admin = await colleague('admin@dsr1.test', 'admin');
    assert.equal((await api('GET', '/api/v1/requests', undefined, admin)).status, 200);
    assert.equal((await api('POST', `/api/v1/requests/${id}/decision`, { decision: 'done' }, admin)).status, 403);
    assert.equal((await requests())[0]!.status, 'received');
  });

  test("DSR-1 enumeration: the open form answers a contact's address and an unknown one with the same page; each gets its own confirmation mail; the form is rate-limited", async () => {
    const s = await api('POST', '/api/v1/surveys', { name: 'Open', anonymity: 'anonymous' });
    await api('POST', `/api/v1/surveys/${s.body.id}/open`);
    const link = await api('PUT', `/api/v1/surveys/${s.body.id}/open-link`, { enabled: true });
    assert.equal(link.status, 200, JSON.stringify(link.body));
    const openPage = await t.app.inject({ method: 'GET', url: new URL(link.body.url, 'http://peil.test').pathname });
    const customerPath = /href="(\/r\/o\/[A-Za-z0-9_-]{64})\?lang=nl"/.exec(openPage.body)![1]!;
    const page = await t.app.inject({ method: 'GET', url: customerPath });
    assert.match(page.body, /type="email"/);

    const before = smtp.mails.length;
    const known = await form(customerPath, { lang: 'nl', kind: 'access', email: 'carla@dsr1.example' }, '10.0.0.2');
    const unknown = await form(customerPath, { lang: 'nl', kind: 'access', email: 'niemand@dsr1.example' }, '10.0.0.2');
    assert.equal(known.statusCode, unknown.statusCode);
    assert.equal(known.body, unknown.body);
    const m1 = await waitMail('carla@dsr1.example', before, /Bevestig/);
    const m2 = await waitMail('niemand@dsr1.example', before, /Bevestig/);
    assert.equal(m1.text.replace(/\/r\/c\/\S+/, ''), m2.text.replace(/\/r\/c\/\S+/, '').replace('niemand', 'carla'));
    // Confirmed, the customer learns whether it is its contact (its own data); the respondent never did.
    await t.app.inject({ method: 'POST', url: pathIn(m1.text, /http:\/\/peil\.test\/r\/c\/[A-Za-z0-9_-]{64}/) });
    const carla = (await requests()).find((r) => r.email === 'carla@dsr1.example')!;
    assert.equal(carla.source, 'open');
    assert.equal(carla.contactId, await contactId('carla@dsr1.example'));

    // Per address, at most 3 unconfirmed requests a day get a mail; the page stays the same.
    for (let i = 0; i < 3; i++)
      assert.equal(
        (await form(customerPath, { lang: 'nl', kind: 'access', email: 'bom@dsr1.example' }, '10.0.0.3')).body,
        known.body,
      );
    const fourth = await form(customerPath, { lang: 'nl', kind: 'access', email: 'bom@dsr1.example' }, '10.0.0.3');
    assert.equal(fourth.body, known.body);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(mailsTo('bom@dsr1.example', before).length, 3);
    // Per client address, the form is rate-limited.
    let limited = 0;
    for (let i = 0; i < 14; i++)
      if (
        (await form(customerPath, { lang: 'nl', kind: 'access', email: `x${i}@dsr1.example` }, '10.0.0.9'))
          .statusCode === 429
      )
        limited++;
    assert.ok(limited > 0);
  });

  test('DSR-1 due date, extension and decision: one calendar month, a reminder to the privacy contact before it is due (controlled clock), two more months once with a reason the respondent is told, the decision mailed', async () => {
    const r = (await requests()).find((x) => x.email === 'anna@dsr1.example')!;
    const due = r.dueOn as string;
    const at = (date: string, days: number) =>
      new Date(new Date(`${date}T10:00:00+01:00`).getTime() + days * 86_400_000);
    let from = smtp.mails.length;
    await requestTick(t.ctx, at(due, -8));
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(mailsTo(PRIVACY, from).filter((m) => /bijna verlopen/.test(m.subject)).length, 0, 'not yet');
    await requestTick(t.ctx, at(due, -6));
    const reminder = await waitMail(PRIVACY, from, /bijna verlopen/);
    assertBothLanguages(reminder.subject, 'mails:privacyRequest.reminderSubject');
    assertBothLanguages(reminder.text, 'mails:privacyRequest.reminder', (l) => ({
      org: 'Zorggroep Test',
      kind: kindText('erasure', l),
      due: longDate(due, l),
    }));
    await requestTick(t.ctx, at(due, -5));
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(
      mailsTo(PRIVACY, from).filter(
        (m) => /bijna verlopen/.test(m.subject) && m.text.includes('Verwijdering van mijn gegevens'),
      ).length,
      1,
      'once per due date',
    );

    from = smtp.mails.length;
    assert.equal((await api('POST', `/api/v1/requests/${r.id}/extension`, { reason: '' })).status, 422);
    assert.equal(
      (await api('POST', `/api/v1/requests/${r.id}/extension`, { reason: 'Gegevens uit drie systemen' })).status,
      204,
    );
    const extended = (await requests()).find((x) => x.id === r.id)!;
    assert.equal(extended.status, 'extended');
    assert.equal(extended.originalDueOn, due);
    assert.equal(extended.dueOn, addMonths(due, 2));
    const told = await waitMail('anna@dsr1.example', from, /verlengt de termijn/);
    assert.match(told.text, /Reden: Gegevens uit drie systemen/);
    assert.equal((await api('POST', `/api/v1/requests/${r.id}/extension`, { reason: 'nog eens' })).status, 409, 'once');
    // The extended due date is reminded again.
    await requestTick(t.ctx, at(extended.dueOn as string, -3));
    await waitMail(PRIVACY, from, /bijna verlopen/);

    assert.equal(
      (await api('POST', `/api/v1/requests/${r.id}/decision`, { decision: 'refused' })).status,
      422,
      'a refusal needs a reason',
    );
    assert.equal(
      (
        await api('POST', `/api/v1/requests/${r.id}/decision`, {
          decision: 'refused',
          reason: 'Wettelijke bewaarplicht',
        })
      ).status,
      204,
    );
    const refused = await waitMail('anna@dsr1.example', from, /afgewezen/);
    assert.match(refused.text, /Toelichting: Wettelijke bewaarplicht/);
    assert.match(refused.text, /Autoriteit Persoonsgegevens/);
    assert.equal((await api('POST', `/api/v1/requests/${r.id}/decision`, { decision: 'done' })).status, 409);
    const log = (
      await api(
        'GET',
        '/api/v1/audit?action=request.received,request.extended,request.decided,request.notified&limit=50',
      )
    ).body.entries as Array<{ action: string; details: Record<string, unknown> }>;
    assert.deepEqual([...new Set(log.map((e) => e.action))].sort(), [
      'request.decided',
      'request.extended',
      'request.notified',
      'request.received',
    ]);
    assert.ok(!JSON.stringify(log).includes('anna@dsr1.example'), 'the log never holds the address');
  });

  test('DSR-1 an unconfirmed request expires: its link stops working and its address is gone', async () => {
    const before = smtp.mails.length;
    await form(annaRequestPath, { lang: 'en', kind: 'portability' });
    const m = await waitMail('anna@dsr1.example', before, /Confirm your request/);
    const path = pathIn(m.text, /http:\/\/peil\.test\/r\/c\/[A-Za-z0-9_-]{64}/);
    await requestTick(t.ctx, new Date(Date.now() + 73 * 3600_000));
    assert.equal((await t.app.inject({ method: 'GET', url: path })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'POST', url: path })).statusCode, 404);
    const left = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('data_subject_requests')
        .select(['status', 'email_enc'])
        .where('kind', '=', 'portability')
        .execute(),
    );
    assert.deepEqual(
      left.map((x) => [x.status, x.email_enc]),
      [['expired', null]],
    );
  });
});
