import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { OPERATOR, OWNER } from './harness.js';
import { assertNoEnglish } from './english-detector.js';

/** What every admin-app browser test needs: Debian's chromium, the built app, and a signed-in owner. */
export const CHROMIUM = process.env.PEIL_CHROMIUM ?? '/usr/bin/chromium';
export const WEB_BUILD = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web', 'index.html');

/** Fails (never skips) when chromium or the build is missing. */
export function assertBrowserReady(): void {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}.`);
  assert.ok(existsSync(WEB_BUILD), `The admin app is not built (${WEB_BUILD} is missing). Run npm run build first.`);
}

/**
 * Chromium for the tests. The admin app is Dutch unless the user chose English (issue 14); a context
 * opened with an English locale (`locale: 'en-GB'`) stands for a user who chose English, so the app's
 * stored choice is set in it before any page loads. Every other context sees the Dutch app.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    if (options?.locale?.startsWith('en')) await context.addInitScript("localStorage.setItem('peil.language', 'en')");
    return context;
  };
  return browser;
}

/** The sign-in form's names in either language (issue 14: nl-NL contexts see the Dutch app). */
export const SIGN_IN = {
  email: /^(E-mailadres|Email)$/,
  password: /^(Wachtwoord|Password)$/,
  button: /^(Inloggen|Sign in)$/,
} as const;
/** The surveys list's heading in either language. */
export const SURVEYS_HEADING = /^(Onderzoeken|Surveys)$/;

/** Signs the owner in through the sign-in page and waits for the surveys list. */
export async function signInAsOwner(page: Page, address: string): Promise<void> {
  await page.goto(`${address}/app/sign-in`);
  await signInWithPassword(page, OWNER.email, OWNER.password);
  await page.getByRole('heading', { name: SURVEYS_HEADING, level: 1 }).waitFor();
}

/** Signs in with a password on whichever sign-in form is shown (scoped to the form, as pages change). */
export async function signInWithPassword(page: Page, email: string, password: string): Promise<void> {
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: SIGN_IN.button }) });
  await form.getByLabel(SIGN_IN.email).fill(email);
  await form.getByLabel(SIGN_IN.password).fill(password);
  await form.getByRole('button', { name: SIGN_IN.button }).click();
}

/** Signs the operator in on the operator sign-in page and waits for the customer list. */
export async function signInAsOperator(page: Page, address: string): Promise<void> {
  await page.goto(`${address}/app/operator/sign-in`);
  await signInWithPassword(page, OPERATOR.email, OPERATOR.password);
  await page.getByRole('heading', { name: /^(Klanten|Customers)$/, level: 1 }).waitFor();
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

const AXE = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'axe-core', 'axe.min.js');

/**
 * axe-core's WCAG 2.1 AA rules on the page as it is now. Injected with evaluate, not a script tag, so
 * that pages whose policy allows no script (respondent pages, publications) are checked too.
 */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const doc = (globalThis as unknown as { document: unknown }).document;
    const r = await axe.run(doc, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  if (violations.length) console.error(`axe violations on ${what}:\n${JSON.stringify(violations, null, 2)}`);
  assert.deepEqual(violations, [], `axe found WCAG 2.1 AA violations on ${what}`);
}

/** A TCP port that is free on 127.0.0.1 now (the tests listen on it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Collects what a page should never show: script errors, and (issue 14) the app's own report of a
 * missing catalogue key (a console error starting with "i18n"). Assert the list is empty at the end.
 */
export function watchErrors(page: Page, into: string[]): void {
  page.on('pageerror', (err) => into.push(`${page.url()}: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().startsWith('i18n')) into.push(m.text());
  });
}

/**
 * Issue 14: a page as a Dutch user sees it: `<html lang="nl">`, no English word in its text or
 * accessible names (test/english-detector.ts; `allow` is the test's own data), and no axe violation.
 */
export async function assertDutchPage(page: Page, what: string, allow: readonly string[] = []): Promise<void> {
  await page.waitForLoadState('networkidle');
  const lang = await page.evaluate(
    () => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang,
  );
  // All three checks run, and a failure names what each found (a walk over many pages fixes them at once).
  const problems: string[] = [];
  for (const check of [
    () => assert.equal(lang, 'nl', `${what}: <html lang>`),
    () => assertNoEnglish(page, what, allow),
    () => assertAccessible(page, `${what} (Dutch)`),
  ])
    try {
      await check();
    } catch (e) {
      problems.push((e as Error).message);
    }
  if (problems.length) assert.fail(problems.join('\n'));
}
