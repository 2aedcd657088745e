import { sql } from 'kysely';
import type { Db, Tx } from '../../lib/db/db.js';
import type { CheckpointReason } from '../../lib/db/schema.js';
import { canonicalJson, chainHash, entryOfRow, GENESIS_HASH } from '../../lib/audit-chain.js';
import type { CheckpointSigner } from '../../lib/crypto/signing.js';

/**
 * OBLIGATIONS LOG-3: walking a tenant's hash chain, signing checkpoints of its head, and naming the
 * first entry that does not hold. Three callers:
 *
 * - verifyTenant(): the whole remaining chain, from genesis or from the signed prune checkpoint that
 *   stands in for removed entries (LOG-4), to the head (`peil audit verify`, the customer's check);
 * - checkpointTenant(): only the entries since the last checkpoint, then signs the head, so a
 *   checkpoint never signs a chain that does not verify;
 * - the prune (retention.ts): from the last checkpoint before the boundary to the boundary.
 */

export type ChainProblemKind =
  /** An entry's content no longer matches its hash, or an entry was changed and re-hashed. */
  | 'altered'
  /** Entries are missing: a gap in seq, a cut-off end, or a start without a prune checkpoint. */
  | 'removed'
  /** An entry that Peil did not write: a second entry with a taken seq, or entries past the head. */
  | 'inserted'
  /** The chain holds together but differs from what a signed checkpoint recorded: rewritten. */
  | 'rewritten'
  /** A checkpoint whose signature does not verify with this master key's signing key. */
  | 'forged-checkpoint'
  /** A signed head held by the customer (anchor.ts) whose signature does not verify, or of another customer. */
  | 'forged-head';

export interface ChainProblem {
  kind: ChainProblemKind;
  seq: number | null;
  id: number | null;
  message: string;
}

export interface ChainPoint {
  seq: number;
  hash: Buffer;
}

interface CheckpointRow {
  id: number;
  seq: number;
  hash: Buffer;
  at: Date;
  reason: CheckpointReason;
  key_id: string;
  signature: Buffer;
}

interface EventRow {
  tenant_id: string;
  id: number;
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
  prev_hash: Buffer | null;
  hash: Buffer | null;
}

const BATCH = 2000;

export function checkpointPayload(
  tenantId: string,
  c: { seq: number; hash: Buffer; at: Date; reason: string; key_id: string },
): string {
  return canonicalJson({
    v: 1,
    tenant: tenantId,
    seq: Number(c.seq),
    hash: c.hash.toString('hex'),
    at: new Date(c.at).toISOString(),
    reason: c.reason,
    keyId: c.key_id,
  });
}

async function loadCheckpoints(tx: Tx, tenantId: string): Promise<CheckpointRow[]> {
  const rows = await tx
    .selectFrom('audit_checkpoints')
    .select(['id', 'seq', 'hash', 'at', 'reason', 'key_id', 'signature'])
    .where('tenant_id', '=', tenantId)
    .orderBy('seq')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), seq: Number(r.seq), at: new Date(r.at) }));
}

function checkSignature(tenantId: string, signer: CheckpointSigner, c: CheckpointRow): ChainProblem | null {
  if (c.key_id !== signer.keyId) {
    return {
      kind: 'forged-checkpoint',
      seq: c.seq,
      id: null,
      message: `the checkpoint at seq ${c.seq} (${c.at.toISOString()}) names signing key ${c.key_id}, not this master key's ${signer.keyId}: forged, or the master key is not the one in use`,
    };
  }
  if (!signer.verify(checkpointPayload(tenantId, c), c.signature)) {
    return {
      kind: 'forged-checkpoint',
      seq: c.seq,
      id: null,
      message: `the signature of the checkpoint at seq ${c.seq} (${c.at.toISOString()}) does not verify: the checkpoint was forged or altered`,
    };
  }
  return null;
}

