import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cookieOf, signIn, type TestApp } from '../../../test/harness.js';

/**
 * Test helpers of the agreement's document and versions tests (AGR-3, AGR-4): customers made by the
 * operator, colleagues with a role, and the text of a PDF as poppler's pdftotext reads it (an
 * extractor that is not the library that wrote it; .ci/run installs poppler-utils).
 */

export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'peil-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let n = 0;
export const PASSWORD = 'Tulpenveld-Zomer-7';

export async function newCustomer(t: TestApp, op: string, name?: string): Promise<{ id: string; cookie: string; email: string; slug: string }> {
  n++;
  const slug = `klant-${process.pid}-${n}`;
  const email = `eigenaar${n}@${slug}.test`;
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/operator/tenants', headers: { cookie: op }, payload: { name: name ?? `Klant ${n} B.V.`, slug, owner: { email, name: `Eigenaar ${n}`, password: PASSWORD } } });
  assert.equal(res.statusCode, 201, res.body);
  return { id: res.json().tenantId, cookie: await signIn(t, email, PASSWORD), email, slug };
}

/** A colleague with `role`, invited by the owner and signed in through the invitation. */
export async function colleague(t: TestApp, ownerCookie: string, role: 'admin' | 'analyst' | 'viewer'): Promise<string> {
  n++;
  const email = `${role}${n}@collega.test`;
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: ownerCookie }, payload: { email, name: `Collega ${n}`, role } });
  assert.equal(created.statusCode, 201, created.body);
  const out = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: ownerCookie } })).json();
  const token = /#token=([A-Za-z0-9_-]+)/.exec(out.messages.find((m: { to: string }) => m.to === email).text)![1]!;
  return cookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/auth/accept-invite', payload: { token, password: 'Lantaarnpaal-Fietspad-2026' } }));
}

export async function outbox(t: TestApp, ownerCookie: string): Promise<Array<{ to: string; subject: string; text: string }>> {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: ownerCookie } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().messages;
}
