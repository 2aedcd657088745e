import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { Tx } from '../../lib/db/db.js';
import type { Lang, RequestKind, RequestStatus } from '../../lib/db/schema.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { bilingual, bilingualSubject, bilingualText, translate, translator } from '../../lib/i18n.js';
import type { MailMessage } from '../../lib/mail/mailer.js';
import { startTick } from '../../lib/tick.js';
import { randomTenantToken, tenantOfToken } from '../../lib/tokens.js';
import { addMonths, dateIn } from '../agreement/dates.js';
import { longDate } from '../agreement/document.js';
import { noticeRecipients } from '../agreement/service.js';

/**
 * OBLIGATIONS DSR-1: requests of respondents. Filed on the public page (routes.ts), confirmed from a
 * mail to the address, then forwarded to the customer (the controller, who decides: Peil only carries
 * the request and the customer's answer). Due one calendar month after receipt (GDPR art. 12(3)),
 * extendable once by two further months with a reason; reminded before it is due.
 */
export const REQUEST_KINDS = ['access', 'rectification', 'erasure', 'objection', 'portability'] as const;

/** What the respondent asks for, in the respondent's language (`respondent:requests.kinds`, issue 14). */
export const kindText = (kind: RequestKind, lang: Lang): string =>
  translator(lang)(`respondent:requests.kinds.${kind}`);

/** How many unconfirmed requests one address may have per day, per customer (mail bombing); more are dropped silently. */
export const UNCONFIRMED_PER_ADDRESS_PER_DAY = 3;
/** Reminder to the privacy contact this many days before the due date. */
export const REMIND_DAYS_BEFORE = 7;

const hashToken = (token: string) => createHash('sha256').update(token).digest();

/** Today's date in Amsterdam plus one calendar month (31 January → 28/29 February). */
export function dueDateOf(receivedAt: Date): string {
  return addMonths(dateIn(receivedAt), 1);
}

// ---------------------------------------------------------------- mails

function respondentMail(to: string, lang: Lang, org: string, subject: string, lines: string[]): MailMessage {
  const footer = translate(lang, { key: 'mails:requests.footer', params: { org } });
  return { to, subject, text: `${lines.join('\n')}\n\n--\n${footer}\n` };
}

function confirmationMail(
  to: string,
  lang: Lang,
  org: string,
  kind: RequestKind,
  link: string,
  hours: number,
): MailMessage {
  const t = translator(lang);
  return respondentMail(to, lang, org, t('mails:requests.confirmSubject', { org }), [
    t('mails:requests.confirmFiled', { org, kind: kindText(kind, lang) }),
    '',
    t('mails:requests.confirmLink', { hours }),
    link,
    '',
    t('mails:requests.confirmNotYou'),
  ]);
}

function receivedMail(to: string, lang: Lang, org: string, kind: RequestKind, dueOn: string): MailMessage {
  const t = translator(lang);
  return respondentMail(to, lang, org, t('mails:requests.receivedSubject', { org }), [
    t('mails:requests.received', { org, kind: kindText(kind, lang) }),
    t('mails:requests.receivedDue', { org, due: longDate(dueOn, lang) }),
  ]);
}

function extendedMail(
  to: string,
  lang: Lang,
  org: string,
  kind: RequestKind,
  dueOn: string,
  reason: string,
): MailMessage {
  const t = translator(lang);
  return respondentMail(to, lang, org, t('mails:requests.extendedSubject', { org }), [
    t('mails:requests.extended', { org, kind: kindText(kind, lang), due: longDate(dueOn, lang) }),
    t('mails:requests.extendedReason', { reason }),
  ]);
}

function decidedMail(
  to: string,
  lang: Lang,
  org: string,
  kind: RequestKind,
  decision: 'done' | 'refused',
  reason: string | null,
): MailMessage {
  const t = translator(lang);
  return respondentMail(
    to,
    lang,
    org,
    t(decision === 'done' ? 'mails:requests.doneSubject' : 'mails:requests.refusedSubject', { org }),
    [
      t(decision === 'done' ? 'mails:requests.done' : 'mails:requests.refused', { org, kind: kindText(kind, lang) }),
      ...(reason ? [t('mails:requests.explanation', { reason })] : []),
      ...(decision === 'refused' ? [t('mails:requests.complaint')] : []),
    ],
  );
}

