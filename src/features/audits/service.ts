import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode, type ProblemItem } from '../../lib/errors.js';
import { dateIn, type IsoDate } from '../agreement/dates.js';
import { DEFAULT_TERMS } from '../agreement/terms.js';

/**
 * OBLIGATIONS AUD-1: a customer's audit requests (seeds 001 art. 4.1, 003 art. 8.1, 004 art. 6.1-6.3,
 * 000 Annex 10). A request is accepted only when
 * - its proposed date is at least the agreed `auditNoticeDays` after today (Europe/Amsterdam), and
 * - the customer has fewer than the agreed `auditsPerYear` accepted (or done) requests for the
 *   CALENDAR YEAR of the proposed date ("niet vaker dan één keer per kalenderjaar"; a cancelled
 *   request does not count).
 * Otherwise nothing is stored and the answer is 422 naming the rule and the earliest allowed date.
 * The auditor's name and the scope are sealed with the customer's key.
 */

export type AuditStatus = 'accepted' | 'done' | 'cancelled';

export interface AuditRequest {
  id: string;
  proposedDate: IsoDate;
  auditorName: string;
  scope: string;
  status: AuditStatus;
  requestedBy: string;
  requestedAt: string;
  statusChangedAt: string | null;
}

export interface AuditRules {
  auditsPerYear: number;
  auditNoticeDays: number;
  /** The earliest date a request could propose today (null: the agreement allows no audits). */
  earliestAllowedDate: IsoDate | null;
}

