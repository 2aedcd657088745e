import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, auditSystem, systemActor, type Actor } from '../../lib/audit.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { bilingual, bilingualSubject, bilingualText } from '../../lib/i18n.js';
import type { MailMessage } from '../../lib/mail/mailer.js';
import { noticeRecipients } from '../agreement/service.js';
import { DEFAULT_TERMS } from '../agreement/terms.js';
import { startTick } from '../../lib/tick.js';
import { categoryLabel } from '../register/vocabulary.js';
import {
  FIELD_NAMES,
  fieldLines,
  when,
  ownLines,
  toldFields,
  type BreachFields,
  type MessageContent,
  type OwnNumbers,
} from './model.js';
import { computeImpact, type BreachScope, type Impact, type StoredScope } from './scope.js';
import { log } from '../../lib/log.js';

/**
 * OBLIGATIONS BRE-1..BRE-4: the breach register.
 *
 * - The register (`breaches`, `breach_updates`) is the operator's, global, read and written on the
 *   owner connection only (Db.owner 'breaches'); every change is a dated entry with what changed
 *   (field -> from/to) and a note, and a row in the system log.
 * - A recorded scope (BRE-3, scope.ts) gives each affected customer its part (`breach_notices`, a
 *   tenant table): its numbers, the scope that produced them, its deadline (discovery + its agreed
 *   breach notice hours, BRE-2) and its notification state, with a row in its own audit chain.
 * - Notify (BRE-4): each customer not yet told gets a mail at its privacy contact (its active owners
 *   when there is none), Dutch first with English, with every field of the breach and its own numbers
 *   only; every later update and the closing are mailed to the customers already told. What each mail
 *   said is kept sealed with the customer's key (`breach_notice_messages`): the customer's breach log.
 */