function customerMail(
  to: string,
  org: string,
  kind: RequestKind,
  dueOn: string,
  baseUrl: string,
  reminder: boolean,
): MailMessage {
  const link = `${baseUrl}/app/privacy/requests`;
  const text = bilingual((t, lang) => {
    const params = { org, kind: kindText(kind, lang), due: longDate(dueOn, lang) };
    return [
      ...(reminder
        ? [t('mails:privacyRequest.reminder', params)]
        : [t('mails:privacyRequest.filed', params), t('mails:privacyRequest.decide', params)]),
      link,
    ];
  });
  return {
    to,
    subject: bilingualSubject(
      reminder ? 'mails:privacyRequest.reminderSubject' : 'mails:privacyRequest.newSubject',
      undefined,
      ` (${dueOn})`,
    ),
    text: bilingualText(text),
  };
}

/** The privacy contact of the agreement, or the active owners when there is none (agreement/service.ts). */
async function privacyRecipients(
  tx: Tx,
  tenantId: string,
): Promise<{ to: string[]; notified: 'privacy_contact' | 'owners'; org: string }> {
  const r = await noticeRecipients(tx, tenantId);
  const tenant = await tx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow();
  return { to: r.emails, notified: r.to === 'privacy_contact' ? 'privacy_contact' : 'owners', org: tenant.name };
}

async function mailAll(ctx: AppContext, tenantId: string, kind: string, msgs: MailMessage[]): Promise<number> {
  let sent = 0;
  for (const m of msgs) {
    try {
      if ((await ctx.mailer.send(tenantId, kind, m)).ok) sent++;
    } catch {
      // Counted as not sent; the tick tries reminders again, the page told the respondent what to expect.
    }
  }
  return sent;
}

// ---------------------------------------------------------------- filing and confirming

export interface FileInput {
  tenantId: string;
  keys: TenantKeys;
  kind: RequestKind;
  lang: Lang;
  message: string | null;
  /** From an invitation link: the address is the contact's. */
  invitationId?: string;
  /** From the customer link: the address typed. */
  email?: string;
}

/**
 * Stores an unconfirmed request and mails the confirmation link to the address. The caller shows the
 * same page whatever happened: whether the address belongs to a contact is never looked at here, and
 * an address over its daily limit gets no mail, silently (enumeration, mail bombing).
 * Returns false only when an invitation link no longer leads to a contact (the link is then invalid).
 */
export async function fileRequest(ctx: AppContext, input: FileInput, now = new Date()): Promise<boolean> {
  const token = randomTenantToken(input.tenantId, 32);
  const work = await ctx.db.tenant(input.tenantId, async (tx) => {
    let email = input.email ?? null;
    let contactId: string | null = null;
    if (input.invitationId) {
      const row = await tx
        .selectFrom('invitations as i')
        .innerJoin('contacts as c', (j) =>
          j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'),
        )
        .select(['c.id', 'c.email_enc'])
        .where('i.id', '=', input.invitationId)
        .executeTakeFirst();
      if (!row) return 'invalid' as const;
      email = input.keys.open(row.email_enc);
      contactId = row.id;
    }
    if (!email) return 'invalid' as const;
    const hmac = input.keys.emailIndex(email);
    const recent = await tx
      .selectFrom('data_subject_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('email_hmac', '=', hmac)
      .where('status', '=', 'unconfirmed')
      .where('created_at', '>', new Date(now.getTime() - 24 * 3600_000))
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= UNCONFIRMED_PER_ADDRESS_PER_DAY) return 'limited' as const;
    const tenant = await tx
      .selectFrom('tenants')
      .select('name')
      .where('id', '=', input.tenantId)
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('data_subject_requests')
      .values({
        tenant_id: input.tenantId,
        id: randomUUID(),
        kind: input.kind,
        lang: input.lang,
        source: input.invitationId ? 'invitation' : 'open',
        invitation_id: input.invitationId ?? null,
        contact_id: contactId,
        email_hmac: hmac,
        email_enc: input.keys.seal(email.trim()),
        message_enc: input.message ? input.keys.seal(input.message) : null,
        confirm_hash: hashToken(token),
        confirm_expires_at: new Date(now.getTime() + ctx.env.REQUEST_CONFIRM_HOURS * 3600_000),
        created_at: now,
      })
      .execute();
    return { email: email.trim(), org: tenant.name };
  });
  if (work === 'invalid') return false;
  if (work === 'limited') return true;
  await mailAll(ctx, input.tenantId, 'request-confirmation', [
    confirmationMail(
      work.email,
      input.lang,
      work.org,
      input.kind,
      `${ctx.env.baseUrl}/r/c/${token}`,
      ctx.env.REQUEST_CONFIRM_HOURS,
    ),
  ]);
  return true;
}

