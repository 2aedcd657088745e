import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvError, parseEnv, type Env } from '../lib/env.js';
import { LockedError } from '../lib/db/lock.js';
import { AppError } from '../lib/errors.js';
import { openRuntime, startServer } from '../server.js';
import { firstRun, createTenant } from '../features/setup/service.js';
import { systemActor } from '../lib/audit.js';
import { loadMasterKey, masterKeyFromFile, masterKeyFromText, MasterKeyMismatchError } from '../lib/crypto/keyring.js';
import { FileDecryptError } from '../lib/crypto/file-stream.js';
import { openDatabase } from '../lib/db/connect.js';
import { DatabaseUnreachableError } from '../lib/db/unavailable.js';
import { signerOf } from '../lib/crypto/signing.js';
import { tenantIds, verifyTenant } from '../features/audit/chain.js';
import { checkpointAll } from '../features/audit/maintenance.js';
import {
  HeadFileError,
  parseHeadFile,
  recordAnchor,
  signHead,
  verifyTenantWithHeads,
  type HeadFile,
} from '../features/audit/anchor.js';
import { sql } from 'kysely';
import { pruneAll, setRetention } from '../features/audit/retention.js';
import { rotateMasterKey } from '../features/keys/rotate.js';
import { eraseTenantKey } from '../features/keys/erase.js';
import { setTenantStatus } from '../features/suspension/service.js';
import { deleteTenantWhenDue, endTenant } from '../features/ending/service.js';
import { buildAuditPack } from '../features/audits/pack.js';
import { readKeyExport, writeKeyExport } from '../features/keys/key-export.js';
import { backupDatabase } from '../features/backup/backup.js';
import { keySourceOfExport, restoreDatabase } from '../features/backup/restore.js';
import { composeDocument } from '../features/agreement/document.js';
import { changeInput } from '../features/agreement/schemas.js';
import { readAgreement } from '../features/agreement/service.js';
import { changeOrPropose, notifyPending } from '../features/agreement/versions.js';
import { documentHash, toHtml, toMarkdown, toPdf } from '../features/agreement/render.js';

const usage = `peil — feedback platform with an executable processing agreement

Usage:
  peil --version                   print the version
  peil <command> --help            what a command does and takes (runs nothing)
  peil start                       run the server (PGlite in PEIL_DATA_DIR, or DATABASE_URL)
  peil migrate                     apply database migrations and exit
  peil setup [options]             first run: operator account + first customer with its owner
      --operator-email E --operator-name N [--operator-password P]
      --tenant-name N --tenant-slug S
      --owner-email E --owner-name N [--owner-password P]
    (a password left out is generated and printed once)
  peil tenant create --tenant-name N --tenant-slug S --owner-email E --owner-name N [--owner-password P]
  peil tenant suspend --tenant S --reason R
  peil tenant resume --tenant S --reason R
                                   AGR-6: refuse sign-in, API keys and respondent links and pause sends
                                   (nothing is deleted), or lift that; both in the customer's log
  peil tenant end --tenant S --reason R
                                   END-2: end a customer's agreement now (see peil tenant end --help)
  peil tenant delete --tenant S [--out F]
                                   END-3, END-4: delete an ended customer once its deletion is due and
                                   write the signed statement of deletion (see peil tenant delete --help)
  peil tenant erase-key --tenant S --confirm
                                   destroy a customer's data key (crypto-shredding): its personal data
                                   becomes unreadable here and in every backup made before; the columns
                                   kept in clear (profile values, answers, scores, ...) are cleared
  peil keys generate               print a new random master key (base64)
  peil keys rotate --new-key-file F
                                   re-wrap every customer key with a new master key, in one transaction
                                   (or the new key in PEIL_NEW_MASTER_KEY); then configure the new key
  peil keys export --out F         the customers' data keys, encrypted: keep with the master key, apart
                                   from the backups, and export again after every erase-key
  peil backup --out F              encrypted backup of the whole database (PGlite: while Peil is stopped)
  peil restore --in F --keys K [--force] [--backup-key-file F]
                                   restore a backup with the customers' keys from a key export; refuses a
                                   database with data unless --force
  peil audit verify [--tenant S]   verify every customer's audit chain from its oldest signed
                                   checkpoint; names the first bad entry (exit code 2)
  peil audit verify --head F [--head F2]...
                                   also check signed heads a customer holds (downloaded, or the mail
                                   that carried one): any entry up to a head removed or rewritten, the
                                   chain head moved back, a newer head not extending an older (exit 2)
  peil audit head --tenant S [--out F]
                                   the customer's signed audit head now, as it downloads it (to hand
                                   over or keep outside Peil); recorded as anchored
  peil audit checkpoint [--tenant S]
                                   sign the chain heads now (the server does so every few minutes)
  peil audit prune [--tenant S] [--as-of DATE]
                                   remove entries older than each customer's agreed retention
  peil audit retention --tenant S --months N
                                   set a customer's agreed log retention (at least 2 months)
  peil audit pack --tenant S --out F [--from DATE] [--to DATE]
                                   AUD-1: the customer's signed audit pack (ZIP), as the customer downloads it
  peil agreement document --tenant S --lang nl|en --format pdf|html|md [--out F]
                                   a customer's processing agreement with its annexes, generated from
                                   live state (to standard output without --out)
  peil agreement show --tenant S  the customer's agreement as JSON: terms, current term, notice deadline
  peil agreement set --tenant S [--preset P] [--set term=value]...
                                   set terms within their bounds (e.g. --set breachNoticeHours=36); after
                                   the customer's first acceptance: a proposed version with an objection window
  peil statement verify FILE [--key-id ID]
                                   END-4: check a signed statement of deletion (exit 0: valid; 1: not);
                                   --key-id: the installation's signing key id (security measures page)
  peil label                       JSON lines {"id","text","lang"} on stdin → labels on stdout
  peil redact                      lines on stdin → the same lines with personal data replaced

Configuration comes from environment variables; see README.md.`;

