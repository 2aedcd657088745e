/**
 * End to end in a real browser (Debian's chromium through playwright-core): the admin app built by
 * `npm run build` and served by the real server on a real port, mail delivered over SMTP to a test
 * server, and the respondent answering on a phone-sized, touch-enabled page.
 *
 * Run: npm run build && node scripts/test.mjs test/browser.test.ts
 * Screenshots are written to /tmp/peil-*.png for a human to look at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, freePort } from './browser.js';
import { startTestApp, type TestApp } from './harness.js';
import { startSmtp, type ReceivedMail, type TestSmtp } from './smtp.js';

const CHROMIUM = process.env.PEIL_CHROMIUM ?? '/usr/bin/chromium';
const WEB_BUILD = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web', 'index.html');

const OPERATOR = { email: 'beheer@peil.test', name: 'Olga Operator', password: 'Kaasschaaf-Molen-42' };
const OWNER = { email: 'eigenaar@zorgoost.test', name: 'Otto Eigenaar', password: 'Tulpenveld-Zomer-7' };
const ORG = 'Zorggroep Oost';

// A semicolon-separated file as Dutch Excel writes it, with Dutch headers; one contact prefers English.
const CSV = [
  'e-mailadres;voornaam;achternaam;taal',
  'anna.devries@example.nl;Anna;de Vries;nl',
  'bram.jansen@example.nl;Bram;Jansen;nl',
  'chris.smith@example.com;Chris;Smith;en',
].join('\r\n');

// Markup in a comment must come out as text in the admin, never as HTML.
const PROMOTER_COMMENT = 'Heel vriendelijke zorg <b>echt</b> & snel geholpen';
const DETRACTOR_COMMENT = 'Waited two hours for a call back.';

function linkIn(mail: ReceivedMail, base: string): string {
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}/s/[^\\s<>"]+`).exec(mail.text);
  assert.ok(m, `no survey link in the mail to ${mail.to.join(', ')}:\n${mail.text}`);
  return m[0];
}

/** Clicks "Refresh results" until the expected number of answers is shown. */
async function waitForResponses(page: Page, n: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  const rate = page.locator('.cat-card', { hasText: 'Response rate' });
  for (;;) {
    const text = (await rate.textContent()) ?? '';
    if (text.includes(`${n} of`)) return;
    if (Date.now() > until) throw new Error(`results never showed ${n} answers; last seen: ${text}`);
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: 'Refresh results' }).click();
    await page.getByRole('button', { name: 'Refresh results' }).waitFor();
  }
}

