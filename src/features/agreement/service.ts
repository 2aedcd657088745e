import { sql } from 'kysely';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import type { Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { currentTerm, dateIn, giveNotice, noticeDeadline, type IsoDate, type TermRules } from './dates.js';
import {
  DEFAULT_TERMS,
  NUMERIC_TERMS,
  presetTerms,
  TERMS,
  type PresetName,
  type ProcessingLocation,
  type Terms,
} from './terms.js';

export interface Contact {
  name: string | null;
  email: string | null;
}

export interface Agreement {
  tenantId: string;
  parties: { processor: { name: string }; controller: { name: string } };
  version: string;
  preset: string | null;
  startDate: IsoDate;
  termMonths: number;
  renewalMonths: number | null;
  noticeMonths: number;
  contacts: { processor: Contact; customer: Contact; privacyEmail: string | null };
  terms: Terms;
  /** AGR-5, as of `now`: renewals applied. */
  currentTermStart: IsoDate;
  currentTermEnd: IsoDate;
  noticeDeadline: IsoDate;
  notice: { givenAt: string; givenBy: string | null; late: boolean; endsOn: IsoDate } | null;
  /** The day the agreement ends (exclusive): after notice, or at the end of its term without renewal; null while it renews. */
  endsOn: IsoDate | null;
  status: 'running' | 'ended';
}

/** What an operator may set (PUT); every field optional, a preset fills the terms first. */
export interface AgreementChange extends Partial<Terms> {
  preset?: PresetName | undefined;
  version?: string | undefined;
  startDate?: IsoDate | undefined;
  termMonths?: number | undefined;
  renewalMonths?: number | null | undefined;
  noticeMonths?: number | undefined;
  contacts?: ContactsChange | undefined;
}

export interface ContactsChange {
  processor?: Contact | undefined;
  customer?: Contact | undefined;
  privacyEmail?: string | null | undefined;
}

const ROW = [
  'tenant_id',
  'version',
  'preset',
  'term_months',
  'renewal_months',
  'notice_months',
  'processor_contact_name',
  'processor_contact_email',
  'customer_contact_name',
  'customer_contact_email',
  'privacy_contact_email',
  'breach_notice_hours',
  'subprocessor_objection_days',
  'dpa_change_objection_working_days',
  'audits_per_year',
  'audit_notice_days',
  'return_window_days',
  'choice_deadline_days',
  'log_retention_months',
  'processing_location',
  'special_categories_allowed',
  'notice_given_at',
  'notice_given_by',
  'notice_late',
] as const;

/** A new customer's agreement: the defaults, starting today (AGR-1). Idempotent. */
export async function createAgreement(tx: Tx, tenantId: string, now = new Date()): Promise<void> {
  await tx
    .insertInto('agreements')
    .values({ tenant_id: tenantId, start_date: dateIn(now) })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
}

async function loadRow(tx: Tx, tenantId: string) {
  const row = await tx
    .selectFrom('agreements')
    .select([...ROW, sql<string>`start_date::text`.as('start'), sql<string | null>`notice_ends_on::text`.as('ends_on')])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row;
}
type Row = NonNullable<Awaited<ReturnType<typeof loadRow>>>;

async function rowOf(tx: Tx, tenantId: string, lock = false): Promise<Row> {
  if (lock) await sql`SELECT 1 FROM agreements WHERE tenant_id = ${tenantId} FOR UPDATE`.execute(tx);
  let row = await loadRow(tx, tenantId);
  if (!row) {
    // A customer created before migration 0013 ran in this process, or restored without one.
    await createAgreement(tx, tenantId);
    row = await loadRow(tx, tenantId);
  }
  if (!row) throw AppError.notFound('agreement');
  return row;
}

function termsOf(row: Row): Terms {
  const numeric = Object.fromEntries(NUMERIC_TERMS.map((k) => [k, row[TERMS[k].column]]));
  return {
    ...(numeric as Record<(typeof NUMERIC_TERMS)[number], number>),
    processingLocation: row.processing_location as ProcessingLocation,
    specialCategoriesAllowed: row.special_categories_allowed,
  };
}

function rulesOf(row: Row): TermRules {
  return {
    startDate: row.start,
    termMonths: row.term_months,
    renewalMonths: row.renewal_months,
    noticeMonths: row.notice_months,
  };
}

/** Flat view of what can change, for the audit row's before/after. Contact details are named, not copied. */
function flat(row: Row): Record<string, unknown> {
  return {
    version: row.version,
    preset: row.preset,
    startDate: row.start,
    termMonths: row.term_months,
    renewalMonths: row.renewal_months,
    noticeMonths: row.notice_months,
    ...termsOf(row),
  };
}
const CONTACT_COLUMNS = {
  'processor.name': 'processor_contact_name',
  'processor.email': 'processor_contact_email',
  'customer.name': 'customer_contact_name',
  'customer.email': 'customer_contact_email',
  privacyEmail: 'privacy_contact_email',
} as const;

function dto(row: Row, names: { processor: string; controller: string }, now: Date): Agreement {
  const rules = rulesOf(row);
  const today = dateIn(now);
  const term = currentTerm(rules, today);
  const notice = row.notice_given_at
    ? {
        givenAt: new Date(row.notice_given_at).toISOString(),
        givenBy: row.notice_given_by,
        late: row.notice_late === true,
        endsOn: row.ends_on!,
      }
    : null;
  const endsOn = notice?.endsOn ?? (rules.renewalMonths === null ? term.end : null);
  return {
    tenantId: row.tenant_id,
    parties: { processor: { name: names.processor }, controller: { name: names.controller } },
    version: row.version,
    preset: row.preset,
    startDate: row.start,
    termMonths: row.term_months,
    renewalMonths: row.renewal_months,
    noticeMonths: row.notice_months,
    contacts: {
      processor: { name: row.processor_contact_name, email: row.processor_contact_email },
      customer: { name: row.customer_contact_name, email: row.customer_contact_email },
      privacyEmail: row.privacy_contact_email,
    },
    terms: termsOf(row),
    currentTermStart: term.start,
    currentTermEnd: term.end,
    noticeDeadline: noticeDeadline(rules, term),
    notice,
    endsOn,
    status: endsOn !== null && today >= endsOn ? 'ended' : 'running',
  };
}

/** The customer's agreement as of `now` (AGR-1, AGR-2, AGR-5); run in a transaction on that tenant. */
export async function readAgreement(tx: Tx, tenantId: string, processor: string, now = new Date()): Promise<Agreement> {
  const tenant = await tx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirst();
  if (!tenant) throw AppError.notFound('customer');
  return dto(await rowOf(tx, tenantId), { processor, controller: tenant.name }, now);
}

/** OBLIGATIONS LOG-4: the agreed log retention in months (the agreement is the source). */
export async function logRetentionMonths(tx: Tx, tenantId: string): Promise<number> {
  const row = await tx
    .selectFrom('agreements')
    .select('log_retention_months')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.log_retention_months ?? DEFAULT_TERMS.logRetentionMonths;
}

/** OBLIGATIONS REG-3: whether this customer's agreement allows special categories of personal data. */
export async function specialCategoriesAllowed(tx: Tx, tenantId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('agreements')
    .select('special_categories_allowed')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.special_categories_allowed ?? DEFAULT_TERMS.specialCategoriesAllowed;
}

export function contactValues(c: ContactsChange): Record<string, string | null> {
  const v: Record<string, string | null> = {};
  if (c.processor !== undefined)
    Object.assign(v, {
      processor_contact_name: c.processor.name,
      processor_contact_email: c.processor.email?.toLowerCase() ?? null,
    });
  if (c.customer !== undefined)
    Object.assign(v, {
      customer_contact_name: c.customer.name,
      customer_contact_email: c.customer.email?.toLowerCase() ?? null,
    });
  if (c.privacyEmail !== undefined) v.privacy_contact_email = c.privacyEmail?.toLowerCase() ?? null;
  return v;
}

/**
 * Applies a change and writes one audit row (agreement.changed) in the same transaction: the terms
 * changed with before and after; of contact details only which ones changed (they are personal data,
 * and the log keeps ids and categories in clear, not values).
 */
export async function applyAgreementValues(
  tx: Tx,
  tenantId: string,
  actor: Actor,
  values: Record<string, unknown>,
  why: string,
): Promise<void> {
  const before = await rowOf(tx, tenantId, true);
  const changedValues = Object.fromEntries(
    Object.entries(values).filter(
      ([col, v]) => (before as Record<string, unknown>)[col === 'start_date' ? 'start' : col] !== v,
    ),
  );
  if (Object.keys(changedValues).length === 0) return;
  await tx
    .updateTable('agreements')
    .set({ ...changedValues, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .execute();
  const after = await rowOf(tx, tenantId);
  const b = flat(before);
  const a = flat(after);
  const changed = Object.fromEntries(
    Object.keys(a)
      .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
      .map((k) => [k, { before: b[k], after: a[k] }]),
  );
  const contacts = Object.entries(CONTACT_COLUMNS)
    .filter(([, col]) => before[col] !== after[col])
    .map(([name]) => name);
  await audit(tx, tenantId, actor, {
    action: AuditAction.AGREEMENT_CHANGED,
    subject: { kind: 'agreement', id: tenantId },
    details: { via: why, changed, contacts },
  });
}

/** Operator: sets terms, dates, contacts, or applies a preset (AGR-1, AGR-2). */
export async function changeAgreement(tx: Tx, tenantId: string, change: AgreementChange, actor: Actor): Promise<void> {
  const values = contractValues(change);
  if (change.contacts) Object.assign(values, contactValues(change.contacts));
  await applyAgreementValues(tx, tenantId, actor, values, 'operator');
}

/**
 * The columns a change sets, contacts left out: the terms (a preset first), the version label and the
 * dates. After the customer's first acceptance these become a proposed version (versions.ts, AGR-3).
 */
export function contractValues(change: AgreementChange): Record<string, unknown> {
  const terms: Partial<Terms> = change.preset ? { ...presetTerms(change.preset) } : {};
  for (const k of NUMERIC_TERMS) if (change[k] !== undefined) terms[k] = change[k];
  if (change.processingLocation !== undefined) terms.processingLocation = change.processingLocation;
  if (change.specialCategoriesAllowed !== undefined) terms.specialCategoriesAllowed = change.specialCategoriesAllowed;
  const values: Record<string, unknown> = {};
  for (const k of NUMERIC_TERMS) if (terms[k] !== undefined) values[TERMS[k].column] = terms[k];
  if (terms.processingLocation !== undefined) values.processing_location = terms.processingLocation;
  if (terms.specialCategoriesAllowed !== undefined) values.special_categories_allowed = terms.specialCategoriesAllowed;
  if (change.preset !== undefined) values.preset = change.preset;
  if (change.version !== undefined) values.version = change.version;
  if (change.startDate !== undefined) values.start_date = change.startDate;
  if (change.termMonths !== undefined) values.term_months = change.termMonths;
  if (change.renewalMonths !== undefined) values.renewal_months = change.renewalMonths;
  if (change.noticeMonths !== undefined) values.notice_months = change.noticeMonths;
  return values;
}

/** The current value of each column that `values` names (for a proposal's from/to). */
export async function currentValues(tx: Tx, tenantId: string, columns: string[]): Promise<Record<string, unknown>> {
  const row = (await rowOf(tx, tenantId)) as Record<string, unknown>;
  return Object.fromEntries(columns.map((c) => [c, row[c === 'start_date' ? 'start' : c]]));
}

/** Customer owner: only the contact persons and the privacy contact email (AGR-1). */
export async function changeContacts(tx: Tx, tenantId: string, change: ContactsChange, actor: Actor): Promise<void> {
  await applyAgreementValues(tx, tenantId, actor, contactValues(change), 'customer');
}

/**
 * OBLIGATIONS AGR-5: the customer's termination notice, given at `now` by `userId`. Late (after the
 * notice deadline of the current term): the agreement runs to the end of the renewed term. Given
 * once: a second notice is refused.
 */
export async function recordNotice(
  tx: Tx,
  tenantId: string,
  userId: string | null,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  const row = await rowOf(tx, tenantId, true);
  if (row.notice_given_at)
    throw new AppError(ErrorCode.CONFLICT, {
      key: 'problems:agreement.noticeGiven',
      params: { at: new Date(row.notice_given_at).toISOString(), ends: String(row.ends_on) },
    });
  const outcome = giveNotice(rulesOf(row), dateIn(now));
  await tx
    .updateTable('agreements')
    .set({
      notice_given_at: now,
      notice_given_by: userId,
      notice_late: outcome.late,
      notice_ends_on: outcome.endsOn,
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .execute();
  await audit(tx, tenantId, actor, {
    action: AuditAction.AGREEMENT_NOTICE_GIVEN,
    subject: { kind: 'agreement', id: tenantId },
    details: { late: outcome.late, deadline: outcome.deadline, endsOn: outcome.endsOn },
  });
}

/**
 * Where a customer's notices under the agreement go (sub-processor changes, new versions, breaches,
 * requests of respondents, the end): its privacy contact (AGR-1), else its active owners; 'nobody'
 * when it has neither.
 */
export interface NoticeRecipients {
  to: 'privacy_contact' | 'owners' | 'nobody';
  emails: string[];
}
export async function noticeRecipients(tx: Tx, tenantId: string): Promise<NoticeRecipients> {
  const a = await tx
    .selectFrom('agreements')
    .select('privacy_contact_email')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (a?.privacy_contact_email) return { to: 'privacy_contact', emails: [a.privacy_contact_email] };
  const owners = await tx
    .selectFrom('users')
    .select('email')
    .where('tenant_id', '=', tenantId)
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .orderBy('email')
    .execute();
  return owners.length ? { to: 'owners', emails: owners.map((o) => o.email) } : { to: 'nobody', emails: [] };
}