async function head(tx: Tx, tenantId: string, forUpdate: boolean): Promise<ChainPoint> {
  const res = forUpdate
    ? await sql<{
        seq: number;
        hash: Buffer;
      }>`SELECT seq, hash FROM audit_heads WHERE tenant_id = ${tenantId} FOR UPDATE`.execute(tx)
    : await sql<{ seq: number; hash: Buffer }>`SELECT seq, hash FROM audit_heads WHERE tenant_id = ${tenantId}`.execute(
        tx,
      );
  const row = res.rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
}

/**
 * Where a walk over the remaining entries starts: genesis when entry 1 is still there; otherwise the
 * signed prune checkpoint just before the first remaining entry, which vouches that the entries
 * before it were removed by retention and what the last of them hashed to.
 */
async function startAnchor(
  tx: Tx,
  tenantId: string,
  signer: CheckpointSigner,
  checkpoints: CheckpointRow[],
): Promise<{ anchor: ChainPoint; first: { seq: number; id: number } | null } | { problem: ChainProblem }> {
  const first = await tx
    .selectFrom('audit_events')
    .select(['seq', 'id'])
    .where('tenant_id', '=', tenantId)
    .orderBy('seq')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!first) return { anchor: { seq: 0, hash: GENESIS_HASH }, first: null };
  const s0 = Number(first.seq);
  if (s0 === 1) return { anchor: { seq: 0, hash: GENESIS_HASH }, first: { seq: 1, id: Number(first.id) } };
  const prune = checkpoints.find((c) => c.seq === s0 - 1 && c.reason === 'prune');
  if (!prune) {
    return {
      problem: {
        kind: 'removed',
        seq: s0,
        id: Number(first.id),
        message: `entries 1..${s0 - 1} are missing and no signed prune checkpoint at seq ${s0 - 1} vouches for their removal (removed outside Peil)`,
      },
    };
  }
  const bad = checkSignature(tenantId, signer, prune);
  if (bad) return { problem: bad };
  return { anchor: { seq: prune.seq, hash: prune.hash }, first: { seq: s0, id: Number(first.id) } };
}

interface WalkResult {
  last: ChainPoint;
  entries: number;
  problem: ChainProblem | null;
}

/**
 * Checks the entries after `anchor` up to `toSeq`: seq without gaps or repeats, each linked to the
 * one before, each hash recomputed from its content, and each equal to every checkpoint at its seq.
 * Stops at the first problem.
 */
