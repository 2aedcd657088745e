/**
 * Issue 14 in a real browser (needs `npm run build` first, and Debian's chromium): a Dutch owner walks
 * the whole admin app, every page the main menu links to (read from the menu itself, so a page added
 * to it is walked too), each part of the privacy section, each tab of a survey with answers, a
 * follow-up and the account page, and meets no English there; axe (WCAG 2.1 AA) finds nothing on any
 * of them (assertDutchPage). Every page is checked before the test fails, and the failure names each
 * page with its English lines and its axe violations.
 *
 * Also: a follow-up shows a choice's label in the user's language (the server sends both).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { signedRowToken } from '../src/lib/tokens.js';
import { assertBrowserReady, assertDutchPage, launchChromium, signInAsOwner, watchErrors } from './browser.js';
import { importCsv, OWNER, setUp, startTestApp, type TestApp } from './harness.js';

const L = (nl: string, en: string) => ({ nl, en });
const DEFINITION = {
  questions: [
    {
      id: 'score',
      type: 'nps',
      required: true,
      text: L('Hoe waarschijnlijk is het dat je ons aanbeveelt?', 'How likely are you to recommend us?'),
    },
    { id: 'why', type: 'text', text: L('Waarom geef je dit cijfer?', 'Why this score?') },
    {
      id: 'site',
      type: 'single',
      text: L('Welke vestiging?', 'Which site?'),
      options: [
        { value: 'zwolle', label: L('Zwolle', 'Zwolle') },
        { value: 'flex', label: L('Flexplek', 'Flexible desk') },
      ],
    },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt!', 'Thank you!'),
};

/** The test's own data, which is not the app's text. */
const DATA = [OWNER.name, OWNER.email, 'Zorggroep Test', 'Klantpeiling', 'Flexplek', 'Zwolle'];

