import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliLanguage, EnvError, parseEnv, type Env } from '../lib/env.js';
import { translate, translator, type Translator } from '../lib/i18n.js';
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

/**
 * Issue 14: every human message of the command comes from the catalogue namespace `cli`
 * (locales/<language>/cli.json), in the language cliLanguage() picks (PEIL_LANG, else the locale
 * environment, else Dutch). The JSON it prints, the `ok`/`FAIL`/`INVALID`/`note` prefixes, the
 * command lines themselves and the exit codes are the same in every language.
 */
let t: Translator = translator(cliLanguage());
const usage = (): string => t('cli:usage');

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
      throw new UsageError(t('cli:errors.cannotRead', { path }));
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
      const tenant = await rt.ctx.db.global((tx) =>
        tx.selectFrom('tenants').select(['id', 'slug']).where('id', '=', tenantId).executeTakeFirst(),
      );
      if (slug && tenant?.slug !== slug)
        throw new UsageError(t('cli:errors.headOfOther', { path: held[0]!.path, named: named.slug, tenantId, slug }));
      if (!tenant) {
        failed++;
        const top = Math.max(...held.map((h) => h.file.head.seq));
        console.log(`FAIL  ${named.slug}: ${t('cli:audit.customerGone', { tenantId, seq: String(top) })}`);
        continue;
      }
      const r = await verifyTenantWithHeads(
        rt.ctx,
        tenant.id,
        held.map((h) => h.file),
      );
      const c = r.verification;
      const chain = c.ok
        ? t('cli:audit.chainOk', {
            summary: `${entriesOf(c.entries, c.fromSeq, c.toSeq, c.start)}; ${t('cli:audit.checkpoints', { checkpoints: c.checkpoints })}`,
          })
        : t('cli:audit.chainBad', { problem: `${problemAt(c.problem!)}: ${c.problem!.message}` });
      for (const h of r.heads) {
        const path = held.find((x) => x.file.head.seq === h.seq && x.file.head.at === h.signedAt)?.path ?? '';
        console.log(
          `${h.outcome === 'failed' ? 'FAIL ' : 'ok   '} ${tenant.slug}: ${t('cli:audit.head', { seq: String(h.seq), at: h.signedAt, path, outcome: h.outcome, message: h.message })}`,
        );
      }
      if (r.problem) {
        failed++;
        const p = r.problem;
        console.log(`FAIL  ${tenant.slug}: ${problemAt(p)}: ${p.message}; ${chain}`);
        const deleted = (
          await sql<{
            at: Date;
          }>`SELECT created_at AS at FROM deletion_statements WHERE tenant_id = ${tenant.id}`.execute(
            rt.ctx.db.handle.kysely,
          )
        ).rows[0];
        if (deleted)
          console.log(
            `note  ${tenant.slug}: ${t('cli:audit.deletedNote', { at: new Date(deleted.at).toISOString() })}`,
          );
      } else {
        console.log(`ok    ${tenant.slug}: ${t('cli:audit.headsOk', { heads: held.length, chain })}`);
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
  if (key === 'tenant end') return t('cli:endUsage');
  if (key === 'tenant delete') return t('cli:deleteUsage');
  const lines = usage().split('\n');
  const out: string[] = [];
  let taking = false;
  for (const line of lines) {
    if (/^ {2}peil /.test(line)) taking = line.startsWith(`  peil ${key} `) || line === `  peil ${key}`;
    else if (!/^ {3,}/.test(line)) taking = false;
    if (taking) out.push(line);
  }
  return `${t('cli:help.usage')}\n${out.join('\n')}\n\n${t('cli:help.config')}`;
}

/** Node's parseArgs refusal, in the command's language where it is one we know. */
function parseArgsMessage(key: string, err: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option)
    return t('cli:errors.optionUnknown', { command: key, option });
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option)
    return t('cli:errors.optionValue', { command: key, option });
  return `peil ${key}: ${err.message.replace(/\. To specify a positional argument.*$/s, '')}`;
}

