/**
 * Issue 14 in a real browser (needs `npm run build` first, and Debian's chromium): a Dutch user (an
 * nl-NL browser) imports contacts and manages integrations and meets no English on either page, and
 * axe (WCAG 2.1 AA) finds nothing. The import goes through each step: choosing a file, a PNG renamed
 * to .csv (named for what it is, no "Rij 1"), the mapping step with a row problem (its reason in
 * Dutch), and the result. The Integrations page: a new key shown once, a webhook, its delivery log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileChooser, Page } from 'playwright-core';
import {
  assertBrowserReady,
  assertDutchPage,
  freePort,
  launchChromium,
  signInAsOwner,
  watchErrors,
} from './browser.js';
import { setUp, startTestApp, type TestApp } from './harness.js';

/** What the pages show that is not the app's own text: file names, headers, addresses, codes. */
const DATA = [
  'contacten.csv',
  'plaatje.csv',
  'Servicedesk',
  'Standard Webhooks',
  'Authorization: Bearer …',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  '/api/openapi.json',
  'README',
  'response.completed',
  'invitation.bounced',
  'contact.unsubscribed',
  'survey.closed',
  'followup.created',
  'contacts:read',
  'contacts:write',
  'surveys:read',
  'surveys:write',
  'invitations:send',
  'results:read',
  'responses:export',
  'security-measures:read',
];

const assertDutch = (page: Page, what: string) => assertDutchPage(page, what, DATA);