async function walk(
  tx: Tx,
  tenantId: string,
  anchor: ChainPoint,
  toSeq: number,
  checkpoints: CheckpointRow[],
): Promise<WalkResult> {
  const bySeq = new Map<number, CheckpointRow[]>();
  for (const c of checkpoints) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  let prev = anchor.hash;
  let prevSeq = anchor.seq;
  let expected = anchor.seq + 1;
  let entries = 0;
  // Keyset cursor over (seq, id); before the first batch, everything after the anchor's seq.
  let cursor: { seq: number; id: number } | null = null;
  let group: EventRow[] = [];

  const check = (rows: EventRow[]): ChainProblem | null => {
    const s = rows[0]!.seq;
    if (s > expected) {
      return {
        kind: 'removed',
        seq: expected,
        id: rows[0]!.id,
        message: `entr${s - expected === 1 ? 'y' : 'ies'} ${expected === s - 1 ? expected : `${expected}..${s - 1}`} missing (removed) before entry seq ${s} (id ${rows[0]!.id})`,
      };
    }
    const sound = (r: EventRow) =>
      r.hash !== null &&
      r.prev_hash !== null &&
      r.prev_hash.equals(prev) &&
      chainHash(prev, entryOfRow(r)).equals(r.hash);
    if (rows.length > 1) {
      const intruder = rows.find((r) => !sound(r)) ?? rows[rows.length - 1]!;
      const holder = rows.find((r) => r !== intruder)!;
      return {
        kind: 'inserted',
        seq: s,
        id: intruder.id,
        message: `entry id ${intruder.id} claims seq ${s}, which entry id ${holder.id} holds: inserted outside Peil`,
      };
    }
    const r = rows[0]!;
    if (r.hash === null || r.prev_hash === null)
      return {
        kind: 'altered',
        seq: s,
        id: r.id,
        message: `entry seq ${s} (id ${r.id}) has no hash: altered or inserted outside Peil`,
      };
    if (!r.prev_hash.equals(prev)) {
      const selfConsistent = chainHash(r.prev_hash, entryOfRow(r)).equals(r.hash);
      return {
        kind: selfConsistent ? 'altered' : 'inserted',
        seq: selfConsistent && prevSeq > anchor.seq ? prevSeq : s,
        id: r.id,
        message: selfConsistent
          ? `entry seq ${s} (id ${r.id}) links to a different hash than entry seq ${prevSeq} has now: entry seq ${prevSeq} was altered and re-hashed, or entry seq ${s} was moved there`
          : `entry seq ${s} (id ${r.id}) does not link to entry seq ${prevSeq} and does not match its own hash: inserted or altered outside Peil`,
      };
    }
    if (!chainHash(prev, entryOfRow(r)).equals(r.hash)) {
      return {
        kind: 'altered',
        seq: s,
        id: r.id,
        message: `entry seq ${s} (id ${r.id}, ${r.action}) was altered: its content no longer matches its hash`,
      };
    }
    for (const c of bySeq.get(s) ?? []) {
      if (!c.hash.equals(r.hash)) {
        return {
          kind: 'rewritten',
          seq: s,
          id: r.id,
          message: `entry seq ${s} (id ${r.id}) differs from the checkpoint signed at ${c.at.toISOString()}: the log up to seq ${s} was rewritten`,
        };
      }
    }
    prev = r.hash;
    prevSeq = s;
    expected = s + 1;
    entries++;
    return null;
  };

  for (;;) {
    const rows = await tx
      .selectFrom('audit_events')
      .select([
        'tenant_id',
        'id',
        'seq',
        'at',
        'actor_kind',
        'actor_id',
        'action',
        'subject_kind',
        'subject_id',
        'ip',
        'request_id',
        'details',
        'prev_hash',
        'hash',
      ])
      .where('tenant_id', '=', tenantId)
      .where((eb) =>
        cursor
          ? eb.or([eb('seq', '>', cursor.seq), eb.and([eb('seq', '=', cursor.seq), eb('id', '>', cursor.id)])])
          : eb('seq', '>', anchor.seq),
      )
      .where('seq', '<=', toSeq)
      .orderBy('seq')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const raw of rows) {
      const r: EventRow = { ...raw, id: Number(raw.id), seq: Number(raw.seq), at: new Date(raw.at) };
      if (group.length && group[0]!.seq !== r.seq) {
        const p = check(group);
        if (p) return { last: { seq: prevSeq, hash: prev }, entries, problem: p };
        group = [];
      }
      group.push(r);
      cursor = { seq: r.seq, id: r.id };
    }
    if (rows.length < BATCH) break;
  }
  if (group.length) {
    const p = check(group);
    if (p) return { last: { seq: prevSeq, hash: prev }, entries, problem: p };
  }
  if (prevSeq < toSeq) {
    return {
      last: { seq: prevSeq, hash: prev },
      entries,
      problem: {
        kind: 'removed',
        seq: prevSeq + 1,
        id: null,
        message: `entries ${prevSeq + 1}..${toSeq} are missing (removed from the end of the log)`,
      },
    };
  }
  return { last: { seq: prevSeq, hash: prev }, entries, problem: null };
}

export interface TenantVerification {
  tenantId: string;
  ok: boolean;
  /** The first entry checked (after genesis or after the prune checkpoint), and the last. */
  fromSeq: number | null;
  toSeq: number | null;
  entries: number;
  start: 'genesis' | 'prune-checkpoint' | 'none';
  checkpoints: number;
  lastCheckpoint: { seq: number; at: string } | null;
  /** Entries after the last checkpoint: covered by the chain, and by a signature at the next checkpoint. */
  unsigned: number;
  problem: ChainProblem | null;
}

