/**
 * Issue 14 in a real browser (needs `npm run build` first, and Debian's chromium): a Dutch user (an
 * nl-NL browser) goes through the admin pages from sign-in to results and meets no English, and axe
 * (WCAG 2.1 AA) finds nothing on each page. The user's language is kept on the server: switched to
 * English on the account page it survives a reload, and a new sign-in in another browser; switched
 * back, the app is Dutch again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Locator, type Page } from 'playwright-core';
import { signedRowToken } from '../src/lib/tokens.js';
import { importCsv, OWNER, setUp, startTestApp, type TestApp } from './harness.js';
import {
  assertAccessible,
  assertBrowserReady,
  launchChromium,
  signInAsOwner,
  SURVEYS_HEADING,
  freePort,
  watchErrors,
} from './browser.js';

const L = (nl: string, en: string) => ({ nl, en });
const DEFINITION = {
  questions: [
    {
      id: 'score',
      type: 'nps',
      required: true,
      text: L('Hoe waarschijnlijk is het dat je ons aanbeveelt?', 'How likely are you to recommend us?'),
    },
    { id: 'why', type: 'text', text: L('Waarom geef je dit cijfer?', 'Why this score?') },
    {
      id: 'site',
      type: 'single',
      text: L('Welke vestiging?', 'Which site?'),
      options: [
        { value: 'zwolle', label: L('Zwolle', 'Zwolle') },
        { value: 'flex', label: L('Flexplek', 'Flexible desk') },
      ],
    },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt!', 'Thank you!'),
};

/**
 * Whole English words that never occur in Dutch UI text. Not in the list: words Dutch has too ("is",
 * "of" (or), "in", "per", "over", "door", "die", "type", "status", "score", "trend", "label", "link",
 * "open", "team", "benchmark", "account", "download", "e-mail"), so the check never flags Dutch.
 */
const ENGLISH = [
  'the',
  'and',
  'your',
  'you',
  'with',
  'to',
  'are',
  'this',
  'that',
  'no',
  'not',
  'all',
  'new',
  'save',
  'cancel',
  'delete',
  'edit',
  'surveys',
  'contacts',
  'results',
  'question',
  'questions',
  'answer',
  'answers',
  'send',
  'sent',
  'loading',
  'show',
  'yet',
  'by',
  'from',
  'for',
  'has',
  'have',
  'been',
  'will',
  'sign',
  'password',
  'settings',
  'preview',
  'responses',
  'response',
  'invitation',
  'invitations',
  'page',
  'shown',
  'only',
  'when',
  'who',
  'which',
  'what',
  'how',
  'there',
  'their',
  'they',
  'these',
  'remove',
  'add',
  'change',
  'choose',
];
const ENGLISH_RE = new RegExp(`\\b(${ENGLISH.join('|')})\\b`, 'i');

/** What comes from the test's data (names, addresses, the survey's texts) and may be in any language. */
const TEST_DATA = [
  OWNER.email,
  OWNER.name,
  'Zorggroep Oost',
  'zorggroep',
  'Klantpeiling',
  /k\d@example\.nl/g,
  /K\d\b/g,
  'Zwolle',
  'Flexplek',
  /Flexible desk/g,
];

async function englishOn(page: Page, scope?: Locator): Promise<string[]> {
  let text = scope
    ? await scope.innerText()
    : await page.evaluate(
        () => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText,
      );
  for (const d of TEST_DATA) text = typeof d === 'string' ? text.split(d).join(' ') : text.replace(d, ' ');
  // The language switch names English in English, on purpose (a reader of English finds it).
  text = text.replace(/\bEnglish\b/g, ' ');
  return text.split('\n').filter((line) => ENGLISH_RE.test(line));
}

async function assertDutch(page: Page, what: string, scope?: Locator): Promise<void> {
  await page.waitForLoadState('networkidle');
  assert.equal(
    await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang,
    ),
    'nl',
    `${what}: <html lang>`,
  );
  assert.deepEqual(await englishOn(page, scope), [], `${what}: lines with English words`);
  await assertAccessible(page, `${what} (Dutch)`);
}