test(
  'issue 14: the contact import and the Integrations page in a Dutch browser: no English, axe finds nothing; a PNG is named, a row problem is Dutch',
  { timeout: 300_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    const browser = await launchChromium();
    const pageErrors: string[] = [];
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      app = await startTestApp({ PEIL_BASE_URL: base, PEIL_WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_SWEEP_MS: '0' });
      await setUp(app);
      await app.app.listen({ host: '127.0.0.1', port });
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'nl-NL',
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      watchErrors(page, pageErrors);
      await signInAsOwner(page, base);
      const nav = page.getByRole('navigation', { name: /Hoofdmenu|Main/ });

      // ------------------------------------------------------------ the contact import
      await nav.getByRole('link', { name: 'Contacten' }).click();
      await page.getByRole('heading', { name: 'Contacten importeren', level: 2 }).waitFor();
      await assertDutch(page, 'the contacts page with the import form');

      const file = page.getByLabel('Contactbestand (CSV) of Excel-werkmap (.xlsx)');
      // Our own file field (not Chromium's "Choose File / No file chosen"): a button in Dutch, described
      // by the field's label, the state beside it, and the button opens the file chooser from the keyboard.
      const choose = page.getByRole('button', { name: 'Bestand kiezen', exact: true });
      await choose.waitFor();
      assert.match((await choose.getAttribute('aria-describedby')) ?? '', /-label\b/);
      await page.getByText('Geen bestand gekozen', { exact: true }).waitFor();
      assert.equal(await file.getAttribute('tabindex'), '-1', 'the hidden input is not a second tab stop');
      // Enter on the focused button opens the chooser. The page may still re-render as its lists load
      // (CI on PostgreSQL once waited 15 s for a chooser that never came): the focus is checked before
      // each press, and a press that opened nothing is tried again (three times at most).
      let chooser: FileChooser | undefined;
      for (let attempt = 0; !chooser && attempt < 3; attempt++) {
        await choose.focus();
        if (!(await choose.evaluate((el) => el === el.ownerDocument.activeElement))) continue;
        chooser = await Promise.all([
          page.waitForEvent('filechooser', { timeout: 5_000 }),
          page.keyboard.press('Enter'),
        ]).then(
          ([c]) => c,
          () => undefined,
        );
      }
      assert.ok(chooser, 'Enter on the focused button opens the file chooser');
      assert.equal(chooser.isMultiple(), false);
      await chooser.setFiles({ name: 'contacten.csv', mimeType: 'text/csv', buffer: Buffer.from('e-mailadres\r\n') });
      await page.getByText('contacten.csv', { exact: true }).waitFor();
      await file.setInputFiles([]);
      // No file chosen: the page's own problem, in Dutch.
      await page.getByRole('button', { name: 'Bestand uploaden' }).click();
      await page.getByRole('alert').getByText('Geen bestand gekozen').waitFor();

      // A PNG renamed to .csv: named for what it is, and no row (it has none).
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
      await file.setInputFiles({ name: 'plaatje.csv', mimeType: 'text/csv', buffer: png });
      await page.getByRole('button', { name: 'Bestand uploaden' }).click();
      const alert = page.getByRole('alert');
      await alert.getByText('Dit is een PNG-afbeelding, geen CSV- of Excel-bestand.').waitFor();
      const alertText = await alert.innerText();
      assert.doesNotMatch(alertText, /\bRij \d/, 'a problem of the whole file names no row');
      assert.equal(alertText.split('Dit is een PNG-afbeelding').length, 2, 'the sentence is shown once');
      await assertDutch(page, 'the import with a PNG refused');

      // A file with a row problem: the mapping step, the reason in Dutch.
      const csv =
        'e-mailadres;voornaam;taal\r\nanna@example.nl;Anna;nl\r\ngeen-adres;Bram;nl\r\nchris@example.nl;Chris;en\r\n';
      await file.setInputFiles({ name: 'contacten.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Bestand uploaden' }).click();
      await page.getByRole('heading', { name: 'Controleer de kolommen' }).waitFor();
      assert.equal(await page.getByLabel('e-mailadres', { exact: true }).inputValue(), 'email');
      assert.equal(
        (await page.getByLabel('voornaam', { exact: true }).locator('option:checked').textContent())?.trim(),
        'Voornaam',
        'the standard target is named in Dutch (the list comes from the server)',
      );
      await page.getByText('puntkomma (;)').waitFor();
      await page.getByRole('cell', { name: 'Dit is geen geldig e-mailadres.' }).waitFor();
      await assertDutch(page, 'the mapping step with a row problem');

      // Import refused while a row has problems, then the valid rows only.
      await page.getByRole('button', { name: 'Importeren', exact: true }).click();
      await alert.getByText('Het bestand kan niet worden geïmporteerd', { exact: true }).waitFor();
      await alert.getByText(/^1 probleem in 1 rij; er is niets geïmporteerd\./).waitFor();
      await page.getByRole('button', { name: 'Alleen de 2 geldige rijen importeren' }).click();
      await page.getByText(/2 contacten geïmporteerd uit contacten\.csv: 2 nieuw, 0 bijgewerkt/).waitFor();
      await assertDutch(page, 'the import result');

      // ------------------------------------------------------------ the Integrations page
      await nav.getByRole('link', { name: 'Koppelingen' }).click();
      await page.getByRole('heading', { name: 'Koppelingen', level: 1 }).waitFor();
      await page.getByText('Nog geen API-sleutels.').waitFor();
      await assertDutch(page, 'the Integrations page');

      await page.getByLabel('Naam', { exact: true }).fill('Servicedesk');
      await page.getByLabel(/Resultaten lezen/).check();
      await page.getByRole('button', { name: 'Sleutel maken' }).click();
      await page.getByLabel('De nieuwe API-sleutel').waitFor();
      await assertDutch(page, 'the Integrations page with a new key');
      await page.getByRole('button', { name: 'Ik heb hem gekopieerd' }).click();

      await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/hook');
      await page.getByRole('button', { name: 'Webhook toevoegen' }).click();
      await page.getByLabel('Het ondertekengeheim van de webhook').waitFor();
      const hookRow = page.getByRole('row', { name: /127\.0\.0\.1:9/ });
      await hookRow.getByRole('button', { name: 'Afleverlog' }).click();
      await page.getByText('Nog geen gebeurtenissen.').waitFor();
      await hookRow.getByRole('button', { name: 'Gebeurtenissen', exact: true }).click();
      await hookRow.getByRole('checkbox', { name: /Onderzoek gesloten/ }).waitFor();
      await assertDutch(page, 'the Integrations page with a webhook, its events and its delivery log');
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close().catch(() => {});
      await app?.close().catch(() => {});
    }
  },
);
