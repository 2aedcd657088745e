import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import { DecryptStream, EncryptStream } from '../../lib/crypto/file-stream.js';
import { TenantKeys, type MasterKey } from '../../lib/crypto/keyring.js';
import { isUuid, type Db } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';

/**
 * OBLIGATIONS SEC-1, SEC-2: the customers' data keys are not in the data backups. A data backup that
 * carried them would outlive every key destruction: restore it with the master key, and an erased
 * customer's data is readable again. So the keys travel separately, in a key export: small,
 * replaced after every change, kept with the master key, and not kept in old copies. Destroying a
 * customer's key and exporting the keys again makes every earlier data backup unreadable for that
 * customer, while all other customers restore from the same backups with the new key export.
 */
export interface ExportedKey {
  tenantId: string;
  slug: string;
  /** Base64 of the data key wrapped by the master key (the tenant_keys row). */
  wrappedKey: string;
  masterKeyId: string;
  createdAt: string;
}

/**
 * OBLIGATIONS DSR-2: a person erased (the erasure_tombstones row), so that a restore of a backup made
 * before the erasure applies it again, onto an empty database too. Nothing in clear: the contact id
 * (a pseudonym) and the blind index of the address (base64), both as the tombstone holds them.
 */
export interface ExportedErasure {
  tenantId: string;
  contactId: string;
  emailHmac: string;
  erasedAt: string;
}

export interface KeyExport {
  format: 'peil-keys';
  /** 1: keys only; 2: keys and the erasure tombstones (version 1 files are still read, as holding none). */
  version: 1 | 2;
  createdAt: string;
  masterKeyId: string;
  keys: ExportedKey[];
  erasures: ExportedErasure[];
}

/** A check value of a data key: equal for the same key, and reveals nothing about it. */
export function keyCheckValue(keys: TenantKeys): string {
  return keys.tokenMac(Buffer.from('peil/key-check-value')).toString('hex');
}

export async function liveKeys(db: Db): Promise<ExportedKey[]> {
  const rows = await db.handle.kysely
    .selectFrom('tenant_keys as k')
    .innerJoin('tenants as t', 't.id', 'k.tenant_id')
    .select(['k.tenant_id', 't.slug', 'k.wrapped_key', 'k.master_key_id', 'k.created_at'])
    .where('k.wrapped_key', 'is not', null)
    .orderBy('t.slug')
    .execute();
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    slug: r.slug,
    wrappedKey: r.wrapped_key!.toString('base64'),
    masterKeyId: r.master_key_id,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/**
 * The tombstones of every customer whose key is live, read in each customer's own transaction (the
 * table's row-level security is forced). A customer without a key needs none: none of its rows restore.
 */
export async function liveErasures(db: Db, keys: ExportedKey[]): Promise<ExportedErasure[]> {
  const out: ExportedErasure[] = [];
  for (const k of keys) {
    const rows = await db.tenant(k.tenantId, (tx) =>
      tx
        .selectFrom('erasure_tombstones')
        .select(['contact_id', 'email_hmac', 'erased_at'])
        .where('tenant_id', '=', k.tenantId)
        .orderBy('erased_at')
        .orderBy('contact_id')
        .execute(),
    );
    for (const r of rows)
      out.push({
        tenantId: k.tenantId,
        contactId: r.contact_id,
        emailHmac: r.email_hmac.toString('base64'),
        erasedAt: new Date(r.erased_at).toISOString(),
      });
  }
  return out;
}

export async function writeKeyExport(db: Db, master: MasterKey, out: string): Promise<KeyExport> {
  const keys = await liveKeys(db);
  const wrong = keys.find((k) => k.masterKeyId !== master.id);
  if (wrong)
    throw new AppError(ErrorCode.CONFLICT, {
      key: 'problems:keys.otherMaster',
      params: { slug: wrong.slug, master: wrong.masterKeyId, configured: master.id },
    });
  const erasures = await liveErasures(db, keys);
  const doc: KeyExport = {
    format: 'peil-keys',
    version: 2,
    createdAt: new Date().toISOString(),
    masterKeyId: master.id,
    keys,
    erasures,
  };
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    await pipeline(
      Readable.from([Buffer.from(JSON.stringify(doc))]),
      new EncryptStream(master, 'keys'),
      createWriteStream(tmp, { mode: 0o600 }),
    );
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return doc;
}

export async function readKeyExport(path: string, masters: MasterKey[]): Promise<KeyExport> {
  const parts: Buffer[] = [];
  await pipeline(
    createReadStream(path),
    new DecryptStream(masters, 'keys'),
    new Writable({
      write(chunk: Buffer, _e, done) {
        parts.push(chunk);
        done();
      },
    }),
  );
  const doc = JSON.parse(Buffer.concat(parts).toString('utf8')) as Omit<KeyExport, 'erasures'> & { erasures?: unknown };
  if (doc.format !== 'peil-keys' || (doc.version !== 1 && doc.version !== 2) || !Array.isArray(doc.keys))
    throw new AppError(ErrorCode.INVALID_FILE, { key: 'problems:keys.notAnExport', params: { path } });
  // Version 1 (before DSR-2) holds no erasures.
  const erasures = doc.version === 2 ? doc.erasures : [];
  if (!Array.isArray(erasures) || !erasures.every(isErasure))
    throw new AppError(ErrorCode.INVALID_FILE, { key: 'problems:keys.badErasures', params: { path } });
  return { ...doc, erasures };
}

function isErasure(e: unknown): e is ExportedErasure {
  if (!e || typeof e !== 'object') return false;
  const x = e as Record<string, unknown>;
  return (
    typeof x.tenantId === 'string' &&
    isUuid(x.tenantId) &&
    typeof x.contactId === 'string' &&
    isUuid(x.contactId) &&
    typeof x.emailHmac === 'string' &&
    typeof x.erasedAt === 'string' &&
    !Number.isNaN(Date.parse(x.erasedAt))
  );
}
