import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import {
  addColleague,
  eventually,
  OPERATOR,
  operatorCookie,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { answeredSurvey } from '../../../test/respondents.js';
import { assertBothLanguages } from '../../../test/mail-catalogue.js';
import { runLabelling, sweep } from './run.js';

interface Comment {
  id: string;
  comment: string;
  labels: string[];
  sentiment: string | null;
  labelSource: string | null;
}
interface LabelCount {
  id: string;
  name: { nl: string; en: string };
  retired: boolean;
  count: number;
  sentiment: Record<string, number>;
}

describe(`the labelling module over HTTP (${process.env.PEIL_TEST_DATABASE_URL ? 'postgresql' : 'pglite'})`, () => {
  let t: TestApp;
  let tenantId: string;
  let owner: string;
  let admin: string;
  let analyst: string;
  let viewer: string;
  let surveyId: string;
  let responseIds: string[];

  const colleague = (email: string, role: 'admin' | 'analyst' | 'viewer'): Promise<string> =>
    addColleague(t, owner, email, role);

  async function outbox(): Promise<Array<{ to: string; kind: string; subject: string; text: string }>> {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/outbox?limit=200', headers: { cookie: owner } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().messages;
  }
  const state = async (cookie = owner) =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/labelling', headers: { cookie } })).json();
  const results = async (sid = surveyId, query = '') => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${sid}/results${query}`,
      headers: { cookie: owner },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as {
      comments: Comment[];
      labelling: {
        enabled: boolean;
        labelled: number;
        sentiment: { positive: number; negative: number; neutral: number; mixed: number };
        labels: LabelCount[];
      };
    };
  };
  /** Reads results (which asks for a run) until `n` answers with text of the survey are labelled. */
  const labelled = (n: number, sid = surveyId) =>
    eventually(
      async () => {
        const r = await results(sid);
        return r.labelling.labelled >= n ? r : null;
      },
      30_000,
      `${n} labelled answers`,
    );
  const comment = (r: { comments: Comment[] }, id: string) => r.comments.find((c) => c.id === id)!;

  before(async () => {
    // No periodic sweep: each run in these tests is asked for by a route.
    t = await startTestApp({ LABELLING_SWEEP_SECONDS: '0', LABELLING_DEFAULT_MONTHLY_QUOTA: '1000' });
    ({ tenantId, ownerCookie: owner } = await setUp(t));
    admin = await colleague('admin@zorg.test', 'admin');
    analyst = await colleague('analyst@zorg.test', 'analyst');
    viewer = await colleague('viewer@zorg.test', 'viewer');
    ({ surveyId, responseIds } = await answeredSurvey(t, owner, tenantId, [
      { score: 3, why: 'We moesten heel lang wachten voordat we geholpen werden.' },
      { score: 10, why: 'Vriendelijk personeel, echt top!' },
      { score: 5, why: 'Veel te duur voor wat je krijgt.' },
      { score: 4, why: 'De wachttijd aan de telefoon was veel te lang.' },
      { score: 6, why: 'Geen plek voor de auto, ik moest drie rondjes om het blok rijden.' },
      { score: 8 },
    ]));
  });
  after(() => t.close());

  test('AI-1 the module is off by default: the state says so, shows the terms, and nothing is labelled', async () => {
    const s = await state();
    assert.equal(s.enabled, false);
    assert.equal(s.active, false);
    assert.equal(s.status, 'off');
    assert.equal(s.acceptance, null);
    assert.match(s.terms.text.nl, /subverwerker/);
    assert.match(s.terms.text.en, /sub-processor/);
    assert.equal(s.externalProvider.configured, false);
    const run = await runLabelling(t.ctx, tenantId);
    assert.equal(run.skipped, 'off');
    const r = await results();
    assert.equal(r.labelling.enabled, false);
    assert.equal(r.labelling.labelled, 0);
    assert.ok(r.comments.every((c) => c.labels.length === 0 && c.sentiment === null));
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM response_labelling`.execute(
      t.ctx.db.handle.kysely,
    );
    assert.equal(rows[0]!.n, 0);
  });

  test('the OpenAPI description lists the labelling routes with their schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const [path, method] of [
      ['/api/v1/labelling', 'get'],
      ['/api/v1/labelling/activate', 'post'],
      ['/api/v1/labelling/deactivate', 'post'],
      ['/api/v1/labels', 'post'],
      ['/api/v1/labels/{id}', 'patch'],
      ['/api/v1/responses/{id}/labels', 'put'],
      ['/api/v1/operator/labelling', 'put'],
      ['/api/v1/operator/tenants/{tenantId}/labelling', 'put'],
    ] as const) {
      assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is described`);
    }
    const results = doc.paths['/api/v1/surveys/{id}/results'].get;
    assert.ok(results.parameters.some((p: { name: string }) => p.name === 'label'));
    assert.ok(results.responses['200'].content['application/json'].schema.properties.labelling);
  });

  test('AI-1 only the owner can switch it on, after accepting the current terms; who, when, version and hash are recorded with an audit row', async () => {
    const s = await state();
    const body = { termsVersion: s.terms.version, acceptTerms: true };
    for (const cookie of [admin, analyst, viewer]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/labelling/activate',
        headers: { cookie },
        payload: body,
      });
      assert.equal(res.statusCode, 403, res.body);
    }
    const notAccepted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/labelling/activate',
      headers: { cookie: owner },
      payload: { ...body, acceptTerms: false },
    });
    assert.equal(notAccepted.statusCode, 422);
    const oldTerms = await t.app.inject({
      method: 'POST',
      url: '/api/v1/labelling/activate',
      headers: { cookie: owner },
      payload: { ...body, termsVersion: '2000-01' },
    });
    assert.equal(oldTerms.statusCode, 409);
    assert.equal(oldTerms.json().currentVersion, s.terms.version);
    assert.equal((await state()).enabled, false, 'refused attempts change nothing');

    const started = Date.now();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/labelling/activate',
      headers: { cookie: owner },
      payload: body,
    });
    assert.equal(res.statusCode, 200, res.body);
    const on = res.json();
    assert.equal(on.enabled, true);
    assert.equal(on.status, 'active');
    assert.equal(on.allowExternalProvider, false, 'the external provider is not allowed unless asked for');
    const hash = createHash('sha256')
      .update(JSON.stringify({ version: s.terms.version, nl: s.terms.text.nl, en: s.terms.text.en }))
      .digest('hex');
    assert.equal(on.terms.hash, hash);
    assert.equal(on.acceptance.termsVersion, s.terms.version);
    assert.equal(on.acceptance.termsHash, hash);
    assert.equal(on.acceptance.acceptedBy.name, 'Otto Owner');
    assert.ok(Date.parse(on.acceptance.acceptedAt) >= started - 1000);
    assert.equal(on.acceptance.current, true);

    const kept = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('labelling_terms_acceptances').selectAll().execute(),
    );
    assert.equal(kept.length, 1);
    assert.equal(kept[0]!.accepted_by, on.acceptance.acceptedBy.id);
    assert.equal(kept[0]!.terms_hash, hash);
    const auditRows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('audit_events').selectAll().where('action', '=', 'labelling.activated').execute(),
    );
    assert.equal(auditRows.length, 1);
    assert.equal(auditRows[0]!.actor_id, on.acceptance.acceptedBy.id);
    assert.deepEqual(auditRows[0]!.details, {
      termsVersion: s.terms.version,
      termsHash: hash,
      allowExternalProvider: false,
      taxonomy: 'customer',
    });
  });

  test('AI-5 with no external provider configured, stored answers get labels and sentiment from the built-in labeller', async () => {
    const r = await labelled(5);
    assert.equal(r.labelling.labelled, 5, 'the answer without text is not counted');
    const wait = comment(r, responseIds[0]!);
    assert.ok(wait.labels.includes('waiting_time'), JSON.stringify(wait));
    assert.equal(wait.sentiment, 'negative');
    assert.equal(wait.labelSource, 'model');
    const staff = comment(r, responseIds[1]!);
    assert.deepEqual([staff.labels, staff.sentiment], [['staff'], 'positive']);
    assert.ok(comment(r, responseIds[2]!).labels.includes('price'));
    const s = await state();
    assert.equal(s.quota.used, 5);
    assert.equal(s.quota.external, 0);
    const runs = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('audit_events').select('details').where('action', '=', 'labelling.run').execute(),
    );
    assert.equal(
      runs.reduce((n, a) => n + Number(a.details.labelled), 0),
      5,
    );
    assert.ok(runs.every((a) => a.details.external === 0));
  });

  test('ACC-6 the sweep reads the module settings across customers and nothing else', async () => {
    assert.equal(await sweep(t.ctx), 1, 'one customer has the module on');
    const seen = await t.ctx.db.crossTenant('labelling', async (tx) => ({
      responses: (await tx.selectFrom('responses').select('id').execute()).length,
      labels: (await tx.selectFrom('response_labels').select('label_id').execute()).length,
      corrections: (await tx.selectFrom('label_corrections').select('response_id').execute()).length,
      settings: (await tx.selectFrom('labelling_settings').select('tenant_id').execute()).length,
    }));
    assert.deepEqual(seen, { responses: 0, labels: 0, corrections: 0, settings: 1 });
    await assert.rejects(
      t.ctx.db.crossTenant('labelling', (tx) =>
        tx
          .updateTable('labelling_settings')
          .set({ enabled: false })
          .execute()
          .then((r) => {
            if (Number(r[0]?.numUpdatedRows ?? 0) === 0) throw new Error('no rows: read only');
          }),
      ),
      /read only|row-level security/,
    );
  });

  test('labels in results: counts and sentiment per label beside the score, and comments filtered by label', async () => {
    const r = await results();
    const waiting = r.labelling.labels.find((l) => l.id === 'waiting_time')!;
    assert.equal(waiting.count, 2);
    assert.equal(waiting.sentiment.negative, 2);
    assert.deepEqual(waiting.name, { nl: 'Wachttijd', en: 'Waiting time' });
    assert.equal(r.labelling.labels.find((l) => l.id === 'staff')!.sentiment.positive, 1);
    assert.equal(
      r.labelling.sentiment.positive +
        r.labelling.sentiment.negative +
        r.labelling.sentiment.neutral +
        r.labelling.sentiment.mixed,
      5,
    );
    assert.deepEqual(
      r.labelling.labels.map((l) => l.count),
      [...r.labelling.labels.map((l) => l.count)].sort((a, b) => b - a),
      'most answers first',
    );

    const filtered = await results(surveyId, '?label=waiting_time');
    assert.deepEqual(filtered.comments.map((c) => c.id).sort(), [responseIds[0], responseIds[3]].sort());
    assert.ok(filtered.comments.every((c) => c.labels.includes('waiting_time')));
    assert.equal((await results(surveyId, '?label=no_such_label')).comments.length, 0);
    assert.equal(
      filtered.labelling.labels.length,
      r.labelling.labels.length,
      'the filter narrows the comments, not the counts',
    );
  });

  test('AI-2 a correction wins over the model, is kept encrypted, and changes the model’s answer on a similar new text', async () => {
    const parking = responseIds[4]!;
    assert.ok(
      !comment(await results(), parking).labels.includes('reachability'),
      'the model did not see reachability here',
    );
    const denied = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${parking}/labels`,
      headers: { cookie: viewer },
      payload: { labels: ['reachability'], sentiment: 'negative' },
    });
    assert.equal(denied.statusCode, 403);
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${parking}/labels`,
      headers: { cookie: analyst },
      payload: { labels: ['reachability', 'nonsense'], sentiment: 'negative' },
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().errors[0].pointer, '/labels/1');

    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${parking}/labels`,
      headers: { cookie: analyst },
      payload: { labels: ['reachability'], sentiment: 'negative' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      responseId: parking,
      questionId: 'why',
      labelSet: 'customer',
      labels: ['reachability'],
      sentiment: 'negative',
      labelSource: 'human',
    });
    const after1 = comment(await results(), parking);
    assert.deepEqual([after1.labels, after1.sentiment, after1.labelSource], [['reachability'], 'negative', 'human']);

    // Kept: a training example whose text is encrypted with the customer's key.
    const { rows } = await sql<{ row: string }>`SELECT row_to_json(c)::text AS row FROM label_corrections c`.execute(
      t.ctx.db.handle.kysely,
    );
    assert.equal(rows.length, 1);
    assert.ok(!rows[0]!.row.toLowerCase().includes('rondjes'), 'no clear text in label_corrections');
    const auditRow = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'labels.corrected')
        .executeTakeFirstOrThrow(),
    );
    assert.deepEqual(
      (auditRow.details.before as { source: string }).source,
      'model',
      'the audit row says what the model had given',
    );

    // A similar new answer: the retrained model (in the background) gives the human's answer.
    const next = await answeredSurvey(
      t,
      owner,
      tenantId,
      [{ score: 5, why: 'Weer geen plek voor de auto, ik moest drie rondjes om het blok rijden.' }],
      'Tweede meting',
    );
    const r2 = await labelled(1, next.surveyId);
    const similar = comment(r2, next.responseIds[0]!);
    assert.deepEqual([similar.labels, similar.sentiment, similar.labelSource], [['reachability'], 'negative', 'model']);

    // Human labels always win: later runs leave the corrected answer alone.
    await runLabelling(t.ctx, tenantId);
    assert.equal(comment(await results(), parking).labelSource, 'human');
  });

  test('DSR-2 an erased answer takes its labels and its correction with it, and the model is retrained without it', async () => {
    const {
      responseIds: [id],
    } = await answeredSurvey(
      t,
      owner,
      tenantId,
      [{ score: 4, why: 'De koffie in de wachtkamer was koud.' }],
      'Te wissen',
    );
    const fix = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${id}/labels`,
      headers: { cookie: owner },
      payload: { labels: ['ambience'], sentiment: 'negative' },
    });
    assert.equal(fix.statusCode, 200, fix.body);
    const version = () =>
      t.ctx.db.tenant(
        tenantId,
        async (tx) =>
          (await tx.selectFrom('labelling_settings').select('model_version').executeTakeFirstOrThrow()).model_version,
      );
    const before = await version();
    await t.ctx.db.tenant(tenantId, (tx) => tx.deleteFrom('responses').where('id', '=', id!).execute());
    assert.equal(await version(), before + 1);
    const left = await t.ctx.db.tenant(tenantId, async (tx) => ({
      corrections: (
        await tx.selectFrom('label_corrections').select('response_id').where('response_id', '=', id!).execute()
      ).length,
      labels: (await tx.selectFrom('response_labels').select('label_id').where('response_id', '=', id!).execute())
        .length,
      labelling: (
        await tx.selectFrom('response_labelling').select('response_id').where('response_id', '=', id!).execute()
      ).length,
    }));
    assert.deepEqual(left, { corrections: 0, labels: 0, labelling: 0 });
  });

  test('taxonomy: the customer renames, adds and retires labels; a retired label keeps its history in the results', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/labels', headers: { cookie: viewer } });
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().taxonomy, 'customer');
    assert.equal(list.json().labels.length, 10);
    assert.equal(
      (
        await t.app.inject({
          method: 'PATCH',
          url: '/api/v1/labels/waiting_time',
          headers: { cookie: analyst },
          payload: { name: { nl: 'Wachten' } },
        })
      ).statusCode,
      403,
    );

    const renamed = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/labels/waiting_time',
      headers: { cookie: admin },
      payload: { name: { nl: 'Wachten op hulp' } },
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.deepEqual(renamed.json().name, { nl: 'Wachten op hulp', en: 'Waiting time' });
    assert.equal(
      (await results()).labelling.labels.find((l) => l.id === 'waiting_time')!.name.nl,
      'Wachten op hulp',
      'same id, new name',
    );

    const added = await t.app.inject({
      method: 'POST',
      url: '/api/v1/labels',
      headers: { cookie: admin },
      payload: {
        name: { nl: 'Parkeren', en: 'Parking' },
        definition: { nl: 'Parkeerplaatsen en parkeerkosten.', en: 'Parking spaces and parking fees.' },
      },
    });
    assert.equal(added.statusCode, 201, added.body);
    assert.equal(added.json().id, 'parking');
    assert.equal(added.json().standard, false);
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/labels',
      headers: { cookie: admin },
      payload: { id: 'parking', name: { nl: 'P', en: 'P' } },
    });
    assert.equal(dup.statusCode, 409);

    const parking = responseIds[4]!;
    const corrected = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${parking}/labels`,
      headers: { cookie: analyst },
      payload: { labels: ['parking', 'reachability'], sentiment: 'negative' },
    });
    assert.equal(corrected.statusCode, 200, corrected.body);
    assert.equal((await results()).labelling.labels.find((l) => l.id === 'parking')!.count, 1);

    const retired = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/labels/parking',
      headers: { cookie: owner },
      payload: { retired: true },
    });
    assert.equal(retired.statusCode, 200);
    assert.equal(retired.json().status, 'retired');
    const r = await results();
    const history = r.labelling.labels.find((l) => l.id === 'parking')!;
    assert.deepEqual([history.retired, history.count], [true, 1], 'the retired label keeps its answers');
    assert.ok(comment(r, parking).labels.includes('parking'));
    assert.equal((await results(surveyId, '?label=parking')).comments.length, 1);
    const refused = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${responseIds[0]}/labels`,
      headers: { cookie: analyst },
      payload: { labels: ['parking'], sentiment: 'negative' },
    });
    assert.equal(refused.statusCode, 422, 'a retired label is given to no new answer');
  });

  test('tenant isolation: another customer cannot read or correct these answers (404), and sees none of these labels', async () => {
    const op = await operatorCookie(t);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: {
        name: 'Andere Klant',
        slug: 'andere-klant',
        owner: { email: 'eigenaar@andere.test', name: 'Anders', password: 'Appelboom-Regen-31' },
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const other = await signIn(t, 'eigenaar@andere.test', 'Appelboom-Regen-31');
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${responseIds[0]}/labels`,
      headers: { cookie: other },
      payload: { labels: ['price'], sentiment: 'positive' },
    });
    assert.equal(res.statusCode, 404);
    assert.equal(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/responses/not-a-uuid/labels',
          headers: { cookie: other },
          payload: { labels: [], sentiment: 'neutral' },
        })
      ).statusCode,
      404,
    );
    assert.equal(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/surveys/${surveyId}/results?label=waiting_time`,
          headers: { cookie: other },
        })
      ).statusCode,
      404,
    );
    const theirs = await t.app.inject({ method: 'GET', url: '/api/v1/labelling', headers: { cookie: other } });
    assert.equal(theirs.json().enabled, false, 'activation is per customer');
    const labels = await t.app.inject({ method: 'GET', url: '/api/v1/labels', headers: { cookie: other } });
    assert.equal(labels.json().stored, false);
    assert.ok(!labels.json().labels.some((l: { id: string }) => l.id === 'parking'));
    assert.equal(
      comment(await results(), responseIds[0]!).labelSource,
      'model',
      'the first customer’s answer is untouched',
    );
  });

  test('AI-4 the quota stops labelling, is recorded, and the customer is told', async () => {
    const op = await operatorCookie(t);
    const used = (await state()).quota.used;
    assert.equal(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/operator/tenants/${tenantId}/labelling`,
          headers: { cookie: owner },
          payload: { monthlyQuota: 1 },
        })
      ).statusCode,
      401,
      'customers cannot set their own quota',
    );
    const set = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/operator/tenants/${tenantId}/labelling`,
      headers: { cookie: op },
      payload: { monthlyQuota: used + 1, reason: 'proefperiode' },
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().monthlyQuota, used + 1);
    const quotaMail = await eventually(
      async () =>
        (await outbox()).find(
          (m) => m.kind === 'labelling-notice' && /maandlimiet/.test(m.subject) && m.text.includes(String(used + 1)),
        ),
      20_000,
      'quota notice',
    );
    // Issue 14: the notice's words are mails:labelling.*, Dutch first, English beside it.
    assertBothLanguages(quotaMail.subject, 'mails:labelling.quotaSetSubject');
    assertBothLanguages(quotaMail.text, 'mails:labelling.quotaSet', { quota: used + 1 });
    assertBothLanguages(quotaMail.text, 'mails:labelling.reason', { reason: 'proefperiode' });

    const more = await answeredSurvey(
      t,
      owner,
      tenantId,
      [
        { score: 2, why: 'Veel te duur.' },
        { score: 9, why: 'Heel vriendelijke medewerkers.' },
        { score: 7, why: 'De website is onduidelijk.' },
      ],
      'Derde meting',
    );
    const s = await eventually(
      async () => {
        await results(more.surveyId);
        const st = await state();
        return st.status === 'quota_reached' && st.quota.reachedAt ? st : null;
      },
      30_000,
      'quota reached',
    );
    assert.equal(s.quota.used, used + 1);
    assert.equal(s.quota.remaining, 0);
    assert.equal(s.active, false);
    assert.equal(
      (await results(more.surveyId)).labelling.labelled,
      1,
      'one answer labelled, then the quota stopped it',
    );
    const mail = await eventually(
      async () => (await outbox()).find((m) => m.kind === 'labelling-notice' && /bereikt/.test(m.subject)),
      20_000,
      'quota reached notice',
    );
    assert.equal(mail.to, 'owner@zorg.test');
    assertBothLanguages(mail.subject, 'mails:labelling.quotaReachedSubject');
    const recorded = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('audit_events')
        .select('action')
        .where('action', 'in', ['labelling.quota_reached', 'labelling.quota_set'])
        .execute(),
    );
    assert.deepEqual(recorded.map((a) => a.action).sort(), ['labelling.quota_reached', 'labelling.quota_set']);

    // A higher quota lets the run finish the rest.
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/operator/tenants/${tenantId}/labelling`,
      headers: { cookie: op },
      payload: { monthlyQuota: null },
    });
    await labelled(3, more.surveyId);
  });

  test('AI-4 the operator switches the module off for one customer or for all; the customer is told and sees it, and nothing more is labelled', async () => {
    const op = await operatorCookie(t);
    const blocked = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/operator/tenants/${tenantId}/labelling`,
      headers: { cookie: op },
      payload: { blocked: true, reason: 'misbruik onderzocht' },
    });
    assert.equal(blocked.statusCode, 200, blocked.body);
    const s = await state(viewer);
    assert.deepEqual(
      [s.status, s.active, s.enabled, s.operator.blocked, s.operator.reason],
      ['blocked_by_operator', false, true, true, 'misbruik onderzocht'],
    );
    const mail = await eventually(
      async () => (await outbox()).find((m) => m.kind === 'labelling-notice' && /uitgezet door Peil/.test(m.subject)),
      20_000,
      'block notice',
    );
    assert.match(mail.text, /misbruik onderzocht/);
    assertBothLanguages(mail.subject, 'mails:labelling.blockedSubject');
    assertBothLanguages(mail.text, 'mails:labelling.blocked');
    assertBothLanguages(mail.text, 'mails:labelling.reason', { reason: 'misbruik onderzocht' });
    const late = await answeredSurvey(
      t,
      owner,
      tenantId,
      [{ score: 1, why: 'Niemand nam de telefoon op.' }],
      'Vierde meting',
    );
    assert.equal((await runLabelling(t.ctx, tenantId)).skipped, 'blocked_by_operator');
    assert.equal((await results(late.surveyId)).labelling.labelled, 0);
    const reactivate = await t.app.inject({
      method: 'POST',
      url: '/api/v1/labelling/activate',
      headers: { cookie: owner },
      payload: { termsVersion: s.terms.version, acceptTerms: true },
    });
    assert.equal(reactivate.statusCode, 409, 'the customer cannot override the operator');

    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/operator/tenants/${tenantId}/labelling`,
      headers: { cookie: op },
      payload: { blocked: false },
    });
    const off = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/operator/labelling',
      headers: { cookie: op },
      payload: { enabled: false, reason: 'storing bij de leverancier' },
    });
    assert.equal(off.statusCode, 200, off.body);
    assert.equal((await state()).status, 'switched_off_for_all');
    const global = await eventually(
      async () => (await outbox()).find((m) => /voor alle klanten uitgezet/.test(m.text)),
      20_000,
      'global notice',
    );
    assertBothLanguages(global.subject, 'mails:labelling.offForAllSubject');
    assertBothLanguages(global.text, 'mails:labelling.offForAll');
    assertBothLanguages(global.text, 'mails:labelling.reason', { reason: 'storing bij de leverancier' });
    assert.equal((await runLabelling(t.ctx, tenantId)).skipped, 'switched_off_for_all');
    const overview = await t.app.inject({ method: 'GET', url: '/api/v1/operator/labelling', headers: { cookie: op } });
    assert.equal(overview.statusCode, 200);
    assert.equal(overview.json().global.enabled, false);
    const me = overview.json().tenants.find((x: { tenantId: string }) => x.tenantId === tenantId);
    assert.equal(me.enabled, true);
    assert.ok(me.used > 0);
    const sys = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM system_audit_events WHERE action = 'labelling.global_switch' AND actor_id = (SELECT id FROM operators WHERE email = ${OPERATOR.email})`.execute(
      t.ctx.db.handle.kysely,
    );
    assert.equal(sys.rows[0]!.n, 1);

    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/operator/labelling',
      headers: { cookie: op },
      payload: { enabled: true },
    });
    await labelled(1, late.surveyId);

    // The owner can switch it off too; the labels stay in the results.
    const deactivated = await t.app.inject({
      method: 'POST',
      url: '/api/v1/labelling/deactivate',
      headers: { cookie: owner },
    });
    assert.equal(deactivated.json().status, 'off');
    assert.ok((await results()).labelling.labels.some((l) => l.count > 0));
  });
});