const endUsage = `peil tenant end --tenant S --reason R

END-2: ends the customer's agreement now, as the operator's "end" in the web app does. Its people
can no longer sign in (owners keep the full export and the choice between return and deletion),
its API keys and webhooks are deleted, scheduled and running sends are cancelled, and respondent
links show a closed page. Nothing is deleted yet: the choice deadline (the agreement's
choiceDeadlineDays) starts now. In the system log and the customer's log, with the reason.

  --tenant S   the customer's slug
  --reason R   why (kept in both logs), e.g. "Opgezegd per 1 januari / notice given"

Exit 0: ended (prints the end as JSON); 64: a mistake in the command or no such customer;
65: refused (the customer has ended already).`;

const deleteUsage = `peil tenant delete --tenant S [--out F]

END-3, END-4: deletes an ended customer whose deletion is due: the owner chose deletion, the
return window is over, or no choice was made by the deadline (the server's tick does the same on
its own). Until then it is refused, and the date it is due on is named. The customer's data key
is destroyed first (its data in every backup becomes unreadable), then every row of it is
removed; the signed statement of deletion is stored, mailed to the customer's privacy contact
(SMTP) and written to a file. Check it with: peil statement verify F.

  --tenant S   the customer's slug
  --out F      where to write the statement (default: peil-deletion-statement-S.json in the
               current folder); an existing file is not overwritten, and is named before anything
               is deleted

Exit 0: deleted (prints what was done as JSON, with the statement's path); 64: a mistake in the
command, no such customer, or the file exists; 65: refused (not ended, not due yet, or deleted
already).`;

const genPassword = () => randomBytes(12).toString('base64url');

/**
 * OBLIGATIONS LOG-3, issue 16: `peil audit verify --head F...`: each customer named by a held head,
 * its chain and every head of it. Exit 0: all match; 2: a problem (named); 64: a file is not a head.
 */
async function verifyHeads(env: Env, paths: string[], slug: string | undefined): Promise<number> {
  const files: Array<{ path: string; file: HeadFile }> = paths.map((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new UsageError(`cannot read ${path}`);
    }
    try {
      return { path, file: parseHeadFile(text) };
    } catch (err) {
      if (err instanceof HeadFileError) throw new UsageError(`${path}: ${err.message}`);
      throw err;
    }
  });
  const byTenant = new Map<string, Array<{ path: string; file: HeadFile }>>();
  for (const f of files) byTenant.set(f.file.head.tenant, [...(byTenant.get(f.file.head.tenant) ?? []), f]);
  return withRuntime(env, async (rt) => {
    let failed = 0;
    for (const [tenantId, held] of byTenant) {
      const named = held[0]!.file.customer;
      const t = await rt.ctx.db.global((tx) =>
        tx.selectFrom('tenants').select(['id', 'slug']).where('id', '=', tenantId).executeTakeFirst(),
      );
      if (slug && t?.slug !== slug)
        throw new UsageError(`${held[0]!.path} is a head of customer ${named.slug} (${tenantId}), not of "${slug}"`);
      if (!t) {
        failed++;
        const top = Math.max(...held.map((h) => h.file.head.seq));
        console.log(
          `FAIL  ${named.slug}: removed at seq 1: no customer ${tenantId} in this database, but a signed head of its log is at seq ${top}: its whole log, checkpoints and chain head are gone (or this is another installation) / deze klant en zijn hele logboek ontbreken`,
        );
        continue;
      }
      const r = await verifyTenantWithHeads(
        rt.ctx,
        t.id,
        held.map((h) => h.file),
      );
      const c = r.verification;
      const chain = c.ok
        ? `the chain verifies: ${c.entries} entries${c.entries ? ` (seq ${c.fromSeq}..${c.toSeq}, from ${c.start})` : ''}; ${c.checkpoints} signed checkpoint(s)`
        : `the chain does not verify: ${c.problem!.kind} at seq ${c.problem!.seq ?? '?'}: ${c.problem!.message}`;
      for (const h of r.heads) {
        const path = held.find((x) => x.file.head.seq === h.seq && x.file.head.at === h.signedAt)?.path ?? '';
        console.log(
          `${h.outcome === 'failed' ? 'FAIL ' : 'ok   '} ${t.slug}: head seq ${h.seq} signed ${h.signedAt} (${path}): ${h.outcome}: ${h.message}`,
        );
      }
      if (r.problem) {
        failed++;
        const p = r.problem;
        console.log(
          `FAIL  ${t.slug}: ${p.kind} at seq ${p.seq ?? '?'}${p.id !== null ? ` (id ${p.id})` : ''}: ${p.message}; ${chain}`,
        );
        const deleted = (
          await sql<{ at: Date }>`SELECT created_at AS at FROM deletion_statements WHERE tenant_id = ${t.id}`.execute(
            rt.ctx.db.handle.kysely,
          )
        ).rows[0];
        if (deleted)
          console.log(
            `note  ${t.slug}: the customer was deleted on ${new Date(deleted.at).toISOString()} (END-3; signed statement of deletion): its log went with it`,
          );
      } else {
        console.log(
          `ok    ${t.slug}: ${held.length} signed head(s) held; nothing up to them was removed or rewritten; ${chain}`,
        );
      }
    }
    return failed ? 2 : 0;
  });
}

