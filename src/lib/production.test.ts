import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from './env.js';
import { productionProblems, type ProductionFacts } from './production.js';
import { peilBinEnv } from '../../test/bin.js';

const goodKey = randomBytes(32);
const good = {
  PEIL_ENV: 'production',
  PEIL_MASTER_KEY: goodKey.toString('base64'),
  SMTP_URL: 'smtps://peil:secret@smtp.example.nl:465',
  PEIL_BASE_URL: 'https://peil.example.nl',
  PEIL_TRUSTED_PROXIES: '10.0.0.0/8',
  DATABASE_URL: 'postgres://peil@db.example.nl:5432/peil',
};
const envKey = (bytes: Buffer): ProductionFacts => ({ masterKey: { origin: 'env', bytes } });
const problems = (vars: Record<string, string | undefined>, facts: ProductionFacts = envKey(goodKey)) =>
  productionProblems(parseEnv(vars), facts);

describe('production refuses development defaults', () => {
  test('SEC-5 a complete production configuration passes; development and test are not checked', () => {
    assert.deepEqual(problems(good), []);
    assert.deepEqual(problems({ PEIL_ENV: 'development' }, { masterKey: { origin: 'data-dir', bytes: null } }), []);
    assert.deepEqual(problems({ PEIL_ENV: 'test' }, { masterKey: { origin: 'data-dir', bytes: null } }), []);
  });

  test('SEC-5 production with every development default names each problem', () => {
    const p = problems({ PEIL_ENV: 'production' }, { masterKey: { origin: 'data-dir', bytes: null } });
    assert.equal(p.length, 5, p.join('\n'));
    assert.match(p[0]!, /PEIL_MASTER_KEY/);
    assert.match(p[1]!, /SMTP_URL.*outbox/);
    assert.match(p[2]!, /PEIL_BASE_URL.*https:\/\//);
    assert.match(p[3]!, /No TLS settings.*PEIL_TLS_CERT_FILE.*PEIL_TRUSTED_PROXIES/);
    assert.match(p[4]!, /DATABASE_URL.*PEIL_ALLOW_EMBEDDED_DB=true/);
  });

  test('SEC-5 each rule on its own: example or weak keys, a key file in the data folder, unchecked or missing mail TLS, plain HTTP, PGlite without consent, no audit maintenance', () => {
    const one = (vars: Record<string, string>, facts?: ProductionFacts) => {
      const p = problems({ ...good, ...vars }, facts);
      assert.equal(p.length, 1, p.join('\n'));
      return p[0]!;
    };
    assert.match(one({}, envKey(Buffer.alloc(32))), /example key/);
    assert.match(one({}, envKey(Buffer.from('0123456789abcdef0123456789abcdef'))), /example key/);
    assert.match(one({}, envKey(Buffer.alloc(32, 7))), /not random/);
    assert.match(one({}, envKey(Buffer.from('my-secret-master-key-for-peil-01'))), /printable text/);
    assert.match(
      one(
        { PEIL_DATA_DIR: '/srv/peil' },
        { masterKey: { origin: 'file', bytes: goodKey, path: '/srv/peil/master.key' } },
      ),
      /inside PEIL_DATA_DIR/,
    );
    assert.match(one({ SMTP_URL: 'smtp://smtp.example.nl:587?tls_reject_unauthorized=false' }), /certificate/);
    assert.match(one({ SMTP_URL: 'smtp://smtp.example.nl:25?starttls=false' }), /without TLS/);
    assert.deepEqual(
      problems({ ...good, SMTP_URL: 'smtp://127.0.0.1:25?starttls=false' }),
      [],
      'a relay on the same machine may skip TLS',
    );
    assert.match(one({ PEIL_BASE_URL: 'http://peil.example.nl' }), /https:\/\/.*"http:\/\/peil\.example\.nl"/);
    assert.match(one({ AUDIT_MAINTENANCE_MINUTES: '0' }), /neither signed/);
    const { PEIL_TRUSTED_PROXIES: _p, ...noProxy } = good;
    assert.match(problems(noProxy)[0]!, /No TLS settings/);
    assert.deepEqual(
      problems({ ...noProxy, PEIL_TLS_CERT_FILE: '/etc/peil/cert.pem', PEIL_TLS_KEY_FILE: '/etc/peil/key.pem' }),
      [],
      'HTTPS served by Peil itself',
    );
    assert.match(problems({ ...noProxy, PEIL_TLS_CERT_FILE: '/etc/peil/cert.pem' })[0]!, /without PEIL_TLS_KEY_FILE/);
    const { DATABASE_URL: _db, ...embedded } = good;
    assert.match(problems(embedded)[0]!, /PEIL_ALLOW_EMBEDDED_DB/);
    assert.deepEqual(problems({ ...embedded, PEIL_ALLOW_EMBEDDED_DB: 'true' }), [], 'explicit consent to PGlite');
  });
});

const bin = join(import.meta.dirname, '..', '..', 'bin', 'peil.js');

function peil(
  args: string[],
  env: Record<string, string>,
  untilOutput?: RegExp,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(PEIL_|DATABASE_URL|SMTP_URL)/.test(k)),
    );
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...clean, ...peilBinEnv(), NODE_OPTIONS: '', PORT: '0', LOG_LEVEL: 'warn', PEIL_LANG: 'en', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const check = () => {
      if (untilOutput && untilOutput.test(stdout + stderr)) child.kill('SIGTERM');
    };
    child.stdout.on('data', (d) => ((stdout += d), check()));
    child.stderr.on('data', (d) => ((stderr += d), check()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('peil start in production', () => {
  test('SEC-5 peil start with PEIL_ENV=production and development defaults stops with exit code 78 and names each problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peil-prod-'));
    try {
      const r = await peil(['start'], { PEIL_ENV: 'production', PEIL_DATA_DIR: dir });
      assert.equal(r.code, 78, r.stderr);
      for (const name of ['PEIL_MASTER_KEY', 'SMTP_URL', 'PEIL_BASE_URL', 'No TLS settings', 'DATABASE_URL'])
        assert.match(r.stderr, new RegExp(`- ${name}`), name);
      assert.match(r.stderr, /5 problems/);
      assert.ok(!existsSync(join(dir, 'master.key')), 'no development key was generated');
      assert.ok(!existsSync(join(dir, 'pgdata')), 'no database was opened');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SEC-5 with production settings (and consent to the embedded database) peil start runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peil-prod-'));
    try {
      const r = await peil(
        ['start'],
        {
          PEIL_ENV: 'production',
          PEIL_DATA_DIR: dir,
          PEIL_MASTER_KEY: randomBytes(32).toString('base64'),
          SMTP_URL: 'smtps://peil:secret@smtp.example.nl:465',
          PEIL_BASE_URL: 'https://peil.example.nl',
          PEIL_TRUSTED_PROXIES: '127.0.0.1',
          PEIL_ALLOW_EMBEDDED_DB: 'true',
        },
        /Peil is running at/,
      );
      assert.match(r.stdout, /Peil is running at/, r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
