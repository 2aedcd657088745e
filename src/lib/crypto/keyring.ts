import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Env } from '../env.js';
import type { Db, Tx } from '../db/db.js';
import { AppError, ErrorCode } from '../errors.js';
import { open, seal } from './envelope.js';
import { parseRowToken } from '../tokens.js';

/** The key that wraps every tenant's data key. From PEIL_MASTER_KEY(_FILE); a KMS can replace it later. */
export class MasterKey {
  readonly id: string;
  constructor(readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The master key must be 32 bytes (base64 of 32 random bytes).');
    this.id = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  wrap(dataKey: Buffer, tenantId: string): Buffer {
    return seal(this.key, dataKey, Buffer.from(`tenant-key:${tenantId}`));
  }

  unwrap(wrapped: Buffer, tenantId: string): Buffer {
    return open(this.key, wrapped, Buffer.from(`tenant-key:${tenantId}`));
  }

  /**
   * A key for one purpose, derived with HKDF (audit checkpoint signing, backup files, key exports).
   * Purposes never share a key, and none of them reveals the master key.
   */
  derive(purpose: string, salt: Buffer = Buffer.alloc(0)): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, salt, `peil/master/${purpose}`, 32));
  }
}

export interface MasterKeySource {
  key: MasterKey;
  /** Where it came from; 'generated' means a development key was written to the data folder. */
  origin: 'env' | 'file' | 'generated' | 'data-dir';
}

/** A master key from a key file (rotation's new key, an old key for an old backup). */
export function masterKeyFromFile(path: string, what: string): MasterKey {
  return new MasterKey(decodeKey(readFileSync(path, 'utf8'), `${what} (${path})`));
}

export function masterKeyFromText(text: string, what: string): MasterKey {
  return new MasterKey(decodeKey(text, what));
}

function decodeKey(text: string, where: string): Buffer {
  const buf = Buffer.from(text.trim(), 'base64');
  if (buf.length !== 32)
    throw new Error(
      `${where} must hold 32 bytes, base64-encoded (got ${buf.length}). Create one with: npx peil keys generate`,
    );
  return buf;
}

export function loadMasterKey(env: Env): MasterKeySource {
  if (env.PEIL_MASTER_KEY)
    return { key: new MasterKey(decodeKey(env.PEIL_MASTER_KEY, 'PEIL_MASTER_KEY')), origin: 'env' };
  if (env.PEIL_MASTER_KEY_FILE) {
    return {
      key: new MasterKey(decodeKey(readFileSync(env.PEIL_MASTER_KEY_FILE, 'utf8'), 'PEIL_MASTER_KEY_FILE')),
      origin: 'file',
    };
  }
  // Development convenience: a key of our own in the data folder, so `npm start` needs nothing.
  const path = join(env.dataDir, 'master.key');
  if (existsSync(path)) return { key: new MasterKey(decodeKey(readFileSync(path, 'utf8'), path)), origin: 'data-dir' };
  mkdirSync(env.dataDir, { recursive: true });
  writeFileSync(path, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { key: new MasterKey(decodeKey(readFileSync(path, 'utf8'), path)), origin: 'generated' };
}

/**
 * One tenant's keys, derived from its data key with HKDF so that destroying the one data key
 * destroys all of them: encryption of personal data, the email blind index, and invitation tokens.
 */
export class TenantKeys {
  private readonly enc: Buffer;
  private readonly index: Buffer;
  private readonly tokens: Buffer;
  private readonly backup: Buffer;
  private readonly aad: Buffer;

  constructor(
    readonly tenantId: string,
    dataKey: Buffer,
  ) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, 32));
    this.enc = derive('peil/encrypt');
    this.index = derive('peil/blind-index');
    this.tokens = derive('peil/tokens');
    this.backup = derive('peil/backup');
    this.aad = Buffer.from(tenantId);
  }

  /**
   * OBLIGATIONS SEC-1: the key of this tenant's sections in one backup file (`salt`: the file's own
   * random salt, so every file has its own key). Derived from the data key, so destroying the data key
   * makes this tenant unreadable in every backup made before, whoever holds the master key.
   */
  backupKey(salt: Buffer): Buffer {
    return Buffer.from(hkdfSync('sha256', this.backup, salt, 'peil/backup/sections', 32));
  }

  seal(value: string): Buffer;
  seal(value: string | null | undefined): Buffer | null;
  seal(value: string | null | undefined): Buffer | null {
    if (value === null || value === undefined) return null;
    return seal(this.enc, Buffer.from(value, 'utf8'), this.aad);
  }

  open(blob: Buffer): string;
  open(blob: Buffer | null): string | null;
  open(blob: Buffer | null): string | null {
    return blob === null ? null : open(this.enc, blob, this.aad).toString('utf8');
  }

  /** Issue 17: bytes sealed with the data key; `context` (an upload and part) is bound into the seal. */
  sealBytes(value: Buffer, context: string): Buffer {
    return seal(this.enc, value, Buffer.concat([this.aad, Buffer.from(`/${context}`)]));
  }

  openBytes(blob: Buffer, context: string): Buffer {
    return open(this.enc, blob, Buffer.concat([this.aad, Buffer.from(`/${context}`)]));
  }

  sealJson(value: unknown): Buffer {
    return seal(this.enc, Buffer.from(JSON.stringify(value), 'utf8'), this.aad);
  }

  openJson<T>(blob: Buffer): T {
    return JSON.parse(open(this.enc, blob, this.aad).toString('utf8')) as T;
  }

  /** Keyed blind index of an email: equal for equal addresses (case-insensitive), useless without the key. */
  emailIndex(email: string): Buffer {
    return createHmac('sha256', this.index).update(email.trim().toLowerCase()).digest();
  }

  /** A 16-byte MAC for tokens this tenant hands out (invitation links). */
  tokenMac(data: Buffer): Buffer {
    return createHmac('sha256', this.tokens).update(data).digest().subarray(0, 16);
  }
}

