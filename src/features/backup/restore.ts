import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type pg from 'pg';
import type { DatabaseHandle } from '../../lib/db/connect.js';
import { loadMigrations, migrate } from '../../lib/db/migrate.js';
import { DecryptStream } from '../../lib/crypto/file-stream.js';
import { TenantKeys, type MasterKey } from '../../lib/crypto/keyring.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { isUuid } from '../../lib/db/db.js';
import { keyCheckValue, type KeyExport } from '../keys/key-export.js';
import { quoteIdent } from './schema-info.js';
import type { BackupHeader } from './backup.js';

/**
 * OBLIGATIONS SEC-2: restores a backup made by backup.ts, on PGlite or PostgreSQL.
 *
 * 1. The file is decrypted chunk by chunk; nothing unauthenticated is read (file-stream.ts).
 * 2. A target that holds customers or operators is refused unless `force`; with `force` (and always
 *    for a target without data) Peil's objects are dropped first.
 * 3. The schema is built with exactly the migrations the backup was made under, the rows are written
 *    back in one transaction (foreign-key order, one tenant at a time so row-level security holds
 *    for a non-superuser owner), identity sequences are moved past the restored ids, and the
 *    migrations added since are applied on top.
 * 4. Each customer's data key comes from the key source (a key export, or the target's own keys when
 *    it is restored over), checked against the key check value the backup recorded. A customer
 *    without a key there is restored with its key destroyed: its rows come back, unreadable.
 */
export interface KeySource {
  name: string;
  keys: Map<string, { wrappedKey: Buffer; masterKeyId: string }>;
}

export function keySourceOfExport(doc: KeyExport, name: string): KeySource {
  return { name, keys: new Map(doc.keys.map((k) => [k.tenantId, { wrappedKey: Buffer.from(k.wrappedKey, 'base64'), masterKeyId: k.masterKeyId }])) };
}

export interface RestoreOptions {
  force?: boolean;
  keys?: KeySource | undefined;
  /** Older master keys, for a backup file made before a rotation (the file names its key id). */
  backupMasters?: MasterKey[];
  log?: (m: string) => void;
}