async function withRuntime<T>(env: Env, fn: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const rt = await openRuntime(env, { log: (m) => console.error(`[peil] ${m}`), databaseLog: (m) => console.error(m) });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

/** Every command (with its subcommand) and the options it takes; anything else is refused. */
const COMMANDS: Record<
  string,
  { options?: readonly string[]; flags?: readonly string[]; many?: readonly string[]; positionals?: number }
> = {
  start: {},
  migrate: {},
  setup: {
    options: [
      'operator-email',
      'operator-name',
      'operator-password',
      'tenant-name',
      'tenant-slug',
      'owner-email',
      'owner-name',
      'owner-password',
    ],
  },
  'tenant create': { options: ['tenant-name', 'tenant-slug', 'owner-email', 'owner-name', 'owner-password'] },
  'tenant suspend': { options: ['tenant', 'reason'] },
  'tenant resume': { options: ['tenant', 'reason'] },
  'tenant end': { options: ['tenant', 'reason'] },
  'tenant delete': { options: ['tenant', 'out'] },
  'tenant erase-key': { options: ['tenant'], flags: ['confirm'] },
  'keys generate': {},
  'keys rotate': { options: ['new-key-file'] },
  'keys export': { options: ['out'] },
  backup: { options: ['out'] },
  restore: { options: ['in', 'keys', 'backup-key-file'], flags: ['force'] },
  'audit verify': { options: ['tenant'], many: ['head'] },
  'audit head': { options: ['tenant', 'out'] },
  'audit checkpoint': { options: ['tenant'] },
  'audit prune': { options: ['tenant', 'as-of'] },
  'audit retention': { options: ['tenant', 'months'] },
  'audit pack': { options: ['tenant', 'out', 'from', 'to'] },
  'agreement document': { options: ['tenant', 'lang', 'format', 'out'] },
  // show takes only --tenant; agreementShowOrSet names that itself ("takes only --tenant").
  'agreement show': { options: ['tenant', 'preset'], many: ['set'] },
  'agreement set': { options: ['tenant', 'preset'], many: ['set'] },
  'statement verify': { options: ['key-id'], positionals: 1 },
  label: {},
  redact: {},
};
const GROUPS = new Set(
  Object.keys(COMMANDS)
    .filter((k) => k.includes(' '))
    .map((k) => k.split(' ')[0]!),
);

/** The lines of the usage about one command (or a group of them), for `peil <command> --help`. */
function helpOf(key: string): string {
  if (key === 'tenant end') return endUsage;
  if (key === 'tenant delete') return deleteUsage;
  const lines = usage.split('\n');
  const out: string[] = [];
  let taking = false;
  for (const line of lines) {
    if (/^ {2}peil /.test(line)) taking = line.startsWith(`  peil ${key} `) || line === `  peil ${key}`;
    else if (!/^ {3,}/.test(line)) taking = false;
    if (taking) out.push(line);
  }
  return `Usage:\n${out.join('\n')}\n\nConfiguration comes from environment variables; see README.md.`;
}

/** Peil's version, from its package.json (found from this file, in the sources or in dist/). */
function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'peil' && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    if (rest.length) throw new UsageError(`${command} takes nothing after it`);
    console.log(version());
    return 0;
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(usage);
    return 0;
  }
  if (command.startsWith('-')) throw new UsageError(`unknown option "${command}"`);
  // Issue 15: the command and its subcommand name the options it takes; an unknown command,
  // subcommand or option is refused (parseArgs strict), and --help only prints help.
  let key = command;
  if (GROUPS.has(command)) {
    const sub = rest[0];
    if (sub === '--help' || sub === '-h') {
      console.log(helpOf(command));
      return 0;
    }
    const subs = Object.keys(COMMANDS)
      .filter((k) => k.startsWith(`${command} `))
      .map((k) => k.split(' ')[1]);
    if (sub === undefined) throw new UsageError(`peil ${command} ${subs.join(' | ')}`);
    key = `${command} ${sub}`;
    if (!(key in COMMANDS)) throw new UsageError(`unknown command "peil ${key}"`);
  } else if (!(command in COMMANDS)) {
    throw new UsageError(`unknown command "${command}"`);
  }
  const spec = COMMANDS[key]!;
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const o of spec.options ?? []) options[o] = { type: 'string' };
  for (const o of spec.flags ?? []) options[o] = { type: 'boolean' };
  for (const o of spec.many ?? []) options[o] = { type: 'string', multiple: true };
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: key.includes(' ') ? rest.slice(1) : rest,
      strict: true,
      allowPositionals: true,
      options,
    }));
  } catch (err) {
    throw new UsageError(
      `peil ${key}: ${(err as Error).message.replace(/\. To specify a positional argument.*$/s, '')}`,
    );
  }
  if (values.help === true) {
    console.log(helpOf(key));
    return 0;
  }
  if (positionals.length > (spec.positionals ?? 0))
    throw new UsageError(`peil ${key}: unexpected argument "${positionals[spec.positionals ?? 0]}"`);
  const v = values as Record<string, string | undefined>;
  const on = (name: string): boolean => values[name] === true;
  const need = (name: string): string => {
    const x = v[name];
    if (!x) throw new UsageError(`--${name} is required`);
    return x;
  };

  switch (command) {
    case 'start': {
      const env = parseEnv();
      if (cluster.isPrimary && env.PEIL_WORKERS > 1) {
        if (env.DATABASE_URL) return startCluster(env);
        console.error(
          `peil: PEIL_WORKERS=${env.PEIL_WORKERS} is ignored: the embedded database (PGlite) is one process. Several processes need PostgreSQL (DATABASE_URL). Starting one process.`,
        );
      }
      const { app, runtime, url } = await startServer(env);
      // Issue 14: the address printed is the one mail links use (PEIL_BASE_URL), so that the admin
      // app and the links in mails share one origin and one sign-in; where it listens comes after.
      const where = `listening on ${url}; database: ${runtime.ctx.db.kind}${runtime.ctx.db.kind === 'pglite' ? ` in ${env.dataDir}` : ''}, mail: ${runtime.ctx.mailer.kind}`;
      // Issue 17: a process of a cluster tells its primary, which says it once for all of them.
      if (cluster.isWorker) process.send?.({ peil: 'listening', where });
      else console.log(`Peil is running at ${env.baseUrl}/app/ (${where})`);
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        if (!cluster.isWorker) console.log('Stopping Peil…');
        await app.close();
        await runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      return -1;
    }
    case 'migrate': {
      const env = parseEnv();
      await withRuntime(env, async () => {});
      console.log('Database is up to date.');
      return 0;
    }
    case 'setup': {
      const env = parseEnv();
      const operatorPassword = v['operator-password'] ?? genPassword();
      const ownerPassword = v['owner-password'] ?? genPassword();
      const r = await withRuntime(env, (rt) =>
        firstRun(
          rt.ctx,
          {
            operator: {
              email: need('operator-email'),
              name: v['operator-name'] ?? 'Operator',
              password: operatorPassword,
            },
            tenant: {
              name: need('tenant-name'),
              slug: need('tenant-slug'),
              owner: { email: need('owner-email'), name: v['owner-name'] ?? 'Owner', password: ownerPassword },
            },
          },
          { ...systemActor, ip: 'cli' },
        ),
      );
      console.log(
        JSON.stringify(
          {
            ...r,
            ...(v['operator-password'] ? {} : { operatorPassword }),
            ...(v['owner-password'] ? {} : { ownerPassword }),
          },
          null,
          2,
        ),
      );
      return 0;
    }
    case 'tenant': {
      if (rest[0] === 'erase-key') {
        const slug = need('tenant');
        if (!on('confirm'))
          throw new UsageError(
            `erasing the key of "${slug}" makes its personal data unreadable for ever, backups included: add --confirm`,
          );
        const env = parseEnv();
        const r = await withRuntime(env, (rt) =>
          eraseTenantKey(rt.ctx, slug, { ...systemActor, kind: 'operator', ip: 'cli' }),
        );
        console.log(JSON.stringify({ erased: slug, ...r }, null, 2));
        console.error(
          'peil: export the keys again (peil keys export) and destroy older key exports: they still hold this key.',
        );
        return 0;
      }
      if (rest[0] === 'suspend' || rest[0] === 'resume') {
        const slug = need('tenant');
        const reason = need('reason');
        const env = parseEnv();
        const r = await withRuntime(env, async (rt) => {
          const [t] = await tenantIds(rt.ctx.db, slug);
          if (!t) throw new UsageError(`no customer "${slug}"`);
          return setTenantStatus(rt.ctx, t.id, rest[0] === 'suspend' ? 'suspended' : 'active', reason, {
            ...systemActor,
            kind: 'operator',
            ip: 'cli',
          });
        });
        console.log(JSON.stringify(r, null, 2));
        return 0;
      }
      if (rest[0] === 'end') {
        // OBLIGATIONS END-2: the operator's end, as POST /api/v1/operator/tenants/:id/end.
        const slug = need('tenant');
        const reason = need('reason').trim();
        if (!reason || reason.length > 1000) throw new UsageError('--reason takes a text of 1 to 1000 characters');
        const env = parseEnv();
        const r = await withRuntime(env, async (rt) => {
          const [t] = await tenantIds(rt.ctx.db, slug);
          if (!t) throw new UsageError(`no customer "${slug}"`);
          return endTenant(rt.ctx, t.id, 'operator', reason, { ...systemActor, kind: 'operator', ip: 'cli' });
        });
        console.log(JSON.stringify({ ended: slug, ...r }, null, 2));
        console.error(
          `peil: ${slug} has ended: sign-in stops, owners keep the export and choose return or deletion before ${r.choiceDeadline}; ` +
            "the deletion follows when due (the server's tick, or peil tenant delete).",
        );
        return 0;
      }
      if (rest[0] === 'delete') {
        // OBLIGATIONS END-3, END-4: the operator's deletion, as POST /api/v1/operator/tenants/:id/deletion.
        const slug = need('tenant');
        const out = resolve(v.out ?? `peil-deletion-statement-${slug}.json`);
        // The statement must have a place before anything irreversible happens.
        if (existsSync(out))
          throw new UsageError(
            `${out} exists; the statement of deletion is not written over a file: choose another --out`,
          );
        try {
          accessSync(dirname(out), fsConstants.W_OK);
        } catch {
          throw new UsageError(`cannot write ${out}: choose another --out`);
        }
        const env = parseEnv();
        const r = await withRuntime(env, async (rt) => {
          const [t] = await tenantIds(rt.ctx.db, slug);
          if (!t) throw new UsageError(`no customer "${slug}"`);
          return deleteTenantWhenDue(rt.ctx, t.id, { ...systemActor, kind: 'operator', ip: 'cli' });
        });
        writeFileSync(out, r.file, { flag: 'wx' });
        const s = r.statement;
        console.log(
          JSON.stringify(
            {
              deleted: slug,
              tenantId: r.tenantId,
              statement: out,
              totalRows: s.deletion.totalRows,
              tables: s.deletion.tables.length,
              keyDestroyedAt: s.key.destroyedAt,
              completedAt: s.deletion.completedAt,
              reason: s.agreement.reason,
              mailed: r.mailed,
              seconds: r.seconds,
            },
            null,
            2,
          ),
        );
        console.error(
          `peil: all data of ${slug} is deleted; the signed statement of deletion is in ${out} (check it with: peil statement verify ${out}).`,
        );
        return 0;
      }
      if (rest[0] !== 'create')
        throw new UsageError('peil tenant create … | suspend … | resume … | end … | delete … | erase-key …');
      const env = parseEnv();
      const ownerPassword = v['owner-password'] ?? genPassword();
      const r = await withRuntime(env, (rt) =>
        createTenant(
          rt.ctx,
          {
            name: need('tenant-name'),
            slug: need('tenant-slug'),
            owner: { email: need('owner-email'), name: v['owner-name'] ?? 'Owner', password: ownerPassword },
          },
          { ...systemActor, ip: 'cli' },
        ),
      );
      console.log(JSON.stringify({ ...r, ...(v['owner-password'] ? {} : { ownerPassword }) }, null, 2));
      return 0;
    }
    case 'keys': {
      if (rest[0] === 'generate') {
        console.log(randomBytes(32).toString('base64'));
        return 0;
      }
      if (rest[0] === 'rotate') {
        const env = parseEnv();
        const next = v['new-key-file']
          ? masterKeyFromFile(v['new-key-file'], '--new-key-file')
          : env.PEIL_NEW_MASTER_KEY
            ? masterKeyFromText(env.PEIL_NEW_MASTER_KEY, 'PEIL_NEW_MASTER_KEY')
            : null;
        if (!next) throw new UsageError('peil keys rotate --new-key-file F (or the new key in PEIL_NEW_MASTER_KEY)');
        const r = await withRuntime(env, (rt) =>
          rotateMasterKey(rt.ctx.db, rt.ctx.keyring.master, next, { ...systemActor, kind: 'operator', ip: 'cli' }),
        );
        console.log(JSON.stringify(r, null, 2));
        console.error(
          `peil: every customer key is now wrapped by master key ${r.toKeyId}. Configure it (PEIL_MASTER_KEY or PEIL_MASTER_KEY_FILE) before the next start, ` +
            `export the keys again, and keep the old key (${r.fromKeyId}) as long as backups made with it are kept.`,
        );
        return 0;
      }
      if (rest[0] === 'export') {
        const env = parseEnv();
        const out = need('out');
        const doc = await withRuntime(env, (rt) => writeKeyExport(rt.ctx.db, rt.ctx.keyring.master, out));
        console.log(
          JSON.stringify(
            {
              file: out,
              masterKeyId: doc.masterKeyId,
              keys: doc.keys.length,
              customers: doc.keys.map((k) => k.slug),
              erasures: doc.erasures.length,
            },
            null,
            2,
          ),
        );
        return 0;
      }
      throw new UsageError('peil keys generate | rotate | export');
    }
    case 'backup': {
      const env = parseEnv();
      const out = need('out');
      const r = await withRuntime(env, (rt) =>
        backupDatabase(rt.handle, rt.ctx.keyring.master, out, { trigger: 'command' }),
      );
      console.log(JSON.stringify(r, null, 2));
      console.error(
        "peil: the customers' data keys are not in a backup; keep a current key export (peil keys export) apart from it.",
      );
      return 0;
    }
    case 'restore': {
      const env = parseEnv();
      const input = need('in');
      const master = loadMasterKey(env).key;
      const backupMasters = v['backup-key-file'] ? [masterKeyFromFile(v['backup-key-file'], '--backup-key-file')] : [];
      const keys = v.keys ? keySourceOfExport(await readKeyExport(v.keys, [master]), v.keys) : undefined;
      const handle = await openDatabase({
        url: env.DATABASE_URL,
        appUrl: env.DATABASE_APP_URL,
        dataDir: env.dataDir,
        poolSize: env.DATABASE_POOL_SIZE,
      });
      try {
        const r = await restoreDatabase(handle, master, input, {
          force: on('force'),
          keys,
          backupMasters,
          log: (m) => console.error(`[peil] ${m}`),
        });
        console.log(JSON.stringify(r, null, 2));
      } finally {
        await handle.close();
      }
      return 0;
    }
    case 'audit': {
      const env = parseEnv();
      const sub = rest[0];
      const headPaths = values.head as string[] | undefined;
      if (sub === 'verify' && headPaths?.length) return verifyHeads(env, headPaths, v.tenant);
      if (sub === 'verify') {
        return withRuntime(env, async (rt) => {
          const signer = signerOf(rt.ctx.keyring.master);
          const list = await tenantIds(rt.ctx.db, v.tenant);
          if (v.tenant && list.length === 0) throw new UsageError(`no customer "${v.tenant}"`);
          let failed = 0;
          for (const t of list) {
            const r = await verifyTenant(rt.ctx.db, t.id, signer);
            if (r.ok) {
              console.log(
                `ok    ${t.slug}: ${r.entries} entries${r.entries ? ` (seq ${r.fromSeq}..${r.toSeq}, from ${r.start})` : ''}; ${r.checkpoints} signed checkpoint(s)${r.lastCheckpoint ? `, last at seq ${r.lastCheckpoint.seq} (${r.lastCheckpoint.at})` : ''}${r.unsigned ? `; ${r.unsigned} newer entr${r.unsigned === 1 ? 'y' : 'ies'} not signed yet` : ''}`,
              );
            } else {
              failed++;
              const p = r.problem!;
              console.log(
                `FAIL  ${t.slug}: ${p.kind} at seq ${p.seq ?? '?'}${p.id !== null ? ` (id ${p.id})` : ''}: ${p.message}`,
              );
            }
          }
          console.log(`signing key ${signer.keyId}\n${signer.publicKeyPem.trim()}`);
          return failed ? 2 : 0;
        });
      }
      if (sub === 'head') {
        const slug = need('tenant');
        const file = await withRuntime(env, async (rt) => {
          const [t] = await tenantIds(rt.ctx.db, slug);
          if (!t) throw new UsageError(`no customer "${slug}"`);
          const signer = signerOf(rt.ctx.keyring.master);
          return rt.ctx.db.tenant(t.id, async (tx) => {
            const s = await signHead(tx, t.id, signer);
            if (s.problem) return s;
            await recordAnchor(
              tx,
              t.id,
              s.file,
              { channel: 'download', userId: null },
              { ...systemActor, kind: 'operator', ip: 'cli' },
            );
            return s;
          });
        });
        if (file.problem) {
          console.log(
            `FAIL  ${slug}: the log does not verify, its head is not signed: ${file.problem.kind} at seq ${file.problem.seq ?? '?'}: ${file.problem.message}`,
          );
          return 2;
        }
        const text = `${JSON.stringify(file.file, null, 2)}\n`;
        if (v.out) {
          if (existsSync(v.out)) throw new UsageError(`${v.out} exists; a head is not written over a file`);
          writeFileSync(v.out, text);
          console.log(`${slug}: signed head at seq ${file.file.head.seq} written to ${v.out}`);
        } else {
          process.stdout.write(text);
        }
        return 0;
      }
      if (sub === 'checkpoint') {
        const r = await withRuntime(env, (rt) => checkpointAll(rt.ctx, { slug: v.tenant, reason: 'manual' }));
        for (const c of r)
          console.log(
            `${c.problem ? 'FAIL ' : 'ok   '} ${c.slug}: ${c.problem ? `${c.problem.kind}: ${c.problem.message}` : c.signed ? `signed seq ${c.signed.seq}` : 'nothing to sign'}`,
          );
        return r.some((c) => c.problem) ? 2 : 0;
      }
      if (sub === 'prune') {
        const asOf = v['as-of'] ? new Date(v['as-of']) : undefined;
        if (asOf && Number.isNaN(asOf.getTime())) throw new UsageError('--as-of takes a date, e.g. 2025-07-01');
        const r = await withRuntime(env, (rt) =>
          pruneAll(rt.ctx, { slug: v.tenant, now: asOf, actor: { ...systemActor, kind: 'operator', ip: 'cli' } }),
        );
        for (const p of r)
          console.log(
            `${p.problem ? 'FAIL ' : 'ok   '} ${p.tenantId}: ${p.problem ? `${p.problem.kind}: ${p.problem.message}` : p.removed ? `removed ${p.removed} entries (up to seq ${p.throughSeq}, older than ${p.cutoff}, retention ${p.retentionMonths} months)` : `nothing older than ${p.cutoff}`}`,
          );
        return r.some((p) => p.problem) ? 2 : 0;
      }
      if (sub === 'retention') {
        const slug = need('tenant');
        const months = Number(need('months'));
        await withRuntime(env, async (rt) => {
          const [t] = await tenantIds(rt.ctx.db, slug);
          if (!t) throw new UsageError(`no customer "${slug}"`);
          await setRetention(rt.ctx, t.id, months, { ...systemActor, kind: 'operator', ip: 'cli' });
        });
        console.log(`Log retention of ${slug}: ${months} months.`);
        return 0;
      }
      if (sub === 'pack') {
        // OBLIGATIONS AUD-1: the signed audit pack, as the customer downloads it, for the operator's auditor.
        const slug = need('tenant');
        const out = need('out');
        for (const k of ['from', 'to'] as const)
          if (v[k] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v[k]!))
            throw new UsageError(`--${k} takes a date as YYYY-MM-DD`);
        const r = await withRuntime(env, async (rt) => {
          const [t] = await tenantIds(rt.ctx.db, slug);
          if (!t) throw new UsageError(`no customer "${slug}"`);
          return buildAuditPack(rt.ctx, t.id, {
            from: v.from,
            to: v.to,
            actor: { ...systemActor, kind: 'operator', ip: 'cli' },
          });
        });
        writeFileSync(out, r.zip);
        console.log(
          JSON.stringify(
            {
              file: out,
              bytes: r.zip.length,
              period: r.manifest.period,
              files: r.manifest.files.map((f) => f.name),
              signingKey: r.manifest.signature.keyId,
            },
            null,
            2,
          ),
        );
        return 0;
      }
      throw new UsageError('peil audit verify | head | checkpoint | prune | retention | pack');
    }
    case 'agreement': {
      if (rest[0] === 'show' || rest[0] === 'set') return agreementShowOrSet(rest[0], rest.slice(1));
      if (rest[0] !== 'document') throw new UsageError('peil agreement show | set | document');
      // Its own strict parse: an unknown flag or value is an error here, not silently ignored.
      let opts: { tenant?: string; lang?: string; format?: string; out?: string };
      try {
        opts = parseArgs({
          args: rest.slice(1),
          strict: true,
          allowPositionals: false,
          options: {
            tenant: { type: 'string' },
            lang: { type: 'string' },
            format: { type: 'string' },
            out: { type: 'string' },
          },
        }).values;
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      if (!opts.tenant) throw new UsageError('--tenant is required');
      const lang = opts.lang ?? 'nl';
      const format = opts.format ?? 'pdf';
      if (lang !== 'nl' && lang !== 'en') throw new UsageError(`--lang takes nl or en, not "${lang}"`);
      if (format !== 'pdf' && format !== 'html' && format !== 'md')
        throw new UsageError(`--format takes pdf, html or md, not "${format}"`);
      const env = parseEnv();
      const slug = opts.tenant;
      const output = await withRuntime(env, async (rt) => {
        const [t] = await tenantIds(rt.ctx.db, slug);
        if (!t) throw new UsageError(`no customer "${slug}"`);
        const doc = await rt.ctx.db.tenant(t.id, (tx) => composeDocument(rt.ctx, tx, t.id, lang));
        return {
          bytes:
            format === 'pdf'
              ? await toPdf(doc)
              : Buffer.from(format === 'html' ? toHtml(doc) : toMarkdown(doc), 'utf8'),
          sha256: documentHash(doc),
        };
      });
      if (opts.out) {
        writeFileSync(opts.out, output.bytes);
        console.error(
          `peil: wrote ${opts.out} (${output.bytes.length} bytes; SHA-256 of the Markdown text ${output.sha256})`,
        );
      } else {
        await new Promise<void>((resolve, reject) =>
          process.stdout.write(output.bytes, (err) => (err ? reject(err) : resolve())),
        );
      }
      return 0;
    }
    case 'statement': {
      const file = positionals[0];
      if (!file) throw new UsageError('peil statement verify FILE [--key-id ID]');
      const { verifyStatement } = await import('../features/ending/statement.js');
      const { readFileSync } = await import('node:fs');
      const r = verifyStatement(readFileSync(file), v['key-id'] ? { keyId: v['key-id'] } : {});
      if (!r.ok) {
        console.log(`INVALID  ${r.problem}`);
        return 1;
      }
      const d = r.statement.deletion;
      console.log(
        `ok  statement of deletion of ${r.statement.customer.name} (${r.statement.customer.id}), signed with key ${r.keyId}`,
      );
      console.log(
        `    deleted ${d.completedAt}: ${d.totalRows} rows in ${d.tables.length} tables; key ${r.statement.key.id} destroyed ${r.statement.key.destroyedAt} (master key ${r.statement.key.masterKeyId})`,
      );
      return 0;
    }
    case 'label':
    case 'redact': {
      const { runLineCommand } = await import('../features/labelling/cli.js');
      await runLineCommand(command, process.stdin, process.stdout);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

/**
 * peil agreement show --tenant S: the agreement as JSON (AGR-1, AGR-5).
 * peil agreement set --tenant S [--preset P] [--set term=value]...: what PUT
 * /api/v1/operator/tenants/:id/agreement does, with the same checks (AGR-2); after the customer's
 * first acceptance the change becomes a proposed version, announced and settled (AGR-3).
 */
async function agreementShowOrSet(sub: 'show' | 'set', args: string[]): Promise<number> {
  let opts: { tenant?: string; preset?: string; set?: string[] };
  try {
    const options = {
      tenant: { type: 'string' },
      preset: { type: 'string' },
      set: { type: 'string', multiple: true },
    } as const;
    opts = parseArgs({ args, strict: true, allowPositionals: false, options }).values;
    if (sub === 'show' && (opts.preset !== undefined || opts.set !== undefined))
      throw new Error('peil agreement show takes only --tenant');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const slug = opts.tenant;
  if (!slug) throw new UsageError('--tenant is required');
  const change: Record<string, unknown> = {};
  if (opts.preset) change.preset = opts.preset;
  for (const pair of opts.set ?? []) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(pair);
    if (!m) throw new UsageError(`--set takes term=value, not "${pair}"`);
    const [, key, raw] = m as unknown as [string, string, string];
    // Numbers and booleans as JSON; anything else (a version, a date, EU/NL) as text.
    change[key] =
      raw === 'null' || raw === 'true' || raw === 'false' || /^-?\d+(\.\d+)?$/.test(raw) ? JSON.parse(raw) : raw;
  }
  if (sub === 'set' && Object.keys(change).length === 0)
    throw new UsageError('peil agreement set --tenant S [--preset P] [--set term=value]...');
  const parsed = changeInput.strict().safeParse(change);
  if (!parsed.success)
    throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'change'}: ${i.message}`).join('; '));
  const env = parseEnv();
  const out = await withRuntime(env, async (rt) => {
    const [t] = await tenantIds(rt.ctx.db, slug);
    if (!t) throw new UsageError(`no customer "${slug}"`);
    const processor = rt.ctx.env.PEIL_OPERATOR_ORGANISATION;
    const actor = { ...systemActor, kind: 'operator' as const, ip: 'cli' };
    const r = await rt.ctx.db.tenant(t.id, async (tx) => {
      const proposal = sub === 'set' ? (await changeOrPropose(tx, t.id, parsed.data, actor)).proposal : null;
      return { proposal, agreement: await readAgreement(tx, t.id, processor) };
    });
    if (r.proposal) await notifyPending(rt.ctx, t.id);
    return r;
  });
  console.log(JSON.stringify(out.proposal ? out : out.agreement, null, 2));
  if (out.proposal)
    console.error(
      'peil: the customer accepted its agreement before: the change is proposed as a new version, announced to its privacy contact, and applies when the objection window has passed.',
    );
  return 0;
}

/**
 * Issue 17: `peil start` with PEIL_WORKERS=N (N > 1, PostgreSQL): this process migrates the database
 * once, then runs N Peil processes (node:cluster) that share its address; each is a whole Peil (HTTP,
 * background work). A process that stops unexpectedly is started again; SIGINT/SIGTERM stop them all.
 */
async function startCluster(env: Env): Promise<number> {
  // The migrations (and, in development, the master key in the data folder) once, before the processes.
  await withRuntime(env, async () => {});
  const n = env.PEIL_WORKERS;
  let stopping = false;
  let listening = 0;
  const fork = () => {
    const w = cluster.fork();
    w.on('message', (m: { peil?: string; where?: string }) => {
      if (m?.peil !== 'listening') return;
      listening++;
      if (listening === n) console.log(`Peil is running at ${env.baseUrl}/app/ (${n} processes, ${m.where ?? ''})`);
    });
  };
  cluster.on('exit', (w, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`peil: process ${w.process.pid} stopped (${signal ?? code}); starting another`);
    listening--;
    setTimeout(fork, 1000).unref();
  });
  for (let i = 0; i < n; i++) fork();
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping Peil…');
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(0);
    for (const w of workers) w?.process.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

export async function run(argv: string[]): Promise<void> {
  try {
    const code = await main(argv);
    if (code >= 0) process.exit(code);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`peil: ${err.message}\n\n${usage}`);
      process.exit(64);
    }
    if (err instanceof EnvError || err instanceof LockedError || err instanceof MasterKeyMismatchError) {
      console.error(`peil: ${err.message}`);
      process.exit(78);
    }
    if (err instanceof DatabaseUnreachableError) {
      // OBLIGATIONS SEC-2: a message, not a stack trace (EX_UNAVAILABLE).
      console.error(`peil: ${err.message}`);
      process.exit(69);
    }
    if (err instanceof FileDecryptError) {
      console.error(`peil: ${err.message}`);
      process.exit(65);
    }
    if (err instanceof AppError) {
      console.error(
        `peil: ${err.message}${err.errors ? '\n' + err.errors.map((e) => `  - ${e.pointer ?? ''} ${e.reason}`).join('\n') : ''}`,
      );
      process.exit(65);
    }
    console.error(err);
    process.exit(1);
  }
}