/**
 * How long an unwrapped tenant key is kept in memory. Erasing a tenant's key (SEC-1) in another
 * process (`peil tenant erase-key`) takes effect here within this time; in this process at once.
 */
const KEY_CACHE_MS = 30_000;

/**
 * Loads, caches and creates tenant keys. Pass the current transaction when there is one: PGlite has a
 * single connection, and a second transaction opened inside the first would wait for ever.
 */
export class Keyring {
  private readonly cache = new Map<string, { keys: TenantKeys; until: number }>();

  constructor(
    readonly master: MasterKey,
    private readonly db: Db,
  ) {}

  async create(tx: Tx, tenantId: string): Promise<TenantKeys> {
    const dataKey = randomBytes(32);
    await tx
      .insertInto('tenant_keys')
      .values({
        tenant_id: tenantId,
        wrapped_key: this.master.wrap(dataKey, tenantId),
        master_key_id: this.master.id,
        destroyed_at: null,
      })
      .execute();
    const keys = new TenantKeys(tenantId, dataKey);
    dataKey.fill(0);
    return keys;
  }

  async forTenant(tenantId: string, tx?: Tx): Promise<TenantKeys> {
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.keys;
    this.cache.delete(tenantId);
    // OBLIGATIONS SEC-1: peil_app cannot read tenant_keys; peil_tenant_key() (migration 0010) gives
    // the key of the transaction's own tenant only, so `tx` must work in `tenantId`.
    const load = (t: Tx) => tenantKeyRow(t, tenantId);
    const row = tx ? await load(tx) : await this.db.tenant(tenantId, load);
    if (!row) throw AppError.notFound('tenant');
    if (!row.wrapped_key) throw new AppError(ErrorCode.GONE, 'The data of this customer has been erased.');
    if (row.master_key_id !== this.master.id) {
      throw new MasterKeyMismatchError(
        `Tenant ${tenantId} is wrapped by master key ${row.master_key_id}, but the configured key is ${this.master.id}.`,
      );
    }
    const dataKey = this.master.unwrap(row.wrapped_key, tenantId);
    const keys = new TenantKeys(tenantId, dataKey);
    dataKey.fill(0);
    this.cache.set(tenantId, { keys, until: Date.now() + KEY_CACHE_MS });
    return keys;
  }

  /** Forget a cached key (after destruction or rotation). */
  evict(tenantId: string): void {
    this.cache.delete(tenantId);
  }
}

export class MasterKeyMismatchError extends Error {}

export interface TenantKeyRow {
  wrapped_key: Buffer | null;
  master_key_id: string;
  created_at: Date;
  destroyed_at: Date | null;
  rewrapped_at: Date | null;
}

/** The key row of the tenant `tx` works in (none for another tenant): see peil_tenant_key() in 0010. */
export async function tenantKeyRow(tx: Tx, tenantId: string): Promise<TenantKeyRow | undefined> {
  return (await sql<TenantKeyRow>`SELECT * FROM peil_tenant_key(${tenantId}::uuid)`.execute(tx)).rows[0];
}

/**
 * OBLIGATIONS SEC-1: a start with the wrong master key stops with a clear message, instead of
 * failing later on the first request that needs a tenant key. Destroyed keys are not counted.
 */
export async function checkMasterKey(db: Db, master: MasterKey): Promise<void> {
  // At start, on the owner connection: it counts every customer's key, which peil_app may not read.
  const rows = await db.handle.kysely
    .selectFrom('tenant_keys')
    .select(['master_key_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('wrapped_key', 'is not', null)
    .groupBy('master_key_id')
    .execute();
  const other = rows.filter((r) => r.master_key_id !== master.id);
  if (other.length === 0) return;
  const list = other
    .map((r) => `${r.master_key_id} (${Number(r.n)} customer key${Number(r.n) === 1 ? '' : 's'})`)
    .join(', ');
  throw new MasterKeyMismatchError(
    `The configured master key (id ${master.id}) is not the key this database was encrypted with: ` +
      `its customer keys are wrapped by master key ${list}. Configure that key in PEIL_MASTER_KEY or PEIL_MASTER_KEY_FILE ` +
      `(after \`peil keys rotate\`, the new one).`,
  );
}

/**
 * Opens a signed row token (src/lib/tokens.ts) without the database: the tenant in the token names
 * the key, and `macOf` says which MAC domain the token belongs to (respondent link, open link,
 * unsubscribe link). A bad shape, an unknown or erased tenant and a wrong MAC are all `null`, so a
 * caller answers every failure the same way and a probe learns nothing.
 */
export async function openRowToken(
  keyring: Keyring,
  token: string,
  macOf: (keys: TenantKeys) => (body: Buffer) => Buffer,
): Promise<{ tenantId: string; rowId: string; parentId?: string; keys: TenantKeys } | null> {
  const parsed = parseRowToken(token);
  if (!parsed) return null;
  let keys: TenantKeys;
  try {
    keys = await keyring.forTenant(parsed.tenantId);
  } catch {
    return null;
  }
  const expected = macOf(keys)(parsed.body);
  if (expected.length !== parsed.mac.length || !timingSafeEqual(expected, parsed.mac)) return null;
  return {
    tenantId: parsed.tenantId,
    rowId: parsed.rowId,
    ...(parsed.parentId ? { parentId: parsed.parentId } : {}),
    keys,
  };
}
