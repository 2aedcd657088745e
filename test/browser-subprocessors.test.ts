/**
 * OBLIGATIONS SUB-1, SUB-3, SUB-4 in the admin app (chromium through playwright-core; needs
 * `npm run build`): the owner sees the processing location and the sub-processors that apply, and
 * consents to one outside the EEA.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertBrowserReady, launchChromium, signInAsOwner } from './browser.js';
import { operatorCookie, setUp, startTestApp, type TestApp } from './harness.js';
import { settleSubprocessorChanges } from '../src/features/subprocessors/changes.js';

test(
  'SUB-3 SUB-4 the Sub-processors page: location, the list that applies, an owner consents to one outside the EEA and withdraws it',
  { timeout: 180_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      const t = await startTestApp({ PEIL_HOSTING_LOCATION: 'Amsterdam', PEIL_HOSTING_COUNTRY: 'NL' });
      app = t;
      await setUp(t);
      const op = await operatorCookie(t);
      for (const payload of [
        {
          name: 'Voorbeeld Hosting',
          service: 'Servers',
          location: 'Amsterdam',
          country: 'NL',
          safeguards: ['dpa', 'iso27001'],
          kind: 'hosting',
          appliesTo: 'all',
        },
        {
          name: 'Example Mail Inc.',
          service: 'SMTP relay',
          location: 'Virginia',
          country: 'US',
          safeguards: ['dpa', 'scc'],
          kind: 'smtp',
          appliesTo: 'all',
        },
      ]) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/api/v1/operator/subprocessors',
          headers: { cookie: op },
          payload: payload as Record<string, unknown>,
        });
        assert.equal(r.statusCode, 201, r.body);
      }
      // SUB-2: their objection windows have passed without objection.
      await settleSubprocessorChanges(t.ctx.db, new Date(Date.now() + 100 * 86_400_000));
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
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
        .getByRole('link', { name: /Sub-processors/ })
        .click();
      await page.getByRole('heading', { name: /Sub-processors/, level: 1 }).waitFor();
      await page.getByText('Amsterdam (NL)').first().waitFor();
      const us = page.getByRole('row', { name: /Example Mail Inc\./ });
      await us.getByText(/Awaiting your consent/).waitFor();
      await us.getByRole('button', { name: /Give consent/ }).click();
      await page.getByText('Consent recorded for Example Mail Inc.', { exact: false }).waitFor();
      await us.getByText('Applied').waitFor();
      // A consent can be withdrawn again, after a confirmation.
      page.once('dialog', (d) => void d.accept());
      await us.getByRole('button', { name: /Withdraw consent/ }).click();
      await page.getByText('Consent withdrawn for Example Mail Inc.', { exact: false }).waitFor();
      await us.getByText(/Awaiting your consent/).waitFor();
      assert.equal(
        await page
          .getByRole('row', { name: /Voorbeeld Hosting/ })
          .getByRole('button')
          .count(),
        0,
        'inside the EEA: no consent asked',
      );
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await app?.close();
    }
  },
);
