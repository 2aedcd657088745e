import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieOf, dbKind, operatorCookie, setUp, signIn, startTestApp, type TestApp } from '../../../test/harness.js';
import { signerOf } from '../../lib/crypto/signing.js';
import { pruneTenant, setRetention } from '../audit/retention.js';
import { addMonths, dateIn } from './dates.js';
import { DEFAULT_TERMS } from './terms.js';

describe(`the processing agreement (${dbKind})`, () => {
  let t: TestApp;
  let op: string;
  let owner: string;
  let tenantId: string;
  let n = 0;

  before(async () => {
    t = await startTestApp();
    ({ tenantId, ownerCookie: owner } = await setUp(t));
    op = await operatorCookie(t);
  });
  after(() => t.close());

  const url = (id: string) => `/api/v1/operator/tenants/${id}/agreement`;
  const put = (id: string, payload: object, query = '') =>
    t.app.inject({ method: 'PUT', url: url(id) + query, headers: { cookie: op }, payload });
  const mine = async (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/agreement', headers: { cookie } });
  const auditRows = (id: string, action: string) =>
    t.ctx.db.handle.kysely
      .selectFrom('audit_events')
      .select(['details', 'actor_kind'])
      .where('tenant_id', '=', id)
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  async function customer(): Promise<{ id: string; cookie: string }> {
    n++;
    const email = `eigenaar${n}@klant.test`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: {
        name: `Klant ${n} B.V.`,
        slug: `klant-${n}`,
        owner: { email, name: 'Eigenaar', password: 'Tulpenveld-Zomer-7' },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    return { id: res.json().tenantId, cookie: await signIn(t, email, 'Tulpenveld-Zomer-7') };
  }

  test('AGR-1 every customer has an agreement with the defaults: parties, one-year term renewed yearly, two months notice, the AGR-2 terms', async () => {
    const c = await customer();
    const res = await t.app.inject({ method: 'GET', url: url(c.id), headers: { cookie: op } });
    assert.equal(res.statusCode, 200, res.body);
    const a = res.json();
    const today = dateIn(new Date());
    assert.deepEqual(a.parties, { processor: { name: 'Peil' }, controller: { name: `Klant ${n} B.V.` } });
    assert.equal(a.version, '1.0');
    assert.equal(a.startDate, today);
    assert.deepEqual([a.termMonths, a.renewalMonths, a.noticeMonths], [12, 12, 2]);
    assert.deepEqual(a.terms, DEFAULT_TERMS);
    assert.deepEqual(a.terms, {
      breachNoticeHours: 24,
      subprocessorObjectionDays: 30,
      dpaChangeObjectionWorkingDays: 5,
      auditsPerYear: 1,
      auditNoticeDays: 14,
      returnWindowDays: 30,
      choiceDeadlineDays: 14,
      logRetentionMonths: 6,
      processingLocation: 'EU',
      specialCategoriesAllowed: false,
    });
    assert.deepEqual(a.contacts, {
      processor: { name: null, email: null },
      customer: { name: null, email: null },
      privacyEmail: null,
    });
    assert.equal(a.currentTermStart, today);
    assert.equal(a.currentTermEnd, addMonths(today, 12));
    assert.equal(a.noticeDeadline, addMonths(today, 10));
    assert.deepEqual([a.notice, a.endsOn, a.status], [null, null, 'running']);
    // The customer reads the same agreement; the first customer (made by the first run) has one too.
    assert.deepEqual((await mine(c.cookie)).json(), a);
    assert.equal((await mine(owner)).json().tenantId, tenantId);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: url('00000000-0000-4000-8000-0000000000aa'), headers: { cookie: op } }))
        .statusCode,
      404,
    );
  });

  test('AGR-2 the operator sets terms, dates and contacts; every change is an audit row with the terms before and after', async () => {
    const c = await customer();
    const res = await put(c.id, {
      breachNoticeHours: 48,
      renewalMonths: null,
      version: '2026.1',
      processingLocation: 'NL',
      contacts: { processor: { name: 'Olga Operator', email: 'Privacy@peil.test' } },
    });
    assert.equal(res.statusCode, 200, res.body);
    const a = res.json();
    assert.equal(a.terms.breachNoticeHours, 48);
    assert.equal(a.terms.processingLocation, 'NL');
    assert.equal(a.renewalMonths, null);
    assert.equal(a.version, '2026.1');
    assert.deepEqual(a.contacts.processor, { name: 'Olga Operator', email: 'privacy@peil.test' });
    // Without renewal the agreement ends with its first term, and says so.
    assert.equal(a.endsOn, a.currentTermEnd);
    const rows = await auditRows(c.id, 'agreement.changed');
    assert.equal(rows.length, 1);
    const d = rows[0]!.details as {
      via: string;
      changed: Record<string, { before: unknown; after: unknown }>;
      contacts: string[];
    };
    assert.equal(rows[0]!.actor_kind, 'operator');
    assert.equal(d.via, 'operator');
    assert.deepEqual(d.changed, {
      version: { before: '1.0', after: '2026.1' },
      renewalMonths: { before: 12, after: null },
      breachNoticeHours: { before: 24, after: 48 },
      processingLocation: { before: 'EU', after: 'NL' },
    });
    assert.deepEqual(d.contacts, ['processor.name', 'processor.email']);
    assert.ok(!JSON.stringify(d).includes('privacy@peil.test'), 'contact details are named, not copied into the log');
    // Setting the same values again changes nothing and logs nothing.
    await put(c.id, { breachNoticeHours: 48 });
    assert.equal((await auditRows(c.id, 'agreement.changed')).length, 1);
  });

  test('AGR-2 out-of-bounds terms are refused with pointers, and nothing is changed', async () => {
    const c = await customer();
    const res = await put(c.id, {
      breachNoticeHours: 73,
      logRetentionMonths: 1,
      subprocessorObjectionDays: 0,
      auditsPerYear: 13,
      processingLocation: 'US',
      returnWindowDays: 2.5,
      startDate: '2026-02-30',
    });
    assert.equal(res.statusCode, 422, res.body);
    assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
    const pointers = (res.json().errors as { pointer: string }[]).map((e) => e.pointer).sort();
    assert.deepEqual(pointers, [
      '/body/auditsPerYear',
      '/body/breachNoticeHours',
      '/body/logRetentionMonths',
      '/body/processingLocation',
      '/body/returnWindowDays',
      '/body/startDate',
      '/body/subprocessorObjectionDays',
    ]);
    assert.equal(
      (await put(c.id, { dpaChangeObjectionWorkingDays: 31 })).json().errors[0].pointer,
      '/body/dpaChangeObjectionWorkingDays',
    );
    assert.equal((await put(c.id, {}, '?preset=unknown')).statusCode, 422);
    const a = (await t.app.inject({ method: 'GET', url: url(c.id), headers: { cookie: op } })).json();
    assert.deepEqual(a.terms, DEFAULT_TERMS);
    assert.equal((await auditRows(c.id, 'agreement.changed')).length, 0);
    // The bounds hold at the edges.
    const edge = await put(c.id, {
      breachNoticeHours: 72,
      logRetentionMonths: 2,
      auditsPerYear: 0,
      returnWindowDays: 365,
    });
    assert.equal(edge.statusCode, 200, edge.body);
  });

  test("AGR-2 presets fill the terms of a seed's variant: focus-feedback 36 h breach notice, lets-develop 24 h; fields in the request override", async () => {
    const c = await customer();
    const f = (await put(c.id, {}, '?preset=focus-feedback')).json();
    assert.equal(f.preset, 'focus-feedback');
    assert.equal(f.terms.breachNoticeHours, 36);
    assert.equal(f.terms.dpaChangeObjectionWorkingDays, 5);
    await put(c.id, { subprocessorObjectionDays: 20 });
    const l = await put(c.id, { preset: 'lets-develop', auditNoticeDays: 21 });
    assert.equal(l.statusCode, 200, l.body);
    assert.deepEqual(
      l.json().terms,
      { ...DEFAULT_TERMS, breachNoticeHours: 24, returnWindowDays: 90, auditNoticeDays: 21 },
      'the preset resets what it does not name to the default',
    );
    assert.equal((await put(c.id, { preset: 'maat-it' })).json().terms.subprocessorObjectionDays, 8);
  });

  test('AGR-1 owners change only the contact persons and the privacy contact; admins read the agreement', async () => {
    const c = await customer();
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/agreement/contacts',
      headers: { cookie: c.cookie },
      payload: {
        customer: { name: 'Fatima de Vries', email: 'f.devries@klant.test' },
        privacyEmail: 'privacy@klant.test',
        breachNoticeHours: 72,
      },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    assert.deepEqual(patch.json().contacts.customer, { name: 'Fatima de Vries', email: 'f.devries@klant.test' });
    assert.equal(patch.json().contacts.privacyEmail, 'privacy@klant.test');
    assert.equal(patch.json().terms.breachNoticeHours, 24, 'terms are not the customer’s to set');
    const rows = await auditRows(c.id, 'agreement.changed');
    assert.deepEqual((rows.at(-1)!.details as { contacts: string[] }).contacts, [
      'customer.name',
      'customer.email',
      'privacyEmail',
    ]);
    assert.equal(rows.at(-1)!.actor_kind, 'user');
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/agreement/contacts',
      headers: { cookie: c.cookie },
      payload: { privacyEmail: 'geen-adres' },
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().errors[0].pointer, '/body/privacyEmail');
    // An admin reads, but neither changes contacts nor gives notice.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: c.cookie },
      payload: { email: `admin${n}@klant.test`, name: 'Admin', role: 'admin' },
    });
    const out = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: c.cookie } })).json();
    const token = /#token=([A-Za-z0-9_-]+)/.exec(
      out.messages.find((m: { to: string }) => m.to === `admin${n}@klant.test`).text,
    )![1]!;
    const admin = cookieOf(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/accept-invite',
        payload: { token, password: 'Lantaarnpaal-Fietspad-2026' },
      }),
    );
    assert.equal((await mine(admin)).statusCode, 200);
    assert.equal(
      (
        await t.app.inject({
          method: 'PATCH',
          url: '/api/v1/agreement/contacts',
          headers: { cookie: admin },
          payload: { privacyEmail: 'x@klant.test' },
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/v1/agreement/notice', headers: { cookie: admin } })).statusCode,
      403,
    );
  });

  test('AGR-5 the current term and the notice deadline follow the renewals up to today', async () => {
    const c = await customer();
    const today = dateIn(new Date());
    const start = addMonths(today, -14);
    const a = (await put(c.id, { startDate: start })).json();
    assert.equal(a.currentTermStart, addMonths(start, 12));
    assert.equal(a.currentTermEnd, addMonths(start, 24));
    assert.equal(a.noticeDeadline, addMonths(start, 22));
    const quarterly = (
      await put(c.id, { termMonths: 24, renewalMonths: 3, noticeMonths: 1, startDate: addMonths(today, -25) })
    ).json();
    assert.equal(quarterly.currentTermStart, addMonths(today, -1));
    assert.equal(quarterly.currentTermEnd, addMonths(addMonths(today, -25), 27));
    assert.equal(quarterly.noticeDeadline, addMonths(addMonths(today, -25), 26));
  });

  test('AGR-5 notice before the deadline ends the agreement with the current term; it is given once', async () => {
    const c = await customer();
    const start = addMonths(dateIn(new Date()), -1);
    await put(c.id, { startDate: start });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/agreement/notice', headers: { cookie: c.cookie } });
    assert.equal(res.statusCode, 201, res.body);
    const a = res.json();
    assert.equal(a.notice.late, false);
    assert.equal(a.notice.endsOn, addMonths(start, 12));
    assert.equal(a.endsOn, addMonths(start, 12));
    assert.ok(a.notice.givenBy);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/v1/agreement/notice', headers: { cookie: c.cookie } }))
        .statusCode,
      409,
    );
    const rows = await auditRows(c.id, 'agreement.notice_given');
    assert.deepEqual(
      rows.map((r) => r.details),
      [{ late: false, deadline: addMonths(start, 10), endsOn: addMonths(start, 12) }],
    );
  });

  test('AGR-5 late notice is recorded as late and runs to the end of the renewed term', async () => {
    const c = await customer();
    // Eleven months into the first year: the deadline (two months before its end) passed a month ago.
    const start = addMonths(dateIn(new Date()), -11);
    await put(c.id, { startDate: start });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/agreement/notice', headers: { cookie: c.cookie } });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().notice.late, true);
    assert.equal(res.json().endsOn, addMonths(start, 24));
    const a = (await mine(c.cookie)).json();
    assert.deepEqual(
      {
        late: a.notice.late,
        endsOn: a.notice.endsOn,
        status: a.status,
        agreementEnds: a.endsOn,
        termEnd: a.currentTermEnd,
      },
      {
        late: true,
        endsOn: addMonths(start, 24),
        status: 'running',
        agreementEnds: addMonths(start, 24),
        termEnd: addMonths(start, 12),
      },
    );
    const rows = await auditRows(c.id, 'agreement.notice_given');
    assert.deepEqual(
      rows.map((r) => r.details),
      [{ late: true, deadline: addMonths(start, 10), endsOn: addMonths(start, 24) }],
    );
  });

  test('LOG-4 the log retention comes from the agreement: pruning, the security measures and the old setter use it', async () => {
    const c = await customer();
    assert.equal((await put(c.id, { logRetentionMonths: 3 })).statusCode, 200);
    const r = await pruneTenant(t.ctx.db, c.id, signerOf(t.ctx.keyring.master), new Date());
    assert.equal(r.retentionMonths, 3);
    const measures = await t.app.inject({
      method: 'GET',
      url: '/api/v1/security-measures',
      headers: { cookie: c.cookie },
    });
    assert.equal(measures.json().auditLog.retentionMonths, 3);
    // The operator command (peil audit retention) writes the agreement, with an audit row like any change.
    await setRetention(t.ctx, c.id, 4, { kind: 'operator', id: null });
    assert.equal((await mine(c.cookie)).json().terms.logRetentionMonths, 4);
    assert.equal((await pruneTenant(t.ctx.db, c.id, signerOf(t.ctx.keyring.master), new Date())).retentionMonths, 4);
    const last = (await auditRows(c.id, 'agreement.changed')).at(-1)!.details as { changed: unknown };
    assert.deepEqual(last.changed, { logRetentionMonths: { before: 3, after: 4 } });
  });

  test('AGR-1 AGR-5 the operator console lists every customer’s agreement with its deadlines; a customer’s session cannot', async () => {
    const c = await customer();
    await put(c.id, { preset: 'maat-it' });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/operator/agreements', headers: { cookie: op } });
    assert.equal(res.statusCode, 200, res.body);
    const list = res.json().agreements as Array<{
      tenantId: string;
      preset: string | null;
      noticeDeadline: string;
      customer: { slug: string };
    }>;
    const mineInList = list.find((a) => a.tenantId === c.id)!;
    assert.equal(mineInList.customer.slug, `klant-${n}`);
    assert.equal(mineInList.preset, 'maat-it');
    assert.equal(mineInList.noticeDeadline, (await mine(c.cookie)).json().noticeDeadline);
    assert.ok(
      list.some((a) => a.tenantId === tenantId),
      'every customer, not only the last one',
    );
    for (const cookie of [owner, c.cookie]) {
      assert.equal(
        (await t.app.inject({ method: 'GET', url: '/api/v1/operator/agreements', headers: { cookie } })).statusCode,
        401,
        'a customer session is no operator session',
      );
    }
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/operator/agreements' })).statusCode, 401);
  });
});
