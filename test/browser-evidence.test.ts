/**
 * Issue 16 point 4 (OBLIGATIONS LOG-3), in chromium (needs `npm run build`), on the database of the
 * run: the owner opens Privacy > Bewijs / Evidence, downloads the signed head of the log, sees it as
 * the last anchored head, and checks the log against the file; after entries are removed together
 * with their checkpoints and the chain head is moved back (SQL on the owner connection, as the
 * processor's staff could), the same file shows the removal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { assertBrowserReady, launchChromium, signInAsOwner } from './browser.js';
import { dbKind, setUp, startTestApp, type TestApp } from './harness.js';

test(
  `LOG-3 the Privacy page shows the last anchored head, downloads it and checks the log against it (${dbKind})`,
  { timeout: 180_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      const t = await startTestApp({ AUDIT_MAINTENANCE_MINUTES: '0' });
      app = t;
      const { tenantId } = await setUp(t);
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'nl-NL',
        acceptDownloads: true,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await signInAsOwner(page, address);
      await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Privacy' }).click();
      await page.getByRole('navigation', { name: 'Privacy' }).getByRole('link', { name: 'Bewijs' }).click();
      await page.getByRole('heading', { name: 'Bewijs', level: 1 }).waitFor();
      await page.getByText('Nog geen stand verstuurd of gedownload.').waitFor();
      await page.getByText(/Elke 7 dagen mailt Peil de stand aan je privacycontactpersoon/).waitFor();

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Ondertekende stand downloaden' }).click(),
      ]);
      const path = await download.path();
      assert.ok(path);
      const head = JSON.parse(readFileSync(path, 'utf8'));
      assert.match(download.suggestedFilename(), /^peil-logboek-zorggroep-\d+\.json$/);
      // The page reloads its record: the head just downloaded is the last anchored one.
      const last = page.getByRole('region', { name: 'Laatst verankerde stand' });
      await last.getByText('gedownload', { exact: true }).waitFor();
      await last.getByText(head.head.hash).waitFor();

      // Issue 14: our own file field in Dutch, not Chromium's "Choose Files / No file chosen".
      await page.getByRole('button', { name: 'Bestanden kiezen', exact: true }).waitFor();
      await page.getByText('Geen bestanden gekozen', { exact: true }).waitFor();
      await page.getByLabel(/Stand\(en\) die je bewaart/).setInputFiles(path);
      await page
        .getByRole('status')
        .getByText(/In orde: er is niets verwijderd of herschreven/)
        .waitFor();

      // The attack: entries after seq - 2 removed with their checkpoints, the head moved back.
      const owner = t.ctx.db.handle.kysely;
      const keep = head.head.seq - 2;
      await sql`DELETE FROM audit_events WHERE tenant_id = ${tenantId} AND seq > ${keep}`.execute(owner);
      await sql`DELETE FROM audit_checkpoints WHERE tenant_id = ${tenantId} AND seq > ${keep}`.execute(owner);
      await sql`UPDATE audit_heads SET seq = ${keep}, hash = (SELECT hash FROM audit_events WHERE tenant_id = ${tenantId} AND seq = ${keep}) WHERE tenant_id = ${tenantId}`.execute(
        owner,
      );
      await page.getByLabel(/Stand\(en\) die je bewaart/).setInputFiles(path);
      await page.getByRole('status').getByText('Niet in orde').waitFor();
      await page
        .getByRole('status')
        .getByText(new RegExp(`the log ends at seq ${keep}, but a head signed .* is at seq ${head.head.seq}`))
        .first()
        .waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await app?.close();
    }
  },
);
