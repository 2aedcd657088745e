/**
 * Issue 14 (item 12) in a real browser (needs `npm run build` first, and Debian's chromium): the audit
 * log and its undo, which existed only in the API, on the Activity page of the admin app. An owner
 * deletes a contact on the contacts page, finds the entry on the Activity page in Dutch, undoes it
 * there and the contact is back (LOG-2); the filters and the paging are the API's; a viewer, whose
 * role may not read the log, has no menu item and gets the no-access page, which asks the API nothing
 * (LOG-1, ACC-2); in an English browser the page is English. Also: every audit action has a name in
 * both languages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { AuditAction } from '../src/lib/audit.js';
import {
  assertAccessible,
  assertDutchPage,
  assertBrowserReady,
  freePort,
  launchChromium,
  signInAsOwner,
  signInWithPassword,
  SURVEYS_HEADING,
  watchErrors,
} from './browser.js';
import { assertNoEnglish } from './english-detector.js';
import { addColleague, COLLEAGUE_PASSWORD, importCsv, OWNER, setUp, startTestApp, type TestApp } from './harness.js';

const EMAIL = 'marieke.jansen@zorggroep-voorbeeld.nl';
const VIEWER = 'vera.viewer@zorggroep-voorbeeld.nl';
/** What the page shows that is the test's own data, not the app's text. */
const TEST_DATA = [OWNER.email, OWNER.name, EMAIL, VIEWER, 'Marieke Jansen', 'Zorggroep Test', 'viewer vera.viewer'];

type Tree = { [k: string]: string | Tree };
const catalogue = (lang: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'locales', lang, 'activity.json'), 'utf8')) as Tree;

test('issue 14: every audit action has a name on the Activity page, in Dutch and in English, and no name is left over', () => {
  const codes = Object.values(AuditAction).sort();
  for (const lang of ['nl', 'en']) {
    const names = catalogue(lang).action as Record<string, Record<string, string>>;
    const named = Object.entries(names)
      .flatMap(([area, n]) => Object.keys(n).map((k) => `${area}.${k}`))
      .sort();
    assert.deepEqual(named, codes, `${lang}: the catalogue names exactly the audit actions`);
  }
  const nl = catalogue('nl').action as Record<string, Record<string, string>>;
  const en = catalogue('en').action as Record<string, Record<string, string>>;
  assert.equal(nl.contact!.deleted, 'Contact verwijderd');
  assert.notEqual(nl.auth!.sign_in, en.auth!.sign_in, 'the Dutch names are Dutch');
});

async function htmlLang(page: Page): Promise<string> {
  return page.evaluate(
    () => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang,
  );
}

