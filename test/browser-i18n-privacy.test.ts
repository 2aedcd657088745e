/**
 * Issue 14: the Privacy section, the security and team pages, profile fields, the suppression list and
 * the operator console in Dutch, in chromium (needs `npm run build`), on the database of the run. A
 * browser with locale nl-NL sees each page in Dutch (no English word on it: test/english-detector.ts),
 * the page passes axe (WCAG 2.1 AA), and the same page in an en-GB browser is English.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, assertBrowserReady, launchChromium, signInAsOperator, signInAsOwner } from './browser.js';
import { assertNoEnglish } from './english-detector.js';
import { addColleague, dbKind, operatorCookie, setUp, startTestApp, type TestApp } from './harness.js';

/** Each page of the customer's admin app: its address and its heading in Dutch. */
const OWNER_PAGES: Array<[string, string | RegExp, { english?: 'server' }?]> = [
  ['/app/privacy/agreement', 'Verwerkersovereenkomst'],
  ['/app/privacy/document', 'Document en acceptatie'],
  ['/app/privacy/register', 'Register van verwerkingen'],
  ['/app/privacy/subprocessors', 'Subverwerkers'],
  // The measures are computed by the server, which words them in English (src/features/security/measures.ts).
  ['/app/privacy/measures', 'Beveiligingsmaatregelen', { english: 'server' }],
  ['/app/privacy/audits', 'Audits'],
  ['/app/privacy/evidence', 'Bewijs'],
  ['/app/privacy/breaches', 'Datalekken'],
  ['/app/privacy/requests', 'Verzoeken'],
  ['/app/privacy/ending', 'Einde van de overeenkomst'],
  ['/app/security', 'Beveiliging'],
  ['/app/team', 'Team'],
  ['/app/profile-fields', 'Profielvelden'],
  ['/app/suppressions', 'Blokkeerlijst'],
];
const OPERATOR_PAGES: Array<[string, string, 1 | 2]> = [
  ['/app/operator', 'Klanten', 1],
  ['/app/operator/privacy/agreements', 'Verwerkersovereenkomsten', 2],
  ['/app/operator/privacy/versions', 'Versies van de overeenkomst', 2],
  ['/app/operator/privacy/registers', 'Registers van verwerkingen', 2],
  ['/app/operator/privacy/subprocessors', 'Subverwerkers', 2],
  ['/app/operator/privacy/audits', 'Audits en bezwaren', 2],
  ['/app/operator/privacy/breaches', 'Datalekken', 2],
  ['/app/operator/privacy/ending', 'Einde van klanten', 2],
  ['/app/operator/plans', 'Abonnementen', 1],
  ['/app/operator/benchmark', 'Benchmark', 1],
];
/** Test data a page shows as it was entered (names of people and organisations). */
const DATA = ['Zorggroep Test', 'Otto Owner', 'Olga Operator', 'Voorbeeld Hosting B.V.'];

async function open(
  page: Page,
  address: string,
  path: string,
  heading: string | RegExp,
  level: 1 | 2 = 1,
): Promise<void> {
  await page.goto(`${address}${path}`);
  await page.getByRole('heading', { name: heading, level, exact: typeof heading === 'string' }).waitFor();
  // The page's data has loaded when no "laden" is left.
  await page.getByText(/laden…/).waitFor({ state: 'detached' });
}

