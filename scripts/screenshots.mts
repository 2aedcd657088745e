// Issue 14: the README's screenshots of the Dutch admin app. `npm run build` first, then
// `npm run screenshots`: starts Peil on PGlite (a temporary database, gone afterwards) with demo data
// made through the API (contacts, an NPS survey with answers, an employee survey), signs the owner in
// in Debian's chromium as a Dutch user and saves 1366×800 screenshots in docs/screenshots/.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { signedRowToken } from '../src/lib/tokens.js';
import { assertBrowserReady, launchChromium, signInWithPassword, SURVEYS_HEADING } from '../test/browser.js';
import { importCsv, OPERATOR, signIn, startTestApp } from '../test/harness.js';

/** A Dutch owner for the pictures (the tests' Otto Owner would show on every one). */
const OWNER = { email: 'sanne.dewit@zorggroep-oost.nl', name: 'Sanne de Wit', password: 'Tulpenveld-Zomer-7' };

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');

const FIRST = ['Anna', 'Bram', 'Carla', 'Daan', 'Eva', 'Floor', 'Gijs', 'Hanna', 'Ilse', 'Joris', 'Kim', 'Lars'];
const LAST: Array<[string, string]> = [
  ['', 'Jansen'],
  ['de', 'Vries'],
  ['van', 'Dijk'],
  ['', 'Bakker'],
  ['', 'Visser'],
  ['van den', 'Berg'],
  ['', 'Smit'],
  ['de', 'Boer'],
];
const COMMENTS = [
  'De monteur was op tijd en legde alles duidelijk uit.',
  'Snel geholpen via de chat, fijn!',
  'Prima service, maar de factuur was onduidelijk.',
  'Twee keer gebeld voordat iemand terugbelde.',
  'Vriendelijk personeel en goede afspraken.',
  'De app werkt prettig, de website minder.',
  'Levering kwam een dag te laat.',
  'Altijd correct en netjes afgehandeld.',
];

function contactsCsv(n: number): string {
  const rows = Array.from({ length: n }, (_, i) => {
    const first = FIRST[i % FIRST.length]!;
    const [infix, last] = LAST[(i * 5) % LAST.length]!;
    const email = `${first}.${infix ? `${infix.replace(/ /g, '')}` : ''}${last}${i}@voorbeeld.nl`.toLowerCase();
    return [email, first, infix, last, i % 7 === 0 ? 'en' : 'nl', `06${String(12345678 + i * 7919).slice(0, 8)}`].join(
      ';',
    );
  });
  return `e-mail;voornaam;tussenvoegsel;achternaam;taal;telefoon\n${rows.join('\n')}\n`;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled' });
  console.log(`${path} (${Math.round(statSync(path).size / 1024)} KB)`);
}

assertBrowserReady();
mkdirSync(OUT, { recursive: true });
const t = await startTestApp({ LOG_LEVEL: 'silent' });
const browser = await launchChromium();
try {
  const setup = await t.app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    payload: { operator: OPERATOR, tenant: { name: 'Zorggroep Oost', slug: 'zorggroep-oost', owner: OWNER } },
  });
  if (setup.statusCode !== 201) throw new Error(`setup: ${setup.statusCode} ${setup.body}`);
  const tenantId = setup.json().tenantId as string;
  const owner = await signIn(t, OWNER.email, OWNER.password);
  const inject = async (method: 'POST' | 'PUT', url: string, payload?: object) => {
    const r = await t.app.inject({ method, url, headers: { cookie: owner }, ...(payload ? { payload } : {}) });
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json() as { id: string };
  };
  const imported = await importCsv(t, owner, contactsCsv(48));
  if (imported.statusCode !== 200) throw new Error(`import: ${imported.statusCode} ${imported.body}`);

  const nps = await inject('POST', '/api/v1/surveys', { name: 'Klanttevredenheid 2026', kind: 'nps' });
  await inject('POST', `/api/v1/surveys/${nps.id}/open`);
  await inject('POST', `/api/v1/surveys/${nps.id}/distributions`, { all: true });
  await inject('POST', '/api/v1/surveys', {
    name: 'Medewerkersonderzoek 2026',
    kind: 'enps',
    anonymity: 'confidential',
    minGroupSize: 5,
  });
  await inject('POST', '/api/v1/surveys', { name: 'Servicemonitor klantcontact', kind: 'csat' });

  // 34 of the 48 answer: mostly promoters, some passives and detractors, with comments.
  const keys = await t.ctx.keyring.forTenant(tenantId);
  const invitations = await t.ctx.db.tenant(tenantId, (tx) =>
    tx.selectFrom('invitations').select('id').where('survey_id', '=', nps.id).orderBy('id').execute(),
  );
  const SCORES = [
    10, 9, 9, 8, 10, 7, 9, 3, 10, 8, 9, 6, 10, 9, 5, 8, 10, 9, 7, 10, 2, 9, 8, 10, 9, 6, 10, 9, 8, 7, 9, 10, 4, 9,
  ];
  for (const [i, score] of SCORES.entries()) {
    const token = signedRowToken(tenantId, invitations[i]!.id, (b) => keys.tokenMac(b));
    const form = new URLSearchParams({ lang: 'nl', score: String(score) });
    if (i % 3 !== 2) form.set('why', COMMENTS[i % COMMENTS.length]!);
    const r = await t.app.inject({
      method: 'POST',
      url: `/s/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    if (r.statusCode !== 303) throw new Error(`answer ${i}: ${r.statusCode} ${r.body}`);
  }
  // The responses are written in small batches: wait until the results count them all.
  for (let i = 0; i < 100; i++) {
    const r = await t.app.inject({ url: `/api/v1/surveys/${nps.id}/results`, headers: { cookie: owner } });
    if (JSON.stringify(r.json()).includes(`"responses":${SCORES.length}`)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'nl-NL' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${address}/app/sign-in`);
  await signInWithPassword(page, OWNER.email, OWNER.password);
  await page.getByRole('heading', { name: SURVEYS_HEADING, level: 1 }).waitFor();

  await page.goto(`${address}/app/surveys`);
  await page.getByRole('link', { name: 'Klanttevredenheid 2026' }).first().waitFor();
  await shoot(page, 'onderzoeken');

  await page.goto(`${address}/app/surveys/${nps.id}/results`);
  await page.getByTestId('question-score').waitFor();
  // The results themselves at the top (the survey's header is above them).
  await page
    .getByRole('heading', { name: 'Resultaten', level: 2 })
    .evaluate((h) => (h as unknown as { scrollIntoView(): void }).scrollIntoView());
  await shoot(page, 'resultaten-nps');

  await page.goto(`${address}/app/privacy`);
  await page.waitForURL(/\/app\/privacy\/.+/);
  await page.locator('main h1').first().waitFor();
  await shoot(page, 'privacy');

  await page.goto(`${address}/app/contacts`);
  await page.getByText('@voorbeeld.nl').first().waitFor();
  // The list, not the import form above it (whose file button is the browser's own, in its language).
  await page
    .getByRole('heading', { name: 'Lijst met contacten' })
    .evaluate((h) => (h as unknown as { scrollIntoView(): void }).scrollIntoView());
  await shoot(page, 'contacten');
} finally {
  await browser.close();
  await t.close();
}