test(
  'LOG-2, LOG-1 in chromium: an owner undoes a deleted contact from the Activity page; a viewer gets no access; English beside Dutch',
  { timeout: 300_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    const browser = await launchChromium();
    const pageErrors: string[] = [];
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      app = await startTestApp({ PEIL_BASE_URL: base });
      const { ownerCookie } = await setUp(app);
      await app.app.listen({ host: '127.0.0.1', port });
      const imported = await importCsv(
        app,
        ownerCookie,
        `email;voornaam;achternaam;taal\n${EMAIL};Marieke;Jansen;nl\nbram@zorggroep-voorbeeld.nl;Bram;Bos;nl\n`,
      );
      assert.equal(imported.statusCode, 200, imported.body);
      const viewerCookie = await addColleague(app, ownerCookie, VIEWER, 'viewer');
      // More entries than one page holds: the owner reads the contact list 30 times (contacts.listed).
      for (let i = 0; i < 30; i++) {
        const r: { statusCode: number } = await app.app.inject({
          method: 'GET',
          url: '/api/v1/contacts',
          headers: { cookie: ownerCookie },
        });
        assert.equal(r.statusCode, 200);
      }

      // ------------------------------------------------------------ the owner deletes a contact (Dutch)
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      watchErrors(page, pageErrors);
      await signInAsOwner(page, base);
      const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
      await nav.getByRole('link', { name: 'Contacten' }).click();
      await page.getByRole('heading', { name: 'Contacten', level: 1 }).waitFor();
      await page.getByRole('button', { name: `${EMAIL} verwijderen` }).click();
      await page.getByRole('button', { name: `Ja, ${EMAIL} verwijderen` }).click();
      await page
        .getByRole('status')
        .getByText(/is verwijderd/)
        .waitFor();

      // ------------------------------------------------------------ the entry on the Activity page
      await nav.getByRole('link', { name: 'Activiteit' }).click();
      await page.getByRole('heading', { name: 'Activiteit', level: 1 }).waitFor();
      assert.equal(await page.title(), 'Activiteit · Peil');
      const table = page.getByRole('table', { name: /^Logboek: / });
      await page.getByRole('table', { name: /^Logboek: \d+ regels op deze pagina$/ }).waitFor();
      const deletedRow = table.getByRole('row').filter({ hasText: 'Contact verwijderd' });
      assert.equal(await deletedRow.count(), 1);
      await deletedRow.getByText(`Contact: Marieke Jansen (${EMAIL})`, { exact: true }).waitFor();
      await deletedRow.getByRole('cell', { name: OWNER.name, exact: true }).waitFor();
      // When: nl-NL, Amsterdam time, with seconds, from the entry's own time.
      const time = deletedRow.locator('time');
      const at = (await time.getAttribute('datetime'))!;
      assert.equal(
        await time.innerText(),
        new Intl.DateTimeFormat('nl-NL', {
          dateStyle: 'medium',
          timeStyle: 'medium',
          timeZone: 'Europe/Amsterdam',
        }).format(new Date(at)),
      );
      // Reading the log with the contact's data in it is itself in the log (LOG-1), named in Dutch.
      await page.reload();
      await table.getByRole('cell', { name: 'Logboek gelezen, met gegevens van contacten' }).first().waitFor();
      await assertDutchPage(page, 'the Activity page', TEST_DATA);

      // The data before the deletion, as the API revealed it, folded until asked for.
      await deletedRow.getByText('Gegevens bekijken').click();
      await deletedRow
        .getByRole('table', { name: 'Gegevens van Contact: Marieke Jansen (' + EMAIL + ') vóór en na' })
        .getByRole('row', { name: /Voornaam Marieke/ })
        .waitFor();
      await assertAccessible(page, 'the Activity page with the data unfolded');

      // ------------------------------------------------------------ undo, with a confirmation
      const undoButton = deletedRow.getByRole('button', {
        name: `Ongedaan maken: Contact verwijderd, Contact: Marieke Jansen (${EMAIL})`,
      });
      await undoButton.click();
      const dialog = page.getByRole('dialog', { name: 'Contact verwijderd ongedaan maken?' });
      await dialog.waitFor();
      await dialog.getByText(/komt terug met dezelfde gegevens/).waitFor();
      assert.equal(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement
              .textContent,
        ),
        'Annuleren',
        'the confirmation starts on Cancel',
      );
      await assertAccessible(page, 'the undo confirmation (nl)');
      await assertNoEnglish(page, 'the undo confirmation', TEST_DATA);
      // Cancelling changes nothing.
      await dialog.getByRole('button', { name: 'Annuleren' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const contactsNow = await app.app.inject({
        method: 'GET',
        url: `/api/v1/contacts?q=${encodeURIComponent('marieke')}`,
        headers: { cookie: ownerCookie },
      });
      assert.equal(contactsNow.json().total, 0, 'still deleted after cancelling');
      // A second tab on the same page, still showing the entry as it was.
      const tab = await context.newPage();
      tab.setDefaultTimeout(15_000);
      watchErrors(tab, pageErrors);
      await tab.goto(`${base}/app/activity`);
      await tab.getByRole('heading', { name: 'Activiteit', level: 1 }).waitFor();
      await undoButton.click();
      await dialog.getByRole('button', { name: 'Ja, ongedaan maken' }).click();
      await page
        .getByRole('status')
        .getByText(
          `Ongedaan gemaakt: Contact: Marieke Jansen (${EMAIL}) is teruggezet. Bovenaan staat de nieuwe regel.`,
        )
        .waitFor();
      const restoredRow = table.getByRole('row').filter({ hasText: 'Contact teruggezet (ongedaan gemaakt)' });
      await restoredRow.waitFor();
      assert.equal(
        await restoredRow.getByRole('button', { name: /^Ongedaan maken/ }).count(),
        0,
        'the undo itself cannot be undone here',
      );
      await deletedRow.getByText('Ongedaan gemaakt', { exact: true }).waitFor();
      assert.equal(await deletedRow.getByRole('button', { name: /^Ongedaan maken/ }).count(), 0);
      // Undone twice (from the other tab): refused, the page says so, and the contact is there once.
      await tab
        .getByRole('button', { name: `Ongedaan maken: Contact verwijderd, Contact: Marieke Jansen (${EMAIL})` })
        .click();
      await tab.getByRole('dialog').getByRole('button', { name: 'Ja, ongedaan maken' }).click();
      await tab.getByRole('alert').getByText('Niet ongedaan gemaakt').waitFor();
      await tab.close();
      // The contact is back, on the contacts page too.
      const back = await app.app.inject({
        method: 'GET',
        url: `/api/v1/contacts?q=${encodeURIComponent('marieke')}`,
        headers: { cookie: ownerCookie },
      });
      assert.equal(back.json().total, 1, 'the contact is back');
      await nav.getByRole('link', { name: 'Contacten' }).click();
      await page.getByRole('rowheader', { name: EMAIL }).waitFor();
      await nav.getByRole('link', { name: 'Activiteit' }).click();
      await table.waitFor();

      // ------------------------------------------------------------ filters: action, actor, period; paging
      const filters = page.getByRole('search', { name: 'Filteren' });
      await filters.getByLabel('Actie').selectOption({ label: 'Contact verwijderd' });
      await filters.getByRole('button', { name: 'Toepassen' }).click();
      await page.getByRole('table', { name: 'Logboek: 1 regel op deze pagina' }).waitFor();
      await filters.getByLabel('Actie').selectOption({ label: 'Alle acties' });
      await filters.getByLabel('Door').selectOption({ label: `viewer vera.viewer` });
      await filters.getByRole('button', { name: 'Toepassen' }).click();
      await table.getByRole('cell', { name: 'Uitnodiging aangenomen' }).waitFor();
      const whos = await table.locator(':scope > tbody > tr > td:nth-child(2)').allInnerTexts();
      assert.ok(whos.length > 0);
      assert.deepEqual(new Set(whos), new Set(['viewer vera.viewer']), 'only what the viewer did');
      await filters.getByRole('button', { name: 'Filters wissen' }).click();
      const today = new Intl.DateTimeFormat('en-CA', { dateStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(
        new Date(),
      );
      const day = (d: number) => {
        const x = new Date(`${today}T12:00:00Z`);
        x.setUTCDate(x.getUTCDate() + d);
        return x.toISOString().slice(0, 10);
      };
      await filters.getByLabel('Vanaf (datum)').fill(day(1));
      await filters.getByRole('button', { name: 'Toepassen' }).click();
      await page.getByText('Geen regels gevonden met deze filters.').waitFor();
      await filters.getByLabel('Vanaf (datum)').fill(day(-1));
      await filters.getByLabel('Tot en met (datum)').fill(day(-2));
      await filters.getByText('De einddatum ligt vóór de begindatum.').waitFor();
      assert.ok(await filters.getByRole('button', { name: 'Toepassen' }).isDisabled());
      await filters.getByLabel('Tot en met (datum)').fill(today);
      await filters.getByLabel('Regels per pagina').selectOption('25');
      await filters.getByRole('button', { name: 'Toepassen' }).click();
      await page.getByRole('table', { name: 'Logboek: 25 regels op deze pagina' }).waitFor();
      const pager = page.getByRole('navigation', { name: 'Bladeren door het logboek' });
      await pager.getByText('Pagina 1').waitFor();
      const times = () =>
        table
          .locator(':scope > tbody > tr > th time')
          .evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
      const page1 = await times();
      assert.equal(page1.length, 25);
      await pager.getByRole('button', { name: 'Oudere regels' }).click();
      await pager.getByText('Pagina 2').waitFor();
      const page2 = await times();
      assert.ok(page2.length > 0 && page2[0]! <= page1[24]!, 'page 2 goes on where page 1 ended, older');
      await pager.getByRole('button', { name: 'Nieuwere regels' }).click();
      await pager.getByText('Pagina 1').waitFor();
      // Back on the newest page (reading the log with contact data in it added an entry of its own, LOG-1).
      const again = await times();
      assert.ok(again.includes(page1[0]!) && again[0]! >= page1[0]!, 'back on the newest page');
      await assertAccessible(page, 'the Activity page, filtered and paged');

      // The security measures are one link away (read-only, in the Privacy section).
      await page.getByRole('link', { name: 'De beveiligingsmaatregelen die voor Zorggroep Test gelden' }).click();
      await page.waitForURL(`${base}/app/privacy/measures`);
      await page.getByRole('heading', { level: 1 }).waitFor();

      // ------------------------------------------------------------ a viewer: no menu item, no access
      const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
      const viewer = await viewerContext.newPage();
      viewer.setDefaultTimeout(15_000);
      watchErrors(viewer, pageErrors);
      const asked: string[] = [];
      viewer.on('request', (r) => {
        if (new URL(r.url()).pathname.startsWith('/api/v1/audit')) asked.push(r.url());
      });
      await viewer.goto(`${base}/app/sign-in`);
      await signInWithPassword(viewer, VIEWER, COLLEAGUE_PASSWORD);
      await viewer.getByRole('heading', { name: SURVEYS_HEADING, level: 1 }).waitFor();
      const viewerNav = viewer.getByRole('navigation', { name: 'Hoofdmenu' });
      await viewerNav.getByRole('link', { name: 'Onderzoeken' }).waitFor();
      assert.equal(await viewerNav.getByRole('link', { name: 'Activiteit' }).count(), 0, 'no menu item');
      await viewer.goto(`${base}/app/activity`);
      await viewer.getByRole('heading', { name: 'Geen toegang', level: 1 }).waitFor();
      await viewer.getByText(/alleen te zien voor eigenaren en beheerders van Zorggroep Test/).waitFor();
      assert.equal(await viewer.getByRole('table').count(), 0);
      await viewer.waitForLoadState('networkidle');
      assert.deepEqual(asked, [], 'the no-access page asks the API for nothing');
      await assertNoEnglish(viewer, 'the no-access page', TEST_DATA);
      await assertAccessible(viewer, 'the no-access page (nl)');
      // The API refuses the viewer as well (ACC-2): the page hides nothing the API would give.
      const refused = await app.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: viewerCookie } });
      assert.equal(refused.statusCode, 403);
      await viewerContext.close();

      // ------------------------------------------------------------ English beside Dutch
      const en = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' })
      ).newPage();
      en.setDefaultTimeout(15_000);
      watchErrors(en, pageErrors);
      await signInAsOwner(en, base);
      await en.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
      await en.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
      assert.equal(await htmlLang(en), 'en');
      const enTable = en.getByRole('table', { name: /^Log: \d+ entries on this page$/ });
      await enTable.waitFor();
      await enTable.getByRole('cell', { name: 'Contact deleted' }).waitFor();
      await enTable.getByRole('cell', { name: 'Contact restored (undone)' }).waitFor();
      await enTable.getByText('Undone', { exact: true }).waitFor();
      await en.getByRole('search', { name: 'Filter' }).getByLabel('Action').waitFor();
      await en.getByRole('link', { name: 'The security measures in force for Zorggroep Test' }).waitFor();
      await assertAccessible(en, 'the Activity page (en)');

      assert.deepEqual(pageErrors, [], 'no script errors and no missing catalogue keys');
    } finally {
      await browser.close();
      await app?.close();
    }
  },
);
