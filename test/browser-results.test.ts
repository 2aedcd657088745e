/**
 * SVC-4 (issue 12) in a real browser (needs `npm run build` first, and Debian's chromium): the results
 * page of a CSAT questionnaire on a phone's width. The key score is named CSAT (never NPS) with its
 * margin, each question has its card, a long comment is folded and opens, nothing overflows at 375 px,
 * and axe-core (WCAG 2.1 A and AA) finds no violation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser } from 'playwright-core';
import { signedRowToken } from '../src/lib/tokens.js';
import { importCsv, OWNER, setUp, startTestApp, type TestApp } from './harness.js';
import { assertAccessible, launchChromium, freePort } from './browser.js';

const CHROMIUM = process.env.PEIL_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WEB_BUILD = join(ROOT, 'dist', 'web', 'index.html');
const L = (nl: string, en: string) => ({ nl, en });
const LONG = `${'De wachttijd aan de telefoon was lang, maar de medewerker nam alle tijd en legde alles rustig uit. '.repeat(4)}EINDE-VAN-DE-OPMERKING`;

const DEFINITION = {
  questions: [
    {
      id: 'score',
      type: 'csat',
      required: true,
      text: L('Hoe tevreden ben je over ons?', 'How satisfied are you with us?'),
    },
    { id: 'why', type: 'text', text: L('Waarom?', 'Why?') },
    {
      id: 'site',
      type: 'single',
      text: L('Welke vestiging?', 'Which site?'),
      options: [
        { value: 'zwolle', label: L('Zwolle', 'Zwolle') },
        { value: 'flex', label: L('Flexplek', 'Flexible desk') },
      ],
    },
    { id: 'hours', type: 'number', min: 0, max: 40, integer: true, text: L('Uren per week', 'Hours per week') },
    { id: 'tip', type: 'text', text: L('Nog een tip?', 'Any tip?') },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt!', 'Thank you!'),
};

test(
  'SVC-4 in chromium: the results of a CSAT questionnaire named as CSAT with its margin, per-question cards, a folded comment that opens, no overflow at 375 px, no axe violation',
  { timeout: 180_000 },
  async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}.`);
    assert.ok(existsSync(WEB_BUILD), `The admin app is not built (${WEB_BUILD} is missing). Run npm run build first.`);
    let app: TestApp | undefined;
    let browser: Browser | undefined;
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
        payload: { name: 'Klanttevredenheid', kind: 'custom', definition: DEFINITION },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as string;
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
      const answers: Array<Record<string, string>> = [
        { score: '4', why: LONG, site: 'zwolle', hours: '32', tip: 'Bel terug als het druk is' },
        { score: '4', why: 'Vriendelijk', site: 'flex', hours: '24' },
        { score: '4', site: 'zwolle', hours: '36', tip: 'Langere openingstijden' },
        { score: '4', why: 'Snel', hours: '16' },
      ];
      for (const [i, a] of answers.entries()) {
        const path = `/s/${signedRowToken(tenantId, inv[i]!.id, (b) => keys.tokenMac(b))}`;
        const r: { statusCode: number; body: string } = await app.app.inject({
          method: 'POST',
          url: path,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ lang: 'nl', ...a }).toString(),
        });
        assert.equal(r.statusCode, 303, r.body);
      }

      browser = await launchChromium();
      // bypassCSP: axe is injected by the test only.
      const page = await (
        await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'en-GB', bypassCSP: true })
      ).newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await page.goto(`${base}/app/`);
      await page.getByLabel('Email').fill(OWNER.email);
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();
      await page.goto(`${base}/app/surveys/${id}/results`);
      const key = page.getByTestId('key-score');
      await key.waitFor();

      // Named as itself: CSAT, 100% satisfied, with its Wilson margin; no NPS anywhere on the page.
      // Issue 14: the score's name in the user's language (this context chose English).
      await key.getByText('Customer satisfaction (CSAT)', { exact: false }).waitFor();
      assert.equal((await page.getByTestId('key-score-value').textContent())?.trim(), '100%');
      assert.match((await page.getByTestId('key-score-margin').textContent()) ?? '', /± 24\.5.*51%.*100%.*n = 4/);
      await page.getByTestId('small-base').waitFor();
      const text = (await page.locator('main').textContent()) ?? '';
      assert.ok(!/Net Promoter|NPS|Promoter|Detractor/.test(text), 'no NPS wording on a CSAT survey');
      await page.locator('.cat-card', { hasText: 'Satisfied' }).getByText('100%').waitFor();

      // A card per question: choices by label, the number's mean and median, each open question.
      for (const q of ['score', 'why', 'site', 'hours', 'tip']) await page.getByTestId(`question-${q}`).waitFor();
      const site = page.getByTestId('question-site');
      assert.equal(
        await site
          .getByRole('table')
          .getByRole('row', { name: /^Flexplek 1 33\.3%/ })
          .count(),
        1,
      );
      await page.getByTestId('question-hours').getByText('Mean', { exact: false }).waitFor();
      assert.match((await page.getByTestId('question-hours').locator('.number-stats').textContent()) ?? '', /27.*28/);
      await page.getByTestId('question-tip').getByText('Langere openingstijden').waitFor();
      await page.getByTestId('question-tip').getByText('Bel terug als het druk is').waitFor();

      // The long comment is folded; "show more" opens it.
      const why = page.getByTestId('question-why');
      assert.equal(await why.getByText(/EINDE-VAN-DE-OPMERKING/).count(), 0, 'folded');
      const more = why.getByRole('button', { name: /Show more/ });
      assert.equal(await more.getAttribute('aria-expanded'), 'false');
      await more.click();
      await why.getByText(/EINDE-VAN-DE-OPMERKING/).waitFor();
      assert.equal(await why.getByRole('button', { name: /Show less/ }).getAttribute('aria-expanded'), 'true');

      // The trend's interval can be chosen.
      await page.getByLabel('By', { exact: true }).selectOption('month');
      await page.getByRole('table', { name: /per month/ }).waitFor();

      // No horizontal overflow on a 375 px wide screen.
      const overflow = await page.evaluate(() => {
        const d = (
          globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
        ).document.documentElement;
        return { scroll: d.scrollWidth, client: d.clientWidth };
      });
      assert.ok(overflow.scroll <= overflow.client, `the page scrolls sideways at 375 px: ${JSON.stringify(overflow)}`);
      await page.screenshot({ path: '/tmp/peil-results-csat.png', fullPage: true });
      await assertAccessible(page, 'the results page');
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await app?.close();
    }
  },
);