export interface PendingConfirmation {
  lang: Lang;
  org: string;
  kind: RequestKind;
}

/** The request a confirmation link names, when it is still unconfirmed and not expired; null for anything else. */
export async function pendingConfirmation(
  ctx: AppContext,
  token: string,
  now = new Date(),
): Promise<PendingConfirmation | null> {
  const tenantId = tenantOfToken(token);
  if (!tenantId) return null;
  return ctx.db.tenant(tenantId, async (tx) => {
    const row = await tx
      .selectFrom('data_subject_requests as r')
      .innerJoin('tenants as t', 't.id', 'r.tenant_id')
      .select(['r.lang', 'r.kind', 't.name', 't.status as tenant_status'])
      .where('r.confirm_hash', '=', hashToken(token))
      .where('r.status', '=', 'unconfirmed')
      .where('r.confirm_expires_at', '>', now)
      .executeTakeFirst();
    return row && row.tenant_status === 'active' ? { lang: row.lang as Lang, org: row.name, kind: row.kind } : null;
  });
}

export interface Confirmed {
  lang: Lang;
  org: string;
  kind: RequestKind;
  dueOn: string;
}

/**
 * The respondent confirmed: the request is received now and forwarded: the privacy contact (or the
 * owners) gets a mail, the respondent a receipt naming the customer and the due date. Null when the
 * link is unknown, used or expired.
 */
export async function confirmRequest(
  ctx: AppContext,
  token: string,
  actor: Actor,
  now = new Date(),
): Promise<Confirmed | null> {
  const tenantId = tenantOfToken(token);
  if (!tenantId) return null;
  let keys: TenantKeys;
  try {
    keys = await ctx.keyring.forTenant(tenantId);
  } catch {
    return null;
  }
  const work = await ctx.db.tenant(tenantId, async (tx) => {
    const row = await tx
      .selectFrom('data_subject_requests')
      .select(['id', 'lang', 'kind', 'source', 'email_hmac', 'email_enc', 'contact_id'])
      .where('confirm_hash', '=', hashToken(token))
      .where('status', '=', 'unconfirmed')
      .where('confirm_expires_at', '>', now)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return null;
    const tenant = await tx
      .selectFrom('tenants')
      .select(['name', 'status'])
      .where('id', '=', tenantId)
      .executeTakeFirstOrThrow();
    if (tenant.status !== 'active') return null;
    const dueOn = dueDateOf(now);
    // A typed address that is a contact's: the customer sees which (its own data); the respondent never does.
    const contactId =
      row.contact_id ??
      (await tx.selectFrom('contacts').select('id').where('email_hmac', '=', row.email_hmac).executeTakeFirst())?.id ??
      null;
    const recipients = await privacyRecipients(tx, tenantId);
    await tx
      .updateTable('data_subject_requests')
      .set({
        status: 'received',
        received_at: now,
        due_on: dueOn,
        original_due_on: dueOn,
        confirm_hash: null,
        contact_id: contactId,
        forwarded_to: recipients.to.length ? recipients.notified : 'nobody',
      })
      .where('id', '=', row.id)
      .execute();
    await audit(tx, tenantId, actor, {
      action: AuditAction.REQUEST_RECEIVED,
      subject: { kind: 'request', id: row.id },
      details: { kind: row.kind, source: row.source, dueOn, matchedContact: contactId !== null },
    });
    return { id: row.id, lang: row.lang as Lang, kind: row.kind, email: keys.open(row.email_enc!), dueOn, recipients };
  });
  if (!work) return null;
  const sent = await mailAll(
    ctx,
    tenantId,
    'request-received',
    work.recipients.to.map((to) =>
      customerMail(to, work.recipients.org, work.kind, work.dueOn, ctx.env.baseUrl, false),
    ),
  );
  await mailAll(ctx, tenantId, 'request-receipt', [
    receivedMail(work.email, work.lang, work.recipients.org, work.kind, work.dueOn),
  ]);
  await ctx.db.tenant(tenantId, (tx) =>
    audit(
      tx,
      tenantId,
      { kind: 'system', id: null },
      {
        action: AuditAction.REQUEST_NOTIFIED,
        subject: { kind: 'request', id: work.id },
        details: { to: work.recipients.notified, recipients: sent, reminder: false },
      },
    ),
  );
  return { lang: work.lang, org: work.recipients.org, kind: work.kind, dueOn: work.dueOn };
}

