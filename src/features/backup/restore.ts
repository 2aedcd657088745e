import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type pg from 'pg';
import type { DatabaseHandle } from '../../lib/db/connect.js';
import { loadMigrations, migrate } from '../../lib/db/migrate.js';
import { DecryptStream } from '../../lib/crypto/file-stream.js';
import { Keyring, TenantKeys, type MasterKey } from '../../lib/crypto/keyring.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Db, isUuid, readSettingKey, settingValue } from '../../lib/db/db.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { reapplyErasure } from '../requests/erase.js';
import { keyCheckValue, type KeyExport } from '../keys/key-export.js';
import { DERIVED_TABLES, quoteIdent, type TableInfo } from './schema-info.js';
import type { BackupHeader } from './backup.js';
import { SectionOpener, type SealedLine } from './sections.js';

/**
 * OBLIGATIONS SEC-2: restores a backup made by backup.ts, on PGlite or PostgreSQL.
 *
 * 1. The file is decrypted chunk by chunk; nothing unauthenticated is read (file-stream.ts).
 * 2. A target that holds customers or operators is refused unless `force`; with `force` (and always
 *    for a target without data) Peil's objects are dropped first.
 * 3. Each customer's data key comes from the key source (a key export, or the target's own keys when
 *    it is restored over), checked against the key check value the backup recorded. A key that is
 *    there but does not match stops the restore before anything is dropped.
 * 4. The whole file is read once before anything is dropped: every chunk authenticates, and every
 *    sealed block of every customer with a key opens (so an altered byte stops the restore, wherever
 *    it is), the sections are complete and the end marker is there.
 * 5. The schema is built with exactly the migrations the backup was made under, the rows are written
 *    back in one transaction (foreign-key order, one tenant at a time so row-level security holds
 *    for a non-superuser owner), identity sequences are moved past the restored ids, and the
 *    migrations added since are applied on top.
 *
 * OBLIGATIONS SEC-1: a customer without a key in the key source (destroyed since the backup, or
 * before it) is restored as erased: its global rows come back (the tenants row, its tenant_keys row
 * with the key null and destroyed_at set, the system log's entries about it, sessions that lead
 * nowhere), none of its tenant rows do. In a version 2 file they are sealed with a key derived from
 * its destroyed data key and cannot be opened by anyone; in a version 1 file (made before sections
 * were sealed) they are readable with the master key, and restore leaves them out all the same, so
 * that a restore never brings an erased customer's clear columns back. A version 1 file itself still
 * holds them: such files are to be replaced by a new backup and deleted (README, "Backups").
 */
export interface KeySource {
  name: string;
  keys: Map<string, { wrappedKey: Buffer; masterKeyId: string }>;
  /** OBLIGATIONS DSR-2: the erasures the key export knows of (version 2), applied again after the load. */
  erasures?: Tombstone[];
}

export function keySourceOfExport(doc: KeyExport, name: string): KeySource {
  return {
    name,
    keys: new Map(
      doc.keys.map((k) => [
        k.tenantId,
        { wrappedKey: Buffer.from(k.wrappedKey, 'base64'), masterKeyId: k.masterKeyId },
      ]),
    ),
    erasures: erasuresOfExport(doc),
  };
}

/** OBLIGATIONS DSR-2: a key export's erasure tombstones (none in a version 1 export). */
export function erasuresOfExport(doc: KeyExport): Tombstone[] {
  return (doc.erasures ?? []).map((e) => ({
    tenantId: e.tenantId,
    contactId: e.contactId,
    emailHmac: Buffer.from(e.emailHmac, 'base64'),
    erasedAt: new Date(e.erasedAt),
  }));
}

export interface RestoreOptions {
  force?: boolean;
  keys?: KeySource | undefined;
  /** Older master keys, for a backup file made before a rotation (the file names its key id). */
  backupMasters?: MasterKey[];
  log?: (m: string) => void;
  /** DSR-2: erasures to apply again after the load, besides those of the database restored over. */
  erasures?: Tombstone[];
}

