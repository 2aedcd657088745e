/**
 * Issue 14 in a real browser (needs `npm run build` first, and Debian's chromium), in Dutch (nl-NL):
 * - point 3: the Back button in the middle of a survey and after a validation error shows the earlier
 *   page with its answers, never "Confirm Form Resubmission" (ERR_CACHE_MISS);
 * - point 7: the contact list fits 1366×768 without horizontal scrolling; search and pages work;
 * - point 2: a survey is duplicated, archived, restored and deleted (with a confirmation dialog);
 * - point 11: at 375 px the pages fit and the main menu folds behind a button (aria-expanded).
 * Axe (WCAG 2.1 AA) on each admin page touched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Browser, type Page } from 'playwright-core';
import { assertAccessible, assertBrowserReady, launchChromium, signInAsOwner, freePort } from './browser.js';
import { importCsv, setUp, startTestApp, type TestApp } from './harness.js';
import { signedRowToken } from '../src/lib/tokens.js';

const L = (nl: string, en: string) => ({ nl, en });
const twoPages = {
  questions: [
    { id: 'score', type: 'nps', required: true, text: L('Zou je ons aanbevelen?', 'Would you recommend us?') },
    { id: 'why', type: 'text', required: false, maxLength: 5000, text: L('Waarom?', 'Why?') },
    {
      id: 'visits',
      type: 'number',
      required: true,
      min: 0,
      max: 50,
      newPage: true,
      text: L('Hoe vaak kwam je?', 'How often did you come?'),
    },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt!', 'Thank you!'),
};

/** document.scrollingElement's widths, and (to say what is too wide) the outermost elements that reach past the screen. */
const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => {
    type El = {
      tagName: string;
      className: string;
      parentElement: El | null;
      getBoundingClientRect(): { right: number };
    };
    const doc = (
      globalThis as unknown as {
        document: { scrollingElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): El[] };
      }
    ).document;
    const el = doc.scrollingElement;
    const wide = [...doc.querySelectorAll('body *')].filter(
      (e) =>
        e.getBoundingClientRect().right > el.clientWidth + 1 &&
        !(e.parentElement && e.parentElement.getBoundingClientRect().right > el.clientWidth + 1),
    );
    return {
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      wide: wide.slice(0, 5).map((e) => `${e.tagName}.${e.className}`),
    };
  });

