import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { signedRowToken } from '../../lib/tokens.js';
import { importCsv, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

const L = (nl: string, en: string) => ({ nl, en });
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const twoPages = {
  questions: [
    { id: 'score', type: 'nps', required: true, text: L('Zou je ons aanbevelen?', 'Would you recommend us?') },
    { id: 'why', type: 'text', required: false, maxLength: 5000, text: L('Waarom?', 'Why?') },
    {
      id: 'visits',
      type: 'number',
      required: true,
      min: 0,
      max: 50,
      newPage: true,
      text: L('Hoe vaak kwam je?', 'How often did you come?'),
    },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt!', 'Thank you!'),
};

/** Issue 14 (point 3): every step is a POST answered by 303 to a GET; the answers so far wait on the server. */
describe('issue 14: respondent steps are POST-redirect-GET', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    assert.equal(
      (await importCsv(t, owner, 'email;voornaam\nanna@klant.example;Anna\nbert@klant.example;Bert\n')).statusCode,
      200,
    );
  });
  after(() => t.close());

  async function links(anonymity: 'identified' | 'anonymous'): Promise<{ surveyId: string; paths: string[] }> {
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: `Twee pagina's ${anonymity}`, kind: 'custom', anonymity, definition: twoPages },
    });
    assert.equal(s.statusCode, 201, s.body);
    const surveyId = s.json().id as string;
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/surveys/${surveyId}/distributions`,
          headers: { cookie: owner },
          payload: { all: true },
        })
      ).statusCode,
      202,
    );
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const rows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).orderBy('id').execute(),
    );
    return { surveyId, paths: rows.map((r) => `/s/${signedRowToken(tenantId, r.id, (b) => keys.tokenMac(b))}`) };
  }
  const post = (url: string, payload: string) => t.app.inject({ method: 'POST', url, headers: form, payload });
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  test('a step answers 303 to a GET page; going back (the earlier GET) shows the answers given; the last submit stores them and deletes the draft', async () => {
    const { surveyId, paths } = await links('identified');
    const a = paths[0]!;
    const next = await post(a, 'lang=nl&page=0&nav=next&score=7&why=Snelle+hulp');
    assert.equal(next.statusCode, 303, next.body);
    const location = next.headers.location as string;
    assert.match(location, /^\/s\/[^?]+\?d=[0-9a-f-]{36}&p=1&lang=nl$/);
    const page2 = await get(location);
    assert.equal(page2.statusCode, 200);
    assert.match(page2.body, /Hoe vaak kwam je\?/);
    assert.equal(page2.headers['cache-control'], 'no-store');
    // Not carried in the page any more: the draft holds them.
    assert.ok(!/name="why" value="Snelle hulp"/.test(page2.body), 'answers of page 1 are not hidden fields of page 2');
    const draftId = /name="draft" value="([0-9a-f-]{36})"/.exec(page2.body)?.[1];
    assert.ok(draftId, 'the form names its draft');
    // Back: the browser loads the first page's GET again (here with the draft, as the back button does after a step back).
    const back = await post(a, `lang=nl&page=1&nav=back&draft=${draftId}&visits=3`);
    assert.equal(back.statusCode, 303);
    const page1 = await get(back.headers.location as string);
    assert.match(page1.body, /value="7"[^>]*checked|checked[^>]*value="7"/);
    assert.match(page1.body, /Snelle hulp/);
    // On to page 2 again: what was typed there is kept too.
    const again = await get(
      (await post(a, `lang=nl&page=0&nav=next&draft=${draftId}&score=7&why=Snelle+hulp`)).headers.location as string,
    );
    assert.match(again.body, /value="3"/);
    const done = await post(a, `lang=nl&page=1&nav=submit&draft=${draftId}&visits=3`);
    assert.equal(done.statusCode, 303);
    assert.match(done.headers.location as string, /\/thanks/);
    const stored = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('responses').select(['score']).where('survey_id', '=', surveyId).execute(),
    );
    assert.deepEqual(
      stored.map((r) => r.score),
      [7],
    );
    const drafts = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('response_drafts').select('id').where('id', '=', draftId!).execute(),
    );
    assert.equal(drafts.length, 0, 'the draft is gone after the submit');
  });

  test('a validation error answers 303 to the same page, which shows the problem and what was typed; nothing is stored', async () => {
    const { surveyId, paths } = await links('identified');
    const res = await post(paths[1]!, 'lang=nl&page=0&nav=next&why=Geen+cijfer');
    assert.equal(res.statusCode, 303);
    assert.match(res.headers.location as string, /&p=0&lang=nl&check=1$/);
    const page = await get(res.headers.location as string);
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /Kies een cijfer van 0 tot 10/);
    assert.match(page.body, /Geen cijfer/);
    const n = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('responses').select('id').where('survey_id', '=', surveyId).execute(),
    );
    assert.equal(n.length, 0);
  });

  test("SVC-4 a draft of an anonymous survey is sealed and names no invitation or contact; another survey's link cannot read it", async () => {
    const { surveyId, paths } = await links('anonymous');
    const res = await post(paths[0]!, 'lang=nl&page=0&nav=next&score=2&why=Geheim+antwoord');
    const draftId = /[?&]d=([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
    const row = (
      await sql<Record<string, unknown>>`SELECT * FROM response_drafts WHERE id = ${draftId}::uuid`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows[0]!;
    assert.deepEqual(Object.keys(row).sort(), [
      'expires_at',
      'id',
      'survey_id',
      'tenant_id',
      'updated_at',
      'values_enc',
    ]);
    assert.equal(row.survey_id, surveyId);
    assert.ok(
      !Buffer.from(row.values_enc as Uint8Array)
        .toString('latin1')
        .includes('Geheim'),
      'sealed',
    );
    // The draft's id with another survey's link shows that survey's empty first page.
    const other = (await links('identified')).paths[0]!;
    const probe = await get(`${other}?d=${draftId}&p=1`);
    assert.equal(probe.statusCode, 200);
    assert.ok(!probe.body.includes('Geheim antwoord'));
    assert.match(probe.body, /Zou je ons aanbevelen\?/);
  });
});
