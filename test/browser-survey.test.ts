/**
 * A multi-page survey with a condition, answered in a real browser (Debian's chromium through
 * playwright-core) at a phone's viewport, and axe-core (WCAG 2.1 A and AA) on every respondent page:
 * each page of the survey, a validation error, the thank-you page and the open link.
 *
 * Run: npm run build && node scripts/test.mjs test/browser-survey.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser } from 'playwright-core';
import { signedRowToken } from '../src/lib/tokens.js';
import { importCsv, setUp, startTestApp, type TestApp } from './harness.js';
import { assertAccessible, launchChromium, freePort } from './browser.js';

const CHROMIUM = process.env.PEIL_CHROMIUM ?? '/usr/bin/chromium';
const L = (nl: string, en: string) => ({ nl, en });

const DEFINITION = {
  questions: [
    {
      id: 'score',
      type: 'nps',
      required: true,
      text: L('Hoe waarschijnlijk is het dat je ons aanbeveelt?', 'How likely are you to recommend us?'),
    },
    {
      id: 'why',
      type: 'text',
      required: false,
      maxLength: 2000,
      text: L('Wat is de belangrijkste reden voor je score?', 'What is the main reason for your score?'),
    },
    {
      id: 'problem',
      type: 'single',
      required: true,
      newPage: true,
      showIf: { question: 'score', op: 'lte', value: 6 },
      text: L('Wat ging er vooral mis?', 'What went wrong most?'),
      options: [
        { value: 'wachttijd', label: L('De wachttijd', 'The waiting time') },
        { value: 'bejegening', label: L('De bejegening', 'How I was treated') },
      ],
    },
    {
      id: 'channels',
      type: 'multiple',
      required: false,
      text: L('Hoe had je contact met ons?', 'How were you in touch with us?'),
      options: [
        { value: 'telefoon', label: L('Telefoon', 'Phone') },
        { value: 'balie', label: L('Balie', 'Desk') },
      ],
    },
    {
      id: 'effort',
      type: 'ces',
      required: false,
      text: L('Hoeveel moeite kostte het?', 'How much effort did it take?'),
    },
    {
      id: 'visits',
      type: 'number',
      required: true,
      newPage: true,
      integer: true,
      min: 0,
      max: 50,
      text: L('Hoe vaak was je er dit jaar?', 'How often were you there this year?'),
    },
    {
      id: 'visited',
      type: 'date',
      required: false,
      text: L('Wanneer was je laatste bezoek?', 'When was your last visit?'),
    },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt voor je antwoorden!', 'Thank you for your answers!'),
};

/** Runs axe-core on the page (WCAG 2.1 A and AA) and fails with the list of violations, printed. */