test(
  'issue 14: a Dutch owner walks every page of the admin menu (privacy parts, survey tabs, a follow-up, the account) and meets no English, axe finds nothing; a follow-up shows choice labels in the user’s language',
  { timeout: 600_000 },
  async () => {
    assertBrowserReady();
    let t: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    const before = Date.now();
    try {
      t = await startTestApp({ FOLLOWUP_SWEEP_SECONDS: '1', WEBHOOK_SWEEP_MS: '0' });
      const { ownerCookie: owner, tenantId } = await setUp(t);
      const contacts = Array.from({ length: 6 }, (_, i) => `k${i}@example.nl;K${i};nl`).join('\n');
      assert.equal((await importCsv(t, owner, `email;voornaam;taal\n${contacts}\n`)).statusCode, 200);
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner },
        payload: { name: 'Klantpeiling', kind: 'custom', definition: DEFINITION },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as string;
      const rule = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/surveys/${id}/alert-rule`,
        headers: { cookie: owner },
        payload: {
          active: true,
          trigger: 'unhappy',
          threshold: null,
          assigneeId: null,
          notifyEmail: false,
          notifyWebhooks: false,
          dueHours: 48,
        },
      });
      assert.equal(rule.statusCode, 200, rule.body);
      for (const step of ['open', 'distributions']) {
        const r = await t.app.inject({
          method: 'POST',
          url: `/api/v1/surveys/${id}/${step}`,
          headers: { cookie: owner },
          ...(step === 'distributions' ? { payload: { all: true } } : {}),
        });
        assert.ok(r.statusCode < 300, r.body);
      }
      const keys = await t.ctx.keyring.forTenant(tenantId);
      const inv = await t.ctx.db.tenant(tenantId, (tx) =>
        tx.selectFrom('invitations').select('id').where('survey_id', '=', id).orderBy('id').execute(),
      );
      for (const [i, a] of [
        { score: '9', why: 'Vriendelijk', site: 'zwolle' },
        { score: '10', why: 'Snel', site: 'zwolle' },
        { score: '2', why: 'Te laat', site: 'flex' },
      ].entries()) {
        const r: { statusCode: number; body: string } = await t.app.inject({
          method: 'POST',
          url: `/s/${signedRowToken(tenantId, inv[i]!.id, (b) => keys.tokenMac(b))}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ lang: 'nl', ...a }).toString(),
        });
        assert.equal(r.statusCode, 303, r.body);
      }
      // The sweep (every second) makes the detractor's follow-up.
      let followUpId: string | undefined;
      for (let i = 0; i < 60 && !followUpId; i++) {
        const list = await t.app.inject({ method: 'GET', url: '/api/v1/follow-ups', headers: { cookie: owner } });
        followUpId = (list.json().followUps as Array<{ id: string }> | undefined)?.[0]?.id;
        if (!followUpId) await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(followUpId, 'the sweep made a follow-up');
      // Over HTTP: the choice's label in both survey languages.
      const detail = await t.app.inject({
        method: 'GET',
        url: `/api/v1/follow-ups/${followUpId}`,
        headers: { cookie: owner },
      });
      const site = (detail.json().answers as Array<{ questionId: string; labels: unknown; label: unknown }>).find(
        (a) => a.questionId === 'site',
      );
      assert.deepEqual(site?.labels, { nl: 'Flexplek', en: 'Flexible desk' });
      assert.equal(site?.label, 'Flexplek');

      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'nl-NL' });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      watchErrors(page, pageErrors);
      await signInAsOwner(page, address);

      const failures: string[] = [];
      const visited: string[] = [];
      async function check(path: string, what: string): Promise<void> {
        await page.goto(`${address}${path}`);
        await page.locator('main h1').first().waitFor();
        visited.push(path);
        try {
          await assertDutchPage(page, `${what} (${path})`, DATA);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
      const hrefs = async (nav: string) =>
        page
          .getByRole('navigation', { name: nav })
          .getByRole('link')
          .evaluateAll((links) =>
            links.map((l) => (l as unknown as { getAttribute(n: string): string }).getAttribute('href')),
          );

      const menu = await hrefs('Hoofdmenu');
      assert.ok(menu.length >= 15, `the owner's menu: ${menu.join(', ')}`);
      for (const path of menu) {
        if (path === '/app/privacy') continue; // its parts, below
        await check(path, 'a page of the menu');
      }
      await page.goto(`${address}/app/privacy`);
      await page.waitForURL(/\/app\/privacy\/.+/);
      const parts = await hrefs('Privacy');
      assert.ok(parts.length >= 5, `the privacy parts: ${parts.join(', ')}`);
      for (const path of parts) await check(path, 'a part of the privacy section');
      for (const tab of ['questions', 'send', 'results'])
        await check(`/app/surveys/${id}/${tab}`, `the survey's ${tab}`);
      await check(`/app/follow-ups/${followUpId}`, 'a follow-up');
      await page.getByText('Flexplek').first().waitFor();
      await check('/app/account', 'the account page');

      // A month in words, not "2026-12" (labelling and usage pages). Either side of a month's turn.
      const monthIn = (locale: string) => {
        const f = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });
        const a = f.format(new Date(before));
        const b = f.format(new Date());
        return new RegExp(`\\((${a}|${b})\\)`);
      };
      await page.goto(`${address}/app/labelling`);
      await page.getByText('Gelabeld deze maand').waitFor();
      assert.match((await page.getByText('Gelabeld deze maand').textContent()) ?? '', monthIn('nl-NL'));
      await page.goto(`${address}/app/usage`);
      assert.match((await page.getByText(/^Antwoorden per maand/).textContent()) ?? '', monthIn('nl-NL'));

      if (failures.length) assert.fail(`pages with English or axe violations:\n\n${failures.join('\n\n')}`);
      assert.deepEqual(pageErrors, []);

      // An English user sees the follow-up's choice in English.
      const en = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' });
      const ep = await en.newPage();
      ep.setDefaultTimeout(15_000);
      await signInAsOwner(ep, address);
      await ep.goto(`${address}/app/follow-ups/${followUpId}`);
      await ep.getByText('Flexible desk').waitFor();
      assert.equal(await ep.getByText('Flexplek').count(), 0, 'not the Dutch label');
      await ep.getByText('Which site?').waitFor();
      await ep.goto(`${address}/app/labelling`);
      assert.match((await ep.getByText('Labelled this month').textContent()) ?? '', monthIn('en-GB'));
    } finally {
      await browser?.close();
      await t?.close();
    }
  },
);