// ---------------------------------------------------------------- the customer's side

export interface RequestView {
  id: string;
  kind: RequestKind;
  status: RequestStatus;
  lang: Lang;
  source: 'invitation' | 'open';
  email: string | null;
  message: string | null;
  contactId: string | null;
  receivedAt: string | null;
  dueOn: string | null;
  originalDueOn: string | null;
  extendedAt: string | null;
  extensionReason: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  overdue: boolean;
}

const COLUMNS = [
  'id',
  'kind',
  'status',
  'lang',
  'source',
  'email_enc',
  'message_enc',
  'contact_id',
  'received_at',
  'extended_at',
  'extension_reason_enc',
  'decided_at',
  'decision_reason_enc',
] as const;
const dueText = sql<string | null>`due_on::text`.as('due_on');
const originalText = sql<string | null>`original_due_on::text`.as('original_due_on');

/** The forwarded requests (never the unconfirmed or expired ones), open first, by due date. */
export async function listRequests(tx: Tx, keys: TenantKeys, now = new Date()): Promise<RequestView[]> {
  const rows = await tx
    .selectFrom('data_subject_requests')
    .select([...COLUMNS, dueText, originalText])
    .where('status', 'in', ['received', 'extended', 'done', 'refused'])
    .orderBy(sql`status IN ('received', 'extended')`, 'desc')
    .orderBy('due_on')
    .orderBy('received_at')
    .execute();
  const today = dateIn(now);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    lang: r.lang as Lang,
    source: r.source,
    email: r.email_enc ? keys.open(r.email_enc) : null,
    message: r.message_enc ? keys.open(r.message_enc) : null,
    contactId: r.contact_id,
    receivedAt: r.received_at ? new Date(r.received_at).toISOString() : null,
    dueOn: r.due_on,
    originalDueOn: r.original_due_on,
    extendedAt: r.extended_at ? new Date(r.extended_at).toISOString() : null,
    extensionReason: r.extension_reason_enc ? keys.open(r.extension_reason_enc) : null,
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    decisionReason: r.decision_reason_enc ? keys.open(r.decision_reason_enc) : null,
    overdue: (r.status === 'received' || r.status === 'extended') && r.due_on !== null && r.due_on < today,
  }));
}

/**
 * OBLIGATIONS DSR-1, AUD-1: the customer's requests for its audit pack: ids and dates only, no
 * address, no message, no reason (those are sealed, and an auditor checks the handling, not the
 * person). Forwarded requests only (never the unconfirmed or expired ones, which reached nobody).
 * `late`: decided after its due date (or still open past it).
 */
export interface AuditedRequest {
  id: string;
  kind: RequestKind;
  source: 'invitation' | 'open';
  status: RequestStatus;
  receivedAt: string | null;
  dueOn: string | null;
  extended: { at: string; originalDueOn: string | null } | null;
  decidedAt: string | null;
  decidedBy: string | null;
  decision: 'done' | 'refused' | null;
  late: boolean;
}