test(
  'SVC-2 SVC-3 SVC-4 a multi-page survey with a condition on a phone, and axe-core finds no WCAG 2.1 AA violation on any respondent page',
  { timeout: 240_000 },
  async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM}. Install it (Debian: apt-get install chromium) or set PEIL_CHROMIUM.`,
    );
    let t: TestApp | undefined;
    let browser: Browser | undefined;
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      t = await startTestApp({ PEIL_BASE_URL: base });
      await t.app.listen({ host: '127.0.0.1', port });
      const { ownerCookie: owner, tenantId } = await setUp(t);
      assert.equal(
        (await importCsv(t, owner, 'email;voornaam;taal\nanna@example.nl;Anna;nl\nbram@example.nl;Bram;nl\n'))
          .statusCode,
        200,
      );
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner },
        payload: { name: 'Bezoekersonderzoek', kind: 'custom', definition: DEFINITION, anonymity: 'confidential' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const surveyId: string = created.json().id;
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
      const invitations = await t.ctx.db.tenant(tenantId, (tx) =>
        tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).orderBy('id').execute(),
      );
      const links = invitations.map((i) => `${base}/s/${signedRowToken(tenantId, i.id, (b) => keys.tokenMac(b))}`);
      const openLink = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/surveys/${surveyId}/open-link`,
        headers: { cookie: owner },
        payload: { enabled: true, oncePerBrowser: true },
      });
      assert.equal(openLink.statusCode, 200);

      browser = await launchChromium();
      // bypassCSP: the respondent pages allow no script at all; axe is injected by the test only.
      const phone = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'nl-NL',
        bypassCSP: true,
        javaScriptEnabled: true,
      });
      const p = await phone.newPage();
      p.setDefaultTimeout(15_000);

      // Page 1 of 3.
      await p.goto(links[0]!);
      await p.getByText('Stap 1 van 3').waitFor();
      await assertAccessible(p, 'page 1');
      // Next without the required score: the error next to the field.
      await p.getByRole('button', { name: 'Volgende' }).tap();
      await p.getByText('Kies een cijfer van 0 tot 10.').first().waitFor();
      const scale = p.getByRole('group', { name: /Hoe waarschijnlijk is het dat je ons aanbeveelt/ });
      assert.equal(await scale.getAttribute('aria-describedby'), 'score-error');
      await assertAccessible(p, 'page 1 with a validation error');
      await scale.getByText('3', { exact: true }).tap();
      await p.getByLabel(/Wat is de belangrijkste reden/).fill('Ik moest lang wachten.');
      await p.screenshot({ path: '/tmp/peil-survey-page1.png', fullPage: true });
      await p.getByRole('button', { name: 'Volgende' }).tap();

      // Page 2: the condition (score ≤ 6) shows the question.
      await p.getByText('Stap 2 van 3').waitFor();
      const problem = p.getByRole('group', { name: /Wat ging er vooral mis/ });
      await problem.waitFor();
      await assertAccessible(p, 'page 2');
      // Back keeps the answer of page 1, and forward again.
      await p.getByRole('button', { name: 'Vorige' }).tap();
      await p.getByText('Stap 1 van 3').waitFor();
      assert.ok(await scale.getByRole('radio', { name: '3', exact: true }).isChecked());
      await p.getByRole('button', { name: 'Volgende' }).tap();
      await problem.getByText('De wachttijd').tap();
      await p
        .getByRole('group', { name: /Hoe had je contact/ })
        .getByText('Telefoon')
        .tap();
      await p
        .getByRole('group', { name: /Hoeveel moeite/ })
        .getByText('5', { exact: true })
        .tap();
      await p.screenshot({ path: '/tmp/peil-survey-page2.png', fullPage: true });
      await p.getByRole('button', { name: 'Volgende' }).tap();

      // Page 3: a number and a date; a wrong number first.
      await p.getByText('Stap 3 van 3').waitFor();
      await p.getByLabel(/Hoe vaak was je er/).fill('heel vaak');
      await p.getByRole('button', { name: 'Versturen' }).tap();
      await p.getByText('Vul een getal in.').first().waitFor();
      await assertAccessible(p, 'page 3 with a validation error');
      await p.getByLabel(/Hoe vaak was je er/).fill('4');
      await p.getByLabel(/Wanneer was je laatste bezoek/).fill('2026-03-02');
      await assertAccessible(p, 'page 3');
      await p.getByRole('button', { name: 'Versturen' }).tap();
      await p.getByRole('heading', { name: 'Bedankt voor je antwoorden!' }).waitFor();
      await assertAccessible(p, 'the thank-you page');

      // A promoter in English: the conditional question is skipped.
      const p2 = await phone.newPage();
      await p2.goto(`${links[1]!}?lang=en`);
      await p2.getByText('Step 1 of 3').waitFor();
      await p2
        .getByRole('group', { name: /How likely are you to recommend us/ })
        .getByText('10', { exact: true })
        .tap();
      await p2.getByRole('button', { name: 'Next' }).tap();
      await p2.getByText('Step 2 of 3').waitFor();
      assert.equal(await p2.getByText('What went wrong most?').count(), 0, 'the condition does not hold');
      await p2.getByRole('button', { name: 'Next' }).tap();
      await p2.getByLabel(/How often were you there/).fill('1');
      await p2.getByRole('button', { name: 'Submit' }).tap();
      await p2.getByRole('heading', { name: 'Thank you for your answers!' }).waitFor();

      const stored = await t.ctx.db.tenant(tenantId, (tx) =>
        tx
          .selectFrom('responses')
          .select(['score', 'answers'])
          .where('survey_id', '=', surveyId)
          .orderBy('score')
          .execute(),
      );
      assert.deepEqual(stored, [
        // Closed answers, numbers and dates in clear for aggregation; open text only sealed, with only
        // the mark that it was answered in clear (issue 17: the comments are counted from it).
        {
          score: 3,
          answers: {
            why: true,
            score: 3,
            problem: 'wachttijd',
            channels: ['telefoon'],
            effort: 5,
            visited: '2026-03-02',
            visits: 4,
          },
        },
        { score: 10, answers: { score: 10, visits: 1 } },
      ]);

      // The open link, in the browser's language.
      const open = await browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        locale: 'en-GB',
        bypassCSP: true,
      });
      const o = await open.newPage();
      await o.goto(openLink.json().url);
      await o.getByText('Step 1 of 3').waitFor();
      assert.equal(await o.locator('html').getAttribute('lang'), 'en');
      await assertAccessible(o, 'the open link page');
      await o.screenshot({ path: '/tmp/peil-open-link.png', fullPage: true });
      await open.close();
      await phone.close();
    } finally {
      await browser?.close();
      await t?.close();
    }
  },
);