test(
  'end to end in chromium: set-up, sign-in, CSV import, survey, send, answer on a phone, NPS',
  { timeout: 240_000 },
  async () => {
    // CI installs chromium; a missing browser must fail the suite, not skip it.
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM}. Install it (Debian: apt-get install chromium) or set PEIL_CHROMIUM.`,
    );
    assert.ok(existsSync(WEB_BUILD), `The admin app is not built (${WEB_BUILD} is missing). Run npm run build first.`);

    let smtp: TestSmtp | undefined;
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      smtp = await startSmtp();
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      app = await startTestApp({ SMTP_URL: smtp.url, PEIL_BASE_URL: base });
      await app.app.listen({ host: '127.0.0.1', port });

      browser = await launchChromium();
      const admin = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      const page = await admin.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        // A failed request is reported by the app itself; anything else logged as an error is a bug.
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
          pageErrors.push(`console: ${msg.text()}`);
      });

      // ---------------------------------------------------------------- first-run set-up
      await page.goto(`${base}/app/`);
      await page.getByRole('heading', { name: 'Set up Peil', level: 1 }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/app/setup');
      const operator = page.getByRole('group', { name: 'Operator account' });
      await operator.getByLabel('Email').fill(OPERATOR.email);
      await operator.getByLabel('Name').fill(OPERATOR.name);
      await operator.getByLabel('Password').fill(OPERATOR.password);
      await page.getByLabel('Organisation name').fill(ORG);
      assert.equal(
        await page.getByLabel('Short name').inputValue(),
        'zorggroep-oost',
        'the short name is suggested from the organisation name',
      );
      const owner = page.getByRole('group', { name: 'Owner of the customer' });
      await owner.getByLabel('Email').fill(OWNER.email);
      await owner.getByLabel('Name').fill(OWNER.name);
      await owner.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Set up Peil' }).click();

      // ---------------------------------------------------------------- sign in as the owner
      await page.getByRole('heading', { name: 'Sign in to Peil' }).waitFor();
      await page.getByText('Set-up is complete').waitFor();
      // A wrong password shows the API's problem detail.
      await page.getByLabel('Email').fill(OWNER.email);
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page
        .getByRole('alert')
        .getByText(/Email or password is not correct/)
        .waitFor();
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();
      const header = page.getByRole('banner');
      await header.getByText(ORG).waitFor();
      await header.getByText(OWNER.name).waitFor();
      await header.getByText('Owner', { exact: true }).waitFor();

      // ---------------------------------------------------------------- import contacts
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const item of ['Surveys', 'Contacts', 'Team', 'Outbox'])
        await nav.getByRole('link', { name: item }).waitFor();
      await nav.getByRole('link', { name: 'Contacts' }).click();
      await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
      await page.getByText('0 contacts').waitFor();
      await page
        .getByLabel('Contact file (CSV)')
        .setInputFiles({ name: 'contacten.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
      await page.getByRole('button', { name: 'Upload file' }).click();

      // The mapping step: Dutch headers are recognised, the file's shape is shown.
      await page.getByRole('heading', { name: 'Check the columns' }).waitFor();
      assert.equal(await page.getByLabel('e-mailadres', { exact: true }).inputValue(), 'email');
      assert.equal(await page.getByLabel('voornaam', { exact: true }).inputValue(), 'first_name');
      assert.equal(await page.getByLabel('achternaam', { exact: true }).inputValue(), 'last_name');
      assert.equal(await page.getByLabel('taal', { exact: true }).inputValue(), 'language');
      await page.getByText('semicolon (;)').waitFor();
      await page.getByText('No problems found').waitFor();
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByText('Imported 3 contacts from contacten.csv: 3 new, 0 updated').waitFor();
      await page.getByText('3 contacts').first().waitFor();
      const list = page.getByRole('table', { name: /Contacts 1–3 of 3/ });
      for (const email of ['anna.devries@example.nl', 'bram.jansen@example.nl', 'chris.smith@example.com']) {
        await list.getByRole('rowheader', { name: email }).waitFor();
      }

      // ---------------------------------------------------------------- create a survey and send it
      await nav.getByRole('link', { name: 'Surveys' }).click();
      await page.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();
      await page.getByLabel('Survey name').fill('Klanttevredenheid 2026');
      await page.getByRole('button', { name: 'Create survey' }).click();
      await page.getByRole('heading', { name: 'Klanttevredenheid 2026', level: 1 }).waitFor();
      await page.getByRole('radio', { name: 'All contacts (3)' }).waitFor();
      await page.getByRole('button', { name: 'Send to all contacts' }).click();
      await page.getByText('Sending 3 invitations.').waitFor();

      const mails = await smtp.waitFor(3, 30_000);
      assert.equal(mails.length, 3);
      const mailTo = (email: string) => {
        const m = mails.find((x) => x.to.includes(email));
        assert.ok(m, `no mail to ${email}`);
        return m;
      };
      const anna = mailTo('anna.devries@example.nl');
      const chris = mailTo('chris.smith@example.com');
      assert.match(anna.subject, /hoort graag je mening/, 'Dutch contact gets the Dutch invitation');
      assert.match(
        chris.subject,
        /would like to hear from you/,
        'the contact with taal=en gets the English invitation',
      );
      // The admin page follows the sends by itself.
      await page.getByText('3 of 3 sent').waitFor({ timeout: 20_000 });

      // ---------------------------------------------------------------- answer on a phone
      const phone = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'nl-NL',
      });
      const p1 = await phone.newPage();
      p1.setDefaultTimeout(15_000);
      await p1.goto(linkIn(anna, base));
      await p1.getByRole('heading', { name: ORG }).waitFor();
      const scale = p1.getByRole('group', { name: /Hoe waarschijnlijk is het dat je Zorggroep Oost aanbeveelt/ });
      await scale.getByText('9', { exact: true }).tap();
      assert.ok(await scale.getByRole('radio', { name: '9', exact: true }).isChecked(), 'tapping 9 chooses 9');
      await p1.getByLabel(/Wat is de belangrijkste reden voor je score/).fill(PROMOTER_COMMENT);
      await p1.screenshot({ path: '/tmp/peil-phone-survey.png', fullPage: true });
      await p1.getByRole('button', { name: 'Versturen' }).tap();
      await p1.getByRole('heading', { name: 'Bedankt voor je antwoord!' }).waitFor();
      await p1.screenshot({ path: '/tmp/peil-phone-thanks.png' });

      const p2 = await phone.newPage();
      p2.setDefaultTimeout(15_000);
      await p2.goto(linkIn(chris, base));
      const scale2 = p2.getByRole('group', { name: /How likely are you to recommend Zorggroep Oost/ });
      await scale2.getByText('3', { exact: true }).tap();
      await p2.getByLabel(/What is the most important reason for your score/).fill(DETRACTOR_COMMENT);
      await p2.getByRole('button', { name: 'Submit' }).tap();
      await p2.getByRole('heading', { name: 'Thank you for your answer!' }).waitFor();
      await phone.close();

      // ---------------------------------------------------------------- results in the admin
      await page.getByRole('navigation', { name: 'Survey sections' }).getByRole('link', { name: 'Results' }).click();
      await page.getByRole('heading', { name: 'Results', level: 2 }).waitFor();
      await waitForResponses(page, 2);
      // One promoter and one detractor: (1 − 1) / 2 · 100 = 0.
      assert.equal((await page.getByTestId('key-score-value').textContent())?.trim(), '0');
      await page.getByTestId('key-score').getByText('Net Promoter Score (NPS)').first().waitFor();
      await page.locator('.cat-card', { hasText: 'Promoter' }).getByText('50%').waitFor();
      await page.locator('.cat-card', { hasText: 'Detractor' }).getByText('50%').waitFor();
      await page.locator('.cat-card', { hasText: 'Response rate' }).getByText('66.7%').waitFor();
      // The distribution's numbers are in a table for screen readers: one answer at 3, one at 9.
      const perScore = page.getByRole('table', { name: /Answers per score/ });
      assert.equal(await perScore.getByRole('row', { name: /^3 1 / }).count(), 1);
      assert.equal(await perScore.getByRole('row', { name: /^9 1 / }).count(), 1);
      const comments = page.locator('.comments');
      await comments.getByText(PROMOTER_COMMENT, { exact: true }).waitFor();
      await comments.getByText(DETRACTOR_COMMENT, { exact: true }).waitFor();
      assert.equal(await comments.locator('b').count(), 0, 'a comment is shown as text, not as HTML');
      await page.screenshot({ path: '/tmp/peil-results.png', fullPage: true });
      // The download menu (SVC-4): format, language, contacts; the link downloads what it says.
      await page.getByText('Download responses', { exact: true }).click();
      await page.getByLabel('Format', { exact: true }).selectOption('xlsx');
      await page.getByLabel('Language of labels').selectOption('en');
      await page.getByLabel('With contact details').check();
      const download = page.getByRole('link', { name: 'Download', exact: true });
      const href = (await download.getAttribute('href')) ?? '';
      assert.match(href, /\/responses\.xlsx\?lang=en&contacts=true$/);
      const xlsx = await page.request.get(new URL(href, page.url()).toString());
      assert.equal(xlsx.status(), 200);
      assert.equal(xlsx.headers()['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

      // ---------------------------------------------------------------- labelling (OBLIGATIONS AI-1, AI-2)
      const resultsUrl = page.url();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Labelling' }).click();
      await page.getByRole('heading', { name: 'Labelling', level: 1 }).waitFor();
      await page
        .getByTestId('labelling-status')
        .getByText(/^Off\./)
        .waitFor();
      await page
        .getByTestId('labelling-terms')
        .getByText(/Additional terms of the AI labelling module/)
        .waitFor();
      await page.getByLabel('I accept these terms on behalf of my organisation').check();
      await page.getByRole('button', { name: 'Switch labelling on' }).click();
      await page.getByTestId('labelling-status').getByText(/^On\./).waitFor();
      await page.getByText(/Version 2026-01 by Otto Eigenaar/).waitFor();
      await page.getByRole('button', { name: 'Rename Waiting time' }).waitFor();
      await page.screenshot({ path: '/tmp/peil-labelling.png', fullPage: true });
      await page.goto(resultsUrl);
      const labelsCard = page.getByRole('region', { name: 'Labels' });
      for (
        const until = Date.now() + 20_000;
        !((await labelsCard.textContent()) ?? '').includes('2 comments labelled');
      ) {
        if (Date.now() > until) throw new Error(`the comments were never labelled: ${await labelsCard.textContent()}`);
        await page.waitForTimeout(300);
        await page.getByRole('button', { name: 'Refresh results' }).click();
      }
      const detractorCard = page.locator('.comment', { hasText: DETRACTOR_COMMENT });
      await detractorCard.getByText('by the built-in labeller').waitFor();
      await detractorCard.getByRole('button', { name: 'Correct labels' }).click();
      await detractorCard.getByLabel('Price').check();
      await detractorCard.getByLabel('Sentiment').selectOption('negative');
      await detractorCard.getByRole('button', { name: 'Save correction' }).click();
      await detractorCard.getByText('corrected by a person').waitFor();
      await detractorCard.locator('.label-chip', { hasText: 'Price' }).waitFor();
      await page.getByLabel('Show comments with label').selectOption('price');
      // The filtered list replaces the full one when its request returns: wait for the other comment to go.
      await page.locator('.comment', { hasText: PROMOTER_COMMENT }).waitFor({ state: 'detached' });
      await page.locator('.comment').first().waitFor();
      assert.equal(await page.locator('.comment').count(), 1, 'the filter shows the one comment labelled Price');
      await page.screenshot({ path: '/tmp/peil-labels.png', fullPage: true });

      assert.deepEqual(pageErrors, [], 'no errors in the admin page');
    } finally {
      await browser?.close().catch(() => {});
      await app?.close().catch(() => {});
      await smtp?.close().catch(() => {});
    }
  },
);
