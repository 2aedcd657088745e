import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { signedRowToken } from '../../lib/tokens.js';
import { eventually, importCsv, setUp, signIn, startTestApp, type TestApp } from '../../../test/harness.js';
import { postStep } from '../../../test/respondents.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const enc = (o: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
};
const L = (nl: string, en: string) => ({ nl, en });

/** A questionnaire with every question type, three pages and conditions. */
export const fullDefinition = {
  questions: [
    { id: 'score', type: 'nps', required: true, text: L('Zou je ons aanbevelen?', 'Would you recommend us?') },
    { id: 'why', type: 'text', required: false, maxLength: 500, text: L('Waarom?', 'Why?') },
    {
      id: 'problem',
      type: 'single',
      required: true,
      newPage: true,
      text: L('Wat ging er mis?', 'What went wrong?'),
      showIf: { question: 'score', op: 'lte', value: 6 },
      options: [
        { value: 'wachttijd', label: L('Wachttijd', 'Waiting time') },
        { value: 'prijs', label: L('Prijs', 'Price') },
      ],
    },
    {
      id: 'channels',
      type: 'multiple',
      required: false,
      text: L('Hoe had je contact?', 'How did you contact us?'),
      options: [
        { value: 'telefoon', label: L('Telefoon', 'Phone') },
        { value: 'mail', label: L('E-mail', 'Email') },
        { value: 'balie', label: L('Balie', 'Desk') },
      ],
    },
    { id: 'csat', type: 'csat', required: false, text: L('Hoe tevreden ben je?', 'How satisfied are you?') },
    {
      id: 'effort',
      type: 'ces',
      required: false,
      text: L('Hoeveel moeite kostte het?', 'How much effort did it take?'),
    },
    {
      id: 'rating',
      type: 'rating',
      required: false,
      min: 1,
      max: 10,
      minLabel: L('Slecht', 'Bad'),
      maxLabel: L('Goed', 'Good'),
      text: L('Rapportcijfer', 'Grade'),
    },
    {
      id: 'visits',
      type: 'number',
      required: false,
      newPage: true,
      integer: true,
      min: 0,
      max: 100,
      text: L('Hoe vaak kwam je?', 'How often did you come?'),
    },
    { id: 'visited', type: 'date', required: false, text: L('Wanneer was je er?', 'When were you there?') },
    {
      id: 'enps',
      type: 'enps',
      required: false,
      showIf: { question: 'channels', op: 'oneOf', value: ['balie'] },
      text: L('Zou je hier willen werken?', 'Would you work here?'),
    },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt!', 'Thank you!'),
};

describe('SVC-2 surveys in depth: question types, conditions, pages, languages, preview; SVC-4 anonymity; SVC-3 open link', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  const db = () => t.ctx.db.handle.kysely;

  before(async () => {
    t = await startTestApp({ OPEN_LINK_RATE_PER_MINUTE: '5' });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    const rows = Array.from(
      { length: 8 },
      (_, i) => `medewerker${i + 1}@example.nl;M${i + 1};${i < 6 ? 'zorg' : 'ict'};${i % 2 ? 'en' : 'nl'}`,
    );
    const res = await importCsv(t, owner, `email;voornaam;afdeling;taal\n${rows.join('\n')}\n`);
    assert.equal(res.statusCode, 200, res.body);
  });
  after(() => t.close());

  async function create(payload: Record<string, unknown>) {
    return t.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: { cookie: owner }, payload });
  }

  /** Invites every contact; returns one personal link path per invitation, with the contact's profile. */
  async function invite(
    surveyId: string,
  ): Promise<Array<{ path: string; invitationId: string; contactId: string; afdeling: string }>> {
    const d = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/distributions`,
      headers: { cookie: owner },
      payload: { all: true },
    });
    assert.equal(d.statusCode, 202, d.body);
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const rows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('invitations as i')
        .innerJoin('contacts as c', (j) =>
          j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'),
        )
        .select(['i.id', 'i.contact_id', 'c.profile'])
        .where('i.survey_id', '=', surveyId)
        .orderBy('i.id')
        .execute(),
    );
    return rows.map((r) => ({
      path: `/s/${signedRowToken(tenantId, r.id, (b) => keys.tokenMac(b))}`,
      invitationId: r.id,
      contactId: r.contact_id,
      afdeling: (r.profile as Record<string, string>).afdeling ?? '',
    }));
  }

  test('SVC-2 surveys start from the NPS, eNPS, CSAT, CES and custom templates, in Dutch and English', async () => {
    const templates = (
      await t.app.inject({ method: 'GET', url: '/api/v1/surveys/templates', headers: { cookie: owner } })
    ).json().templates;
    assert.deepEqual(
      templates.map((x: { kind: string }) => x.kind),
      ['nps', 'enps', 'csat', 'ces', 'custom'],
    );
    for (const kind of ['nps', 'enps', 'csat', 'ces', 'custom']) {
      const res = await create({ name: `Sjabloon ${kind}`, kind });
      assert.equal(res.statusCode, 201, res.body);
      const s = res.json();
      assert.equal(s.kind, kind);
      assert.equal(s.anonymity, 'identified');
      assert.equal(s.minGroupSize, 5);
      assert.equal(s.openLink.enabled, false);
      for (const q of s.definition.questions) assert.ok(q.text.nl && q.text.en);
    }
    const enps = templates.find((x: { kind: string }) => x.kind === 'enps').definition.questions[0];
    assert.equal(enps.type, 'enps');
    assert.match(enps.text.nl, /werkgever/);
    assert.equal(templates.find((x: { kind: string }) => x.kind === 'csat').definition.questions[0].type, 'csat');
    assert.equal(templates.find((x: { kind: string }) => x.kind === 'ces').definition.questions[0].type, 'ces');
  });

  test('SVC-2 a definition with every question type is accepted; bad conditions are refused with a pointer', async () => {
    const ok = await create({ name: 'Alles', kind: 'custom', definition: fullDefinition });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().definition.questions.length, 10);

    const bad = async (mutate: (d: typeof fullDefinition) => void) => {
      const d = structuredClone(fullDefinition);
      mutate(d);
      // The reasons in English (issue 14: Dutch when no language is asked; see problem-language.test.ts).
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner, 'accept-language': 'en' },
        payload: { name: 'Fout', kind: 'custom', definition: d },
      });
      assert.equal(res.statusCode, 422, res.body);
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
      return res.json().errors as Array<{ pointer: string; reason: string }>;
    };
    // A condition on a LATER question.
    let errors = await bad(
      (d) =>
        ((d.questions[1] as Record<string, unknown>).showIf = { question: 'problem', op: 'equals', value: 'prijs' }),
    );
    assert.ok(
      errors.some((e) => e.pointer === '/body/definition/questions/1/showIf/question' && /earlier/.test(e.reason)),
      JSON.stringify(errors),
    );
    // An unknown question.
    errors = await bad(
      (d) => ((d.questions[1] as Record<string, unknown>).showIf = { question: 'nergens', op: 'equals', value: 1 }),
    );
    assert.ok(
      errors.some((e) => e.pointer === '/body/definition/questions/1/showIf/question'),
      JSON.stringify(errors),
    );
    // A value the earlier question cannot have: 11 on a 0–10 scale, an unknown option, ≥ on a choice.
    errors = await bad(
      (d) => ((d.questions[2] as Record<string, unknown>).showIf = { question: 'score', op: 'lte', value: 11 }),
    );
    assert.ok(
      errors.some((e) => e.pointer === '/body/definition/questions/2/showIf/value' && /0 to 10/.test(e.reason)),
      JSON.stringify(errors),
    );
    errors = await bad(
      (d) =>
        ((d.questions[9] as Record<string, unknown>).showIf = { question: 'channels', op: 'oneOf', value: ['fax'] }),
    );
    assert.ok(
      errors.some((e) => e.pointer === '/body/definition/questions/9/showIf/value' && /fax/.test(e.reason)),
      JSON.stringify(errors),
    );
    errors = await bad(
      (d) => ((d.questions[9] as Record<string, unknown>).showIf = { question: 'problem', op: 'gte', value: 'prijs' }),
    );
    assert.ok(
      errors.some((e) => e.pointer === '/body/definition/questions/9/showIf/value'),
      JSON.stringify(errors),
    );
    // Duplicate ids, a reserved id, a scale with min ≥ max.
    errors = await bad((d) => (d.questions[4]!.id = 'score'));
    assert.ok(
      errors.some((e) => e.pointer === '/body/definition/questions/4/id'),
      JSON.stringify(errors),
    );
    errors = await bad((d) => (d.questions[4]!.id = 'lang'));
    assert.ok(
      errors.some((e) => e.pointer === '/body/definition/questions/4/id'),
      JSON.stringify(errors),
    );
    errors = await bad((d) => Object.assign(d.questions[6]!, { min: 5, max: 5 }));
    assert.ok(
      errors.some((e) => e.pointer === '/body/definition/questions/6/max'),
      JSON.stringify(errors),
    );
    // A missing language.
    errors = await bad((d) => ((d.questions[0] as Record<string, unknown>).text = { nl: 'Alleen Nederlands' }));
    assert.ok(
      errors.some((e) => e.pointer === '/body/definition/questions/0/text/en'),
      JSON.stringify(errors),
    );
  });

  test('SVC-2 a multi-page survey with a condition, answered without JavaScript: progress, validation next to the field, back keeps answers, hidden questions are not stored', async () => {
    const s = (await create({ name: "Meerdere pagina's", kind: 'custom', definition: fullDefinition })).json();
    const [a, b] = await invite(s.id);
    const first = await t.app.inject({ method: 'GET', url: a!.path });
    assert.equal(first.statusCode, 200);
    assert.ok(!first.body.includes('<script'));
    assert.match(first.body, /Stap 1 van 3|Step 1 of 3/);

    const lang = first.body.includes('lang="nl"') ? 'nl' : 'en';
    // Next without the required score: 422, the message next to the field, tied to it.
    const noScore = await postStep(t, {
      method: 'POST',
      url: a!.path,
      headers: form,
      payload: enc({ lang: 'nl', page: '0', nav: 'next', why: 'Lang gewacht' }),
    });
    assert.equal(noScore.statusCode, 422);
    assert.match(noScore.body, /<p class="error" id="score-error">Kies een cijfer van 0 tot 10\.<\/p>/);
    assert.match(noScore.body, /<fieldset class="q" id="q-score" aria-describedby="score-error">/);
    assert.match(noScore.body, /Lang gewacht/, 'what was typed is kept');
    void lang;

    const p2 = await postStep(t, {
      method: 'POST',
      url: a!.path,
      headers: form,
      payload: enc({ lang: 'nl', page: '0', nav: 'next', score: '3', why: 'Lang gewacht' }),
    });
    assert.equal(p2.statusCode, 200);
    assert.match(p2.body, /Stap 2 van 3/);
    assert.match(p2.body, /Wat ging er mis\?/, 'the condition (score ≤ 6) shows the question');
    // Issue 14: earlier answers wait in a draft on the server, named by the form (no hidden copies).
    assert.match(
      p2.body,
      /<input type="hidden" name="draft" value="[0-9a-f-]{36}">/,
      'the form names the draft with the earlier answers',
    );
    assert.ok(!/<input type="hidden" name="score"/.test(p2.body));
    assert.match(p2.body, /name="nav" value="back"/);
    // Back keeps the answers of page 1.
    const back = await postStep(t, {
      method: 'POST',
      url: a!.path,
      headers: form,
      payload: enc({ lang: 'nl', page: '1', nav: 'back', score: '3', why: 'Lang gewacht', channels: ['balie'] }),
    });
    assert.match(back.body, /Stap 1 van 3/);
    assert.match(back.body, /value="3" checked/);
    const backDraft = /name="draft" value="([0-9a-f-]{36})"/.exec(back.body)![1];
    const forward = await postStep(t, {
      method: 'POST',
      url: a!.path,
      headers: form,
      payload: enc({ lang: 'nl', page: '0', nav: 'next', draft: backDraft!, score: '3', why: 'Lang gewacht' }),
    });
    assert.match(forward.body, /value="balie" checked/, 'the answers of page 2 were kept in the draft');
    // Page 2 with a required choice missing; then complete; a wrong number on page 3.
    const p2err = await postStep(t, {
      method: 'POST',
      url: a!.path,
      headers: form,
      payload: enc({ lang: 'nl', page: '1', nav: 'next', score: '3', why: 'Lang gewacht' }),
    });
    assert.equal(p2err.statusCode, 422);
    assert.match(p2err.body, /id="problem-error">Beantwoord deze vraag\./);
    const p3 = await postStep(t, {
      method: 'POST',
      url: a!.path,
      headers: form,
      payload: enc({
        lang: 'nl',
        page: '1',
        nav: 'next',
        score: '3',
        why: 'Lang gewacht',
        problem: 'wachttijd',
        channels: ['telefoon', 'balie'],
        csat: '2',
        effort: '6',
        rating: '4',
      }),
    });
    assert.equal(p3.statusCode, 200);
    assert.match(p3.body, /Stap 3 van 3/);
    assert.match(p3.body, /Zou je hier willen werken\?/, 'oneOf condition on a multiple choice');
    assert.match(p3.body, /name="nav" value="submit"/);
    const all = {
      lang: 'nl',
      page: '7',
      score: '3',
      why: 'Lang gewacht',
      problem: 'wachttijd',
      channels: ['telefoon', 'balie'],
      csat: '2',
      effort: '6',
      rating: '4',
      visited: '2026-02-30',
      visits: 'vaak',
      enps: '8',
    };
    const wrong = await postStep(t, {
      method: 'POST',
      url: a!.path,
      headers: form,
      payload: enc({ ...all, nav: 'submit' }),
    });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /id="visits-error">Vul een getal in/);
    assert.match(wrong.body, /id="visited-error">Vul een datum in/);
    assert.match(wrong.body, /aria-invalid="true"/);
    assert.equal(
      Number(
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM responses WHERE survey_id = ${s.id}::uuid`.execute(
            db(),
          )
        ).rows[0]!.n,
      ),
      0,
    );
    const done = await postStep(t, {
      method: 'POST',
      url: a!.path,
      headers: form,
      payload: enc({ ...all, visited: '2026-02-28', visits: '4', nav: 'submit' }),
    });
    assert.equal(done.statusCode, 303, done.body);

    // Respondent b: a promoter; the conditional question is skipped, and an answer smuggled in for it is not stored.
    const skip = await postStep(t, {
      method: 'POST',
      url: b!.path,
      headers: form,
      payload: enc({ lang: 'en', page: '0', nav: 'next', score: '10' }),
    });
    assert.match(skip.body, /Step 2 of 3/);
    assert.ok(!skip.body.includes('What went wrong?'));
    const doneB = await postStep(t, {
      method: 'POST',
      url: b!.path,
      headers: form,
      payload: enc({
        lang: 'en',
        page: '7',
        nav: 'submit',
        score: '10',
        problem: 'prijs',
        enps: '9',
        channels: ['mail'],
      }),
    });
    assert.equal(doneB.statusCode, 303);

    const keys = await t.ctx.keyring.forTenant(tenantId);
    const rows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('responses')
        .select(['invitation_id', 'score', 'answers', 'answers_enc', 'contact_id'])
        .where('survey_id', '=', s.id)
        .execute(),
    );
    const ra = rows.find((r) => r.invitation_id === a!.invitationId)!;
    assert.equal(ra.score, 3);
    assert.equal(ra.contact_id, a!.contactId, 'identified: linked to the contact');
    // Issue 12: numbers and dates are in clear beside the closed answers (for aggregation); open text is
    // not: issue 17 keeps only that it was answered (`true`), from which the comments are counted.
    assert.deepEqual(
      ra.answers,
      {
        why: true,
        score: 3,
        problem: 'wachttijd',
        channels: ['telefoon', 'balie'],
        csat: 2,
        effort: 6,
        rating: 4,
        visits: 4,
        visited: '2026-02-28',
        enps: 8,
      },
      'closed answers, numbers and dates in clear; of the open answer only that there is one',
    );
    const sealed = keys.openJson<{ why: string; answers: Record<string, unknown> }>(ra.answers_enc);
    assert.equal(sealed.why, 'Lang gewacht');
    assert.equal(sealed.answers.visits, 4);
    assert.equal(sealed.answers.visited, '2026-02-28');
    assert.ok(!JSON.stringify(ra.answers).includes('Lang gewacht'), 'typed text is not in clear');
    const rb = rows.find((r) => r.invitation_id === b!.invitationId)!;
    assert.deepEqual(rb.answers, { score: 10, channels: ['mail'] }, 'hidden questions (problem, enps) are not stored');

    // Results per question.
    const res = (
      await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${s.id}/results`, headers: { cookie: owner } })
    ).json();
    const q = (id: string) => res.questions.find((x: { id: string }) => x.id === id);
    assert.equal(q('score').nps, 0);
    assert.deepEqual([q('score').promoters, q('score').detractors], [1, 1]);
    // Choices by label (issue 12); a multiple choice as percent of the 2 respondents who answered it.
    assert.deepEqual(q('channels').distribution, [
      { value: 'telefoon', label: { nl: 'Telefoon', en: 'Phone' }, count: 1, percent: 50 },
      { value: 'mail', label: { nl: 'E-mail', en: 'Email' }, count: 1, percent: 50 },
      { value: 'balie', label: { nl: 'Balie', en: 'Desk' }, count: 1, percent: 50 },
    ]);
    assert.equal(q('csat').satisfiedPercent, 0);
    assert.equal(q('effort').mean, 6);
    assert.equal(q('rating').distribution.length, 10);
    assert.equal(res.comments[0].comment, 'Lang gewacht');
    // The export has a column per question (multiple choice: one 0/1 column per option), choices by label.
    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${s.id}/responses.csv`,
      headers: { cookie: owner },
    });
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(
      lines[0],
      'response_id;submitted_at_amsterdam;language;score;score_category;why;problem;channels_telefoon;channels_mail;channels_balie;csat;effort;rating;visits;visited;enps',
    );
    assert.ok(
      lines.some((l) => l.endsWith(';Wachttijd;1;0;1;2;6;4;4;2026-02-28;8')),
      lines.join('\n'),
    );
  });

  test("SVC-2 the language: the contact's, else the browser's, with a switch that keeps the answers", async () => {
    const s = (await create({ name: 'Taal', kind: 'custom', definition: fullDefinition })).json();
    const links = await invite(s.id);
    const langs = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('invitations').select(['id', 'language']).where('survey_id', '=', s.id).execute(),
    );
    const en = links.find((l) => langs.find((x) => x.id === l.invitationId)!.language === 'en')!;
    const page = await t.app.inject({ method: 'GET', url: en.path, headers: { 'accept-language': 'nl-NL,nl;q=0.9' } });
    assert.match(page.body, /<html lang="en">/, "the contact's language wins over the browser's");
    assert.match(page.body, /<a href="\?lang=nl" lang="nl">Nederlands<\/a>/);
    const switched = await postStep(t, {
      method: 'POST',
      url: en.path,
      headers: form,
      payload: enc({ lang: 'en', page: '0', nav: 'lang-nl', score: '4', why: 'Slow' }),
    });
    assert.equal(switched.statusCode, 200);
    assert.match(switched.body, /<html lang="nl">/);
    assert.match(switched.body, /value="4" checked/);
    assert.match(switched.body, />Slow<\/textarea>/);
  });

  test('SVC-2 open and close: a closed survey takes no answers; once answered, only texts can change', async () => {
    const s = (await create({ name: 'Status', kind: 'nps', status: 'draft' })).json();
    assert.equal(s.status, 'draft');
    const early = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${s.id}/distributions`,
      headers: { cookie: owner },
      payload: { all: true },
    });
    assert.equal(early.statusCode, 409, 'a draft is not sent');
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/api/v1/surveys/${s.id}/open`, headers: { cookie: owner } })).json()
        .status,
      'open',
    );
    const [l] = await invite(s.id);
    // Before any response the structure may change.
    const def = structuredClone(s.definition);
    def.questions.push({ id: 'extra', type: 'csat', required: false, text: L('Extra', 'Extra') });
    assert.equal(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/surveys/${s.id}`,
          headers: { cookie: owner },
          payload: { definition: def },
        })
      ).statusCode,
      200,
    );
    assert.equal(
      (await t.app.inject({ method: 'POST', url: l!.path, headers: form, payload: 'score=8&lang=nl' })).statusCode,
      303,
    );
    // Now: a type change, a removed question or another anonymity mode are refused, with pointers.
    const changed = structuredClone(def);
    changed.questions[2].type = 'ces';
    const refused = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/surveys/${s.id}`,
      headers: { cookie: owner },
      payload: { definition: changed, anonymity: 'anonymous' },
    });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.deepEqual(
      refused
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
      ['/anonymity', '/definition/questions'],
    );
    // Texts may change.
    const texts = structuredClone(def);
    texts.questions[0].text.nl = 'Nieuwe vraagtekst?';
    texts.thanks = L('Dank!', 'Thanks!');
    const ok = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/surveys/${s.id}`,
      headers: { cookie: owner },
      payload: { definition: texts, name: 'Status (nieuw)' },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().definition.questions[0].text.nl, 'Nieuwe vraagtekst?');
    assert.equal(ok.json().responses, 1);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/api/v1/surveys/${s.id}/close`, headers: { cookie: owner } })).json()
        .status,
      'closed',
    );
    const l2 = (
      await t.ctx.db.tenant(tenantId, (tx) =>
        tx
          .selectFrom('invitations')
          .select('id')
          .where('survey_id', '=', s.id)
          .where('responded_at', 'is', null)
          .executeTakeFirstOrThrow(),
      )
    ).id;
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const token = signedRowToken(tenantId, l2, (b) => keys.tokenMac(b));
    const closed = await t.app.inject({
      method: 'POST',
      url: `/s/${token}`,
      headers: form,
      payload: 'score=8&lang=nl',
    });
    // Issue 14: the respondent is told the survey closed (and that the answer was not stored), not that the link is broken.
    assert.equal(closed.statusCode, 410);
    assert.match(closed.body, /Deze vragenlijst is gesloten/);
    assert.match(closed.body, /is je antwoord niet opgeslagen/);
    assert.doesNotMatch(closed.body, /Controleer of je de hele link/);
    const page = await t.app.inject({ method: 'GET', url: `/s/${token}?lang=en` });
    assert.equal(page.statusCode, 410);
    assert.match(page.body, /This survey is closed/);
    assert.equal(
      await t.ctx.db.tenant(
        tenantId,
        async (tx) => (await tx.selectFrom('responses').select('id').where('invitation_id', '=', l2).execute()).length,
      ),
      0,
      'nothing stored',
    );
    // A forged token still learns nothing: the same "link does not work" as any unknown link.
    assert.equal((await t.app.inject({ method: 'GET', url: `/s/${token.slice(0, -2)}xx` })).statusCode, 404);
    const log = (
      await t.app.inject({ method: 'GET', url: '/api/v1/audit?subject=' + s.id, headers: { cookie: owner } })
    )
      .json()
      .entries.map((e: { action: string }) => e.action);
    assert.ok(log.includes('survey.status_changed') && log.includes('survey.updated'), log.join());
  });

  test('SVC-2 the preview shows the same pages in either language to signed-in staff and stores nothing', async () => {
    const s = (await create({ name: 'Voorbeeld', kind: 'custom', definition: fullDefinition })).json();
    assert.equal((await t.app.inject({ method: 'GET', url: `/s/preview/${s.id}` })).statusCode, 401);
    const nl = await t.app.inject({ method: 'GET', url: `/s/preview/${s.id}`, headers: { cookie: owner } });
    assert.equal(nl.statusCode, 200);
    assert.match(nl.body, /Voorbeeld: antwoorden worden niet opgeslagen/);
    assert.match(nl.body, /<form method="get" action="\/s\/preview\//);
    const en = await t.app.inject({
      method: 'GET',
      url: `/s/preview/${s.id}?lang=en&page=0&nav=next&score=2`,
      headers: { cookie: owner },
    });
    assert.match(en.body, /<html lang="en">/);
    assert.match(en.body, /What went wrong\?/);
    assert.match(en.body, /Step 2 of 3/);
    const end = await t.app.inject({
      method: 'GET',
      url: `/s/preview/${s.id}?lang=en&page=7&nav=submit&score=9`,
      headers: { cookie: owner },
    });
    assert.equal(end.statusCode, 200);
    assert.match(end.body, /Thank you!/);
    const n = (
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM responses WHERE survey_id = ${s.id}::uuid`.execute(db())
    ).rows[0]!.n;
    assert.equal(n, 0, 'a preview stores nothing');
  });

  test('SVC-4 anonymous: the database holds no link between a response and its contact or invitation', async () => {
    const s = (await create({ name: 'Anoniem', kind: 'enps', anonymity: 'anonymous' })).json();
    const links = await invite(s.id);
    const target = links[3]!;
    assert.equal((await t.app.inject({ method: 'GET', url: target.path })).statusCode, 200);
    const res = await t.app.inject({
      method: 'POST',
      url: target.path,
      headers: form,
      payload: 'score=4&why=Te+veel+werkdruk&lang=nl',
    });
    assert.equal(res.statusCode, 303);
    // A replay still stores nothing: the invitation is marked answered.
    assert.equal(
      (await t.app.inject({ method: 'POST', url: target.path, headers: form, payload: 'score=9&lang=nl' })).statusCode,
      409,
    );
    // The writer writes the invitation once more afterwards (see below); wait for that.
    await eventually(
      async () => {
        const { rows } = await sql<{
          same: boolean;
        }>`SELECT i.xmin::text = r.xmin::text AS same FROM invitations i, responses r WHERE i.id = ${target.invitationId}::uuid AND r.survey_id = ${s.id}::uuid`.execute(
          db(),
        );
        return rows[0] && !rows[0].same;
      },
      20_000,
      'the invitation written again',
    );

    const { rows: responses } = await sql<
      Record<string, unknown>
    >`SELECT *, xmin::text AS tx FROM responses WHERE survey_id = ${s.id}::uuid`.execute(db());
    assert.equal(responses.length, 1);
    const r = responses[0]!;
    assert.equal(r.invitation_id, null);
    assert.equal(r.contact_id, null);
    // No column of the response holds an id of the invitation or the contact, in any form.
    const flat = JSON.stringify(r);
    for (const id of [target.invitationId, target.contactId]) {
      assert.ok(!flat.includes(id) && !flat.includes(id.replace(/-/g, '')), 'no id in the row');
    }
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const sealed = JSON.stringify(keys.openJson(r.answers_enc as Buffer));
    assert.ok(
      !sealed.includes(target.invitationId) && !sealed.includes(target.contactId),
      'no id in the encrypted answers',
    );
    // The invitation knows it was answered and opened, but not when: both hold its own created_at.
    const {
      rows: [inv],
    } = await sql<{
      responded_at: Date;
      opened_at: Date;
      created_at: Date;
      tx: string;
    }>`SELECT responded_at, opened_at, created_at, xmin::text AS tx FROM invitations WHERE id = ${target.invitationId}::uuid`.execute(
      db(),
    );
    assert.ok(inv!.responded_at);
    assert.equal(
      new Date(inv!.responded_at).getTime(),
      new Date(inv!.created_at).getTime(),
      'responded_at is only a marker',
    );
    assert.equal(new Date(inv!.opened_at).getTime(), new Date(inv!.created_at).getTime(), 'opened_at is only a marker');
    // Not even the transaction id (xmin) pairs them: the invitation was written again afterwards.
    assert.notEqual(inv!.tx, r.tx);
    // No other table names the response together with a contact or invitation.
    const { rows: audit } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM audit_events WHERE details::text LIKE ${'%' + String(r.id) + '%'}`.execute(db());
    assert.equal(audit[0]!.n, 0);
    // Results: no breakdown by contact fields.
    const b = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${s.id}/results?breakdown=afdeling`,
      headers: { cookie: owner },
    });
    assert.equal(b.statusCode, 409);
    assert.equal(b.json().errors[0].pointer, '/query/breakdown');
    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${s.id}/responses.csv?contacts=true`,
      headers: { cookie: owner },
    });
    assert.equal(csv.statusCode, 403);
  });

  test('SVC-4 confidential: below the minimum group size nothing but the count is shown; then whole release steps; no export', async () => {
    const s = (
      await create({ name: 'Vertrouwelijk', kind: 'enps', anonymity: 'confidential', minGroupSize: 5 })
    ).json();
    const links = await invite(s.id);
    const answer = (l: { path: string }, score: number, why: string) =>
      t.app.inject({
        method: 'POST',
        url: l.path,
        headers: form,
        payload: enc({ score: String(score), why, lang: 'nl' }),
      });
    const zorg = links.filter((l) => l.afdeling === 'zorg');
    const ict = links.filter((l) => l.afdeling === 'ict');
    assert.equal(zorg.length, 6);
    assert.equal(ict.length, 2);
    for (const [i, l] of zorg.slice(0, 4).entries())
      assert.equal((await answer(l, 9 - i, `Opmerking ${i}, mail me op jan.jansen@example.nl`)).statusCode, 303);

    const hidden = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${s.id}/results?breakdown=afdeling`,
        headers: { cookie: owner },
      })
    ).json();
    assert.equal(hidden.hidden, true);
    assert.equal(hidden.responses, 4, 'the count is shown');
    assert.equal(hidden.nps, null);
    assert.deepEqual(hidden.scores, new Array(11).fill(0));
    assert.deepEqual(hidden.comments, []);
    assert.deepEqual(hidden.questions, []);
    assert.deepEqual(hidden.trend, []);
    assert.equal(hidden.breakdown, null);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${s.id}/responses.csv`, headers: { cookie: owner } }))
        .statusCode,
      403,
    );

    assert.equal((await answer(zorg[4]!, 2, 'Te druk')).statusCode, 303);
    assert.equal((await answer(ict[0]!, 10, 'Top team')).statusCode, 303);
    // While open, a confidential survey has no breakdown (results/disclosure.test.ts has the attacks).
    assert.equal(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/surveys/${s.id}/results?breakdown=afdeling`,
          headers: { cookie: owner },
        })
      ).statusCode,
      409,
    );
    const shown = (
      await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${s.id}/results`, headers: { cookie: owner } })
    ).json();
    assert.equal(shown.hidden, false);
    assert.equal(shown.responses, 6);
    assert.equal(shown.released, 5, 'released in whole steps of minGroupSize');
    assert.equal(shown.minGroupSize, 5);
    assert.notEqual(shown.nps, null);
    // Comments: redacted, without score or time, never with anything that identifies the respondent.
    assert.equal(shown.comments.length, 5);
    for (const c of shown.comments) {
      assert.equal(c.submittedAt, null);
      assert.equal(c.score, null);
      assert.ok(!/jan\.jansen@example\.nl/.test(c.comment), c.comment);
      assert.deepEqual(Object.keys(c).sort(), [
        'category',
        'comment',
        'id',
        'labelSource',
        'labels',
        'score',
        'sentiment',
        'submittedAt',
      ]);
    }
    // The trend's points are release steps of at least N answers.
    assert.deepEqual(
      shown.trend.map((p: { responses: number }) => p.responses),
      [5],
    );
    assert.equal(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/surveys/${s.id}/responses.csv?contacts=true`,
          headers: { cookie: owner },
        })
      ).statusCode,
      403,
    );
    // No per-response rows at all for a confidential survey.
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${s.id}/responses.csv`, headers: { cookie: owner } }))
        .statusCode,
      403,
    );
    // An identified survey has every group.
    const open = (await create({ name: 'Open', kind: 'nps' })).json();
    const ol = await invite(open.id);
    await answer(
      ol.find((l) => l.afdeling === 'ict')!,
      7,
      '',
    );
    const all = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${open.id}/results?breakdown=afdeling`,
        headers: { cookie: owner },
      })
    ).json();
    assert.deepEqual(
      all.breakdown.groups.map((g: { value: string }) => g.value),
      ['ict'],
    );
    assert.equal(all.breakdown.minGroupSize, null);
  });

  test('SVC-3 the open link: off by default, one link with its own MAC domain, stored without invitation or contact, replay-safe, one per browser when asked, rate-limited per address', async () => {
    const s = (await create({ name: 'Open link', kind: 'csat' })).json();
    const viewer = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/surveys/${s.id}/open-link`,
      headers: { cookie: owner },
      payload: { enabled: true, oncePerBrowser: true },
    });
    assert.equal(viewer.statusCode, 200, viewer.body);
    const link = viewer.json();
    assert.equal(link.enabled, true);
    assert.match(link.url, /^http:\/\/peil\.test\/s\/o\/[A-Za-z0-9_-]{64}$/);
    const path = new URL(link.url).pathname;
    const token = path.slice(5);
    // The same tenant and id as a personal link would carry, but the invitation MAC does not pass here, nor this one there.
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const asInvitation = signedRowToken(tenantId, s.id, (b) => keys.tokenMac(b));
    assert.equal((await t.app.inject({ method: 'GET', url: `/s/o/${asInvitation}` })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: `/s/${token}` })).statusCode, 404);

    const page = await t.app.inject({
      method: 'GET',
      url: path,
      headers: { 'accept-language': 'en-GB,en;q=0.9,nl;q=0.5', 'x-forwarded-for': '10.0.0.1' },
    });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="en">/, "the browser's language");
    const rid = /name="rid" value="([0-9a-f-]{36})"/.exec(page.body)![1]!;
    const post = (body: Record<string, string>, cookie?: string, ip = '10.0.0.1') =>
      t.app.inject({
        method: 'POST',
        url: path,
        headers: { ...form, ...(cookie ? { cookie } : {}) },
        payload: enc(body),
        remoteAddress: ip,
      });
    const ok = await post({ rid, score: '5', why: 'Fijn', lang: 'en', nav: 'submit' });
    assert.equal(ok.statusCode, 303, ok.body);
    const cookie = (ok.headers['set-cookie'] as string).split(';')[0]!;
    assert.match(cookie, /^peil_answered_/);
    const thanks = await t.app.inject({ method: 'GET', url: ok.headers.location as string });
    assert.match(thanks.body, /Thank you/);
    // A replay of the same form stores nothing.
    assert.equal((await post({ rid, score: '1', lang: 'en', nav: 'submit' })).statusCode, 409);
    // The same browser again: refused with a friendly page.
    const again = await t.app.inject({ method: 'GET', url: path, headers: { cookie } });
    assert.match(again.body, /already been answered from this browser|vanaf deze browser/i);
    assert.equal(
      (await post({ rid: crypto.randomUUID(), score: '2', lang: 'nl', nav: 'submit' }, cookie)).statusCode,
      409,
    );
    const { rows } = await sql<{
      invitation_id: string | null;
      contact_id: string | null;
      score: number;
    }>`SELECT invitation_id, contact_id, score FROM responses WHERE survey_id = ${s.id}::uuid`.execute(db());
    assert.deepEqual(rows, [{ invitation_id: null, contact_id: null, score: 5 }]);

    // Rate limit per address (5 per minute in this test): the next posts from one address get 429; another address is not affected.
    const codes: number[] = [];
    for (let i = 0; i < 7; i++)
      codes.push(
        (await post({ rid: crypto.randomUUID(), lang: 'nl', nav: 'next', page: '0' }, undefined, '10.0.0.9'))
          .statusCode,
      );
    assert.ok(codes.includes(429), codes.join());
    assert.notEqual(
      (await post({ rid: crypto.randomUUID(), lang: 'nl', nav: 'next', page: '0' }, undefined, '10.0.0.10')).statusCode,
      429,
    );

    // Switched off: the link stops working.
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/surveys/${s.id}/open-link`,
      headers: { cookie: owner },
      payload: { enabled: false },
    });
    assert.equal((await t.app.inject({ method: 'GET', url: path, remoteAddress: '10.0.0.20' })).statusCode, 404);
    // Viewers may not switch it.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: owner },
      payload: { email: 'kijker@zorg.test', name: 'Kijker', role: 'viewer' },
    });
    const out = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: owner } })).json();
    const invite = /#token=([A-Za-z0-9_-]+)/.exec(
      out.messages.find((m: { to: string }) => m.to === 'kijker@zorg.test').text,
    )![1]!;
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token: invite, password: 'Lantaarnpaal-Fietspad-2026' },
    });
    const v = await signIn(t, 'kijker@zorg.test', 'Lantaarnpaal-Fietspad-2026');
    assert.equal(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/surveys/${s.id}/open-link`,
          headers: { cookie: v },
          payload: { enabled: true },
        })
      ).statusCode,
      403,
    );
  });
});
