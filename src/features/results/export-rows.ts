import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { displayComment } from '../labelling/results.js';
import {
  commentQuestion,
  keyQuestion,
  scaleOf,
  type AnswerValue,
  type Answers,
  type Question,
  type SurveyDefinition,
} from '../surveys/definition.js';
import { inRelease, type Release } from './release.js';
import { CATEGORY_NAMES, categoryOf, GROUPS, SCORE_NAMES, scoreKindOf, type ScoreKind } from './scores.js';
import { amsterdamTime, type LocalTime } from '../../lib/amsterdam.js';

/**
 * The one row source of every responses export (CSV, XLSX, JSON lines, SPSS): the survey's responses,
 * decrypted, in keyset pages of PAGE rows, each page its own short tenant transaction (a slow download
 * never holds the database). The rules are applied here once, for every format (OBLIGATIONS SVC-4,
 * ACC-2): with a release (anonymous surveys) only the released responses, in the order of their random
 * ids, without time or language, their open answers redacted; contact details only when asked for
 * (the route checks the right to see them).
 */

export type Lang = 'nl' | 'en';

export interface ExportRow {
  id: string;
  /** null for anonymous surveys */
  submittedAt: Date | null;
  language: string | null;
  /** every answer, from the sealed answers_enc (which also has numbers, dates and open text) */
  answers: Answers;
  contact: { email: string | null; firstName: string | null; infix: string | null; lastName: string | null } | null;
}

export interface RowSourceOptions {
  tenantId: string;
  surveyId: string;
  definition: SurveyDefinition;
  /** the release of an anonymous survey; null: every response (identified surveys) */
  release: Release | null;
  withContacts: boolean;
  /** identified surveys: stop after this (submitted_at::text, id) (a second pass reads what the first read) */
  until?: { at: string; id: string } | null;
  page?: number;
}

interface Sealed {
  score?: number | null;
  why?: string | null;
  answers?: Answers;
}

export interface RowSource {
  rows: AsyncGenerator<ExportRow>;
  /** after the rows are read: the last (submitted_at::text, id) read, for a second pass */
  last: () => { at: string; id: string } | null;
}

export function rowSource(ctx: AppContext, keys: TenantKeys, o: RowSourceOptions): RowSource {
  const PAGE = o.page ?? 1000;
  const key = keyQuestion(o.definition);
  const comment = commentQuestion(o.definition);
  const texts = o.definition.questions.filter((q) => q.type === 'text').map((q) => q.id);
  const release = o.release;
  let lastSeen: { at: string; id: string } | null = null;
  async function* rows(): AsyncGenerator<ExportRow> {
    if (release && release.cutoff === null) return;
    let cursor: { at: string; id: string } | null = null;
    for (;;) {
      const c = cursor;
      const page = await ctx.db.tenant(o.tenantId, (tx) => {
        // Issue 17: the contacts are joined only when their columns are exported (the join was 280 of
        // the 291 ms of a 1,000-row page on 1M responses).
        let q = tx
          .selectFrom('responses as r')
          .select([
            'r.id',
            'r.submitted_at',
            sql<string>`r.submitted_at::text`.as('at_text'),
            'r.language',
            'r.answers_enc',
          ])
          .$if(o.withContacts, (qb) =>
            qb
              .leftJoin('contacts as c', (j) =>
                j.onRef('c.tenant_id', '=', 'r.tenant_id').onRef('c.id', '=', 'r.contact_id'),
              )
              .select(['c.email_enc', 'c.first_name_enc', 'c.infix_enc', 'c.last_name_enc']),
          )
          .where('r.survey_id', '=', o.surveyId);
        if (release) {
          // The release, paged by id (random: it says nothing about time).
          q = q.where(inRelease(release.cutoff));
          if (c) q = q.where('r.id', '>', c.id);
          return q.orderBy('r.id').limit(PAGE).execute();
        }
        // The cursor keeps PostgreSQL's microseconds (a JS Date would round them and skip rows).
        if (c) q = q.where(sql<boolean>`(r.submitted_at, r.id) > (${c.at}::timestamptz, ${c.id}::uuid)`);
        if (o.until)
          q = q.where(sql<boolean>`(r.submitted_at, r.id) <= (${o.until.at}::timestamptz, ${o.until.id}::uuid)`);
        return q.orderBy('r.submitted_at').orderBy('r.id').limit(PAGE).execute();
      });
      for (const r of page) {
        const a = keys.openJson<Sealed>(r.answers_enc);
        // Older responses hold only the score and the comment.
        const answers: Answers = { ...(a.answers ?? {}) };
        if (key && answers[key.id] === undefined && typeof a.score === 'number') answers[key.id] = a.score;
        if (comment && answers[comment.id] === undefined && a.why) answers[comment.id] = a.why;
        // OBLIGATIONS SVC-4 / AI-3: what an anonymous respondent typed is redacted (names, addresses, …).
        if (release)
          for (const id of texts)
            if (typeof answers[id] === 'string')
              answers[id] = displayComment(answers[id] as string, { anonymous: true });
        lastSeen = { at: r.at_text, id: r.id };
        yield {
          id: r.id,
          submittedAt: release ? null : new Date(r.submitted_at),
          language: release ? null : r.language,
          answers,
          contact: o.withContacts
            ? {
                email: keys.open(r.email_enc ?? null),
                firstName: keys.open(r.first_name_enc ?? null),
                infix: keys.open(r.infix_enc ?? null),
                lastName: keys.open(r.last_name_enc ?? null),
              }
            : null,
        };
      }
      if (page.length < PAGE) return;
      const last = page[page.length - 1]!;
      cursor = { at: last.at_text, id: last.id };
    }
  }
  return { rows: rows(), last: () => lastSeen };
}

