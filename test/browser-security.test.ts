/**
 * Security screens end to end in a real browser (Debian's chromium through playwright-core): the
 * owner sets up an authenticator app and requires it for everyone (ACC-4), a colleague is sent to
 * the forced set-up, a locked account is unlocked, the owner grants support access and the operator
 * looks along read-only (ACC-3); the owner then sees every use.
 *
 * Run: npm run build && node scripts/test.mjs test/browser-security.test.ts
 * Screenshots are written to /tmp/peil-sec-*.png for a human to look at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { currentTotp } from '../src/features/auth/second-factor.js';
import { importCsv, OPERATOR, OWNER, setUp, startTestApp, type TestApp } from './harness.js';
import { signInWithPassword, launchChromium, freePort } from './browser.js';

const CHROMIUM = process.env.PEIL_CHROMIUM ?? '/usr/bin/chromium';
const WEB_BUILD = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web', 'index.html');

const ORG = 'Zorggroep Test';
const SURVEY = 'Klanttevredenheid 2026';
const COLLEAGUE = { email: 'analist@zorg.test', name: 'Anna Analist', password: 'Regenboog-Fiets-93' };
const REASON = 'Ticket 4711: NPS klopt niet';

/** A 6-digit code that is surely wrong now: the current one with every digit shifted. */
const wrongCode = (secret: string) =>
  currentTotp(secret)
    .split('')
    .map((d) => String((Number(d) + 5) % 10))
    .join('');

/** Reads the set-up key shown on the page (grouped in fours) and returns it without spaces. */
async function secretOnPage(page: Page): Promise<string> {
  const shown = (await page.getByTestId('totp-secret').textContent()) ?? '';
  const secret = shown.replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/, `a base32 key is shown: ${shown}`);
  return secret;
}

