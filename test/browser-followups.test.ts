/**
 * Issue 12 in the admin app (chromium through playwright-core; needs `npm run build`), with axe-core
 * (WCAG 2.1 A and AA): OBLIGATIONS SVC-4, the closed loop: an owner sets an alert rule, a detractor
 * answers, the follow-up appears on the follow-ups page (English here; Dutch in browser-dutch-followups.test.ts) and is marked done. And the
 * editor: a condition on a question of the same page is shown as a problem beside the condition, and
 * the button "Start een nieuwe pagina bij deze vraag" fixes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { signedRowToken } from '../src/lib/tokens.js';
import { assertAccessible, assertBrowserReady, launchChromium, signInAsOwner } from './browser.js';
import { importCsv, setUp, startTestApp, type TestApp } from './harness.js';

test(
  'SVC-4 the closed loop in the app: set an alert rule, a detractor answers, the follow-up appears and is marked done; the editor fixes a same-page condition with one button',
  { timeout: 240_000 },
  async () => {
    assertBrowserReady();
    let t: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      t = await startTestApp({ FOLLOWUP_SWEEP_SECONDS: '1', WEBHOOK_SWEEP_MS: '0' });
      const { ownerCookie: owner, tenantId } = await setUp(t);
      assert.equal((await importCsv(t, owner, 'email;voornaam\nkees@klant.example;Kees\n')).statusCode, 200);
      const s = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner },
        payload: { name: 'Servicemonitor' },
      });
      assert.equal(s.statusCode, 201, s.body);
      const surveyId: string = s.json().id;
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/v1/surveys/${surveyId}/distributions`,
            headers: { cookie: owner },
            payload: { all: true },
          })
        ).statusCode,
        202,
      );
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'en-GB',
        bypassCSP: true,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await signInAsOwner(page, address);

      // The alert rule, on the follow-ups page.
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Follow-ups', exact: true })
        .click();
      await page.getByRole('heading', { name: 'Follow-ups', level: 1 }).waitFor();
      await page.getByText('No follow-ups.').waitFor();
      await page.getByLabel('Survey', { exact: true }).selectOption(surveyId);
      await page.getByRole('heading', { name: /Alerts and follow-ups/ }).waitFor();
      await page.getByLabel('Colleague', { exact: true }).selectOption({ label: 'Otto Owner (Owner)' });
      await page.getByLabel('Mail the colleague').check();
      await page.getByLabel('Due time in hours').fill('24');
      await assertAccessible(page, 'the follow-ups page with the alert settings');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Alert rule saved.').waitFor();
      const rule = (
        await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/alert-rule`, headers: { cookie: owner } })
      ).json().rule;
      assert.equal(rule.dueHours, 24);
      assert.equal(rule.trigger, 'unhappy');

      // A detractor answers on the respondent page.
      const inv = await t.ctx.db.tenant(tenantId, (tx) =>
        tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).executeTakeFirstOrThrow(),
      );
      const keys = await t.ctx.keyring.forTenant(tenantId);
      const token = signedRowToken(tenantId, inv.id, (b) => keys.tokenMac(b));
      const answered = await t.app.inject({
        method: 'POST',
        url: `/s/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'lang=nl&score=2&why=Niemand+belde+terug',
      });
      assert.equal(answered.statusCode, 303, answered.body);

      // The sweep (every second) makes the follow-up; the list shows it after a reload.
      const row = page.getByRole('row', { name: /Servicemonitor/ });
      for (let i = 0; i < 30 && (await row.count()) === 0; i++) {
        await page.waitForTimeout(500);
        await page.reload();
        await page.getByRole('heading', { name: 'Follow-ups', level: 1 }).waitFor();
      }
      await row.getByRole('cell', { name: 'Open', exact: true }).waitFor();
      await row.getByText('2 (Detractor)').waitFor();
      await row.getByRole('link', { name: /Open follow-up/ }).click();
      await page.getByRole('heading', { name: /Follow-up: Servicemonitor/, level: 1 }).waitFor();
      await page.getByText('kees@klant.example').waitFor();
      await page.getByText('Niemand belde terug').waitFor();
      await page.getByLabel('Note', { exact: true }).fill('Kees teruggebeld');
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.getByText('Note saved.').waitFor();
      await assertAccessible(page, 'a follow-up');
      await page.getByRole('button', { name: 'Mark done' }).click();
      await page.getByTestId('followup-status').getByText('Done').waitFor();
      const list = (await t.app.inject({ method: 'GET', url: '/api/v1/follow-ups', headers: { cookie: owner } })).json()
        .followUps;
      assert.equal(list.length, 1);
      assert.equal(list[0].status, 'done');
      // The owner was mailed a link (the built-in outbox here).
      const outbox = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: owner } })).json()
        .messages as Array<{ to: string; subject: string; text: string }>;
      const mail = outbox.find((m) => /opvolging nodig/.test(m.subject));
      assert.ok(
        mail &&
          mail.to === 'owner@zorg.test' &&
          mail.text.includes(`/app/follow-ups/${list[0].id}`) &&
          !mail.text.includes('Niemand belde terug'),
      );

      // The editor: a condition on a question of the same page.
      const c = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner },
        payload: { name: 'Met voorwaarde', kind: 'nps', status: 'draft' },
      });
      const cid: string = c.json().id;
      await page.goto(`${address}/app/surveys/${cid}/questions`);
      await page.getByRole('heading', { name: 'Questions and settings' }).waitFor();
      const q2 = page.locator('li.question-editor').nth(1);
      await q2.getByLabel('Earlier question').selectOption('score');
      await q2.getByLabel('Comparison').selectOption('lte');
      await q2.getByLabel('Value', { exact: true }).fill('6');
      await q2.getByText(/This condition refers to a question on the same page/).waitFor();
      // Saving as it is: refused by the server, and the problem stays beside the condition.
      await page.getByRole('button', { name: 'Save survey' }).click();
      await page.getByText('Not saved').waitFor();
      await assertAccessible(page, 'the editor with a same-page condition');
      const before = (
        await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${cid}`, headers: { cookie: owner } })
      ).json();
      assert.equal(before.definition.questions[1].showIf, undefined, 'nothing was saved');
      await q2.getByRole('button', { name: /Start a new page at this question/ }).click();
      assert.equal(await q2.getByText(/This condition refers to/).count(), 0, 'the problem is gone');
      assert.equal(await q2.getByLabel('Starts a new page').isChecked(), true);
      await page.getByRole('button', { name: 'Save survey' }).click();
      await page.getByRole('status').getByText('Saved.').waitFor();
      const after = (
        await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${cid}`, headers: { cookie: owner } })
      ).json();
      assert.equal(after.definition.questions[1].newPage, true);
      assert.deepEqual(after.definition.questions[1].showIf, { question: 'score', op: 'lte', value: 6 });
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close().catch(() => {});
      await t?.close().catch(() => {});
    }
  },
);
