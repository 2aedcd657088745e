/**
 * SVC-3 / DSR-3 from the admin UI, in a real browser (chromium through playwright-core): the send
 * page's selection builder, count preview and reminders; the Email templates page with preview; the
 * Suppression list page with throttling. Needs a build: npm run build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, freePort } from '../../../test/browser.js';
import { importCsv, OWNER, setUp, startTestApp } from '../../../test/harness.js';
import { startSmtp } from '../../../test/smtp.js';

const CHROMIUM = process.env.PEIL_CHROMIUM ?? '/usr/bin/chromium';
const WEB_BUILD = join(import.meta.dirname, '..', '..', '..', 'dist', 'web', 'index.html');

test('SVC-3 DSR-3 the admin UI: selection by fields with a count, reminders, templates with preview, suppression list and throttling', async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium not found at ${CHROMIUM}. Install it (Debian: apt-get install chromium) or set PEIL_CHROMIUM.`,
  );
  assert.ok(existsSync(WEB_BUILD), `The admin app is not built (${WEB_BUILD} is missing). Run npm run build first.`);
  const smtp = await startSmtp();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await startTestApp({ SMTP_URL: smtp.url, PEIL_BASE_URL: base });
  const browser = await launchChromium();
  const errors: string[] = [];
  try {
    await t.app.listen({ host: '127.0.0.1', port });
    const { ownerCookie } = await setUp(t);
    await importCsv(
      t,
      ownerCookie,
      'email;voornaam;taal;regio\nnl1@ui.example;Noor;nl;Noord\nnl2@ui.example;Niek;nl;Zuid\nen1@ui.example;Emma;en;Noord\n',
    );
    const survey = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: ownerCookie },
        payload: { name: 'UI-test' },
      })
    ).json();

    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' })
    ).newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${base}/app/sign-in`);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();

    // ------------------------------------------------ send to a selection, with a count first
    await page.goto(`${base}/app/surveys/${survey.id}/send`);
    await page.getByRole('radio', { name: 'Contacts selected by their fields' }).check();
    await page.getByRole('button', { name: 'Add a condition' }).click();
    await page.getByLabel('Value of condition 1').fill('nl');
    await page.getByLabel('Other profile field (key)').fill('regio');
    await page.getByRole('button', { name: 'Add condition on this field' }).click();
    await page.getByLabel('Comparison of condition 2').selectOption('eq');
    await page.getByLabel('Value of condition 2').fill('Noord');
    await page.getByRole('button', { name: 'Count who would be invited' }).click();
    await page.getByText('1 contact would be invited.').waitFor();
    await page.getByLabel('Reminders to contacts who have not answered (0–5)').fill('2');
    await page.getByLabel('Days between mails (at least 1)').fill('4');
    await page.getByRole('button', { name: 'Send to the selection' }).click();
    await page.getByText('Sending 1 invitation.').waitFor();
    const [mail] = await smtp.waitFor(1);
    assert.deepEqual(mail!.to, ['nl1@ui.example']);
    assert.equal(mail!.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
    await page.getByText('Reminders: at most 2, at least 4 days apart').waitFor();

    // ------------------------------------------------ a template, previewed
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Email templates' }).click();
    await page.getByRole('heading', { name: 'Email templates', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New template' }).click();
    await page.getByLabel('Name').fill('Kort');
    await page.getByRole('button', { name: 'Preview the mail' }).click();
    await page.getByText('Subject: Zorggroep Test hoort graag je mening').waitFor();
    await page.getByLabel('Text').first().fill('Hoi {voornaam}, {onbekend}');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page
      .getByText(/unknown placeholder \{onbekend\}/)
      .first()
      .waitFor();
    await page.getByLabel('Text').first().fill('Hoi {voornaam}, wil je {vragenlijst} invullen? {link}');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Template “Kort” saved.').waitFor();
    await page.getByRole('cell', { name: 'Kort', exact: true }).waitFor();

    // ------------------------------------------------ suppression list and throttling
    await nav.getByRole('link', { name: 'Suppression list' }).click();
    await page.getByRole('heading', { name: 'Suppression list', level: 1 }).waitFor();
    await page.getByLabel('Email address').fill('stop@ui.example');
    await page.getByRole('button', { name: 'Add to the suppression list' }).click();
    await page.getByRole('cell', { name: 'stop@ui.example', exact: true }).waitFor();
    await page.getByLabel('Days between invitations').fill('14');
    await page.getByRole('button', { name: 'Save throttling' }).click();
    await page.getByText('A contact is now invited at most once per 14 days.').waitFor();
    assert.equal(
      (
        await t.app.inject({ method: 'GET', url: '/api/v1/distribution-settings', headers: { cookie: ownerCookie } })
      ).json().throttleDays,
      14,
    );
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await t.close();
    await smtp.close();
  }
});
