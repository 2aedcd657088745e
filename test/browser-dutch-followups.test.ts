/**
 * Issue 14 in a real browser (needs `npm run build` first, and Debian's chromium): the labelling page
 * and the follow-ups pages (the list, a follow-up, the alert settings, the summary on the results tab)
 * show a Dutch user no English, and axe (WCAG 2.1 AA) finds nothing on them; the same pages in an
 * English browser have English headings. The follow-up is made the way a user makes one: the alert
 * rule is set on the Dutch page, a detractor answers, the sweep creates the follow-up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { signedRowToken } from '../src/lib/tokens.js';
import {
  assertAccessible,
  assertBrowserReady,
  assertDutchPage,
  launchChromium,
  signInAsOwner,
  watchErrors,
} from './browser.js';
import { englishWords } from './english-detector.js';
import { importCsv, OWNER, setUp, startTestApp, type TestApp } from './harness.js';

/** The test's own data, which is not the app's text. */
const DATA = [OWNER.name, OWNER.email, 'kees@klant.example', 'Servicemonitor', 'Geheim onderzoek'];

const assertDutch = (page: Page, what: string, allow: readonly string[] = []) =>
  assertDutchPage(page, what, [...DATA, ...allow]);

test(
  'issue 14: the labelling page and the follow-ups pages (list, a follow-up, alert settings, summary) in Dutch without English and without axe violations; English headings in an English browser',
  { timeout: 300_000 },
  async () => {
    assertBrowserReady();
    let t: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      t = await startTestApp({ FOLLOWUP_SWEEP_SECONDS: '1', WEBHOOK_SWEEP_MS: '0' });
      const { ownerCookie: owner, tenantId } = await setUp(t);
      assert.equal((await importCsv(t, owner, 'email;voornaam\nkees@klant.example;Kees\n')).statusCode, 200);
      const s = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner },
        payload: { name: 'Servicemonitor' },
      });
      assert.equal(s.statusCode, 201, s.body);
      const surveyId: string = s.json().id;
      const shielded = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner },
        payload: { name: 'Geheim onderzoek', kind: 'enps', anonymity: 'confidential', minGroupSize: 5 },
      });
      assert.equal(shielded.statusCode, 201, shielded.body);
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
      const labels = (await t.app.inject({ method: 'GET', url: '/api/v1/labels', headers: { cookie: owner } })).json()
        .labels as Array<{ name: { en: string } }>;
      // The labels table shows each label's English name beside the Dutch one (lang="en"): data, not app text.
      const englishNames = labels.map((l) => l.name.en);
      assert.ok(englishNames.length > 0);

      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'nl-NL',
        bypassCSP: true,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      watchErrors(page, pageErrors);
      await signInAsOwner(page, address);

      // Labelling: off, with the terms in Dutch; switched on in Dutch; the labels table with its actions.
      await page.goto(`${address}/app/labelling`);
      await page.getByRole('heading', { name: 'Labels', level: 1 }).waitFor();
      await page
        .getByTestId('labelling-status')
        .getByText(/^Uit\./)
        .waitFor();
      assert.equal(await page.getByTestId('labelling-terms').getAttribute('lang'), 'nl', 'the terms in Dutch');
      await assertDutch(page, 'the labelling page (off)', englishNames);
      await page.getByLabel('Ik accepteer deze voorwaarden namens mijn organisatie').check();
      await page.getByRole('button', { name: 'Labelen aanzetten' }).click();
      await page.getByRole('status').getByText('Labelen staat aan.', { exact: false }).waitFor();
      await page
        .getByTestId('labelling-status')
        .getByText(/^Aan\./)
        .waitFor();
      await page.getByRole('button', { name: 'Wachttijd hernoemen' }).click();
      await page.getByRole('form', { name: 'Wachttijd hernoemen' }).getByLabel('Naam (Nederlands)').waitFor();
      await assertDutch(page, 'the labelling page (on, renaming a label)', englishNames);
      await page.getByRole('button', { name: 'Annuleren' }).click();

      // Follow-ups: the list, empty; the alert rule of the identified survey, set in Dutch.
      await page
        .getByRole('navigation', { name: 'Hoofdmenu' })
        .getByRole('link', { name: 'Opvolging', exact: true })
        .click();
      await page.getByRole('heading', { name: 'Opvolging', level: 1 }).waitFor();
      await page.getByText('Geen opvolgingen.').waitFor();
      await assertDutch(page, 'the follow-ups list (empty)');
      await page.getByLabel('Onderzoek', { exact: true }).selectOption(shielded.json().id as string);
      await page.getByText(/alleen bij herleidbare onderzoeken\. Dit onderzoek is vertrouwelijk/).waitFor();
      await assertDutch(page, 'the alert settings of a confidential survey');
      await page.getByLabel('Onderzoek', { exact: true }).selectOption(surveyId);
      await page.getByRole('heading', { name: 'Signalering en opvolging' }).waitFor();
      await page.getByText('Ontevreden groep van Net Promoter Score (NPS): Criticus').waitFor();
      await page.getByLabel('Collega', { exact: true }).selectOption({ label: `${OWNER.name} (Eigenaar)` });
      await page.getByLabel('Mail de collega').check();
      await page.getByLabel('Termijn in uren').fill('24');
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await page.getByText('Signalering opgeslagen.').waitFor();
      await assertDutch(page, 'the follow-ups page with the alert settings');

      // A detractor answers; the sweep (every second) makes the follow-up.
      const inv = await t.ctx.db.tenant(tenantId, (tx) =>
        tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).executeTakeFirstOrThrow(),
      );
      const keys = await t.ctx.keyring.forTenant(tenantId);
      const token = signedRowToken(tenantId, inv.id, (b) => keys.tokenMac(b));
      const answered = await t.app.inject({
        method: 'POST',
        url: `/s/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'lang=nl&score=2&why=Niemand+belde+terug',
      });
      assert.equal(answered.statusCode, 303, answered.body);
      const row = page.getByRole('row', { name: /Servicemonitor/ });
      for (let i = 0; i < 30 && (await row.count()) === 0; i++) {
        await page.waitForTimeout(500);
        await page.reload();
        await page.getByRole('heading', { name: 'Opvolging', level: 1 }).waitFor();
      }
      await row.getByRole('cell', { name: 'Open', exact: true }).waitFor();
      await row.getByText('2 (Criticus)').waitFor();
      await page.getByRole('table', { name: '1 opvolging' }).waitFor();
      await assertDutch(page, 'the follow-ups list');

      // The follow-up: read, a note, in progress, done.
      await row.getByRole('link', { name: /^Opvolging openen: Servicemonitor, uiterlijk / }).click();
      await page.getByRole('heading', { name: 'Opvolging: Servicemonitor', level: 1 }).waitFor();
      await page.getByText('kees@klant.example').waitFor();
      await page.getByText('Niemand belde terug').waitFor();
      await assertDutch(page, 'a follow-up');
      await page.getByLabel('Notitie', { exact: true }).fill('Kees teruggebeld');
      await page.getByRole('button', { name: 'Notitie toevoegen' }).click();
      await page.getByRole('status').getByText('Notitie opgeslagen.').waitFor();
      await page.getByRole('button', { name: 'In behandeling nemen' }).click();
      await page.getByTestId('followup-status').getByText('In behandeling').waitFor();
      await page.getByRole('button', { name: 'Markeren als afgehandeld' }).click();
      await page.getByTestId('followup-status').getByText('Afgehandeld').waitFor();
      await page.getByRole('heading', { name: 'Notities' }).waitFor();
      await assertDutch(page, 'a follow-up, done, with a note', ['Kees teruggebeld']);

      // The summary on the results tab (the results page itself is checked in browser-dutch.test.ts).
      await page.goto(`${address}/app/surveys/${surveyId}/results`);
      const summary = page.getByRole('region', { name: 'Opvolging', exact: true });
      await summary.getByText(/^1 van 1 binnen de termijn afgehandeld \(100\s?%\)\.$/).waitFor();
      const summaryText = await summary.innerText();
      assert.deepEqual(englishWords(summaryText, DATA), [], `the follow-up summary in Dutch:\n${summaryText}`);
      const settingsText = await page.getByRole('region', { name: 'Signalering en opvolging' }).innerText();
      assert.deepEqual(englishWords(settingsText, DATA), [], `the alert settings on the results tab:\n${settingsText}`);
      await assertAccessible(page, 'the results tab with the follow-up summary (Dutch)');

      // English: the same pages with English headings.
      const en = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      const ep = await en.newPage();
      ep.setDefaultTimeout(15_000);
      watchErrors(ep, pageErrors);
      await signInAsOwner(ep, address);
      await ep.goto(`${address}/app/labelling`);
      await ep.getByRole('heading', { name: 'Labelling', level: 1 }).waitFor();
      await ep.getByTestId('labelling-status').getByText(/^On\./).waitFor();
      await ep.getByRole('heading', { name: /^Terms of the labelling module/ }).waitFor();
      assert.equal(await ep.getByTestId('labelling-terms').getAttribute('lang'), 'en', 'the terms in English');
      await ep.getByRole('button', { name: 'Rename Waiting time' }).waitFor();
      await ep.goto(`${address}/app/follow-ups`);
      await ep.getByRole('heading', { name: 'Follow-ups', level: 1 }).waitFor();
      await ep.getByRole('table', { name: '1 follow-up' }).getByRole('cell', { name: 'Done', exact: true }).waitFor();
      await ep.getByRole('heading', { name: 'Alert rule per survey' }).waitFor();
      await ep.getByLabel('Survey', { exact: true }).selectOption(surveyId);
      await ep.getByRole('heading', { name: 'Alerts and follow-ups' }).waitFor();
      await ep.getByText('Unhappy group of Net Promoter Score (NPS): Detractor').waitFor();
      await assertAccessible(ep, 'the follow-ups page (English)');
      await ep.getByRole('link', { name: /^Open follow-up: Servicemonitor, due / }).click();
      await ep.getByRole('heading', { name: 'Follow-up: Servicemonitor', level: 1 }).waitFor();
      await ep.getByRole('heading', { name: 'Handle' }).waitFor();
      await ep.getByRole('button', { name: 'Reopen' }).waitFor();
      await assertAccessible(ep, 'a follow-up (English)');
      await en.close();

      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close().catch(() => {});
      await t?.close().catch(() => {});
    }
  },
);