export interface RestoreResult {
  createdAt: string;
  databaseKind: string;
  formatVersion: number;
  wiped: boolean;
  tables: number;
  rows: number;
  tenants: Array<{ id: string; readable: boolean; reason?: string }>;
  /** OBLIGATIONS DSR-2: erasures made after the backup was taken, applied again. */
  erasuresReapplied: number;
}

/** An erasure tombstone (DSR-2): a person erased, by pseudonym and blind index. */
export interface Tombstone {
  tenantId: string;
  contactId: string;
  emailHmac: Buffer;
  erasedAt: Date;
}

/**
 * OBLIGATIONS DSR-2: the erasures the database restored over knows of. Read tenant by tenant: the
 * table's row-level security is forced, and the owner connection need not be a superuser.
 */
export async function readTombstones(client: Pick<pg.PoolClient, 'query'>): Promise<Tombstone[]> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('public.erasure_tombstones')::text AS t`);
  if (!exists.rows[0]?.t) return [];
  const out: Tombstone[] = [];
  const key = await readSettingKey((text) => client.query(text));
  await client.query('BEGIN');
  try {
    const tenants = await client.query<{ id: string }>('SELECT id FROM tenants');
    for (const t of tenants.rows) {
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [settingValue(key, 'tenant_id', t.id)]);
      const rows = await client.query<{ contact_id: string; email_hmac: Buffer; erased_at: Date }>(
        'SELECT contact_id, email_hmac, erased_at FROM erasure_tombstones WHERE tenant_id = $1',
        [t.id],
      );
      for (const r of rows.rows)
        out.push({ tenantId: t.id, contactId: r.contact_id, emailHmac: r.email_hmac, erasedAt: new Date(r.erased_at) });
    }
  } finally {
    await client.query('ROLLBACK');
  }
  return out;
}

/**
 * Applies every tombstone the restored data lacks (known twice: applied once), in the customer's own transaction, with an entry
 * in its log. A customer restored without its key (erased) is skipped: none of its rows came back.
 */
async function reapplyTombstones(handle: DatabaseHandle, master: MasterKey, tombstones: Tombstone[]): Promise<number> {
  if (!tombstones.length) return 0;
  const db = new Db(handle);
  const keyring = new Keyring(master, db);
  let applied = 0;
  for (const t of tombstones) {
    const done = await db
      .tenant(t.tenantId, async (tx) => {
        const known = await tx
          .selectFrom('erasure_tombstones')
          .select('contact_id')
          .where('contact_id', '=', t.contactId)
          .executeTakeFirst();
        if (known) return false;
        let keys: TenantKeys;
        try {
          keys = await keyring.forTenant(t.tenantId, tx);
        } catch {
          return false;
        }
        const counts = await reapplyErasure(tx, t.tenantId, keys, t);
        await audit(
          tx,
          t.tenantId,
          { kind: 'system', id: null },
          {
            action: AuditAction.CONTACT_ERASED,
            subject: { kind: 'contact', id: t.contactId },
            details: { reapplied: true, erasedAt: t.erasedAt.toISOString(), ...(counts ?? {}) },
          },
        );
        return true;
      })
      .catch(() => false);
    if (done) applied++;
  }
  return applied;
}

async function* linesOf(stream: Readable): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + (chunk as Buffer).toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop()!;
    for (const p of parts) if (p) yield p;
  }
  if (rest) yield rest;
}

function openBackup(path: string, masters: MasterKey[]): Readable {
  const file = createReadStream(path);
  const decrypt = new DecryptStream(masters, 'backup');
  const gunzip = createGunzip();
  file.on('error', (e) => gunzip.destroy(e));
  decrypt.on('error', (e) => gunzip.destroy(e));
  return file.pipe(decrypt).pipe(gunzip);
}

function parseHeader(line: string, input: string): BackupHeader {
  let header: BackupHeader;
  try {
    header = JSON.parse(line) as BackupHeader;
  } catch {
    throw new AppError(ErrorCode.INVALID_FILE, { key: 'problems:backup.notABackup', params: { path: input } });
  }
  if (header.format !== 'peil-backup' || (header.version !== 1 && header.version !== 2))
    throw new AppError(ErrorCode.INVALID_FILE, { key: 'problems:backup.newerFormat', params: { path: input } });
  if (
    header.version === 2 &&
    (typeof header.sectionSalt !== 'string' || Buffer.from(header.sectionSalt, 'base64').length !== 16)
  ) {
    throw new AppError(ErrorCode.INVALID_FILE, `${input} has no valid section salt.`);
  }
  return header;
}

/** What a restore does with one customer: its key (wrapped by the configured master key), or why it has none. */
interface TenantPlan {
  id: string;
  readable: boolean;
  reason?: string;
  wrappedKey?: Buffer;
  /** Version 2: the key of its sections in this file. */
  sectionKey?: Buffer;
}

function planTenants(
  header: BackupHeader,
  master: MasterKey,
  keySource: KeySource | undefined,
): Map<string, TenantPlan> {
  const plan = new Map<string, TenantPlan>();
  const salt = header.sectionSalt ? Buffer.from(header.sectionSalt, 'base64') : null;
  for (const t of header.tenants) {
    if (!isUuid(t.id)) throw new AppError(ErrorCode.INVALID_FILE, 'The backup names a tenant that is not a uuid.');
    if (t.keyCheck === null) {
      plan.set(t.id, { id: t.id, readable: false, reason: 'key destroyed before the backup' });
      continue;
    }
    const found = keySource?.keys.get(t.id);
    if (!found) {
      // OBLIGATIONS SEC-1: no key, no data.
      plan.set(t.id, {
        id: t.id,
        readable: false,
        reason: `no key in ${keySource?.name ?? 'any key source'} (destroyed since the backup?)`,
      });
      continue;
    }
    if (found.masterKeyId !== master.id) {
      throw new AppError(
        ErrorCode.CONFLICT,
        `The key of customer ${t.id} in ${keySource!.name} is wrapped by master key ${found.masterKeyId}, not by the configured ${master.id}; export the keys again with the current master key.`,
      );
    }
    const dataKey = master.unwrap(found.wrappedKey, t.id);
    const keys = new TenantKeys(t.id, dataKey);
    dataKey.fill(0);
    if (keyCheckValue(keys) !== t.keyCheck)
      throw new AppError(
        ErrorCode.CONFLICT,
        `The key of customer ${t.id} in ${keySource!.name} is not the key its data was encrypted with.`,
      );
    plan.set(t.id, {
      id: t.id,
      readable: true,
      wrappedKey: found.wrappedKey,
      ...(salt ? { sectionKey: keys.backupKey(salt) } : {}),
    });
  }
  return plan;
}

/** Where the rows of a backup go: nowhere (the check before anything is dropped), or into the database. */
interface Sink {
  begin(t: TableInfo, tenant: string | null): Promise<void>;
  row(text: string): Promise<void>;
  end(t: TableInfo, tenant: string | null): Promise<void>;
}

const nowhere: Sink = { begin: async () => {}, row: async () => {}, end: async () => {} };

/**
 * Reads the sections after the header: global rows as they are, a readable customer's rows from its
 * sealed blocks (version 2) or as they are (version 1), an unreadable customer's sections skipped.
 * Stops at the first thing that is not as backup.ts writes it.
 */
async function walkSections(
  lines: AsyncIterator<string>,
  header: BackupHeader,
  plan: Map<string, TenantPlan>,
  sink: Sink,
): Promise<void> {
  const tables = new Map(header.tables.map((t) => [t.name, t]));
  const openers = new Map<string, SectionOpener>();
  for (const p of plan.values())
    if (p.readable && p.sectionKey) openers.set(p.id, new SectionOpener(p.id, Buffer.from(p.sectionKey)));
  type Mode = 'plain' | 'sealed' | 'skip';
  let section: { t: TableInfo; tenant: string | null; mode: Mode; rows: number; index: number; final: boolean } | null =
    null;
  let done = false;
  try {
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const line = next.value;
      if (done) throw new AppError(ErrorCode.INVALID_FILE, 'The backup has data after its end.');
      if (!section) {
        const s = JSON.parse(line) as { table?: string; tenant?: string | null; done?: boolean };
        if (s.done) {
          done = true;
          continue;
        }
        const t = s.table ? tables.get(s.table) : undefined;
        if (!t) throw new AppError(ErrorCode.INVALID_FILE, `The backup names an unknown table ${s.table}.`);
        const tenant = s.tenant ?? null;
        if (tenant !== null && (!isUuid(tenant) || !t.perTenant))
          throw new AppError(ErrorCode.INVALID_FILE, `The backup's section ${t.name} names a tenant it cannot have.`);
        if (tenant === null && t.perTenant && header.version === 2)
          throw new AppError(ErrorCode.INVALID_FILE, `The backup's section ${t.name} has no tenant.`);
        const p = tenant ? plan.get(tenant) : undefined;
        if (tenant && !p)
          throw new AppError(
            ErrorCode.INVALID_FILE,
            `The backup has a section of a customer its header does not list.`,
          );
        const mode: Mode =
          tenant === null ? 'plain' : !p!.readable ? 'skip' : header.version === 2 ? 'sealed' : 'plain';
        section = { t, tenant, mode, rows: 0, index: 0, final: false };
        if (mode !== 'skip') await sink.begin(t, tenant);
        continue;
      }
      if (line.startsWith('{"end":')) {
        const end = JSON.parse(line) as { end: string; rows?: number };
        if (end.end !== section.t.name)
          throw new AppError(ErrorCode.INVALID_FILE, `The backup's section ${section.t.name} is inconsistent.`);
        if (section.mode === 'plain' && end.rows !== section.rows)
          throw new AppError(ErrorCode.INVALID_FILE, `The backup's section ${section.t.name} is inconsistent.`);
        if (section.mode === 'sealed' && !section.final)
          throw new AppError(
            ErrorCode.INVALID_FILE,
            `The backup's section ${section.t.name} of customer ${section.tenant} is cut short.`,
          );
        if (section.mode !== 'skip') await sink.end(section.t, section.tenant);
        section = null;
        continue;
      }
      if (section.mode === 'skip') continue;
      if (section.mode === 'plain') {
        section.rows++;
        await sink.row(line);
        continue;
      }
      if (section.final)
        throw new AppError(
          ErrorCode.INVALID_FILE,
          `The backup's section ${section.t.name} of customer ${section.tenant} has blocks after its last.`,
        );
      const block = JSON.parse(line) as SealedLine;
      if (typeof block.sealed !== 'string')
        throw new AppError(
          ErrorCode.INVALID_FILE,
          `The backup's section ${section.t.name} of customer ${section.tenant} holds a line that is not a sealed block.`,
        );
      const rows = openers.get(section.tenant!)!.open(section.t.name, section.index++, block);
      section.final = block.final === true;
      for (const r of rows) {
        section.rows++;
        await sink.row(r);
      }
    }
  } finally {
    for (const o of openers.values()) o.destroy();
  }
  if (section || !done) throw new AppError(ErrorCode.INVALID_FILE, 'The backup is incomplete (no end marker).');
}

