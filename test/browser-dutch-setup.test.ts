/**
 * Issue 14 in a real browser (needs `npm run build` first, and Debian's chromium): what a Dutch user
 * meets when something goes wrong, from the very first page.
 *
 * - The first-run set-up page in a Dutch browser, on a fresh app with no customer: two weak passwords
 *   ("Zomervakantie1", "Gezondheidszorg1": point 8) are both refused at once, and every message shown
 *   (the alert, its list, the texts under the fields) is Dutch; then the set-up succeeds.
 * - In the signed-in Dutch app, the team's invitation form with a mistake (an address that has an
 *   account already, a name of only spaces): the alert and the field texts are Dutch.
 * - Point 1: Deactiveren asks in the app's own dialog (Dutch buttons, Annuleren keeps the colleague).
 * - Point 2b: closing a survey asks first, in the same dialog; Annuleren keeps it open.
 *
 * No page may open the browser's own confirm(): its buttons follow the browser, not the app.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertBrowserReady, assertDutchPage, launchChromium, signInAsOwner, watchErrors } from './browser.js';
import { englishWords } from './english-detector.js';
import { OPERATOR, OWNER, signIn, startTestApp, type TestApp } from './harness.js';

const ORG = 'Zorggroep Oost';
const COLLEAGUE = { email: 'carla@zorg.test', name: 'Carla Collega' };
/** The test's own data, which is not the app's text. */
const DATA = [OPERATOR.name, OPERATOR.email, OWNER.name, OWNER.email, ORG, COLLEAGUE.name, COLLEAGUE.email];

