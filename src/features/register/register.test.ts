import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import {
  colleague as harnessColleague,
  CUSTOMER_PASSWORD as PASSWORD,
  dbKind,
  importCsv,
  newCustomer,
  operatorCookie,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { answeredSurvey } from '../../../test/respondents.js';
import { applyRetention } from './retention.js';
import { registerAnnex } from './service.js';

describe(`the register of processing (${dbKind})`, () => {
  let t: TestApp;
  let op: string;

  before(async () => {
    t = await startTestApp();
    await setUp(t);
    op = await operatorCookie(t);
  });
  after(() => t.close());

  const get = (cookie: string, url = '/api/v1/register') => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const send = (cookie: string, method: 'PUT' | 'PATCH' | 'POST', url: string, payload: object) =>
    t.app.inject({ method, url, headers: { cookie }, payload });
  const auditRows = (tenantId: string, action: string) =>
    t.ctx.db.handle.kysely
      .selectFrom('audit_events')
      .select(['details', 'actor_kind', 'subject_kind', 'subject_id'])
      .where('tenant_id', '=', tenantId)
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  /** A new customer (through the operator) with its owner signed in. */
  async function customer(): Promise<{ id: string; owner: string; slug: string; email: string }> {
    const c = await newCustomer(t, op);
    return { id: c.id, owner: c.cookie, slug: c.slug, email: c.email };
  }
  const colleague = (owner: string, role: 'admin' | 'analyst' | 'viewer'): Promise<string> =>
    harnessColleague(t, owner, role);

  type Reg = {
    tenantId: string;
    categories: Array<{
      code: string;
      inRegister: boolean;
      special: boolean;
      label: { nl: string; en: string };
      derivedFrom: Array<{ kind: string; id: string }>;
    }>;
    dataSubjects: Array<{ code: string; label: { nl: string; en: string } }>;
    purposes: Array<{ code: string }>;
    operations: Array<{ code: string }>;
    retention: {
      contacts: { inactiveMonths: number | null };
      surveys: Array<{
        surveyId: string;
        closedAt: string | null;
        monthsAfterClose: number | null;
        dueAt: string | null;
        erasedAt: string | null;
      }>;
      logMonths: number;
    };
    special: {
      allowed: boolean;
      categories: string[];
      freeText: Array<{ surveyId: string; texts: number; bsn: number; iban: number; health: number }>;
      scanComplete: boolean;
    };
    drift: Array<{ category: string; special: boolean; source: { kind: string; id: string; surveyId?: string } }>;
  };
  const reg = async (cookie: string): Promise<Reg> => {
    const res = await get(cookie);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };

  test('REG-1 a new customer has a default register derived from what Peil stores, with Dutch and English labels', async () => {
    const c = await customer();
    const r = await reg(c.owner);
    assert.equal(r.tenantId, c.id);
    const codes = r.categories.filter((x) => x.inRegister).map((x) => x.code);
    for (const code of [
      'contact.email',
      'contact.name',
      'contact.phone',
      'contact.language',
      'demographic.gender',
      'work.function',
      'participation.invitation',
      'user.account',
      'technical.ip',
      'answers.score',
      'answers.free_text',
    ]) {
      assert.ok(codes.includes(code), `${code} in the default register`);
    }
    const email = r.categories.find((x) => x.code === 'contact.email')!;
    assert.deepEqual(email.label, { nl: 'E-mailadres', en: 'Email address' });
    assert.deepEqual(
      email.derivedFrom.map((s) => s.kind),
      ['built_in'],
    );
    assert.equal(
      r.categories.some((x) => x.special),
      false,
      'no special category by default',
    );
    assert.deepEqual(r.drift, []);
    assert.ok(r.dataSubjects.some((s) => s.code === 'customers' && s.label.nl === 'Klanten'));
    assert.ok(r.purposes.length > 0 && r.operations.length > 0);
    assert.equal(r.retention.contacts.inactiveMonths, null);
    assert.equal(r.retention.logMonths, 6, 'the log retention comes from the agreement');
    assert.equal(r.special.allowed, false);
  });

  test('REG-1 the owner edits data subjects, purposes and operations; each edit is an audit row; own records need labels', async () => {
    const c = await customer();
    const res = await send(c.owner, 'PUT', '/api/v1/register', {
      dataSubjects: [
        { code: 'patients' },
        { code: 'volunteers', label: { nl: 'Vrijwilligers', en: 'Volunteers' }, note: 'alleen vaste vrijwilligers' },
      ],
      purposes: [{ code: 'feedback' }, { code: 'analysis' }],
    });
    assert.equal(res.statusCode, 200, res.body);
    const r: Reg = res.json();
    assert.deepEqual(r.dataSubjects.map((s) => s.code).sort(), ['patients', 'volunteers']);
    assert.deepEqual(r.dataSubjects.find((s) => s.code === 'volunteers')!.label, {
      nl: 'Vrijwilligers',
      en: 'Volunteers',
    });
    assert.deepEqual(r.purposes.map((s) => s.code).sort(), ['analysis', 'feedback']);
    assert.ok(r.operations.length > 0, 'a list not given stays');
    const rows = await auditRows(c.id, 'register.changed');
    assert.equal(rows.length, 1);
    const d = rows[0]!.details as { changed: Record<string, { added: string[]; removed: string[] }> };
    assert.deepEqual(d.changed.subject!.added.sort(), ['patients', 'volunteers']);
    assert.ok(d.changed.subject!.removed.includes('customers'));
    assert.ok(!JSON.stringify(d).includes('vaste vrijwilligers'), 'notes are not copied into the log');
    // An own data subject without labels, or an unknown category, is refused with a pointer.
    const bad = await send(c.owner, 'PUT', '/api/v1/register', {
      dataSubjects: [{ code: 'aliens' }],
      categories: [{ code: 'contact.email' }],
    });
    assert.equal(bad.statusCode, 422, bad.body);
    assert.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.ok(bad.json().errors.some((e: { pointer: string }) => e.pointer === '/dataSubjects/0/label'));
    const unknown = await send(c.owner, 'PATCH', '/api/v1/register', { add: [{ kind: 'category', code: 'made.up' }] });
    assert.equal(unknown.statusCode, 422, unknown.body);
    // Nothing of the refused edits was stored.
    assert.deepEqual((await reg(c.owner)).dataSubjects.map((s) => s.code).sort(), ['patients', 'volunteers']);
  });

  test('REG-1 admins read the register but cannot change it; analysts and viewers cannot read it; another customer cannot read it', async () => {
    const a = await customer();
    const b = await customer();
    const admin = await colleague(a.owner, 'admin');
    const analyst = await colleague(a.owner, 'analyst');
    const viewer = await colleague(a.owner, 'viewer');
    assert.equal((await get(admin)).statusCode, 200);
    for (const [who, cookie] of [
      ['admin', admin],
      ['analyst', analyst],
      ['viewer', viewer],
    ] as const) {
      assert.equal(
        (await send(cookie, 'PUT', '/api/v1/register', { purposes: [{ code: 'feedback' }] })).statusCode,
        403,
        `${who} PUT`,
      );
      assert.equal(
        (await send(cookie, 'PATCH', '/api/v1/register', { add: [{ kind: 'subject', code: 'members' }] })).statusCode,
        403,
        `${who} PATCH`,
      );
      assert.equal(
        (await send(cookie, 'PUT', '/api/v1/register/retention', { contacts: { inactiveMonths: 1 } })).statusCode,
        403,
        `${who} retention`,
      );
    }
    assert.equal((await get(analyst)).statusCode, 403);
    assert.equal((await get(viewer)).statusCode, 403);
    // B's owner changes its register; A's stays as it was, and each reads only its own.
    await send(b.owner, 'PUT', '/api/v1/register', { dataSubjects: [{ code: 'members' }] });
    assert.equal((await reg(b.owner)).tenantId, b.id);
    assert.ok(!(await reg(a.owner)).dataSubjects.some((s) => s.code === 'members'));
    // The customer cannot use the operator's route; the operator reads any customer's register.
    assert.notEqual((await get(b.owner, `/api/v1/operator/tenants/${a.id}/register`)).statusCode, 200);
    const viaOp = await get(op, `/api/v1/operator/tenants/${a.id}/register`);
    assert.equal(viaOp.statusCode, 200, viaOp.body);
    assert.equal(viaOp.json().tenantId, a.id);
    assert.equal(
      (await get(op, '/api/v1/operator/tenants/00000000-0000-4000-8000-0000000000aa/register')).statusCode,
      404,
    );
    assert.equal((await get(op, '/api/v1/operator/tenants/nope/register')).statusCode, 404);
  });

  test('REG-2 a profile field or question of a category the register lacks is drift until the register covers it', async () => {
    const c = await customer();
    const f = await send(c.owner, 'POST', '/api/v1/profile-fields', {
      key: 'afdeling',
      type: 'choice',
      label: { nl: 'Afdeling', en: 'Department' },
      options: ['Zorg', 'Staf'],
      category: 'work.department',
    });
    assert.equal(f.statusCode, 201, f.body);
    assert.equal(f.json().category, 'work.department');
    let r = await reg(c.owner);
    assert.deepEqual(
      r.drift.map((d) => [d.category, d.source.kind, d.source.id]),
      [['work.department', 'profile_field', 'afdeling']],
    );
    assert.equal(r.categories.find((x) => x.code === 'work.department')!.inRegister, false);
    // The owner covers it: the drift is gone.
    r = (
      await send(c.owner, 'PATCH', '/api/v1/register', { add: [{ kind: 'category', code: 'work.department' }] })
    ).json();
    assert.deepEqual(r.drift, []);
    assert.deepEqual(
      r.categories.find((x) => x.code === 'work.department')!.derivedFrom.map((s) => s.id),
      ['afdeling'],
    );

    // A field created by a contact import (no category: profile.<key>) drifts too.
    const imp = await importCsv(t, c.owner, 'email;Regio\nan@example.nl;Noord\n');
    assert.equal(imp.statusCode, 200, imp.body);
    r = await reg(c.owner);
    assert.deepEqual(
      r.drift.map((d) => [d.category, d.source.id]),
      [['profile.regio', 'regio']],
    );
    // Changing the field's category moves the drift with it.
    await send(c.owner, 'PATCH', '/api/v1/profile-fields/regio', { category: 'work.location' });
    r = await reg(c.owner);
    assert.deepEqual(
      r.drift.map((d) => [d.category, d.source.id]),
      [['work.location', 'regio']],
    );

    // A question: a number question maps to answers.number, which the default register lacks.
    const s = await send(c.owner, 'POST', '/api/v1/surveys', {
      name: 'Bezoek',
      definition: {
        questions: [
          {
            id: 'score',
            type: 'nps',
            required: true,
            text: { nl: 'Zou u ons aanraden?', en: 'Would you recommend us?' },
          },
          {
            id: 'bezoeken',
            type: 'number',
            text: { nl: 'Hoe vaak kwam u dit jaar?', en: 'How often did you come this year?' },
          },
        ],
        invitation: { subject: { nl: 'Vraag', en: 'Question' }, body: { nl: 'Beste {naam}', en: 'Dear {name}' } },
        thanks: { nl: 'Dank', en: 'Thanks' },
      },
    });
    assert.equal(s.statusCode, 201, s.body);
    r = await reg(c.owner);
    const q = r.drift.find((d) => d.source.kind === 'question')!;
    assert.deepEqual([q.category, q.source.id, q.source.surveyId], ['answers.number', 'bezoeken', s.json().id]);

    // Removing a category that is stored makes it drift as well (the register cannot hide a column).
    const all = r.categories.filter((x) => x.inRegister && x.code !== 'contact.phone').map((x) => ({ code: x.code }));
    r = (
      await send(c.owner, 'PUT', '/api/v1/register', {
        categories: [...all, { code: 'work.location' }, { code: 'answers.number' }],
      })
    ).json();
    assert.deepEqual(
      r.drift.map((d) => [d.category, d.source.kind]),
      [['contact.phone', 'built_in']],
    );
  });

  test('REG-3 special categories are refused (422, naming the field or question) unless the agreement allows them', async () => {
    const c = await customer();
    const refused = async (res: Awaited<ReturnType<typeof send>>, pointer: string, category: string) => {
      assert.equal(res.statusCode, 422, res.body);
      const p = res.json();
      assert.equal(p.code, 'validation_failed');
      assert.ok(
        p.errors.some((e: { pointer: string; reason: string }) => e.pointer === pointer && e.reason.includes(category)),
        JSON.stringify(p.errors),
      );
    };
    // Named like one, or given one explicitly.
    await refused(
      await send(c.owner, 'POST', '/api/v1/profile-fields', {
        key: 'diagnose',
        type: 'text',
        label: { nl: 'Diagnose' },
      }),
      '/body',
      'special.health',
    );
    await refused(
      await send(c.owner, 'POST', '/api/v1/profile-fields', {
        key: 'kenmerk',
        type: 'text',
        label: { nl: 'Kenmerk' },
        category: 'special.religion',
      }),
      '/body/category',
      'special.religion',
    );
    // A harmless field renamed into one.
    assert.equal(
      (
        await send(c.owner, 'POST', '/api/v1/profile-fields', {
          key: 'notitie',
          type: 'text',
          label: { nl: 'Notitie', en: 'Note' },
        })
      ).statusCode,
      201,
    );
    await refused(
      await send(c.owner, 'PATCH', '/api/v1/profile-fields/notitie', { label: { nl: 'Geloofsovertuiging' } }),
      '/body',
      'special.religion',
    );
    // Or hidden in a choice field's options.
    await refused(
      await send(c.owner, 'POST', '/api/v1/profile-fields', {
        key: 'groep',
        type: 'choice',
        label: { nl: 'Groep' },
        options: ['Chronische ziekte', 'Geen'],
      }),
      '/body',
      'special.health',
    );
    // Smuggled in by a contact import (a column becomes a profile field) or by the contacts API.
    const imp = await importCsv(t, c.owner, 'email;BSN\nbert@example.nl;111222333\n');
    assert.equal(imp.statusCode, 422, imp.body);
    assert.ok(imp.body.includes('identifier.bsn'));
    const api = await send(c.owner, 'POST', '/api/v1/contacts', {
      email: 'bert@example.nl',
      profile: { vakbond: 'FNV' },
    });
    await refused(api, '/profile/vakbond', 'special.union');
    // A question asking for one, on creation or edited in later; or marked as one.
    const def = (why: string, extra: object = {}) => ({
      questions: [
        {
          id: 'score',
          type: 'enps',
          required: true,
          text: { nl: 'Zou je ons aanraden als werkgever?', en: 'Would you recommend us as an employer?' },
        },
        { id: 'q2', type: 'text', text: { nl: why, en: why }, ...extra },
      ],
      invitation: { subject: { nl: 'Vraag', en: 'Question' }, body: { nl: 'Beste {naam}', en: 'Dear {name}' } },
      thanks: { nl: 'Dank', en: 'Thanks' },
    });
    await refused(
      await send(c.owner, 'POST', '/api/v1/surveys', { name: 'MTO', definition: def('Welke medicatie gebruik je?') }),
      '/body/definition/questions/1',
      'special.health',
    );
    const ok = await send(c.owner, 'POST', '/api/v1/surveys', { name: 'MTO', definition: def('Wat kan beter?') });
    assert.equal(ok.statusCode, 201, ok.body);
    await refused(
      await send(c.owner, 'PUT', `/api/v1/surveys/${ok.json().id}`, { definition: def('Ben je lid van een vakbond?') }),
      '/body/definition/questions/1',
      'special.union',
    );
    await refused(
      await send(c.owner, 'PUT', `/api/v1/surveys/${ok.json().id}`, {
        definition: def('Wat kan beter?', { category: 'special.political' }),
      }),
      '/body/definition/questions/1/category',
      'special.political',
    );
    // And the register itself cannot list one.
    await refused(
      await send(c.owner, 'PATCH', '/api/v1/register', { add: [{ kind: 'category', code: 'special.health' }] }),
      '/add/0/code',
      'special.health',
    );
    // Nothing of it was stored.
    const fields = (await get(c.owner, '/api/v1/profile-fields'))
      .json()
      .fields.map((f: { key: string; label: { nl: string } }) => `${f.key}:${f.label.nl}`);
    assert.deepEqual(fields, ['notitie:Notitie']);
    assert.equal(
      (await get(c.owner, `/api/v1/surveys/${ok.json().id}`)).json().definition.questions[1].text.nl,
      'Wat kan beter?',
    );
    assert.equal((await get(c.owner, '/api/v1/contacts')).json().contacts?.length ?? 0, 0);
    const r0 = await reg(c.owner);
    assert.deepEqual([r0.special.categories, r0.drift.map((d) => d.category)], [[], ['profile.notitie']]);

    // The operator allows special categories in the agreement: the same field is accepted, shows as
    // special drift until the owner puts it in the register.
    const agr = await send(op, 'PUT', `/api/v1/operator/tenants/${c.id}/agreement`, { specialCategoriesAllowed: true });
    assert.equal(agr.statusCode, 200, agr.body);
    const f = await send(c.owner, 'POST', '/api/v1/profile-fields', {
      key: 'diagnose',
      type: 'text',
      label: { nl: 'Diagnose' },
    });
    assert.equal(f.statusCode, 201, f.body);
    assert.equal(f.json().category, 'special.health');
    let r = await reg(c.owner);
    assert.equal(r.special.allowed, true);
    assert.deepEqual(
      r.drift.map((d) => [d.category, d.special, d.source.id]),
      [
        ['special.health', true, 'diagnose'],
        ['profile.notitie', false, 'notitie'],
      ],
    );
    r = (
      await send(c.owner, 'PATCH', '/api/v1/register', { add: [{ kind: 'category', code: 'special.health' }] })
    ).json();
    assert.deepEqual(
      r.drift.map((d) => d.category),
      ['profile.notitie'],
    );
    assert.deepEqual(r.special.categories, ['special.health']);
    // A field given an innocent category keeps the special one its name says.
    assert.equal(
      (await send(c.owner, 'PATCH', '/api/v1/profile-fields/diagnose', { category: 'work.department' })).json()
        .category,
      'special.health',
    );
  });

  test('REG-3 free text that looks like a BSN, an IBAN or health data is counted per survey; the texts are never returned', async () => {
    const c = await customer();
    const texts = [
      'Mijn bsn is 111222333, kunt u dat aanpassen?',
      'Graag terugstorten op NL91ABNA0417164300 a.u.b.',
      'Door mijn chronische ziekte kon ik niet komen',
      'Prima service, dank!',
    ];
    const { surveyId } = await answeredSurvey(
      t,
      c.owner,
      c.id,
      texts.map((why, i) => ({ score: 6 + i, why })),
    );
    const res = await get(c.owner);
    assert.equal(res.statusCode, 200);
    const flags = (res.json() as Reg).special.freeText.find((f) => f.surveyId === surveyId)!;
    assert.deepEqual(
      { texts: flags.texts, bsn: flags.bsn, iban: flags.iban, health: flags.health },
      { texts: 4, bsn: 1, iban: 1, health: 1 },
    );
    for (const secret of ['111222333', 'NL91ABNA0417164300', 'chronische', 'Prima service'])
      assert.ok(!res.body.includes(secret), `${secret} not in the register`);
    // Read again: counted once, not twice.
    assert.deepEqual((await reg(c.owner)).special.freeText.find((f) => f.surveyId === surveyId)!.bsn, 1);
    // Annex 1 of the agreement shows the counts, not the texts.
    const annex = await t.ctx.db.tenant(c.id, (tx) => registerAnnex(tx, c.id, 'nl'));
    assert.equal(annex.title, 'Bijlage 1 – Register van verwerkingen');
    const flat = JSON.stringify(annex);
    assert.ok(
      annex.blocks.some((b) => b.kind === 'table' && b.head.includes('BSN') && b.rows.some((row) => row.includes('1'))),
      flat,
    );
    for (const secret of ['111222333', 'NL91ABNA0417164300', 'chronische']) assert.ok(!flat.includes(secret));
    const en = await t.ctx.db.tenant(c.id, (tx) => registerAnnex(tx, c.id, 'en'));
    assert.equal(en.title, 'Annex 1 – Register of processing');
    assert.ok(JSON.stringify(en).includes('Email address'));
  });

  test('REG-4 retention per survey with a controllable clock: nothing a day before, erased on the day, the results unchanged', async () => {
    const c = await customer();
    const { surveyId } = await answeredSurvey(
      t,
      c.owner,
      c.id,
      [{ score: 9, why: 'Mijn bsn is 111222333' }, { score: 3, why: 'Te lang gewacht' }, { score: 10 }],
      'Poli',
    );
    const other = await answeredSurvey(t, c.owner, c.id, [{ score: 8, why: 'Goed' }], 'Andere');
    const set = await send(c.owner, 'PUT', '/api/v1/register/retention', {
      surveys: [
        { surveyId, monthsAfterClose: 6 },
        { surveyId: other.surveyId, monthsAfterClose: 1 },
      ],
    });
    assert.equal(set.statusCode, 200, set.body);
    // Open: the clock has not started, whatever the date.
    assert.equal((await applyRetention(t.ctx, new Date(Date.now() + 10 * 365 * 86_400_000))).surveys, 0);
    assert.equal((await send(c.owner, 'POST', `/api/v1/surveys/${surveyId}/close`, {})).statusCode, 200);
    const r = await reg(c.owner);
    const ret = r.retention.surveys.find((s) => s.surveyId === surveyId)!;
    assert.ok(ret.closedAt && ret.dueAt);
    const closed = new Date(ret.closedAt);
    const due = new Date(closed);
    due.setUTCMonth(due.getUTCMonth() + 6);
    assert.ok(
      Math.abs(new Date(ret.dueAt).getTime() - due.getTime()) < 3 * 86_400_000,
      'due about six months after closing',
    );
    const dueAt = new Date(ret.dueAt);
    const results = async () => {
      const res = await get(c.owner, `/api/v1/surveys/${surveyId}/results`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const before = await results();
    assert.equal(before.comments.length, 2);
    const linked = () =>
      t.ctx.db.tenant(c.id, (tx) =>
        tx
          .selectFrom('responses')
          .select(['contact_id', 'invitation_id', 'answers_enc'])
          .where('survey_id', '=', surveyId)
          .execute(),
      );

    // Suspended (AGR-6: nothing is deleted), nothing happens even when due; resumed, the job catches up below.
    assert.equal(
      (await send(op, 'POST', `/api/v1/operator/tenants/${c.id}/suspend`, { reason: 'Factuur onbetaald' })).statusCode,
      200,
    );
    assert.equal((await applyRetention(t.ctx, new Date(dueAt.getTime() + 86_400_000))).surveys, 0);
    assert.ok((await linked()).every((x) => x.contact_id && x.invitation_id));
    assert.equal(
      (await send(op, 'POST', `/api/v1/operator/tenants/${c.id}/resume`, { reason: 'Betaald' })).statusCode,
      200,
    );
    c.owner = await signIn(t, c.email, PASSWORD);

    // A day before: nothing.
    const dayBefore = await applyRetention(t.ctx, new Date(dueAt.getTime() - 86_400_000));
    assert.equal(dayBefore.surveys, 0);
    assert.ok((await linked()).every((x) => x.contact_id && x.invitation_id));

    // On the day: the free text and the link to persons are gone.
    const onDay = await applyRetention(t.ctx, dueAt);
    assert.deepEqual([onDay.surveys, onDay.responses, onDay.invitations], [1, 3, 3]);
    const keys = await t.ctx.keyring.forTenant(c.id);
    for (const x of await linked()) {
      assert.deepEqual([x.contact_id, x.invitation_id], [null, null]);
      const sealed = keys.openJson<{ why: string | null; score: number }>(x.answers_enc);
      assert.equal(sealed.why, null);
      assert.ok(!JSON.stringify(sealed).includes('111222333'));
    }
    const invitations = await t.ctx.db.tenant(c.id, (tx) =>
      tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).execute(),
    );
    assert.equal(invitations.length, 0);
    // The aggregates are what they were.
    const afterwards = await results();
    for (const k of [
      'invited',
      'responses',
      'responseRate',
      'keyScore',
      'nps',
      'promoters',
      'passives',
      'detractors',
      'scores',
      'trend',
    ] as const)
      assert.deepEqual(afterwards[k], before[k], k);
    // Every closed question too; the open questions' comments (issue 12: per question) are gone with the text.
    const closedOnes = (qs: Array<{ type: string }>) => qs.filter((q) => q.type !== 'text');
    assert.deepEqual(closedOnes(afterwards.questions), closedOnes(before.questions));
    const textCounts = (qs: Array<{ type: string; comments?: { count: number } }>) =>
      qs.filter((q) => q.type === 'text').map((q) => q.comments!.count);
    assert.deepEqual(textCounts(before.questions), [2], 'two comments before');
    for (const q of afterwards.questions.filter((x: { type: string }) => x.type === 'text')) {
      assert.deepEqual(q.comments.items, []);
      // Issue 17: the mark that an open question was answered goes with the text, so none are counted.
      assert.deepEqual([q.comments.count, q.answered], [0, 0]);
    }
    const marks = await t.ctx.db.tenant(c.id, (tx) =>
      tx
        .selectFrom('responses')
        .select('answers')
        .where('survey_id', '=', surveyId)
        .where(sql<boolean>`answers ? 'why'`)
        .execute(),
    );
    assert.equal(marks.length, 0);
    assert.deepEqual(afterwards.comments, []);
    // The other survey is still open, so untouched; the contacts are kept (a survey's retention unlinks, it does not delete people).
    assert.equal(
      (
        await t.ctx.db.tenant(c.id, (tx) =>
          tx
            .selectFrom('responses')
            .select('contact_id')
            .where('survey_id', '=', other.surveyId)
            .executeTakeFirstOrThrow(),
        )
      ).contact_id !== null,
      true,
    );
    // One audit row, counts only.
    const rows = await auditRows(c.id, 'retention.applied');
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]!.actor_kind, rows[0]!.subject_kind, rows[0]!.subject_id], ['system', 'survey', surveyId]);
    const d = rows[0]!.details as Record<string, unknown>;
    assert.deepEqual([d.scope, d.responses, d.invitations, d.texts], ['survey', 3, 3, 2]);
    assert.ok(!JSON.stringify(d).includes('111222333') && !JSON.stringify(d).includes('gewacht'));
    // Done once: a later run erases nothing more, and the register says when.
    assert.equal((await applyRetention(t.ctx, new Date(dueAt.getTime() + 30 * 86_400_000))).surveys, 0);
    assert.ok((await reg(c.owner)).retention.surveys.find((s) => s.surveyId === surveyId)!.erasedAt);
    assert.equal(
      (await send(c.owner, 'PUT', '/api/v1/register/retention', { surveys: [{ surveyId, monthsAfterClose: 12 }] }))
        .statusCode,
      409,
    );
  });

  test('REG-4 retention of contacts: inactive contacts are erased by the contact deletion, their addresses stay suppressed', async () => {
    const c = await customer();
    for (const email of ['oud@example.nl', 'nieuw@example.nl'])
      assert.equal((await send(c.owner, 'POST', '/api/v1/contacts', { email, firstName: 'X' })).statusCode, 201);
    // The old one was last touched two years ago.
    await t.ctx.db.handle.kysely
      .updateTable('contacts')
      .set({ created_at: new Date(Date.now() - 730 * 86_400_000), updated_at: new Date(Date.now() - 730 * 86_400_000) })
      .where('tenant_id', '=', c.id)
      .where('email_hmac', '=', (await t.ctx.keyring.forTenant(c.id)).emailIndex('oud@example.nl'))
      .execute();
    assert.equal(
      (await send(c.owner, 'PUT', '/api/v1/register/retention', { contacts: { inactiveMonths: 12 } })).json().retention
        .contacts.inactiveMonths,
      12,
    );
    const emails = async () =>
      (await get(c.owner, '/api/v1/contacts'))
        .json()
        .contacts.map((x: { email: string }) => x.email)
        .sort();
    const now = new Date();
    assert.equal((await applyRetention(t.ctx, now)).contacts, 1);
    assert.deepEqual(await emails(), ['nieuw@example.nl']);
    const keys = await t.ctx.keyring.forTenant(c.id);
    const sup = await t.ctx.db.tenant(c.id, (tx) =>
      tx
        .selectFrom('suppressions')
        .select(['reason', 'email_enc'])
        .where('email_hmac', '=', keys.emailIndex('oud@example.nl'))
        .executeTakeFirst(),
    );
    assert.deepEqual(sup, { reason: 'erased', email_enc: null });
    // The new one: kept a day before its twelve months, erased after.
    const twelve = new Date(now);
    twelve.setUTCMonth(twelve.getUTCMonth() + 12);
    assert.equal((await applyRetention(t.ctx, new Date(twelve.getTime() - 86_400_000))).contacts, 0);
    assert.deepEqual(await emails(), ['nieuw@example.nl']);
    assert.equal((await applyRetention(t.ctx, new Date(twelve.getTime() + 86_400_000))).contacts, 1);
    assert.deepEqual(await emails(), []);
    const rows = await auditRows(c.id, 'retention.applied');
    assert.deepEqual(
      rows.map((x) => (x.details as { scope: string; contacts: number }).contacts),
      [1, 1],
    );
    assert.ok(!JSON.stringify(rows).includes('example.nl'));
    // Imported again, the address is still suppressed: no invitation.
    assert.equal((await send(c.owner, 'POST', '/api/v1/contacts', { email: 'oud@example.nl' })).statusCode, 201);
    const s = (await send(c.owner, 'POST', '/api/v1/surveys', { name: 'Na' })).json();
    const d = await send(c.owner, 'POST', `/api/v1/surveys/${s.id}/distributions`, { all: true });
    assert.equal(d.statusCode, 202, d.body);
    assert.equal(d.json().invited, 0);
  });
});