test(
  'SVC-2 SVC-3 SVC-4 the survey editor in the admin app: template, anonymity, a conditional question on a new page, open link, preview',
  { timeout: 240_000 },
  async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}.`);
    assert.ok(
      existsSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web', 'index.html')),
      'The admin app is not built: run npm run build first.',
    );
    let t: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      t = await startTestApp({ PEIL_BASE_URL: base });
      await t.app.listen({ host: '127.0.0.1', port });
      const { ownerCookie: owner } = await setUp(t);
      browser = await launchChromium();
      const ctx = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'en-GB',
        bypassCSP: true,
      });
      const page = await ctx.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
      await page.goto(`${base}/app/`);
      await page.getByLabel('Email').fill('owner@zorg.test');
      await page.getByLabel('Password').fill('Tulpenveld-Zomer-7');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();

      await page.getByLabel('Survey name').fill('Medewerkers 2026');
      await page.getByLabel('Template').selectOption('enps');
      await page.getByRole('radio', { name: /^Confidential/ }).check();
      await page.getByRole('button', { name: 'Create survey' }).click();
      await page.getByRole('heading', { name: 'Questions and settings' }).waitFor();

      await page.getByLabel('New question type').selectOption('single');
      await page.getByRole('button', { name: 'Add question' }).click();
      const q3 = page.locator('li.question-editor').nth(2);
      await q3.getByLabel('Question in Dutch').fill('Wat moet beter?');
      await q3.getByLabel('Question in English').fill('What should improve?');
      await q3.getByLabel('Required').check();
      await q3.getByLabel('Starts a new page').check();
      await q3.getByLabel('Earlier question').selectOption('score');
      await q3.getByLabel('Comparison').selectOption('lte');
      await q3.getByLabel('Value', { exact: true }).fill('6');
      await page.getByLabel('Minimum group size (confidential surveys)').fill('7');
      await page.getByRole('button', { name: 'Save survey' }).click();
      await page.getByRole('status').getByText('Saved.').waitFor();

      await page.getByLabel('Open link on').click(); // saved at once; the box follows the server's answer
      const link = page.locator('a', { hasText: '/s/o/' });
      await link.waitFor();

      const id = new URL(page.url()).pathname.split('/')[3]!;
      const s = (
        await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${id}`, headers: { cookie: owner } })
      ).json();
      assert.equal(s.kind, 'enps');
      assert.equal(s.anonymity, 'confidential');
      assert.equal(s.minGroupSize, 7);
      assert.equal(s.openLink.enabled, true);
      assert.deepEqual(s.definition.questions[2], {
        id: 'q3',
        type: 'single',
        required: true,
        text: { nl: 'Wat moet beter?', en: 'What should improve?' },
        newPage: true,
        showIf: { question: 'score', op: 'lte', value: 6 },
        options: [
          { value: 'a', label: { nl: 'Optie A', en: 'Option A' } },
          { value: 'b', label: { nl: 'Optie B', en: 'Option B' } },
        ],
      });

      // The preview, in the same signed-in browser: the respondent pages, stored nothing.
      const preview = await ctx.newPage();
      await preview.goto(`${base}/s/preview/${id}?lang=en`);
      await preview.getByText('Preview: answers are not stored.').waitFor();
      await assertAccessible(preview, 'the preview');
      await preview
        .getByRole('group', { name: /recommend/ })
        .getByText('2', { exact: true })
        .click();
      await preview.getByRole('button', { name: 'Next' }).click();
      await preview.getByRole('group', { name: 'What should improve?' }).waitFor();
      assert.equal(s.responses, 0);
      assert.deepEqual(pageErrors, []);
      await ctx.close();
    } finally {
      await browser?.close();
      await t?.close();
    }
  },
);
