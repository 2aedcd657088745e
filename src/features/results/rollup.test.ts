import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { colleague, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { splitForStorage, type Answers, type SurveyDefinition } from '../surveys/definition.js';
import { foldAll } from './rollup.js';

/**
 * Issue 17 (OBLIGATIONS SVC-4): results from rollups are exactly the results counted from the
 * responses, whatever happened to the responses behind the rollup's cursor. Each check reads every
 * view over HTTP with the rollup, then forgets the rollup and reads again from the responses alone,
 * and compares the two bodies whole. Tried as a rollup goes wrong: answers arriving after the fold,
 * an answer back-dated behind the cursor, an answer changed or erased behind it, a question changing
 * type, a confidential survey's release (SVC-4: the rollup may not reach past it); and for the live
 * breakdowns (by the response's language, the contact's gender, function and profile field, and by
 * each closed answer), a contact changed or deleted behind the cursor.
 */

const L = (nl: string, en: string) => ({ nl, en });
const definition = {
  questions: [
    { id: 'score', type: 'nps', required: true, text: L('Aanbevelen?', 'Recommend?') },
    { id: 'why', type: 'text', text: L('Waarom?', 'Why?') },
    {
      id: 'site',
      type: 'single',
      text: L('Vestiging', 'Site'),
      options: [
        { value: 'zwolle', label: L('Zwolle', 'Zwolle') },
        { value: 'assen', label: L('Assen', 'Assen') },
        { value: 'breda', label: L('Breda', 'Breda') },
      ],
    },
    {
      id: 'channels',
      type: 'multiple',
      text: L('Contact', 'Contact'),
      options: [
        { value: 'telefoon', label: L('Telefoon', 'Phone') },
        { value: 'mail', label: L('E-mail', 'Email') },
      ],
    },
    { id: 'effort', type: 'ces', text: L('Moeite', 'Effort') },
    { id: 'grade', type: 'rating', min: 1, max: 10, text: L('Cijfer', 'Grade') },
    { id: 'hours', type: 'number', min: 0, max: 40, text: L('Uren', 'Hours') },
    { id: 'visited', type: 'date', text: L('Datum', 'Date') },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt!', 'Thank you!'),
};

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('issue 17: results from rollups are exact (SVC-4)', () => {
  let t: TestApp;
  let tenantId: string;
  let owner: string;
  /** A viewer may not read contact details: breakdowns within the minimum group size (SVC-4). */
  let viewer: string;
  const contactIds: string[] = [];
  const rnd = random(17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  before(async () => {
    t = await startTestApp({ ROLLUP_CHUNK: '137' });
    ({ tenantId, ownerCookie: owner } = await setUp(t));
    viewer = await colleague(t, owner, 'viewer');
    // Contacts to group by: gender, function and a profile field (some have none of it).
    const keys = await t.ctx.keyring.forTenant(tenantId);
    await t.ctx.db.tenant(tenantId, async (tx) => {
      await tx
        .insertInto('profile_fields')
        .values({
          tenant_id: tenantId,
          key: 'afdeling',
          type: 'text',
          label_nl: 'Afdeling',
          label_en: 'Department',
          options: null,
          grouping: true,
        })
        .execute();
      for (let i = 0; i < 40; i++) {
        const id = randomUUID();
        contactIds.push(id);
        await tx
          .insertInto('contacts')
          .values({
            tenant_id: tenantId,
            id,
            email_hmac: keys.emailIndex(`c${i}@example.nl`),
            email_enc: keys.seal(`c${i}@example.nl`),
            gender: pick(['female', 'male', 'other', null] as const),
            function: pick(['Verpleegkundige', 'Arts', null]),
            profile: JSON.stringify(rnd() < 0.8 ? { afdeling: pick(['Zorg', 'Facilitair', 'Staf']) } : {}),
          } as never)
          .execute();
      }
    });
  });
  after(() => t.close());
  before(() => {
    CROSSTABS.push(
      [owner, 'answer.site', 'effort'],
      [owner, 'profile.afdeling', 'channels'],
      [owner, 'language', 'grade'],
      [owner, 'gender', 'site'],
      [owner, 'answer.channels', 'score'],
      [viewer, 'answer.site', 'effort'],
      [viewer, 'profile.afdeling', 'site'],
    );
  });

  async function createSurvey(extra: Record<string, unknown> = {}): Promise<{ id: string; def: SurveyDefinition }> {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { kind: 'custom', name: `Rollup ${randomUUID().slice(0, 6)}`, definition, ...extra },
    });
    assert.equal(r.statusCode, 201, r.body);
    const id = r.json().id as string;
    const def = (await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${id}`, headers: { cookie: owner } })).json()
      .definition as SurveyDefinition;
    return { id, def };
  }

  /** `count` responses with random answers (some left out), at random times in the `days` before `end`. */
  async function addResponses(
    survey: { id: string; def: SurveyDefinition },
    count: number,
    days: number,
    end = Date.now(),
  ) {
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const rows: Array<Record<string, unknown> & { id: string }> = [];
    for (let i = 0; i < count; i++) {
      const a: Answers = { score: Math.floor(rnd() * 11) };
      if (rnd() < 0.6) a.why = pick(['Prima', 'Lange wachttijd', 'Vriendelijk personeel']);
      if (rnd() < 0.8) a.site = pick(['zwolle', 'assen', 'breda']);
      if (rnd() < 0.7) a.channels = rnd() < 0.5 ? ['telefoon'] : ['telefoon', 'mail'];
      if (rnd() < 0.7) a.effort = 1 + Math.floor(rnd() * 7);
      if (rnd() < 0.7) a.grade = 1 + Math.floor(rnd() * 10);
      if (rnd() < 0.6) a.hours = Math.round(rnd() * 80) / 2;
      if (rnd() < 0.5)
        a.visited = `2026-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-1${Math.floor(rnd() * 9)}`;
      const s = splitForStorage(survey.def, a);
      rows.push({
        tenant_id: tenantId,
        id: randomUUID(),
        survey_id: survey.id,
        contact_id: rnd() < 0.85 ? pick(contactIds) : null,
        language: rnd() < 0.8 ? 'nl' : 'en',
        score: s.score,
        answers: s.clear ? JSON.stringify(s.clear) : null,
        answers_enc: keys.sealJson(s.sealed),
        submitted_at: new Date(end - Math.floor(rnd() * days * 86_400_000) - 1_000),
      });
    }
    await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .insertInto('responses')
        .values(rows as never)
        .execute(),
    );
    return rows;
  }

  const VIEWS = ['', '?interval=week', '?interval=month', '?interval=quarter'];
  async function read(id: string): Promise<unknown[]> {
    const out = [];
    for (const v of VIEWS) {
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${id}/results${v}`,
        headers: { cookie: owner },
      });
      assert.equal(r.statusCode, 200, r.body);
      out.push(r.json());
    }
    // The live breakdowns (identified surveys; shielded ones are counted once and kept).
    const survey = (
      await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${id}`, headers: { cookie: owner } })
    ).json();
    // The owner sees every group; a viewer the same cells through minimum group sizes and
    // complementary suppression.
    const reads: Array<[string, string]> = [
      ...GROUPINGS.map((by): [string, string] => [owner, by]),
      ...['language', 'profile.afdeling', 'answer.site'].map((by): [string, string] => [viewer, by]),
    ];
    if (survey.anonymity === 'identified')
      for (const [cookie, by] of reads) {
        const r = await t.app.inject({
          method: 'GET',
          url: `/api/v1/surveys/${id}/breakdown?by=${by}`,
          headers: { cookie },
        });
        assert.equal(r.statusCode, 200, r.body);
        out.push(r.json());
      }
    // The older breakdown on the results page (a profile field), owner and viewer.
    if (survey.anonymity === 'identified')
      for (const cookie of [owner, viewer]) out.push(await profileBreakdown(id, cookie));
    // Cross-tabs of a closed question by a grouping (the job keeps those someone has read).
    if (survey.anonymity === 'identified')
      for (const [cookie, by, question] of CROSSTABS) out.push(await crossTab(id, by, question, cookie));
    return out;
  }
  const CROSSTABS: Array<[string, string, string]> = [];
  async function crossTab(id: string, by: string, question: string, cookie = owner) {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${id}/breakdown?by=${by}&question=${question}`,
      headers: { cookie },
    });
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as {
      rows: Array<{ value: string; cells: Array<{ count: number | null }> }>;
      columns: Array<{ value: string | null; n: number }>;
    };
  }
  async function profileBreakdown(id: string, cookie: string) {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${id}/results?comments=0&breakdown=afdeling`,
      headers: { cookie },
    });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().breakdown as { groups: Array<{ value: string | null; responses: number }> };
  }
  const GROUPINGS = [
    'language',
    'gender',
    'function',
    'profile.afdeling',
    'answer.score',
    'answer.site',
    'answer.channels',
    'answer.effort',
    'answer.grade',
  ];

  async function cursorOf(id: string) {
    return t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('response_rollup_cursors').selectAll().where('survey_id', '=', id).executeTakeFirst(),
    );
  }

  /** The views with the rollup as it is, then from the responses alone (the cursor forgotten), equal. */
  async function assertExact(id: string, what: string): Promise<void> {
    const rolled = await read(id);
    const cursor = await cursorOf(id);
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`DELETE FROM response_rollup_cursors WHERE survey_id = ${id}::uuid`.execute(tx),
    );
    const counted = await read(id);
    assert.deepEqual(rolled, counted, `${what}: the rollup's results differ from the count over the responses`);
    // Put the rollup back as it was for the next step.
    if (cursor) await foldAll(t.ctx);
  }

  test('a folded survey, then answers after the fold: the same results as a count', async () => {
    const s = await createSurvey();
    await addResponses(s, 900, 200);
    const before = await read(s.id);
    assert.equal(await foldAll(t.ctx), 900);
    const c = await cursorOf(s.id);
    assert.ok(c, 'the fold left a cursor');
    assert.equal(Number(c.responses), 900);
    assert.deepEqual(await read(s.id), before, 'folding changes no number');
    await addResponses(s, 80, 0.001);
    await assertExact(s.id, 'answers after the cursor');
    // The rollup really is read: rows changed behind the triggers' back show up in the results.
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`UPDATE response_rollups SET n = n + 1000 WHERE survey_id = ${s.id}::uuid AND q = 'trend'`.execute(tx),
    );
    const tampered = (await read(s.id))[0] as { responses: number };
    assert.ok(tampered.responses > 1900, 'the views read the rollup (not a count in disguise)');
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`DELETE FROM response_rollup_cursors WHERE survey_id = ${s.id}::uuid`.execute(tx),
    );
    await foldAll(t.ctx);
    await assertExact(s.id, 'a rollup counted again');
  });

  test('an answer back-dated behind the cursor, changed behind it or erased behind it forgets the rollup', async () => {
    const s = await createSurvey();
    const rows = await addResponses(s, 400, 90);
    await foldAll(t.ctx);
    assert.ok(await cursorOf(s.id));

    // Back-dated (a restore, an import of old answers): lands behind the cursor.
    await addResponses(s, 5, 30, Date.now() - 40 * 86_400_000);
    assert.equal(await cursorOf(s.id), undefined, 'an insert behind the cursor forgets it');
    await assertExact(s.id, 'back-dated answers');
    await foldAll(t.ctx);

    // Changed behind the cursor (erase-key clears the clear answers; retention, the typed copy).
    const victim = rows[3]!;
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`UPDATE responses SET score = NULL, answers = NULL WHERE id = ${victim.id}::uuid`.execute(tx),
    );
    assert.equal(await cursorOf(s.id), undefined, 'an update of answers behind the cursor forgets it');
    await assertExact(s.id, 'answers changed');
    await foldAll(t.ctx);

    // A change that no view counts (the sealed copy of the answers) keeps the rollup.
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`UPDATE responses SET answers_enc = answers_enc WHERE id = ${rows[4]!.id}::uuid`.execute(tx),
    );
    assert.ok(await cursorOf(s.id), 'rewriting the sealed answers changes no count');
    // A response unlinked from its contact leaves the contact's groups: the rollup is forgotten.
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`UPDATE responses SET contact_id = NULL WHERE id = ${rows.find((r) => r.contact_id)!.id}::uuid`.execute(tx),
    );
    assert.equal(await cursorOf(s.id), undefined, 'unlinking a contact forgets the rollup');
    await assertExact(s.id, 'a contact unlinked');
    await foldAll(t.ctx);

    // Erased (a respondent's request, the end of retention).
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`DELETE FROM responses WHERE id IN (${rows[5]!.id}::uuid, ${rows[6]!.id}::uuid)`.execute(tx),
    );
    assert.equal(await cursorOf(s.id), undefined, 'a delete behind the cursor forgets it');
    await assertExact(s.id, 'answers erased');
  });

  test('breakdowns: a contact changed or deleted behind the cursor forgets the rollup; the rollup is what they read', async () => {
    const s = await createSurvey();
    const rows = await addResponses(s, 500, 60);
    await foldAll(t.ctx);
    assert.ok(await cursorOf(s.id));
    await addResponses(s, 30, 0.001);
    await assertExact(s.id, 'breakdowns after the fold');

    // The breakdowns read the rollup: a cell changed behind the triggers' back shows up.
    const site = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/surveys/${s.id}/breakdown?by=answer.site`,
          headers: { cookie: owner },
        })
      ).json() as { groups: Array<{ value: string | null; n: number }> };
    const honest = await site();
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`UPDATE response_rollups SET n = n + 1000 WHERE survey_id = ${s.id}::uuid AND q = 'by:answer.site' AND v LIKE '["zwolle"%'`.execute(
        tx,
      ),
    );
    const tampered = await site();
    const zwolle = (b: typeof honest) => b.groups.filter((g) => g.value === 'zwolle').reduce((n, g) => n + g.n, 0);
    assert.ok(zwolle(tampered) >= zwolle(honest) + 1000, 'the breakdown reads the rollup (not a count in disguise)');
    // So does a cross-tab once the job keeps it (its first view asked for that).
    const cross = await crossTab(s.id, 'answer.site', 'effort');
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`UPDATE response_rollups SET n = n + 1000 WHERE survey_id = ${s.id}::uuid AND q = 'x:answer.site|effort' AND v LIKE '["zwolle"%'`.execute(
        tx,
      ),
    );
    const column = (b: typeof cross) =>
      b.rows.reduce((n, r) => n + (r.cells[b.columns.findIndex((c) => c.value === 'zwolle')]?.count ?? 0), 0);
    assert.ok(
      column(await crossTab(s.id, 'answer.site', 'effort')) >= column(cross) + 1000,
      'the cross-tab reads the rollup',
    );
    // A pair first read after the fold is counted up to the cursor by the next fold, then kept.
    const late = await crossTab(s.id, 'function', 'grade');
    const cursorBefore = await cursorOf(s.id);
    await foldAll(t.ctx);
    assert.deepEqual(await cursorOf(s.id), cursorBefore, 'nothing new to fold: the pair alone was taken in');
    const kept = await t.ctx.db.tenant(tenantId, (tx) =>
      sql<{
        folded: boolean;
      }>`SELECT folded FROM crosstab_rollups WHERE survey_id = ${s.id}::uuid AND grouping = 'function' AND question = 'grade'`.execute(
        tx,
      ),
    );
    assert.equal(kept.rows[0]?.folded, true);
    assert.deepEqual(await crossTab(s.id, 'function', 'grade'), late, 'the late pair from the rollup: the same cells');
    await addResponses(s, 20, 0.001);
    const lateRolled = await crossTab(s.id, 'function', 'grade');
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`DELETE FROM response_rollup_cursors WHERE survey_id = ${s.id}::uuid`.execute(tx),
    );
    assert.deepEqual(await crossTab(s.id, 'function', 'grade'), lateRolled, 'the late pair with newer answers on top');
    await foldAll(t.ctx);
    const afdelingBefore = await profileBreakdown(s.id, owner);
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`UPDATE response_rollups SET n = n + 1000 WHERE survey_id = ${s.id}::uuid AND q = 'by:profile.afdeling'`.execute(
        tx,
      ),
    );
    const afdelingAfter = await profileBreakdown(s.id, owner);
    const total = (b: typeof afdelingBefore) =>
      b.groups.filter((g) => g.value !== null).reduce((n, g) => n + g.responses, 0);
    assert.ok(
      total(afdelingAfter) >= total(afdelingBefore) + 1000,
      "the results page's profile breakdown reads the rollup too",
    );
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`DELETE FROM response_rollup_cursors WHERE survey_id = ${s.id}::uuid`.execute(tx),
    );
    await foldAll(t.ctx);

    const answered = rows.find((r) => r.contact_id)!.contact_id as string;
    // A contact's profile field changes (a correction, an import): its groups change.
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`UPDATE contacts SET profile = '{"afdeling": "Nieuw"}'::jsonb WHERE id = ${answered}::uuid`.execute(tx),
    );
    assert.equal(await cursorOf(s.id), undefined, "a contact's profile changed forgets the rollup");
    await assertExact(s.id, 'a profile field changed');
    await foldAll(t.ctx);

    // Its gender, then its function.
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`UPDATE contacts SET gender = CASE WHEN gender = 'female' THEN 'male' ELSE 'female' END WHERE id = ${answered}::uuid`.execute(
        tx,
      ),
    );
    assert.equal(await cursorOf(s.id), undefined, "a contact's gender changed forgets the rollup");
    await assertExact(s.id, 'a gender changed');
    await foldAll(t.ctx);

    // A change that no breakdown groups by keeps it.
    await t.ctx.db.tenant(tenantId, (tx) =>
      sql`UPDATE contacts SET phone_enc = NULL, updated_at = now() WHERE id = ${answered}::uuid`.execute(tx),
    );
    assert.ok(await cursorOf(s.id), "a contact's other fields change no breakdown");

    // The contact deleted (a respondent's erasure, retention): its responses have no contact fields.
    await t.ctx.db.tenant(tenantId, (tx) => sql`DELETE FROM contacts WHERE id = ${answered}::uuid`.execute(tx));
    assert.equal(await cursorOf(s.id), undefined, 'a contact deleted forgets the rollup');
    await assertExact(s.id, 'a contact deleted');
  });

  test('a question that changes type is counted again (the rollup has another shape)', async () => {
    const s = await createSurvey();
    await addResponses(s, 300, 60);
    await foldAll(t.ctx);
    const changed = {
      ...definition,
      questions: definition.questions.map((q) =>
        q.id === 'hours' ? { id: 'hours', type: 'rating', min: 1, max: 10, text: q.text } : q,
      ),
    };
    const r = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/surveys/${s.id}`,
      headers: { cookie: owner },
      payload: { definition: changed },
    });
    if (r.statusCode !== 200) {
      // A survey with answers may refuse a change of type; then the shape check is proven below.
      await t.ctx.db.tenant(tenantId, (tx) =>
        sql`UPDATE surveys SET definition = ${JSON.stringify(changed)}::jsonb WHERE id = ${s.id}::uuid`.execute(tx),
      );
    }
    await assertExact(s.id, 'a question changed type');
  });

  test('SVC-4: a confidential survey: the rollup stays inside the release and the release is unchanged', async () => {
    const s = await createSurvey({ anonymity: 'confidential', minGroupSize: 5 });
    await addResponses(s, 263, 30);
    const before = await read(s.id);
    await foldAll(t.ctx);
    const c = await cursorOf(s.id);
    assert.ok(c, 'a shielded survey is folded too');
    const released = (before[0] as { released: number }).released;
    assert.ok(released > 0 && released < 263, `a release of whole steps (${released})`);
    assert.equal(Number(c.responses), released, 'the rollup stops at the release, never past it');
    assert.deepEqual(await read(s.id), before, 'folding changes no number of the release');
    await addResponses(s, 40, 0.001);
    await assertExact(s.id, 'a confidential survey after new answers');
  });
});