// ------------------------------------------------------------------ columns

/** A local time (Europe/Amsterdam) as its parts; `time: false` for a calendar date (date questions). */
export interface LocalStamp extends LocalTime {
  kind: 'stamp';
  time: boolean;
}
export type CellValue = string | number | LocalStamp | null;

export interface Column {
  /** header / variable name */
  name: string;
  /** the header text (header=texts) / SPSS variable label */
  label: string;
  type: 'string' | 'number' | 'date' | 'datetime';
  /** numbers: whole numbers only */
  integer?: boolean;
  /** SPSS value labels (numeric codes) */
  valueLabels?: Array<{ value: number; label: string }>;
  /** SPSS measurement level */
  measure?: 'nominal' | 'ordinal' | 'scale';
  get: (row: ExportRow) => CellValue;
}

export interface ColumnOptions {
  lang: Lang;
  /** stored values instead of labels (CSV, XLSX) */
  codes: boolean;
  /** multiple choice: one 0/1 column per option, or the labels joined with " | " */
  multiple: 'columns' | 'joined';
  /** SPSS: choices and the key group as numeric codes with value labels */
  numericCodes: boolean;
  anonymous: boolean;
  withContacts: boolean;
}

/** An instant as the local time in Europe/Amsterdam (lib/amsterdam.ts: an offset cached per UTC hour). */
export function amsterdam(d: Date): LocalStamp {
  return { kind: 'stamp', ...amsterdamTime(d), time: true };
}

export function calendarDate(s: string): LocalStamp | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m
    ? { kind: 'stamp', y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), hh: 0, mm: 0, ss: 0, time: false }
    : null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** '2026-11-20 15:02:11' or '2026-11-20' */
export function stampText(s: LocalStamp): string {
  const day = `${pad(s.y, 4)}-${pad(s.m)}-${pad(s.d)}`;
  return s.time ? `${day} ${pad(s.hh)}:${pad(s.mm)}:${pad(s.ss)}` : day;
}

export const isStamp = (v: CellValue): v is LocalStamp => typeof v === 'object' && v !== null && v.kind === 'stamp';

const T = {
  id: { nl: 'Antwoord-id', en: 'Response id' },
  submitted: {
    nl: 'Ingevuld op (tijd in Nederland, Europe/Amsterdam)',
    en: 'Submitted at (Dutch time, Europe/Amsterdam)',
  },
  language: { nl: 'Taal', en: 'Language' },
  group: { nl: 'groep', en: 'group' },
  email: { nl: 'E-mailadres', en: 'Email address' },
  firstName: { nl: 'Voornaam', en: 'First name' },
  infix: { nl: 'Tussenvoegsel', en: 'Infix' },
  lastName: { nl: 'Achternaam', en: 'Last name' },
  chosen: { nl: 'Gekozen', en: 'Chosen' },
  notChosen: { nl: 'Niet gekozen', en: 'Not chosen' },
};

/**
 * The columns of the export, in the order of the questions. The key score's column is named by its
 * question's id and followed by `<id>_category`, the group it falls in as the score's own kind names
 * it (NPS/eNPS: promoter, passive, detractor; CSAT: satisfied, neutral, dissatisfied; CES: easy,
 * neutral, difficult).
 */