test(
  'issue 14: a Dutch user meets no English from sign-in to results, axe finds nothing, and the language chosen on the account page is kept on the server',
  { timeout: 300_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    const browser = await launchChromium();
    const pageErrors: string[] = [];
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      app = await startTestApp({ PEIL_BASE_URL: base });
      const { tenantId, ownerCookie: owner } = await setUp(app);
      await app.app.listen({ host: '127.0.0.1', port });
      assert.equal(
        (
          await importCsv(
            app,
            owner,
            `email;voornaam;taal\n${Array.from({ length: 5 }, (_, i) => `k${i}@example.nl;K${i};nl`).join('\n')}\n`,
          )
        ).statusCode,
        200,
      );
      const created = await app.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner },
        payload: { name: 'Klantpeiling', kind: 'custom', definition: DEFINITION },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as string;
      assert.equal(
        (await app.app.inject({ method: 'POST', url: `/api/v1/surveys/${id}/open`, headers: { cookie: owner } }))
          .statusCode,
        200,
      );
      assert.equal(
        (
          await app.app.inject({
            method: 'POST',
            url: `/api/v1/surveys/${id}/distributions`,
            headers: { cookie: owner },
            payload: { all: true },
          })
        ).statusCode,
        202,
      );
      const keys = await app.ctx.keyring.forTenant(tenantId);
      const inv = await app.ctx.db.tenant(tenantId, (tx) =>
        tx.selectFrom('invitations').select('id').where('survey_id', '=', id).orderBy('id').execute(),
      );
      for (const [i, a] of [
        { score: '9', why: 'Vriendelijk', site: 'zwolle' },
        { score: '3', why: 'Te laat', site: 'flex' },
      ].entries()) {
        const path = `/s/${signedRowToken(tenantId, inv[i]!.id, (b) => keys.tokenMac(b))}`;
        const r: { statusCode: number; body: string } = await app.app.inject({
          method: 'POST',
          url: path,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ lang: 'nl', ...a }).toString(),
        });
        assert.equal(r.statusCode, 303, r.body);
      }

      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'nl-NL',
        bypassCSP: true,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      watchErrors(page, pageErrors);

      // Sign-in.
      await page.goto(`${base}/app/sign-in`);
      await page.getByRole('heading', { name: 'Inloggen bij Peil', level: 1 }).waitFor();
      await assertDutch(page, 'the sign-in page');
      await signInAsOwner(page, base);

      // Account: Dutch; English chosen there is kept for the user (a reload, another browser), and back.
      await page.goto(`${base}/app/account`);
      await page.getByRole('heading', { name: 'Je account', level: 1 }).waitFor();
      await assertDutch(page, 'the account page', page.locator('main'));
      await page.getByRole('radio', { name: 'English' }).check();
      await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
      const other = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
      other.setDefaultTimeout(15_000);
      await signInAsOwner(other, base);
      await other.goto(`${base}/app/account`);
      await other.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
      assert.equal(
        await other.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement
              .lang,
        ),
        'en',
      );
      await other.context().close();
      await page.getByRole('radio', { name: 'Nederlands' }).check();
      await page.getByRole('heading', { name: 'Je account', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Afmelden' }).click();
      await signInAsOwner(page, base);
      await page.goto(`${base}/app/account`);
      await page.getByRole('heading', { name: 'Je account', level: 1 }).waitFor();

      // The survey's pages. Scoped to the tab's own section: the survey's header and tabs are
      // SurveyDetail.tsx, translated by another helper (widen to the whole page once that is in).
      await page.goto(`${base}/app/surveys/${id}/questions`);
      const editor = page.locator('section', { has: page.getByRole('heading', { name: 'Vragen en instellingen' }) });
      await editor.waitFor();
      // The survey is Dutch: the condition's list shows the Dutch question texts, not the English ones.
      assert.ok(
        (await editor
          .locator('option', { hasText: 'score: Hoe waarschijnlijk is het dat je ons aanbeveelt?' })
          .count()) > 0,
        'the Dutch question text',
      );
      assert.equal(await editor.locator('option', { hasText: 'How likely are you' }).count(), 0, 'not the English one');
      await assertDutch(page, 'the survey editor', editor);

      await page.goto(`${base}/app/surveys/${id}/send`);
      await page.getByRole('heading', { name: 'Uitnodigingen versturen' }).waitFor();
      await page.getByText('2 van 5 beantwoord').first().waitFor();
      await assertDutch(
        page,
        'the send tab',
        page.locator('main section').filter({ has: page.getByRole('heading', { name: 'Verzendingen' }) }),
      );
      await assertDutch(
        page,
        'the send form',
        page.locator('section', { has: page.getByRole('heading', { name: 'Uitnodigingen versturen' }) }),
      );

      await page.goto(`${base}/app/surveys/${id}/results`);
      await page.getByRole('heading', { name: 'Resultaten' }).waitFor();
      await page.getByTestId('question-site').waitFor();
      const results = page.locator('section', { has: page.getByRole('heading', { name: 'Resultaten', level: 2 }) });
      assert.match(await page.getByTestId('question-score').innerText(), /Hoe waarschijnlijk/);
      await assertDutch(page, 'the results tab', results);

      // Pages not translated yet in this branch (Templates.tsx, Outbox.tsx, Labelling.tsx, Benchmark.tsx,
      // Usage.tsx, FollowUps.tsx: see the branch's report): axe only, until their catalogues are in.
      for (const [path, heading] of [
        ['/app/templates', /./],
        ['/app/outbox', /./],
        ['/app/labelling', /./],
        ['/app/benchmark', /./],
        ['/app/usage', /./],
        ['/app/follow-ups', /./],
      ] as const) {
        await page.goto(`${base}${path}`);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        await assertAccessible(page, `${path} (nl-NL)`);
      }

      await page.goto(`${base}/app/surveys`);
      await page.getByRole('heading', { name: SURVEYS_HEADING, level: 1 }).waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await app?.close();
    }
  },
);
