import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseEnv } from '../src/lib/env.js';
import { OPS_PATHS } from '../src/ops.js';
import { peilBinEnv } from './bin.js';

/**
 * Issue 15: the container files, checked as far as that goes without docker (which CI does not
 * have): compose.yaml parses and wires Peil to PostgreSQL 16 and a mail catcher with settings Peil
 * knows and accepts; the Dockerfile's COPY sources exist and are not ignored, it runs as a user of its
 * own, its health check asks a route that exists, and its CMD is a real command; the systemd example
 * starts the same command.
 */
const root = join(import.meta.dirname, '..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');

/** Every setting env.ts knows: the keys of its schema. */
const knownSettings = new Set([...read('src/lib/env.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]*): /gm)].map((m) => m[1]!));

/** compose's ${NAME:?message} and ${NAME:-default}, filled in as an operator would. */
const filled = (value: string) =>
  value.replace(/\$\{([A-Z_]+):([?-])([^}]*)\}/g, (_m, name: string, kind: string, rest: string) =>
    name === 'PEIL_MASTER_KEY'
      ? Buffer.alloc(32, 7).toString('base64').replace(/^./, 'Q')
      : kind === '-'
        ? rest
        : 'x'.repeat(24),
  );

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe('the container files (Dockerfile, compose.yaml, .dockerignore, docs/peil.service)', () => {
  const compose = parse(read('compose.yaml')) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
  const peil = compose.services.peil!;

  test('compose.yaml: Peil, PostgreSQL 16 and a mail catcher, each with a health check', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ['db', 'mail', 'peil']);
    assert.ok(peil.build, 'Peil is built from the Dockerfile');
    assert.match(compose.services.db!.image!, /^postgres:16(\.|$|-)/);
    assert.match(compose.services.mail!.image!, /^axllent\/mailpit(:|$)/);
    for (const [name, s] of Object.entries(compose.services))
      assert.ok(s.healthcheck?.test?.length, `${name} has a health check`);
    assert.deepEqual(peil.depends_on?.db, { condition: 'service_healthy' }, 'Peil waits for PostgreSQL to be healthy');
    assert.ok(peil.depends_on?.mail);
  });

  test("compose.yaml: every setting of Peil's service is one env.ts knows, and env.ts accepts them all", () => {
    const env = Object.fromEntries(Object.entries(peil.environment ?? {}).map(([k, v]) => [k, filled(String(v))]));
    const unknown = Object.keys(env).filter((k) => !knownSettings.has(k));
    assert.deepEqual(unknown, [], 'settings env.ts does not know');
    for (const name of [
      'DATABASE_URL',
      'SMTP_URL',
      'PEIL_BASE_URL',
      'PEIL_MASTER_KEY',
      'METRICS_TOKEN',
      'HOST',
      'PORT',
      'PEIL_DATA_DIR',
    ])
      assert.ok(name in env, name);
    const parsed = parseEnv(env);
    assert.equal(new URL(parsed.DATABASE_URL!).hostname, 'db', 'the database is the db service');
    assert.equal(new URL(parsed.SMTP_URL!).hostname, 'mail', 'mail goes to the mail service');
    assert.equal(new URL(parsed.SMTP_URL!).port, '1025', "Mailpit's SMTP port");
    assert.equal(parsed.HOST, '0.0.0.0', 'listens beyond the container');
    assert.match(
      String(peil.environment!.PEIL_MASTER_KEY),
      /^\$\{PEIL_MASTER_KEY:\?/,
      'no master key in the file: compose refuses to start without one',
    );
  });

  test('compose.yaml: ports are published on this machine only and match what Peil listens on; data in named volumes', () => {
    const port = Number(peil.environment!.PORT);
    assert.deepEqual(peil.ports, [`127.0.0.1:${port}:${port}`]);
    for (const p of compose.services.mail!.ports ?? []) assert.match(p, /^127\.0\.0\.1:/);
    assert.equal(compose.services.db!.ports, undefined, 'PostgreSQL is not published');
    assert.ok(
      peil.volumes?.some((v) => v === `peil-data:${peil.environment!.PEIL_DATA_DIR}`),
      'PEIL_DATA_DIR is a volume',
    );
    assert.ok(compose.services.db!.volumes?.some((v) => v.startsWith('db-data:')));
    assert.deepEqual(Object.keys(compose.volumes).sort(), ['db-data', 'peil-data']);
    const check = peil.healthcheck!.test.join(' ');
    assert.match(check, new RegExp(`127\\.0\\.0\\.1:${port}/readyz`), "Peil's health check asks /readyz on its port");
    assert.ok((OPS_PATHS as readonly string[]).includes('/readyz'));
  });

  const dockerfile = read('Dockerfile');
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const ignored = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  test('Dockerfile: Node 22 slim in both stages, npm ci, build, dev dependencies pruned, a user of its own, a data volume', () => {
    const froms = lines.filter((l) => l.startsWith('FROM '));
    assert.equal(froms.length, 2, 'a build stage and a run stage');
    for (const f of froms) assert.match(f, /^FROM node:22-slim\b/);
    assert.ok(lines.some((l) => /^RUN npm ci\b/.test(l)));
    assert.ok(lines.some((l) => /npm run build/.test(l) && /npm prune --omit=dev/.test(l)));
    const users = lines.filter((l) => l.startsWith('USER '));
    assert.equal(users.length, 1);
    assert.doesNotMatch(users[0]!, /^USER (root|0)\b/);
    assert.ok(lines.indexOf(users[0]!) > lines.indexOf(froms[1]!), 'the run stage runs as that user');
    const dataDir = /PEIL_DATA_DIR=(\S+)/.exec(dockerfile)?.[1];
    assert.ok(dataDir);
    assert.ok(
      lines.some((l) => l.startsWith('VOLUME') && l.includes(`"${dataDir}"`)),
      'PEIL_DATA_DIR is a volume',
    );
  });

  test('Dockerfile: every COPY source exists and is not in .dockerignore; the run stage copies only what the build stage made', () => {
    const fromContext = lines.filter((l) => l.startsWith('COPY ') && !l.includes('--from='));
    assert.ok(fromContext.length >= 5);
    for (const l of fromContext) {
      const parts = l
        .split(/\s+/)
        .slice(1)
        .filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) {
        assert.ok(existsSync(join(root, src)), `COPY ${src}: exists`);
        assert.ok(
          !ignored.some((i) => i === src || i === src.replace(/\/$/, '')),
          `COPY ${src}: not ignored by .dockerignore`,
        );
      }
    }
    const built = new Set([
      '/app/dist',
      '/app/node_modules',
      ...fromContext.flatMap((l) =>
        l
          .split(/\s+/)
          .slice(1, -1)
          .map((s) => `/app/${s.replace(/^\.\//, '')}`),
      ),
    ]);
    for (const l of lines.filter((x) => x.includes('--from=build'))) {
      for (const src of l.split(/\s+/).slice(2, -1))
        assert.ok(built.has(src), `COPY --from=build ${src} is made or copied in the build stage`);
    }
    for (const must of ['node_modules', '.data', 'dist', '.git', '.env'])
      assert.ok(ignored.includes(must), `.dockerignore keeps ${must} out`);
  });

  test('Dockerfile: the HEALTHCHECK asks /livez, and CMD is a command that exists (its --help runs)', () => {
    const health = lines.find((l) => l.startsWith('HEALTHCHECK'));
    assert.ok(health);
    assert.match(health, /\/livez/);
    assert.ok((OPS_PATHS as readonly string[]).includes('/livez'));
    const cmdLine = lines.find((l) => l.startsWith('CMD '));
    assert.ok(cmdLine);
    const cmd = JSON.parse(cmdLine.slice(4)) as string[];
    assert.equal(cmd[0], 'node');
    assert.ok(existsSync(join(root, cmd[1]!)), `${cmd[1]} exists`);
    const r = spawnSync(process.execPath, [join(root, cmd[1]!), ...cmd.slice(2), '--help'], {
      env: { ...process.env, ...peilBinEnv(), NODE_OPTIONS: '' },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`peil ${cmd.slice(2).join(' ')}`));
  });

  test('docs/peil.service starts the same command, as its own user, with production settings', () => {
    const unit = read('docs/peil.service');
    assert.match(unit, /^ExecStart=\/usr\/bin\/node \/opt\/peil\/bin\/peil\.js start$/m);
    assert.match(unit, /^User=peil$/m);
    assert.match(unit, /^Environment=PEIL_ENV=production$/m);
    for (const m of unit.matchAll(/^Environment=([A-Z_]+)=/gm))
      if (m[1] !== 'NODE_ENV') assert.ok(knownSettings.has(m[1]!), m[1]);
  });
});
