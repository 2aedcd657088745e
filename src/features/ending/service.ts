import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, auditSystem, AuditAction, systemActor, type Actor } from '../../lib/audit.js';
import { signerOf } from '../../lib/crypto/signing.js';
import { Db, type Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { startTick } from '../../lib/tick.js';
import { bilingual, bilingualSubject, bilingualText, formatDay, formatInstant } from '../../lib/i18n.js';
import { dateIn, type IsoDate } from '../agreement/dates.js';
import { noticeRecipients, readAgreement } from '../agreement/service.js';
import { forgetSessions } from '../auth/sessions.js';
import { forgetTenantKeys } from '../auth/api-keys.js';
import { eraseTenantKey } from '../keys/erase.js';
import { forgetTenantLookups } from '../respond/lookup.js';
import { signStatement, type DeletionStatement } from './statement.js';
import { EVIDENCE, KEEP, tablesToDelete } from './tables.js';

/**
 * OBLIGATIONS END-1..END-5: the end of a customer's agreement.
 *
 * Life of an end:
 *   before the end date   reminders to export at 60, 30 and 7 days (each once per end date);
 *   the end              (operator, or the tick once the agreement's end date has come) tenants.status
 *                         'ended', a tenant_endings row with the choice deadline (choiceDeadlineDays),
 *                         API keys and webhooks deleted, scheduled and sending distributions cancelled;
 *   the choice            an owner chooses return (the export stays available for returnWindowDays)
 *                         or deletion; no choice by the deadline counts as deletion;
 *   the deletion          (the tick when due, or the operator) the key is destroyed (eraseTenantKey),
 *                         then every row of every tenant table is removed, in batches, children first;
 *                         the signed statement of deletion is stored and mailed.
 * Every function that decides by time takes `now`.
 */

const DAY = 86_400_000;
export const REMINDER_DAYS = [60, 30, 7] as const;
const BATCH = 20_000;

const addDays = (d: IsoDate, days: number): IsoDate =>
  new Date(Date.parse(`${d}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export interface EndingRow {
  ended_at: Date;
  ended_by: 'operator' | 'agreement';
  choice_deadline: Date;
  return_window_days: number;
  choice: 'return' | 'deletion' | null;
  choice_at: Date | null;
  choice_by: string | null;
  return_until: Date | null;
  deletion_started_at: Date | null;
  deleted_at: Date | null;
}

export interface EndingState {
  status: 'active' | 'suspended' | 'ended';
  /** The agreement's end date (exclusive, Europe/Amsterdam), when one is known. */
  endsOn: IsoDate | null;
  reminders: Array<{ days: number; due: IsoDate; sentAt: string | null }>;
  ended: null | {
    at: string;
    by: 'operator' | 'agreement';
    choiceDeadline: string;
    returnWindowDays: number;
    choice: 'return' | 'deletion' | null;
    choiceAt: string | null;
    returnUntil: string | null;
    /** When the deletion is due (null once it has run). */
    deletionDueAt: string | null;
    deletedAt: string | null;
  };
}

/** When the data of an ended customer is to be deleted (END-3). */
export function deletionDueAt(
  row: Pick<EndingRow, 'choice' | 'choice_at' | 'choice_deadline' | 'return_until' | 'deleted_at'>,
): Date | null {
  if (row.deleted_at) return null;
  if (row.choice === 'deletion') return new Date(row.choice_at!);
  if (row.choice === 'return') return new Date(row.return_until!);
  return new Date(row.choice_deadline);
}

async function endingRow(tx: Tx): Promise<EndingRow | undefined> {
  return tx.selectFrom('tenant_endings').selectAll().executeTakeFirst() as Promise<EndingRow | undefined>;
}

/** The customer's end as of `now` (owner page, operator page); in a transaction on that tenant. */
export async function readEnding(ctx: AppContext, tx: Tx, tenantId: string, now = new Date()): Promise<EndingState> {
  const tenant = await tx.selectFrom('tenants').select('status').where('id', '=', tenantId).executeTakeFirst();
  if (!tenant) throw AppError.notFound('customer');
  const row = await endingRow(tx);
  const agreement = await tx.selectFrom('agreements').select('tenant_id').executeTakeFirst();
  const endsOn = agreement ? (await readAgreement(tx, tenantId, ctx.env.PEIL_OPERATOR_ORGANISATION, now)).endsOn : null;
  const sent = endsOn
    ? await tx.selectFrom('ending_reminders').select(['days', 'sent_at']).where('ends_on', '=', endsOn).execute()
    : [];
  return {
    status: tenant.status,
    endsOn,
    reminders: endsOn
      ? REMINDER_DAYS.map((days) => ({
          days,
          due: addDays(endsOn, -days),
          sentAt: iso(sent.find((s) => s.days === days)?.sent_at),
        }))
      : [],
    ended: row
      ? {
          at: iso(row.ended_at)!,
          by: row.ended_by,
          choiceDeadline: iso(row.choice_deadline)!,
          returnWindowDays: row.return_window_days,
          choice: row.choice,
          choiceAt: iso(row.choice_at),
          returnUntil: iso(row.return_until),
          deletionDueAt: iso(deletionDueAt(row)),
          deletedAt: iso(row.deleted_at),
        }
      : null,
  };
}

/** Who hears of the end: the privacy contact of the agreement, else the active owners (as AGR-3's announcements). */
// The tenant is named: deleteTenant reads it on the owner connection, which row-level security does not bind.
async function recipients(tx: Tx, tenantId: string): Promise<{ to: string[]; notified: 'privacy_contact' | 'owners' }> {
  const r = await noticeRecipients(tx, tenantId);
  return { to: r.emails, notified: r.to === 'privacy_contact' ? 'privacy_contact' : 'owners' };
}

// ---------------------------------------------------------------- END-1 reminders

function reminderMail(org: string, endsOn: IsoDate, days: number, baseUrl: string) {
  const lastDay = addDays(endsOn, -1);
  const link = `${baseUrl}/app/privacy`;
  const text = bilingual((t, lang) => [
    t('mails:staff.dearOwner', { org }),
    '',
    t('mails:ending.reminder', { days, lastDay: formatDay(lang, lastDay) }),
    t('mails:ending.reminderLink', { link }),
  ]);
  return { subject: bilingualSubject('mails:ending.reminderSubject', { days }), text: bilingualText(text) };
}

/**
 * OBLIGATIONS END-1: the reminder that is due for this customer at `now`, if any and not sent yet:
 * the most urgent of 60, 30 and 7 days before the end date whose day has come (a customer that
 * reaches 20 days before the end without one gets the 30-day reminder, not the 60 as well). Recorded
 * with its audit row after the mail went out; each (end date, days) once.
 */
export async function remindBeforeEnd(ctx: AppContext, tenantId: string, now = new Date()): Promise<number | null> {
  const work = await ctx.db.tenant(tenantId, async (tx) => {
    // readAgreement would create a missing agreement: a customer without one (erased, restored) has no end date.
    if (!(await tx.selectFrom('agreements').select('tenant_id').executeTakeFirst())) return null;
    const a = await readAgreement(tx, tenantId, ctx.env.PEIL_OPERATOR_ORGANISATION, now);
    if (!a.endsOn) return null;
    const today = dateIn(now);
    if (today >= a.endsOn) return null;
    const days = [...REMINDER_DAYS].reverse().find((d) => today >= addDays(a.endsOn!, -d));
    if (days === undefined) return null;
    const done = await tx
      .selectFrom('ending_reminders')
      .select('days')
      .where('ends_on', '=', a.endsOn)
      .where('days', '<=', days)
      .executeTakeFirst();
    if (done) return null;
    // The owners: they alone can download the full export (and choose at the end).
    const owners = await tx
      .selectFrom('users')
      .select('email')
      .where('role', '=', 'owner')
      .where('status', '=', 'active')
      .orderBy('email')
      .execute();
    return {
      endsOn: a.endsOn,
      days,
      org: a.parties.controller.name,
      to: owners.map((o) => o.email),
      notified: 'owners' as const,
    };
  });
  if (!work || work.to.length === 0) return null;
  const mail = reminderMail(work.org, work.endsOn, work.days, ctx.env.baseUrl);
  let sent = 0;
  for (const to of work.to) if ((await ctx.mailer.send(tenantId, 'ending-reminder', { to, ...mail })).ok) sent++;
  if (sent === 0) return null;
  await ctx.db.tenant(tenantId, async (tx) => {
    const r = await tx
      .insertInto('ending_reminders')
      .values({
        tenant_id: tenantId,
        ends_on: work.endsOn,
        days: work.days as 60 | 30 | 7,
        sent_at: now,
        recipients: sent,
        notified: work.notified,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('days')
      .executeTakeFirst();
    if (r)
      await audit(tx, tenantId, systemActor, {
        action: AuditAction.ENDING_REMINDED,
        subject: { kind: 'agreement', id: tenantId },
        details: { days: work.days, endsOn: work.endsOn, to: work.notified, recipients: sent },
      });
  });
  return work.days;
}

// ---------------------------------------------------------------- END-2 the end

export interface EndResult {
  tenantId: string;
  endedAt: string;
  choiceDeadline: string;
  removed: { apiKeys: number; webhooks: number };
  cancelledDistributions: number;
}

/**
 * OBLIGATIONS END-2: ends a customer. On the owner connection (peil_app may not update tenants), the
 * system log and the customer's chain in the same transaction. API keys and webhooks are deleted
 * (their deliveries go with them), scheduled and sending distributions are cancelled; the send job
 * and the tick send nothing for a customer that is not active, so queued invitations stay unsent.
 */
export async function endTenant(
  ctx: AppContext,
  tenantId: string,
  by: 'operator' | 'agreement',
  reason: string,
  actor: Actor,
  now = new Date(),
): Promise<EndResult> {
  const result = await ctx.db.owner('tenant-end', async (tx) => {
    const t = await tx
      .selectFrom('tenants')
      .select(['id', 'slug', 'status'])
      .where('id', '=', tenantId)
      .forUpdate()
      .executeTakeFirst();
    if (!t) throw AppError.notFound('customer');
    if (t.status === 'ended') throw new AppError(ErrorCode.CONFLICT, { key: 'problems:ending.endedAlready' });
    await Db.switchTenant(tx, t.id);
    const terms = await tx
      .selectFrom('agreements')
      .select(['choice_deadline_days', 'return_window_days'])
      .where('tenant_id', '=', t.id)
      .executeTakeFirst();
    const choiceDays = terms?.choice_deadline_days ?? 14;
    const choiceDeadline = new Date(now.getTime() + choiceDays * DAY);
    await tx.updateTable('tenants').set({ status: 'ended' }).where('id', '=', t.id).execute();
    await tx
      .insertInto('tenant_endings')
      .values({
        tenant_id: t.id,
        ended_at: now,
        ended_by: by,
        choice_deadline: choiceDeadline,
        return_window_days: terms?.return_window_days ?? 30,
      })
      .execute();
    const keys = await tx.deleteFrom('api_keys').where('tenant_id', '=', t.id).returning('id').execute();
    const hooks = await tx.deleteFrom('webhooks').where('tenant_id', '=', t.id).returning('id').execute();
    const cancelled = await tx
      .updateTable('distributions')
      .set({ status: 'cancelled', cancelled_at: now })
      .where('tenant_id', '=', t.id)
      .where('status', 'in', ['scheduled', 'sending'])
      .executeTakeFirst();
    const removed = { apiKeys: keys.length, webhooks: hooks.length };
    const cancelledDistributions = Number(cancelled.numUpdatedRows ?? 0);
    await auditSystem(tx, actor, AuditAction.TENANT_ENDED, {
      tenantId: t.id,
      slug: t.slug,
      by,
      reason,
      from: t.status,
    });
    if (keys.length || hooks.length) {
      await audit(tx, t.id, actor, {
        action: AuditAction.INTEGRATIONS_REMOVED,
        subject: { kind: 'tenant', id: t.id },
        details: { apiKeys: keys.map((k) => k.id), webhooks: hooks.map((h) => h.id) },
      });
    }
    await audit(tx, t.id, actor, {
      action: AuditAction.TENANT_ENDED,
      subject: { kind: 'tenant', id: t.id },
      details: {
        by,
        reason,
        from: t.status,
        choiceDeadline: choiceDeadline.toISOString(),
        removed,
        cancelledDistributions,
      },
    });
    return {
      tenantId: t.id,
      endedAt: now.toISOString(),
      choiceDeadline: choiceDeadline.toISOString(),
      removed,
      cancelledDistributions,
    };
  });
  forgetSessions((a) => a.kind !== 'operator' && a.tenantId === tenantId);
  forgetTenantKeys(tenantId);
  forgetTenantLookups(tenantId);
  return result;
}

// ---------------------------------------------------------------- END-3 the choice

/** OBLIGATIONS END-3: an owner chooses return or deletion, before the deadline, once. */
export async function makeChoice(
  tx: Tx,
  tenantId: string,
  choice: 'return' | 'deletion',
  userId: string,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  const row = await tx.selectFrom('tenant_endings').selectAll().forUpdate().executeTakeFirst();
  if (!row) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:ending.nothingToChoose' });
  if (row.choice)
    throw new AppError(ErrorCode.CONFLICT, { key: 'problems:ending.choiceMade', params: { choice: row.choice } });
  if (now.getTime() > new Date(row.choice_deadline).getTime())
    throw new AppError(ErrorCode.CONFLICT, { key: 'problems:ending.deadlinePassed' });
  const returnUntil = choice === 'return' ? new Date(now.getTime() + row.return_window_days * DAY) : null;
  await tx
    .updateTable('tenant_endings')
    .set({ choice, choice_at: now, choice_by: userId, return_until: returnUntil })
    .where('tenant_id', '=', tenantId)
    .execute();
  await audit(tx, tenantId, actor, {
    action: AuditAction.ENDING_CHOICE_MADE,
    subject: { kind: 'tenant', id: tenantId },
    details: { choice, returnUntil: iso(returnUntil) },
  });
}

// ---------------------------------------------------------------- END-3/END-4 the deletion

export interface DeletionResult {
  tenantId: string;
  statement: DeletionStatement;
  file: string;
  mailed: number;
  seconds: { key: number; rows: number };
}

/**
 * OBLIGATIONS END-3, END-4: deletes an ended customer. First its key is destroyed (eraseTenantKey:
 * from then on nothing of it, in this database or any backup, can be decrypted), then every row of
 * every tenant table is removed (tables.ts: from the catalog, children before parents, in batches of
 * BATCH rows, each batch its own transaction, so a large customer does not hold one huge transaction
 * and an interrupted deletion simply continues at the next tick). The audit chain goes too: with the
 * key gone its sealed images could not be read, and its clear columns (addresses, ids) would outlive
 * the data they describe; what remains as evidence is the statement of deletion (which records the
 * chain's last seq and head hash) and the system log (tenant.ended, tenant.key_erased,
 * tenant.deleted). Then the signed statement is stored and mailed.
 */
export async function deleteTenant(
  ctx: AppContext,
  tenantId: string,
  actor: Actor,
  reason: DeletionStatement['agreement']['reason'],
  now = new Date(),
): Promise<DeletionResult> {
  // 1. What there is, before anything changes: the customer, its end, the key, the counts, who to tell.
  const before = await ctx.db.owner('tenant-delete', async (tx) => {
    const t = await tx
      .selectFrom('tenants')
      .select(['id', 'slug', 'name', 'status'])
      .where('id', '=', tenantId)
      .forUpdate()
      .executeTakeFirst();
    if (!t) throw AppError.notFound('customer');
    if (t.status !== 'ended') throw new AppError(ErrorCode.CONFLICT, { key: 'problems:ending.endFirst' });
    await Db.switchTenant(tx, t.id);
    const ending = await tx
      .selectFrom('tenant_endings')
      .selectAll()
      .where('tenant_id', '=', t.id)
      .executeTakeFirstOrThrow();
    if (ending.deleted_at)
      throw new AppError(ErrorCode.GONE, {
        key: 'problems:ending.deletedOn',
        params: { at: new Date(ending.deleted_at).toISOString() },
      });
    const key = await tx.selectFrom('tenant_keys').selectAll().where('tenant_id', '=', t.id).executeTakeFirstOrThrow();
    const tables = await tablesToDelete(tx);
    const counts: Array<{ table: string; rows: number }> = [];
    for (const { table, column } of tables) {
      const n = (
        await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${t.id}`.execute(tx)
      ).rows[0]!.n;
      if (Number(n) > 0) counts.push({ table, rows: Number(n) });
    }
    const head = await tx
      .selectFrom('audit_heads')
      .select(['seq', 'hash'])
      .where('tenant_id', '=', t.id)
      .executeTakeFirst();
    const entries = counts.find((c) => c.table === 'audit_events')?.rows ?? 0;
    const to = await recipients(tx, t.id);
    if (!ending.deletion_started_at)
      await tx.updateTable('tenant_endings').set({ deletion_started_at: now }).where('tenant_id', '=', t.id).execute();
    return {
      t,
      ending: { ...ending, deletion_started_at: ending.deletion_started_at ?? now },
      key,
      tables,
      counts,
      chain: { entries, lastSeq: Number(head?.seq ?? 0), headHash: head ? Buffer.from(head.hash).toString('hex') : '' },
      to,
    };
  });
  const { t, key, tables } = before;

  // 2. The key. An interrupted earlier run may have destroyed it already.
  const t0 = performance.now();
  let destroyedAt = key.destroyed_at ? new Date(key.destroyed_at).toISOString() : null;
  const keyId = key.wrapped_key
    ? createHash('sha256').update(key.wrapped_key).digest('hex').slice(0, 16)
    : 'destroyed-before';
  if (key.wrapped_key) destroyedAt = (await eraseTenantKey(ctx, t.slug, actor, { rowsFollow: true })).erasedAt;
  forgetSessions((a) => a.kind !== 'operator' && a.tenantId === tenantId);
  const t1 = performance.now();

  // 3. The rows, table by table, in batches. As superuser the triggers that keep response links true
  // are skipped (session_replication_role = replica): the responses are removed before the tables those
  // triggers sit on, so they would find nothing, and the order already puts every child first.
  const superuser =
    (
      await sql<{ s: boolean }>`SELECT rolsuper AS s FROM pg_roles WHERE rolname = current_user`.execute(
        ctx.db.handle.kysely,
      )
    ).rows[0]?.s === true;
  for (const { table, column } of tables) {
    for (;;) {
      const n = await ctx.db.owner('tenant-delete', async (tx) => {
        await Db.switchTenant(tx, tenantId);
        if (superuser) await sql`SELECT set_config('session_replication_role', 'replica', true)`.execute(tx);
        const r =
          await sql`DELETE FROM ${sql.table(table)} WHERE ctid IN (SELECT ctid FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${tenantId} LIMIT ${BATCH})`.execute(
            tx,
          );
        return Number(r.numAffectedRows ?? 0);
      });
      if (n < BATCH) break;
    }
  }
  const t2 = performance.now();

  // 4. Check, sign, store; the system log keeps the fact.
  const signer = signerOf(ctx.keyring.master);
  const completedAt = new Date();
  const { file, statement } = await ctx.db.owner('tenant-delete', async (tx) => {
    await Db.switchTenant(tx, tenantId);
    let remaining = 0;
    for (const { table, column } of tables)
      remaining += Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${tenantId}`.execute(tx)
        ).rows[0]!.n,
      );
    if (remaining > 0) throw new Error(`deletion of ${tenantId} left ${remaining} rows`);
    const e = before.ending;
    const statement: DeletionStatement = {
      format: 'peil-deletion-statement/1',
      title: { nl: 'Verklaring van verwijdering', en: 'Statement of deletion' },
      installation: { organisation: ctx.env.PEIL_OPERATOR_ORGANISATION, baseUrl: ctx.env.baseUrl },
      customer: { id: t.id, name: t.name, slug: t.slug },
      agreement: {
        endedAt: iso(e.ended_at)!,
        endedBy: e.ended_by,
        choice: e.choice,
        choiceAt: iso(e.choice_at),
        choiceDeadline: iso(e.choice_deadline)!,
        returnUntil: iso(e.return_until),
        reason,
      },
      key: { id: keyId, createdAt: iso(key.created_at)!, destroyedAt: destroyedAt!, masterKeyId: key.master_key_id },
      deletion: {
        startedAt: iso(e.deletion_started_at)!,
        completedAt: completedAt.toISOString(),
        tables: before.counts,
        totalRows: before.counts.reduce((s, c) => s + c.rows, 0),
        auditChain: before.chain,
        kept: [...Object.entries(KEEP), ...Object.entries(EVIDENCE)].map(([table, why]) => ({ table, reason: why })),
        remainingRows: remaining,
      },
      signedWith: { algorithm: 'Ed25519', keyId: signer.keyId, publicKey: signer.publicKeyPem },
    };
    const file = signStatement(statement, signer);
    await tx
      .insertInto('deletion_statements')
      .values({ tenant_id: tenantId, document: file, key_id: signer.keyId })
      .execute();
    await tx.updateTable('tenant_endings').set({ deleted_at: completedAt }).where('tenant_id', '=', tenantId).execute();
    await auditSystem(tx, actor, AuditAction.TENANT_DELETED, {
      tenantId,
      slug: t.slug,
      reason,
      rows: statement.deletion.totalRows,
      tables: before.counts.length,
      statementSha256: createHash('sha256').update(file).digest('hex'),
    });
    return { file, statement };
  });

  // 5. Mail it. The outbox mailer keeps mail sealed with the customer's key in its own rows, which are
  // gone: there the operator hands the statement over (download); an SMTP server delivers it.
  let mailed = 0;
  if (ctx.mailer.kind === 'smtp') {
    // The statement's words from `mails:ending.*`, Dutch first; the signed file below both.
    const said = bilingual((tr, lang) =>
      tr('mails:ending.statement', {
        org: t.name,
        at: formatInstant(lang, statement.deletion.completedAt),
        rows: statement.deletion.totalRows,
      }),
    );
    for (const to of before.to.to) {
      const r = await ctx.mailer.send(tenantId, 'deletion-statement', {
        to,
        subject: bilingualSubject('mails:ending.statementSubject', undefined, ` (${t.name})`),
        text: [said.nl, '', said.en, '', file].join('\n'),
      });
      if (r.ok) mailed++;
    }
  }
  return { tenantId, statement, file, mailed, seconds: { key: (t1 - t0) / 1000, rows: (t2 - t1) / 1000 } };
}

/**
 * OBLIGATIONS END-3: the operator's deletion (HTTP route and `peil tenant delete`): refused until it is
 * due (deletion chosen, the return window over, or no choice by the deadline), as the tick would.
 */
export async function deleteTenantWhenDue(
  ctx: AppContext,
  tenantId: string,
  actor: Actor,
  now = new Date(),
): Promise<DeletionResult> {
  const row = (await ctx.db.tenant(tenantId, (tx) =>
    tx.selectFrom('tenant_endings').selectAll().executeTakeFirst(),
  )) as EndingRow | undefined;
  if (!row) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:ending.notEnded' });
  const due = deletionDueAt(row);
  if (!due) throw new AppError(ErrorCode.GONE, { key: 'problems:ending.deletedAlready' });
  if (now.getTime() < due.getTime())
    throw new AppError(ErrorCode.CONFLICT, { key: 'problems:ending.notDueYet', params: { due: due.toISOString() } });
  const reason =
    row.choice === 'deletion'
      ? 'deletion chosen'
      : row.choice === 'return'
        ? 'return window ended'
        : 'no choice before the deadline';
  return deleteTenant(ctx, tenantId, actor, reason, now);
}

/** The stored statement of a deleted customer (operator). */
export async function readStatement(ctx: AppContext, tenantId: string): Promise<string> {
  const row = await ctx.db.owner('tenant-delete', (tx) =>
    tx.selectFrom('deletion_statements').select('document').where('tenant_id', '=', tenantId).executeTakeFirst(),
  );
  if (!row) throw AppError.notFound('statement of deletion');
  return row.document;
}

// ---------------------------------------------------------------- the tick

export interface TickResult {
  reminded: number;
  ended: string[];
  deleted: string[];
}

/**
 * OBLIGATIONS END-1..END-3, once for every customer: a reminder when one is due, the end when the
 * agreement's end date has come, the deletion when its time has come (no choice by the deadline,
 * deletion chosen, or the return window over).
 */
export async function endingTick(ctx: AppContext, now = new Date()): Promise<TickResult> {
  const out: TickResult = { reminded: 0, ended: [], deleted: [] };
  const tenants = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select(['id', 'status']).orderBy('created_at').execute(),
  );
  for (const t of tenants) {
    if (t.status !== 'ended') {
      const endsOn = await ctx.db.tenant(t.id, async (tx) =>
        (await tx.selectFrom('agreements').select('tenant_id').executeTakeFirst())
          ? (await readAgreement(tx, t.id, ctx.env.PEIL_OPERATOR_ORGANISATION, now)).endsOn
          : null,
      );
      if (endsOn && dateIn(now) >= endsOn) {
        await endTenant(ctx, t.id, 'agreement', `the agreement ended on ${endsOn}`, systemActor, now);
        out.ended.push(t.id);
      } else if (endsOn && (await remindBeforeEnd(ctx, t.id, now)) !== null) out.reminded++;
      continue;
    }
    const row = await ctx.db.tenant(t.id, (tx) => endingRow(tx));
    if (!row) continue;
    const due = deletionDueAt(row);
    if (!due || now.getTime() < due.getTime()) continue;
    const reason =
      row.choice === 'deletion'
        ? 'deletion chosen'
        : row.choice === 'return'
          ? 'return window ended'
          : 'no choice before the deadline';
    await deleteTenant(ctx, t.id, systemActor, reason, now);
    out.deleted.push(t.id);
  }
  return out;
}

/** At start and every `seconds` (0: never); returns the stop function. */
export function startEndingTick(ctx: AppContext, seconds: number): () => Promise<void> {
  return startTick('[ending] tick', seconds, () => endingTick(ctx), { db: ctx.db });
}