/** The whole remaining chain of the tenant of this transaction, to its head. Reads only. */
export async function verifyChain(tx: Tx, tenantId: string, signer: CheckpointSigner): Promise<TenantVerification> {
  const checkpoints = await loadCheckpoints(tx, tenantId);
  const h = await head(tx, tenantId, false);
  const result = (partial: Partial<TenantVerification> & { problem: ChainProblem | null }): TenantVerification => {
    const last = checkpoints[checkpoints.length - 1];
    return {
      tenantId,
      ok: partial.problem === null,
      fromSeq: null,
      toSeq: null,
      entries: 0,
      start: 'none',
      checkpoints: checkpoints.length,
      lastCheckpoint: last ? { seq: last.seq, at: last.at.toISOString() } : null,
      unsigned: Math.max(0, h.seq - (last?.seq ?? 0)),
      ...partial,
    };
  };
  const start = await startAnchor(tx, tenantId, signer, checkpoints);
  if ('problem' in start) return result({ problem: start.problem });
  if (!start.first) {
    if (h.seq > 0)
      return result({
        problem: {
          kind: 'removed',
          seq: 1,
          id: null,
          message: `all ${h.seq} entries are missing (the head says seq ${h.seq})`,
        },
      });
    return result({ problem: null });
  }
  // Only checkpoints from the start on count; older ones belong to entries removed by retention.
  const relevant = checkpoints.filter((c) => c.seq >= start.anchor.seq);
  for (const c of relevant) {
    const bad = checkSignature(tenantId, signer, c);
    if (bad) return result({ problem: bad });
  }
  const w = await walk(tx, tenantId, start.anchor, Math.max(h.seq, ...relevant.map((c) => c.seq)), relevant);
  const base = {
    fromSeq: start.first.seq,
    toSeq: w.last.seq,
    entries: w.entries,
    start: start.anchor.seq === 0 ? ('genesis' as const) : ('prune-checkpoint' as const),
  };
  if (w.problem) return result({ ...base, problem: w.problem });
  const beyond = await tx
    .selectFrom('audit_events')
    .select(['id', 'seq'])
    .where('tenant_id', '=', tenantId)
    .where('seq', '>', h.seq)
    .orderBy('seq')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (beyond) {
    return result({
      ...base,
      problem: {
        kind: 'inserted',
        seq: Number(beyond.seq),
        id: Number(beyond.id),
        message: `entry seq ${beyond.seq} (id ${beyond.id}) lies past the chain head (seq ${h.seq}): inserted outside Peil`,
      },
    });
  }
  if (!w.last.hash.equals(h.hash)) {
    return result({
      ...base,
      problem: {
        kind: 'altered',
        seq: w.last.seq,
        id: null,
        message: `the chain head does not match entry seq ${w.last.seq}: the head or the last entry was altered`,
      },
    });
  }
  return result({ ...base, problem: null });
}

/** Records a verification's outcome for the tenant (shown in the security measures, SEC-4). */
export async function recordVerification(
  tx: Tx,
  tenantId: string,
  v: Pick<TenantVerification, 'ok' | 'fromSeq' | 'toSeq' | 'entries' | 'problem'>,
): Promise<void> {
  await tx
    .insertInto('audit_verifications')
    .values({
      tenant_id: tenantId,
      ok: v.ok,
      from_seq: v.fromSeq,
      to_seq: v.toSeq,
      entries: v.entries,
      problem: v.problem ? `${v.problem.kind}: ${v.problem.message}` : null,
    })
    .execute();
}

export async function verifyTenant(db: Db, tenantId: string, signer: CheckpointSigner): Promise<TenantVerification> {
  const v = await db.tenant(tenantId, (tx) => verifyChain(tx, tenantId, signer), { isolation: 'repeatable read' });
  await db.tenant(tenantId, (tx) => recordVerification(tx, tenantId, v));
  return v;
}

