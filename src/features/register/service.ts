import { sql } from 'kysely';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { DocBlock, DocSection } from '../agreement/document-model.js';
import type { Tx } from '../../lib/db/db.js';
import type { RegisterItemKind } from '../../lib/db/schema.js';
import { AppError, ErrorCode, type ProblemItem } from '../../lib/errors.js';
import { logRetentionMonths, specialCategoriesAllowed } from '../agreement/service.js';
import { findPii } from '../labelling/index.js';
import type { Question, SurveyDefinition } from '../surveys/definition.js';
import {
  BUILT_IN,
  categoryDef,
  categoryLabel,
  DEFAULT_CATEGORIES,
  DEFAULT_OPERATIONS,
  DEFAULT_PURPOSES,
  DEFAULT_SUBJECTS,
  isAssignableCategory,
  isSpecial,
  mentionsHealth,
  OPERATIONS,
  PURPOSES,
  SUBJECTS,
  suggestedSpecial,
  type Bilingual,
} from './vocabulary.js';

/**
 * OBLIGATIONS REG-1..REG-4: the register of processing of one customer.
 *
 * The register is records (register_items): the categories of personal data it covers, data subjects,
 * purposes, operations. What is really stored is derived on every read (derive()): the built-in
 * contact fields, every profile field (its category, default profile.<key>) and every question of
 * every survey (its category, default from its type). A derived category the register lacks is drift.
 * A key, label or question text that suggests a special category makes the field or question that
 * special category, whatever category it was given, so a renamed field or an edited question cannot
 * smuggle one past the agreement.
 */

export type SourceKind = 'built_in' | 'profile_field' | 'question';

export interface Source {
  kind: SourceKind;
  /** built_in: the column group; profile_field: its key; question: the question id. */
  id: string;
  surveyId?: string;
  surveyName?: string;
  label: Bilingual;
}

export interface RegisterCategory {
  code: string;
  label: Bilingual;
  special: boolean;
  /** In the register (covered); false: derived only (drift). */
  inRegister: boolean;
  /** Where Peil stores data of this category (empty: in the register, nothing stored of it now). */
  derivedFrom: Source[];
  note: string | null;
}

export interface RegisterItem {
  code: string;
  label: Bilingual;
  note: string | null;
}

export interface SurveyRetentionView {
  surveyId: string;
  name: string;
  status: string;
  closedAt: string | null;
  monthsAfterClose: number | null;
  /** When the job erases the survey's personal data (null: no retention set, or not closed). */
  dueAt: string | null;
  erasedAt: string | null;
}

export interface FreeTextFlags {
  surveyId: string;
  name: string;
  /** Responses with free text scanned so far. */
  texts: number;
  bsn: number;
  iban: number;
  health: number;
}

export interface Register {
  tenantId: string;
  categories: RegisterCategory[];
  dataSubjects: RegisterItem[];
  purposes: RegisterItem[];
  operations: RegisterItem[];
  retention: {
    contacts: { inactiveMonths: number | null };
    surveys: SurveyRetentionView[];
    logMonths: number;
  };
  special: {
    allowed: boolean;
    /** Special categories in the register or stored. */
    categories: string[];
    freeText: FreeTextFlags[];
  };
  drift: Array<{ category: string; label: Bilingual; special: boolean; source: Source }>;
  updatedAt: string;
}

// ------------------------------------------------------------------ categories of fields and questions

export interface FieldLike {
  key: string;
  label_nl: string;
  label_en: string;
  category: string | null;
  /** A choice field's options: "Diabetes, Astma, ..." say what the field holds as much as its name. */
  options?: string[] | null;
}

/** A profile field's category: special if its key, labels or options suggest one, else its own, else profile.<key>. */
export function fieldCategory(f: FieldLike): string {
  const own = f.category ?? `profile.${f.key}`;
  if (isSpecial(own)) return own;
  return suggestedSpecial([f.key, f.label_nl, f.label_en, ...(f.options ?? [])])[0] ?? own;
}

function typeCategory(q: Question): string {
  switch (q.type) {
    case 'text':
      return 'answers.free_text';
    case 'single':
    case 'multiple':
      return 'answers.choice';
    case 'number':
      return 'answers.number';
    case 'date':
      return 'answers.date';
    default:
      return 'answers.score';
  }
}

