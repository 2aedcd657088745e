import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import {
  cookieOf,
  COLLEAGUE_PASSWORD,
  eventually,
  importCsv,
  newCustomer,
  operatorCookie,
  setUp,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { startSmtp, type TestSmtp } from '../../../test/smtp.js';
import { assertBothLanguages } from '../../../test/mail-catalogue.js';
import { formatInstant } from '../../lib/i18n.js';
import { signedRowToken } from '../../lib/tokens.js';
import { followUpSummary, followUpSweep } from './index.js';

/** A webhook receiver that keeps headers too (to check the signature). */
async function signedReceiver() {
  const got: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('SVC-4 closed loop: alerts and follow-ups (identified surveys only)', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let hook: Awaited<ReturnType<typeof signedReceiver>>;
  let owner: string;
  let tenantId: string;
  let secret: string;
  const users: Record<string, { id: string; cookie: string; email: string }> = {};
  let npsFollowUp: string;
  let npsSurvey: string;

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, cookie = owner) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return {
      status: res.statusCode,
      json: res.body && String(res.headers['content-type']).includes('json') ? res.json() : null,
      body: res.body,
    };
  };

  /** A colleague invited by mail (real SMTP), who accepts from the mail. */
  const invite = async (email: string, role: 'admin' | 'analyst' | 'viewer') => {
    const r = await api('POST', '/api/v1/users', { email, name: `Collega ${role}`, role });
    assert.equal(r.status, 201, r.body);
    const mail = await eventually(
      async () => smtp.mails.find((m) => m.to.includes(email)),
      20_000,
      `invitation of ${email}`,
    );
    const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token, password: COLLEAGUE_PASSWORD },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    users[role] = { id: r.json.id, cookie: cookieOf(ok), email };
  };

  /** A survey of `kind` and `anonymity`, every contact invited; answer(i, form) answers invitation i on the respondent page. */
  const survey = async (
    name: string,
    kind: 'nps' | 'csat',
    anonymity: 'identified' | 'confidential' | 'anonymous' = 'identified',
  ) => {
    const s = await api('POST', '/api/v1/surveys', {
      name,
      kind,
      anonymity,
      ...(anonymity === 'identified' ? {} : { minGroupSize: 3 }),
    });
    assert.equal(s.status, 201, s.body);
    const id: string = s.json.id;
    const d = await api('POST', `/api/v1/surveys/${id}/distributions`, { all: true });
    assert.equal(d.status, 202, d.body);
    // Invitation i is for contact i of the file (Kees, Lies, Mark).
    const contacts = (await api('GET', '/api/v1/contacts?limit=10')).json.contacts as Array<{
      id: string;
      email: string;
    }>;
    const order = ['kees@klant.example', 'lies@klant.example', 'mark@klant.example'].map(
      (e) => contacts.find((c) => c.email === e)!.id,
    );
    const rows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('invitations').select(['id', 'contact_id']).where('survey_id', '=', id).execute(),
    );
    const invitations = order.map((cid) => rows.find((r) => r.contact_id === cid)!);
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const answer = async (i: number, form: Record<string, string>) => {
      const token = signedRowToken(tenantId, invitations[i]!.id, (b) => keys.tokenMac(b));
      const res = await t.app.inject({
        method: 'POST',
        url: `/s/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ lang: 'nl', ...form }).toString(),
      });
      assert.equal(res.statusCode, 303, res.body);
    };
    return { id, answer };
  };
  const followUpsOf = async (surveyId: string) =>
    (
      await sql<{
        id: string;
        status: string;
      }>`SELECT id, status FROM follow_ups WHERE survey_id = ${surveyId}::uuid`.execute(t.ctx.db.handle.kysely)
    ).rows;

  before(async () => {
    smtp = await startSmtp();
    hook = await signedReceiver();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      FOLLOWUP_SWEEP_SECONDS: '0',
      PEIL_WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_SWEEP_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '50',
    });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    const imp = await importCsv(
      t,
      owner,
      'email;voornaam;achternaam;telefoon\nkees@klant.example;Kees;Klagers;0612345678\nlies@klant.example;Lies;Lovers;\nmark@klant.example;Mark;Midden;\n',
    );
    assert.equal(imp.statusCode, 200, imp.body);
    await invite('anna@zorg.test', 'admin');
    await invite('bart@zorg.test', 'analyst');
    await invite('vera@zorg.test', 'viewer');
    const w = await api('POST', '/api/v1/webhooks', { url: hook.url, events: ['followup.created'] });
    assert.equal(w.status, 201, w.body);
    secret = w.json.secret;
  });
  after(async () => {
    await t.close();
    await smtp.close();
    await hook.close();
  });

  test('SVC-4 a detractor in an identified NPS survey alerts the chosen colleague by real SMTP (a link, not the answer) and by a signed webhook; a promoter does not', async () => {
    const s = await survey('Service NPS', 'nps');
    npsSurvey = s.id;
    const settings = await api('GET', `/api/v1/surveys/${s.id}/alert-rule`);
    assert.equal(settings.status, 200, settings.body);
    assert.equal(settings.json.eligible, true);
    assert.deepEqual(settings.json.keyScore.unhappy, { nl: 'Criticus', en: 'Detractor' });
    // Only colleagues who may work on follow-ups are offered: not the viewer.
    assert.deepEqual(settings.json.candidates.map((c: { email: string }) => c.email).sort(), [
      'anna@zorg.test',
      'bart@zorg.test',
      'owner@zorg.test',
    ]);
    const refused = await api('PUT', `/api/v1/surveys/${s.id}/alert-rule`, {
      trigger: 'unhappy',
      assigneeId: users.viewer!.id,
    });
    assert.equal(refused.status, 422, refused.body);
    assert.equal(refused.json.errors[0].pointer, '/body/assigneeId');
    const set = await api('PUT', `/api/v1/surveys/${s.id}/alert-rule`, {
      trigger: 'unhappy',
      assigneeId: users.admin!.id,
      notifyEmail: true,
      notifyWebhooks: true,
      dueHours: 48,
    });
    assert.equal(set.status, 200, set.body);
    assert.equal(set.json.rule.dueHours, 48);
    // REG-1: the register of processing now derives the follow-ups' notes as a category of its own.
    const register = await api('GET', '/api/v1/register');
    assert.equal(register.status, 200, register.body);
    assert.ok(register.body.includes('followup.notes'), 'the register names the follow-ups');

    const mailsBefore = smtp.mails.length;
    await s.answer(0, { score: '3', why: 'Kees zegt: de monteur kwam drie keer niet opdagen' });
    await s.answer(1, { score: '9', why: 'Prima' });
    const swept = await followUpSweep(t.ctx);
    assert.equal(swept.created, 1);
    assert.equal(swept.mailed, 1);
    // A second round creates nothing twice (the 60 s margin re-reads the same answers).
    assert.deepEqual(await followUpSweep(t.ctx), { created: 0, mailed: 0 });

    const list = await api('GET', '/api/v1/follow-ups', undefined, users.admin!.cookie);
    assert.equal(list.status, 200, list.body);
    assert.equal(list.json.followUps.length, 1);
    const f = list.json.followUps[0];
    npsFollowUp = f.id;
    assert.equal(f.score, 3);
    assert.equal(f.status, 'open');
    assert.equal(f.owner.id, users.admin!.id);
    assert.equal(new Date(f.dueAt).getTime() - new Date(f.answeredAt).getTime(), 48 * 3_600_000);

    const mail = await eventually(
      async () => smtp.mails.slice(mailsBefore).find((m) => m.to.includes('anna@zorg.test')),
      20_000,
      'the alert mail',
    );
    assert.match(mail.subject, /opvolging nodig \/ follow-up needed/);
    assert.ok(mail.text.includes(`http://peil.test/app/follow-ups/${f.id}`), mail.text);
    assert.ok(mail.text.indexOf('Een respondent') < mail.text.indexOf('A respondent'), 'Dutch first, then English');
    assert.match(mail.text, /Criticus/);
    // Issue 14: the words are mails:followUp.*, Dutch first, English beside it; the due time in Amsterdam.
    const surveyName = mail.subject.split(' — ')[1]!;
    assertBothLanguages(mail.subject, 'mails:followUp.subject');
    assertBothLanguages(mail.text, 'mails:followUp.answer', (l) => ({
      survey: surveyName,
      org: 'Zorggroep Test',
      group: l === 'nl' ? 'Criticus' : 'Detractor',
    }));
    assertBothLanguages(mail.text, 'mails:followUp.owner', (l) => ({ due: formatInstant(l, f.dueAt) }));
    assertBothLanguages(mail.text, 'mails:followUp.open');
    for (const secretText of ['monteur', 'Kees', 'kees@klant.example', 'Klagers', '612345678'])
      assert.ok(!mail.text.includes(secretText), `the mail carries "${secretText}"`);
    assert.equal(
      smtp.mails.slice(mailsBefore).filter((m) => /opvolging/.test(m.subject)).length,
      1,
      'one alert mail, to the chosen colleague only',
    );

    const event = await eventually(
      async () => hook.got.find((g) => JSON.parse(g.body).type === 'followup.created'),
      20_000,
      'the webhook event',
    );
    // Issue 15: signed to the Standard Webhooks specification, verified with its library.
    assert.ok(
      new Webhook(secret).verify(event.body, event.headers as Record<string, string>),
      'the signature verifies with the secret',
    );
    const payload = JSON.parse(event.body);
    assert.equal(payload.id, f.id);
    assert.equal(payload.data.score, 3);
    assert.equal(payload.data.category, 'detractor');
    assert.equal(payload.data.surveyId, s.id);
    assert.equal(hook.got.filter((g) => JSON.parse(g.body).type === 'followup.created').length, 1);

    // The mode promise holds: once answered, the survey cannot become confidential.
    assert.equal((await api('PUT', `/api/v1/surveys/${s.id}`, { anonymity: 'confidential' })).status, 409);
  });

  test('SVC-4 a CSAT 2 alerts (dissatisfied), a CSAT 4 does not', async () => {
    const s = await survey('Service CSAT', 'csat');
    assert.equal(
      (await api('PUT', `/api/v1/surveys/${s.id}/alert-rule`, { trigger: 'unhappy', assigneeId: users.analyst!.id }))
        .status,
      200,
    );
    await s.answer(0, { score: '4' });
    await s.answer(1, { score: '2' });
    await followUpSweep(t.ctx);
    const list = (await api('GET', `/api/v1/follow-ups?survey=${s.id}`)).json.followUps;
    assert.equal(list.length, 1);
    assert.equal(list[0].score, 2);
    assert.deepEqual(list[0].category, { nl: 'Ontevreden', en: 'Dissatisfied' });
    // A custom threshold: CSAT ≤ 4 alerts on the 4 too, from the moment it is set (earlier answers stay as they were).
    const t2 = await survey('Service CSAT drempel', 'csat');
    assert.equal(
      (
        await api('PUT', `/api/v1/surveys/${t2.id}/alert-rule`, {
          trigger: 'threshold',
          threshold: 4,
          assigneeId: users.analyst!.id,
          notifyEmail: false,
        })
      ).status,
      200,
    );
    await t2.answer(0, { score: '4' });
    await t2.answer(1, { score: '5' });
    await followUpSweep(t.ctx);
    assert.equal((await followUpsOf(t2.id)).length, 1);
  });

  test('SVC-4 a follow-up moves open → in progress → done with encrypted notes; the summary counts done within the due time, overdue and the median (controlled clock)', async () => {
    const p1 = await api(
      'PATCH',
      `/api/v1/follow-ups/${npsFollowUp}`,
      { status: 'in_progress', note: 'Kees gebeld: monteur komt donderdag' },
      users.admin!.cookie,
    );
    assert.equal(p1.status, 200, p1.body);
    assert.equal(p1.json.status, 'in_progress');
    assert.ok(p1.json.startedAt);
    assert.equal(p1.json.notes[0].text, 'Kees gebeld: monteur komt donderdag');
    assert.equal(p1.json.notes[0].byName, 'Collega admin');
    const p2 = await api('PATCH', `/api/v1/follow-ups/${npsFollowUp}`, { status: 'done' }, users.admin!.cookie);
    assert.equal(p2.json.status, 'done');
    assert.ok(p2.json.doneAt);
    // SEC-1: the note is sealed with the tenant key: the raw row does not hold it.
    const raw = await sql<{
      row: string;
    }>`SELECT row_to_json(f)::text AS row FROM follow_ups f WHERE id = ${npsFollowUp}::uuid`.execute(
      t.ctx.db.handle.kysely,
    );
    assert.ok(
      !raw.rows[0]!.row.includes('donderdag') && !raw.rows[0]!.row.includes('Kees'),
      'the note is not in clear',
    );
    // The log names the change, never the note.
    const log = (await api('GET', '/api/v1/audit?action=followup.updated')).json.entries as Array<{
      details: Record<string, unknown>;
    }>;
    assert.ok(log.length >= 2);
    assert.ok(!JSON.stringify(log).includes('donderdag'));

    // Three more follow-ups, due in 1 hour. B and C are moved two hours back in time (answered 2 h ago, due 1 h ago).
    const s = await survey('Klachten', 'nps');
    assert.equal(
      (
        await api('PUT', `/api/v1/surveys/${s.id}/alert-rule`, {
          trigger: 'unhappy',
          assigneeId: users.admin!.id,
          notifyEmail: false,
          dueHours: 1,
        })
      ).status,
      200,
    );
    for (const i of [0, 1, 2]) await s.answer(i, { score: String(i) });
    await followUpSweep(t.ctx);
    const [a, b, c] = (await api('GET', `/api/v1/follow-ups?survey=${s.id}`)).json.followUps.map(
      (x: { id: string }) => x.id,
    ) as string[];
    await sql`UPDATE follow_ups SET answered_at = answered_at - interval '2 hours', due_at = due_at - interval '2 hours' WHERE id IN (${b!}::uuid, ${c!}::uuid)`.execute(
      t.ctx.db.handle.kysely,
    );
    assert.equal((await api('PATCH', `/api/v1/follow-ups/${a}`, { status: 'done' })).status, 200);
    assert.equal((await api('PATCH', `/api/v1/follow-ups/${b}`, { status: 'done' })).status, 200);
    const overdue = (await api('GET', `/api/v1/follow-ups?overdue=true&survey=${s.id}`)).json.followUps;
    assert.deepEqual(
      overdue.map((x: { id: string }) => x.id),
      [c],
    );
    const sum = await api('GET', `/api/v1/surveys/${s.id}/follow-ups/summary`, undefined, users.viewer!.cookie);
    assert.equal(sum.status, 200, sum.body);
    assert.equal(sum.json.applicable, true);
    assert.equal(sum.json.total, 3);
    assert.equal(sum.json.open, 1);
    assert.equal(sum.json.done, 2);
    assert.equal(sum.json.doneWithinDue, 1, 'A within its due time, B after it');
    assert.equal(sum.json.overdue, 1);
    // Median of ~0 h (A) and ~2 h (B).
    assert.ok(sum.json.medianHoursToDone > 0.9 && sum.json.medianHoursToDone < 1.1, String(sum.json.medianHoursToDone));
    // The same follow-ups seen from an earlier moment: C was not overdue yet.
    const earlier = await t.ctx.db.tenant(tenantId, (tx) =>
      followUpSummary(tx, s.id, new Date(Date.now() - 3 * 3_600_000)),
    );
    assert.equal(earlier.overdue, 0);
    // Filters: by owner and status.
    const mine = (
      await api('GET', `/api/v1/follow-ups?owner=me&status=done&survey=${s.id}`, undefined, users.admin!.cookie)
    ).json.followUps;
    assert.deepEqual(mine.map((x: { id: string }) => x.id).sort(), [a, b].sort());
    assert.equal((await api('GET', '/api/v1/follow-ups?owner=nobody')).json.errors[0].pointer, '/query/owner');
  });

  test('SVC-4 ATTACK: alerts cannot be set on a confidential or anonymous survey (409), and a detractor there never produces a follow-up, mail or event — not even with a rule in the table or a mode changed before the answers', async () => {
    const conf = await survey('Medewerkers vertrouwelijk', 'nps', 'confidential');
    const anon = await survey('Medewerkers anoniem', 'nps', 'anonymous');
    for (const s of [conf, anon]) {
      const r = await api('PUT', `/api/v1/surveys/${s.id}/alert-rule`, {
        trigger: 'unhappy',
        assigneeId: users.admin!.id,
      });
      assert.equal(r.status, 409, r.body);
      assert.equal(r.json.code, 'conflict');
      const g = await api('GET', `/api/v1/surveys/${s.id}/alert-rule`);
      assert.equal(g.json.eligible, false);
      assert.equal(g.json.rule, null);
    }
    // A rule that got into the table anyway (a bug, an old row): the sweep still creates nothing.
    await sql`INSERT INTO alert_rules (tenant_id, survey_id, trigger, assignee_id, notify_email, notify_webhooks, applies_from, cursor_at)
              VALUES (${tenantId}::uuid, ${anon.id}::uuid, 'unhappy', ${users.admin!.id}::uuid, true, true, now() - interval '1 hour', now() - interval '1 hour')`.execute(
      t.ctx.db.handle.kysely,
    );
    // An identified survey with a rule, made confidential before anyone answered (allowed then).
    const changed = await survey('Wordt vertrouwelijk', 'nps');
    assert.equal(
      (
        await api('PUT', `/api/v1/surveys/${changed.id}/alert-rule`, {
          trigger: 'unhappy',
          assigneeId: users.admin!.id,
          notifyWebhooks: true,
        })
      ).status,
      200,
    );
    const m = await api('PUT', `/api/v1/surveys/${changed.id}`, { anonymity: 'confidential', minGroupSize: 3 });
    assert.equal(m.status, 200, m.body);
    assert.equal(
      (await api('GET', `/api/v1/surveys/${changed.id}/alert-rule`)).json.rule,
      null,
      'the rule is not shown as if it applied',
    );

    const mails = smtp.mails.length;
    const events = hook.got.length;
    const deliveries = async () =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM webhook_deliveries WHERE event_type = 'followup.created'`.execute(
          t.ctx.db.handle.kysely,
        )
      ).rows[0]!.n;
    const deliveriesBefore = await deliveries();
    for (const s of [conf, anon, changed])
      for (const i of [0, 1, 2]) await s.answer(i, { score: '0', why: 'Mijn leidinggevende pest mij' });
    assert.deepEqual(await followUpSweep(t.ctx), { created: 0, mailed: 0 });
    for (const s of [conf, anon, changed]) assert.deepEqual(await followUpsOf(s.id), [], 'no follow-up');
    assert.equal(await deliveries(), deliveriesBefore, 'no webhook event queued');
    // Give the dispatcher (every 100 ms) a chance to send anything it had: still nothing new.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(hook.got.length, events, 'no webhook event sent');
    assert.equal(smtp.mails.slice(mails).filter((x) => x.to.includes('anna@zorg.test')).length, 0, 'no mail');
    for (const s of [conf, anon, changed]) {
      const sum = await api('GET', `/api/v1/surveys/${s.id}/follow-ups/summary`);
      assert.equal(sum.json.applicable, false);
      assert.equal(sum.json.total, 0);
    }
  });

  test('ACC-2 ATTACK: an analyst sees the follow-up and the answers without contact details; a viewer sees neither answers nor notes and cannot change it; the owner sees the contact and the read is logged', async () => {
    const an = await api('GET', `/api/v1/follow-ups/${npsFollowUp}`, undefined, users.analyst!.cookie);
    assert.equal(an.status, 200, an.body);
    assert.equal(an.json.contact, null);
    assert.equal(an.json.access.contact, false);
    assert.ok(
      an.json.answers.some((x: { value: unknown }) => x.value === 'Kees zegt: de monteur kwam drie keer niet opdagen'),
    );
    for (const detail of ['kees@klant.example', 'Klagers', '612345678'])
      assert.ok(!an.body.includes(detail), `the analyst sees "${detail}"`);
    const anList = await api('GET', '/api/v1/follow-ups', undefined, users.analyst!.cookie);
    assert.ok(!anList.body.includes('kees@klant.example'));

    const vw = await api('GET', `/api/v1/follow-ups/${npsFollowUp}`, undefined, users.viewer!.cookie);
    assert.equal(vw.status, 200, vw.body);
    assert.equal(vw.json.answers, null);
    assert.equal(vw.json.notes, null);
    assert.equal(vw.json.contact, null);
    assert.equal(vw.json.score, null);
    assert.ok(!vw.body.includes('monteur') && !vw.body.includes('Kees'));
    const vp = await api('PATCH', `/api/v1/follow-ups/${npsFollowUp}`, { status: 'open' }, users.viewer!.cookie);
    assert.equal(vp.status, 403, vp.body);
    assert.equal((await api('GET', `/api/v1/follow-ups/${npsFollowUp}`)).json.status, 'done', 'unchanged');
    assert.equal(
      (
        await api(
          'PUT',
          `/api/v1/surveys/${npsSurvey}/alert-rule`,
          { trigger: 'unhappy', assigneeId: null, notifyEmail: false },
          users.analyst!.cookie,
        )
      ).status,
      403,
      'analysts do not set alerts',
    );

    const ow = await api('GET', `/api/v1/follow-ups/${npsFollowUp}`);
    assert.equal(ow.json.contact.email, 'kees@klant.example');
    assert.equal(ow.json.contact.phone, '+31612345678');
    const log = (await api('GET', '/api/v1/audit?action=contact.read')).json.entries as Array<{
      subject: { id: string };
      details: { via?: string };
    }>;
    assert.ok(
      log.some((e) => e.details.via === 'follow-up' && e.subject.id === ow.json.contactId),
      'the contact read is logged',
    );
  });

  test("ACC-6 ATTACK: another tenant cannot read, list or update the follow-up, nor read or set the survey's alerts", async () => {
    const other = await newCustomer(t, await operatorCookie(t));
    for (const [method, url, payload] of [
      ['GET', `/api/v1/follow-ups/${npsFollowUp}`],
      ['PATCH', `/api/v1/follow-ups/${npsFollowUp}`, { status: 'open', note: 'overgenomen' }],
      ['GET', `/api/v1/surveys/${npsSurvey}/alert-rule`],
      ['PUT', `/api/v1/surveys/${npsSurvey}/alert-rule`, { trigger: 'unhappy', assigneeId: null, notifyEmail: false }],
      ['GET', `/api/v1/surveys/${npsSurvey}/follow-ups/summary`],
    ] as const) {
      const r = await api(method, url, payload, other.cookie);
      assert.equal(r.status, 404, `${method} ${url}: ${r.status}`);
      assert.ok(!r.body.includes('Kees') && !r.body.includes('monteur'));
    }
    assert.deepEqual((await api('GET', '/api/v1/follow-ups', undefined, other.cookie)).json.followUps, []);
    const mine = await api('GET', `/api/v1/follow-ups/${npsFollowUp}`);
    assert.equal(mine.json.status, 'done');
    assert.equal(mine.json.notes.length, 1);
  });

  test('SVC-4 a follow-up handed to another colleague mails the new owner a link; a viewer cannot be made owner', async () => {
    assert.equal((await api('PATCH', `/api/v1/follow-ups/${npsFollowUp}`, { ownerId: users.viewer!.id })).status, 422);
    const from = smtp.mails.length;
    const r = await api(
      'PATCH',
      `/api/v1/follow-ups/${npsFollowUp}`,
      { ownerId: users.analyst!.id },
      users.admin!.cookie,
    );
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.owner.id, users.analyst!.id);
    assert.equal((await followUpSweep(t.ctx)).mailed, 1);
    const mail = await eventually(
      async () => smtp.mails.slice(from).find((m) => m.to.includes('bart@zorg.test')),
      20_000,
      'the mail to the new owner',
    );
    assert.ok(mail.text.includes(`/app/follow-ups/${npsFollowUp}`));
    const log = (await api('GET', '/api/v1/audit?action=followup.updated')).json.entries as Array<{
      details: { owner?: { to: string } };
    }>;
    assert.ok(log.some((e) => e.details.owner?.to === users.analyst!.id));
  });
  test("DSR-1 DSR-2 a person's follow-up and its note are in the export of that person; erasing the person removes the follow-up and its webhook event", async () => {
    const contacts = (await api('GET', '/api/v1/contacts?limit=10')).json.contacts as Array<{
      id: string;
      email: string;
    }>;
    const kees = contacts.find((c) => c.email === 'kees@klant.example')!.id;
    const fu = (
      await sql<{ response_id: string }>`SELECT response_id FROM follow_ups WHERE id = ${npsFollowUp}::uuid`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows[0]!;
    const exp = await api('GET', `/api/v1/contacts/${kees}/export?format=json`);
    assert.equal(exp.status, 200, exp.body);
    const mine = (exp.json.followUps as Array<{ id: string; notes: Array<{ text: string }> }>).find(
      (f) => f.id === npsFollowUp,
    );
    assert.ok(mine, 'the follow-up of his answer is in his export');
    assert.ok(
      mine.notes.some((n) => n.text.includes('monteur komt donderdag')),
      'with its note',
    );
    const events = async () =>
      Number(
        (
          await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM webhook_deliveries WHERE event_id = ${npsFollowUp}::uuid`.execute(
            t.ctx.db.handle.kysely,
          )
        ).rows[0]!.n,
      );
    assert.ok((await events()) >= 1, 'the followup.created event was queued');
    const erased = await api('POST', `/api/v1/contacts/${kees}/erasure`);
    assert.equal(erased.status, 200, erased.body);
    assert.equal(await events(), 0, 'the event that named him is gone');
    assert.equal(
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM follow_ups WHERE response_id = ${fu.response_id}::uuid`.execute(
          t.ctx.db.handle.kysely,
        )
      ).rows[0]!.n,
      0,
    );
  });
});