async function insertCheckpoint(
  tx: Tx,
  tenantId: string,
  signer: CheckpointSigner,
  point: ChainPoint,
  reason: CheckpointReason,
): Promise<{ seq: number; at: Date }> {
  const at = new Date();
  const c = { seq: point.seq, hash: point.hash, at, reason, key_id: signer.keyId };
  await tx
    .insertInto('audit_checkpoints')
    .values({
      tenant_id: tenantId,
      seq: c.seq,
      hash: c.hash,
      at,
      reason,
      key_id: c.key_id,
      signature: signer.sign(checkpointPayload(tenantId, c)),
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'seq', 'reason']).doNothing())
    .execute();
  return { seq: c.seq, at };
}

/**
 * Signs the tenant's chain head, after checking the entries since the last checkpoint (so a chain
 * that does not verify is never signed). Nothing happens when no entry was added since. The head is
 * locked, so appends wait for the (short) check and no entry slips in between.
 */
export async function checkpointChain(
  tx: Tx,
  tenantId: string,
  signer: CheckpointSigner,
  reason: CheckpointReason = 'periodic',
): Promise<{ signed: { seq: number; at: Date } | null; problem: ChainProblem | null }> {
  const h = await head(tx, tenantId, true);
  if (h.seq === 0) return { signed: null, problem: null };
  const checkpoints = await loadCheckpoints(tx, tenantId);
  const latest = checkpoints[checkpoints.length - 1];
  if (latest && latest.seq === h.seq && reason !== 'manual') return { signed: null, problem: null };
  let anchor: ChainPoint;
  if (latest && latest.seq <= h.seq) {
    const bad = checkSignature(tenantId, signer, latest);
    if (bad) return { signed: null, problem: bad };
    anchor = { seq: latest.seq, hash: latest.hash };
  } else {
    const start = await startAnchor(tx, tenantId, signer, checkpoints);
    if ('problem' in start) return { signed: null, problem: start.problem };
    anchor = start.anchor;
  }
  const w = await walk(
    tx,
    tenantId,
    anchor,
    h.seq,
    checkpoints.filter((c) => c.seq > anchor.seq),
  );
  if (w.problem) return { signed: null, problem: w.problem };
  if (!w.last.hash.equals(h.hash))
    return {
      signed: null,
      problem: { kind: 'altered', seq: h.seq, id: null, message: `the chain head does not match entry seq ${h.seq}` },
    };
  return { signed: await insertCheckpoint(tx, tenantId, signer, h, reason), problem: null };
}

/**
 * The hash of entry `boundary`, checked from the last checkpoint at or before it (or from the start),
 * and a signed prune checkpoint there. Used by retention before it removes the entries up to it.
 */
export async function checkpointForPrune(
  tx: Tx,
  tenantId: string,
  signer: CheckpointSigner,
  boundary: number,
): Promise<{ problem: ChainProblem | null }> {
  const checkpoints = await loadCheckpoints(tx, tenantId);
  const before = checkpoints.filter((c) => c.seq <= boundary);
  const latest = before[before.length - 1];
  let anchor: ChainPoint;
  if (latest) {
    const bad = checkSignature(tenantId, signer, latest);
    if (bad) return { problem: bad };
    anchor = { seq: latest.seq, hash: latest.hash };
  } else {
    const start = await startAnchor(tx, tenantId, signer, checkpoints);
    if ('problem' in start) return { problem: start.problem };
    anchor = start.anchor;
  }
  const w = await walk(
    tx,
    tenantId,
    anchor,
    boundary,
    checkpoints.filter((c) => c.seq > anchor.seq && c.seq <= boundary),
  );
  if (w.problem) return { problem: w.problem };
  await insertCheckpoint(tx, tenantId, signer, { seq: boundary, hash: w.last.hash }, 'prune');
  return { problem: null };
}

/** Every tenant id (global table), for the jobs and commands that visit all tenants. */
export async function tenantIds(db: Db, slug?: string): Promise<Array<{ id: string; slug: string }>> {
  return db.global((tx) => {
    let q = tx.selectFrom('tenants').select(['id', 'slug']).orderBy('created_at');
    if (slug) q = q.where('slug', '=', slug);
    return q.execute();
  });
}
