import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, fsyncSync, openSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { DatabaseHandle } from '../../lib/db/connect.js';
import { isUuid, readSettingKey, settingValue } from '../../lib/db/db.js';
import { EncryptStream } from '../../lib/crypto/file-stream.js';
import { TenantKeys, type MasterKey } from '../../lib/crypto/keyring.js';
import { keyCheckValue } from '../keys/key-export.js';
import { peilTables, quoteIdent, type TableInfo } from './schema-info.js';
import { BLOCK_BYTES, SectionSealer } from './sections.js';

/**
 * OBLIGATIONS SEC-2: a backup of Peil's database as one encrypted file, the same on PGlite and on
 * PostgreSQL, and restorable on either (so it also moves an embedded installation to PostgreSQL).
 *
 * Logical, not physical: every table of the public schema, read in one REPEATABLE READ READ ONLY
 * transaction (one consistent snapshot, taken while Peil keeps running on PostgreSQL), as one JSON
 * text per row (row_to_json: bytea as hex, timestamps with microseconds, jsonb as is), so a restore
 * writes back exactly the stored values and the audit chain verifies afterwards. No pg_dump needed.
 *
 * File: gzip, then AES-256-GCM in chunks (lib/crypto/file-stream.ts) with a key derived from the
 * master key. Plain text inside, one JSON value per line (format version 2):
 *
 *   {"format":"peil-backup","version":2, ..., "sectionSalt":"<base64>", "tenants":[{id, keyCheck}]}
 *   {"table":"tenants","tenant":null}           a global section: its rows as they are
 *   {...row...}
 *   {"end":"tenants","rows":2}
 *   {"table":"contacts","tenant":"<uuid>"}      a customer's section: sealed blocks only (sections.ts)
 *   {"sealed":"...","final":true}
 *   {"end":"contacts"}
 *   {"done":true,"rows":1234}
 *
 * OBLIGATIONS SEC-1: a customer's sections are sealed with a key derived from that customer's data
 * key (sections.ts), not from the master key. The master key opens the framing and the global tables
 * (tenants, operators, sessions, the system log, ...), never a customer's rows: once a customer's key
 * is destroyed, none of its rows (clear columns such as profile values, gender, closed answers,
 * scores and SMTP replies included) can be read from any backup made before, with any key an operator
 * still holds. A customer whose key was destroyed before the backup has no sections in it at all.
 *
 * Customers' data keys are left out (tenant_keys.wrapped_key is null in the file): see
 * ../keys/key-export.ts for why. pg-boss's schema is left out too: its jobs are derived state
 * (queued invitations are picked up again from the invitation rows).
 *
 * Version 1 files (before customer sections were sealed) still restore; see restore.ts.
 */
export interface BackupHeader {
  format: 'peil-backup';
  version: 1 | 2;
  createdAt: string;
  databaseKind: string;
  masterKeyId: string;
  migrations: Array<{ version: number; name: string; checksum: string }>;
  tables: TableInfo[];
  /** Each customer and a check value of its data key (null: destroyed), to match keys on restore. */
  tenants: Array<{ id: string; keyCheck: string | null }>;
  /** Version 2: the salt of this file's section keys (base64, 16 bytes); see TenantKeys.backupKey. */
  sectionSalt?: string;
}

const BACKUP_FORMAT_VERSION = 2;

export interface BackupResult {
  id: string;
  file: string;
  bytes: number;
  sha256: string;
  tables: number;
  rows: number;
  startedAt: string;
  finishedAt: string;
}

const FETCH = 1000;

/** Columns to read from a table; the data key column of tenant_keys is replaced by null. */
function selectList(t: TableInfo): string {
  return t.columns
    .map((c) => (t.name === 'tenant_keys' && c === 'wrapped_key' ? 'NULL::bytea AS wrapped_key' : quoteIdent(c)))
    .join(', ');
}