const L = (nl: string, en: string) => ({ nl, en });
const DEFINITION = {
  questions: [
    { id: 'score', type: 'nps', required: true, text: L('Zou je ons aanbevelen?', 'Would you recommend us?') },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt!', 'Thank you!'),
};

/** The visible text of a locator must hold no English word (test/english-detector.ts), nor a "Dutch / English" pair. */
async function assertDutchText(page: Page, selector: string, what: string): Promise<string> {
  const texts = await page.locator(selector).allInnerTexts();
  assert.ok(texts.length > 0, `${what}: nothing shown`);
  const text = texts.join('\n');
  assert.deepEqual(englishWords(text, DATA), [], `${what} has English:\n${text}`);
  assert.ok(!/ \/ [A-Za-z]/.test(text), `${what} has an English half:\n${text}`);
  return text;
}

test(
  'issue 14 in chromium: the Dutch set-up page reports both weak passwords at once in Dutch, then succeeds; a wrong invitation, Deactiveren (point 1) and closing a survey (point 2b) speak Dutch in the app’s own dialog',
  { timeout: 300_000 },
  async () => {
    assertBrowserReady();
    let t: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      t = await startTestApp();
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'nl-NL' });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      watchErrors(page, pageErrors);
      // The browser's own confirm() must never open (its OK/Cancel follow the browser's language).
      page.on('dialog', (d) => {
        pageErrors.push(`native ${d.type()} dialog: ${d.message()}`);
        void d.dismiss();
      });

      // ------------------------------------------------------------ set-up, two weak passwords
      await page.goto(`${address}/app/`);
      await page.getByRole('heading', { name: 'Peil instellen', level: 1 }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/app/setup');
      await assertDutchPage(page, 'the set-up page', DATA);
      const operator = page.getByRole('group', { name: 'Beheerdersaccount' });
      await operator.getByLabel('E-mailadres', { exact: true }).fill(OPERATOR.email);
      await operator.getByLabel('Naam', { exact: true }).fill(OPERATOR.name);
      await operator.getByLabel('Wachtwoord', { exact: true }).fill('Zomervakantie1');
      await page.getByLabel('Naam van de organisatie').fill(ORG);
      assert.equal(await page.getByLabel('Korte naam').inputValue(), 'zorggroep-oost');
      const owner = page.getByRole('group', { name: 'Eigenaar van de klant' });
      await owner.getByLabel('E-mailadres', { exact: true }).fill(OWNER.email);
      await owner.getByLabel('Naam', { exact: true }).fill(OWNER.name);
      await owner.getByLabel('Wachtwoord', { exact: true }).fill('Gezondheidszorg1');
      await page.getByRole('button', { name: 'Peil instellen' }).click();

      const alert = page.getByRole('alert');
      await alert.getByText('Instellen is niet gelukt').waitFor();
      const alertText = await assertDutchText(page, '[role=alert]', 'the set-up alert');
      assert.match(alertText, /Het wachtwoord is te zwak: te makkelijk te raden/);
      // Both passwords at once, each named as the form names it (not "tenant › owner › password").
      assert.match(alertText, /Beheerdersaccount › Wachtwoord: Te makkelijk te raden/);
      assert.match(alertText, /Eigenaar van de klant › Wachtwoord: Te makkelijk te raden/);
      assert.ok(!/tenant|owner|operator|password/.test(alertText), alertText);
      // Under each password field, its own reason in Dutch.
      for (const group of [operator, owner]) {
        const error = group.locator('.field-error');
        assert.match(
          await error.innerText(),
          /^Te makkelijk te raden \(bekende woorden, namen, jaartallen of patronen\)/,
        );
        assert.equal(await group.getByLabel('Wachtwoord', { exact: true }).getAttribute('aria-invalid'), 'true');
      }
      await assertDutchText(page, '.field-error', 'the texts under the fields');
      await assertDutchPage(page, 'the set-up page with two weak passwords', DATA);

      // ------------------------------------------------------------ set-up succeeds
      await operator.getByLabel('Wachtwoord', { exact: true }).fill(OPERATOR.password);
      await owner.getByLabel('Wachtwoord', { exact: true }).fill(OWNER.password);
      await page.getByRole('button', { name: 'Peil instellen' }).click();
      await page.getByText(/De set-up is klaar/).waitFor();
      await assertDutchPage(page, 'the sign-in page after set-up', DATA);
      await signInAsOwner(page, address);
      await assertDutchPage(page, 'the surveys list after set-up', DATA);

      // ------------------------------------------------------------ an invitation with mistakes
      await page.goto(`${address}/app/team`);
      await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
      const invite = page.getByRole('region', { name: 'Een collega uitnodigen' });
      await invite.getByLabel('E-mail', { exact: true }).fill(OWNER.email);
      await invite.getByLabel('Naam', { exact: true }).fill('Otto');
      await invite.getByRole('button', { name: 'Uitnodiging versturen' }).click();
      await invite.getByRole('alert').getByText('De uitnodiging is niet verstuurd').waitFor();
      const exists = await assertDutchText(page, '[role=alert]', 'the invitation alert (an existing address)');
      assert.match(exists, /Dit e-mailadres heeft hier al een account\./);
      assert.match(exists, /E-mail: Dit e-mailadres heeft hier al een account\./);
      assert.equal(
        await invite.locator('.field-error').innerText(),
        'Dit e-mailadres heeft hier al een account.',
        'the reason is shown under the e-mail field',
      );
      await assertDutchPage(page, 'the team page with an invitation refused', DATA);

      // A name of only spaces passes the browser's "required" but not the server's check (zod, in Dutch).
      await invite.getByLabel('E-mail', { exact: true }).fill(COLLEAGUE.email);
      await invite.getByLabel('Naam', { exact: true }).fill('   ');
      await invite.getByRole('button', { name: 'Uitnodiging versturen' }).click();
      await invite
        .getByRole('alert')
        .getByText(/Naam: Te kort/)
        .waitFor();
      const short = await assertDutchText(page, '[role=alert]', 'the invitation alert (an empty name)');
      assert.match(
        short,
        /^Het verzoek is niet geldig: \/body\/name: Te kort: verwacht dat de tekst >=1 tekens heeft$/m,
      );
      assert.equal(await invite.locator('.field-error').innerText(), 'Te kort: verwacht dat de tekst >=1 tekens heeft');
      await assertDutchPage(page, 'the team page with a name too short', DATA);

      // The colleague is invited after all.
      await invite.getByLabel('Naam', { exact: true }).fill(COLLEAGUE.name);
      await invite.getByRole('button', { name: 'Uitnodiging versturen' }).click();
      await page.getByRole('row', { name: new RegExp(COLLEAGUE.name) }).waitFor();

      // ------------------------------------------------------------ point 1: Deactiveren, asked in the app
      const row = page.getByRole('row', { name: new RegExp(COLLEAGUE.name) });
      await row.getByRole('button', { name: `${COLLEAGUE.name} deactiveren` }).click();
      const ask = page.getByRole('dialog', { name: `${COLLEAGUE.name} deactiveren?` });
      await ask.waitFor();
      await ask.getByText(/Alle sessies van Carla Collega eindigen direct/).waitFor();
      await ask.getByRole('button', { name: 'Ja, deactiveren' }).waitFor();
      assert.equal(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement
              .textContent,
        ),
        'Annuleren',
        'focus starts on Annuleren, so Enter never deactivates by accident',
      );
      await assertDutchPage(page, 'the deactivation dialog', DATA);
      await ask.getByRole('button', { name: 'Annuleren' }).click();
      await ask.waitFor({ state: 'hidden' });
      assert.match(await row.innerText(), /uitgenodigd/, 'Annuleren keeps the colleague');
      await row.getByRole('button', { name: `${COLLEAGUE.name} deactiveren` }).click();
      await ask.getByRole('button', { name: 'Ja, deactiveren' }).click();
      await page.getByText(`${COLLEAGUE.name} is gedeactiveerd en kan niet meer inloggen.`).waitFor();
      await row.getByText('gedeactiveerd', { exact: true }).waitFor();
      await row.getByRole('button', { name: `${COLLEAGUE.name} heractiveren` }).waitFor();

      // ------------------------------------------------------------ point 2b: closing a survey, asked first
      const cookie = await signIn(t, OWNER.email, OWNER.password);
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie },
        payload: { name: 'Klantpeiling', kind: 'custom', definition: DEFINITION },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as string;
      const opened = await t.app.inject({ method: 'POST', url: `/api/v1/surveys/${id}/open`, headers: { cookie } });
      assert.equal(opened.statusCode, 200, opened.body);
      const status = async () =>
        (await t!.app.inject({ method: 'GET', url: `/api/v1/surveys/${id}`, headers: { cookie } })).json().status;

      await page.goto(`${address}/app/surveys/${id}/questions`);
      const close = page.getByRole('button', { name: 'Het onderzoek sluiten' });
      await close.click();
      const closing = page.getByRole('dialog', { name: '“Klantpeiling” sluiten?' });
      await closing.waitFor();
      await closing.getByText(/Alle links nemen dan geen antwoorden meer aan/).waitFor();
      await assertDutchPage(page, 'the close dialog', [...DATA, 'Klantpeiling']);
      await closing.getByRole('button', { name: 'Annuleren' }).click();
      await closing.waitFor({ state: 'hidden' });
      assert.equal(await status(), 'open', 'Annuleren keeps the survey open');
      await close.click();
      await closing.getByRole('button', { name: 'Ja, sluiten' }).click();
      await page.getByText('Het onderzoek is gesloten.').waitFor();
      assert.equal(await status(), 'closed');

      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await t?.close();
    }
  },
);
