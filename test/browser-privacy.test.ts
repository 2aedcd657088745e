/**
 * The Privacy section of the admin app and the operator console's privacy objects (issue 10), in
 * chromium through playwright-core (needs `npm run build`), on the database of the run (PGlite, or
 * PostgreSQL with PEIL_TEST_DATABASE_URL): the operator sets a customer's terms and adds a
 * sub-processor; the owner sees them in the Privacy section, accepts the document, objects to the
 * sub-processor and to a new version, and requests an audit; the operator sees the objections and
 * the request and withdraws the version; an admin reads without the owner's buttons; a suspension
 * shows its own screen and the user can still sign out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertBrowserReady, launchChromium, signInAsOperator, signInAsOwner, signInWithPassword } from './browser.js';
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
  `AGR-2 AGR-3 AGR-4 REG-1 SUB-1 SUB-2 SEC-4 AUD-1 AGR-6 the Privacy section and the operator console (${dbKind})`,
  { timeout: 240_000 },
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

      // ---------------------------------------------------------------- operator: terms and the register
      const op = await (await context()).newPage();
      op.setDefaultTimeout(15_000);
      watch(op);
      await signInAsOperator(op, address);
      await op.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Privacy' }).click();
      await op.getByRole('heading', { name: /Privacy — alle klanten/, level: 1 }).waitFor();
      const row = op.getByRole('row', { name: /Zorggroep Test/ });
      await row.getByText('24 h · EU').waitFor();
      await row.getByRole('button', { name: 'Termijnen wijzigen: Zorggroep Test' }).click();
      const form = op.getByRole('form', { name: 'Termijnen: Zorggroep Test' });
      await form.getByLabel('Melding datalek (uur)').fill('36');
      await form.getByRole('button', { name: 'Opslaan' }).click();
      await row.getByText('36 h · EU').waitFor();

      await op.getByRole('navigation', { name: 'Privacy' }).getByRole('link', { name: 'Subverwerkers' }).click();
      await op.getByText('Het register is leeg.').waitFor();
      await op.getByLabel('Naam', { exact: true }).fill('Voorbeeld Hosting B.V.');
      await op.getByLabel('Dienst', { exact: true }).fill('Servers en opslag');
      await op.getByLabel('Plaats of regio').fill('Amsterdam');
      await op.getByLabel(/Land \(ISO-code/).fill('NL');
      await op.getByLabel('Soort').selectOption('hosting');
      await op.getByRole('checkbox', { name: 'dpa' }).check();
      await op.getByRole('button', { name: 'Toevoegen' }).click();
      await op
        .getByRole('row', { name: /Voorbeeld Hosting B\.V\./ })
        .getByText('alle klanten')
        .waitFor();

      // ---------------------------------------------------------------- owner: the Privacy section
      const page = await (await context()).newPage();
      page.setDefaultTimeout(15_000);
      watch(page);
      await signInAsOwner(page, address);
      await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Privacy' }).click();
      const privacyNav = page.getByRole('navigation', { name: 'Privacy' });
      await page.getByRole('heading', { name: /Verwerkersovereenkomst/, level: 1 }).waitFor();
      assert.match(page.url(), /\/app\/privacy\/agreement$/);
      await page.getByText('36 uur', { exact: true }).waitFor();
      // AGR-3, AGR-4: the document with its annexes, accepted by the owner.
      await privacyNav.getByRole('link', { name: 'Document en acceptatie' }).click();
      await page.getByRole('heading', { name: /Document en acceptatie/, level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Bijlage 1 – Register van verwerkingen' }).waitFor();
      await page
        .getByText(/binnen 36 uur/)
        .first()
        .waitFor();
      await page.getByRole('button', { name: 'Accepteren' }).click();
      await page.getByText(/Versie .* geaccepteerd\./).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Accepteren' }).count(), 0);
      // REG-1: the register.
      await privacyNav.getByRole('link', { name: 'Register' }).click();
      await page.getByRole('heading', { name: /Register van verwerkingen/, level: 1 }).waitFor();
      // SUB-2: the new sub-processor is in its objection window; the owner objects.
      await privacyNav.getByRole('link', { name: 'Subverwerkers' }).click();
      const hosting = page.getByRole('row', { name: /Voorbeeld Hosting B\.V\./ });
      await hosting.getByText(/In bezwaartermijn/).waitFor();
      await hosting.getByRole('button', { name: 'Bezwaar maken' }).click();
      await page.getByLabel('Reden', { exact: true }).fill('Wij willen eerst de beveiliging beoordelen.');
      await page.getByRole('button', { name: 'Bezwaar indienen' }).click();
      await page.getByText(/Bezwaar vastgelegd tegen Voorbeeld Hosting B\.V\./).waitFor();
      // SEC-4: the measures in force.
      await privacyNav.getByRole('link', { name: 'Beveiligingsmaatregelen' }).click();
      await page.getByRole('heading', { name: 'Beveiligingsmaatregelen', level: 1 }).waitFor();
      await page.getByText(/beveiliging per rij in de database/).waitFor();
      // AUD-1: an audit requested at the earliest allowed date.
      await privacyNav.getByRole('link', { name: 'Audits' }).click();
      await page.getByRole('heading', { name: 'Audits', level: 1 }).waitFor();
      const earliest = await page.getByLabel('Voorgestelde datum').getAttribute('min');
      assert.ok(earliest, 'the earliest allowed date is offered');
      await page.getByLabel('Voorgestelde datum').fill(earliest);
      await page.getByLabel('Auditor').fill('Audit & Co');
      await page.getByRole('button', { name: 'Aanvragen' }).click();
      await page.getByRole('cell', { name: 'Audit & Co' }).waitFor();

      // ---------------------------------------------------------------- operator: a new version, an objection, resolved
      await op.getByRole('navigation', { name: 'Privacy' }).getByRole('link', { name: 'Versies' }).click();
      await op.getByLabel('Versie', { exact: true }).fill('2.0');
      await op.getByLabel('Samenvatting (Nederlands)').fill('Nieuwe bijlage over back-ups.');
      await op.getByLabel('Samenvatting (Engels)').fill('New annex on backups.');
      await op.getByRole('button', { name: 'Publiceren voor alle klanten' }).click();
      await op.getByText(/Versie 2\.0: 1 aangekondigd/).waitFor();
      await privacyNav.getByRole('link', { name: 'Document en acceptatie' }).click();
      await page.getByRole('heading', { name: 'Aangekondigde versies' }).waitFor();
      await page.getByLabel('Reden van bezwaar').fill('Wij gaan niet akkoord met de nieuwe bijlage.');
      await page.getByRole('button', { name: 'Bezwaar maken' }).click();
      await page.getByText(/Bezwaar vastgelegd; je huidige versie blijft gelden/).waitFor();
      await op.reload();
      const announced = op.getByRole('row', { name: /Zorggroep Test/ });
      await announced.getByText(/Wij gaan niet akkoord/).waitFor();
      await announced.getByRole('button', { name: 'Intrekken' }).click();
      await op.getByText(/Zorggroep Test: ingetrokken\./).waitFor();
      // The audit request and the sub-processor objection reach the operator.
      await op.getByRole('navigation', { name: 'Privacy' }).getByRole('link', { name: 'Audits en bezwaren' }).click();
      await op.getByText('Audit & Co').waitFor();
      await op.getByText(/Wij willen eerst de beveiliging beoordelen/).waitFor();
      // REG-1: each customer's register, read-only, in the console.
      await op.getByRole('navigation', { name: 'Privacy' }).getByRole('link', { name: 'Registers' }).click();
      await op.getByLabel('Klant').selectOption({ label: 'Zorggroep Test' });
      await op.getByRole('cell', { name: 'contact.email', exact: true }).waitFor();
      // The old addresses lead to the same parts.
      await page.goto(`${address}/app/subprocessors`);
      await page.waitForURL(/\/app\/privacy\/subprocessors$/);

      // ---------------------------------------------------------------- admin: reads, without the owner's buttons
      const admin = await (await context()).newPage();
      admin.setDefaultTimeout(15_000);
      watch(admin);
      await admin.goto(`${address}/app/sign-in`);
      await signInWithPassword(admin, 'beheer@zorg.test', COLLEAGUE_PASSWORD);
      await admin.getByRole('heading', { name: /^(Onderzoeken|Surveys)$/, level: 1 }).waitFor();
      await admin.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Privacy' }).click();
      await admin.getByText('36 uur', { exact: true }).waitFor();
      assert.equal(
        await admin.getByRole('button', { name: /opzeggen|zeg de overeenkomst op/ }).count(),
        0,
        'only the owner gives notice',
      );
      await admin.getByRole('navigation', { name: 'Privacy' }).getByRole('link', { name: 'Audits' }).click();
      await admin.getByRole('cell', { name: 'Audit & Co' }).waitFor();
      assert.equal(
        await admin.getByRole('button', { name: 'Aanvragen' }).count(),
        0,
        'only the owner requests an audit',
      );

      // ---------------------------------------------------------------- suspended while signed in
      const op2 = await operatorCookie(t);
      const sus = await t.app.inject({
        method: 'POST',
        url: `/api/v1/operator/tenants/${tenantId}/suspend`,
        headers: { cookie: op2 },
        payload: { reason: 'Factuur onbetaald' },
      });
      assert.equal(sus.statusCode, 200, sus.body);
      await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Onderzoeken' }).click();
      await page.getByRole('heading', { name: 'Toegang opgeschort', level: 1 }).waitFor();
      await page.getByText(/Er is niets verwijderd/).waitFor();
      await page.getByRole('button', { name: 'Afmelden' }).click();
      await page.getByRole('button', { name: /^(Inloggen|Sign in)$/ }).waitFor();
      // A reload finds no session: the sign-in page, not the suspension screen or a start-up error.
      await page.reload();
      await page.getByRole('button', { name: /^(Inloggen|Sign in)$/ }).waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await app?.close();
    }
  },
);