export async function requestsForAudit(tx: Tx, tenantId: string, now = new Date()): Promise<AuditedRequest[]> {
  const rows = await tx
    .selectFrom('data_subject_requests')
    .select([
      'id',
      'kind',
      'source',
      'status',
      'received_at',
      'extended_at',
      'decided_at',
      'decided_by',
      dueText,
      originalText,
    ])
    .where('tenant_id', '=', tenantId)
    .where('status', 'in', ['received', 'extended', 'done', 'refused'])
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    const decision = r.status === 'done' || r.status === 'refused' ? r.status : null;
    const end = decision && r.decided_at ? dateIn(new Date(r.decided_at)) : dateIn(now);
    return {
      id: r.id,
      kind: r.kind,
      source: r.source,
      status: r.status,
      receivedAt: r.received_at ? new Date(r.received_at).toISOString() : null,
      dueOn: r.due_on,
      extended: r.extended_at ? { at: new Date(r.extended_at).toISOString(), originalDueOn: r.original_due_on } : null,
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
      decidedBy: r.decided_by,
      decision,
      late: r.due_on !== null && r.due_on < end,
    };
  });
}

async function openRequest(tx: Tx, id: string) {
  const row = await tx
    .selectFrom('data_subject_requests')
    .select(['id', 'kind', 'status', 'lang', 'email_enc', 'extended_at', originalText, dueText])
    .where('id', '=', id)
    .where('status', 'in', ['received', 'extended', 'done', 'refused'])
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw AppError.notFound('request');
  return row;
}

/** GDPR art. 12(3): once, by two further months from the original due date, with a reason the respondent is told. */
export async function extendRequest(
  ctx: AppContext,
  tenantId: string,
  id: string,
  reason: string,
  userId: string,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  const keys = await ctx.keyring.forTenant(tenantId);
  const work = await ctx.db.tenant(tenantId, async (tx) => {
    const r = await openRequest(tx, id);
    if (r.status === 'extended') throw new AppError(ErrorCode.CONFLICT, { key: 'problems:requests.extendedAlready' });
    if (r.status !== 'received')
      throw new AppError(ErrorCode.CONFLICT, { key: 'problems:requests.settled', params: { status: r.status } });
    if (r.due_on! < dateIn(now))
      throw new AppError(ErrorCode.CONFLICT, { key: 'problems:requests.duePassed', params: { due: r.due_on! } });
    const dueOn = addMonths(r.original_due_on!, 2);
    await tx
      .updateTable('data_subject_requests')
      .set({
        status: 'extended',
        due_on: dueOn,
        extended_at: now,
        extension_reason_enc: keys.seal(reason),
        decided_by: userId,
      })
      .where('id', '=', id)
      .execute();
    await audit(tx, tenantId, actor, {
      action: AuditAction.REQUEST_EXTENDED,
      subject: { kind: 'request', id },
      details: { from: r.due_on, to: dueOn },
    });
    const tenant = await tx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow();
    return {
      email: r.email_enc ? keys.open(r.email_enc) : null,
      lang: r.lang as Lang,
      kind: r.kind,
      dueOn,
      org: tenant.name,
    };
  });
  if (work.email)
    await mailAll(ctx, tenantId, 'request-extended', [
      extendedMail(work.email, work.lang, work.org, work.kind, work.dueOn, reason),
    ]);
}

/** The customer's decision: done, or refused with a reason; the respondent is told. */
export async function decideRequest(
  ctx: AppContext,
  tenantId: string,
  id: string,
  decision: 'done' | 'refused',
  reason: string | null,
  userId: string,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  if (decision === 'refused' && !reason)
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:requests.refusalReason' },
      { errors: [{ pointer: '/body/reason', reason: 'required for a refusal' }] },
    );
  const keys = await ctx.keyring.forTenant(tenantId);
  const work = await ctx.db.tenant(tenantId, async (tx) => {
    const r = await openRequest(tx, id);
    if (r.status !== 'received' && r.status !== 'extended')
      throw new AppError(ErrorCode.CONFLICT, { key: 'problems:requests.settledAlready', params: { status: r.status } });
    await tx
      .updateTable('data_subject_requests')
      .set({
        status: decision,
        decided_at: now,
        decided_by: userId,
        decision_reason_enc: reason ? keys.seal(reason) : null,
      })
      .where('id', '=', id)
      .execute();
    await audit(tx, tenantId, actor, {
      action: AuditAction.REQUEST_DECIDED,
      subject: { kind: 'request', id },
      details: { decision, late: r.due_on! < dateIn(now) },
    });
    const tenant = await tx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow();
    return { email: r.email_enc ? keys.open(r.email_enc) : null, lang: r.lang as Lang, kind: r.kind, org: tenant.name };
  });
  if (work.email)
    await mailAll(ctx, tenantId, 'request-decided', [
      decidedMail(work.email, work.lang, work.org, work.kind, decision, reason),
    ]);
}