test(
  `the privacy, security, team and operator pages are Dutch in a Dutch browser, English in an English one, and pass axe (${dbKind})`,
  { timeout: 300_000 },
  async () => {
    assertBrowserReady();
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    const problems: string[] = [];
    const watch = (p: Page) => {
      p.on('pageerror', (err) => problems.push(err.message));
      p.on('console', (m) => {
        if (m.type() === 'error' && m.text().startsWith('i18n:')) problems.push(m.text());
      });
    };
    try {
      const t = await startTestApp();
      app = t;
      const { ownerCookie } = await setUp(t);
      await addColleague(t, ownerCookie, 'analist@zorg.test', 'analyst');
      // Something on each list, so that the rows are checked too.
      const inject = (cookie: string, method: 'POST' | 'PUT', url: string, payload: unknown) =>
        t.app.inject({ method, url, headers: { cookie }, payload: payload as Record<string, unknown> });
      const field = await inject(ownerCookie, 'POST', '/api/v1/profile-fields', {
        key: 'afdeling',
        type: 'choice',
        label: { nl: 'Afdeling', en: 'Department' },
        options: ['Zorg', 'Staf'],
        grouping: true,
      });
      assert.equal(field.statusCode, 201, field.body);
      const sup = await inject(ownerCookie, 'POST', '/api/v1/suppressions', {
        email: 'weg@voorbeeld.nl',
        note: 'Op eigen verzoek',
      });
      assert.ok(sup.statusCode < 300, sup.body);
      const op = await operatorCookie(t);
      const sub = await inject(op, 'POST', '/api/v1/operator/subprocessors', {
        name: 'Voorbeeld Hosting B.V.',
        service: 'Servers en opslag',
        location: 'Amsterdam',
        country: 'NL',
        kind: 'hosting',
        safeguards: ['dpa'],
        appliesTo: 'all',
      });
      assert.ok(sub.statusCode < 300, sub.body);
      const plan = await inject(op, 'POST', '/api/v1/operator/plans', {
        name: 'Basis',
        limits: { contacts: 100, responses: null, surveys: null, users: 5, labelled: null },
        features: { ai: true, api: true },
      });
      assert.ok(plan.statusCode < 300, plan.body);

      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();
      const dutch = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
      const page = await dutch.newPage();
      page.setDefaultTimeout(15_000);
      watch(page);
      await signInAsOwner(page, address);
      for (const [path, heading, opts] of OWNER_PAGES) {
        await open(page, address, path, heading);
        assert.equal(
          await page.evaluate(
            () =>
              (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement
                .lang,
          ),
          'nl',
        );
        await assertAccessible(page, `${path} in Dutch`);
        if (!opts?.english) await assertNoEnglish(page, `${path} in Dutch`, DATA);
      }
      // The rows themselves: a profile field's type, a suppression's reason, a colleague's role, all in Dutch.
      await open(page, address, '/app/profile-fields', 'Profielvelden');
      await page
        .getByRole('row', { name: /afdeling/ })
        .getByRole('cell', { name: 'Keuzelijst' })
        .waitFor();
      await open(page, address, '/app/suppressions', 'Blokkeerlijst');
      await page.getByRole('cell', { name: 'Met de hand toegevoegd' }).waitFor();
      await open(page, address, '/app/team', 'Team');
      const role = page.getByRole('row', { name: /analist@zorg\.test/ }).getByRole('combobox', { name: /^Rol van / });
      assert.equal(await role.locator('option:checked').textContent(), 'analist');

      const opPage = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' })
      ).newPage();
      opPage.setDefaultTimeout(15_000);
      watch(opPage);
      await signInAsOperator(opPage, address);
      for (const [path, heading, level] of OPERATOR_PAGES) {
        await open(opPage, address, path, heading, level);
        await assertAccessible(opPage, `${path} in Dutch`);
        await assertNoEnglish(opPage, `${path} in Dutch`, DATA);
      }

      // The same pages for a user who chose English: English, and the Dutch headings gone.
      const english = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' })
      ).newPage();
      english.setDefaultTimeout(15_000);
      watch(english);
      await signInAsOwner(english, address);
      await open(english, address, '/app/privacy/breaches', 'Breaches');
      await english.getByText('No breaches reported.').waitFor();
      await open(english, address, '/app/profile-fields', 'Profile fields (profielvelden)');
      await english
        .getByRole('row', { name: /afdeling/ })
        .getByRole('cell', { name: 'Choice (keuzelijst)' })
        .waitFor();
      await open(english, address, '/app/security', 'Security');
      assert.equal(await english.getByText('Beveiliging', { exact: true }).count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await browser?.close();
      await app?.close();
    }
  },
);
