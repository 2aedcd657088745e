import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { AuditAction } from '../../lib/audit.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { readRegister, type Source } from '../register/service.js';

/**
 * OBLIGATIONS BRE-3: who is affected by a breach, computed from Peil's own data and log, never typed.
 *
 * A scope names:
 * - `customers`: 'all' or a list of customer ids;
 * - `categories` and/or `tables`: which data (register vocabulary codes, or the tables contacts,
 *   invitations, responses, users, audit_events); both given: data in both; neither: all data;
 * - `window`: [from, to), instants;
 * - optionally `actor`: the access log of one user (id), API key (id), email address (the users with
 *   that address in each customer) or IP address.
 *
 * Per customer, in that customer's own transaction (its data never leaves it), the counts mean:
 *
 * Without an actor (data at rest, e.g. a leaked backup or a bug in a table):
 * - `contacts`: contacts that hold a value in at least one selected category (email: every contact;
 *   name, phone, language, gender, job title: when filled in; a profile field's category: when the
 *   field has a value; participation: contacts with an invitation), and that existed during the window
 *   (created before `to`; with `records: 'created'`: created inside the window). Contacts erased since
 *   are no longer in Peil and are not counted.
 * - `responses`: responses to surveys that ask a question of a selected category, submitted before
 *   `to` (or inside the window with `records: 'created'`).
 * - `users`: the customer's user accounts created before `to`, when user.account or technical.ip is
 *   selected.
 * - `categories`: the selected categories this customer really stores, for which at least one record
 *   was counted.
 *
 * With an actor (what that actor touched in the window, from audit_events):
 * - `contacts`: distinct contacts it read, changed, restored or erased one by one (contact.read,
 *   contact.updated, contact.restored, contact.deleted, contacts.upserted), plus the contacts of
 *   responses it exported with contact details, plus the rows of contact lists it paged through
 *   (contacts.listed records how many rows a page showed, not which: each row counts, so this is an
 *   upper bound), capped at the number of contacts the customer has (or the distinct ones, if more).
 * - `responses`: the responses of each survey it exported (responses.exported: those submitted before
 *   the export), plus the responses and comments it read through the API or the results page
 *   (responses.read records counts), capped as above.
 * - `users`: 0 (an actor's own account is not counted as data it saw).
 * - `categories`: the customer's stored contact categories when contacts were counted, and the question
 *   categories of the surveys whose responses were counted, within the selected categories.
 * - `basis`: how many log entries of each action were counted.
 *
 * Aggregates (results, breakdowns), the outbox and the log itself are not counted: they are not records
 * of a person the log names. A customer with all counts 0 is not affected.
 */

export const SCOPE_TABLES = ['contacts', 'invitations', 'responses', 'users', 'audit_events'] as const;
export type ScopeTable = (typeof SCOPE_TABLES)[number];

export type ScopeActor =
  | { kind: 'user'; id: string }
  | { kind: 'apikey'; id: string }
  | { kind: 'email'; email: string }
  | { kind: 'ip'; ip: string };

export interface BreachScope {
  customers: 'all' | string[];
  categories?: string[] | undefined;
  tables?: ScopeTable[] | undefined;
  window: { from: string; to: string };
  records?: 'existing' | 'created' | undefined;
  actor?: ScopeActor | undefined;
}

/** The scope as stored with one customer's numbers: an email address replaced by the user ids it named there. */
export type StoredScope = Omit<BreachScope, 'customers' | 'actor'> & {
  actor?: Exclude<ScopeActor, { kind: 'email' }> | { kind: 'email'; userIds: string[] } | undefined;
};

export interface Impact {
  tenantId: string;
  tenantName: string;
  contacts: number;
  responses: number;
  users: number;
  categories: string[];
  basis: Record<string, number>;
  scope: StoredScope;
}

