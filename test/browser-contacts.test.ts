/**
 * SVC-1 in a real browser (needs `npm run build` first, and Debian's chromium): an owner defines a
 * typed profile field, imports an Excel workbook whose column maps to it, and corrects a contact's
 * typed values with the matching inputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { type Browser } from 'playwright-core';
import { launchChromium, freePort } from './browser.js';
import writeExcelFile from 'write-excel-file/node';
import { OWNER, setUp, startTestApp, type TestApp } from './harness.js';

const CHROMIUM = process.env.PEIL_CHROMIUM ?? '/usr/bin/chromium';

test(
  'SVC-1 in chromium: a typed profile field, an .xlsx import mapped to it, and a typed correction',
  { timeout: 180_000 },
  async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}.`);
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      app = await startTestApp({ PEIL_BASE_URL: base });
      const { tenantId } = await setUp(app);
      await app.app.listen({ host: '127.0.0.1', port });
      browser = await launchChromium();
      const page = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' })
      ).newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));

      await page.goto(`${base}/app/`);
      await page.getByLabel('Email').fill(OWNER.email);
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();

      // A choice field and a number field, on the Profile fields page.
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Profile fields' }).click();
      await page.getByRole('heading', { name: /Profile fields/, level: 1 }).waitFor();
      const add = page.getByRole('region', { name: 'Add a field' });
      await add.getByLabel('Label in Dutch').fill('Afdeling');
      await add.getByLabel('Label in English').fill('Department');
      assert.equal(await add.getByLabel('Key').inputValue(), 'afdeling', 'the key is suggested from the label');
      await add.getByLabel('Type').selectOption('choice');
      await add.getByLabel('Options').fill('Zorg\nFacilitair\nStaf');
      await add.getByRole('button', { name: 'Add field' }).click();
      await page.getByRole('status').getByText('Added the field “Department”.').waitFor();
      await add.getByLabel('Label in Dutch').fill('Uren');
      await add.getByLabel('Label in English').fill('Hours');
      await add.getByLabel('Type').selectOption('number');
      await add.getByRole('button', { name: 'Add field' }).click();
      await page.getByRole('cell', { name: 'Zorg, Facilitair, Staf' }).waitFor();
      await page.getByRole('rowheader', { name: 'uren' }).waitFor();

      // An Excel workbook: its Afdeling column is suggested as the typed field.
      const xlsx = await writeExcelFile([
        ['E-mailadres', 'Voornaam', 'Afdeling', 'Uren'],
        ['anna@example.nl', 'Anna', 'zorg', 32],
        ['bram@example.nl', 'Bram', 'Staf', 24.5],
      ] as never).toBuffer();
      await nav.getByRole('link', { name: 'Contacts' }).click();
      await page.getByLabel('Contact file (CSV) or Excel workbook (.xlsx)').setInputFiles({
        name: 'medewerkers.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: xlsx,
      });
      await page.getByRole('button', { name: 'Upload file' }).click();
      await page.getByText('Excel workbook (first sheet)').waitFor();
      const afdeling = page.getByRole('combobox', { name: 'Afdeling' });
      assert.equal(await afdeling.inputValue(), 'custom:afdeling');
      assert.match(
        (await afdeling.locator('option:checked').textContent()) ?? '',
        /Profile field “Department”: choice/,
      );
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByText(/Imported 2 contacts from medewerkers\.xlsx/).waitFor();

      // Correct Anna: the choice field is a select, the number field a number input.
      await page.getByRole('button', { name: 'Correct anna@example.nl' }).click();
      const editor = page.getByRole('region', { name: 'Correct anna@example.nl' });
      assert.equal(await editor.getByLabel('Department').inputValue(), 'Zorg');
      assert.equal(await editor.getByLabel('Hours').getAttribute('type'), 'number');
      await editor.getByLabel('Department').selectOption('Facilitair');
      await editor.getByLabel('Hours').fill('36.5');
      await editor.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').getByText('Saved the correction of anna@example.nl.').waitFor();

      const stored = await app.ctx.db.tenant(tenantId, (tx) => tx.selectFrom('contacts').select('profile').execute());
      const profiles = stored.map((r) => r.profile).sort((a, b) => String(a.uren).localeCompare(String(b.uren)));
      assert.deepEqual(profiles, [
        { afdeling: 'Staf', uren: 24.5 },
        { afdeling: 'Facilitair', uren: 36.5 },
      ]);
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await app?.close();
    }
  },
);