/**
 * Reads the whole backup: every chunk authenticates, the JSON lines parse, every sealed block of a
 * customer in `plan` with a key opens, and the end marker is there. Without a plan, customers'
 * sections are only framed, not opened.
 */
export async function checkWholeFile(
  path: string,
  masters: MasterKey[],
  plan?: Map<string, TenantPlan>,
): Promise<{ lines: number }> {
  let lines = 0;
  const it = linesOf(openBackup(path, masters));
  const counted: AsyncIterator<string> = {
    next: async () => {
      const r = await it.next();
      if (!r.done) lines++;
      return r;
    },
  };
  try {
    const first = await counted.next();
    if (first.done) throw new AppError(ErrorCode.INVALID_FILE, { key: 'problems:backup.empty', params: { path } });
    const header = parseHeader(first.value, path);
    const p = plan ?? new Map(header.tenants.map((t) => [t.id, { id: t.id, readable: false }]));
    await walkSections(counted, header, p, nowhere);
  } finally {
    await it.return(undefined);
  }
  return { lines };
}

/** Whether the database holds Peil data (customers or operators). */
export async function holdsData(
  client: Pick<pg.PoolClient, 'query'>,
): Promise<{ tenants: number; operators: number } | null> {
  const { rows } = await client.query<{ t: string | null; o: string | null }>(
    `SELECT to_regclass('public.tenants')::text AS t, to_regclass('public.operators')::text AS o`,
  );
  if (!rows[0]?.t || !rows[0].o) return null;
  const c = await client.query<{ tenants: number; operators: number }>(
    'SELECT (SELECT count(*) FROM tenants)::int AS tenants, (SELECT count(*) FROM operators)::int AS operators',
  );
  const r = c.rows[0]!;
  return r.tenants + r.operators > 0 ? r : null;
}

