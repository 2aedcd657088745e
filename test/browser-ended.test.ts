/**
 * What the admin app shows when a customer's agreement ends (END-2), in chromium through
 * playwright-core (needs `npm run build`), on the database of the run: an owner and an admin are
 * working when the operator ends the customer; the admin's next step shows the ended screen and
 * signs out; the owner's shows the end's page only (the full export and the choice), every other
 * address of the app leads back to it, and a new sign-in of the admin is refused with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertBrowserReady, launchChromium, signInAsOwner, signInWithPassword } from './browser.js';
import {
  addColleague,
  COLLEAGUE_PASSWORD,
  dbKind,
  operatorCookie,
  setUp,
  startTestApp,
  type TestApp,
} from './harness.js';

test(
  `END-2 END-3 an ended customer's owner sees only the end's page; its admin is told and signed out (${dbKind})`,
  { timeout: 180_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    const watch = (p: Page) => p.on('pageerror', (err) => pageErrors.push(err.message));
    try {
      const t = await startTestApp();
      app = t;
      const { tenantId, ownerCookie } = await setUp(t);
      await addColleague(t, ownerCookie, 'beheer@zorg.test', 'admin');
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();
      const context = () => browser!.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });

      const owner = await (await context()).newPage();
      owner.setDefaultTimeout(15_000);
      watch(owner);
      await signInAsOwner(owner, address);
      await owner.getByRole('heading', { name: /^(Onderzoeken|Surveys)$/, level: 1 }).waitFor();

      const admin = await (await context()).newPage();
      admin.setDefaultTimeout(15_000);
      watch(admin);
      await admin.goto(`${address}/app/sign-in`);
      await signInWithPassword(admin, 'beheer@zorg.test', COLLEAGUE_PASSWORD);
      await admin.getByRole('heading', { name: /^(Onderzoeken|Surveys)$/, level: 1 }).waitFor();

      // The operator ends the customer while both are signed in.
      const op = await operatorCookie(t);
      const ended = await t.app.inject({
        method: 'POST',
        url: `/api/v1/operator/tenants/${tenantId}/end`,
        headers: { cookie: op },
        payload: { reason: 'Contract opgezegd' },
      });
      assert.equal(ended.statusCode, 200, ended.body);

      // The admin's next step: the ended screen with the reason, Dutch first; signing out works.
      await admin.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Contacten' }).click();
      await admin.getByRole('heading', { name: 'Overeenkomst beëindigd', level: 1 }).waitFor();
      await admin.getByText(/aanmelden is niet meer mogelijk/).waitFor();
      await admin.getByRole('button', { name: 'Afmelden' }).click();
      await admin.getByRole('button', { name: 'Inloggen', exact: true }).waitFor();
      // Signing in again is refused, with the reason.
      await signInWithPassword(admin, 'beheer@zorg.test', COLLEAGUE_PASSWORD);
      await admin.getByText(/aanmelden is niet meer mogelijk/).waitFor();
      assert.match(admin.url(), /\/app\/sign-in$/);

      // The owner's next step: the end's page, and only that; other addresses lead back to it.
      await owner.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Contacten' }).click();
      await owner.getByRole('heading', { name: 'Einde van de overeenkomst', level: 1 }).waitFor();
      await owner.waitForURL(/\/app\/privacy\/ending$/);
      assert.equal(
        await owner.getByRole('navigation', { name: 'Hoofdmenu' }).count(),
        0,
        'no menu to pages that are closed',
      );
      await owner.goto(`${address}/app/contacts`);
      await owner.waitForURL(/\/app\/privacy\/ending$/);
      await owner.getByRole('heading', { name: 'Einde van de overeenkomst', level: 1 }).waitFor();
      // The full export downloads from here.
      const [download] = await Promise.all([
        owner.waitForEvent('download'),
        owner.getByRole('link', { name: /Volledige export downloaden/ }).click(),
      ]);
      assert.match(download.suggestedFilename(), /\.zip$/);
      // The choice: deletion, confirmed.
      owner.once('dialog', (d) => void d.accept());
      await owner.getByRole('button', { name: 'Nu verwijderen' }).click();
      await owner.getByText('Keuze vastgelegd: Verwijdering.').waitFor();
      const state = await t.app.inject({
        method: 'GET',
        url: `/api/v1/operator/tenants/${tenantId}/ending`,
        headers: { cookie: op },
      });
      assert.equal(state.json().ended.choice, 'deletion', state.body);
      await owner.getByRole('button', { name: 'Afmelden' }).click();
      await owner.getByRole('button', { name: 'Inloggen', exact: true }).waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await app?.close();
    }
  },
);
