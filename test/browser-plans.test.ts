/**
 * OBLIGATIONS SVC-6 in the admin app (chromium through playwright-core; needs `npm run build`): the
 * operator defines a plan and assigns it to the customer in the console; the owner sees "Abonnement en
 * gebruik / Plan and usage" with a bar per limit, and an import above the limit shows the problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertBrowserReady, launchChromium, signInAsOperator, signInAsOwner } from './browser.js';
import { importCsv, setUp, signIn, OWNER, startTestApp, type TestApp } from './harness.js';

test(
  'SVC-6 the operator assigns a plan in the console; the owner sees the plan and usage bars',
  { timeout: 300_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      app = await startTestApp({ PLANS_TICK_SECONDS: '0' });
      await setUp(app);
      const owner = await signIn(app, OWNER.email, OWNER.password);
      assert.equal(
        (await importCsv(app, owner, 'email;voornaam\na@klant.nl;A\nb@klant.nl;B\nc@klant.nl;C\nd@klant.nl;D\n'))
          .statusCode,
        200,
      );
      const address = await app.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();

      const opContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      const op = await opContext.newPage();
      op.setDefaultTimeout(15_000);
      op.on('pageerror', (err) => pageErrors.push(err.message));
      await signInAsOperator(op, address);
      await op
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: /^(Abonnementen \/ )?Plans$/ })
        .click();
      await op.getByRole('heading', { name: 'Plans', level: 1 }).waitFor();
      const form = op.getByRole('form', { name: 'New plan' });
      await form.getByLabel('Name', { exact: true }).fill('Start');
      await form.getByLabel(/^Contacts \(empty: unlimited\)/).fill('5');
      await form.getByRole('button', { name: 'Add plan' }).click();
      await op.getByText('Start · 0 customers').waitFor();
      await op.getByRole('button', { name: 'Plan and usage' }).first().click();
      await op.getByLabel('Plan', { exact: true }).selectOption({ label: 'Start' });
      // The operator's view of a customer's usage uses the customer's bars (Usage.tsx), in English here.
      await op.getByText('4 of 5 (80%)').waitFor();

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await signInAsOwner(page, address);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Plan', exact: true }).click();
      await page.getByRole('heading', { name: 'Plan and usage', level: 1 }).waitFor();
      await page.getByText('Start', { exact: true }).waitFor();
      const bar = page.getByRole('progressbar', { name: 'Contacts', exact: true });
      assert.equal(await bar.getAttribute('value'), '4');
      assert.equal(await bar.getAttribute('max'), '5');
      await page.getByText('0 · unlimited').first().waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await app?.close();
    }
  },
);