const addDays = (d: IsoDate, n: number): IsoDate =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function terms(tx: Tx, tenantId: string): Promise<{ perYear: number; noticeDays: number }> {
  const row = await tx
    .selectFrom('agreements')
    .select(['audits_per_year', 'audit_notice_days'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return {
    perYear: row?.audits_per_year ?? DEFAULT_TERMS.auditsPerYear,
    noticeDays: row?.audit_notice_days ?? DEFAULT_TERMS.auditNoticeDays,
  };
}

/** Accepted (or done) requests per calendar year of the proposed date. */
async function countsByYear(tx: Tx): Promise<Map<number, number>> {
  const rows = await sql<{ year: number; n: string }>`
    SELECT extract(year FROM proposed_date)::int AS year, count(*) AS n FROM audit_requests WHERE status IN ('accepted', 'done') GROUP BY 1`.execute(
    tx,
  );
  return new Map(rows.rows.map((r) => [Number(r.year), Number(r.n)]));
}

/** The earliest date on or after `from` in a calendar year that still has room. */
function earliestFrom(from: IsoDate, perYear: number, counts: Map<number, number>): IsoDate | null {
  if (perYear <= 0) return null;
  let year = Number(from.slice(0, 4));
  while ((counts.get(year) ?? 0) >= perYear) year++;
  const jan1 = `${String(year).padStart(4, '0')}-01-01`;
  return jan1 > from ? jan1 : from;
}

export async function auditRules(tx: Tx, tenantId: string, now = new Date()): Promise<AuditRules> {
  const t = await terms(tx, tenantId);
  return {
    auditsPerYear: t.perYear,
    auditNoticeDays: t.noticeDays,
    earliestAllowedDate: earliestFrom(addDays(dateIn(now), t.noticeDays), t.perYear, await countsByYear(tx)),
  };
}

export async function listRequests(ctx: AppContext, tx: Tx, tenantId: string): Promise<AuditRequest[]> {
  const rows = await tx
    .selectFrom('audit_requests')
    .select([
      'id',
      'auditor_name_enc',
      'scope_enc',
      'status',
      'requested_by',
      'requested_at',
      'status_changed_at',
      sql<string>`proposed_date::text`.as('date'),
    ])
    .where('tenant_id', '=', tenantId)
    .orderBy('proposed_date', 'desc')
    .orderBy('requested_at', 'desc')
    .execute();
  if (!rows.length) return [];
  const keys = await ctx.keyring.forTenant(tenantId, tx).catch(() => null);
  const open = (b: Buffer) => (keys ? keys.open(b) : '(erased)');
  return rows.map((r) => ({
    id: r.id,
    proposedDate: r.date,
    auditorName: open(r.auditor_name_enc),
    scope: open(r.scope_enc),
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: new Date(r.requested_at).toISOString(),
    statusChangedAt: r.status_changed_at ? new Date(r.status_changed_at).toISOString() : null,
  }));
}

export interface RequestInput {
  proposedDate: IsoDate;
  auditorName: string;
  scope: string;
}

/** An owner's request (AUD-1): accepted and stored, or refused with 422 naming each rule broken and the earliest allowed date. */
export async function requestAudit(
  ctx: AppContext,
  tenantId: string,
  userId: string,
  input: RequestInput,
  actor: Actor,
  now = new Date(),
): Promise<AuditRequest> {
  return ctx.db.tenant(tenantId, async (tx) => {
    // One request at a time per customer, so two at once cannot both take the year's last place.
    await sql`SELECT 1 FROM agreements WHERE tenant_id = ${tenantId} FOR UPDATE`.execute(tx);
    const t = await terms(tx, tenantId);
    const counts = await countsByYear(tx);
    const minDate = addDays(dateIn(now), t.noticeDays);
    const year = Number(input.proposedDate.slice(0, 4));
    const errors: ProblemItem[] = [];
    const rules: string[] = [];
    if (input.proposedDate < minDate) {
      rules.push('notice');
      errors.push({
        pointer: '/body/proposedDate',
        reason: `at least ${t.noticeDays} days' notice: on or after ${minDate} / minstens ${t.noticeDays} dagen vooraf: op of na ${minDate}`,
        value: input.proposedDate,
      });
    }
    if ((counts.get(year) ?? 0) >= t.perYear) {
      rules.push('frequency');
      errors.push({
        pointer: '/body/proposedDate',
        reason: `at most ${t.perYear} audit(s) per calendar year; ${year} has ${counts.get(year) ?? 0} / maximaal ${t.perYear} audit(s) per kalenderjaar; ${year} heeft er ${counts.get(year) ?? 0}`,
        value: input.proposedDate,
      });
    }
    if (errors.length) {
      const earliest = earliestFrom(input.proposedDate > minDate ? input.proposedDate : minDate, t.perYear, counts);
      const params = { rules: rules.join(', '), earliest: earliest ?? 'none' };
      throw new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:audits.breaksAgreement', params },
        {
          errors,
          extra: { rules, earliestAllowedDate: earliest, auditsPerYear: t.perYear, auditNoticeDays: t.noticeDays },
        },
      );
    }
    const keys = await ctx.keyring.forTenant(tenantId, tx);
    const id = randomUUID();
    await tx
      .insertInto('audit_requests')
      .values({
        tenant_id: tenantId,
        id,
        requested_by: userId,
        requested_at: now,
        proposed_date: input.proposedDate,
        auditor_name_enc: keys.seal(input.auditorName),
        scope_enc: keys.seal(input.scope),
      })
      .execute();
    await audit(tx, tenantId, actor, {
      action: AuditAction.AUDIT_REQUESTED,
      subject: { kind: 'audit_request', id },
      details: { proposedDate: input.proposedDate, year },
    });
    return (await listRequests(ctx, tx, tenantId)).find((r) => r.id === id)!;
  });
}

export interface OperatorAuditRequest extends AuditRequest {
  tenantId: string;
  tenantName: string;
}

/** Every customer's requests, for the operator (one customer transaction each: the names are sealed per customer). */
export async function operatorRequests(ctx: AppContext): Promise<OperatorAuditRequest[]> {
  const tenants = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select(['id', 'name']).orderBy('name').execute(),
  );
  const out: OperatorAuditRequest[] = [];
  for (const t of tenants) {
    const rows = await ctx.db.tenant(t.id, (tx) => listRequests(ctx, tx, t.id));
    out.push(...rows.map((r) => ({ ...r, tenantId: t.id, tenantName: t.name })));
  }
  return out.sort((a, b) => (a.proposedDate < b.proposedDate ? -1 : a.proposedDate > b.proposedDate ? 1 : 0));
}

/** The operator marks a request done or cancelled, in the customer's chain. */
export async function setRequestStatus(
  ctx: AppContext,
  tenantId: string,
  id: string,
  status: 'done' | 'cancelled',
  actor: Actor,
  now = new Date(),
): Promise<void> {
  if (!isUuid(tenantId)) throw AppError.notFound('customer');
  if (!isUuid(id)) throw AppError.notFound('audit request');
  const tenant = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst(),
  );
  if (!tenant) throw AppError.notFound('customer');
  await ctx.db.tenant(tenantId, async (tx) => {
    const row = await tx
      .selectFrom('audit_requests')
      .select('status')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw AppError.notFound('audit request');
    if (row.status !== 'accepted')
      throw new AppError(ErrorCode.CONFLICT, { key: 'problems:audits.alreadyClosed', params: { status: row.status } });
    await tx
      .updateTable('audit_requests')
      .set({ status, status_changed_at: now, status_changed_by: actor.id })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    await audit(tx, tenantId, actor, {
      action: AuditAction.AUDIT_REQUEST_CHANGED,
      subject: { kind: 'audit_request', id },
      details: { from: row.status, to: status },
    });
  });
}