function questionTexts(q: Question, orgName: string | undefined): string[] {
  const out = [q.id, q.text.nl, q.text.en, q.help?.nl, q.help?.en];
  if ('options' in q) for (const o of q.options) out.push(o.label.nl, o.label.en);
  // The organisation's own name ("Medisch Centrum Noord") is in every template text; it says nothing
  // about what the question asks.
  return out.filter((s): s is string => typeof s === 'string').map((s) => (orgName ? s.split(orgName).join(' ') : s));
}

/** A question's category: special if its texts suggest one, else its own, else from its type. */
export function questionCategory(q: Question, orgName?: string): string {
  const own = q.category ?? typeCategory(q);
  if (isSpecial(own)) return own;
  return suggestedSpecial(questionTexts(q, orgName))[0] ?? own;
}

async function orgNameOf(tx: Tx): Promise<string | undefined> {
  const t = await sql<{ name: string }>`SELECT name FROM tenants WHERE id = peil_current_tenant()`.execute(tx);
  return t.rows[0]?.name;
}

async function derive(tx: Tx): Promise<Array<{ code: string; source: Source }>> {
  const out: Array<{ code: string; source: Source }> = BUILT_IN.map((b) => ({
    code: b.code,
    source: { kind: 'built_in', id: b.code, label: b.source },
  }));
  const fields = await tx
    .selectFrom('profile_fields')
    .select(['key', 'label_nl', 'label_en', 'category', 'options'])
    .orderBy('key')
    .execute();
  for (const f of fields)
    out.push({
      code: fieldCategory(f),
      source: { kind: 'profile_field', id: f.key, label: { nl: f.label_nl, en: f.label_en } },
    });
  // Issue 12 (closed loop): follow-ups hold notes about a respondent, once a survey has an alert rule.
  if ((await tx.selectFrom('alert_rules').select('survey_id').limit(1).execute()).length) {
    out.push({
      code: 'followup.notes',
      source: {
        kind: 'built_in',
        id: 'follow_ups',
        label: {
          nl: 'opvolging: status, eigenaar en notities bij antwoorden',
          en: 'follow-ups: status, owner and notes on answers',
        },
      },
    });
  }
  const surveys = await tx
    .selectFrom('surveys')
    .select(['id', 'name', 'definition'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const org = await orgNameOf(tx);
  for (const s of surveys) {
    const def = s.definition as SurveyDefinition;
    for (const q of def.questions ?? [])
      out.push({
        code: questionCategory(q, org),
        source: { kind: 'question', id: q.id, surveyId: s.id, surveyName: s.name, label: q.text },
      });
  }
  return out;
}

// ------------------------------------------------------------------ REG-3: refusing special categories

export interface CategoryClaim {
  pointer: string;
  /** What is refused, for the message: 'profile field "diagnose"', 'question "q3" of survey X'. */
  what: string;
  category: string;
}

/**
 * OBLIGATIONS REG-3: refuses (422, problem+json naming each field or question and why) special
 * categories unless the customer's agreement allows them; also refuses categories that are not in
 * the vocabulary.
 */
export async function refuseSpecialCategories(tx: Tx, tenantId: string, claims: CategoryClaim[]): Promise<void> {
  const unknown = claims.filter((c) => !isAssignableCategory(c.category));
  if (unknown.length) {
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:register.unknownCategory', params: { categories: unknown.map((c) => c.category).join(', ') } },
      {
        errors: unknown.map((c) => ({
          pointer: c.pointer,
          reason: `"${c.category}" is not a category of the register's vocabulary`,
        })),
      },
    );
  }
  const special = claims.filter((c) => isSpecial(c.category));
  if (special.length === 0 || (await specialCategoriesAllowed(tx, tenantId))) return;
  const errors: ProblemItem[] = special.map((c) => ({
    pointer: c.pointer,
    reason: `${c.what} asks for a special category of personal data (${c.category}: ${categoryDef(c.category)!.label.en} / ${categoryDef(c.category)!.label.nl}), which the processing agreement does not allow`,
  }));
  throw new AppError(
    ErrorCode.VALIDATION,
    {
      key: 'problems:register.specialCategories',
      params: { categories: [...new Set(special.map((c) => c.category))].join(', ') },
    },
    { errors, extra: { categories: [...new Set(special.map((c) => c.category))] } },
  );
}

/** REG-3 for a profile field being created, changed, or created by an import or the API. */
export async function checkProfileFields(
  tx: Tx,
  tenantId: string,
  fields: Array<FieldLike & { pointer: string }>,
): Promise<void> {
  await refuseSpecialCategories(
    tx,
    tenantId,
    fields.flatMap((f) => [
      ...(f.category !== null
        ? [{ pointer: `${f.pointer}/category`, what: `profile field "${f.key}"`, category: f.category }]
        : []),
      { pointer: f.pointer, what: `profile field "${f.key}"`, category: fieldCategory(f) },
    ]),
  );
}

/** REG-3 for a survey's questions, on creation and on every edit. */
export async function checkSurveyQuestions(
  tx: Tx,
  tenantId: string,
  def: SurveyDefinition,
  surveyName: string,
  pointer = '/definition/questions',
): Promise<void> {
  const org = await orgNameOf(tx);
  await refuseSpecialCategories(
    tx,
    tenantId,
    def.questions.flatMap((q, i) => [
      ...(q.category !== undefined
        ? [
            {
              pointer: `${pointer}/${i}/category`,
              what: `question "${q.id}" of survey "${surveyName}"`,
              category: q.category,
            },
          ]
        : []),
      {
        pointer: `${pointer}/${i}`,
        what: `question "${q.id}" of survey "${surveyName}"`,
        category: questionCategory(q, org),
      },
    ]),
  );
}

// ------------------------------------------------------------------ the register's records

/**
 * A new customer's register: the default data subjects, purposes and operations, and every category
 * Peil stores for it now that is not special (a special one stays drift until someone decides).
 * Idempotent; returns whether it created it.
 */
export async function ensureRegister(tx: Tx, tenantId: string): Promise<boolean> {
  const created = await tx
    .insertInto('register_settings')
    .values({ tenant_id: tenantId, contacts_inactive_months: null })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .returning('tenant_id')
    .executeTakeFirst();
  if (!created) return false;
  const derived = (await derive(tx)).map((d) => d.code).filter((c) => !isSpecial(c));
  const rows: Array<{ kind: RegisterItemKind; code: string }> = [
    ...[...new Set([...DEFAULT_CATEGORIES, ...derived])].map((code) => ({ kind: 'category' as const, code })),
    ...DEFAULT_SUBJECTS.map((code) => ({ kind: 'subject' as const, code })),
    ...DEFAULT_PURPOSES.map((code) => ({ kind: 'purpose' as const, code })),
    ...DEFAULT_OPERATIONS.map((code) => ({ kind: 'operation' as const, code })),
  ];
  await tx
    .insertInto('register_items')
    .values(rows.map((r) => ({ tenant_id: tenantId, ...r, label_nl: null, label_en: null, note: null })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  return true;
}

const STANDARD: Record<Exclude<RegisterItemKind, 'category'>, Readonly<Record<string, Bilingual>>> = {
  subject: SUBJECTS,
  purpose: PURPOSES,
  operation: OPERATIONS,
};

function itemLabel(
  kind: RegisterItemKind,
  r: { code: string; label_nl: string | null; label_en: string | null },
  fieldLabels: Map<string, Bilingual>,
): Bilingual {
  if (r.label_nl && r.label_en) return { nl: r.label_nl, en: r.label_en };
  if (kind === 'category')
    return categoryLabel(r.code, r.code.startsWith('profile.') ? fieldLabels.get(r.code.slice(8)) : undefined);
  return STANDARD[kind][r.code] ?? { nl: r.code, en: r.code };
}

/** OBLIGATIONS REG-1..REG-4: the register as a typed view (for the API, the page and Annex 1 of the agreement). */
export async function readRegister(tx: Tx, tenantId: string): Promise<Register> {
  await ensureRegister(tx, tenantId);
  const items = await tx
    .selectFrom('register_items')
    .select(['kind', 'code', 'label_nl', 'label_en', 'note', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('kind')
    .orderBy('code')
    .execute();
  const settings = await tx
    .selectFrom('register_settings')
    .select(['contacts_inactive_months', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const fields = await tx.selectFrom('profile_fields').select(['key', 'label_nl', 'label_en']).execute();
  const surveys = await sql<{
    id: string;
    name: string;
    status: string;
    closed_at: Date | null;
    months: number | null;
    erased_at: Date | null;
    due: Date | null;
  }>`
    SELECT s.id, s.name, s.status, s.closed_at, r.months_after_close AS months, r.erased_at,
           CASE WHEN s.status = 'closed' AND s.closed_at IS NOT NULL AND r.months_after_close IS NOT NULL
                THEN s.closed_at + make_interval(months => r.months_after_close) END AS due
      FROM surveys s LEFT JOIN survey_retention r ON r.tenant_id = s.tenant_id AND r.survey_id = s.id
     ORDER BY s.created_at, s.id`.execute(tx);
  const scans = await tx
    .selectFrom('register_text_scans as x')
    .innerJoin('surveys as s', (j) => j.onRef('s.tenant_id', '=', 'x.tenant_id').onRef('s.id', '=', 'x.survey_id'))
    .select(['x.survey_id', 's.name', 'x.texts', 'x.bsn', 'x.iban', 'x.health'])
    .orderBy('s.created_at')
    .execute();
  const allowed = await specialCategoriesAllowed(tx, tenantId);
  const logMonths = await logRetentionMonths(tx, tenantId);
  const stored = await derive(tx);
  const fieldLabels = new Map(fields.map((f) => [f.key, { nl: f.label_nl, en: f.label_en }]));
  const inRegister = new Map(items.filter((i) => i.kind === 'category').map((i) => [i.code, i]));
  const byCode = new Map<string, RegisterCategory>();
  for (const [code, i] of inRegister)
    byCode.set(code, {
      code,
      label: itemLabel('category', i, fieldLabels),
      special: isSpecial(code),
      inRegister: true,
      derivedFrom: [],
      note: i.note,
    });
  for (const d of stored) {
    let cat = byCode.get(d.code);
    if (!cat) {
      cat = {
        code: d.code,
        label: categoryLabel(d.code, d.code.startsWith('profile.') ? fieldLabels.get(d.code.slice(8)) : undefined),
        special: isSpecial(d.code),
        inRegister: false,
        derivedFrom: [],
        note: null,
      };
      byCode.set(d.code, cat);
    }
    cat.derivedFrom.push(d.source);
  }
  const categories = [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
  // Special categories first: they are the drift that matters most.
  const drift = stored
    .filter((d) => !inRegister.has(d.code))
    .map((d) => ({ category: d.code, label: byCode.get(d.code)!.label, special: isSpecial(d.code), source: d.source }))
    .sort((a, b) => Number(b.special) - Number(a.special));
  const list = (kind: Exclude<RegisterItemKind, 'category'>) =>
    items
      .filter((i) => i.kind === kind)
      .map((i) => ({ code: i.code, label: itemLabel(kind, i, fieldLabels), note: i.note }));
  const updated = [settings.updated_at, ...items.map((i) => i.updated_at)].map((d) => new Date(d).getTime());
  return {
    tenantId,
    categories,
    dataSubjects: list('subject'),
    purposes: list('purpose'),
    operations: list('operation'),
    retention: {
      contacts: { inactiveMonths: settings.contacts_inactive_months },
      surveys: surveys.rows.map((s) => ({
        surveyId: s.id,
        name: s.name,
        status: s.status,
        closedAt: s.closed_at ? new Date(s.closed_at).toISOString() : null,
        monthsAfterClose: s.months,
        dueAt: s.due ? new Date(s.due).toISOString() : null,
        erasedAt: s.erased_at ? new Date(s.erased_at).toISOString() : null,
      })),
      logMonths,
    },
    special: {
      allowed,
      categories: categories.filter((c) => c.special).map((c) => c.code),
      freeText: scans.map((x) => ({
        surveyId: x.survey_id,
        name: x.name,
        texts: x.texts,
        bsn: x.bsn,
        iban: x.iban,
        health: x.health,
      })),
    },
    drift,
    updatedAt: new Date(Math.max(...updated)).toISOString(),
  };
}

export interface ItemInput {
  code: string;
  label?: { nl: string; en: string } | undefined;
  note?: string | null | undefined;
}

export interface RegisterChange {
  categories?: ItemInput[] | undefined;
  dataSubjects?: ItemInput[] | undefined;
  purposes?: ItemInput[] | undefined;
  operations?: ItemInput[] | undefined;
}

const KIND_OF = {
  categories: 'category',
  dataSubjects: 'subject',
  purposes: 'purpose',
  operations: 'operation',
} as const;

function checkItems(field: keyof typeof KIND_OF, list: ItemInput[]): void {
  const kind = KIND_OF[field];
  const errors: ProblemItem[] = [];
  const seen = new Set<string>();
  list.forEach((it, i) => {
    const at = `/${field}/${i}`;
    if (seen.has(it.code)) errors.push({ pointer: `${at}/code`, reason: `"${it.code}" is given twice` });
    seen.add(it.code);
    if (kind === 'category') {
      if (!isAssignableCategory(it.code))
        errors.push({ pointer: `${at}/code`, reason: 'not a standard category, profile.<key> or other.<name>' });
      else if (it.code.startsWith('other.') && !it.label)
        errors.push({ pointer: `${at}/label`, reason: 'an own category needs its labels (nl and en)' });
    } else if (!STANDARD[kind][it.code] && !it.label) {
      errors.push({
        pointer: `${at}/label`,
        reason: `"${it.code}" is not a standard ${kind}; give its labels (nl and en)`,
      });
    }
  });
  if (errors.length) throw new AppError(ErrorCode.VALIDATION, { key: 'problems:register.changeInvalid' }, { errors });
}

/**
 * The owner's edit (REG-1): each list given replaces that kind's records; lists not given stay.
 * Special categories only when the agreement allows them (REG-3). One audit row: codes added and
 * removed per kind (no personal data: codes and counts).
 */
export async function changeRegister(tx: Tx, tenantId: string, change: RegisterChange, actor: Actor): Promise<void> {
  await ensureRegister(tx, tenantId);
  const diff: Record<string, { added: string[]; removed: string[]; changed: string[] }> = {};
  for (const field of Object.keys(KIND_OF) as Array<keyof typeof KIND_OF>) {
    const list = change[field];
    if (!list) continue;
    checkItems(field, list);
    const kind = KIND_OF[field];
    if (kind === 'category')
      await refuseSpecialCategories(
        tx,
        tenantId,
        list.map((it, i) => ({
          pointer: `/${field}/${i}/code`,
          what: `the register category "${it.code}"`,
          category: it.code,
        })),
      );
    const before = await tx
      .selectFrom('register_items')
      .select(['code', 'label_nl', 'label_en', 'note'])
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', kind)
      .execute();
    const old = new Map(before.map((b) => [b.code, b]));
    const next = new Set(list.map((l) => l.code));
    const removed = before.map((b) => b.code).filter((c) => !next.has(c));
    const added = list.map((l) => l.code).filter((c) => !old.has(c));
    const changed: string[] = [];
    if (removed.length)
      await tx
        .deleteFrom('register_items')
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .where('code', 'in', removed)
        .execute();
    for (const it of list) {
      const o = old.get(it.code);
      const v = { label_nl: it.label?.nl ?? null, label_en: it.label?.en ?? null, note: it.note ?? null };
      if (!o)
        await tx
          .insertInto('register_items')
          .values({ tenant_id: tenantId, kind, code: it.code, ...v })
          .execute();
      else if (o.label_nl !== v.label_nl || o.label_en !== v.label_en || o.note !== v.note) {
        await tx
          .updateTable('register_items')
          .set({ ...v, updated_at: new Date() })
          .where('tenant_id', '=', tenantId)
          .where('kind', '=', kind)
          .where('code', '=', it.code)
          .execute();
        changed.push(it.code);
      }
    }
    if (added.length || removed.length || changed.length) diff[kind] = { added, removed, changed };
  }
  if (Object.keys(diff).length === 0) return;
  await audit(tx, tenantId, actor, {
    action: AuditAction.REGISTER_CHANGED,
    subject: { kind: 'register', id: tenantId },
    details: { changed: diff },
  });
}

/** Adds and removes single records (PATCH): the quick way to cover a drifted category. */
export async function patchRegister(
  tx: Tx,
  tenantId: string,
  patch: {
    add?: Array<ItemInput & { kind: RegisterItemKind }> | undefined;
    remove?: Array<{ kind: RegisterItemKind; code: string }> | undefined;
  },
  actor: Actor,
): Promise<void> {
  await ensureRegister(tx, tenantId);
  // Problems point into the PATCH body (changeRegister checks the resulting lists again).
  await refuseSpecialCategories(
    tx,
    tenantId,
    (patch.add ?? []).flatMap((a, i) =>
      a.kind === 'category'
        ? [{ pointer: `/add/${i}/code`, what: `the register category "${a.code}"`, category: a.code }]
        : [],
    ),
  );
  const current = await tx
    .selectFrom('register_items')
    .select(['kind', 'code', 'label_nl', 'label_en', 'note'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const change: RegisterChange = {};
  for (const [field, kind] of Object.entries(KIND_OF) as Array<[keyof typeof KIND_OF, RegisterItemKind]>) {
    const adds = (patch.add ?? []).filter((a) => a.kind === kind);
    const removes = new Set((patch.remove ?? []).filter((r) => r.kind === kind).map((r) => r.code));
    if (!adds.length && !removes.size) continue;
    const addCodes = new Set(adds.map((a) => a.code));
    const kept: ItemInput[] = current
      .filter((c) => c.kind === kind && !removes.has(c.code) && !addCodes.has(c.code))
      .map((c) => ({
        code: c.code,
        ...(c.label_nl && c.label_en ? { label: { nl: c.label_nl, en: c.label_en } } : {}),
        note: c.note,
      }));
    change[field] = [...kept, ...adds.map(({ kind: _k, ...a }) => a)];
  }
  await changeRegister(tx, tenantId, change, actor);
}

// ------------------------------------------------------------------ REG-4: retention settings

export interface RetentionChange {
  contacts?: { inactiveMonths: number | null } | undefined;
  surveys?: Array<{ surveyId: string; monthsAfterClose: number | null }> | undefined;
}

export async function changeRetention(tx: Tx, tenantId: string, change: RetentionChange, actor: Actor): Promise<void> {
  await ensureRegister(tx, tenantId);
  const changed: Record<string, { before: number | null; after: number | null }> = {};
  if (change.contacts) {
    const before = await tx
      .selectFrom('register_settings')
      .select('contacts_inactive_months')
      .where('tenant_id', '=', tenantId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.contacts_inactive_months !== change.contacts.inactiveMonths) {
      await tx
        .updateTable('register_settings')
        .set({ contacts_inactive_months: change.contacts.inactiveMonths, updated_at: new Date() })
        .where('tenant_id', '=', tenantId)
        .execute();
      changed.contacts = { before: before.contacts_inactive_months, after: change.contacts.inactiveMonths };
    }
  }
  for (const [i, s] of (change.surveys ?? []).entries()) {
    const survey = await tx.selectFrom('surveys').select('id').where('id', '=', s.surveyId).executeTakeFirst();
    if (!survey)
      throw new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:register.noSurvey', params: { id: s.surveyId } },
        {
          errors: [{ pointer: `/surveys/${i}/surveyId`, reason: 'unknown survey' }],
        },
      );
    const before = await tx
      .selectFrom('survey_retention')
      .select(['months_after_close', 'erased_at'])
      .where('survey_id', '=', s.surveyId)
      .forUpdate()
      .executeTakeFirst();
    if ((before?.months_after_close ?? null) === s.monthsAfterClose) continue;
    if (s.monthsAfterClose === null)
      await tx
        .deleteFrom('survey_retention')
        .where('survey_id', '=', s.surveyId)
        .where('erased_at', 'is', null)
        .execute();
    else if (before?.erased_at)
      throw new AppError(
        ErrorCode.CONFLICT,
        { key: 'problems:register.erasedAlready' },
        {
          errors: [{ pointer: `/surveys/${i}`, reason: 'erased already' }],
        },
      );
    else {
      const months = s.monthsAfterClose;
      await tx
        .insertInto('survey_retention')
        .values({ tenant_id: tenantId, survey_id: s.surveyId, months_after_close: months })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'survey_id']).doUpdateSet({ months_after_close: months, updated_at: new Date() }),
        )
        .execute();
    }
    changed[`survey:${s.surveyId}`] = { before: before?.months_after_close ?? null, after: s.monthsAfterClose };
  }
  if (Object.keys(changed).length === 0) return;
  await audit(tx, tenantId, actor, {
    action: AuditAction.RETENTION_CHANGED,
    subject: { kind: 'register', id: tenantId },
    details: { changed },
  });
}

// ------------------------------------------------------------------ REG-3: free text that looks special

interface Sealed {
  why?: string | null;
  answers?: Record<string, unknown>;
}

/** The typed free-text answers of one response (the answers of text questions, and `why`). */
export function freeTexts(def: SurveyDefinition, a: Sealed): string[] {
  const out = new Set<string>();
  if (typeof a.why === 'string' && a.why) out.add(a.why);
  for (const q of def.questions ?? []) {
    const v = a.answers?.[q.id];
    if (q.type === 'text' && typeof v === 'string' && v) out.add(v);
  }
  return [...out];
}

/**
 * Counts, per survey, the responses whose free text looks like a BSN (11-proef) or an IBAN (mod 97),
 * found by the labelling feature's redaction code, or mentions health. Incremental: reads responses
 * after the stored cursor that are older than `settleSeconds` (the results' settle time), at most
 * `limit` per call. Only counts are stored and returned, never a text. Returns whether it is done.
 */
export async function scanFreeText(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  settleSeconds: number,
  limit = 20_000,
): Promise<boolean> {
  const surveys = await tx.selectFrom('surveys').select(['id', 'definition']).execute();
  let budget = limit;
  for (const s of surveys) {
    const def = s.definition as SurveyDefinition;
    if (!(def.questions ?? []).some((q) => q.type === 'text')) continue;
    if (budget <= 0) return false;
    const cur = await tx
      .selectFrom('register_text_scans')
      .select(['cursor_at', 'cursor_id'])
      .where('survey_id', '=', s.id)
      .executeTakeFirst();
    const rows = await sql<{ id: string; submitted_at: Date; answers_enc: Buffer }>`
      SELECT id, submitted_at, answers_enc FROM responses
       WHERE survey_id = ${s.id}::uuid AND submitted_at <= now() - make_interval(secs => ${settleSeconds})
         ${cur?.cursor_at ? sql`AND (submitted_at, id) > (${cur.cursor_at}::timestamptz, ${cur.cursor_id}::uuid)` : sql``}
       ORDER BY submitted_at, id LIMIT ${budget}`.execute(tx);
    if (rows.rows.length === 0) continue;
    budget -= rows.rows.length;
    const n = { texts: 0, bsn: 0, iban: 0, health: 0 };
    for (const r of rows.rows) {
      const texts = freeTexts(def, keys.openJson<Sealed>(r.answers_enc));
      if (texts.length === 0) continue;
      n.texts++;
      const found = new Set(texts.flatMap((t) => findPii(t, { types: ['bsn', 'iban'] }).map((p) => p.type)));
      if (found.has('bsn')) n.bsn++;
      if (found.has('iban')) n.iban++;
      if (texts.some(mentionsHealth)) n.health++;
    }
    const last = rows.rows[rows.rows.length - 1]!;
    await sql`
      INSERT INTO register_text_scans (tenant_id, survey_id, texts, bsn, iban, health, cursor_at, cursor_id)
      VALUES (${tenantId}::uuid, ${s.id}::uuid, ${n.texts}, ${n.bsn}, ${n.iban}, ${n.health}, ${last.submitted_at}, ${last.id}::uuid)
      ON CONFLICT (tenant_id, survey_id) DO UPDATE SET
        texts = register_text_scans.texts + excluded.texts, bsn = register_text_scans.bsn + excluded.bsn,
        iban = register_text_scans.iban + excluded.iban, health = register_text_scans.health + excluded.health,
        cursor_at = excluded.cursor_at, cursor_id = excluded.cursor_id`.execute(tx);
  }
  return true;
}

// ------------------------------------------------------------------ Annex 1 of the agreement

function sourceText(s: Source, lang: 'nl' | 'en'): string {
  switch (s.kind) {
    case 'built_in':
      return s.label[lang];
    case 'profile_field':
      return lang === 'nl' ? `profielveld ${s.label.nl} (${s.id})` : `profile field ${s.label.en} (${s.id})`;
    case 'question':
      return lang === 'nl' ? `vraag ${s.id} van "${s.surveyName}"` : `question ${s.id} of "${s.surveyName}"`;
  }
}

/** Annex 1 of the agreement document (AGR-4), renderer-neutral: the register as paragraphs, lists and tables. */
export async function registerAnnex(tx: Tx, tenantId: string, lang: 'nl' | 'en'): Promise<DocSection> {
  const r = await readRegister(tx, tenantId);
  const nl = lang === 'nl';
  const blocks: DocBlock[] = [];
  const p = (text: string) => blocks.push({ kind: 'paragraph', text });
  const h = (text: string) => blocks.push({ kind: 'subheading', text });
  p(
    nl
      ? 'Dit register beschrijft de categorieën persoonsgegevens en betrokkenen, de doeleinden, de verwerkingshandelingen en de bewaartermijnen. Het is afgeleid van wat Peil werkelijk opslaat en vastgesteld door de verwerkingsverantwoordelijke.'
      : 'This register describes the categories of personal data and data subjects, the purposes, the processing operations and the retention periods. It is derived from what Peil really stores and set by the controller.',
  );
  h(nl ? '1. Categorieën persoonsgegevens' : '1. Categories of personal data');
  blocks.push({
    kind: 'table',
    head: nl
      ? ['Categorie', 'Code', 'Waar opgeslagen', 'In register']
      : ['Category', 'Code', 'Where stored', 'In register'],
    rows: r.categories.map((c) => [
      c.label[lang] + (c.special ? (nl ? ' (bijzonder)' : ' (special)') : ''),
      c.code,
      c.derivedFrom.map((s) => sourceText(s, lang)).join('; ') || '-',
      c.inRegister ? (nl ? 'ja' : 'yes') : nl ? 'nee (afwijking)' : 'no (drift)',
    ]),
  });
  h(nl ? '2. Categorieën betrokkenen' : '2. Categories of data subjects');
  blocks.push({ kind: 'list', items: r.dataSubjects.map((s) => s.label[lang] + (s.note ? ` – ${s.note}` : '')) });
  h(nl ? '3. Doeleinden' : '3. Purposes');
  blocks.push({ kind: 'list', items: r.purposes.map((s) => s.label[lang] + (s.note ? ` – ${s.note}` : '')) });
  h(nl ? '4. Verwerkingshandelingen' : '4. Processing operations');
  blocks.push({ kind: 'list', items: r.operations.map((s) => s.label[lang] + (s.note ? ` – ${s.note}` : '')) });
  h(nl ? '5. Bewaartermijnen' : '5. Retention periods');
  const months = (m: number) => (nl ? `${m} ${m === 1 ? 'maand' : 'maanden'}` : `${m} ${m === 1 ? 'month' : 'months'}`);
  blocks.push({
    kind: 'table',
    head: nl ? ['Gegevensverzameling', 'Bewaartermijn'] : ['Data set', 'Retention'],
    rows: [
      [
        nl ? 'Contacten' : 'Contacts',
        r.retention.contacts.inactiveMonths === null
          ? nl
            ? 'tot verwijdering door de klant of het einde van de overeenkomst'
            : 'until deleted by the customer or the end of the agreement'
          : nl
            ? `${months(r.retention.contacts.inactiveMonths)} na de laatste uitnodiging, reactie of wijziging`
            : `${months(r.retention.contacts.inactiveMonths)} after the last invitation, response or change`,
      ],
      ...r.retention.surveys.map((s) => [
        (nl ? 'Enquête ' : 'Survey ') + s.name,
        s.erasedAt
          ? nl
            ? `persoonsgegevens gewist op ${s.erasedAt.slice(0, 10)}; totalen bewaard`
            : `personal data erased on ${s.erasedAt.slice(0, 10)}; aggregates kept`
          : s.monthsAfterClose === null
            ? nl
              ? 'tot verwijdering door de klant of het einde van de overeenkomst'
              : 'until deleted by the customer or the end of the agreement'
            : nl
              ? `${months(s.monthsAfterClose)} na sluiten (open tekst en koppeling met personen gewist, totalen bewaard)`
              : `${months(s.monthsAfterClose)} after closing (free text and the link to persons erased, aggregates kept)`,
      ]),
      [nl ? 'Logboek' : 'Log', months(r.retention.logMonths)],
    ],
  });
  h(nl ? '6. Bijzondere persoonsgegevens' : '6. Special categories of personal data');
  const specials = r.special.categories.map((c) => `${categoryLabel(c)[lang]} (${c})`);
  p(
    r.special.allowed
      ? nl
        ? `De overeenkomst staat bijzondere persoonsgegevens toe. In het register of opgeslagen: ${specials.join(', ') || 'geen'}.`
        : `The agreement allows special categories. In the register or stored: ${specials.join(', ') || 'none'}.`
      : nl
        ? 'De overeenkomst staat geen bijzondere persoonsgegevens toe; Peil weigert velden en vragen die erom vragen.'
        : 'The agreement does not allow special categories; Peil refuses fields and questions that ask for them.',
  );
  const flagged = r.special.freeText.filter((f) => f.bsn + f.iban + f.health > 0);
  if (flagged.length) {
    p(
      nl
        ? 'Open antwoorden die op een BSN, IBAN of gezondheidsgegevens lijken (aantallen):'
        : 'Free-text answers that look like a BSN, IBAN or health data (counts):',
    );
    blocks.push({
      kind: 'table',
      head: nl ? ['Enquête', 'BSN', 'IBAN', 'Gezondheid'] : ['Survey', 'BSN', 'IBAN', 'Health'],
      rows: flagged.map((f) => [f.name, String(f.bsn), String(f.iban), String(f.health)]),
    });
  }
  if (r.drift.length) {
    p(
      nl
        ? 'Afwijkingen: opgeslagen categorieën die het register nog niet dekt:'
        : 'Drift: stored categories the register does not cover yet:',
    );
    blocks.push({
      kind: 'list',
      items: r.drift.map((d) => `${d.label[lang]} (${d.category}) – ${sourceText(d.source, lang)}`),
    });
  }
  return {
    id: 'annex-1',
    title: nl ? 'Bijlage 1 – Register van verwerkingen' : 'Annex 1 – Register of processing',
    blocks,
  };
}
