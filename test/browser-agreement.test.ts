/**
 * OBLIGATIONS AGR-1, AGR-5 in the admin app (chromium through playwright-core; needs `npm run build`):
 * an owner reads the agreement (term, notice deadline, terms), sets the privacy contact, and gives
 * notice after confirming it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertBrowserReady, launchChromium, signInAsOwner } from './browser.js';
import { setUp, startTestApp, type TestApp } from './harness.js';

test(
  'AGR-1 AGR-5 the Agreement page: terms and notice deadline shown, privacy contact saved, notice given',
  { timeout: 180_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      app = await startTestApp();
      await setUp(app);
      const address = await app.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();
      const page = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' })
      ).newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));

      await signInAsOwner(page, address);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy' }).click();
      await page
        .getByRole('navigation', { name: 'Privacy' })
        .getByRole('link', { name: /Agreement/ })
        .click();
      await page.getByRole('heading', { name: 'Processing agreement', level: 1 }).waitFor();
      await page.getByRole('definition').filter({ hasText: 'Zorggroep Test' }).waitFor();
      await page.getByText('24 hours', { exact: true }).waitFor();
      await page.getByText('Notice deadline', { exact: true }).waitFor();

      await page.getByLabel('Privacy contact email').fill('privacy@zorg.test');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Contact details saved.').waitFor();

      await page.getByRole('button', { name: 'Give notice', exact: true }).click();
      await page.getByRole('button', { name: /Yes, give notice/ }).click();
      await page.getByText(/Notice recorded; the agreement ends on/).waitFor();
      const a = (
        await app.app.inject({
          method: 'GET',
          url: '/api/v1/agreement',
          headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
        })
      ).json();
      assert.equal(a.contacts.privacyEmail, 'privacy@zorg.test');
      assert.equal(a.notice.late, false);
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await app?.close();
    }
  },
);