export interface RestoreResult {
  createdAt: string;
  databaseKind: string;
  wiped: boolean;
  tables: number;
  rows: number;
  tenants: Array<{ id: string; readable: boolean; reason?: string }>;
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

/** Reads the whole backup: every chunk authenticates, the JSON lines parse, and the end marker is there. */
export async function checkWholeFile(path: string, masters: MasterKey[]): Promise<{ lines: number }> {
  let lines = 0;
  let done = false;
  for await (const line of linesOf(openBackup(path, masters))) {
    if (done) throw new AppError(ErrorCode.INVALID_FILE, 'The backup has data after its end.');
    lines++;
    if (line.startsWith('{"done":')) done = true;
  }
  if (!done) throw new AppError(ErrorCode.INVALID_FILE, 'The backup is incomplete (no end marker).');
  return { lines };
}

/** Whether the database holds Peil data (customers or operators). */
export async function holdsData(client: Pick<pg.PoolClient, 'query'>): Promise<{ tenants: number; operators: number } | null> {
  const { rows } = await client.query<{ t: string | null; o: string | null }>(`SELECT to_regclass('public.tenants')::text AS t, to_regclass('public.operators')::text AS o`);
  if (!rows[0]?.t || !rows[0].o) return null;
  const c = await client.query<{ tenants: number; operators: number }>('SELECT (SELECT count(*) FROM tenants)::int AS tenants, (SELECT count(*) FROM operators)::int AS operators');
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
    const boss = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss' AND pg_get_userbyid(nspowner) = current_user`);
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
  const { rows } = await client.query<{ tenant_id: string; wrapped_key: Buffer; master_key_id: string }>('SELECT tenant_id, wrapped_key, master_key_id FROM tenant_keys WHERE wrapped_key IS NOT NULL');
  return { name: 'the keys of the database restored over', keys: new Map(rows.map((r) => [r.tenant_id, { wrappedKey: r.wrapped_key, masterKeyId: r.master_key_id }])) };
}

export async function restoreDatabase(handle: DatabaseHandle, master: MasterKey, input: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const lines = linesOf(openBackup(input, [master, ...(opts.backupMasters ?? [])]));
  try {
    return await restoreFrom(handle, master, input, lines, opts);
  } finally {
    // Closes the file when the restore stopped before its end (a refusal, a bad file).
    await lines.return(undefined);
  }
}

async function restoreFrom(handle: DatabaseHandle, master: MasterKey, input: string, lines: AsyncGenerator<string>, opts: RestoreOptions): Promise<RestoreResult> {
  const log = opts.log ?? (() => {});
  const first = await lines.next();
  if (first.done) throw new AppError(ErrorCode.INVALID_FILE, `${input} is empty.`);
  const header = JSON.parse(first.value) as BackupHeader;
  if (header.format !== 'peil-backup' || header.version !== 1) throw new AppError(ErrorCode.INVALID_FILE, `${input} is not a Peil backup.`);

  // The schema is rebuilt with this version's migration files: the backup's must be among them, unchanged.
  const known = new Map(loadMigrations().map((m) => [m.version, m]));
  for (const m of header.migrations) {
    const k = known.get(m.version);
    if (!k || k.checksum !== m.checksum) {
      throw new AppError(ErrorCode.CONFLICT, `The backup was made by a Peil with migration ${m.version}_${m.name}, which this version ${k ? 'has in another form' : 'does not have'}; restore it with that version.`);
    }
  }

  let keySource = opts.keys;
  let wiped = false;
  {
    const client = await handle.pool.connect();
    try {
      const data = await holdsData(client);
      if (data && !opts.force) {
        throw new AppError(ErrorCode.CONFLICT, `The target database holds data (${data.tenants} customer(s), ${data.operators} operator(s)). Restore refuses to overwrite it; add --force to replace it.`);
      }
      if (data) keySource ??= await targetKeys(client);
    } finally {
      client.release();
    }
  }
  // The whole file is read and authenticated once before anything is dropped: a damaged or cut-short
  // backup must not cost the target its data.
  await checkWholeFile(input, [master, ...(opts.backupMasters ?? [])]);

  const needKeys = header.tenants.some((t) => t.keyCheck !== null);
  if (needKeys && !keySource) {
    throw new AppError(ErrorCode.BAD_REQUEST, 'A backup holds no customer keys (SEC-1). Give the current key export (`peil keys export`) with --keys FILE.');
  }

  await wipeDatabase(handle.pool);
  wiped = true;
  await migrate(handle.pool, log, { only: new Set(header.migrations.map((m) => m.version)), grants: false });

  const tenants: RestoreResult['tenants'] = [];
  const tables = new Map(header.tables.map((t) => [t.name, t]));
  const client = await handle.pool.connect();
  let total = 0;
  try {
    await client.query('BEGIN');
    // Migrations may seed rows (switches, defaults); the backup holds the truth for every table.
    // TRUNCATE is not subject to row-level security, unlike DELETE for a non-superuser owner.
    if (header.tables.length) await client.query(`TRUNCATE ${header.tables.map((t) => quoteIdent(t.name)).join(', ')}`);
    const maxIds = new Map<string, number>();
    let section: { table: string; tenant: string | null } | null = null;
    let batch: string[] = [];
    let batchBytes = 0;
    let sectionRows = 0;
    let done = false;

    const keyRow = (text: string): string => {
      const row = JSON.parse(text) as { tenant_id: string; wrapped_key: string | null; master_key_id: string; destroyed_at: string | null };
      const expected = header.tenants.find((t) => t.id === row.tenant_id)?.keyCheck ?? null;
      if (row.destroyed_at || expected === null) {
        tenants.push({ id: row.tenant_id, readable: false, reason: 'key destroyed before the backup' });
        return text;
      }
      const found = keySource?.keys.get(row.tenant_id);
      if (!found) {
        // OBLIGATIONS SEC-1: no key, no data. The rows come back; nothing can read them.
        tenants.push({ id: row.tenant_id, readable: false, reason: `no key in ${keySource?.name ?? 'any key source'} (destroyed since the backup?)` });
        return JSON.stringify({ ...row, wrapped_key: null, destroyed_at: new Date().toISOString() });
      }
      if (found.masterKeyId !== master.id) {
        throw new AppError(ErrorCode.CONFLICT, `The key of customer ${row.tenant_id} in ${keySource!.name} is wrapped by master key ${found.masterKeyId}, not by the configured ${master.id}; export the keys again with the current master key.`);
      }
      const dataKey = master.unwrap(found.wrappedKey, row.tenant_id);
      const check = keyCheckValue(new TenantKeys(row.tenant_id, dataKey));
      dataKey.fill(0);
      if (check !== expected) throw new AppError(ErrorCode.CONFLICT, `The key of customer ${row.tenant_id} in ${keySource!.name} is not the key its data was encrypted with.`);
      tenants.push({ id: row.tenant_id, readable: true });
      return JSON.stringify({ ...row, wrapped_key: `\\x${found.wrappedKey.toString('hex')}`, master_key_id: master.id });
    };

    const flush = async () => {
      if (!section || batch.length === 0) return;
      const t = tables.get(section.table)!;
      const cols = t.columns.map(quoteIdent).join(', ');
      const res = await client.query(
        `INSERT INTO ${quoteIdent(t.name)} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM jsonb_populate_recordset(NULL::${quoteIdent(t.name)}, $1::jsonb)`,
        [`[${batch.join(',')}]`],
      );
      total += res.rowCount ?? 0;
      batch = [];
      batchBytes = 0;
    };

    for await (const line of lines) {
      if (done) throw new AppError(ErrorCode.INVALID_FILE, 'The backup has data after its end.');
      if (!section) {
        const s = JSON.parse(line) as { table?: string; tenant?: string | null; done?: boolean; rows?: number };
        if (s.done) {
          done = true;
          continue;
        }
        const t = s.table ? tables.get(s.table) : undefined;
        if (!t) throw new AppError(ErrorCode.INVALID_FILE, `The backup names an unknown table ${s.table}.`);
        if (s.tenant && !isUuid(s.tenant)) throw new AppError(ErrorCode.INVALID_FILE, 'The backup names a tenant that is not a uuid.');
        section = { table: t.name, tenant: s.tenant ?? null };
        sectionRows = 0;
        if (section.tenant) await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [section.tenant]);
        continue;
      }
      if (line.startsWith('{"end":')) {
        const end = JSON.parse(line) as { end: string; rows: number };
        await flush();
        if (end.end !== section.table || end.rows !== sectionRows) throw new AppError(ErrorCode.INVALID_FILE, `The backup's section ${section.table} is inconsistent.`);
        const t = tables.get(section.table)!;
        for (const col of t.identity) {
          const where = section.tenant ? ` WHERE tenant_id = '${section.tenant}'::uuid` : '';
          const m = await client.query<{ m: string | null }>(`SELECT max(${quoteIdent(col)})::text AS m FROM ${quoteIdent(t.name)}${where}`);
          const v = m.rows[0]?.m;
          const key = `${t.name}.${col}`;
          if (v !== null && v !== undefined) maxIds.set(key, Math.max(maxIds.get(key) ?? 0, Number(v)));
        }
        section = null;
        continue;
      }
      const row = section.table === 'tenant_keys' ? keyRow(line) : line;
      batch.push(row);
      batchBytes += row.length;
      sectionRows++;
      if (batch.length >= 1000 || batchBytes > 4 * 1024 * 1024) await flush();
    }
    if (!done) throw new AppError(ErrorCode.INVALID_FILE, 'The backup is incomplete (no end marker).');
    for (const [key, max] of maxIds) {
      const [table, col] = key.split('.') as [string, string];
      await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), $3::bigint, true)`, [quoteIdent(table), col, max]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  await migrate(handle.pool, log);
  await handle.pool.query(`INSERT INTO system_audit_events (actor_kind, actor_id, action, ip, details) VALUES ('system', NULL, 'backup.restored', 'cli', $1::jsonb)`, [
    JSON.stringify({ backupCreatedAt: header.createdAt, databaseKind: header.databaseKind, rows: total, keySource: keySource?.name ?? null, unreadable: tenants.filter((t) => !t.readable).map((t) => t.id) }),
  ]);
  return { createdAt: header.createdAt, databaseKind: header.databaseKind, wiped, tables: header.tables.length, rows: total, tenants };
}
