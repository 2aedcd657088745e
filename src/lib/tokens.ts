import { randomBytes } from 'node:crypto';
import { isUuid } from './db/db.js';

/**
 * Tokens that carry their tenant: 16 bytes of tenant id, then a payload. The tenant part lets a
 * request find the right tenant (and its row-level security context) before anything else; the
 * payload is random or a MAC, so a token cannot be guessed from the tenant id.
 */
export function uuidToBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

export function bytesToUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function randomTenantToken(tenantId: string, bytes = 24): string {
  return Buffer.concat([uuidToBytes(tenantId), randomBytes(bytes)]).toString('base64url');
}

/** The tenant of a token, or null when it is not one of ours. Never throws on garbage. */
export function tenantOfToken(token: string): string | null {
  if (!/^[A-Za-z0-9_-]{30,120}$/.test(token)) return null;
  const buf = Buffer.from(token, 'base64url');
  if (buf.length < 24) return null;
  const id = bytesToUuid(buf.subarray(0, 16));
  return isUuid(id) ? id : null;
}

/**
 * A token for a row of a tenant that needs no storage: tenant id, row id and a MAC over both with
 * a key derived from the tenant's data key. Destroying that key invalidates every such link.
 */
export function signedRowToken(tenantId: string, rowId: string, mac: (data: Buffer) => Buffer): string {
  const body = Buffer.concat([uuidToBytes(tenantId), uuidToBytes(rowId)]);
  return Buffer.concat([body, mac(body)]).toString('base64url');
}

export interface ParsedRowToken {
  tenantId: string;
  rowId: string;
  body: Buffer;
  mac: Buffer;
}

export function parseRowToken(token: string): ParsedRowToken | null {
  if (!/^[A-Za-z0-9_-]{64}$/.test(token)) return null;
  const buf = Buffer.from(token, 'base64url');
  if (buf.length !== 48) return null;
  const tenantId = bytesToUuid(buf.subarray(0, 16));
  const rowId = bytesToUuid(buf.subarray(16, 32));
  if (!isUuid(tenantId) || !isUuid(rowId)) return null;
  return { tenantId, rowId, body: buf.subarray(0, 32), mac: buf.subarray(32) };
}
