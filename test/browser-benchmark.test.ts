/**
 * Issue 13 in the admin app (chromium through playwright-core; needs `npm run build`), with axe-core
 * (WCAG 2.1 A and AA): OBLIGATIONS BEN-1. A customer opens "Benchmark" and sees its position in a
 * published cell and only "Niet gepubliceerd …" for a suppressed one; the operator's "Benchmark" page
 * shows the rules, sectors, customers and cells with why one is suppressed, and no customer in a cell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { assertAccessible, assertBrowserReady, launchChromium, signInAsOperator, signInAsOwner } from './browser.js';
import { newCustomer, operatorCookie, setUp, startTestApp, type TestApp } from './harness.js';

test(
  'BEN-1 the benchmark in the app: the customer sees its position and a suppressed cell without numbers; the operator sees cells with the reason and no customer',
  { timeout: 240_000 },
  async () => {
    assertBrowserReady();
    let t: TestApp | undefined;
    let browser: Browser | undefined;
    const pageErrors: string[] = [];
    try {
      t = await startTestApp({ BENCHMARK_SWEEP_SECONDS: '0' });
      const a = await setUp(t);
      const op = await operatorCookie(t);
      const inject = async (method: 'POST' | 'PUT', url: string, cookie: string, payload: Record<string, unknown>) => {
        const r = await t!.app.inject({ method, url, headers: { cookie }, payload });
        assert.ok(r.statusCode < 300, `${url}: ${r.statusCode} ${r.body}`);
        return r.json();
      };
      await inject('POST', '/api/v1/operator/benchmark/sectors', op, {
        code: 'wonen',
        name: { nl: 'Wonen', en: 'Housing' },
      });
      const all = [{ id: a.tenantId, cookie: a.ownerCookie }];
      for (let i = 1; i < 5; i++) all.push(await newCustomer(t, op, `Corporatie ${i}`));
      for (const [i, c] of all.entries()) {
        await inject('PUT', `/api/v1/operator/tenants/${c.id}/sector`, op, { sector: 'wonen' });
        const nps = (await inject('POST', '/api/v1/surveys', c.cookie, { name: 'NPS', kind: 'nps' })).id as string;
        const csat = (await inject('POST', '/api/v1/surveys', c.cookie, { name: 'CSAT', kind: 'csat' })).id as string;
        const scores = Array.from({ length: 30 }, (_, j) => (j < 8 + i * 2 ? 10 : j < 20 ? 8 : 4));
        for (const [survey, values] of [
          [nps, scores],
          [csat, i < 2 ? [5, 4, 3, 5, 4] : []],
        ] as const) {
          if (!values.length) continue;
          await sql`INSERT INTO responses (tenant_id, id, survey_id, language, score, answers_enc, submitted_at)
          SELECT ${c.id}::uuid, gen_random_uuid(), ${survey}::uuid, 'nl', s, '\\x00'::bytea, '2026-08-10T10:00:00Z'::timestamptz FROM unnest(${values as number[]}::int[]) AS s`.execute(
            t.ctx.db.handle.kysely,
          );
        }
      }
      // In the sector since before the quarter (the assignment API counts from the moment of assignment).
      await sql`UPDATE benchmark_cursors SET processed_to = '2026-06-30T00:00:00Z'`.execute(t.ctx.db.handle.kysely);
      await inject('POST', '/api/v1/operator/benchmark/recompute', op, {});

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
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Benchmark' }).click();
      await page.getByRole('heading', { name: 'Sector benchmark', level: 1 }).waitFor();
      // Issue 14: names and reasons in the user's language (English in this context).
      await page.getByText('Housing', { exact: true }).waitFor();
      const npsRow = page.getByRole('row').filter({ hasText: 'Net Promoter Score' });
      await npsRow.getByRole('rowheader', { name: '2026-Q3' }).waitFor();
      assert.match(await npsRow.innerText(), /5 · 150/);
      const csatRow = page.getByRole('row').filter({ hasText: 'Customer satisfaction' });
      assert.match(await csatRow.innerText(), /Not published/);
      assert.doesNotMatch(await csatRow.innerText(), /· \d+/, 'a suppressed cell shows no count');
      await assertAccessible(page, "the customer's benchmark page");

      const opContext = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'en-GB',
        bypassCSP: true,
      });
      const opPage = await opContext.newPage();
      opPage.setDefaultTimeout(15_000);
      opPage.on('pageerror', (err) => pageErrors.push(err.message));
      await signInAsOperator(opPage, address);
      await opPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Benchmark' }).click();
      await opPage.getByRole('heading', { name: 'Cells' }).waitFor();
      const cells = opPage.locator('section', { has: opPage.getByRole('heading', { name: 'Cells' }) });
      assert.match(await cells.innerText(), /suppressed: too few customers/);
      for (const c of all) assert.ok(!(await cells.innerText()).includes(c.id));
      assert.equal(await opPage.getByLabel('K: minimum customers').inputValue(), '5');
      await assertAccessible(opPage, "the operator's benchmark page");
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await t?.close();
    }
  },
);
