/**
 * Issue 11 in the browser (chromium through playwright-core; needs the built app in dist/web), on the
 * database of the run (PGlite, or PostgreSQL with PEIL_TEST_DATABASE_URL):
 *  - the operator records a breach through the form, previews and records its scope, sees the customer
 *    on the board with its own deadline (36 hours), and notifies it;
 *  - the customer's owner reads the breach in Privacy → Datalekken with its own numbers (never the
 *    operator's overall estimate) and the draft for the Autoriteit Persoonsgegevens;
 *  - a respondent's request, filed and confirmed from the mails, is in Privacy → Verzoeken with its due
 *    date; the owner exports the person (the download is the person's JSON), extends the request with a
 *    reason and erases the person after the confirmation; an admin sees the list without the buttons;
 *  - the owner downloads the full export (a ZIP named after the customer); the operator ends the
 *    customer; the owner, signed in again, chooses deletion.
 * axe-core (WCAG 2.1 A and AA) runs on each of these pages; a page error fails the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
import {
  assertAccessible,
  assertBrowserReady,
  launchChromium,
  signInAsOperator,
  signInAsOwner,
  signInWithPassword,
} from './browser.js';
import { assertNoEnglish } from './english-detector.js';
import {
  addColleague,
  COLLEAGUE_PASSWORD,
  dbKind,
  eventually,
  importCsv,
  newCustomer,
  operatorCookie,
  OWNER,
  outbox,
  setUp,
  startTestApp,
  type TestApp,
} from './harness.js';

/**
 * axe-core on the page as it is now (WCAG 2.1 A and AA); fails with the violations printed. The admin
 * app's CSP refuses inline scripts (addScriptTag), so axe goes in through evaluate, leaving the CSP on.
 */

/** The value a datetime-local input takes for this instant (the browser and node share the machine's zone). */
const localInput = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};
/** How the admin app shows a moment and a day (web/src/format.ts). */
const shownDateTime = (d: Date) =>
  new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(d);
const shownDay = (day: string) =>
  new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeZone: 'Europe/Amsterdam' }).format(
    new Date(`${day}T12:00:00Z`),
  );
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function bytesOf(download: Download): Promise<Buffer> {
  const path = await download.path();
  assert.ok(path, `the download ${download.suggestedFilename()} finished`);
  return readFileSync(path);
}

