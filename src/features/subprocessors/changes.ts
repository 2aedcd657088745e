import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, systemActor, type Actor } from '../../lib/audit.js';
import { isUuid, type Db, type Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { bilingual, bilingualSubject, bilingualText } from '../../lib/i18n.js';
import type { MailMessage } from '../../lib/mail/mailer.js';
import { dateIn } from '../agreement/dates.js';
import { noticeRecipients } from '../agreement/service.js';
import { DEFAULT_TERMS } from '../agreement/terms.js';
import { insideEea, type Safeguard, type SubprocessorKind } from './eea.js';
import type { RegisterEntry } from './service.js';
import { log } from '../../lib/log.js';
import { runLeased } from '../../lib/tick.js';

/**
 * OBLIGATIONS SUB-2: a change of the register (an entry that starts to apply to a customer, or an
 * entry that applies and changes) is announced to every affected customer in writing and is not
 * applied to that customer during its objection window, nor after an objection until the operator
 * resolves it.
 *
 * - One row per customer per change (`subprocessor_changes`), written in that customer's transaction
 *   with its audit row. A newer change of the same entry supersedes a pending one; an objection stays.
 * - The notice goes to the agreement's privacy contact (agreements.privacy_contact_email); a customer
 *   without one is told through its active owners (the people who bind it). It is sent after the
 *   commit; the window (the customer's agreed `subprocessorObjectionDays`, calendar days) starts on the
 *   day the notice went out, so silence counts only after the customer was told. The last day to
 *   object is that day + the agreed days (Europe/Amsterdam), inclusive.
 * - `settleSubprocessorChanges(db, now)` (the tick, with a controllable clock) applies pending changes
 *   whose last day lies before `now`'s date: silence is consent.
 * - An owner objects (reason, who, when; the reason sealed with the customer's key) while the window
 *   runs. The operator resolves: `withdraw` (the entry no longer applies to that customer: a listed
 *   entry is unassigned, an entry for all is excluded for it) or `override` (after agreement with the
 *   customer, with a note saying so; the change applies).
 * - "Not applied" is what subprocessorAllowed(tx, kind) answers: an entry with an open change or an
 *   objection is not applied, so for kind 'ai' the labelling run does not use the external provider.
 *   An entry outside the EEA still needs the customer's explicit consent afterwards (SUB-3).
 */

/** A register entry as announced to a customer (without its id and the note on its safeguards). */
export type EntrySnapshot = Omit<RegisterEntry, 'id' | 'safeguardsNote'>;

export type ChangeKind = 'added' | 'changed';
export type ChangeStatus = 'pending' | 'objected' | 'applied' | 'withdrawn' | 'overridden' | 'superseded';

/** The fields whose change is announced; a changed note on the safeguards alone is editorial. */
export const ANNOUNCED_FIELDS = ['name', 'service', 'location', 'country', 'safeguards', 'kind'] as const;

export function snapshotOf(r: {
  name: string;
  service: string;
  location: string;
  country: string;
  safeguards: string[];
  kind: SubprocessorKind;
}): EntrySnapshot {
  return {
    name: r.name,
    service: r.service,
    location: r.location,
    country: r.country,
    insideEea: insideEea(r.country),
    safeguards: r.safeguards as Safeguard[],
    kind: r.kind,
  };
}

/** The open state of one entry for the customer of the transaction, as applicableSubprocessors reads it. */
export interface ChangeState {
  id: string;
  change: ChangeKind;
  status: 'pending' | 'objected';
  windowEndsOn: string | null;
  previous: EntrySnapshot | null;
  objection: { by: string; at: string } | null;
}

export interface EntryChanges {
  /** The open change that decides the entry's status (an objection before a pending one), or null. */
  open: ChangeState | null;
  /** The operator withdrew the entry for this customer (its last change was withdrawn). */
  excluded: boolean;
}

/** Per entry id: its open change and whether it is excluded, for the customer of this transaction. */
export async function changesByEntry(tx: Tx): Promise<Map<string, EntryChanges>> {
  const rows = await tx
    .selectFrom('subprocessor_changes')
    .select([
      'id',
      'subprocessor_id',
      'change',
      'status',
      'previous',
      'objected_by',
      'objected_at',
      sql<string | null>`window_ends_on::text`.as('window'),
    ])
    .where('status', '<>', 'superseded')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const out = new Map<string, EntryChanges>();
  for (const r of rows) {
    const e = out.get(r.subprocessor_id) ?? { open: null, excluded: false };
    e.excluded = r.status === 'withdrawn';
    if (r.status === 'objected' || (r.status === 'pending' && e.open?.status !== 'objected')) {
      e.open = {
        id: r.id,
        change: r.change,
        status: r.status,
        windowEndsOn: r.window,
        previous: (r.previous as EntrySnapshot | null) ?? null,
        objection:
          r.objected_by && r.objected_at ? { by: r.objected_by, at: new Date(r.objected_at).toISOString() } : null,
      };
    }
    out.set(r.subprocessor_id, e);
  }
  return out;
}

async function objectionDays(tx: Tx, tenantId: string): Promise<number> {
  const row = await tx
    .selectFrom('agreements')
    .select('subprocessor_objection_days')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.subprocessor_objection_days ?? DEFAULT_TERMS.subprocessorObjectionDays;
}

/**
 * Records a change for the customer of this transaction, with its audit row; a pending change of the
 * same entry is superseded (the new notice replaces it), an objected one stays.
 */
export async function announceChange(
  tx: Tx,
  tenantId: string,
  c: { subprocessorId: string; change: ChangeKind; entry: EntrySnapshot; previous: EntrySnapshot | null },
  actor: Actor,
): Promise<string> {
  const id = randomUUID();
  const days = await objectionDays(tx, tenantId);
  await tx
    .updateTable('subprocessor_changes')
    .set({ status: 'superseded' })
    .where('tenant_id', '=', tenantId)
    .where('subprocessor_id', '=', c.subprocessorId)
    .where('status', '=', 'pending')
    .execute();
  await tx
    .insertInto('subprocessor_changes')
    .values({
      tenant_id: tenantId,
      id,
      subprocessor_id: c.subprocessorId,
      change: c.change,
      entry: JSON.stringify(c.entry),
      previous: c.previous ? JSON.stringify(c.previous) : null,
      objection_days: days,
      created_by: actor.id,
    })
    .execute();
  const changed = c.previous
    ? ANNOUNCED_FIELDS.filter((f) => JSON.stringify(c.previous![f]) !== JSON.stringify(c.entry[f]))
    : [];
  await audit(tx, tenantId, actor, {
    action: AuditAction.SUBPROCESSOR_CHANGE_ANNOUNCED,
    subject: { kind: 'subprocessor', id: c.subprocessorId },
    details: { changeId: id, change: c.change, name: c.entry.name, fields: changed, objectionDays: days },
  });
  return id;
}

/** Marks the open changes of an entry withdrawn for the customer of this transaction (unassigned or withdrawn by the operator). */
export async function withdrawOpen(
  tx: Tx,
  tenantId: string,
  subprocessorId: string,
  by: string | null,
  note: Buffer | null,
  now: Date,
): Promise<string[]> {
  const rows = await tx
    .updateTable('subprocessor_changes')
    .set({ status: 'withdrawn', resolved_at: now, resolved_by: by, resolution_note_enc: note })
    .where('tenant_id', '=', tenantId)
    .where('subprocessor_id', '=', subprocessorId)
    .where('status', 'in', ['pending', 'objected'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

// ------------------------------------------------------------------------------------------ notices

const LONG = { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' } as const;
/** A calendar date as a Dutch and an English reader write it ('2027-01-12': 12 januari 2027 / 12 January 2027). */
export function longDate(d: string): { nl: string; en: string } {
  const at = new Date(`${d}T00:00:00Z`);
  return {
    nl: new Intl.DateTimeFormat('nl-NL', LONG).format(at),
    en: new Intl.DateTimeFormat('en-GB', LONG).format(at),
  };
}

function fieldValue(e: EntrySnapshot, f: (typeof ANNOUNCED_FIELDS)[number]): string {
  const v = e[f];
  return Array.isArray(v) ? v.join(', ') || '-' : String(v);
}

/** The notice of one change, Dutch first, English beside it (SUB-2). */
export function composeChangeNotice(
  n: { change: ChangeKind; entry: EntrySnapshot; previous: EntrySnapshot | null; windowEndsOn: string; days: number },
  to: string,
  baseUrl: string,
): MailMessage {
  const e = n.entry;
  const until = longDate(n.windowEndsOn);
  const link = `${baseUrl}/app/privacy/subprocessors`;
  const diff = n.previous ? ANNOUNCED_FIELDS.filter((f) => fieldValue(n.previous!, f) !== fieldValue(e, f)) : [];
  const text = bilingual((t, lang) => {
    const field = (f: (typeof ANNOUNCED_FIELDS)[number]) => t(`mails:subprocessorChange.field.${f}`);
    const eea = t(e.insideEea ? 'mails:subprocessorChange.insideEea' : 'mails:subprocessorChange.outsideEea');
    return [
      t('mails:staff.dearPrivacy'),
      '',
      t(n.change === 'added' ? 'mails:subprocessorChange.added' : 'mails:subprocessorChange.changed', { name: e.name }),
      `- ${field('name')}: ${e.name}`,
      `- ${field('service')}: ${e.service}`,
      `- ${field('location')}: ${e.location}, ${e.country} (${eea})`,
      `- ${field('safeguards')}: ${e.safeguards.join(', ') || '-'}`,
      ...(diff.length
        ? [
            t('mails:staff.changedTitle'),
            ...diff.map((f) => `  ${field(f)}: ${fieldValue(n.previous!, f)} -> ${fieldValue(e, f)}`),
          ]
        : []),
      '',
      t('mails:subprocessorChange.objection', { until: until[lang], days: n.days }),
      ...(e.insideEea ? [] : [t('mails:subprocessorChange.outsideEeaConsent')]),
      t('mails:subprocessorChange.link', { link }),
    ];
  });
  const subject = bilingualSubject(
    n.change === 'added' ? 'mails:subprocessorChange.addedSubject' : 'mails:subprocessorChange.changedSubject',
    { name: e.name },
  );
  return { to, subject, text: bilingualText(text) };
}

/** A claim that was not confirmed within this time (a crash between claim and send) is claimed again. */
const CLAIM_MS = 10 * 60_000;

/**
 * Sends the notices of this customer's changes that were not sent yet, after the commit that created
 * them (and again from the tick, for any that failed). The window starts when the notice goes out.
 * Returns the number of changes notified.
 */
export async function deliverNotices(ctx: AppContext, tenantId: string, now = new Date()): Promise<number> {
  const today = dateIn(now);
  const claimed = await ctx.db.tenant(tenantId, async (tx) => {
    const rows = (
      await sql<{
        id: string;
        subprocessor_id: string;
        change: ChangeKind;
        entry: EntrySnapshot;
        previous: EntrySnapshot | null;
        objection_days: number;
        window: string;
      }>`
        UPDATE subprocessor_changes SET notified_at = ${now}, window_ends_on = ${today}::date + objection_days
         WHERE tenant_id = ${tenantId}::uuid AND status = 'pending' AND notified_to IS NULL
           AND (notified_at IS NULL OR notified_at < ${new Date(now.getTime() - CLAIM_MS)})
        RETURNING id, subprocessor_id, change, entry, previous, objection_days, window_ends_on::text AS window`.execute(
        tx,
      )
    ).rows;
    return rows.length ? { rows, recipients: await noticeRecipients(tx, tenantId) } : null;
  });
  if (!claimed) return 0;
  let notified = 0;
  for (const r of claimed.rows) {
    let ok = true;
    for (const to of claimed.recipients.emails) {
      const res = await ctx.mailer.send(
        tenantId,
        'subprocessor-change',
        composeChangeNotice(
          { change: r.change, entry: r.entry, previous: r.previous, windowEndsOn: r.window, days: r.objection_days },
          to,
          ctx.env.baseUrl,
        ),
      );
      ok &&= res.ok;
    }
    await ctx.db.tenant(tenantId, async (tx) => {
      if (!ok) {
        // Not told: no window yet. The tick tries again.
        await tx
          .updateTable('subprocessor_changes')
          .set({ notified_at: null, window_ends_on: null })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', r.id)
          .where('notified_to', 'is', null)
          .execute();
        return;
      }
      const done = await tx
        .updateTable('subprocessor_changes')
        .set({ notified_to: claimed.recipients.to })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', r.id)
        .where('notified_to', 'is', null)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) return;
      notified++;
      await audit(tx, tenantId, systemActor, {
        action: AuditAction.SUBPROCESSOR_CHANGE_NOTIFIED,
        subject: { kind: 'subprocessor', id: r.subprocessor_id },
        details: {
          changeId: r.id,
          to: claimed.recipients.to,
          recipients: claimed.recipients.emails.length,
          windowEndsOn: r.window,
        },
      });
    });
  }
  return notified;
}

/** Sends the notices of several customers, never failing the operator's request (the tick retries). */
export async function deliverNoticesOf(ctx: AppContext, tenantIds: Iterable<string>): Promise<void> {
  for (const tenantId of new Set(tenantIds)) {
    await deliverNotices(ctx, tenantId).catch((err: Error) =>
      log.error({ worker: 'subprocessors' }, `[subprocessors] notice not sent yet: ${err.message}`),
    );
  }
}

// ------------------------------------------------------------------------------------------ objection

/**
 * An owner's objection to the open change of an entry, while its window runs (today on or before its
 * last day). The reason is sealed with the customer's key; who and when are recorded in clear.
 */
export async function objectToChange(
  ctx: AppContext,
  tenantId: string,
  subprocessorId: string,
  userId: string,
  reason: string,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  if (!isUuid(subprocessorId)) throw AppError.notFound('sub-processor');
  const today = dateIn(now);
  await ctx.db.tenant(tenantId, async (tx) => {
    const rows = await tx
      .selectFrom('subprocessor_changes')
      .select(['id', 'status', sql<string | null>`window_ends_on::text`.as('window')])
      .where('subprocessor_id', '=', subprocessorId)
      .where('status', 'in', ['pending', 'objected'])
      .orderBy('created_at', 'desc')
      .forUpdate()
      .execute();
    const pending = rows.find((r) => r.status === 'pending');
    if (!pending) {
      if (rows.some((r) => r.status === 'objected'))
        throw new AppError(ErrorCode.CONFLICT, { key: 'problems:subprocessors.objectionRecorded' });
      // Nothing open for this customer: the entry does not concern it, or its change already applies.
      const known = await tx
        .selectFrom('subprocessor_changes')
        .select('id')
        .where('subprocessor_id', '=', subprocessorId)
        .executeTakeFirst();
      if (!known) throw AppError.notFound('sub-processor change');
      throw new AppError(ErrorCode.CONFLICT, { key: 'problems:subprocessors.windowEndedApplies' });
    }
    if (pending.window !== null && today > pending.window) {
      throw new AppError(ErrorCode.CONFLICT, {
        key: 'problems:subprocessors.windowEnded',
        params: { date: pending.window },
      });
    }
    const keys = await ctx.keyring.forTenant(tenantId, tx);
    await tx
      .updateTable('subprocessor_changes')
      .set({ status: 'objected', objected_at: now, objected_by: userId, objection_reason_enc: keys.seal(reason) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', pending.id)
      .where('status', '=', 'pending')
      .execute();
    await audit(tx, tenantId, actor, {
      action: AuditAction.SUBPROCESSOR_OBJECTED,
      subject: { kind: 'subprocessor', id: subprocessorId },
      details: { changeId: pending.id, windowEndsOn: pending.window },
    });
  });
}

// ------------------------------------------------------------------------------------------ operator

export interface OperatorChange {
  tenantId: string;
  tenantName: string;
  id: string;
  subprocessorId: string;
  change: ChangeKind;
  status: ChangeStatus;
  entry: EntrySnapshot;
  previous: EntrySnapshot | null;
  objectionDays: number;
  createdAt: string;
  notifiedAt: string | null;
  notifiedTo: 'privacy_contact' | 'owners' | 'nobody' | null;
  windowEndsOn: string | null;
  objection: { by: string; at: string; reason: string } | null;
  resolution: { by: string | null; at: string; note: string | null } | null;
  appliedAt: string | null;
}

/** Every customer's changes (open ones, or all), with the objections' reasons, for the operator. */
export async function operatorChanges(ctx: AppContext, opts: { open: boolean }): Promise<OperatorChange[]> {
  const tenants = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select(['id', 'name']).orderBy('name').execute(),
  );
  const out: OperatorChange[] = [];
  for (const t of tenants) {
    const rows = await ctx.db.tenant(t.id, async (tx) => {
      let q = tx
        .selectFrom('subprocessor_changes')
        .selectAll()
        .select(sql<string | null>`window_ends_on::text`.as('window'))
        .where('status', '<>', 'superseded');
      if (opts.open) q = q.where('status', 'in', ['pending', 'objected']);
      const found = await q.orderBy('created_at').orderBy('id').execute();
      if (!found.length) return [];
      const sealed = found.some((r) => r.objection_reason_enc || r.resolution_note_enc);
      const keys = sealed ? await ctx.keyring.forTenant(t.id, tx).catch(() => null) : null;
      const openText = (b: Buffer | null) => (b && keys ? keys.open(b) : b ? '(erased)' : null);
      return found.map((r) => ({
        tenantId: t.id,
        tenantName: t.name,
        id: r.id,
        subprocessorId: r.subprocessor_id,
        change: r.change,
        status: r.status,
        entry: r.entry as EntrySnapshot,
        previous: (r.previous as EntrySnapshot | null) ?? null,
        objectionDays: r.objection_days,
        createdAt: new Date(r.created_at).toISOString(),
        notifiedAt: r.notified_at ? new Date(r.notified_at).toISOString() : null,
        notifiedTo: r.notified_to,
        windowEndsOn: r.window,
        objection:
          r.objected_at && r.objected_by
            ? {
                by: r.objected_by,
                at: new Date(r.objected_at).toISOString(),
                reason: openText(r.objection_reason_enc) ?? '',
              }
            : null,
        resolution: r.resolved_at
          ? { by: r.resolved_by, at: new Date(r.resolved_at).toISOString(), note: openText(r.resolution_note_enc) }
          : null,
        appliedAt: r.applied_at ? new Date(r.applied_at).toISOString() : null,
      }));
    });
    out.push(...rows);
  }
  return out;
}

export type Resolution = 'withdraw' | 'override';

/**
 * The operator resolves a customer's change. 'withdraw' (an open or objected change): the entry no
 * longer applies to this customer: a listed entry is unassigned, an entry for all is excluded for it
 * (its last change is withdrawn). 'override' (only an objected change, with a note of the agreement
 * reached with the customer): the change applies. Both in the customer's chain.
 */
export async function resolveChange(
  ctx: AppContext,
  tenantId: string,
  changeId: string,
  resolution: Resolution,
  note: string,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  if (!isUuid(tenantId)) throw AppError.notFound('customer');
  if (!isUuid(changeId)) throw AppError.notFound('sub-processor change');
  const tenant = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst(),
  );
  if (!tenant) throw AppError.notFound('customer');
  const told = await ctx.db.tenant(tenantId, async (tx) => {
    const row = await tx
      .selectFrom('subprocessor_changes')
      .select(['id', 'subprocessor_id', 'status', 'entry'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', changeId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw AppError.notFound('sub-processor change');
    const sealedNote = (await ctx.keyring.forTenant(tenantId, tx)).seal(note);
    if (resolution === 'override') {
      if (row.status !== 'objected')
        throw new AppError(ErrorCode.CONFLICT, {
          key: 'problems:subprocessors.cannotOverride',
          params: { status: row.status },
        });
      await tx
        .updateTable('subprocessor_changes')
        .set({
          status: 'overridden',
          resolved_at: now,
          resolved_by: actor.id,
          resolution_note_enc: sealedNote,
          applied_at: now,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', changeId)
        .execute();
    } else {
      if (row.status !== 'pending' && row.status !== 'objected')
        throw new AppError(ErrorCode.CONFLICT, {
          key: 'problems:subprocessors.cannotWithdraw',
          params: { status: row.status },
        });
      await withdrawOpen(tx, tenantId, row.subprocessor_id, actor.id, sealedNote, now);
      const unassigned = await tx
        .deleteFrom('subprocessor_assignments')
        .where('tenant_id', '=', tenantId)
        .where('subprocessor_id', '=', row.subprocessor_id)
        .executeTakeFirst();
      if (Number(unassigned.numDeletedRows) > 0) {
        await audit(tx, tenantId, actor, {
          action: AuditAction.SUBPROCESSOR_UNASSIGNED,
          subject: { kind: 'subprocessor', id: row.subprocessor_id },
          details: { changeId, via: 'withdraw' },
        });
      }
    }
    await audit(tx, tenantId, actor, {
      action: AuditAction.SUBPROCESSOR_CHANGE_RESOLVED,
      subject: { kind: 'subprocessor', id: row.subprocessor_id },
      details: { changeId, resolution, from: row.status },
    });
    return { entry: row.entry as EntrySnapshot, recipients: await noticeRecipients(tx, tenantId) };
  });
  // The customer is told the outcome too (best effort: the state above is what counts, and the app shows it).
  for (const to of told.recipients.emails) {
    await ctx.mailer
      .send(
        tenantId,
        'subprocessor-change',
        composeResolutionNotice(told.entry.name, resolution, note, to, ctx.env.baseUrl),
      )
      .catch(() => undefined);
  }
}

export function composeResolutionNotice(
  name: string,
  resolution: Resolution,
  note: string,
  to: string,
  baseUrl: string,
): MailMessage {
  const link = `${baseUrl}/app/privacy/subprocessors`;
  const withdraw = resolution === 'withdraw';
  const text = bilingual((t) => [
    t(withdraw ? 'mails:subprocessorResolution.withdraw' : 'mails:subprocessorResolution.apply', { name }),
    t('mails:staff.note', { note }),
    link,
  ]);
  return {
    to,
    subject: bilingualSubject(
      withdraw ? 'mails:subprocessorResolution.withdrawSubject' : 'mails:subprocessorResolution.applySubject',
      { name },
    ),
    text: bilingualText(text),
  };
}

// ------------------------------------------------------------------------------------------ the tick

/**
 * OBLIGATIONS SUB-2: silence is consent. Every pending change whose window's last day lies before
 * `now`'s date (Europe/Amsterdam) is applied, in its customer's transaction with an audit row. Takes
 * the clock as a parameter, so tests run it at any date. Returns the number of changes applied.
 */
export async function settleSubprocessorChanges(db: Db, now = new Date()): Promise<number> {
  const today = dateIn(now);
  const tenants = await db.global((tx) => tx.selectFrom('tenants').select('id').execute());
  let applied = 0;
  for (const { id: tenantId } of tenants) {
    applied += await db.tenant(tenantId, async (tx) => {
      const rows = (
        await sql<{ id: string; subprocessor_id: string; window: string }>`
          UPDATE subprocessor_changes SET status = 'applied', applied_at = ${now}
           WHERE tenant_id = ${tenantId}::uuid AND status = 'pending' AND notified_to IS NOT NULL AND window_ends_on < ${today}::date
          RETURNING id, subprocessor_id, window_ends_on::text AS window`.execute(tx)
      ).rows;
      for (const r of rows) {
        await audit(tx, tenantId, systemActor, {
          action: AuditAction.SUBPROCESSOR_CHANGE_APPLIED,
          subject: { kind: 'subprocessor', id: r.subprocessor_id },
          details: { changeId: r.id, windowEndsOn: r.window },
        });
      }
      return rows.length;
    });
  }
  return applied;
}

/** The tick: notices that have not gone out yet, then the windows that passed. */
export async function runSubprocessorTick(
  ctx: AppContext,
  now = new Date(),
): Promise<{ notified: number; applied: number }> {
  const waiting = await ctx.db.global((tx) => tx.selectFrom('tenants').select('id').execute());
  let notified = 0;
  for (const { id } of waiting) notified += await deliverNotices(ctx, id, now).catch(() => 0);
  return { notified, applied: await settleSubprocessorChanges(ctx.db, now) };
}

/** Runs the tick every `everyMs` (and once now), in the running server (server.ts). */
export function startSubprocessorTicker(ctx: AppContext, everyMs = 10 * 60_000): () => void {
  const tick = () =>
    void runLeased(ctx.db, 'subprocessors tick', () => runSubprocessorTick(ctx)).catch((err: Error) =>
      log.error({ worker: 'subprocessors' }, `[subprocessors] tick failed: ${err.message}`),
    );
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
