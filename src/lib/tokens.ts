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
 *
 * A token may also carry the row's parent (an invitation's survey): the MAC then covers all three
 * ids, and the respondent's post knows its survey without looking the invitation up. Tokens without
 * a parent (64 characters) and with one (86 characters) are both read.
 */
export function signedRowToken(
  tenantId: string,
  rowId: string,
  mac: (data: Buffer) => Buffer,
  parentId?: string,
): string {
  const body = Buffer.concat([uuidToBytes(tenantId), uuidToBytes(rowId), ...(parentId ? [uuidToBytes(parentId)] : [])]);
  return Buffer.concat([body, mac(body)]).toString('base64url');
}

export interface ParsedRowToken {
  tenantId: string;
  rowId: string;
  /** The parent the token names (an invitation's survey), when it carries one. */
  parentId?: string;
  body: Buffer;
  mac: Buffer;
}

export function parseRowToken(token: string): ParsedRowToken | null {
  if (!/^(?:[A-Za-z0-9_-]{64}|[A-Za-z0-9_-]{86})$/.test(token)) return null;
  const buf = Buffer.from(token, 'base64url');
  if (buf.length !== 48 && buf.length !== 64) return null;
  const withParent = buf.length === 64;
  const tenantId = bytesToUuid(buf.subarray(0, 16));
  const rowId = bytesToUuid(buf.subarray(16, 32));
  const parentId = withParent ? bytesToUuid(buf.subarray(32, 48)) : undefined;
  if (!isUuid(tenantId) || !isUuid(rowId) || (parentId !== undefined && !isUuid(parentId))) return null;
  const bodyLength = withParent ? 48 : 32;
  return {
    tenantId,
    rowId,
    ...(parentId ? { parentId } : {}),
    body: buf.subarray(0, bodyLength),
    mac: buf.subarray(bodyLength),
  };
}
