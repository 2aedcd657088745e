import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../../test/harness.js';
import { peilBinEnv } from '../../test/bin.js';
import { pdfText } from '../../test/pdf.js';
import { cliLanguage, parseEnv } from '../lib/env.js';
import { translator } from '../lib/i18n.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'peil.js');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function peil(args: string[], env: Record<string, string>, cwd?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      // Issue 14: English messages unless a test sets PEIL_LANG (or the locale) itself.
      env: { ...process.env, ...peilBinEnv(), NODE_OPTIONS: '', PEIL_LANG: 'en', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(cwd ? { cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'start'], {
      env: { ...process.env, ...peilBinEnv(), NODE_OPTIONS: '', PORT: '0', LOG_LEVEL: 'warn', PEIL_LANG: 'en', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /Peil is running at (http:\/\/\S+?)\/app\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

const setupArgs = [
  'setup',
  '--operator-email',
  'op@peil.test',
  '--tenant-name',
  'Sportclub De Bal',
  '--tenant-slug',
  'de-bal',
  '--owner-email',
  'voorzitter@debal.test',
  '--owner-name',
  'Vera',
];

describe(
  'the peil command line on the embedded database',
  { skip: process.env.PEIL_TEST_DATABASE_URL ? 'runs in the PGlite pass' : false },
  () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'peil-cli-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('peil setup creates the operator and the first customer, printing generated passwords once', async () => {
      const r = await peil(setupArgs, { PEIL_DATA_DIR: dir });
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.match(out.tenantId, /^[0-9a-f-]{36}$/);
      assert.ok(out.ownerPassword.length >= 12);
      const again = await peil(setupArgs, { PEIL_DATA_DIR: dir });
      assert.equal(again.code, 65);
      assert.match(again.stderr, /already set up/);
    });

    test('AGR-6 peil tenant suspend and resume: a reason is required, a second suspend is refused, both are in the customer log', async () => {
      const env = { PEIL_DATA_DIR: dir };
      assert.equal((await peil(['tenant', 'suspend', '--tenant', 'de-bal'], env)).code, 64, 'without --reason');
      const unknown = await peil(['tenant', 'suspend', '--tenant', 'onbekend', '--reason', 'x'], env);
      assert.equal(unknown.code, 64);
      assert.match(unknown.stderr, /no customer "onbekend"/);
      const sus = await peil(['tenant', 'suspend', '--tenant', 'de-bal', '--reason', 'Factuur onbetaald'], env);
      assert.equal(sus.code, 0, sus.stderr);
      assert.equal(JSON.parse(sus.stdout).status, 'suspended');
      const again = await peil(['tenant', 'suspend', '--tenant', 'de-bal', '--reason', 'nog eens'], env);
      assert.equal(again.code, 65);
      assert.match(again.stderr, /suspended already/);
      const res = await peil(['tenant', 'resume', '--tenant', 'de-bal', '--reason', 'Betaald'], env);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(JSON.parse(res.stdout).status, 'active');
      // Both changes are entries of the customer's own chain, which still verifies.
      const verify = await peil(['audit', 'verify', '--tenant', 'de-bal'], env);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    });

    test('AGR-4 peil agreement document writes the agreement as Markdown, HTML or PDF, to standard output or a file', async () => {
      const md = await peil(['agreement', 'document', '--tenant', 'de-bal', '--lang', 'nl', '--format', 'md'], {
        PEIL_DATA_DIR: dir,
      });
      assert.equal(md.code, 0, md.stderr);
      assert.ok(md.stdout.startsWith('# Verwerkersovereenkomst Sportclub De Bal – Peil\n'), md.stdout.slice(0, 200));
      assert.ok(md.stdout.includes('binnen 24 uur nadat') && md.stdout.includes('## Bijlage 2 – Sub-verwerkers'));
      const html = await peil(['agreement', 'document', '--tenant', 'de-bal', '--lang', 'en', '--format', 'html'], {
        PEIL_DATA_DIR: dir,
      });
      assert.equal(html.code, 0, html.stderr);
      assert.match(
        html.stdout,
        /^<!doctype html>[\s\S]*<html lang="en">[\s\S]*Data processing agreement Sportclub De Bal/,
      );
      const out = join(dir, 'overeenkomst.pdf');
      const pdf = await peil(
        ['agreement', 'document', '--tenant', 'de-bal', '--lang', 'nl', '--format', 'pdf', '--out', out],
        { PEIL_DATA_DIR: dir },
      );
      assert.equal(pdf.code, 0, pdf.stderr);
      assert.equal(pdf.stdout, '');
      assert.match(pdf.stderr, /wrote .*overeenkomst\.pdf \(\d+ bytes; SHA-256 of the Markdown text [0-9a-f]{64}\)/);
      assert.equal(readFileSync(out).subarray(0, 5).toString(), '%PDF-');
      assert.ok(pdfText(readFileSync(out)).includes('Verwerkersovereenkomst Sportclub De Bal'));
      // Mistakes are named, with the usage, and exit 64; an unknown customer too.
      for (const [args, message] of [
        [['--tenant', 'de-bal', '--lang', 'de', '--format', 'pdf'], /--lang takes nl or en, not "de"/],
        [['--tenant', 'de-bal', '--format', 'docx'], /--format takes pdf, html or md, not "docx"/],
        [['--tenant', 'de-bal', '--colour', 'blue'], /peil agreement document: unknown option "--colour"/],
        [['--lang', 'nl'], /--tenant is required/],
        [['--tenant', 'bestaat-niet'], /no customer "bestaat-niet"/],
      ] as const) {
        const r = await peil(['agreement', 'document', ...args], { PEIL_DATA_DIR: dir });
        assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message);
      }
    });

    test('AGR-2 peil agreement show and set: terms within their bounds, a preset, mistakes named with exit 64', async () => {
      const env = { PEIL_DATA_DIR: dir };
      const set = await peil(
        [
          'agreement',
          'set',
          '--tenant',
          'de-bal',
          '--preset',
          'maat-it',
          '--set',
          'breachNoticeHours=36',
          '--set',
          'processingLocation=NL',
        ],
        env,
      );
      assert.equal(set.code, 0, set.stderr);
      const a = JSON.parse(set.stdout);
      assert.deepEqual(
        [a.preset, a.terms.subprocessorObjectionDays, a.terms.breachNoticeHours, a.terms.processingLocation],
        ['maat-it', 8, 36, 'NL'],
      );
      const shown = await peil(['agreement', 'show', '--tenant', 'de-bal'], env);
      assert.equal(shown.code, 0, shown.stderr);
      assert.equal(JSON.parse(shown.stdout).terms.breachNoticeHours, 36);
      for (const [args, message] of [
        [['set', '--tenant', 'de-bal', '--set', 'breachNoticeHours=73'], /breachNoticeHours: .*72/],
        [['set', '--tenant', 'de-bal', '--set', 'kleur=blauw'], /Unrecognized key.*kleur|kleur/],
        [['set', '--tenant', 'de-bal', '--set', 'geenwaarde'], /--set takes term=value/],
        [['set', '--tenant', 'de-bal'], /peil agreement set --tenant S/],
        [['show', '--tenant', 'de-bal', '--preset', 'maat-it'], /takes only --tenant/],
      ] as const) {
        const r = await peil(['agreement', ...args], env);
        assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message);
      }
      assert.equal(
        JSON.parse((await peil(['agreement', 'show', '--tenant', 'de-bal'], env)).stdout).terms.breachNoticeHours,
        36,
        'a refused change changed nothing',
      );
    });

    test("AUD-1 peil audit pack writes the customer's signed audit pack; a bad date is named with exit 64", async () => {
      const env = { PEIL_DATA_DIR: dir };
      const out = join(dir, 'pakket.zip');
      const r = await peil(['audit', 'pack', '--tenant', 'de-bal', '--out', out], env);
      assert.equal(r.code, 0, r.stderr);
      const files = unzipSync(new Uint8Array(readFileSync(out)));
      const manifestText = strFromU8(files['manifest.json']!);
      const manifest = JSON.parse(manifestText) as { files: Array<{ name: string; sha256: string }> };
      assert.ok(
        ['agreement-nl.md', 'register.json', 'subprocessors.json', 'access-log.json'].every((n) =>
          manifest.files.some((f) => f.name === n),
        ),
      );
      for (const f of manifest.files)
        assert.equal(createHash('sha256').update(files[f.name]!).digest('hex'), f.sha256, f.name);
      assert.ok(
        verify(
          null,
          Buffer.from(manifestText),
          createPublicKey(strFromU8(files['public-key.pem']!)),
          Buffer.from(files['manifest.sig']!),
        ),
        'the signature verifies',
      );
      const bad = await peil(['audit', 'pack', '--tenant', 'de-bal', '--out', out, '--from', '1-1-2026'], env);
      assert.equal(bad.code, 64);
      assert.match(bad.stderr, /--from takes a date as YYYY-MM-DD/);
    });

    const newTenant = async (slug: string) => {
      const r = await peil(
        [
          'tenant',
          'create',
          '--tenant-name',
          `Klant ${slug}`,
          '--tenant-slug',
          slug,
          '--owner-email',
          `eigenaar@${slug}.test`,
          '--owner-name',
          'Eva',
        ],
        { PEIL_DATA_DIR: dir },
      );
      assert.equal(r.code, 0, r.stderr);
    };

    test('END-2 peil tenant end: --help, a reason is required, an unknown customer is named (exit 64); the end is printed and its log entry keeps the chain valid; a second end is refused (exit 65)', async () => {
      const env = { PEIL_DATA_DIR: dir };
      await newTenant('einde');
      const help = await peil(['tenant', 'end', '--help'], env);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /^peil tenant end --tenant S --reason R/);
      assert.match(help.stdout, /choice deadline/);
      const noReason = await peil(['tenant', 'end', '--tenant', 'einde'], env);
      assert.equal(noReason.code, 64);
      assert.match(noReason.stderr, /--reason is required/);
      assert.equal(
        (await peil(['tenant', 'end', '--tenant', 'einde', '--reason', '   '], env)).code,
        64,
        'a blank reason',
      );
      const unknown = await peil(['tenant', 'end', '--tenant', 'onbekend', '--reason', 'x'], env);
      assert.equal(unknown.code, 64);
      assert.match(unknown.stderr, /no customer "onbekend"/);
      // Issue 14: in Dutch the same refusal, from the catalogue, with the same exit code.
      const onbekend = await peil(['tenant', 'end', '--tenant', 'onbekend', '--reason', 'x'], {
        ...env,
        PEIL_LANG: 'nl',
      });
      assert.equal(onbekend.code, 64);
      assert.ok(onbekend.stderr.startsWith('peil: geen klant "onbekend"\n'), onbekend.stderr);
      const ended = await peil(['tenant', 'end', '--tenant', 'einde', '--reason', 'Opgezegd per 1 januari'], env);
      assert.equal(ended.code, 0, ended.stderr);
      const out = JSON.parse(ended.stdout);
      assert.equal(out.ended, 'einde');
      assert.equal(
        Date.parse(out.choiceDeadline) - Date.parse(out.endedAt),
        14 * 86_400_000,
        "the agreement's 14 days to choose",
      );
      assert.match(ended.stderr, /has ended/);
      const again = await peil(['tenant', 'end', '--tenant', 'einde', '--reason', 'nog eens'], env);
      assert.equal(again.code, 65);
      assert.match(again.stderr, /ended already/);
      // The end is an entry of the customer's chain, which verifies; the other customer is untouched.
      const verify = await peil(['audit', 'verify', '--tenant', 'einde'], env);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      assert.equal(
        JSON.parse((await peil(['agreement', 'show', '--tenant', 'de-bal'], env)).stdout).terms.breachNoticeHours,
        36,
      );
    });

    test('END-3 peil tenant delete: --help; refused before it is due and for a customer that has not ended (exit 65), an existing --out file before anything is deleted (exit 64); when due, the key and rows go and the signed statement is written and verifies; a second delete is refused', async () => {
      const env = { PEIL_DATA_DIR: dir };
      const help = await peil(['tenant', 'delete', '--help'], env);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /^peil tenant delete --tenant S \[--out F\]/);
      assert.match(help.stdout, /refused/);
      // Not ended: refused. Ended, but the owner may still choose for 14 days: refused, naming the date.
      const active = await peil(['tenant', 'delete', '--tenant', 'de-bal', '--out', join(dir, 'nee.json')], env);
      assert.equal(active.code, 65);
      assert.match(active.stderr, /has not ended/);
      const early = await peil(['tenant', 'delete', '--tenant', 'einde', '--out', join(dir, 'te-vroeg.json')], env);
      assert.equal(early.code, 65);
      assert.match(early.stderr, /The deletion is due on \d{4}-\d{2}-\d{2}T/);
      assert.equal((await peil(['audit', 'verify', '--tenant', 'einde'], env)).code, 0, 'nothing of it deleted');
      assert.equal((await peil(['tenant', 'delete', '--tenant', 'onbekend'], env)).code, 64);

      // A customer whose agreement gives 0 days to choose: due as soon as it has ended.
      await newTenant('weg');
      assert.equal((await peil(['agreement', 'set', '--tenant', 'weg', '--set', 'choiceDeadlineDays=0'], env)).code, 0);
      assert.equal((await peil(['tenant', 'end', '--tenant', 'weg', '--reason', 'Einde contract'], env)).code, 0);
      const taken = join(dir, 'bestaat.json');
      writeFileSync(taken, 'iets anders');
      const refused = await peil(['tenant', 'delete', '--tenant', 'weg', '--out', taken], env);
      assert.equal(refused.code, 64);
      assert.match(refused.stderr, /exists; the statement of deletion is not written over a file/);
      assert.equal(readFileSync(taken, 'utf8'), 'iets anders');
      assert.equal(
        (await peil(['audit', 'verify', '--tenant', 'weg'], env)).code,
        0,
        'refused before anything was deleted',
      );

      // Without --out: the default file in the current folder, its path printed.
      const deleted = await peil(['tenant', 'delete', '--tenant', 'weg'], env, dir);
      assert.equal(deleted.code, 0, deleted.stderr);
      const out = JSON.parse(deleted.stdout);
      const file = join(dir, 'peil-deletion-statement-weg.json');
      assert.equal(out.statement, file);
      assert.equal(out.deleted, 'weg');
      assert.equal(out.reason, 'no choice before the deadline');
      assert.ok(out.totalRows > 0 && out.tables > 0, deleted.stdout);
      assert.match(deleted.stderr, /all data of weg is deleted/);
      const checked = await peil(['statement', 'verify', file], env);
      assert.equal(checked.code, 0, checked.stdout + checked.stderr);
      assert.match(checked.stdout, /statement of deletion of Klant weg/);
      const nagekeken = await peil(['statement', 'verify', file], { ...env, PEIL_LANG: 'nl' });
      assert.equal(nagekeken.code, 0, nagekeken.stderr);
      assert.match(
        nagekeken.stdout,
        /^ok {2}verklaring van verwijdering van Klant weg \(.+\), ondertekend met sleutel /,
      );
      assert.match(nagekeken.stdout, /^ {4}verwijderd .*: \d+ rijen in \d+ tabellen; sleutel /m);
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).deletion.remainingRows, 0);
      const twice = await peil(['tenant', 'delete', '--tenant', 'weg', '--out', join(dir, 'nog-eens.json')], env);
      assert.equal(twice.code, 65);
      assert.match(twice.stderr, /deleted already|was deleted/);
      assert.equal(
        (await peil(['audit', 'verify', '--tenant', 'einde'], env)).code,
        0,
        'the other ended customer is still there',
      );
    });

    test('a bad setting stops the start with a message naming it', async () => {
      const r = await peil(['migrate'], { PEIL_DATA_DIR: dir, PORT: 'eighty' });
      assert.equal(r.code, 78);
      assert.match(r.stderr, /PORT/);
    });

    test('a second process on the same data folder refuses with a clear message; after a stop the folder is free', async () => {
      const { child, url } = await startServer({ PEIL_DATA_DIR: dir });
      try {
        const health = await fetch(`${url}/healthz`);
        assert.deepEqual(await health.json(), { ok: true, database: 'pglite', mail: 'outbox' });
        const second = await peil(['migrate'], { PEIL_DATA_DIR: dir });
        assert.equal(second.code, 78);
        assert.match(second.stderr, /in use by another Peil process \(pid \d+\)/);
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      const third = await peil(['migrate'], { PEIL_DATA_DIR: dir });
      assert.equal(third.code, 0, third.stderr);
      assert.match(third.stdout, /up to date/);
    });

    test('peil keys generate prints a 32-byte base64 key', async () => {
      const r = await peil(['keys', 'generate'], {});
      assert.equal(Buffer.from(r.stdout.trim(), 'base64').length, 32);
    });

    test('an unknown command prints the usage', async () => {
      const r = await peil(['frobnicate'], {});
      assert.equal(r.code, 64);
      assert.match(r.stderr, /Usage:/);
    });
  },
);