/**
 * Drops Peil's objects: everything in the public schema owned by this connection's user, and the
 * pg-boss schema. Objects of other owners are left alone (the role peil_app too: it is shared by
 * the databases of a server).
 */
export async function wipeDatabase(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const boss = await client.query(
      `SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss' AND pg_get_userbyid(nspowner) = current_user`,
    );
    if (boss.rows.length) await client.query('DROP SCHEMA pgboss CASCADE');
    const rels = await client.query<{ name: string; kind: string }>(
      `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND pg_get_userbyid(c.relowner) = current_user`,
    );
    for (const r of rels.rows) {
      const what = r.kind === 'v' ? 'VIEW' : r.kind === 'm' ? 'MATERIALIZED VIEW' : 'TABLE';
      await client.query(`DROP ${what} IF EXISTS ${quoteIdent(r.name)} CASCADE`);
    }
    const seqs = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) = current_user`,
    );
    for (const s of seqs.rows) await client.query(`DROP SEQUENCE IF EXISTS ${quoteIdent(s.name)} CASCADE`);
    const fns = await client.query<{ sig: string }>(
      `SELECT p.oid::regprocedure::text AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) = current_user
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    );
    for (const f of fns.rows) await client.query(`DROP FUNCTION IF EXISTS ${f.sig} CASCADE`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

async function targetKeys(client: Pick<pg.PoolClient, 'query'>): Promise<KeySource | undefined> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('public.tenant_keys')::text AS t`);
  if (!exists.rows[0]?.t) return undefined;
  const { rows } = await client.query<{ tenant_id: string; wrapped_key: Buffer; master_key_id: string }>(
    'SELECT tenant_id, wrapped_key, master_key_id FROM tenant_keys WHERE wrapped_key IS NOT NULL',
  );
  return {
    name: 'the keys of the database restored over',
    keys: new Map(rows.map((r) => [r.tenant_id, { wrappedKey: r.wrapped_key, masterKeyId: r.master_key_id }])),
  };
}

export async function restoreDatabase(
  handle: DatabaseHandle,
  master: MasterKey,
  input: string,
  opts: RestoreOptions = {},
): Promise<RestoreResult> {
  const lines = linesOf(openBackup(input, [master, ...(opts.backupMasters ?? [])]));
  try {
    return await restoreFrom(handle, master, input, lines, opts);
  } finally {
    // Closes the file when the restore stopped before its end (a refusal, a bad file).
    await lines.return(undefined);
  }
}

async function restoreFrom(
  handle: DatabaseHandle,
  master: MasterKey,
  input: string,
  lines: AsyncGenerator<string>,
  opts: RestoreOptions,
): Promise<RestoreResult> {
  const log = opts.log ?? (() => {});
  const masters = [master, ...(opts.backupMasters ?? [])];
  const first = await lines.next();
  if (first.done) throw new AppError(ErrorCode.INVALID_FILE, { key: 'problems:backup.empty', params: { path: input } });
  const header = parseHeader(first.value, input);

  // The schema is rebuilt with this version's migration files: the backup's must be among them, unchanged.
  const known = new Map(loadMigrations().map((m) => [m.version, m]));
  for (const m of header.migrations) {
    const k = known.get(m.version);
    if (!k || k.checksum !== m.checksum) {
      throw new AppError(ErrorCode.CONFLICT, {
        key: k ? 'problems:backup.migrationDiffers' : 'problems:backup.migrationMissing',
        params: { migration: `${m.version}_${m.name}` },
      });
    }
  }

  let keySource = opts.keys;
  let wiped = false;
  // DSR-2: the erasures handed in and those of the key export (so that a restore onto an empty
  // database applies them too); a tombstone known twice is applied once.
  const tombstones: Tombstone[] = [...(opts.erasures ?? []), ...(opts.keys?.erasures ?? [])];
  {
    const client = await handle.pool.connect();
    try {
      const data = await holdsData(client);
      if (data && !opts.force) {
        throw new AppError(ErrorCode.CONFLICT, {
          key: 'problems:backup.holdsData',
          params: { tenants: data.tenants, operators: data.operators },
        });
      }
      if (data) keySource ??= await targetKeys(client);
      // DSR-2: the erasures of the database about to be replaced, to apply again over the older data.
      if (data) tombstones.push(...(await readTombstones(client)));
    } finally {
      client.release();
    }
  }

  const needKeys = header.tenants.some((t) => t.keyCheck !== null);
  if (needKeys && !keySource) {
    throw new AppError(ErrorCode.BAD_REQUEST, { key: 'problems:backup.needKeys' });
  }
  const plan = planTenants(header, master, keySource);
  try {
    // The whole file is read and authenticated once before anything is dropped, every customer's
    // sealed blocks included: a damaged or cut-short backup must not cost the target its data.
    await checkWholeFile(input, masters, plan);

    await wipeDatabase(handle.pool);
    wiped = true;
    await migrate(handle.pool, log, { only: new Set(header.migrations.map((m) => m.version)), grants: false });

    const total = await load(handle, master, header, lines, plan);
    await migrate(handle.pool, log);
    const erasuresReapplied = await reapplyTombstones(handle, master, tombstones);
    if (erasuresReapplied) log(`re-applied ${erasuresReapplied} erasure(s) made after the backup was taken`);
    const tenants: RestoreResult['tenants'] = [...plan.values()].map((p) =>
      p.readable ? { id: p.id, readable: true } : { id: p.id, readable: false, reason: p.reason! },
    );
    await handle.pool.query(
      `INSERT INTO system_audit_events (actor_kind, actor_id, action, ip, details) VALUES ('system', NULL, 'backup.restored', 'cli', $1::jsonb)`,
      [
        JSON.stringify({
          backupCreatedAt: header.createdAt,
          databaseKind: header.databaseKind,
          formatVersion: header.version,
          rows: total,
          keySource: keySource?.name ?? null,
          unreadable: tenants.filter((t) => !t.readable).map((t) => t.id),
        }),
      ],
    );
    return {
      createdAt: header.createdAt,
      databaseKind: header.databaseKind,
      formatVersion: header.version,
      wiped,
      tables: header.tables.length,
      rows: total,
      tenants,
      erasuresReapplied,
    };
  } finally {
    for (const p of plan.values()) p.sectionKey?.fill(0);
  }
}

/** Writes the rows back in one transaction; returns how many. */
async function load(
  handle: DatabaseHandle,
  master: MasterKey,
  header: BackupHeader,
  lines: AsyncGenerator<string>,
  plan: Map<string, TenantPlan>,
): Promise<number> {
  const client = await handle.pool.connect();
  let total = 0;
  try {
    // The schema loaded into may be the backup's older one (before 0041: settings unsigned).
    const key = await readSettingKey((text) => client.query(text));
    await client.query('BEGIN');
    // Migrations may seed rows (switches, defaults); the backup holds the truth for every table.
    // TRUNCATE is not subject to row-level security, unlike DELETE for a non-superuser owner.
    // Derived tables the schema has are emptied too: the inserts below rebuild them (DERIVED_TABLES).
    const derived = (
      await client.query<{ name: string }>(
        `SELECT n AS name FROM unnest($1::text[]) AS n WHERE to_regclass('public.' || quote_ident(n)) IS NOT NULL`,
        [DERIVED_TABLES],
      )
    ).rows.map((r) => r.name);
    const emptied = [...header.tables.map((t) => t.name), ...derived];
    if (header.tables.length) await client.query(`TRUNCATE ${emptied.map(quoteIdent).join(', ')}`);
    const maxIds = new Map<string, number>();
    let current: TableInfo | null = null;
    let batch: string[] = [];
    let batchBytes = 0;

    // The key column comes from the plan: the backup holds no keys (SEC-1).
    const keyRow = (text: string): string => {
      const row = JSON.parse(text) as {
        tenant_id: string;
        wrapped_key: string | null;
        master_key_id: string;
        destroyed_at: string | null;
      };
      const p = plan.get(row.tenant_id);
      if (!p?.readable || !p.wrappedKey)
        return JSON.stringify({
          ...row,
          wrapped_key: null,
          destroyed_at: row.destroyed_at ?? new Date().toISOString(),
        });
      return JSON.stringify({ ...row, wrapped_key: `\\x${p.wrappedKey.toString('hex')}`, master_key_id: master.id });
    };

    const flush = async () => {
      if (!current || batch.length === 0) return;
      const t = current;
      const cols = t.columns.map(quoteIdent).join(', ');
      const res = await client.query(
        `INSERT INTO ${quoteIdent(t.name)} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM jsonb_populate_recordset(NULL::${quoteIdent(t.name)}, $1::jsonb)`,
        [`[${batch.join(',')}]`],
      );
      total += res.rowCount ?? 0;
      batch = [];
      batchBytes = 0;
    };

    await walkSections(lines, header, plan, {
      begin: async (t, tenant) => {
        current = t;
        if (tenant)
          await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [settingValue(key, 'tenant_id', tenant)]);
      },
      row: async (text) => {
        const row = current!.name === 'tenant_keys' ? keyRow(text) : text;
        batch.push(row);
        batchBytes += row.length;
        if (batch.length >= 1000 || batchBytes > 4 * 1024 * 1024) await flush();
      },
      end: async (t, tenant) => {
        await flush();
        for (const col of t.identity) {
          const where = tenant ? ` WHERE tenant_id = '${tenant}'::uuid` : '';
          const m = await client.query<{ m: string | null }>(
            `SELECT max(${quoteIdent(col)})::text AS m FROM ${quoteIdent(t.name)}${where}`,
          );
          const v = m.rows[0]?.m;
          const key = `${t.name}.${col}`;
          if (v !== null && v !== undefined) maxIds.set(key, Math.max(maxIds.get(key) ?? 0, Number(v)));
        }
        current = null;
      },
    });
    for (const [key, max] of maxIds) {
      const [table, col] = key.split('.') as [string, string];
      await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), $3::bigint, true)`, [
        quoteIdent(table),
        col,
        max,
      ]);
    }
    await client.query('COMMIT');
    return total;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