/** Built-in contact categories and the column test that says a contact holds a value of it. */
const CONTACT_COLUMNS: Record<string, string> = {
  'contact.email': 'true',
  'contact.name': '(first_name_enc IS NOT NULL OR infix_enc IS NOT NULL OR last_name_enc IS NOT NULL)',
  'contact.phone': 'phone_enc IS NOT NULL',
  'contact.language': 'language IS NOT NULL',
  'demographic.gender': 'gender IS NOT NULL',
  'work.function': 'function IS NOT NULL',
};

function tableOf(s: Source & { code: string }): ScopeTable {
  if (s.kind === 'profile_field') return 'contacts';
  if (s.kind === 'question') return 'responses';
  if (s.code === 'participation.invitation') return 'invitations';
  if (s.code === 'user.account') return 'users';
  if (s.code === 'technical.ip') return 'audit_events';
  return 'contacts';
}

const TOUCH_ONE = [
  AuditAction.CONTACT_READ,
  AuditAction.CONTACT_UPDATED,
  AuditAction.CONTACT_RESTORED,
  AuditAction.CONTACT_DELETED,
  AuditAction.CONTACTS_UPSERTED,
] as const;
const COUNTED = [
  ...TOUCH_ONE,
  AuditAction.CONTACTS_LISTED,
  AuditAction.RESPONSES_EXPORTED,
  AuditAction.RESPONSES_READ,
] as string[];

/** Checks what the database cannot: ids are uuids, the window is ordered. Problems name the field. */
export function checkScope(scope: BreachScope): void {
  const errors: Array<{ pointer: string; reason: string }> = [];
  if (Array.isArray(scope.customers))
    scope.customers.forEach(
      (c, i) => !isUuid(c) && errors.push({ pointer: `/body/customers/${i}`, reason: 'not a customer id' }),
    );
  if (!(Date.parse(scope.window.from) < Date.parse(scope.window.to)))
    errors.push({ pointer: '/body/window/to', reason: 'the window must end after it starts' });
  if (scope.actor && (scope.actor.kind === 'user' || scope.actor.kind === 'apikey') && !isUuid(scope.actor.id))
    errors.push({ pointer: '/body/actor/id', reason: 'not an id' });
  if (errors.length) throw new AppError(ErrorCode.VALIDATION, { key: 'problems:breaches.scopeInvalid' }, { errors });
}

/**
 * BRE-3: the customers a scope affects, with their numbers (see the file comment for what each count
 * means). One transaction per customer, one after the other (never nested). Customers with nothing
 * affected are left out.
 */
export async function computeImpact(ctx: AppContext, scope: BreachScope): Promise<Impact[]> {
  checkScope(scope);
  let tenants = await ctx.db.global((tx) => tx.selectFrom('tenants').select(['id', 'name']).orderBy('name').execute());
  if (Array.isArray(scope.customers)) {
    const wanted = new Set(scope.customers);
    const unknown = scope.customers.filter((c) => !tenants.some((t) => t.id === c));
    if (unknown.length)
      throw new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:breaches.unknownCustomer' },
        {
          errors: unknown.map((c) => ({
            pointer: `/body/customers/${scope.customers.indexOf(c)}`,
            reason: 'no such customer',
          })),
        },
      );
    tenants = tenants.filter((t) => wanted.has(t.id));
  }
  const out: Impact[] = [];
  for (const t of tenants) {
    const impact = await ctx.db.tenant(t.id, (tx) => impactIn(tx, t.id, scope));
    if (impact.contacts + impact.responses + impact.users > 0)
      out.push({ tenantId: t.id, tenantName: t.name, ...impact });
  }
  return out;
}

