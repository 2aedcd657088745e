import { createHash } from 'node:crypto';

/**
 * OBLIGATIONS LOG-3: each tenant's audit log is a hash chain. An entry's hash is
 *
 *   hash = SHA-256( prev_hash (32 bytes) || UTF-8( canonical(entry) ) )
 *
 * where prev_hash is the previous entry's hash (32 zero bytes before the first entry) and
 * canonical() is JSON with object keys sorted by code unit, no white space, recursively. The entry
 * holds every column that says what happened: tenant, seq, at, actor, action, subject, ip, request
 * id and details. Anyone with the rows can recompute the chain; no key is needed (the signed
 * checkpoints are what ties it to Peil, see audit_checkpoints).
 *
 * The form is versioned (`v`) so that it can change later without breaking older entries.
 */
export const CHAIN_VERSION = 1;
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

export interface ChainEntry {
  tenant: string;
  seq: number;
  /** Millisecond precision: the value is written and read back exactly (see audit()). */
  at: Date;
  actor: { kind: string; id: string | null };
  action: string;
  subject: { kind: string; id: string } | null;
  ip: string | null;
  requestId: string | null;
  details: unknown;
}

/** JSON with sorted keys and no white space: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    // undefined, functions and symbols have no JSON form; inside objects they are left out (below).
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function')
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Details as they will read back from jsonb: Dates become strings, undefined disappears. */
export function normaliseDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  return JSON.parse(JSON.stringify(details ?? {})) as Record<string, unknown>;
}

export function canonicalEntry(e: ChainEntry): string {
  return canonicalJson({
    v: CHAIN_VERSION,
    tenant: e.tenant,
    seq: e.seq,
    at: e.at.toISOString(),
    actor: { kind: e.actor.kind, id: e.actor.id },
    action: e.action,
    subject: e.subject ? { kind: e.subject.kind, id: e.subject.id } : null,
    ip: e.ip,
    requestId: e.requestId,
    details: e.details,
  });
}

export function chainHash(prev: Buffer, e: ChainEntry): Buffer {
  return createHash('sha256').update(prev).update(canonicalEntry(e), 'utf8').digest();
}

/** The stored row, as Kysely returns it, in chain form. */
export interface AuditRowForChain {
  tenant_id: string;
  seq: number;
  at: Date;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: unknown;
}

export function entryOfRow(r: AuditRowForChain): ChainEntry {
  return {
    tenant: r.tenant_id,
    seq: Number(r.seq),
    at: new Date(r.at),
    actor: { kind: r.actor_kind, id: r.actor_id },
    action: r.action,
    subject:
      r.subject_kind !== null || r.subject_id !== null ? { kind: r.subject_kind ?? '', id: r.subject_id ?? '' } : null,
    ip: r.ip,
    requestId: r.request_id,
    details: r.details,
  };
}