test(
  `BRE-1 BRE-2 BRE-3 BRE-4 DSR-1 DSR-2 END-1 END-2 END-3 breaches, requests and the end of an agreement in the admin app and the operator console (${dbKind})`,
  { timeout: 300_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    const watch = (p: Page) => p.on('pageerror', (err) => pageErrors.push(`${p.url()}: ${err.message}`));
    try {
      const t = await startTestApp({
        AGREEMENT_SWEEP_SECONDS: '0',
        BREACH_SWEEP_SECONDS: '0',
        REQUEST_SWEEP_SECONDS: '0',
        ENDING_SWEEP_SECONDS: '0',
      });
      app = t;
      const { tenantId, ownerCookie } = await setUp(t);
      const op = await operatorCookie(t);
      // Zorggroep's own breach window: 36 hours (applied at once: nothing accepted yet).
      const terms = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/operator/tenants/${tenantId}/agreement`,
        headers: { cookie: op },
        payload: { breachNoticeHours: 36 },
      });
      assert.equal(terms.statusCode, 200, terms.body);
      // Three contacts at Zorggroep; another customer with none, so not affected.
      assert.equal(
        (
          await importCsv(
            t,
            ownerCookie,
            'email;voornaam;taal\nanna@bre.example;Anna;nl\nbert@bre.example;Bert;nl\ncarla@bre.example;Carla;nl\n',
          )
        ).statusCode,
        200,
      );
      const other = await newCustomer(t, op, 'Andere Klant B.V.');
      await addColleague(t, ownerCookie, 'beheer@zorg.test', 'admin');

      // A respondent's request (DSR-1), from the mails: Anna's invitation carries the request link; she asks
      // for access and confirms from the confirmation mail.
      const survey = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: ownerCookie },
        payload: { name: 'Tevredenheid' },
      });
      assert.equal(survey.statusCode, 201, survey.body);
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/v1/surveys/${survey.json().id}/distributions`,
            headers: { cookie: ownerCookie },
            payload: { all: true },
          })
        ).statusCode,
        202,
      );
      const invitation = await eventually(
        async () =>
          (await outbox(t, ownerCookie)).find(
            (m) => m.to === 'anna@bre.example' && /\/r\/[A-Za-z0-9_-]{64}/.test(m.text),
          ),
        20_000,
        "Anna's invitation",
      );
      const requestPath = new URL(/http:\/\/peil\.test\/r\/[A-Za-z0-9_-]{64}/.exec(invitation.text)![0]).pathname;
      const filed = await t.app.inject({
        method: 'POST',
        url: requestPath,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ lang: 'nl', kind: 'access', message: 'Wat weten jullie van mij?' }).toString(),
      });
      assert.equal(filed.statusCode, 200, filed.body);
      const confirmation = await eventually(
        async () => (await outbox(t, ownerCookie)).find((m) => m.to === 'anna@bre.example' && /\/r\/c\//.test(m.text)),
        20_000,
        'the confirmation mail',
      );
      const confirmed = await t.app.inject({
        method: 'POST',
        url: new URL(/http:\/\/peil\.test\/r\/c\/[A-Za-z0-9_-]+/.exec(confirmation.text)![0]).pathname,
      });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      const [request] = (
        await t.app.inject({ method: 'GET', url: '/api/v1/requests', headers: { cookie: ownerCookie } })
      ).json().requests as Array<{ dueOn: string; contactId: string }>;
      assert.ok(request?.dueOn && request.contactId, 'the request is forwarded, tied to Anna');

      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();
      const context = () =>
        browser!.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL', acceptDownloads: true });

      // ---------------------------------------------------------------- operator: record, scope, board, notify
      const opPage = await (await context()).newPage();
      opPage.setDefaultTimeout(15_000);
      watch(opPage);
      await signInAsOperator(opPage, address);
      await opPage.goto(`${address}/app/operator/privacy/breaches`);
      await opPage.getByRole('heading', { name: 'Datalekken', level: 2 }).waitFor();
      await opPage.getByText('Geen datalekken.').waitFor();
      const now = new Date();
      const started = new Date(now.getTime() - 26 * 3_600_000);
      const discovered = new Date(now.getTime() - 2 * 3_600_000);
      discovered.setSeconds(0, 0);
      await opPage.getByLabel('Begin', { exact: true }).fill(localInput(started));
      await opPage.getByLabel('Ontdekt', { exact: true }).fill(localInput(discovered));
      await opPage
        .getByLabel('Omschrijving', { exact: true })
        .fill('Exportbestand met e-mailadressen op een open share');
      await opPage.getByLabel('Oorzaak', { exact: true }).fill('Verkeerd ingestelde rechten');
      await opPage.getByLabel(/^Categorieën \(codes, komma's\)/).fill('contact.email');
      await opPage.getByLabel('Geschat aantal betrokkenen (totaal, intern)').fill('98765');
      await opPage.getByLabel('Waarschijnlijke gevolgen', { exact: true }).fill('Phishing naar de betrokkenen');
      await opPage.getByLabel('Gegevens waren versleuteld').check();
      await opPage.getByLabel('Genomen maatregelen', { exact: true }).fill('Share afgesloten');
      await opPage.getByLabel(/Voorgenomen maatregelen, per regel/).fill('2030-01-15: Rechten herzien');
      await opPage.getByLabel('Verwacht herstel', { exact: true }).fill('Binnen een dag');
      await opPage.getByLabel('Contactpunt: naam').fill('Olga Operator');
      await opPage.getByLabel('Contactpunt: e-mail').fill('security@peil.test');
      await assertAccessible(opPage, 'the operator breach register with the form filled in');
      await opPage.getByRole('button', { name: 'Datalek vastleggen' }).click();
      await opPage.getByText('Datalek nr. 1 vastgelegd.').waitFor();
      const detail = opPage.getByRole('region', { name: 'Datalek nr. 1 (open)' });
      await detail.getByText(/ — vastgelegd/).waitFor();

      // BRE-3: who is affected, computed from a scope: preview first (nothing recorded), then record.
      await detail.getByLabel('Categorieën (codes)', { exact: true }).fill('contact.email');
      await detail.getByLabel('Venster vanaf').fill(localInput(started));
      await detail.getByLabel('Venster tot').fill(localInput(new Date(now.getTime() + 3_600_000)));
      await detail.getByRole('button', { name: 'Voorbeeld' }).click();
      const preview = detail.getByRole('list', { name: 'Voorbeeld' });
      await preview.getByText(/Zorggroep Test: 3 contacten/).waitFor();
      assert.equal(await preview.getByText(/Andere Klant/).count(), 0, 'a customer without contacts is not affected');
      assert.equal(await detail.getByRole('row', { name: /Zorggroep Test/ }).count(), 0, 'a preview records nothing');
      await opPage.getByText('Niets open.').waitFor();
      await detail.getByRole('button', { name: 'Getroffenen vastleggen' }).click();
      await opPage.getByText('Vastgelegd voor 1 klant.').waitFor();
      // BRE-2: the board shows the customer with its own deadline: discovery + 36 hours.
      const deadline = shownDateTime(new Date(discovered.getTime() + 36 * 3_600_000));
      const boardRow = opPage
        .getByRole('table')
        .first()
        .getByRole('row', { name: /Zorggroep Test/ });
      await boardRow.getByRole('cell', { name: deadline, exact: true }).waitFor();
      await boardRow.getByRole('cell', { name: 'Open', exact: true }).waitFor();
      await detail
        .getByRole('row', { name: /Zorggroep Test/ })
        .getByRole('cell', { name: `${deadline} (36 uur)` })
        .waitFor();
      await assertAccessible(opPage, 'the operator breach register with a breach open');
      // What the operator types as it is (the literal all) and the names of the fields a step changed.
      await assertNoEnglish(opPage, 'the operator breach register in Dutch', [
        'all of ids',
        '(contacts, invitations, responses, users, audit_events)',
        '(scope, contacts, customers, responses)',
      ]);
      // BRE-4: notify; the customer leaves the board.
      await detail.getByRole('button', { name: 'Klanten melden' }).click();
      await opPage.getByText('1 klant gemeld.').waitFor();
      await opPage.getByText('Niets open.').waitFor();
      assert.notEqual(
        await detail
          .getByRole('row', { name: /Zorggroep Test/ })
          .getByRole('cell')
          .last()
          .textContent(),
        'nee',
      );
      const notice = await eventually(
        async () => (await outbox(t, ownerCookie)).find((m) => /datalek nr\. 1 /i.test(m.subject)),
        20_000,
        'the breach notice',
      );
      assert.doesNotMatch(notice.text, /98765/, 'the overall estimate stays with the operator');
      // The other customer learns nothing of it.
      assert.deepEqual(
        (await t.app.inject({ method: 'GET', url: '/api/v1/breaches', headers: { cookie: other.cookie } })).json()
          .breaches,
        [],
      );

      // ---------------------------------------------------------------- owner: the breach log
      const page = await (await context()).newPage();
      page.setDefaultTimeout(15_000);
      watch(page);
      await signInAsOwner(page, address);
      await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Privacy' }).click();
      const privacyNav = page.getByRole('navigation', { name: 'Privacy' });
      await privacyNav.getByRole('link', { name: 'Datalekken' }).click();
      const breach = page.getByRole('region', { name: /Datalek nr\. 1 — open/ });
      await breach.getByText('Exportbestand met e-mailadressen op een open share', { exact: true }).waitFor();
      await breach.getByText(/^3 contactpersonen, 0 antwoorden, 0 gebruikers; E-mailadres$/).waitFor();
      await breach.getByText(new RegExp(`\\(termijn 36 uur: ${escape(deadline)}\\)`)).waitFor();
      await breach.getByText('2030-01-15: Rechten herzien', { exact: true }).waitFor();
      assert.equal(await page.getByText(/98765/).count(), 0, 'the overall estimate is not shown to a customer');
      assert.equal(await page.title(), 'Datalekken · Peil');
      await page.getByRole('heading', { name: 'Datalekken', level: 1 }).waitFor();
      await assertNoEnglish(page, "the customer's breach log in Dutch");
      await breach.getByText('Concept-melding aan de AP').click();
      const draft = breach.locator('pre');
      await draft.waitFor();
      assert.match((await draft.textContent()) ?? '', /Exportbestand met e-mailadressen/);
      assert.match((await draft.textContent()) ?? '', /\b3\b/);
      await assertAccessible(page, "the customer's breach log");
      const draftDownload = page.waitForEvent('download');
      await breach.getByRole('link', { name: 'Concept downloaden (Markdown)' }).click();
      const md = (await bytesOf(await draftDownload)).toString('utf8');
      assert.match(md, /Exportbestand met e-mailadressen/);

      // ---------------------------------------------------------------- owner: the respondent's request
      await privacyNav.getByRole('link', { name: 'Verzoeken' }).click();
      await page.getByRole('heading', { name: 'Verzoeken', level: 1 }).waitFor();
      const row = page.getByRole('row', { name: /anna@bre\.example/ });
      await row.getByText('Inzage').waitFor();
      await row.getByText('Wat weten jullie van mij?').waitFor();
      await row.getByRole('cell', { name: shownDay(request.dueOn) }).waitFor();
      await assertAccessible(page, 'the requests list');
      // DSR-2: the export of the person downloads her data.
      const jsonDownload = page.waitForEvent('download');
      await row.getByRole('link', { name: 'Exporteren JSON' }).click();
      const exported = JSON.parse((await bytesOf(await jsonDownload)).toString('utf8'));
      assert.match(JSON.stringify(exported), /anna@bre\.example/);
      assert.doesNotMatch(JSON.stringify(exported), /bert@bre\.example/, "only Anna's data");
      const csvDownload = page.waitForEvent('download');
      await row.getByRole('link', { name: 'Exporteren CSV (ZIP)' }).click();
      const csv = await bytesOf(await csvDownload);
      assert.equal(csv.subarray(0, 4).toString('hex'), '504b0304', 'the CSV export is a ZIP');
      // An extension needs a reason, said by the field (which takes the focus); with one, the due date moves.
      await row.getByRole('button', { name: 'Verlengen (+2 mnd)' }).click();
      await row.getByText('Geef een reden op; de betrokkene krijgt die te lezen.').waitFor();
      const reasonField = row.getByLabel('Reden', { exact: true });
      assert.equal(await reasonField.getAttribute('aria-invalid'), 'true');
      assert.ok(
        await reasonField.evaluate((el) => el === el.ownerDocument.activeElement),
        'the reason field has the focus',
      );
      assert.equal(await row.getByText('Open', { exact: true }).count(), 1, 'nothing was extended');
      await reasonField.fill('Veel gegevens in meerdere systemen');
      await row.getByRole('button', { name: 'Verlengen (+2 mnd)' }).click();
      await page.getByText('Termijn verlengd.').waitFor();
      await row.getByText('Verlengd', { exact: true }).waitFor();
      await row.getByText(/Veel gegevens in meerdere systemen/).waitFor();
      const [extended] = (
        await t.app.inject({ method: 'GET', url: '/api/v1/requests', headers: { cookie: ownerCookie } })
      ).json().requests as Array<{ dueOn: string }>;
      assert.notEqual(extended!.dueOn, request.dueOn);
      await row.getByRole('cell', { name: new RegExp(`^${escape(shownDay(extended!.dueOn))}`) }).waitFor();
      // Erasure only after the confirmation that names what goes.
      await row.getByRole('button', { name: 'Wissen…' }).click();
      const ask = page.getByRole('region', { name: 'Persoon wissen?' });
      await ask.getByText(/1 uitnodiging, /).waitFor();
      // The confirmation appears above the list: the focus goes to it.
      assert.ok(
        await ask.getByRole('heading').evaluate((el) => el === el.ownerDocument.activeElement),
        'the confirmation has the focus',
      );
      await assertAccessible(page, 'the erasure confirmation');
      await assertNoEnglish(page, 'the requests and the erasure confirmation in Dutch');
      await ask.getByRole('button', { name: 'Ja, wis deze persoon overal' }).click();
      await page.getByText('De persoon is gewist.').waitFor();
      await page.getByRole('row', { name: /\(gewist\)/ }).waitFor();
      assert.equal(await page.getByRole('row', { name: /anna@bre\.example/ }).count(), 0);
      const anna = await t.app.inject({
        method: 'GET',
        url: `/api/v1/contacts?email=${encodeURIComponent('anna@bre.example')}`,
        headers: { cookie: ownerCookie },
      });
      assert.deepEqual(anna.json().contacts, [], 'Anna is gone from the contacts');

      // ---------------------------------------------------------------- admin: reads the list, no owner buttons
      const admin = await (await context()).newPage();
      admin.setDefaultTimeout(15_000);
      watch(admin);
      await admin.goto(`${address}/app/sign-in`);
      await signInWithPassword(admin, 'beheer@zorg.test', COLLEAGUE_PASSWORD);
      await admin.getByRole('heading', { name: /^(Onderzoeken|Surveys)$/, level: 1 }).waitFor();
      await admin.goto(`${address}/app/privacy/requests`);
      await admin
        .getByRole('row', { name: /\(gewist\)/ })
        .getByText('Inzage')
        .waitFor();
      for (const name of [/Done/, /Refuse/, /Extend/, /Erase/])
        assert.equal(await admin.getByRole('button', { name }).count(), 0, `an admin has no ${name} button`);
      assert.equal(await admin.getByRole('columnheader', { name: 'Acties' }).count(), 0);
      assert.equal(
        await admin
          .getByRole('navigation', { name: 'Privacy' })
          .getByRole('link', { name: 'Einde van de overeenkomst' })
          .count(),
        0,
        'only owners see the end of the agreement',
      );

      // ---------------------------------------------------------------- owner: the full export
      await privacyNav.getByRole('link', { name: 'Einde van de overeenkomst' }).click();
      await page.getByRole('heading', { name: 'Einde van de overeenkomst', level: 1 }).waitFor();
      await page.getByText(/automatisch verlengd|eindigt op/).waitFor();
      await assertAccessible(page, 'the end of agreement page');
      const fullExport = page.waitForEvent('download');
      await page.getByRole('link', { name: 'Volledige export downloaden (ZIP)' }).click();
      const zip = await fullExport;
      assert.match(zip.suggestedFilename(), /^peil-export-zorggroep-\d{4}-\d{2}-\d{2}\.zip$/);
      const zipBytes = await bytesOf(zip);
      assert.equal(zipBytes.subarray(0, 4).toString('hex'), '504b0304', 'the full export is a ZIP');
      assert.ok(zipBytes.includes(Buffer.from('manifest')), 'with its manifest');

      // ---------------------------------------------------------------- operator: ends the customer
      await opPage
        .getByRole('navigation', { name: 'Privacy' })
        .getByRole('link', { name: 'Einde van klanten' })
        .click();
      await opPage.getByRole('heading', { name: 'Einde van klanten', level: 2 }).waitFor();
      await opPage.getByLabel('Klant', { exact: true }).selectOption({ label: 'Zorggroep Test (zorggroep, actief)' });
      await opPage.getByLabel('Reden', { exact: true }).fill('Opgezegd door de klant');
      await assertAccessible(opPage, 'the operator end of customers page');
      const asked: string[] = [];
      opPage.once('dialog', (d) => {
        asked.push(d.message());
        void d.accept();
      });
      await opPage.getByRole('button', { name: 'Nu beëindigen' }).click();
      await opPage.getByText('Beëindigd.', { exact: true }).waitFor();
      assert.match(asked[0] ?? '', /Deze klant nu beëindigen\?/);
      await opPage.getByText('nog geen', { exact: true }).waitFor();
      await opPage.getByText('beëindigd', { exact: true }).waitFor();
      await opPage
        .getByRole('option', { name: 'Zorggroep Test (zorggroep, beëindigd)' })
        .waitFor({ state: 'attached' });

      // ---------------------------------------------------------------- owner, signed in again: chooses deletion
      const again = await (await context()).newPage();
      again.setDefaultTimeout(15_000);
      watch(again);
      await again.goto(`${address}/app/sign-in`);
      await signInWithPassword(again, OWNER.email, OWNER.password);
      await again.waitForURL((u) => !u.pathname.endsWith('/sign-in'));
      await again.goto(`${address}/app/privacy/ending`);
      await again.getByRole('heading', { name: 'Einde van de overeenkomst', level: 1 }).waitFor();
      await again.getByRole('heading', { name: 'Na het einde' }).waitFor();
      await assertAccessible(again, 'the end of agreement page after the end');
      again.once('dialog', (d) => {
        asked.push(d.message());
        void d.accept();
      });
      await again.getByRole('button', { name: 'Nu verwijderen' }).click();
      await again.getByText('Keuze vastgelegd: Verwijdering.').waitFor();
      assert.match(asked[1] ?? '', /kan niet ongedaan worden gemaakt/);
      assert.equal(await again.getByRole('button', { name: 'Nu verwijderen' }).count(), 0, 'the choice is made once');
      const ending = await t.app.inject({
        method: 'GET',
        url: `/api/v1/operator/tenants/${tenantId}/ending`,
        headers: { cookie: op },
      });
      assert.equal(ending.json().ended.choice, 'deletion');
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await app?.close();
    }
  },
);