async function impactIn(
  tx: Tx,
  tenantId: string,
  scope: BreachScope,
): Promise<Omit<Impact, 'tenantId' | 'tenantName'>> {
  const from = new Date(scope.window.from);
  const to = new Date(scope.window.to);
  const register = await readRegister(tx, tenantId);
  const wantCats = scope.categories?.length ? new Set(scope.categories) : null;
  const wantTables = scope.tables?.length ? new Set<ScopeTable>(scope.tables) : null;
  const sources = register.categories.flatMap((c) => c.derivedFrom.map((s) => ({ ...s, code: c.code })));
  const selected = sources.filter(
    (s) => (!wantCats || wantCats.has(s.code)) && (!wantTables || wantTables.has(tableOf(s))),
  );
  const contactSources = selected.filter((s) => tableOf(s) === 'contacts');
  const invitationSelected = selected.some((s) => tableOf(s) === 'invitations');
  const questionSources = selected.filter((s) => s.kind === 'question');
  const surveysSelected = new Set(questionSources.map((s) => s.surveyId!));
  const base = {
    window: scope.window,
    records: scope.records ?? 'existing',
    ...(scope.categories?.length ? { categories: scope.categories } : {}),
    ...(scope.tables?.length ? { tables: scope.tables } : {}),
  };

  const contactTest = (s: Source & { code: string }) =>
    s.kind === 'profile_field' ? sql`profile ? ${s.id}` : sql.raw(CONTACT_COLUMNS[s.code] ?? 'false');
  const n = (r: { rows: Array<{ n: unknown }> }) => Number(r.rows[0]?.n ?? 0);

  if (!scope.actor) {
    const created = scope.records === 'created';
    const inWindow = (col: string) =>
      created ? sql`${sql.ref(col)} >= ${from} AND ${sql.ref(col)} < ${to}` : sql`${sql.ref(col)} < ${to}`;
    const categories = new Set<string>();
    let contacts = 0;
    if (contactSources.length || invitationSelected) {
      const tests = contactSources.map(contactTest);
      if (invitationSelected)
        tests.push(
          sql`EXISTS (SELECT 1 FROM invitations i WHERE i.tenant_id = contacts.tenant_id AND i.contact_id = contacts.id AND ${inWindow('i.created_at')})`,
        );
      contacts = n(
        await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM contacts WHERE ${inWindow('created_at')} AND (${sql.join(tests, sql` OR `)})`.execute(
          tx,
        ),
      );
      if (contacts > 0) {
        for (const s of contactSources) {
          if (categories.has(s.code)) continue;
          if (
            n(
              await sql<{
                n: string;
              }>`SELECT count(*) AS n FROM contacts WHERE ${inWindow('created_at')} AND ${contactTest(s)}`.execute(tx),
            ) > 0
          )
            categories.add(s.code);
        }
        if (
          invitationSelected &&
          n(
            await sql<{ n: string }>`SELECT count(*) AS n FROM invitations WHERE ${inWindow('created_at')}`.execute(tx),
          ) > 0
        )
          categories.add('participation.invitation');
      }
    }
    let responses = 0;
    if (surveysSelected.size) {
      const per = await sql<{ survey_id: string; n: string }>`
        SELECT survey_id, count(*) AS n FROM responses WHERE survey_id IN (${sql.join([...surveysSelected])}) AND ${inWindow('submitted_at')} GROUP BY survey_id`.execute(
        tx,
      );
      for (const r of per.rows) {
        responses += Number(r.n);
        for (const s of questionSources) if (s.surveyId === r.survey_id) categories.add(s.code);
      }
    }
    let users = 0;
    const userCats = selected.filter((s) => s.code === 'user.account' || s.code === 'technical.ip').map((s) => s.code);
    if (userCats.length) {
      users = n(await sql<{ n: string }>`SELECT count(*) AS n FROM users WHERE ${inWindow('created_at')}`.execute(tx));
      if (users > 0) for (const c of userCats) categories.add(c);
    }
    return { contacts, responses, users, categories: [...categories].sort(), basis: {}, scope: base };
  }

  // The actor's access log in the window.
  const a = scope.actor;
  let stored: StoredScope['actor'];
  let who;
  if (a.kind === 'user') {
    stored = a;
    who = sql`actor_kind = 'user' AND actor_id = ${a.id}::uuid`;
  } else if (a.kind === 'apikey') {
    stored = a;
    who = sql`actor_kind = 'apikey' AND actor_id = ${a.id}::uuid`;
  } else if (a.kind === 'ip') {
    stored = a;
    who = sql`ip = ${a.ip}`;
  } else {
    const ids = (
      await tx
        .selectFrom('users')
        .select('id')
        .where(sql<boolean>`lower(email) = ${a.email.trim().toLowerCase()}`)
        .execute()
    ).map((u) => u.id);
    stored = { kind: 'email', userIds: ids };
    who = ids.length
      ? sql`actor_kind = 'user' AND actor_id IN (${sql.join(ids.map((i) => sql`${i}::uuid`))})`
      : sql`false`;
  }
  const events = (
    await sql<{
      action: string;
      at: Date;
      subject_kind: string | null;
      subject_id: string | null;
      details: Record<string, unknown>;
    }>`
      SELECT action, at, subject_kind, subject_id, details FROM audit_events
       WHERE ${who} AND at >= ${from} AND at < ${to} AND action IN (${sql.join(COUNTED)})
       ORDER BY seq`.execute(tx)
  ).rows;
  const basis: Record<string, number> = {};
  const contactIds = new Set<string>();
  const responseIds = new Set<string>();
  const surveysCounted = new Set<string>();
  let listed = 0;
  let read = 0;
  const wantContacts = contactSources.length > 0;
  for (const e of events) {
    const counted = () => (basis[e.action] = (basis[e.action] ?? 0) + 1);
    if ((TOUCH_ONE as readonly string[]).includes(e.action)) {
      if (!wantContacts || e.subject_kind !== 'contact' || !e.subject_id || !isUuid(e.subject_id)) continue;
      contactIds.add(e.subject_id);
      counted();
    } else if (e.action === AuditAction.CONTACTS_LISTED) {
      if (!wantContacts) continue;
      listed += Number(e.details.count ?? 0);
      counted();
    } else if (e.subject_kind === 'survey' && e.subject_id && isUuid(e.subject_id)) {
      const survey = e.subject_id;
      if (!surveysSelected.has(survey) && !(wantContacts && e.details.withContacts === true)) continue;
      counted();
      if (e.action === AuditAction.RESPONSES_EXPORTED) {
        const rows = (
          await sql<{
            id: string;
            contact_id: string | null;
          }>`SELECT id, contact_id FROM responses WHERE survey_id = ${survey}::uuid AND submitted_at <= ${e.at}`.execute(
            tx,
          )
        ).rows;
        if (surveysSelected.has(survey)) {
          for (const r of rows) responseIds.add(r.id);
          surveysCounted.add(survey);
        }
        if (wantContacts && e.details.withContacts === true)
          for (const r of rows) if (r.contact_id) contactIds.add(r.contact_id);
      } else if (surveysSelected.has(survey)) {
        read += Number(e.details.responses ?? 0) + Number(e.details.comments ?? 0);
        surveysCounted.add(survey);
      }
    }
  }
  const totalContacts = n(await sql<{ n: string }>`SELECT count(*) AS n FROM contacts`.execute(tx));
  const totalResponses = n(await sql<{ n: string }>`SELECT count(*) AS n FROM responses`.execute(tx));
  const contacts = Math.min(contactIds.size + listed, Math.max(contactIds.size, totalContacts));
  const responses = Math.min(responseIds.size + read, Math.max(responseIds.size, totalResponses));
  const categories = new Set<string>();
  if (contacts > 0) for (const s of contactSources) categories.add(s.code);
  if (responses > 0) for (const s of questionSources) if (surveysCounted.has(s.surveyId!)) categories.add(s.code);
  return {
    contacts,
    responses,
    users: 0,
    categories: [...categories].sort(),
    basis,
    scope: { ...base, actor: stored },
  };
}