/**
 * Issue 15: the command line refuses what it does not know (an unknown command, subcommand, option or
 * argument: exit 64, the message naming it), `--version` prints package.json's version, and
 * `<command> --help` prints that command's help and does nothing else: no database is opened or
 * created (setup used to run the migrations).
 */
describe(
  'the peil command line: --version, --help and what it refuses',
  { skip: process.env.PEIL_TEST_DATABASE_URL ? 'runs in the PGlite pass' : false },
  () => {
    const root = join(import.meta.dirname, '..', '..');
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'peil-cli-help-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('peil --version and npx peil --version print the version of package.json', async () => {
      const r = await peil(['--version'], {});
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), version);
      const npx = await new Promise<Result>((resolve) => {
        const child = spawn('npx', ['--offline', 'peil', '--version'], {
          cwd: root,
          env: { ...process.env, ...peilBinEnv(), NODE_OPTIONS: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      assert.equal(npx.code, 0, npx.stderr);
      assert.equal(npx.stdout.trim(), version);
    });

    test('peil setup --help and peil start --help print help and run nothing: no database is created', async () => {
      const env = { PEIL_DATA_DIR: dir, PORT: '0' };
      const setup = await peil(['setup', '--help'], env);
      assert.equal(setup.code, 0, setup.stderr);
      assert.match(setup.stdout, /peil setup/);
      assert.match(setup.stdout, /--operator-email/);
      const start = await peil(['start', '--help'], env);
      assert.equal(start.code, 0, start.stderr);
      assert.match(start.stdout, /peil start/);
      const end = await peil(['tenant', 'end', '--tenant', 'x', '--reason', 'y', '--help'], env);
      assert.equal(end.code, 0, end.stderr);
      assert.match(end.stdout, /END-2/);
      assert.deepEqual(readdirSync(dir), [], 'nothing was written to the data folder');
    });

    test('every command of the usage answers --help without touching the data folder (in process)', async () => {
      const { main } = await import('./main.js');
      const printed: string[] = [];
      const log = console.log;
      const saved = process.env.PEIL_DATA_DIR;
      process.env.PEIL_DATA_DIR = dir;
      console.log = (...a: unknown[]) => void printed.push(a.join(' '));
      try {
        await main(['--help']);
        const commands = [
          ...new Set(
            printed
              .join('\n')
              .split('\n')
              .map((l) => /^ {2}peil ([a-z-]+(?: [a-z-]+)?)/.exec(l)?.[1])
              .filter((c): c is string => !!c && !c.startsWith('-') && !c.includes('<')),
          ),
        ].map((c) => (/^(tenant|keys|audit|agreement|statement) /.test(c) ? c : c.split(' ')[0]!));
        assert.ok(commands.length >= 25, commands.join(', '));
        for (const c of new Set(commands)) {
          printed.length = 0;
          assert.equal(await main([...c.split(' '), '--help']), 0, c);
          assert.match(printed.join('\n'), new RegExp(`peil ${c}`), c);
        }
      } finally {
        console.log = log;
        if (saved === undefined) delete process.env.PEIL_DATA_DIR;
        else process.env.PEIL_DATA_DIR = saved;
      }
      assert.deepEqual(readdirSync(dir), []);
    });

    test('an unknown option, subcommand or argument is refused with a message naming it (exit 64), before anything runs', async () => {
      const env = { PEIL_DATA_DIR: dir };
      const cases: Array<[string[], RegExp]> = [
        [['setup', '--operator-emial', 'op@peil.test'], /peil setup: unknown option "--operator-emial"/],
        [['start', '--port', '3001'], /peil start: unknown option "--port"/],
        [['audit', 'verify', '--tenantt', 'x'], /peil audit verify: unknown option "--tenantt"/],
        [['audit', 'head', '--tenant'], /peil audit head: option "--tenant" needs a value/],
        [['tenant', 'frobnicate'], /unknown command "peil tenant frobnicate"/],
        [['keys', 'generate', 'extra'], /unexpected argument "extra"/],
        [['--verbose'], /unknown option "--verbose"/],
      ];
      for (const [args, message] of cases) {
        const r = await peil(args, env);
        assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message, args.join(' '));
        assert.equal(r.stdout, '', args.join(' '));
      }
      assert.deepEqual(readdirSync(dir), [], 'nothing ran');
    });

    // Issue 14: a Dutch operator goes through the command line in Dutch; the texts are the catalogue's.
    test('issue 14: the language is PEIL_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG), else Dutch', () => {
      const cases: Array<[Record<string, string>, 'nl' | 'en']> = [
        [{}, 'nl'],
        [{ LANG: 'C.UTF-8' }, 'nl'],
        [{ LANG: 'en_GB.UTF-8' }, 'en'],
        [{ LANG: 'nl_NL.UTF-8' }, 'nl'],
        [{ LANG: 'en_US.UTF-8', LC_MESSAGES: 'nl_NL.UTF-8' }, 'nl'],
        [{ LANG: 'nl_NL.UTF-8', LC_ALL: 'en_IE.UTF-8', LC_MESSAGES: 'nl_NL' }, 'en'],
        [{ LANG: 'en_GB.UTF-8', LC_ALL: '' }, 'en'],
        [{ LANG: 'de_DE.UTF-8' }, 'nl'],
        [{ PEIL_LANG: 'en', LANG: 'nl_NL.UTF-8' }, 'en'],
        [{ PEIL_LANG: 'nl', LC_ALL: 'en_GB.UTF-8' }, 'nl'],
        [{ PEIL_LANG: '', LANG: 'en_GB.UTF-8' }, 'en'],
      ];
      for (const [env, lng] of cases) assert.equal(cliLanguage(env), lng, JSON.stringify(env));
      assert.throws(() => parseEnv({ PEIL_LANG: 'fr' }), /PEIL_LANG/);
    });

    test("issue 14: peil --help, a command's help and a usage error in Dutch from the catalogue (exit codes unchanged)", async () => {
      const env = { PEIL_DATA_DIR: dir };
      const nl = translator('nl');
      const en = translator('en');
      const dutch = { ...env, PEIL_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'nl_NL.UTF-8' };
      const help = await peil(['--help'], dutch);
      assert.equal(help.code, 0, help.stderr);
      assert.equal(help.stdout, `${nl('cli:usage')}\n`);
      assert.match(help.stdout, /^Gebruik:$/m);
      assert.match(help.stdout, /peil backup --out F +versleutelde back-up van de hele database/);
      assert.doesNotMatch(help.stdout, /Usage:|print the version/);
      // The same in English under an English locale, and Dutch where the locale is neither (C.UTF-8).
      const english = await peil(['--help'], { ...env, PEIL_LANG: '', LC_ALL: '', LANG: 'en_GB.UTF-8' });
      assert.equal(english.stdout, `${en('cli:usage')}\n`);
      const neither = await peil(['--help'], { ...env, PEIL_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8' });
      assert.equal(neither.stdout, help.stdout);
      const end = await peil(['tenant', 'end', '--help'], dutch);
      assert.equal(end.stdout, `${nl('cli:endUsage')}\n`);
      assert.match(end.stdout, /keuzetermijn/);
      const audit = await peil(['audit', '--help'], { ...env, PEIL_LANG: 'nl' });
      assert.match(audit.stdout, /^Gebruik:\n {2}peil audit verify/);
      assert.ok(audit.stdout.endsWith(`${nl('cli:help.config')}\n`), audit.stdout);
      // Usage errors: the message and the usage in Dutch, exit 64 as before.
      const cases: Array<[string[], string]> = [
        [['tenant', 'end', '--tenant', 'x'], nl('cli:errors.required', { option: 'reason' })],
        [['frobnicate'], nl('cli:errors.unknownCommand', { command: 'frobnicate' })],
        [
          ['audit', 'verify', '--tenantt', 'x'],
          nl('cli:errors.optionUnknown', { command: 'audit verify', option: '--tenantt' }),
        ],
        [['keys', 'rotate'], nl('cli:errors.rotateKey')],
        [['statement', 'verify'], 'peil statement verify FILE [--key-id ID]'],
        [['agreement', 'document', '--tenant', 'x', '--lang', 'fr'], nl('cli:errors.lang', { value: 'fr' })],
      ];
      for (const [args, message] of cases) {
        const r = await peil(args, { ...env, PEIL_LANG: 'nl' });
        assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
        assert.ok(r.stderr.startsWith(`peil: ${message}\n\n${nl('cli:usage')}`), r.stderr);
      }
      assert.match(nl('cli:errors.required', { option: 'reason' }), /^--reason is verplicht$/);
      // A configuration mistake: the heading in Dutch, the variable named, exit 78 as before.
      const config = await peil(['migrate'], { ...env, PEIL_LANG: 'nl', PORT: 'geen-poort' });
      assert.equal(config.code, 78, config.stderr);
      assert.match(config.stderr, /^peil: Ongeldige configuratie:\n {2}PORT: /);
      assert.deepEqual(readdirSync(dir), [], 'nothing ran');
    });
  },
);

describe(
  'the peil command line with DATABASE_URL',
  { skip: process.env.PEIL_TEST_DATABASE_URL ? false : 'runs in the PostgreSQL pass (PEIL_TEST_DATABASE_URL)' },
  () => {
    test('peil migrate and peil setup work against PostgreSQL', async () => {
      const db = await freshDatabase();
      await db.handle.close();
      try {
        const dir = mkdtempSync(join(tmpdir(), 'peil-cli-pg-'));
        const m = await peil(['migrate'], { DATABASE_URL: db.url!, PEIL_DATA_DIR: dir });
        assert.equal(m.code, 0, m.stderr);
        const s = await peil(setupArgs, { DATABASE_URL: db.url!, PEIL_DATA_DIR: dir });
        assert.equal(s.code, 0, s.stderr);
        rmSync(dir, { recursive: true, force: true });
      } finally {
        await db.drop();
      }
    });
  },
);