/** Walks through the set-up on the page: key → code → recovery codes; returns the key and the codes. */
async function setUpAuthenticator(
  page: Page,
  startLabel: string,
  shot?: string,
): Promise<{ secret: string; codes: string[] }> {
  await page.getByRole('button', { name: startLabel }).click();
  const qr = page.getByRole('img', { name: /QR code to add Peil/ });
  await qr.waitFor();
  assert.match(
    (await qr.getAttribute('src')) ?? '',
    /^data:image\/svg\+xml;utf8,%3Csvg/,
    'the QR code is an SVG data URL in an <img>, not markup in the page',
  );
  const secret = await secretOnPage(page);
  if (shot) await page.screenshot({ path: shot, fullPage: true });

  // A wrong code is refused with the API's words; the right one turns it on.
  await page.getByLabel('6-digit code').fill(wrongCode(secret));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page
    .getByRole('alert')
    .getByText(/The code is not correct/)
    .waitFor();
  await page.getByLabel('6-digit code').fill(currentTotp(secret));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
  const codes = (await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents()).map(
    (c) => c.trim(),
  );
  assert.equal(codes.length, 10, 'ten recovery codes are shown');
  for (const c of codes) assert.match(c, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await page.getByText('These codes are shown only this once.').waitFor();
  return { secret, codes };
}

test(
  'ACC-4 ACC-3 in chromium: the owner sets up an authenticator app, requires it for everyone, grants support access; the operator enters read-only',
  { timeout: 240_000 },
  async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM}. Install it (Debian: apt-get install chromium) or set PEIL_CHROMIUM.`,
    );
    assert.ok(existsSync(WEB_BUILD), `The admin app is not built (${WEB_BUILD} is missing). Run npm run build first.`);

    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const open: Page[] = [];
    const pageErrors: string[] = [];
    const watch = (p: Page) => {
      open.push(p);
      p.setDefaultTimeout(15_000);
      p.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
      p.on('console', (msg) => {
        // Refused requests (401, 403, 422) are reported by the app itself; anything else logged as an error is a bug.
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
          pageErrors.push(`console: ${msg.text()}`);
      });
    };
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      app = await startTestApp({ PEIL_BASE_URL: base });
      await app.app.listen({ host: '127.0.0.1', port });
      const t = app;

      // ---------------------------------------------------------------- set-up through the API
      const { ownerCookie } = await setUp(t, { name: ORG, slug: 'zorggroep-test' });
      const api = async (method: 'GET' | 'POST', url: string, payload?: unknown, cookie = ownerCookie) => {
        const res = await t.app.inject({
          method,
          url,
          headers: { cookie },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
        assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
        return res.statusCode === 204 ? undefined : res.json();
      };
      const imported = await importCsv(t, ownerCookie, 'e-mailadres;voornaam\npetra@example.nl;Petra\n');
      assert.equal(imported.statusCode, 200, imported.body);
      const survey = await api('POST', '/api/v1/surveys', { name: SURVEY });
      // A colleague accepts an invitation (the link comes from the outbox), then locks the account with wrong passwords.
      await api('POST', '/api/v1/users', { email: COLLEAGUE.email, name: COLLEAGUE.name, role: 'analyst' });
      const outbox = await api('GET', '/api/v1/outbox');
      const token = /#token=([^\s]+)/.exec(outbox.messages[0].text)?.[1];
      assert.ok(token, 'the invitation has a link');
      const accepted = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/accept-invite',
        payload: { token, password: COLLEAGUE.password },
      });
      assert.equal(accepted.statusCode, 200, accepted.body);
      for (let i = 0; i < t.env.LOCKOUT_AFTER_FAILURES; i++) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          payload: { email: COLLEAGUE.email, password: 'Verkeerd-Wachtwoord-1' },
        });
        assert.equal(r.statusCode, 401);
      }

      browser = await launchChromium();
      const ownerCtx: BrowserContext = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'en-GB',
        acceptDownloads: true,
      });
      const page = await ownerCtx.newPage();
      watch(page);

      // ---------------------------------------------------------------- owner: authenticator app
      await page.goto(`${base}/app/sign-in`);
      await signInWithPassword(page, OWNER.email, OWNER.password);
      await page.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();
      const header = page.getByRole('banner');
      await header.getByRole('link', { name: OWNER.name }).click();
      await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
      assert.equal((await page.getByTestId('two-step-status').textContent())?.trim(), 'off');
      const owner = await setUpAuthenticator(page, 'Set up an authenticator app', '/tmp/peil-sec-1-setup.png');
      await page.screenshot({ path: '/tmp/peil-sec-2-recovery-codes.png', fullPage: true });
      const downloaded = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download as a text file' }).click();
      const download = await downloaded;
      assert.equal(download.suggestedFilename(), 'peil-recovery-codes.txt');
      const file = readFileSync((await download.path())!, 'utf8');
      for (const c of owner.codes) assert.ok(file.includes(c), `the downloaded file has ${c}`);
      const done = page.getByRole('button', { name: 'Done' });
      assert.ok(await done.isDisabled(), 'leaving the codes needs a confirmation that they are saved');
      await page.getByLabel('I have saved my recovery codes').check();
      await done.click();
      await page.getByTestId('two-step-status').getByText('on').waitFor();

      // A weak new password is refused with the API's explanation.
      await page.getByLabel('Current password').fill(OWNER.password);
      await page.getByLabel('New password', { exact: true }).fill('welkom12345');
      await page.getByLabel('New password again').fill('welkom12345');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page
        .getByRole('alert')
        .getByText(/The password is too weak/)
        .waitFor();

      // ---------------------------------------------------------------- owner: require it for everyone
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Security' }).click();
      await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
      const require2fa = page.getByRole('switch', { name: 'Require a second factor for everyone' });
      await page.locator('[role="switch"]:not([disabled])').waitFor();
      assert.equal(await require2fa.getAttribute('aria-checked'), 'false');
      await require2fa.press('Space');
      await page.getByText('Two-step sign-in is now required for everyone.').waitFor();
      assert.equal(await require2fa.getAttribute('aria-checked'), 'true');

      // ---------------------------------------------------------------- team: 2FA column, lock and unlock
      await nav.getByRole('link', { name: 'Team' }).click();
      await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
      const colleagueRow = page.getByRole('row', { name: new RegExp(COLLEAGUE.name) });
      const ownerRow = page.getByRole('row', { name: new RegExp(OWNER.name) });
      await ownerRow.getByText('on', { exact: true }).waitFor();
      await colleagueRow.getByText('Will be asked to set it up').waitFor();
      await colleagueRow.getByText(/Locked until/).waitFor();
      await page.screenshot({ path: '/tmp/peil-sec-3-team-locked.png', fullPage: true });
      await colleagueRow.getByRole('button', { name: `Unlock ${COLLEAGUE.name}` }).click();
      await page.getByText(`${COLLEAGUE.name} can sign in again.`).waitFor();
      await colleagueRow.getByText(/Locked until/).waitFor({ state: 'detached', timeout: 5000 });

      // ---------------------------------------------------------------- sign out, sign in with the code
      await header.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to Peil' }).waitFor();
      await signInWithPassword(page, OWNER.email, OWNER.password);
      const code = page.getByLabel('Code from your authenticator app');
      await code.waitFor();
      assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
      assert.equal(await code.getAttribute('inputmode'), 'numeric');
      assert.ok(await code.evaluate((el) => el.matches(':focus')), 'the code field has the focus');
      await page.screenshot({ path: '/tmp/peil-sec-4-sign-in-code.png', fullPage: true });
      await code.fill(wrongCode(owner.secret));
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await page.getByRole('alert').getByText('The code is not correct.').waitFor();
      await code.fill(currentTotp(owner.secret));
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await page.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();

      // ---------------------------------------------------------------- owner: grant support access
      await nav.getByRole('link', { name: 'Security' }).click();
      await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
      await page.getByText('You have not given support access yet.').waitFor();
      await page.getByRole('radio', { name: /^Surveys and results/ }).check();
      await page.getByLabel('Reason').fill(REASON);
      await page.getByLabel('Duration').fill('2');
      await page.getByLabel('Unit').selectOption('hours');
      await page.getByRole('button', { name: 'Give support access' }).click();
      await page.getByText(/Support access is given until/).waitFor();
      const grants = page.getByRole('table', { name: 'Access given' });
      const grantRow = grants.getByRole('row', { name: new RegExp(REASON) });
      await grantRow.getByText('active', { exact: true }).waitFor();
      await grantRow.getByText('never').waitFor();
      const grant = (await api('GET', '/api/v1/support-access')).grants[0];
      const hours = (Date.parse(grant.expiresAt) - Date.parse(grant.createdAt)) / 3600_000;
      assert.ok(Math.abs(hours - 2) < 0.01, `the grant lasts 2 hours (${hours})`);
      assert.equal(grant.scope, 'results');
      await page.screenshot({ path: '/tmp/peil-sec-5-security.png', fullPage: true });

      // ---------------------------------------------------------------- colleague: forced set-up
      const colleagueCtx = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'en-GB' });
      const cp = await colleagueCtx.newPage();
      watch(cp);
      await cp.goto(`${base}/app/sign-in`);
      await signInWithPassword(cp, COLLEAGUE.email, COLLEAGUE.password);
      await cp.getByRole('heading', { name: 'Set up two-step sign-in', level: 1 }).waitFor();
      assert.equal(new URL(cp.url()).pathname, '/app/two-step-setup');
      await cp.getByText(`${ORG} requires everyone to sign in with a password and a code`).waitFor();
      assert.equal(
        await cp.getByRole('navigation', { name: 'Main' }).count(),
        0,
        'nothing else to go to before the set-up',
      );
      // Another address in the app comes back to the set-up.
      await cp.goto(`${base}/app/surveys`);
      await cp.getByRole('heading', { name: 'Set up two-step sign-in', level: 1 }).waitFor();
      await setUpAuthenticator(cp, 'Start the set-up', '/tmp/peil-sec-6-forced-setup.png');
      await cp.getByLabel('I have saved my recovery codes').check();
      await cp.getByRole('button', { name: 'Done' }).click();
      await cp.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();
      await cp.getByRole('rowheader', { name: SURVEY }).waitFor();
      await colleagueCtx.close();

      // ---------------------------------------------------------------- operator: enter read-only
      const opCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      const op = await opCtx.newPage();
      watch(op);
      await op.goto(`${base}/app/operator/sign-in`);
      await op.getByRole('heading', { name: 'Operator sign-in' }).waitFor();
      await signInWithPassword(op, OPERATOR.email, OPERATOR.password);
      await op.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
      const customer = op.getByRole('row', { name: new RegExp(ORG) });
      await customer.getByText(REASON, { exact: false }).waitFor();
      await op.screenshot({ path: '/tmp/peil-sec-7-operator.png', fullPage: true });
      await customer.getByRole('button', { name: /^Enter \(read-only\)/ }).click();

      const banner = op.getByRole('region', { name: 'Support access' });
      await banner.getByText(new RegExp(`Support access to ${ORG} \\(scope: surveys and results\\) until`)).waitFor();
      await op.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();
      await op.getByRole('rowheader', { name: SURVEY }).waitFor();
      assert.equal(await op.getByRole('heading', { name: 'New NPS survey' }).count(), 0, 'read-only: no survey form');
      const opNav = op.getByRole('navigation', { name: 'Main' });
      assert.deepEqual(
        (await opNav.getByRole('link').allTextContents()).map((s) => s.trim()),
        ['Surveys'],
        'only the surveys are in the scope',
      );
      await op.screenshot({ path: '/tmp/peil-sec-8-support-surveys.png', fullPage: true });
      await op.setViewportSize({ width: 390, height: 844 });
      await op.screenshot({ path: '/tmp/peil-sec-8-support-surveys-phone.png', fullPage: true });
      await op.setViewportSize({ width: 1280, height: 900 });
      await op.getByRole('link', { name: SURVEY }).click();
      await op.getByRole('navigation', { name: 'Survey sections' }).getByRole('link', { name: 'Results' }).click();
      await op.getByRole('heading', { name: 'Results', level: 2 }).waitFor();
      assert.equal(await op.getByRole('button', { name: /Send/ }).count(), 0, 'read-only: nothing to send');
      // Contacts are not in a results grant: neither the page nor the API.
      await op.goto(`${base}/app/contacts`);
      await op.getByRole('heading', { name: 'Not part of this support access', level: 1 }).waitFor();
      await banner.waitFor();
      const contactsStatus = await op.evaluate(
        async () => (await fetch('/api/v1/contacts', { credentials: 'same-origin' })).status,
      );
      assert.equal(contactsStatus, 403, 'the API refuses contact details under a results grant');
      await op.screenshot({ path: '/tmp/peil-sec-9-support-contacts.png', fullPage: true });
      await banner.getByRole('button', { name: 'End support access' }).click();
      await op.getByRole('heading', { name: 'Operator sign-in' }).waitFor();
      await op.getByText('Support access ended.').waitFor();
      await opCtx.close();

      // ---------------------------------------------------------------- owner: the uses, then revoke
      await page.reload();
      await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
      const uses = page.getByRole('table', { name: 'What support staff looked at' });
      await uses.getByText('Started looking along (signed in to your environment)').waitFor();
      await uses.getByText('The list of surveys').first().waitFor();
      await uses.getByText(`Results of “${SURVEY}”`).first().waitFor();
      const row = grants.getByRole('row', { name: new RegExp(REASON) });
      assert.notEqual(Number((await row.locator('td.num').textContent())?.trim()), 0, 'the grant counts its uses');
      assert.equal(await row.getByText('never').count(), 0, 'the last use is shown');
      await page.screenshot({ path: '/tmp/peil-sec-10-uses.png', fullPage: true });
      await row.getByRole('button', { name: /^Revoke/ }).click();
      await row.getByRole('button', { name: 'Yes, revoke' }).click();
      await page.getByText('The support access is revoked.').waitFor();
      await grants
        .getByRole('row', { name: new RegExp(REASON) })
        .getByText('revoked', { exact: true })
        .waitFor();

      // ---------------------------------------------------------------- owner: a recovery code signs in once
      await header.getByRole('button', { name: 'Sign out' }).click();
      await signInWithPassword(page, OWNER.email, OWNER.password);
      await page.getByRole('button', { name: 'Use a recovery code' }).click();
      await page.getByLabel('Recovery code').fill(owner.codes[0]!.toLowerCase());
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await page.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();
      assert.equal(survey.name, SURVEY);

      assert.deepEqual(pageErrors, [], 'no errors in the pages');
    } catch (err) {
      // What the browser showed when it failed, for whoever reads the failure.
      for (const [i, p] of open.entries())
        if (!p.isClosed())
          await p.screenshot({ path: `/tmp/peil-sec-failure-${i}.png`, fullPage: true }).catch(() => {});
      if (pageErrors.length) console.error(pageErrors.join('\n'));
      throw err;
    } finally {
      await browser?.close().catch(() => {});
      await app?.close().catch(() => {});
    }
  },
);