export async function backupDatabase(
  handle: DatabaseHandle,
  master: MasterKey,
  out: string,
  opts: { trigger?: 'command' | 'schedule' } = {},
): Promise<BackupResult> {
  const startedAt = new Date();
  const client = await handle.pool.connect();
  const tmp = `${out}.${process.pid}.tmp`;
  let rows = 0;
  let tableCount = 0;
  const sealers = new Map<string, SectionSealer>();
  try {
    const settingKey = await readSettingKey((text) => client.query(text));
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const migrations = (
      await client.query<{ version: number; name: string; checksum: string }>(
        'SELECT version, name, checksum FROM peil_migrations ORDER BY version',
      )
    ).rows;
    const tables = await peilTables(client);
    tableCount = tables.length;
    const tenants = (await client.query<{ id: string }>('SELECT id FROM tenants ORDER BY id')).rows.map((r) => r.id);
    const keyRows = (
      await client.query<{ tenant_id: string; wrapped_key: Buffer | null; master_key_id: string }>(
        'SELECT tenant_id, wrapped_key, master_key_id FROM tenant_keys',
      )
    ).rows;
    const sectionSalt = randomBytes(16);
    const keyCheck = new Map<string, string>();
    for (const k of keyRows) {
      if (!k.wrapped_key) continue;
      if (k.master_key_id !== master.id)
        throw new Error(
          `the key of customer ${k.tenant_id} is wrapped by master key ${k.master_key_id}, not the configured ${master.id}`,
        );
      const dataKey = master.unwrap(k.wrapped_key, k.tenant_id);
      const keys = new TenantKeys(k.tenant_id, dataKey);
      dataKey.fill(0);
      keyCheck.set(k.tenant_id, keyCheckValue(keys));
      sealers.set(k.tenant_id, new SectionSealer(k.tenant_id, keys.backupKey(sectionSalt)));
    }
    const header: BackupHeader = {
      format: 'peil-backup',
      version: BACKUP_FORMAT_VERSION,
      createdAt: startedAt.toISOString(),
      databaseKind: handle.kind,
      masterKeyId: master.id,
      migrations,
      tables,
      tenants: tenants.map((id) => ({ id, keyCheck: keyCheck.get(id) ?? null })),
      sectionSalt: sectionSalt.toString('base64'),
    };

    async function* cursor(t: TableInfo, tenant: string | null): AsyncGenerator<string[]> {
      if (tenant)
        await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [
          settingValue(settingKey, 'tenant_id', tenant),
        ]);
      // Explicit tenant filter: row-level security does not stop a superuser owner.
      if (tenant && !isUuid(tenant)) throw new Error(`not a tenant id: ${tenant}`);
      const where = tenant ? ` WHERE tenant_id = '${tenant}'::uuid` : '';
      await client.query(
        `DECLARE peil_backup NO SCROLL CURSOR FOR SELECT row_to_json(x)::text AS r FROM (SELECT ${selectList(t)} FROM ${quoteIdent(t.name)}${where}) x`,
      );
      for (;;) {
        const { rows: batch } = await client.query<{ r: string }>(`FETCH ${FETCH} FROM peil_backup`);
        if (batch.length === 0) break;
        rows += batch.length;
        yield batch.map((b) => b.r);
      }
      await client.query('CLOSE peil_backup');
    }

    async function* globalSection(t: TableInfo): AsyncGenerator<string> {
      let n = 0;
      yield JSON.stringify({ table: t.name, tenant: null }) + '\n';
      for await (const batch of cursor(t, null)) {
        n += batch.length;
        yield batch.join('\n') + '\n';
      }
      yield JSON.stringify({ end: t.name, rows: n }) + '\n';
    }

    // OBLIGATIONS SEC-1: every row of a customer goes out sealed with that customer's section key.
    async function* tenantSection(t: TableInfo, tenant: string, sealer: SectionSealer): AsyncGenerator<string> {
      yield JSON.stringify({ table: t.name, tenant }) + '\n';
      let index = 0;
      let block: string[] = [];
      let bytes = 0;
      for await (const batch of cursor(t, tenant)) {
        for (const r of batch) {
          block.push(r);
          bytes += r.length + 1;
          if (bytes >= BLOCK_BYTES) {
            yield sealer.block(t.name, index++, block, false);
            block = [];
            bytes = 0;
          }
        }
      }
      yield sealer.block(t.name, index, block, true);
      yield JSON.stringify({ end: t.name }) + '\n';
    }

    async function* lines(): AsyncGenerator<string> {
      yield JSON.stringify(header) + '\n';
      for (const t of tables) {
        if (!t.perTenant) {
          yield* globalSection(t);
          continue;
        }
        // A customer without a key has nothing readable left to back up: it has no sections.
        for (const id of tenants) {
          const sealer = sealers.get(id);
          if (sealer) yield* tenantSection(t, id, sealer);
        }
      }
      yield JSON.stringify({ done: true, rows }) + '\n';
    }

    const hash = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _e, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(
      Readable.from(lines()),
      createGzip(),
      new EncryptStream(master, 'backup'),
      tap,
      createWriteStream(tmp, { mode: 0o600 }),
    );
    // The file is complete and on disk before it takes the final name and before it is recorded.
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, out);
    await client.query('COMMIT');
    const finishedAt = new Date();
    const result: BackupResult = {
      id: randomUUID(),
      file: out,
      bytes: statSync(out).size,
      sha256: hash.digest('hex'),
      tables: tableCount,
      rows,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
    };
    // OBLIGATIONS SEC-4: the last successful backup is shown to customers; recorded only on success.
    await client.query(
      `INSERT INTO backups (id, started_at, finished_at, database_kind, trigger, file_name, bytes, sha256, master_key_id, tables, rows)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        result.id,
        startedAt,
        finishedAt,
        handle.kind,
        opts.trigger ?? 'command',
        basename(out),
        result.bytes,
        result.sha256,
        master.id,
        tableCount,
        rows,
      ],
    );
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    for (const s of sealers.values()) s.destroy();
    client.release();
  }
}
