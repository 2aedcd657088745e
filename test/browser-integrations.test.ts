/**
 * OBLIGATIONS SVC-5 in the admin app (chromium through playwright-core; needs `npm run build`):
 * an owner creates an API key on the Integrations page, sees it once, the key works against the
 * API, and is revoked from the list; a webhook is added and its secret shown once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertBrowserReady, launchChromium, signInAsOwner } from './browser.js';
import { eventually, setUp, startTestApp, type TestApp } from './harness.js';

test(
  'SVC-5 the Integrations page: create an API key (shown once), use it, revoke it; add a webhook',
  { timeout: 300_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      app = await startTestApp({ PEIL_WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_SWEEP_MS: '0' });
      const { ownerCookie: owner } = await setUp(app);
      const address = await app.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'en-GB',
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));

      await signInAsOwner(page, address);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
      await page.getByRole('heading', { name: /Integrations/, level: 1 }).waitFor();

      // A key with one scope: shown once, with a copy button.
      await page.getByLabel('Name', { exact: true }).fill('Servicedesk');
      await page.getByLabel(/Read results/).check();
      await page.getByRole('button', { name: 'Create key' }).click();
      const shown = page.getByLabel('The new API key');
      await shown.waitFor();
      const key = (await shown.textContent())!.trim();
      assert.match(key, /^peil_/);
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
      await page.getByRole('button', { name: 'I have copied it' }).click();
      assert.equal(await page.getByText(key).count(), 0, 'the key is not shown again');

      const surveys = await app.app.inject({
        method: 'GET',
        url: '/api/v1/labelling',
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(surveys.statusCode, 200, 'the key works with its scope (results:read)');
      await page.reload();
      const row = page.getByRole('row', { name: /Servicedesk/ });
      await row.getByText('from 127.0.0.1').waitFor();
      await row.getByRole('button', { name: 'Revoke the key Servicedesk' }).click();
      await page.getByText('The key “Servicedesk” is revoked').waitFor();
      await row.getByText('revoked', { exact: true }).waitFor();
      assert.equal(
        (await app.app.inject({ method: 'GET', url: '/api/v1/labelling', headers: { authorization: `Bearer ${key}` } }))
          .statusCode,
        401,
      );

      // A webhook: a private address needs the development setting (on here); the secret is shown once.
      await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/hook');
      await page.getByRole('button', { name: 'Add webhook' }).click();
      const secret = page.getByLabel("The webhook's signing secret");
      await secret.waitFor();
      assert.match((await secret.textContent())!, /^whsec_/);
      const first = await secret.textContent();
      await page
        .getByRole('row', { name: /127\.0\.0\.1:9/ })
        .getByRole('button', { name: 'Delivery log' })
        .click();
      await page.getByText('No events yet.').waitFor();
      await page
        .getByRole('row', { name: /127\.0\.0\.1:9/ })
        .getByRole('button', { name: 'Deactivate' })
        .click();
      await page
        .getByRole('row', { name: /127\.0\.0\.1:9/ })
        .getByRole('button', { name: 'Activate' })
        .waitFor();
      // Issue 15: a test event (nobody listens on port 9: it fails, and the row shows the attempt), a new
      // secret (shown once), another set of event types, and delete.
      page.on('dialog', (d) => void d.accept());
      const hookRow = () => page.getByRole('row', { name: /127\.0\.0\.1:9/ });
      await hookRow().getByRole('button', { name: 'Send test' }).click();
      await page
        .getByRole('status')
        .getByText(/Test failed/)
        .waitFor();
      await hookRow()
        .getByText(/^Failed \(/)
        .waitFor();
      await page.getByRole('button', { name: 'I have copied it' }).click();
      await hookRow().getByRole('button', { name: 'Rotate secret' }).click();
      const rotated = page.getByLabel("The webhook's signing secret");
      await rotated.waitFor();
      assert.match((await rotated.textContent())!, /^whsec_/);
      assert.notEqual(await rotated.textContent(), first);
      await hookRow()
        .getByText(/Old secret valid until/)
        .waitFor();
      await hookRow().getByRole('button', { name: 'Events', exact: true }).click();
      await hookRow()
        .getByRole('checkbox', { name: /Survey closed/ })
        .check();
      await eventually(
        async () => {
          const hooks = (
            await app!.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: { cookie: owner } })
          ).json().webhooks as { events: string[] }[];
          return hooks[0]?.events.includes('survey.closed');
        },
        10_000,
        'the event types saved',
      );
      await hookRow().getByRole('button', { name: 'Delete', exact: true }).click();
      await page.getByText('No webhooks yet.').waitFor();
      await page.screenshot({ path: '/tmp/peil-integrations.png', fullPage: true });
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close().catch(() => {});
      await app?.close().catch(() => {});
    }
  },
);
