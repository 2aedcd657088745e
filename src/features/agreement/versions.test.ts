import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import {
  colleague,
  dbKind,
  newCustomer,
  operatorCookie,
  outbox,
  setUp,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { addDutchWorkingDays, dutchDate } from '../../lib/workdays.js';
import { assertBothLanguages } from '../../../test/mail-catalogue.js';
import { longDate } from './document.js';
import { agreementTick, proposeVersion, publishVersion, settleAgreementVersions } from './versions.js';

describe(`agreement acceptance and versions (${dbKind})`, () => {
  let t: TestApp;
  let op: string;
  const operatorActor = { kind: 'operator' as const, id: null };

  before(async () => {
    t = await startTestApp({ AGREEMENT_SWEEP_SECONDS: '0' });
    await setUp(t);
    op = await operatorCookie(t);
  });
  after(() => t.close());

  const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, cookie: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const shown = async (cookie: string, lang: 'nl' | 'en') => {
    const res = await inject('GET', `/api/v1/agreement/document?lang=${lang}&format=md`, cookie);
    assert.equal(res.statusCode, 200, res.body);
    return {
      text: res.body,
      sha256: res.headers['x-peil-document-sha256'] as string,
      version: res.headers['x-peil-agreement-version'] as string,
    };
  };
  const accept = async (cookie: string, lang: 'nl' | 'en' = 'nl') => {
    const s = await shown(cookie, lang);
    const res = await inject('POST', '/api/v1/agreement/accept', cookie, {
      version: s.version,
      lang,
      sha256: s.sha256,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  };
  const agreement = async (cookie: string) => (await inject('GET', '/api/v1/agreement', cookie)).json();
  const versions = async (cookie: string) => {
    const res = await inject('GET', '/api/v1/agreement/versions', cookie);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const auditRows = async (tenantId: string, action: string) =>
    (
      await sql<{
        actor_kind: string;
        subject_id: string;
        details: Record<string, unknown>;
      }>`SELECT actor_kind, subject_id, details FROM audit_events WHERE tenant_id = ${tenantId}::uuid AND action = ${action} ORDER BY seq`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows;
  /** 00:00 in Amsterdam after `day` (summer or winter time), and the minute before it. */
  const nextMidnight = (day: string) =>
    [new Date(`${day}T22:00:00Z`), new Date(`${day}T23:00:00Z`)].find((d) => dutchDate(d) > day)!;
  const lastMinute = (day: string) => new Date(nextMidnight(day).getTime() - 60_000);
  const settledFor = (r: Array<{ tenantId: string }>, id: string) => r.filter((x) => x.tenantId === id).length;

  test('AGR-3 the owner accepts the text shown: who, when, which version, language and hash; a stale hash or version is refused', async () => {
    const c = await newCustomer(t, op);
    const s = await shown(c.cookie, 'nl');
    assert.equal(s.sha256, createHash('sha256').update(s.text).digest('hex'));
    // A hash of another text, another version, or another language's text: refused, nothing recorded.
    const en = await shown(c.cookie, 'en');
    for (const body of [
      { version: '1.0', lang: 'nl', sha256: 'a'.repeat(64) },
      { version: '0.9', lang: 'nl', sha256: s.sha256 },
      { version: '1.0', lang: 'nl', sha256: en.sha256 },
    ]) {
      const res = await inject('POST', '/api/v1/agreement/accept', c.cookie, body);
      assert.equal(res.statusCode, 409, res.body);
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
    }
    assert.equal((await versions(c.cookie)).acceptances.length, 0);
    // Someone changes a contact between showing and accepting: the text shown is no longer the text.
    await inject('PATCH', '/api/v1/agreement/contacts', c.cookie, {
      customer: { name: 'Fatima de Vries', email: 'f@klant.test' },
    });
    assert.equal(
      (await inject('POST', '/api/v1/agreement/accept', c.cookie, { version: '1.0', lang: 'nl', sha256: s.sha256 }))
        .statusCode,
      409,
    );

    const before = Date.now();
    const v = await accept(c.cookie, 'nl');
    assert.equal(v.accepted, true);
    assert.equal(v.acceptances.length, 1);
    const a = v.acceptances[0];
    assert.deepEqual(
      [a.version, a.lang, a.acceptedBy.name],
      ['1.0', 'nl', 'Eigenaar ' + /eigenaar(\d+)@/.exec(c.email)![1]],
    );
    assert.ok(Date.parse(a.acceptedAt) >= before - 1000);
    const now = await shown(c.cookie, 'nl');
    assert.equal(a.sha256, now.sha256);
    // The exact text is kept as evidence, readable by the customer, sealed in the database.
    const text = await inject('GET', `/api/v1/agreement/acceptances/${a.id}/text`, c.cookie);
    assert.equal(text.statusCode, 200);
    assert.equal(createHash('sha256').update(text.body).digest('hex'), a.sha256);
    assert.ok(text.body.includes('Fatima de Vries'));
    const row = await t.ctx.db.handle.kysely
      .selectFrom('agreement_acceptances')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.accepted_by.length, 36);
    assert.ok(
      !row.evidence_enc.includes(Buffer.from('Fatima')) && !row.evidence_enc.includes(Buffer.from('Eigenaar')),
      'the text and the name are sealed',
    );
    const logged = await auditRows(c.id, 'agreement.accepted');
    assert.deepEqual(
      logged.map((r) => r.details),
      [{ acceptance: a.id, version: '1.0', lang: 'nl', sha256: a.sha256 }],
    );
    // Only the owner accepts; an admin reads the history.
    const admin = await colleague(t, c.cookie, 'admin');
    assert.equal(
      (await inject('POST', '/api/v1/agreement/accept', admin, { version: '1.0', lang: 'nl', sha256: now.sha256 }))
        .statusCode,
      403,
    );
    assert.equal((await inject('GET', '/api/v1/agreement/versions', admin)).statusCode, 200);
    assert.equal(
      (await inject('GET', '/api/v1/agreement/versions', await colleague(t, c.cookie, 'viewer'))).statusCode,
      403,
    );
    // Another customer cannot read this acceptance's text.
    const other = await newCustomer(t, op);
    assert.equal((await inject('GET', `/api/v1/agreement/acceptances/${a.id}/text`, other.cookie)).statusCode, 404);
  });

  test('AGR-3 after the first acceptance, an operator change of terms is announced to the privacy contact and applied only when the window has passed', async () => {
    const c = await newCustomer(t, op, 'Thuiszorg Versie B.V.');
    // Onboarding: before any acceptance, a change applies at once (200), as AGR-2's tests expect.
    assert.equal(
      (await inject('PUT', `/api/v1/operator/tenants/${c.id}/agreement`, op, { auditNoticeDays: 21 })).statusCode,
      200,
    );
    await inject('PATCH', '/api/v1/agreement/contacts', c.cookie, { privacyEmail: 'privacy@klant.test' });
    await accept(c.cookie);
    const announcedOn = dutchDate(new Date());
    const res = await inject('PUT', `/api/v1/operator/tenants/${c.id}/agreement`, op, {
      breachNoticeHours: 48,
      contacts: { processor: { name: 'Olga Operator', email: 'olga@peil.test' } },
    });
    assert.equal(res.statusCode, 202, res.body);
    const { proposal, agreement: inForce } = res.json();
    assert.equal(inForce.terms.breachNoticeHours, 24, 'the term is not changed yet');
    assert.equal(inForce.contacts.processor.name, 'Olga Operator', 'contacts are not terms: they apply at once');
    const deadline = addDutchWorkingDays(announcedOn, 5);
    const v = await versions(c.cookie);
    const p = v.announcements.find((x: { id: string }) => x.id === proposal);
    assert.deepEqual(
      {
        from: p.fromVersion,
        to: p.toVersion,
        state: p.state,
        deadline: p.deadline,
        notified: p.notified,
        workingDays: p.workingDays,
        origin: p.origin,
      },
      {
        from: '1.0',
        to: '1.1',
        state: 'pending',
        deadline,
        notified: 'privacy_contact',
        workingDays: 5,
        origin: 'terms',
      },
    );
    assert.deepEqual(
      p.changes.map((x: { term: string; from: { nl: string }; to: { nl: string } }) => [x.term, x.from.nl, x.to.nl]),
      [
        ['version', '1.0', '1.1'],
        ['breachNoticeHours', '24 uur', '48 uur'],
      ],
    );
    const mail = (await outbox(t, c.cookie)).filter((m) => m.subject.includes('verwerkersovereenkomst'));
    assert.deepEqual(
      mail.map((m) => m.to),
      ['privacy@klant.test'],
    );
    assert.ok(mail[0]!.text.includes('24 uur → 48 uur') && mail[0]!.text.includes('24 hours → 48 hours'));
    assert.ok(
      mail[0]!.text.includes('5 werkdagen') &&
        mail[0]!.text.indexOf('Peil stelt') < mail[0]!.text.indexOf('Peil proposes'),
      'Dutch first, English beside it',
    );
    // Issue 14: the announcement's words are mails:agreementVersion.*, Dutch first, English beside it.
    assertBothLanguages(mail[0]!.subject, 'mails:agreementVersion.subject');
    assertBothLanguages(mail[0]!.text, 'mails:agreementVersion.intro', {
      controller: 'Thuiszorg Versie B.V.',
      from: '1.0',
      to: '1.1',
    });
    assertBothLanguages(mail[0]!.text, 'mails:agreementVersion.deadline', (l) => ({
      deadline: longDate(deadline, l, true),
      days: 5,
    }));
    assert.deepEqual(
      (await auditRows(c.id, 'agreement.version_announced')).map((r) => r.details),
      [{ to: 'privacy_contact', recipients: 1, deadline, workingDays: 5 }],
    );

    // On the deadline day itself nothing happens; the day after, the version is deemed accepted.
    assert.equal(dutchDate(lastMinute(deadline)), deadline);
    assert.equal(settledFor(await settleAgreementVersions(t.ctx.db, lastMinute(deadline)), c.id), 0);
    assert.equal((await agreement(c.cookie)).terms.breachNoticeHours, 24);
    const settled = await settleAgreementVersions(t.ctx.db, nextMidnight(deadline));
    assert.deepEqual(
      settled.filter((x) => x.tenantId === c.id),
      [{ tenantId: c.id, proposal, version: '1.1' }],
    );
    const a = await agreement(c.cookie);
    assert.deepEqual([a.terms.breachNoticeHours, a.version, a.terms.auditNoticeDays], [48, '1.1', 21]);
    assert.equal((await versions(c.cookie)).announcements[0].state, 'accepted');
    assert.ok((await shown(c.cookie, 'nl')).text.includes('binnen 48 uur nadat'), 'the document follows');
    assert.deepEqual(
      [(await versions(c.cookie)).accepted, (await versions(c.cookie)).deemedAccepted],
      [false, true],
      'the new version was deemed accepted, not accepted by hand',
    );
    assert.deepEqual(
      (await auditRows(c.id, 'agreement.version_accepted')).map((r) => [r.actor_kind, r.details]),
      [['system', { version: '1.1', deemed: true }]],
    );
    assert.equal(settledFor(await settleAgreementVersions(t.ctx.db, nextMidnight(deadline)), c.id), 0, 'settled once');
  });

  test('AGR-3 without a privacy contact the owners are told', async () => {
    const c = await newCustomer(t, op);
    await accept(c.cookie, 'en');
    assert.equal(
      (
        await inject('PUT', `/api/v1/operator/tenants/${c.id}/agreement`, op, {
          version: '2027.1',
          returnWindowDays: 60,
        })
      ).statusCode,
      202,
    );
    const mail = (await outbox(t, c.cookie)).filter((m) => m.subject.includes('2027.1'));
    assert.deepEqual(
      mail.map((m) => m.to),
      [c.email],
    );
    assert.equal((await versions(c.cookie)).announcements[0].notified, 'owners');
    // A preset after acceptance is proposed too, term by term; the version label follows the last proposed one.
    const preset = await inject('PUT', `/api/v1/operator/tenants/${c.id}/agreement?preset=focus-feedback`, op, {});
    assert.equal(preset.statusCode, 202, preset.body);
    const p = (await versions(c.cookie)).announcements.find((x: { id: string }) => x.id === preset.json().proposal);
    assert.equal(p.toVersion, '2027.2');
    assert.deepEqual(
      p.changes.map((x: { term: string; to: { en: string } }) => [x.term, x.to.en]),
      [
        ['version', '2027.2'],
        ['breachNoticeHours', '36 hours'],
      ],
    );
    assert.equal(p.summary.en, 'Changed terms: Notice of a personal data breach within.');
    assert.equal((await agreement(c.cookie)).terms.breachNoticeHours, 24);
  });

  test('AGR-3 a change announced before Koningsdag is deemed accepted on the right Dutch working day, not a day earlier; also around Pentecost', async () => {
    const koningsdag = await newCustomer(t, op);
    const pinksteren = await newCustomer(t, op);
    assert.equal(
      (
        await inject('PUT', `/api/v1/operator/tenants/${pinksteren.id}/agreement`, op, {
          dpaChangeObjectionWorkingDays: 3,
        })
      ).statusCode,
      200,
    );
    await accept(koningsdag.cookie);
    await accept(pinksteren.cookie);
    // Thursday 22 April 2027, 5 working days: Fri 23, Mon 26, (Tue 27 Koningsdag), Wed 28, Thu 29, Fri 30.
    const k = await publishVersion(
      t.ctx,
      {
        version: '2.0',
        summary: { nl: 'Nieuwe auditregeling.', en: 'New audit terms.' },
        tenants: [koningsdag.id],
        values: { audits_per_year: 2 },
      },
      operatorActor,
      new Date('2027-04-22T10:00:00+02:00'),
    );
    assert.deepEqual(
      k.customers.map((x) => x.outcome),
      ['announced'],
    );
    assert.equal((await versions(koningsdag.cookie)).announcements[0].deadline, '2027-04-30');
    for (const early of ['2027-04-29', '2027-04-30']) {
      assert.equal(
        settledFor(await settleAgreementVersions(t.ctx.db, lastMinute(early)), koningsdag.id),
        0,
        `not on ${early}`,
      );
    }
    assert.equal((await agreement(koningsdag.cookie)).terms.auditsPerYear, 1);
    assert.equal(settledFor(await settleAgreementVersions(t.ctx.db, nextMidnight('2027-04-30')), koningsdag.id), 1);
    assert.deepEqual(
      [(await agreement(koningsdag.cookie)).terms.auditsPerYear, (await agreement(koningsdag.cookie)).version],
      [2, '2.0'],
    );

    // Friday 14 May 2027 with 3 working days: (Mon 17 Pinkstermaandag), Tue 18, Wed 19, Thu 20.
    await publishVersion(
      t.ctx,
      {
        version: '2.0',
        summary: { nl: 'Nieuwe auditregeling.', en: 'New audit terms.' },
        tenants: [pinksteren.id],
        values: { audits_per_year: 2 },
      },
      operatorActor,
      new Date('2027-05-14T16:00:00+02:00'),
    );
    const p = (await versions(pinksteren.cookie)).announcements[0];
    assert.equal(p.deadline, '2027-05-20');
    const mail = (await outbox(t, pinksteren.cookie)).find((m) => m.subject.includes('2.0'))!;
    assert.ok(mail.text.includes('donderdag 20 mei 2027') && mail.text.includes('Thursday, 20 May 2027'), mail.text);
    assert.equal(settledFor(await settleAgreementVersions(t.ctx.db, lastMinute('2027-05-20')), pinksteren.id), 0);
    assert.equal(settledFor(await settleAgreementVersions(t.ctx.db, nextMidnight('2027-05-20')), pinksteren.id), 1);
    assert.equal((await agreement(pinksteren.cookie)).terms.auditsPerYear, 2);
  });

  test('AGR-3 an objection keeps one customer on its version while another gets it; the operator resolves it', async () => {
    const a = await newCustomer(t, op);
    const b = await newCustomer(t, op);
    const fresh = await newCustomer(t, op);
    await accept(a.cookie);
    await accept(b.cookie);
    const pub = await inject('POST', '/api/v1/operator/agreement/versions', op, {
      version: '3.0',
      summary: { nl: 'Meldtermijn datalek 36 uur.', en: 'Breach notice 36 hours.' },
      tenants: [a.id, b.id, fresh.id],
      terms: { breachNoticeHours: 36 },
    });
    assert.equal(pub.statusCode, 201, pub.body);
    assert.deepEqual(
      pub.json().customers.map((x: { tenantId: string; outcome: string }) => [x.tenantId, x.outcome]),
      [
        [a.id, 'announced'],
        [b.id, 'announced'],
        [fresh.id, 'applied'],
      ],
    );
    assert.deepEqual(
      [(await agreement(fresh.cookie)).version, (await agreement(fresh.cookie)).terms.breachNoticeHours],
      ['3.0', 36],
      'not accepted yet: applied at once',
    );
    const pa = (await versions(a.cookie)).announcements[0];
    const pb = (await versions(b.cookie)).announcements[0];

    // B cannot object to A's announcement (another customer's id is unknown to it); an admin cannot object.
    assert.equal(
      (await inject('POST', `/api/v1/agreement/versions/${pa.id}/objection`, b.cookie, { reason: 'x' })).statusCode,
      404,
    );
    assert.equal(
      (
        await inject('POST', `/api/v1/agreement/versions/${pa.id}/objection`, await colleague(t, a.cookie, 'admin'), {
          reason: 'x',
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (await inject('POST', `/api/v1/agreement/versions/${pa.id}/objection`, a.cookie, { reason: '' })).statusCode,
      422,
    );
    const objected = await inject('POST', `/api/v1/agreement/versions/${pa.id}/objection`, a.cookie, {
      reason: 'Wij houden 24 uur aan; onze jurist Henk Jansen belt u.',
    });
    assert.equal(objected.statusCode, 201, objected.body);
    const oa = objected.json().announcements[0];
    assert.equal(oa.state, 'objected');
    assert.equal(oa.objection.reason, 'Wij houden 24 uur aan; onze jurist Henk Jansen belt u.');
    assert.equal(
      (await inject('POST', `/api/v1/agreement/versions/${pa.id}/objection`, a.cookie, { reason: 'nog eens' }))
        .statusCode,
      409,
    );
    const logged = await auditRows(a.id, 'agreement.version_objected');
    assert.equal(logged.length, 1);
    assert.ok(!JSON.stringify(logged).includes('Henk'), 'the reason is not in the log');

    const settled = await settleAgreementVersions(t.ctx.db, nextMidnight(addDutchWorkingDays(pb.deadline, 1)));
    assert.equal(settledFor(settled, a.id), 0);
    assert.equal(settledFor(settled, b.id), 1);
    assert.deepEqual(
      [(await agreement(a.cookie)).version, (await agreement(a.cookie)).terms.breachNoticeHours],
      ['1.0', 24],
      'A stays on its version',
    );
    assert.deepEqual(
      [(await agreement(b.cookie)).version, (await agreement(b.cookie)).terms.breachNoticeHours],
      ['3.0', 36],
      'B has the new one',
    );

    // The operator sees the states across customers, and announces A's again: a new window.
    const list = (await inject('GET', '/api/v1/operator/agreement/versions', op)).json().announcements;
    assert.equal(list.find((x: { id: string }) => x.id === pa.id).state, 'objected');
    assert.equal(list.find((x: { id: string }) => x.id === pb.id).state, 'accepted');
    assert.equal((await inject('GET', '/api/v1/operator/agreement/versions', a.cookie)).statusCode, 401);
    const again = await inject('POST', `/api/v1/operator/tenants/${a.id}/agreement/versions/${pa.id}/resolve`, op, {
      action: 'reannounce',
    });
    assert.equal(again.statusCode, 200, again.body);
    const next = again.json().versions.announcements.find((x: { id: string }) => x.id === again.json().proposal);
    assert.deepEqual(
      [next.state, next.previousId, next.toVersion, next.deadline],
      ['pending', pa.id, '3.0', addDutchWorkingDays(dutchDate(new Date()), 5)],
    );
    assert.equal(again.json().versions.announcements.find((x: { id: string }) => x.id === pa.id).state, 'reannounced');
    // ... and A objects again; the operator withdraws it for A. A never gets it.
    assert.equal(
      (
        await inject('POST', `/api/v1/agreement/versions/${next.id}/objection`, a.cookie, {
          reason: 'Nog steeds niet.',
        })
      ).statusCode,
      201,
    );
    const withdrawn = await inject(
      'POST',
      `/api/v1/operator/tenants/${a.id}/agreement/versions/${next.id}/resolve`,
      op,
      { action: 'withdraw' },
    );
    assert.equal(withdrawn.statusCode, 200, withdrawn.body);
    assert.equal(
      withdrawn.json().versions.announcements.find((x: { id: string }) => x.id === next.id).state,
      'withdrawn',
    );
    assert.equal(settledFor(await settleAgreementVersions(t.ctx.db, new Date('2030-01-01T00:00:00Z')), a.id), 0);
    assert.equal((await agreement(a.cookie)).terms.breachNoticeHours, 24);
    assert.deepEqual(
      (await auditRows(a.id, 'agreement.version_withdrawn')).map((r) => r.actor_kind),
      ['operator'],
    );
    assert.equal(
      (
        await inject('POST', `/api/v1/operator/tenants/${b.id}/agreement/versions/${pa.id}/resolve`, op, {
          action: 'withdraw',
        })
      ).statusCode,
      404,
      "A's announcement is not B's",
    );
  });

  test('AGR-3 an objection after the last day is refused', async () => {
    const c = await newCustomer(t, op);
    await accept(c.cookie);
    await publishVersion(
      t.ctx,
      { version: '1.5', summary: { nl: 'x', en: 'x' }, tenants: [c.id] },
      operatorActor,
      new Date('2026-01-05T10:00:00+01:00'),
    );
    const p = (await versions(c.cookie)).announcements[0];
    assert.equal(p.deadline, '2026-01-12');
    const res = await inject('POST', `/api/v1/agreement/versions/${p.id}/objection`, c.cookie, { reason: 'te laat' });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal((await versions(c.cookie)).announcements[0].state, 'pending');
  });

  test('AGR-3 the tick announces a version not announced yet (its window starts with the mail) and settles it when due', async () => {
    const c = await newCustomer(t, op);
    await accept(c.cookie);
    // A proposal whose mail did not go out (e.g. the mail server was down): no window yet.
    const id = await t.ctx.db.tenant(c.id, (tx) =>
      proposeVersion(
        tx,
        c.id,
        { origin: 'terms', values: { audits_per_year: 3 } },
        operatorActor,
        new Date('2027-07-01T10:00:00+02:00'),
      ),
    );
    let p = (await versions(c.cookie)).announcements.find((x: { id: string }) => x.id === id);
    assert.deepEqual([p.state, p.announcedAt, p.deadline], ['pending', null, null]);
    await settleAgreementVersions(t.ctx.db, new Date('2030-01-01T00:00:00Z'));
    assert.equal((await agreement(c.cookie)).terms.auditsPerYear, 1, 'never deemed accepted without an announcement');
    // Monday 5 July 2027: the tick mails it; 5 working days → Monday 12 July.
    await agreementTick(t.ctx, new Date('2027-07-05T09:00:00+02:00'));
    p = (await versions(c.cookie)).announcements.find((x: { id: string }) => x.id === id);
    assert.deepEqual([p.announcedAt, p.deadline], ['2027-07-05T07:00:00.000Z', '2027-07-12']);
    assert.equal((await outbox(t, c.cookie)).filter((m) => m.subject.includes('verwerkersovereenkomst')).length, 1);
    await agreementTick(t.ctx, lastMinute('2027-07-12'));
    assert.equal((await agreement(c.cookie)).terms.auditsPerYear, 1);
    await agreementTick(t.ctx, nextMidnight('2027-07-12'));
    assert.equal((await agreement(c.cookie)).terms.auditsPerYear, 3);
    assert.equal(
      (await outbox(t, c.cookie)).filter((m) => m.subject.includes('verwerkersovereenkomst')).length,
      1,
      'announced once',
    );
  });
});
