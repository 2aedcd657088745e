/**
 * Issue 12 in the browser (chromium through playwright-core; needs the built app in dist/web), on the
 * database of the run (PGlite, or PostgreSQL with PEIL_TEST_DATABASE_URL): the owner breaks an
 * identified survey down by an answer and by a profile field, and sees a cross-tab; at 375 px the
 * page does not overflow. axe-core (WCAG 2.1 A and AA) runs on the results page; a page error fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { assertAccessible, assertBrowserReady, launchChromium, signInAsOwner, freePort } from './browser.js';
import { dbKind, importCsv, setUp, startTestApp, type TestApp } from './harness.js';

const L = (nl: string, en: string) => ({ nl, en });

test(`SVC-4 breakdowns and a cross-tab in the admin app (${dbKind})`, { timeout: 180_000 }, async () => {
  assertBrowserReady();
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ PEIL_BASE_URL: base });
    await t.app.listen({ host: '127.0.0.1', port });
    const { ownerCookie: owner, tenantId } = await setUp(t);
    const rows = Array.from({ length: 8 }, (_, i) => `b${i}@example.nl;B${i};${i < 5 ? 'Zorg' : 'ICT'}`);
    assert.equal((await importCsv(t, owner, `email;voornaam;afdeling\n${rows.join('\n')}\n`)).statusCode, 200);
    const definition = {
      questions: [
        { id: 'score', type: 'nps', required: true, text: L('Zou je ons aanbevelen?', 'Would you recommend us?') },
        {
          id: 'dept',
          type: 'single',
          required: false,
          text: L('Waar werk je?', 'Where do you work?'),
          options: [
            { value: 'binnen', label: L('Binnendienst', 'Office') },
            { value: 'buiten', label: L('Buitendienst', 'Field') },
          ],
        },
      ],
      invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
      thanks: L('Bedankt!', 'Thank you!'),
    };
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: 'Uitsplitsen', kind: 'custom', definition },
    });
    assert.equal(s.statusCode, 201, s.body);
    const id = s.json().id as string;
    const keys = await t.ctx.keyring.forTenant(tenantId);
    await t.ctx.db.tenant(tenantId, async (tx) => {
      const contacts = await tx.selectFrom('contacts').select(['id', 'profile']).execute();
      const seen: Record<string, number> = {};
      for (const c of contacts) {
        const afdeling = (c.profile as Record<string, string>).afdeling!;
        const k = (seen[afdeling] = (seen[afdeling] ?? 0) + 1);
        const score = afdeling === 'Zorg' ? 9 : 4;
        // Zorg: the first three binnen, ICT: the first one.
        const dept = k <= (afdeling === 'Zorg' ? 3 : 1) ? 'binnen' : 'buiten';
        await tx
          .insertInto('responses')
          .values({
            tenant_id: tenantId,
            id: randomUUID(),
            survey_id: id,
            contact_id: c.id,
            invitation_id: null,
            language: 'nl',
            score,
            answers: JSON.stringify({ score, dept }),
            answers_enc: keys.sealJson({ score, why: null, answers: { score, dept } }),
          })
          .execute();
      }
    });

    browser = await launchChromium();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    await signInAsOwner(page, base);
    await page.goto(`${base}/app/surveys/${id}/results`);
    await page.getByRole('heading', { name: 'Breakdown' }).waitFor();

    // By an answer: the key score per option, by its label.
    await page.getByLabel('Break down by').selectOption('answer.dept');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const byAnswer = page.getByRole('table', { name: /by Waar werk je\?/ });
    await byAnswer.waitFor();
    // Issue 14: the survey's own texts in its default language (Dutch), the app's words in English.
    assert.match(await byAnswer.innerText(), /Binnendienst/);
    assert.match(await byAnswer.innerText(), /\(small base\)/);

    // By a profile field: Zorg (five 9s) NPS 100 ± 0, ICT (three 4s) −100 ± 0.
    await page.getByLabel('Break down by').selectOption('profile.afdeling');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const byField = page.getByRole('table', { name: /by afdeling/i });
    await byField.waitFor();
    const zorg = byField.getByRole('row', { name: /^Zorg/ });
    assert.match(await zorg.innerText(), /100 ± 0/);
    assert.match(await byField.getByRole('row', { name: /^ICT/ }).innerText(), /-100 ± 0/);

    // A cross-tab of the answer by the profile field.
    await page.getByLabel('Cross-tab with question').selectOption('dept');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const cross = page.getByRole('table', { name: /^Waar werk je\? by afdeling/i });
    await cross.waitFor();
    // Binnendienst: ICT 1 of 3, Zorg 3 of 5.
    assert.match(await cross.getByRole('row', { name: /^Binnendienst/ }).innerText(), /1 \(33\.3%\)\s+3 \(60%\)/);
    await assertAccessible(page, 'the results page with a cross-tab');

    // A phone: the table scrolls in its own box, the page does not overflow.
    await page.setViewportSize({ width: 375, height: 800 });
    const overflow = await page.evaluate(() => {
      const d = (
        globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
      ).document.documentElement;
      return d.scrollWidth - d.clientWidth;
    });
    if (overflow > 0) {
      console.error(
        await page.evaluate(() => {
          const doc = (
            globalThis as unknown as {
              document: {
                querySelectorAll: (s: string) => Array<{
                  tagName: string;
                  className: string;
                  id: string;
                  getBoundingClientRect: () => { right: number };
                }>;
              };
            }
          ).document;
          return [...doc.querySelectorAll('*')]
            .filter((e) => e.getBoundingClientRect().right > 376)
            .map((e) => `${e.tagName}.${e.className}#${e.id}:${Math.round(e.getBoundingClientRect().right)}`)
            .slice(0, 30)
            .join('\n');
        }),
      );
    }
    assert.ok(overflow <= 0, `the page overflows by ${overflow}px at 375px`);
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser?.close();
    await t?.close();
  }
});