/** Tells the respondents of requests an erasure carried out (after its commit). */
export async function noticeErased(
  ctx: AppContext,
  tenantId: string,
  notices: Array<{ email: string; lang: Lang; kind: RequestKind }>,
): Promise<void> {
  if (!notices.length) return;
  const org = await ctx.db.tenant(
    tenantId,
    async (tx) =>
      (await tx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow()).name,
  );
  await mailAll(
    ctx,
    tenantId,
    'request-decided',
    notices.map((n) => decidedMail(n.email, n.lang, org, n.kind, 'done', null)),
  );
}

// ---------------------------------------------------------------- the tick

/**
 * For one customer: a reminder to the privacy contact for every open request due within
 * REMIND_DAYS_BEFORE days (once per due date: an extension reminds again), and unconfirmed requests
 * whose link expired lose their address and text.
 */
export async function sweepRequests(
  ctx: AppContext,
  tenantId: string,
  now = new Date(),
): Promise<{ reminded: number; expired: number }> {
  const limit = new Date(`${dateIn(now)}T12:00:00Z`);
  limit.setUTCDate(limit.getUTCDate() + REMIND_DAYS_BEFORE);
  const until = limit.toISOString().slice(0, 10);
  const work = await ctx.db.tenant(tenantId, async (tx) => {
    const expired = await tx
      .updateTable('data_subject_requests')
      .set({ status: 'expired', email_enc: null, message_enc: null, confirm_hash: null })
      .where('status', '=', 'unconfirmed')
      .where('confirm_expires_at', '<=', now)
      .executeTakeFirst();
    const due = await tx
      .selectFrom('data_subject_requests')
      .select(['id', 'kind', dueText])
      .where('status', 'in', ['received', 'extended'])
      .where(sql<boolean>`due_on <= ${until}::date`)
      .where(sql<boolean>`reminded_for IS DISTINCT FROM due_on`)
      .execute();
    return {
      expired: Number(expired.numUpdatedRows),
      due,
      recipients: due.length ? await privacyRecipients(tx, tenantId) : null,
    };
  });
  let reminded = 0;
  for (const r of work.due) {
    const sent = await mailAll(
      ctx,
      tenantId,
      'request-reminder',
      work.recipients!.to.map((to) => customerMail(to, work.recipients!.org, r.kind, r.due_on!, ctx.env.baseUrl, true)),
    );
    if (sent === 0) continue;
    await ctx.db.tenant(tenantId, async (tx) => {
      await tx
        .updateTable('data_subject_requests')
        .set({ reminded_for: sql`due_on` })
        .where('id', '=', r.id)
        .execute();
      await audit(
        tx,
        tenantId,
        { kind: 'system', id: null },
        {
          action: AuditAction.REQUEST_NOTIFIED,
          subject: { kind: 'request', id: r.id },
          details: { to: work.recipients!.notified, recipients: sent, reminder: true, dueOn: r.due_on },
        },
      );
    });
    reminded++;
  }
  return { reminded, expired: work.expired };
}

export async function requestTick(ctx: AppContext, now = new Date()): Promise<void> {
  const tenants = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select('id').where('status', '=', 'active').execute(),
  );
  for (const t of tenants) await sweepRequests(ctx, t.id, now);
}

/** At start and every REQUEST_SWEEP_SECONDS (0: never); returns the stop function. */
export function startRequestTicker(ctx: AppContext): () => Promise<void> {
  return startTick('[requests] sweep', ctx.env.REQUEST_SWEEP_SECONDS, () => requestTick(ctx), { db: ctx.db });
}
