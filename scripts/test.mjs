// Runs the test suite with Node's own test runner and ends with one line `N passed, N failed`.
// Usage: npm test [-- <file or folder filter>...]
// Database tests run on the embedded PGlite by default; set PEIL_TEST_DATABASE_URL to a PostgreSQL
// server (for example postgres://postgres@127.0.0.1:5432/test) to run them there instead.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cpus } from 'node:os';

const roots = ['src', 'test'];
const args = process.argv.slice(2);
// --db-only: just the files that use a database (they import the test harness); the PostgreSQL
// pass of CI uses it, since pure tests would only repeat what the PGlite pass ran.
const dbOnly = args.includes('--db-only');
const filters = args.filter((a) => a !== '--db-only');

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) collect(full, out);
    else if (/\.test\.ts$/.test(name)) out.push(full);
  }
  return out;
}

const files = roots
  .flatMap((r) => collect(r, []))
  .filter((f) => filters.length === 0 || filters.some((x) => relative('.', f).includes(x)))
  .filter((f) => !dbOnly || /test\/harness\.js|freshDatabase|startTestApp/.test(readFileSync(f, 'utf8')))
  .sort();

if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}

// Test files are TypeScript: every test process loads tsx (Node 20's run() has no execArgv option).
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim();

let passed = 0;
let failed = 0;
let skipped = 0;
const stream = run({
  files,
  concurrency: Math.max(1, Math.min(2, cpus().length)),
  timeout: 20 * 60 * 1000,
});
stream.on('test:pass', (e) => {
  if (e.details?.type === 'suite') return;
  if (e.skip || e.todo) skipped++;
  else passed++;
});
stream.on('test:fail', (e) => {
  if (e.details?.type === 'suite' && e.details?.error?.failureType === 'subtestsFailed') return;
  failed++;
});
const report = stream.compose(spec);
report.pipe(process.stdout);
report.on('end', () => {
  const target = process.env.PEIL_TEST_DATABASE_URL ? 'postgresql' : 'pglite';
  console.log(`\n[${target}] ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed > 0 ? 1 : 0;
});