export function exportColumns(def: SurveyDefinition, o: ColumnOptions): Column[] {
  const L = (t: { nl: string; en: string }) => t[o.lang];
  const cols: Column[] = [{ name: 'response_id', label: L(T.id), type: 'string', get: (r) => r.id }];
  if (!o.anonymous) {
    cols.push({
      name: 'submitted_at_amsterdam',
      label: L(T.submitted),
      type: 'datetime',
      get: (r) => (r.submittedAt ? amsterdam(r.submittedAt) : null),
    });
    cols.push({ name: 'language', label: L(T.language), type: 'string', measure: 'nominal', get: (r) => r.language });
  }
  const key = keyQuestion(def);
  const answer =
    (q: Question) =>
    (r: ExportRow): AnswerValue | undefined =>
      r.answers[q.id];
  for (const q of def.questions) {
    const get = answer(q);
    const text = L(q.text);
    const scale = scaleOf(q);
    if (scale) {
      const labels =
        q.type === 'rating'
          ? [
              q.minLabel && { value: q.min, label: L(q.minLabel) },
              q.maxLabel && { value: q.max, label: L(q.maxLabel) },
            ].filter((x): x is { value: number; label: string } => !!x)
          : [];
      cols.push({
        name: q.id,
        label: text,
        type: 'number',
        integer: true,
        measure: 'ordinal',
        ...(labels.length ? { valueLabels: labels } : {}),
        get: (r) => num(get(r)),
      });
      if (q.id === key?.id) cols.push(categoryColumn(q, scoreKindOf(q)!, o, get));
      continue;
    }
    switch (q.type) {
      case 'single': {
        if (o.numericCodes) {
          const codes = new Map(q.options.map((opt, i) => [opt.value, i + 1]));
          cols.push({
            name: q.id,
            label: text,
            type: 'number',
            integer: true,
            measure: 'nominal',
            valueLabels: q.options.map((opt, i) => ({ value: i + 1, label: L(opt.label) })),
            get: (r) => {
              const v = get(r);
              return typeof v === 'string' ? (codes.get(v) ?? null) : null;
            },
          });
        } else {
          const labels = new Map(q.options.map((opt) => [opt.value, L(opt.label)]));
          cols.push({
            name: q.id,
            label: text,
            type: 'string',
            get: (r) => {
              const v = get(r);
              return typeof v === 'string' ? (o.codes ? v : (labels.get(v) ?? v)) : null;
            },
          });
        }
        break;
      }
      case 'multiple': {
        if (o.multiple === 'columns' || o.numericCodes) {
          for (const opt of q.options) {
            cols.push({
              name: `${q.id}_${opt.value}`,
              label: `${text}: ${L(opt.label)}`,
              type: 'number',
              integer: true,
              measure: 'nominal',
              valueLabels: [
                { value: 0, label: L(T.notChosen) },
                { value: 1, label: L(T.chosen) },
              ],
              // Not answered (or not shown): empty, not 0.
              get: (r) => {
                const v = get(r);
                return Array.isArray(v) ? (v.includes(opt.value) ? 1 : 0) : null;
              },
            });
          }
        } else {
          const labels = new Map(q.options.map((opt) => [opt.value, L(opt.label)]));
          cols.push({
            name: q.id,
            label: text,
            type: 'string',
            get: (r) => {
              const v = get(r);
              return Array.isArray(v) ? v.map((x) => (o.codes ? x : (labels.get(x) ?? x))).join(' | ') : null;
            },
          });
        }
        break;
      }
      case 'number':
        cols.push({
          name: q.id,
          label: text,
          type: 'number',
          integer: q.integer === true,
          measure: 'scale',
          get: (r) => num(get(r)),
        });
        break;
      case 'date':
        cols.push({
          name: q.id,
          label: text,
          type: 'date',
          get: (r) => {
            const v = get(r);
            return typeof v === 'string' ? calendarDate(v) : null;
          },
        });
        break;
      case 'text':
        cols.push({
          name: q.id,
          label: text,
          type: 'string',
          get: (r) => {
            const v = get(r);
            return typeof v === 'string' ? v : null;
          },
        });
        break;
    }
  }
  if (o.withContacts) {
    cols.push({ name: 'email', label: L(T.email), type: 'string', get: (r) => r.contact?.email ?? null });
    cols.push({ name: 'first_name', label: L(T.firstName), type: 'string', get: (r) => r.contact?.firstName ?? null });
    cols.push({ name: 'infix', label: L(T.infix), type: 'string', get: (r) => r.contact?.infix ?? null });
    cols.push({ name: 'last_name', label: L(T.lastName), type: 'string', get: (r) => r.contact?.lastName ?? null });
  }
  return cols;
}

function num(v: AnswerValue | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function categoryColumn(
  q: Question,
  kind: ScoreKind,
  o: ColumnOptions,
  get: (r: ExportRow) => AnswerValue | undefined,
): Column {
  const L = (t: { nl: string; en: string }) => t[o.lang];
  const groups = GROUPS[kind];
  const label = `${L(SCORE_NAMES[kind])}: ${L(T.group)}`;
  const name = `${q.id}_category`;
  if (o.numericCodes) {
    // 1 = the best group (promoter, satisfied, easy), in the order scores.ts lists them.
    return {
      name,
      label,
      type: 'number',
      integer: true,
      measure: 'ordinal',
      valueLabels: groups.map((g, i) => ({ value: i + 1, label: L(CATEGORY_NAMES[g.category]) })),
      get: (r) => {
        const v = num(get(r));
        const c = v === null ? null : categoryOf(kind, v);
        return c ? groups.findIndex((g) => g.category === c) + 1 : null;
      },
    };
  }
  return {
    name,
    label,
    type: 'string',
    get: (r) => {
      const v = num(get(r));
      const c = v === null ? null : categoryOf(kind, v);
      return c ? (o.codes ? c : L(CATEGORY_NAMES[c])) : null;
    },
  };
}