export interface BreachView {
  id: string;
  number: number;
  status: 'open' | 'closed';
  fields: BreachFields;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface HistoryEntry {
  seq: number;
  at: string;
  operatorId: string | null;
  kind: 'created' | 'updated' | 'scope' | 'notified' | 'closed';
  note: string | null;
  changes: Record<string, unknown>;
}

export interface CustomerPart extends Impact {
  computedAt: string;
  noticeHours: number;
  deadline: string;
  notifiedAt: string | null;
  notifiedTo: 'privacy_contact' | 'owners' | 'nobody' | null;
  alerts: { near: string | null; overdue: string | null };
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

type BreachRow = {
  id: string;
  number: number;
  status: 'open' | 'closed';
  started_at: Date;
  discovered_at: Date;
  details: unknown;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
};

function viewOf(r: BreachRow): BreachView {
  const d = r.details as Omit<BreachFields, 'startedAt' | 'discoveredAt'>;
  return {
    id: r.id,
    number: Number(r.number),
    status: r.status,
    fields: {
      ...d,
      startedAt: new Date(r.started_at).toISOString(),
      discoveredAt: new Date(r.discovered_at).toISOString(),
    },
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    closedAt: iso(r.closed_at),
  };
}

function detailsOf(f: BreachFields): Omit<BreachFields, 'startedAt' | 'discoveredAt'> {
  const { startedAt: _s, discoveredAt: _d, ...rest } = f;
  return rest;
}

function checkTimes(f: Pick<BreachFields, 'startedAt' | 'discoveredAt'>): void {
  if (Date.parse(f.discoveredAt) < Date.parse(f.startedAt)) {
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:breaches.discoveredBeforeStart' },
      { errors: [{ pointer: '/body/discoveredAt', reason: 'before startedAt' }] },
    );
  }
}

async function loadBreach(tx: Tx, id: string, lock = false): Promise<BreachRow> {
  if (!isUuid(id)) throw AppError.notFound('breach');
  let q = tx.selectFrom('breaches').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw AppError.notFound('breach');
  return row as BreachRow;
}

async function addHistory(
  tx: Tx,
  breachId: string,
  at: Date,
  actor: Actor,
  kind: HistoryEntry['kind'],
  note: string | null,
  changes: Record<string, unknown>,
): Promise<void> {
  const last = await tx
    .selectFrom('breach_updates')
    .select(sql<number>`coalesce(max(seq), 0)`.as('seq'))
    .where('breach_id', '=', breachId)
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('breach_updates')
    .values({
      breach_id: breachId,
      seq: Number(last.seq) + 1,
      at,
      operator_id: actor.kind === 'operator' ? actor.id : null,
      kind,
      note,
      changes: JSON.stringify(changes),
    })
    .execute();
  await auditSystem(tx, actor, `breach.${kind}`, {
    breachId,
    ...(kind === 'updated' ? { fields: Object.keys(changes) } : {}),
  });
}

// ------------------------------------------------------------------------------------------ BRE-1

export async function createBreach(
  ctx: AppContext,
  f: BreachFields,
  actor: Actor,
  now = new Date(),
): Promise<BreachView> {
  checkTimes(f);
  const id = randomUUID();
  return ctx.db.owner('breaches', async (tx) => {
    await tx
      .insertInto('breaches')
      .values({
        id,
        started_at: new Date(f.startedAt),
        discovered_at: new Date(f.discoveredAt),
        details: JSON.stringify(detailsOf(f)),
        created_at: now,
        created_by: actor.id,
        updated_at: now,
      })
      .execute();
    await addHistory(tx, id, now, actor, 'created', null, {});
    return viewOf(await loadBreach(tx, id));
  });
}

export async function listBreaches(
  ctx: AppContext,
): Promise<Array<BreachView & { customers: number; notified: number }>> {
  const rows = await ctx.db.owner('breaches', (tx) =>
    tx.selectFrom('breaches').selectAll().orderBy('number', 'desc').execute(),
  );
  const parts = await ctx.db.crossTenant('breaches', (tx) =>
    tx.selectFrom('breach_notices').select(['breach_id', 'notified_at']).execute(),
  );
  return rows.map((r) => {
    const mine = parts.filter((p) => p.breach_id === r.id);
    return { ...viewOf(r as BreachRow), customers: mine.length, notified: mine.filter((p) => p.notified_at).length };
  });
}

async function partsOf(ctx: AppContext, breachId?: string): Promise<Array<CustomerPart & { breachId: string }>> {
  return ctx.db.crossTenant('breaches', async (tx) => {
    let q = tx
      .selectFrom('breach_notices as n')
      .innerJoin('tenants as t', 't.id', 'n.tenant_id')
      .select([
        'n.tenant_id',
        't.name',
        'n.breach_id',
        'n.contacts',
        'n.responses',
        'n.users',
        'n.categories',
        'n.basis',
        'n.scope',
        'n.computed_at',
        'n.notice_hours',
        'n.deadline',
        'n.notified_at',
        'n.notified_to',
        'n.alert_near_at',
        'n.alert_overdue_at',
      ]);
    if (breachId) q = q.where('n.breach_id', '=', breachId);
    const rows = await q.orderBy('n.deadline').orderBy('t.name').execute();
    return rows.map((r) => ({
      breachId: r.breach_id,
      tenantId: r.tenant_id,
      tenantName: r.name,
      contacts: r.contacts,
      responses: r.responses,
      users: r.users,
      categories: r.categories,
      basis: r.basis as Record<string, number>,
      scope: r.scope as StoredScope,
      computedAt: new Date(r.computed_at).toISOString(),
      noticeHours: r.notice_hours,
      deadline: new Date(r.deadline).toISOString(),
      notifiedAt: iso(r.notified_at),
      notifiedTo: r.notified_to,
      alerts: { near: iso(r.alert_near_at), overdue: iso(r.alert_overdue_at) },
    }));
  });
}

export async function readBreach(
  ctx: AppContext,
  id: string,
): Promise<BreachView & { history: HistoryEntry[]; customers: CustomerPart[] }> {
  const { view, history } = await ctx.db.owner('breaches', async (tx) => {
    const view = viewOf(await loadBreach(tx, id));
    const rows = await tx.selectFrom('breach_updates').selectAll().where('breach_id', '=', id).orderBy('seq').execute();
    return {
      view,
      history: rows.map((r) => ({
        seq: r.seq,
        at: new Date(r.at).toISOString(),
        operatorId: r.operator_id,
        kind: r.kind,
        note: r.note,
        changes: r.changes as Record<string, unknown>,
      })),
    };
  });
  const customers = (await partsOf(ctx, id)).map(({ breachId: _b, ...p }) => p);
  return { ...view, history, customers };
}

/**
 * Changes fields of an open breach: one history entry with every changed field (from, to) and the
 * note; nothing changes silently. A new discovery time moves every customer's deadline. Customers
 * already told get the update by mail.
 */
export async function updateBreach(
  ctx: AppContext,
  id: string,
  patch: Partial<BreachFields>,
  note: string,
  actor: Actor,
  now = new Date(),
): Promise<{ changed: string[]; mailed: number }> {
  const { changed, discoveredAt } = await ctx.db.owner('breaches', async (tx) => {
    const row = await loadBreach(tx, id, true);
    if (row.status === 'closed') throw new AppError(ErrorCode.CONFLICT, { key: 'problems:breaches.closed' });
    const before = viewOf(row).fields;
    const after: BreachFields = { ...before };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of FIELD_NAMES) {
      if (patch[k] === undefined) continue;
      const next = k === 'startedAt' || k === 'discoveredAt' ? new Date(patch[k] as string).toISOString() : patch[k];
      if (JSON.stringify(next) === JSON.stringify(before[k])) continue;
      (after as unknown as Record<string, unknown>)[k] = next;
      changes[k] = { from: before[k], to: next };
    }
    if (Object.keys(changes).length === 0)
      throw new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:breaches.nothingChanged' },
        {
          errors: [{ pointer: '/body', reason: 'no field differs from the breach as recorded' }],
        },
      );
    checkTimes(after);
    await tx
      .updateTable('breaches')
      .set({
        started_at: new Date(after.startedAt),
        discovered_at: new Date(after.discoveredAt),
        details: JSON.stringify(detailsOf(after)),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await addHistory(tx, id, now, actor, 'updated', note, changes);
    return { changed: Object.keys(changes), discoveredAt: changes.discoveredAt ? new Date(after.discoveredAt) : null };
  });
  if (discoveredAt) {
    for (const p of await partsOf(ctx, id)) {
      await ctx.db.tenant(p.tenantId, (tx) =>
        tx
          .updateTable('breach_notices')
          .set({ deadline: new Date(discoveredAt.getTime() + p.noticeHours * 3_600_000) })
          .where('tenant_id', '=', p.tenantId)
          .where('breach_id', '=', id)
          .execute(),
      );
    }
  }
  const mailed = await tellCustomers(ctx, id, 'update', note, changed, actor, now);
  return { changed, mailed };
}

/** Closes a breach (with a closing note in the history); the customers already told get the closing by mail. */
export async function closeBreach(
  ctx: AppContext,
  id: string,
  note: string,
  actor: Actor,
  now = new Date(),
): Promise<{ mailed: number }> {
  await ctx.db.owner('breaches', async (tx) => {
    const row = await loadBreach(tx, id, true);
    if (row.status === 'closed') throw new AppError(ErrorCode.CONFLICT, { key: 'problems:breaches.alreadyClosed' });
    await tx
      .updateTable('breaches')
      .set({ status: 'closed', closed_at: now, updated_at: now })
      .where('id', '=', id)
      .execute();
    await addHistory(tx, id, now, actor, 'closed', note, {});
  });
  return { mailed: await tellCustomers(ctx, id, 'closing', note, [], actor, now) };
}

// ------------------------------------------------------------------------------------------ BRE-3, BRE-2

/** BRE-3: what a scope would record, without recording it (the operator's preview). */
export async function previewScope(ctx: AppContext, id: string, scope: BreachScope): Promise<Impact[]> {
  await ctx.db.owner('breaches', (tx) => loadBreach(tx, id));
  return computeImpact(ctx, scope);
}

/** A customer's agreed breach notice hours (AGR-2). */
async function noticeHoursOf(tx: Tx, tenantId: string): Promise<number> {
  const a = await tx
    .selectFrom('agreements')
    .select('breach_notice_hours')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return a?.breach_notice_hours ?? DEFAULT_TERMS.breachNoticeHours;
}

/**
 * BRE-3, BRE-2: records a scope. Each affected customer's part gets the computed numbers with the
 * scope that produced them (a part recorded before is replaced: the latest scope counts for that
 * customer; customers the scope does not affect keep their part) and its deadline, discovery plus its
 * own agreed hours, in its own chain. Customers already told get the new numbers by mail.
 */
export async function recordScope(
  ctx: AppContext,
  id: string,
  scope: BreachScope,
  actor: Actor,
  now = new Date(),
): Promise<Impact[]> {
  const breach = await ctx.db.owner('breaches', async (tx) => {
    const row = await loadBreach(tx, id);
    if (row.status === 'closed') throw new AppError(ErrorCode.CONFLICT, { key: 'problems:breaches.closed' });
    return viewOf(row);
  });
  const impacts = await computeImpact(ctx, scope);
  const discovered = new Date(breach.fields.discoveredAt).getTime();
  const told: string[] = [];
  for (const i of impacts) {
    await ctx.db.tenant(i.tenantId, async (tx) => {
      const hours = await noticeHoursOf(tx, i.tenantId);
      const deadline = new Date(discovered + hours * 3_600_000);
      const values = {
        scope: JSON.stringify(i.scope),
        contacts: i.contacts,
        responses: i.responses,
        users: i.users,
        categories: i.categories,
        basis: JSON.stringify(i.basis),
        computed_at: now,
        notice_hours: hours,
        deadline,
      };
      const row = await tx
        .insertInto('breach_notices')
        .values({ tenant_id: i.tenantId, breach_id: id, ...values })
        .onConflict((oc) => oc.columns(['tenant_id', 'breach_id']).doUpdateSet(values))
        .returning('notified_at')
        .executeTakeFirstOrThrow();
      if (row.notified_at) told.push(i.tenantId);
      await audit(tx, i.tenantId, actor, {
        action: AuditAction.BREACH_SCOPED,
        subject: { kind: 'breach', id },
        details: {
          number: breach.number,
          contacts: i.contacts,
          responses: i.responses,
          users: i.users,
          categories: i.categories,
          noticeHours: hours,
          deadline: deadline.toISOString(),
        },
      });
    });
  }
  await ctx.db.owner('breaches', async (tx) => {
    const actorKind = scope.actor?.kind ?? null;
    await addHistory(tx, id, now, actor, 'scope', null, {
      customers: impacts.length,
      contacts: impacts.reduce((s, i) => s + i.contacts, 0),
      responses: impacts.reduce((s, i) => s + i.responses, 0),
      // The scope without an address (an email or IP stays out of the operator's register).
      scope: {
        customers: scope.customers === 'all' ? 'all' : scope.customers.length,
        categories: scope.categories ?? [],
        tables: scope.tables ?? [],
        window: scope.window,
        records: scope.records ?? 'existing',
        actor: actorKind && (scope.actor!.kind === 'user' || scope.actor!.kind === 'apikey') ? scope.actor : actorKind,
      },
    });
  });
  if (told.length)
    await tellCustomers(
      ctx,
      id,
      'update',
      'De aantallen voor uw organisatie zijn opnieuw berekend. / The numbers for your organisation were recomputed.',
      ['own'],
      actor,
      now,
      told,
    );
  return impacts;
}

// ------------------------------------------------------------------------------------------ BRE-4

/** BRE-4: the operator notifies every affected customer not told yet. Returns how many were told. */
export async function notifyCustomers(ctx: AppContext, id: string, actor: Actor, now = new Date()): Promise<number> {
  await ctx.db.owner('breaches', (tx) => loadBreach(tx, id));
  const waiting = (await partsOf(ctx, id)).filter((p) => !p.notifiedAt).map((p) => p.tenantId);
  if (!waiting.length) return 0;
  const n = await tellCustomers(ctx, id, 'notice', null, [], actor, now, waiting);
  await ctx.db.owner('breaches', (tx) => addHistory(tx, id, now, actor, 'notified', null, { customers: n }));
  return n;
}

/**
 * Mails one kind of message to customers (by default: every customer already told), then records
 * what it said (sealed) in the customer's log, with an audit row. The mail goes first: a customer is
 * recorded as told only when the mail server took the mail (a failure leaves it for the next try).
 */
async function tellCustomers(
  ctx: AppContext,
  id: string,
  kind: MessageContent['kind'],
  note: string | null,
  changed: string[],
  actor: Actor,
  now: Date,
  tenantIds?: string[],
): Promise<number> {
  const breach = await ctx.db.owner('breaches', (tx) => loadBreach(tx, id).then(viewOf));
  const parts = (await partsOf(ctx, id)).filter((p) =>
    tenantIds ? tenantIds.includes(p.tenantId) : p.notifiedAt !== null,
  );
  let told = 0;
  for (const p of parts) {
    const own: OwnNumbers = {
      contacts: p.contacts,
      responses: p.responses,
      users: p.users,
      categories: p.categories,
      noticeHours: p.noticeHours,
      deadline: p.deadline,
    };
    const content: MessageContent = {
      kind,
      number: breach.number,
      status: breach.status,
      fields: toldFields(breach.fields),
      own,
      note,
      changed,
      sentAt: now.toISOString(),
    };
    const recipients = await ctx.db.tenant(p.tenantId, (tx) => noticeRecipients(tx, p.tenantId));
    let ok = true;
    for (const to of recipients.emails)
      ok = (await ctx.mailer.send(p.tenantId, 'breach-notice', composeMessage(content, to, ctx.env.baseUrl))).ok && ok;
    if (!ok) {
      log.error(
        { worker: 'breaches' },
        `[breaches] a ${kind} of breach ${breach.number} was not accepted by the mail server; it is not recorded as sent`,
      );
      continue;
    }
    await ctx.db.tenant(p.tenantId, async (tx) => {
      const keys = await ctx.keyring.forTenant(p.tenantId, tx);
      const last = await tx
        .selectFrom('breach_notice_messages')
        .select(sql<number>`coalesce(max(seq), 0)`.as('seq'))
        .where('breach_id', '=', id)
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('breach_notice_messages')
        .values({
          tenant_id: p.tenantId,
          breach_id: id,
          seq: Number(last.seq) + 1,
          kind,
          sent_at: now,
          sent_to: recipients.to,
          content_enc: keys.sealJson(content),
        })
        .execute();
      if (kind === 'notice')
        await tx
          .updateTable('breach_notices')
          .set({ notified_at: now, notified_to: recipients.to })
          .where('tenant_id', '=', p.tenantId)
          .where('breach_id', '=', id)
          .where('notified_at', 'is', null)
          .execute();
      await audit(tx, p.tenantId, kind === 'notice' ? actor : actor.kind === 'operator' ? actor : systemActor, {
        action: AuditAction.BREACH_NOTIFIED,
        subject: { kind: 'breach', id },
        details: { number: breach.number, kind, to: recipients.to, recipients: recipients.emails.length },
      });
    });
    told++;
  }
  return told;
}

/** BRE-4: one mail to a customer, Dutch first, English beside it; its own numbers only (`mails:breach.*`). */
export function composeMessage(c: MessageContent, to: string, baseUrl: string): MailMessage {
  const link = `${baseUrl}/app/privacy/breaches`;
  const number = String(c.number);
  const lines = bilingual((t, lang) => [
    t('mails:staff.dearPrivacy'),
    '',
    t('mails:breach.intro', { kind: c.kind, number }),
    ...(c.note ? ['', t('mails:staff.note', { note: c.note })] : []),
    ...(c.changed.length && c.changed[0] !== 'own'
      ? [t('mails:breach.changed', { fields: c.changed.join(', ') })]
      : []),
    '',
    t('mails:breach.breachTitle'),
    ...fieldLines(c.fields, lang).map((l) => (l.startsWith('  ') ? l : `- ${l}`)),
    '',
    t('mails:breach.ownTitle'),
    ...ownLines(c.own, lang).map((l) => `- ${l}`),
    '',
    t('mails:breach.log', { link }),
  ]);
  return {
    to,
    subject: bilingualSubject('mails:breach.subject', { kind: c.kind, number }),
    text: bilingualText(lines),
  };
}

// ------------------------------------------------------------------------------------------ BRE-2 board

export interface BoardItem {
  breachId: string;
  number: number;
  breachStatus: 'open' | 'closed';
  tenantId: string;
  tenantName: string;
  noticeHours: number;
  deadline: string;
  hoursLeft: number;
  state: 'overdue' | 'near' | 'pending';
  alerts: { near: string | null; overdue: string | null };
}

/**
 * BRE-2: when a notification counts as near due: when at most a quarter of the customer's window or
 * 6 hours remain, whichever comes first (24 h: the last 6 h; 36 h: the last 9 h; 72 h: the last 18 h).
 */
export function nearFromMs(noticeHours: number): number {
  return Math.max(6, noticeHours / 4) * 3_600_000;
}

/** BRE-2: the customers not told yet, as at `at`: overdue, near due, or pending. */
export async function breachBoard(
  ctx: AppContext,
  at = new Date(),
): Promise<{ at: string; overdue: BoardItem[]; near: BoardItem[]; pending: BoardItem[] }> {
  const breaches = new Map(
    (
      await ctx.db.owner('breaches', (tx) => tx.selectFrom('breaches').select(['id', 'number', 'status']).execute())
    ).map((b) => [b.id, b]),
  );
  const items: BoardItem[] = [];
  for (const p of await partsOf(ctx)) {
    if (p.notifiedAt) continue;
    const b = breaches.get(p.breachId)!;
    const left = Date.parse(p.deadline) - at.getTime();
    const state = left <= 0 ? 'overdue' : left <= nearFromMs(p.noticeHours) ? 'near' : 'pending';
    items.push({
      breachId: p.breachId,
      number: Number(b.number),
      breachStatus: b.status,
      tenantId: p.tenantId,
      tenantName: p.tenantName,
      noticeHours: p.noticeHours,
      deadline: p.deadline,
      hoursLeft: Math.round((left / 3_600_000) * 10) / 10,
      state,
      alerts: p.alerts,
    });
  }
  return {
    at: at.toISOString(),
    overdue: items.filter((i) => i.state === 'overdue'),
    near: items.filter((i) => i.state === 'near'),
    pending: items.filter((i) => i.state === 'pending'),
  };
}

/**
 * BRE-2: the alert tick. Every customer not told yet whose notification is near due (see nearFromMs)
 * or overdue: the operators get one mail per threshold. The threshold is claimed in the customer's row
 * first (alert_near_at, alert_overdue_at), so two ticks never send it twice; a failed mail releases the
 * claim for the next tick. Returns the number of alerts sent.
 */
export async function runBreachTick(ctx: AppContext, now = new Date()): Promise<number> {
  const board = await breachBoard(ctx, now);
  const due = [
    ...board.overdue.map((i) => ({ i, which: 'overdue' as const })),
    ...board.near.map((i) => ({ i, which: 'near' as const })),
  ].filter(({ i, which }) => !i.alerts[which]);
  if (!due.length) return 0;
  const operators = await ctx.db.global((tx) =>
    tx.selectFrom('operators').select(['email', 'name']).orderBy('email').execute(),
  );
  let sent = 0;
  for (const { i, which } of due) {
    const column = which === 'near' ? 'alert_near_at' : 'alert_overdue_at';
    const claimed = await ctx.db.tenant(i.tenantId, (tx) =>
      tx
        .updateTable('breach_notices')
        .set({ [column]: now })
        .where('tenant_id', '=', i.tenantId)
        .where('breach_id', '=', i.breachId)
        .where(column, 'is', null)
        .where('notified_at', 'is', null)
        .executeTakeFirst(),
    );
    if (Number(claimed.numUpdatedRows) === 0) continue;
    let ok = operators.length > 0;
    for (const op of operators)
      ok =
        (await ctx.mailer.send(i.tenantId, 'breach-alert', composeAlert(i, which, op.email, ctx.env.baseUrl))).ok && ok;
    if (!ok) {
      await ctx.db.tenant(i.tenantId, (tx) =>
        tx
          .updateTable('breach_notices')
          .set({ [column]: null })
          .where('tenant_id', '=', i.tenantId)
          .where('breach_id', '=', i.breachId)
          .execute(),
      );
      continue;
    }
    sent++;
  }
  return sent;
}

/** BRE-2: the alert to an operator (`mails:breachAlert.*`); the deadline in Amsterdam time. */
export function composeAlert(i: BoardItem, which: 'near' | 'overdue', to: string, baseUrl: string): MailMessage {
  const link = `${baseUrl}/app/operator/privacy/breaches`;
  const number = String(i.number);
  const lines = bilingual((t, lang) => [
    t(which === 'overdue' ? 'mails:breachAlert.overdue' : 'mails:breachAlert.near', {
      number,
      org: i.tenantName,
      hours: i.noticeHours,
      deadline: when(i.deadline, lang),
      left: i.hoursLeft,
    }),
    link,
  ]);
  return {
    to,
    subject: bilingualSubject(
      which === 'overdue' ? 'mails:breachAlert.overdueSubject' : 'mails:breachAlert.nearSubject',
      { number },
    ),
    text: bilingualText(lines),
  };
}

// ------------------------------------------------------------------------------------------ the customer's log

export interface CustomerBreach {
  id: string;
  number: number;
  status: 'open' | 'closed';
  notifiedAt: string;
  notifiedTo: 'privacy_contact' | 'owners' | 'nobody' | null;
  /** The breach as last told, and this customer's own numbers. */
  current: MessageContent;
  messages: Array<{
    seq: number;
    kind: MessageContent['kind'];
    sentAt: string;
    sentTo: string;
    content: MessageContent;
  }>;
  /** The names of the data categories in the messages (register vocabulary), Dutch and English. */
  categoryLabels: Record<string, { nl: string; en: string }>;
}

/** BRE-4: the breaches this customer was told of, with every mail it got; its own part only. */
export async function customerBreaches(ctx: AppContext, tenantId: string): Promise<CustomerBreach[]> {
  return ctx.db.tenant(tenantId, async (tx) => {
    const notices = await tx
      .selectFrom('breach_notices')
      .select(['breach_id', 'notified_at', 'notified_to'])
      .where('notified_at', 'is not', null)
      .orderBy('notified_at', 'desc')
      .execute();
    if (!notices.length) return [];
    const keys = await ctx.keyring.forTenant(tenantId, tx);
    const messages = await tx.selectFrom('breach_notice_messages').selectAll().orderBy('seq').execute();
    return notices.map((n) => {
      const mine = messages
        .filter((m) => m.breach_id === n.breach_id)
        .map((m) => ({
          seq: m.seq,
          kind: m.kind,
          sentAt: new Date(m.sent_at).toISOString(),
          sentTo: m.sent_to,
          content: keys.openJson(m.content_enc) as MessageContent,
        }));
      const current = mine[mine.length - 1]!.content;
      const codes = new Set(mine.flatMap((m) => [...m.content.fields.categories, ...m.content.own.categories]));
      const categoryLabels = Object.fromEntries([...codes].map((c) => [c, categoryLabel(c)]));
      return {
        id: n.breach_id,
        number: current.number,
        status: mine.some((m) => m.kind === 'closing') ? 'closed' : 'open',
        notifiedAt: new Date(n.notified_at!).toISOString(),
        notifiedTo: n.notified_to,
        current,
        messages: mine,
        categoryLabels,
      };
    });
  });
}

/** OBLIGATIONS BRE-2: at start and every BREACH_SWEEP_SECONDS (0: never); returns the stop function. */
export function startBreachTicker(ctx: AppContext): () => Promise<void> {
  return startTick('[breaches] alert tick', ctx.env.BREACH_SWEEP_SECONDS, () => runBreachTick(ctx), { db: ctx.db });
}
