/**
 * Issue 13 in chromium (playwright-core; needs `npm run build`): OBLIGATIONS BEN-2. The owner
 * publishes from the results tab (preview, publish, embed code); a page served from ANOTHER origin
 * embeds the widget in an iframe and the badge as an image: both render; the same page cannot frame
 * the admin app (frame-ancestors 'none'); after the owner withdraws, the embedded widget says "niet
 * beschikbaar". The public page and the widget pass axe (WCAG 2.1 A and AA).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { signedRowToken } from '../src/lib/tokens.js';
import { assertAccessible, assertBrowserReady, launchChromium, signInAsOwner } from './browser.js';
import { importCsv, setUp, startTestApp, type TestApp } from './harness.js';

const SHOTS = process.env.PEIL_SCREENSHOTS;

test(
  'BEN-2 a widget and a badge embedded in a page of another origin render; that page cannot frame the admin app; after withdrawal the widget says "niet beschikbaar"',
  { timeout: 240_000 },
  async () => {
    assertBrowserReady();
    let t: TestApp | undefined;
    let browser: Browser | undefined;
    let site: Server | undefined;
    const pageErrors: string[] = [];
    try {
      t = await startTestApp();
      const { ownerCookie: owner, tenantId } = await setUp(t);
      const rows = Array.from({ length: 6 }, (_, i) => `k${i}@klant.example;K${i}`);
      assert.equal((await importCsv(t, owner, `email;voornaam\n${rows.join('\n')}\n`)).statusCode, 200);
      const s = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner },
        payload: { name: 'Klantmonitor' },
      });
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
      const keys = await t.ctx.keyring.forTenant(tenantId);
      const inv = await t.ctx.db.tenant(tenantId, (tx) =>
        tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).orderBy('id').execute(),
      );
      for (const [i, score] of [10, 9, 9, 8, 4, 10].entries()) {
        const r: { statusCode: number; body: string } = await t.app.inject({
          method: 'POST',
          url: `/s/${signedRowToken(tenantId, inv[i]!.id, (b) => keys.tokenMac(b))}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: `score=${score}&why=&lang=nl`,
        });
        assert.equal(r.statusCode, 303, r.body);
      }
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchChromium();

      // ---- the owner publishes from the results tab
      const admin = await browser.newContext({
        viewport: { width: 1280, height: 1000 },
        locale: 'en-GB',
        bypassCSP: true,
      });
      const page = await admin.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      page.on('dialog', (d) => void d.accept());
      await signInAsOwner(page, address);
      await page.goto(`${address}/app/surveys/${surveyId}/results`);
      const panel = page.getByTestId('publish');
      await panel.getByRole('heading', { name: 'Publish' }).waitFor();
      await panel.getByLabel('Trend', { exact: true }).check();
      await panel.getByRole('button', { name: 'Preview', exact: true }).click();
      const pv = page.getByTestId('publication-preview');
      await pv.getByText(/· \+50 ·/).waitFor();
      await assertAccessible(page, 'the results tab with the publication preview');
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'publish-preview.png'), fullPage: true });
      await pv.getByRole('button', { name: 'Publish this' }).click();
      await panel.getByText('Published.', { exact: true }).waitFor();
      const iframeCode = await panel.getByLabel('Embed code widget').inputValue();
      const imgCode = await panel.getByLabel('Embed code badge').inputValue();
      // The embed code names the configured base URL (http://peil.test); the test serves on its own address.
      const widgetUrl = /src="([^"]+)"/.exec(iframeCode)![1]!.replace('http://peil.test', address);
      const badgeUrl = /src="([^"]+)"/.exec(imgCode)![1]!.replace('http://peil.test', address);
      // The owner sees the live widget (same origin) in the panel.
      await panel.frameLocator('iframe').getByText('+50').waitFor();

      // ---- a customer's website on another origin (localhost, another port) embeds it
      const embedding = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Klantwebsite</title></head><body><h1>Onze klanten</h1>
${iframeCode.replace(/http:\/\/peil\.test/g, address).replace('<iframe ', '<iframe id="widget" name="widget" ')}
${imgCode.replace(/http:\/\/peil\.test/g, address).replace('<img ', '<img id="badge" ')}
<iframe id="admin" name="admin" src="${address}/app/" title="beheer" width="400" height="200"></iframe></body></html>`;
      site = createServer((_req, res) =>
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(embedding),
      );
      await new Promise<void>((r) => site!.listen(0, 'localhost', r));
      const port = (site.address() as { port: number }).port;
      const visitor = await browser.newContext({ viewport: { width: 900, height: 700 }, locale: 'nl-NL' });
      const vpage = await visitor.newPage();
      vpage.setDefaultTimeout(15_000);
      const refused: string[] = [];
      vpage.on('console', (m) => refused.push(m.text()));
      await vpage.goto(`http://localhost:${port}/`);
      assert.notEqual(new URL(vpage.url()).origin, new URL(address).origin, 'the embedding page is another origin');
      await vpage.frameLocator('#widget').getByText('+50').waitFor();
      await vpage
        .frameLocator('#widget')
        .getByText(/Gebaseerd op 6 antwoorden/)
        .waitFor();
      await vpage.waitForFunction(() => {
        const img = (
          globalThis as unknown as {
            document: { getElementById(id: string): { complete: boolean; naturalWidth: number } | null };
          }
        ).document.getElementById('badge');
        return img !== null && img.complete && img.naturalWidth > 0;
      });
      // The admin app refuses to be framed: chromium shows its error page in the frame instead.
      await vpage.waitForFunction(() => true);
      const adminFrame = vpage.frame({ name: 'admin' });
      assert.ok(adminFrame, 'the admin frame element exists');
      await vpage.waitForTimeout(500);
      assert.ok(
        !adminFrame.url().startsWith(address) ||
          (await adminFrame
            .locator('body')
            .innerText()
            .catch(() => '')) === '',
        `the admin app was framed: ${adminFrame.url()}`,
      );
      assert.ok(
        refused.some((m) => /frame-ancestors 'none'/.test(m)),
        `chromium reports the refusal: ${refused.join(' | ')}`,
      );
      if (SHOTS) await vpage.screenshot({ path: join(SHOTS, 'publish-embedded.png'), fullPage: true });

      // The public page and the widget themselves are accessible.
      const a11y = await browser.newContext({ bypassCSP: true, locale: 'nl-NL' });
      const ap = await a11y.newPage();
      await ap.goto(widgetUrl.replace(/\/widget$/, ''));
      await assertAccessible(ap, 'the public page');
      await ap.goto(widgetUrl);
      await assertAccessible(ap, 'the widget');
      await ap.goto(badgeUrl);
      await a11y.close();

      // ---- the owner withdraws: the same embedded widget now says "niet beschikbaar"
      await panel.getByRole('button', { name: 'Withdraw', exact: true }).click();
      await panel.getByText('Withdrawn.', { exact: true }).waitFor();
      await vpage.reload();
      await vpage.frameLocator('#widget').getByText('Niet beschikbaar').waitFor();
      assert.equal(await vpage.frameLocator('#widget').getByText('+50').count(), 0);
      if (SHOTS) await vpage.screenshot({ path: join(SHOTS, 'publish-withdrawn.png'), fullPage: true });
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await new Promise<void>((r) => (site ? site.close(() => r()) : r()));
      await t?.close();
    }
  },
);