test(
  'issue 14 in chromium: Back in a survey, the contact list at 1366 px, survey actions, the phone menu',
  { timeout: 300_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      app = await startTestApp({ PEIL_BASE_URL: base });
      const { tenantId, ownerCookie } = await setUp(app);
      const rows = Array.from(
        { length: 60 },
        (_, i) =>
          `medewerker${String(i).padStart(2, '0')}.met.een.lang.adres@zorggroep-voorbeeld-organisatie.nl;Medewerker${i};van der;Achternaam${i};${i % 2 ? 'nl' : 'en'};${i % 2 ? 'vrouw' : 'man'};Afdeling Zorg en Welzijn ${i % 3}`,
      );
      rows.push('marieke.jansen@zorggroep-voorbeeld-organisatie.nl;Marieke;;Jansen;nl;vrouw;Staf');
      assert.equal(
        (
          await importCsv(
            app,
            ownerCookie,
            `email;voornaam;tussenvoegsel;achternaam;taal;geslacht;afdeling\n${rows.join('\n')}\n`,
          )
        ).statusCode,
        200,
      );
      const created = await app.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: ownerCookie },
        payload: { name: "Twee pagina's", kind: 'custom', definition: twoPages },
      });
      assert.equal(created.statusCode, 201, created.body);
      const surveyId = created.json().id as string;
      assert.equal(
        (
          await app.app.inject({
            method: 'POST',
            url: `/api/v1/surveys/${surveyId}/invitations`,
            headers: { cookie: ownerCookie },
            payload: {
              contactId: (
                await app.ctx.db.tenant(tenantId, (tx) =>
                  tx.selectFrom('contacts').select('id').limit(1).executeTakeFirstOrThrow(),
                )
              ).id,
            },
          })
        ).statusCode < 300,
        true,
      );
      const keys = await app.ctx.keyring.forTenant(tenantId);
      const inv = await app.ctx.db.tenant(tenantId, (tx) =>
        tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).executeTakeFirstOrThrow(),
      );
      const link = `${base}/s/${signedRowToken(tenantId, inv.id, (b) => keys.tokenMac(b))}?lang=nl`;
      await app.app.listen({ host: '127.0.0.1', port });
      browser = await launchChromium();

      // ------------------------------------------------------------ point 3: Back never resubmits
      const respondent = await (
        await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'nl-NL' })
      ).newPage();
      respondent.setDefaultTimeout(15_000);
      await respondent.goto(link);
      // A validation error (no score), then Back.
      await respondent.getByLabel(/^Waarom\?/).fill('Eerst zonder cijfer');
      await respondent.getByRole('button', { name: 'Volgende' }).click();
      await respondent.getByText('Kies een cijfer van 0 tot 10').first().waitFor();
      assert.equal(
        await respondent.getByLabel(/^Waarom\?/).inputValue(),
        'Eerst zonder cijfer',
        'the input is shown again',
      );
      const back1 = await respondent.goBack();
      assert.ok(back1 && back1.status() < 400, `Back after a validation error loads a page (${back1?.status()})`);
      assert.ok(!/ERR_CACHE_MISS|Confirm Form Resubmission/.test(await respondent.content()));
      await respondent.getByRole('group', { name: /Zou je ons aanbevelen/ }).waitFor();
      // Page 1 answered, on to page 2, then Back: page 1 with its answers.
      await respondent.goto(link);
      await respondent
        .getByRole('group', { name: /Zou je ons aanbevelen/ })
        .getByText('8', { exact: true })
        .click();
      await respondent.getByLabel(/^Waarom\?/).fill('Vriendelijke mensen');
      await respondent.getByRole('button', { name: 'Volgende' }).click();
      await respondent.getByLabel(/^Hoe vaak kwam je\?/).waitFor();
      await respondent.getByLabel(/^Hoe vaak kwam je\?/).fill('4');
      await respondent.getByRole('button', { name: 'Vorige' }).click();
      await respondent.getByLabel(/^Waarom\?/).waitFor();
      const back2 = await respondent.goBack();
      assert.ok(back2 && back2.status() < 400, `Back from page 1 (after Previous) loads page 2 (${back2?.status()})`);
      assert.ok(!/ERR_CACHE_MISS|Confirm Form Resubmission/.test(await respondent.content()));
      assert.equal(
        await respondent.getByLabel(/^Hoe vaak kwam je\?/).inputValue(),
        '4',
        'the answer of page 2 is still filled in',
      );
      const back3 = await respondent.goBack();
      assert.ok(back3 && back3.status() < 400);
      assert.equal(
        await respondent.getByLabel(/^Waarom\?/).inputValue(),
        'Vriendelijke mensen',
        'the earlier answers are still filled in',
      );
      assert.ok(await respondent.getByRole('radio', { name: '8', exact: true }).isChecked());
      await assertAccessible(respondent, 'a respondent page after Back');

      // ------------------------------------------------------------ point 7: the contact list at 1366×768
      const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'nl-NL' });
      const page = await ctx.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await signInAsOwner(page, base);
      await assertAccessible(page, 'the surveys list (nl)');
      await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Contacten' }).click();
      const table = page.getByRole('table', { name: /Contacten 1–50 van 61/ });
      await table.waitFor();
      const fit = await noHorizontalScroll(page);
      assert.ok(fit.scrollWidth <= fit.clientWidth, `no horizontal scroll at 1366 px: ${JSON.stringify(fit)}`);
      const del = table.getByRole('button', { name: /verwijderen$/ }).first();
      const box = await del.boundingBox();
      assert.ok(box && box.x + box.width <= 1366, 'the delete button is on screen');
      const address = table.getByRole('rowheader').first();
      const h = await address.evaluate(
        (el) => (el as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height,
      );
      assert.ok(h < 100, `an address does not wrap letter by letter (row header ${h}px high)`);
      await table.getByRole('cell', { name: 'Vrouw' }).first().waitFor();
      await assertAccessible(page, 'the contact list (nl)');
      // Pages.
      await page.getByRole('button', { name: 'Volgende pagina' }).click();
      await page.getByRole('table', { name: /Contacten 51–61 van 61/ }).waitFor();
      // Search and a filter.
      await page.getByLabel('Zoeken op naam of e-mailadres').fill('jansen');
      await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
      const found = page.getByRole('table', { name: /Contacten 1–1 van 1/ });
      await found.waitFor();
      await found.getByRole('rowheader', { name: 'marieke.jansen@zorggroep-voorbeeld-organisatie.nl' }).waitFor();
      await page.getByRole('button', { name: 'Wissen' }).click();
      await page.getByLabel('Geslacht', { exact: true }).selectOption('male');
      await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
      await page.getByRole('table', { name: /Contacten 1–30 van 30/ }).waitFor();
      // Gender corrected, a contact deleted and the deletion undone.
      await page.getByRole('button', { name: 'Wissen' }).click();
      await page.getByLabel('Zoeken op naam of e-mailadres').fill('marieke');
      await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
      await page.getByRole('button', { name: 'marieke.jansen@zorggroep-voorbeeld-organisatie.nl corrigeren' }).click();
      await page
        .getByRole('region', { name: /corrigeren/ })
        .getByLabel('Geslacht')
        .selectOption('other');
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await page
        .getByRole('status')
        .getByText(/De correctie van marieke/)
        .waitFor();
      await page.getByRole('cell', { name: 'Anders' }).waitFor();
      await page.getByRole('button', { name: 'marieke.jansen@zorggroep-voorbeeld-organisatie.nl verwijderen' }).click();
      await page
        .getByRole('button', { name: 'Ja, marieke.jansen@zorggroep-voorbeeld-organisatie.nl verwijderen' })
        .click();
      await page
        .getByRole('status')
        .getByText(/is verwijderd/)
        .waitFor();
      await page.getByText('Geen contacten gevonden met deze zoekopdracht of filters.').waitFor();
      await page.getByRole('button', { name: /ongedaan maken/ }).click();
      await page
        .getByRole('status')
        .getByText(/is teruggezet/)
        .waitFor();
      await page.getByRole('rowheader', { name: 'marieke.jansen@zorggroep-voorbeeld-organisatie.nl' }).waitFor();

      // ------------------------------------------------------------ point 2: duplicate, archive, delete
      await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Onderzoeken' }).click();
      await page.getByRole('link', { name: "Twee pagina's" }).click();
      await page.getByRole('button', { name: 'Kopiëren' }).click();
      await page.getByRole('heading', { name: "Kopie van Twee pagina's", level: 1 }).waitFor();
      await assertAccessible(page, 'a survey page (nl)');
      await page.getByRole('button', { name: 'Verwijderen', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: /Kopie van Twee pagina's/ });
      await dialog.waitFor();
      await assertAccessible(page, 'the delete confirmation (nl)');
      await dialog.getByRole('button', { name: 'Onderzoek verwijderen' }).click();
      await page.getByRole('heading', { name: 'Onderzoeken', level: 1 }).waitFor();
      assert.equal(await page.getByRole('link', { name: "Kopie van Twee pagina's" }).count(), 0);
      await page.getByRole('link', { name: "Twee pagina's" }).click();
      await page.getByRole('button', { name: 'Archiveren' }).click();
      await page.getByText(/Gearchiveerd sinds/).waitFor();
      await page.getByRole('link', { name: '← Alle onderzoeken' }).click();
      await page.getByText('Nog geen onderzoeken. Maak hieronder het eerste.').waitFor();
      await page.getByLabel('Toon').selectOption('true');
      await page.getByRole('link', { name: "Twee pagina's" }).click();
      await page.getByRole('button', { name: 'Terugzetten uit het archief' }).click();
      await page.getByRole('button', { name: 'Archiveren' }).waitFor();

      // ------------------------------------------------------------ point 11: 375 px
      const phone = await (
        await browser.newContext({
          viewport: { width: 375, height: 740 },
          locale: 'nl-NL',
          isMobile: true,
          hasTouch: true,
        })
      ).newPage();
      phone.setDefaultTimeout(15_000);
      await signInAsOwner(phone, base);
      const menu = phone.getByRole('button', { name: /^Menu/ });
      assert.equal(await menu.getAttribute('aria-expanded'), 'false');
      assert.equal(
        await phone.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Contacten' }).isVisible(),
        false,
        'folded',
      );
      const navBox = await phone.locator('header.topbar').boundingBox();
      assert.ok(navBox && navBox.height < 200, `the top bar stays short (${navBox?.height}px)`);
      await menu.focus();
      await phone.keyboard.press('Enter');
      assert.equal(await menu.getAttribute('aria-expanded'), 'true');
      await phone.keyboard.press('Escape');
      assert.equal(await menu.getAttribute('aria-expanded'), 'false');
      await menu.click();
      await phone.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Contacten' }).click();
      await phone.getByRole('heading', { name: 'Contacten', level: 1 }).waitFor();
      assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'the menu folds after choosing');
      for (const [path, what] of [
        ['/app/surveys', 'surveys'],
        ['/app/contacts', 'contacts'],
        [`/app/surveys/${surveyId}/results`, 'results'],
        [`/app/surveys/${surveyId}/questions`, 'questions'],
      ] as const) {
        await phone.goto(`${base}${path}`);
        await phone.getByRole('heading', { level: 1 }).waitFor();
        await phone.waitForLoadState('networkidle');
        const w = await noHorizontalScroll(phone);
        assert.ok(w.scrollWidth <= w.clientWidth, `${what} fits 375 px: ${JSON.stringify(w)}`);
      }
      await assertAccessible(phone, 'the contact list on a phone (nl)');
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await app?.close();
    }
  },
);