/** "12 entries (seq 1..12, from genesis)" of a verified chain. */
function entriesOf(entries: number, fromSeq: unknown, toSeq: unknown, start: unknown): string {
  return `${t('cli:audit.entries', { entries })}${entries ? t('cli:audit.range', { from: String(fromSeq), to: String(toSeq), start: String(start) }) : ''}`;
}

/** "removed at seq 3 (id 17)": what a chain problem is and where (its kind is a stable word). */
function problemAt(p: { kind: string; seq?: number | null; id?: number | string | null }): string {
  return `${t('cli:audit.problem', { kind: p.kind, seq: String(p.seq ?? '?') })}${p.id !== null && p.id !== undefined ? ` (id ${p.id})` : ''}`;
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
  t = translator(cliLanguage());
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    if (rest.length) throw new UsageError(t('cli:errors.takesNothing', { command }));
    console.log(version());
    return 0;
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(usage());
    return 0;
  }
  if (command.startsWith('-')) throw new UsageError(t('cli:errors.unknownOption', { option: command }));
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
    if (!(key in COMMANDS)) throw new UsageError(t('cli:errors.unknownCommand', { command: `peil ${key}` }));
  } else if (!(command in COMMANDS)) {
    throw new UsageError(t('cli:errors.unknownCommand', { command }));
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
    throw new UsageError(parseArgsMessage(key, err as Error & { code?: string }));
  }
  if (values.help === true) {
    console.log(helpOf(key));
    return 0;
  }
  if (positionals.length > (spec.positionals ?? 0))
    throw new UsageError(
      t('cli:errors.unexpectedArgument', { command: key, argument: positionals[spec.positionals ?? 0]! }),
    );
  const v = values as Record<string, string | undefined>;
  const on = (name: string): boolean => values[name] === true;
  const need = (name: string): string => {
    const x = v[name];
    if (!x) throw new UsageError(t('cli:errors.required', { option: name }));
    return x;
  };

  switch (command) {
    case 'start': {
      const env = parseEnv();
      if (cluster.isPrimary && env.PEIL_WORKERS > 1) {
        if (env.DATABASE_URL) return startCluster(env);
        console.error(`peil: ${t('cli:start.embeddedOneProcess', { workers: env.PEIL_WORKERS })}`);
      }
      const { app, runtime, url } = await startServer(env);
      // Issue 14: the address printed is the one mail links use (PEIL_BASE_URL), so that the admin
      // app and the links in mails share one origin and one sign-in; where it listens comes after.
      const mail = runtime.ctx.mailer.kind;
      const where =
        runtime.ctx.db.kind === 'pglite'
          ? t('cli:start.wherePglite', { url, dataDir: env.dataDir, mail })
          : t('cli:start.where', { url, database: runtime.ctx.db.kind, mail });
      // Issue 17: a process of a cluster tells its primary, which says it once for all of them.
      if (cluster.isWorker) process.send?.({ peil: 'listening', where });
      else console.log(t('cli:start.running', { url: `${env.baseUrl}/app/`, where }));
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        if (!cluster.isWorker) console.log(t('cli:start.stopping'));
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
      console.log(t('cli:migrate.done'));
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
        console.error(`peil: ${t('cli:tenant.exportKeysAgain')}`);
        return 0;
      }
      if (rest[0] === 'suspend' || rest[0] === 'resume') {
        const slug = need('tenant');
        const reason = need('reason');
        const env = parseEnv();
        const r = await withRuntime(env, async (rt) => {
          const [tenant] = await tenantIds(rt.ctx.db, slug);
          if (!tenant) throw new UsageError(t('cli:errors.noCustomer', { slug }));
          return setTenantStatus(rt.ctx, tenant.id, rest[0] === 'suspend' ? 'suspended' : 'active', reason, {
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
        if (!reason || reason.length > 1000) throw new UsageError(t('cli:errors.reasonLength'));
        const env = parseEnv();
        const r = await withRuntime(env, async (rt) => {
          const [tenant] = await tenantIds(rt.ctx.db, slug);
          if (!tenant) throw new UsageError(t('cli:errors.noCustomer', { slug }));
          return endTenant(rt.ctx, tenant.id, 'operator', reason, { ...systemActor, kind: 'operator', ip: 'cli' });
        });
        console.log(JSON.stringify({ ended: slug, ...r }, null, 2));
        console.error(`peil: ${t('cli:tenant.ended', { slug, deadline: String(r.choiceDeadline) })}`);
        return 0;
      }
      if (rest[0] === 'delete') {
        // OBLIGATIONS END-3, END-4: the operator's deletion, as POST /api/v1/operator/tenants/:id/deletion.
        const slug = need('tenant');
        const out = resolve(v.out ?? `peil-deletion-statement-${slug}.json`);
        // The statement must have a place before anything irreversible happens.
        if (existsSync(out)) throw new UsageError(t('cli:errors.statementExists', { path: out }));
        try {
          accessSync(dirname(out), fsConstants.W_OK);
        } catch {
          throw new UsageError(t('cli:errors.cannotWrite', { path: out }));
        }
        const env = parseEnv();
        const r = await withRuntime(env, async (rt) => {
          const [tenant] = await tenantIds(rt.ctx.db, slug);
          if (!tenant) throw new UsageError(t('cli:errors.noCustomer', { slug }));
          return deleteTenantWhenDue(rt.ctx, tenant.id, { ...systemActor, kind: 'operator', ip: 'cli' });
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
        console.error(`peil: ${t('cli:tenant.deleted', { slug, path: out })}`);
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
        if (!next) throw new UsageError(t('cli:errors.rotateKey'));
        const r = await withRuntime(env, (rt) =>
          rotateMasterKey(rt.ctx.db, rt.ctx.keyring.master, next, { ...systemActor, kind: 'operator', ip: 'cli' }),
        );
        console.log(JSON.stringify(r, null, 2));
        console.error(`peil: ${t('cli:keys.rotated', { to: r.toKeyId, from: r.fromKeyId })}`);
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
      console.error(`peil: ${t('cli:backup.keysApart')}`);
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
          if (v.tenant && list.length === 0) throw new UsageError(t('cli:errors.noCustomer', { slug: v.tenant }));
          let failed = 0;
          for (const tenant of list) {
            const r = await verifyTenant(rt.ctx.db, tenant.id, signer);
            if (r.ok) {
              const last = r.lastCheckpoint
                ? t('cli:audit.lastCheckpoint', { seq: String(r.lastCheckpoint.seq), at: String(r.lastCheckpoint.at) })
                : '';
              const unsigned = r.unsigned ? t('cli:audit.unsigned', { unsigned: r.unsigned }) : '';
              console.log(
                `ok    ${tenant.slug}: ${entriesOf(r.entries, r.fromSeq, r.toSeq, r.start)}; ${t('cli:audit.checkpoints', { checkpoints: r.checkpoints })}${last}${unsigned}`,
              );
            } else {
              failed++;
              const p = r.problem!;
              console.log(`FAIL  ${tenant.slug}: ${problemAt(p)}: ${p.message}`);
            }
          }
          console.log(`${t('cli:audit.signingKey', { keyId: signer.keyId })}\n${signer.publicKeyPem.trim()}`);
          return failed ? 2 : 0;
        });
      }
      if (sub === 'head') {
        const slug = need('tenant');
        const file = await withRuntime(env, async (rt) => {
          const [tenant] = await tenantIds(rt.ctx.db, slug);
          if (!tenant) throw new UsageError(t('cli:errors.noCustomer', { slug }));
          const signer = signerOf(rt.ctx.keyring.master);
          return rt.ctx.db.tenant(tenant.id, async (tx) => {
            const s = await signHead(tx, tenant.id, signer);
            if (s.problem) return s;
            await recordAnchor(
              tx,
              tenant.id,
              s.file,
              { channel: 'download', userId: null },
              { ...systemActor, kind: 'operator', ip: 'cli' },
            );
            return s;
          });
        });
        if (file.problem) {
          console.log(
            `FAIL  ${slug}: ${t('cli:audit.headNotSigned', { problem: `${problemAt(file.problem)}: ${file.problem.message}` })}`,
          );
          return 2;
        }
        const text = `${JSON.stringify(file.file, null, 2)}\n`;
        if (v.out) {
          if (existsSync(v.out)) throw new UsageError(t('cli:errors.headExists', { path: v.out }));
          writeFileSync(v.out, text);
          console.log(t('cli:audit.headWritten', { slug, seq: String(file.file.head.seq), path: v.out }));
        } else {
          process.stdout.write(text);
        }
        return 0;
      }
      if (sub === 'checkpoint') {
        const r = await withRuntime(env, (rt) => checkpointAll(rt.ctx, { slug: v.tenant, reason: 'manual' }));
        for (const c of r)
          console.log(
            `${c.problem ? 'FAIL ' : 'ok   '} ${c.slug}: ${c.problem ? `${c.problem.kind}: ${c.problem.message}` : c.signed ? t('cli:audit.signed', { seq: String(c.signed.seq) }) : t('cli:audit.nothingToSign')}`,
          );
        return r.some((c) => c.problem) ? 2 : 0;
      }
      if (sub === 'prune') {
        const asOf = v['as-of'] ? new Date(v['as-of']) : undefined;
        if (asOf && Number.isNaN(asOf.getTime())) throw new UsageError(t('cli:errors.asOf'));
        const r = await withRuntime(env, (rt) =>
          pruneAll(rt.ctx, { slug: v.tenant, now: asOf, actor: { ...systemActor, kind: 'operator', ip: 'cli' } }),
        );
        for (const p of r)
          console.log(
            `${p.problem ? 'FAIL ' : 'ok   '} ${p.tenantId}: ${p.problem ? `${p.problem.kind}: ${p.problem.message}` : p.removed ? t('cli:audit.removed', { removed: p.removed, through: String(p.throughSeq), cutoff: String(p.cutoff), months: p.retentionMonths }) : t('cli:audit.nothingOlder', { cutoff: String(p.cutoff) })}`,
          );
        return r.some((p) => p.problem) ? 2 : 0;
      }
      if (sub === 'retention') {
        const slug = need('tenant');
        const months = Number(need('months'));
        await withRuntime(env, async (rt) => {
          const [tenant] = await tenantIds(rt.ctx.db, slug);
          if (!tenant) throw new UsageError(t('cli:errors.noCustomer', { slug }));
          await setRetention(rt.ctx, tenant.id, months, { ...systemActor, kind: 'operator', ip: 'cli' });
        });
        console.log(t('cli:audit.retentionSet', { slug, months }));
        return 0;
      }
      if (sub === 'pack') {
        // OBLIGATIONS AUD-1: the signed audit pack, as the customer downloads it, for the operator's auditor.
        const slug = need('tenant');
        const out = need('out');
        for (const k of ['from', 'to'] as const)
          if (v[k] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v[k]!))
            throw new UsageError(t('cli:errors.dateOption', { option: k }));
        const r = await withRuntime(env, async (rt) => {
          const [tenant] = await tenantIds(rt.ctx.db, slug);
          if (!tenant) throw new UsageError(t('cli:errors.noCustomer', { slug }));
          return buildAuditPack(rt.ctx, tenant.id, {
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
        throw new UsageError(parseArgsMessage('agreement document', err as Error & { code?: string }));
      }
      if (!opts.tenant) throw new UsageError(t('cli:errors.required', { option: 'tenant' }));
      const lang = opts.lang ?? 'nl';
      const format = opts.format ?? 'pdf';
      if (lang !== 'nl' && lang !== 'en') throw new UsageError(t('cli:errors.lang', { value: lang }));
      if (format !== 'pdf' && format !== 'html' && format !== 'md')
        throw new UsageError(t('cli:errors.format', { value: format }));
      const env = parseEnv();
      const slug = opts.tenant;
      const output = await withRuntime(env, async (rt) => {
        const [tenant] = await tenantIds(rt.ctx.db, slug);
        if (!tenant) throw new UsageError(t('cli:errors.noCustomer', { slug }));
        const doc = await rt.ctx.db.tenant(tenant.id, (tx) => composeDocument(rt.ctx, tx, tenant.id, lang));
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
          `peil: ${t('cli:agreement.wrote', { path: opts.out, bytes: String(output.bytes.length), sha256: output.sha256 })}`,
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
      const k = r.statement.key;
      console.log(
        `ok  ${t('cli:statement.valid', { name: r.statement.customer.name, id: r.statement.customer.id, keyId: r.keyId })}`,
      );
      console.log(
        `    ${t('cli:statement.deleted', { at: d.completedAt, rows: d.totalRows, tables: d.tables.length, key: k.id, destroyedAt: k.destroyedAt, masterKeyId: k.masterKeyId })}`,
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
      throw new UsageError(t('cli:errors.unknownCommand', { command }));
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
      throw new Error(t('cli:errors.showOnlyTenant'));
  } catch (err) {
    const e = err as Error & { code?: string };
    throw new UsageError(e.code ? parseArgsMessage(`agreement ${sub}`, e) : e.message);
  }
  const slug = opts.tenant;
  if (!slug) throw new UsageError(t('cli:errors.required', { option: 'tenant' }));
  const change: Record<string, unknown> = {};
  if (opts.preset) change.preset = opts.preset;
  for (const pair of opts.set ?? []) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(pair);
    if (!m) throw new UsageError(t('cli:errors.setTerm', { pair }));
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
    const [tenant] = await tenantIds(rt.ctx.db, slug);
    if (!tenant) throw new UsageError(t('cli:errors.noCustomer', { slug }));
    const processor = rt.ctx.env.PEIL_OPERATOR_ORGANISATION;
    const actor = { ...systemActor, kind: 'operator' as const, ip: 'cli' };
    const r = await rt.ctx.db.tenant(tenant.id, async (tx) => {
      const proposal = sub === 'set' ? (await changeOrPropose(tx, tenant.id, parsed.data, actor)).proposal : null;
      return { proposal, agreement: await readAgreement(tx, tenant.id, processor) };
    });
    if (r.proposal) await notifyPending(rt.ctx, tenant.id);
    return r;
  });
  console.log(JSON.stringify(out.proposal ? out : out.agreement, null, 2));
  if (out.proposal) console.error(`peil: ${t('cli:agreement.proposed')}`);
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
  // The processes that said they listen (a process that stopped before it listened was never
  // counted); the address is printed once, when all N listen for the first time.
  const listening = new Set<number>();
  let said = false;
  const fork = () => {
    const w = cluster.fork();
    w.on('message', (m: { peil?: string; where?: string }) => {
      if (m?.peil !== 'listening') return;
      listening.add(w.id);
      if (listening.size === n && !said) {
        said = true;
        console.log(t('cli:start.runningCluster', { url: `${env.baseUrl}/app/`, processes: n, where: m.where ?? '' }));
      }
    });
  };
  cluster.on('exit', (w, code, signal) => {
    listening.delete(w.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(
      `peil: ${t('cli:start.processStopped', { pid: String(w.process.pid ?? '?'), reason: String(signal ?? code) })}`,
    );
    setTimeout(fork, 1000).unref();
  });
  for (let i = 0; i < n; i++) fork();
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log(t('cli:start.stopping'));
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
      console.error(`peil: ${err.message}\n\n${usage()}`);
      process.exit(64);
    }
    if (err instanceof EnvError) {
      // The variables and zod's reasons stay as they are; the heading is in the command's language.
      console.error(`peil: ${err.message.replace(/^Invalid configuration:/, t('cli:errors.invalidConfiguration'))}`);
      process.exit(78);
    }
    if (err instanceof LockedError || err instanceof MasterKeyMismatchError) {
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
      // Issue 14: a catalogue message in the command's language (its English text is err.message).
      const detail = err.detailMessage ? translate(cliLanguage(), err.detailMessage) : err.message;
      console.error(
        `peil: ${detail}${err.errors ? '\n' + err.errors.map((e) => `  - ${e.pointer ?? ''} ${e.reason}`).join('\n') : ''}`,
      );
      process.exit(65);
    }
    console.error(`peil: ${t('cli:errors.unexpected')}`);
    console.error(err);
    process.exit(1);
  }
}
