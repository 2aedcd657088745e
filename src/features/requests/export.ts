import { strToU8, zipSync } from 'fflate';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { Tx } from '../../lib/db/db.js';
import type { SurveyDefinition } from '../surveys/definition.js';
import { findPerson } from './erase.js';
import { followUpsOfPerson } from '../followups/index.js';

/**
 * OBLIGATIONS DSR-2: everything Peil holds about one person for this customer, as JSON and as a ZIP of
 * CSV files (access, portability). Read in the caller's transaction.
 *
 * What can be found depends on the survey's anonymity, and the export says so (NOTES):
 *  - identified: the answers are linked to the contact: all of them, with their texts, labels and sentiment.
 *  - confidential: Peil keeps the link (so the answers can be erased with the person), but the survey
 *    promised that the customer's staff sees answers only in groups of at least the minimum group size.
 *    The export therefore lists how many answers the person gave in which survey, not what they said:
 *    showing the text to the staff who run the export would break that promise.
 *  - anonymous and open link: the answer is stored without invitation or contact (respond/writer.ts), so
 *    nothing links it to the person: it cannot be found, exported or erased individually. The export
 *    shows only that the person was invited (the invitation's "answered" mark holds no time).
 */
export const NOTES = {
  identified: {
    nl: 'Identificeerbare vragenlijsten: de antwoorden zijn aan de persoon gekoppeld en staan volledig in deze export (met labels en sentiment).',
    en: 'Identified surveys: the answers are linked to the person and are in this export in full (with labels and sentiment).',
  },
  confidential: {
    nl: 'Vertrouwelijke vragenlijsten: Peil bewaart de koppeling (zodat de antwoorden met de persoon gewist kunnen worden), maar medewerkers zien antwoorden alleen in groepen van minstens de minimale groepsgrootte. Deze export noemt daarom per vragenlijst hoeveel antwoorden er zijn, niet wat er geantwoord is.',
    en: 'Confidential surveys: Peil keeps the link (so the answers can be erased with the person), but staff see answers only in groups of at least the minimum group size. This export therefore says per survey how many answers there are, not what was answered.',
  },
  anonymous: {
    nl: 'Anonieme vragenlijsten en open links: het antwoord wordt opgeslagen zonder uitnodiging of contact; niets koppelt het aan de persoon. Het kan niet gevonden, geëxporteerd of afzonderlijk gewist worden. Alleen de uitnodiging (zonder tijdstip van antwoorden) staat in deze export.',
    en: 'Anonymous surveys and open links: the answer is stored without invitation or contact; nothing links it to the person. It cannot be found, exported or erased individually. Only the invitation (without a time of answering) is in this export.',
  },
} as const;

export interface PersonExport {
  format: 'peil-person-export';
  version: 1;
  generatedAt: string;
  contactId: string;
  contact: Record<string, unknown> | null;
  profile: Array<{ key: string; labelNl: string | null; labelEn: string | null; value: unknown }>;
  invitations: Array<Record<string, unknown>>;
  responses: Array<Record<string, unknown>>;
  confidential: Array<{ surveyId: string; survey: string; answers: number }>;
  labels: Array<Record<string, unknown>>;
  /** issue 12: follow-ups of the person's answers (closed loop), with their notes */
  followUps: Array<Record<string, unknown>>;
  suppressions: Array<Record<string, unknown>>;
  requests: Array<Record<string, unknown>>;
  audit: Array<Record<string, unknown>>;
  notes: typeof NOTES;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export async function exportPerson(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  contactId: string,
  now = new Date(),
): Promise<PersonExport | null> {
  const person = await findPerson(tx, tenantId, keys, contactId);
  if (!person) return null;
  const c = await tx
    .selectFrom('contacts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', contactId)
    .executeTakeFirst();
  const fields = await tx
    .selectFrom('profile_fields')
    .select(['key', 'label_nl', 'label_en'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const profile = c
    ? Object.entries((c.profile ?? {}) as Record<string, unknown>).map(([key, value]) => {
        const f = fields.find((x) => x.key === key);
        return { key, labelNl: f?.label_nl ?? null, labelEn: f?.label_en ?? null, value };
      })
    : [];

  const surveys = new Map(
    (
      await tx
        .selectFrom('surveys')
        .select(['id', 'name', 'anonymity', 'definition'])
        .where('tenant_id', '=', tenantId)
        .execute()
    ).map((s) => [s.id, s]),
  );
  const invitationIds = [...person.invitationIds];
  const invitations = invitationIds.length
    ? await tx
        .selectFrom('invitations')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', invitationIds)
        .orderBy('created_at')
        .execute()
    : [];
  const responseIds = [...person.responseIds];
  const responses = responseIds.length
    ? await tx
        .selectFrom('responses')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', responseIds)
        .orderBy('submitted_at')
        .execute()
    : [];

  const out: PersonExport['responses'] = [];
  const confidential = new Map<string, { surveyId: string; survey: string; answers: number }>();
  const shownIds: string[] = [];
  for (const r of responses) {
    const s = surveys.get(r.survey_id);
    if (s?.anonymity === 'confidential') {
      const e = confidential.get(r.survey_id) ?? { surveyId: r.survey_id, survey: s.name, answers: 0 };
      e.answers++;
      confidential.set(r.survey_id, e);
      continue;
    }
    const sealed = keys.openJson<{ score: number | null; why: string | null; answers?: Record<string, unknown> }>(
      r.answers_enc,
    );
    const answers: Record<string, unknown> = {
      ...((r.answers ?? {}) as Record<string, unknown>),
      ...(sealed.answers ?? {}),
    };
    if (sealed.why && !Object.values(answers).includes(sealed.why)) answers.why = sealed.why;
    const def = s?.definition as SurveyDefinition | undefined;
    out.push({
      id: r.id,
      surveyId: r.survey_id,
      survey: s?.name ?? null,
      submittedAt: iso(r.submitted_at),
      language: r.language,
      score: r.score,
      answers: Object.entries(answers).map(([question, value]) => {
        const q = def?.questions.find((x) => x.id === question);
        return { question, textNl: q?.text.nl ?? null, textEn: q?.text.en ?? null, value };
      }),
    });
    shownIds.push(r.id);
  }

  const labels = shownIds.length
    ? await tx
        .selectFrom('response_labelling as l')
        .select(['l.response_id', 'l.sentiment', 'l.source', 'l.labelled_at'])
        .where('l.tenant_id', '=', tenantId)
        .where('l.response_id', 'in', shownIds)
        .execute()
    : [];
  const labelNames = shownIds.length
    ? await tx
        .selectFrom('response_labels as rl')
        .innerJoin('labels as lb', (j) =>
          j.onRef('lb.tenant_id', '=', 'rl.tenant_id').onRef('lb.id', '=', 'rl.label_id'),
        )
        .select(['rl.response_id', 'lb.id', 'lb.name_nl', 'lb.name_en'])
        .where('rl.tenant_id', '=', tenantId)
        .where('rl.response_id', 'in', shownIds)
        .execute()
    : [];

  const hmacs = [...person.hmacs.values()];
  const suppressions = hmacs.length
    ? await tx
        .selectFrom('suppressions')
        .select(['reason', 'source', 'created_at'])
        .where('tenant_id', '=', tenantId)
        .where('email_hmac', 'in', hmacs)
        .execute()
    : [];
  const requests = await tx
    .selectFrom('data_subject_requests')
    .select(['id', 'kind', 'status', 'received_at', 'decided_at'])
    .where('tenant_id', '=', tenantId)
    .where('status', 'in', ['received', 'extended', 'done', 'refused'])
    .where((eb) => eb.or([eb('contact_id', '=', contactId), ...(hmacs.length ? [eb('email_hmac', 'in', hmacs)] : [])]))
    .execute();
  const subjects = [contactId, ...invitationIds, ...responseIds, ...requests.map((r) => r.id)];
  const audit = await tx
    .selectFrom('audit_events')
    .select(['seq', 'at', 'actor_kind', 'action', 'subject_kind', 'subject_id', 'details'])
    .where('tenant_id', '=', tenantId)
    .where('subject_id', 'in', subjects)
    .orderBy('seq')
    .execute();

  return {
    format: 'peil-person-export',
    version: 1,
    generatedAt: now.toISOString(),
    contactId,
    contact: c
      ? {
          id: c.id,
          email: keys.open(c.email_enc),
          firstName: keys.open(c.first_name_enc),
          infix: keys.open(c.infix_enc),
          lastName: keys.open(c.last_name_enc),
          phone: keys.open(c.phone_enc),
          gender: c.gender,
          language: c.language,
          function: c.function,
          createdAt: iso(c.created_at),
          updatedAt: iso(c.updated_at),
        }
      : null,
    profile,
    invitations: invitations.map((i) => {
      const anonymous = surveys.get(i.survey_id)?.anonymity === 'anonymous';
      return {
        id: i.id,
        surveyId: i.survey_id,
        survey: surveys.get(i.survey_id)?.name ?? null,
        anonymity: surveys.get(i.survey_id)?.anonymity ?? null,
        language: i.language,
        status: i.status,
        sentAt: iso(i.sent_at),
        // An anonymous survey keeps only a mark, not a time (the created_at of the invitation itself).
        opened: i.opened_at !== null,
        openedAt: anonymous ? null : iso(i.opened_at),
        answered: i.responded_at !== null,
        answeredAt: anonymous ? null : iso(i.responded_at),
        reminders: i.reminders_sent,
      };
    }),
    responses: out,
    confidential: [...confidential.values()],
    labels: labels.map((l) => ({
      responseId: l.response_id,
      sentiment: l.sentiment,
      source: l.source,
      labelledAt: iso(l.labelled_at),
      labels: labelNames.filter((n) => n.response_id === l.response_id).map((n) => n.name_nl ?? n.name_en ?? n.id),
    })),
    followUps: await followUpsOfPerson(tx, tenantId, keys, shownIds),
    suppressions: suppressions.map((s) => ({ reason: s.reason, source: s.source, createdAt: iso(s.created_at) })),
    requests: requests.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      receivedAt: iso(r.received_at),
      decidedAt: iso(r.decided_at),
    })),
    // The log's own entries about the person, without their sealed images (the images hold the same
    // contact data as above, as it was before a change).
    audit: audit.map((a) => {
      const { sealed: _sealed, ...details } = (a.details ?? {}) as Record<string, unknown>;
      return {
        seq: Number(a.seq),
        at: iso(a.at),
        actor: a.actor_kind,
        action: a.action,
        subject: `${a.subject_kind}:${a.subject_id}`,
        details,
      };
    }),
    notes: NOTES,
  };
}

// ---------------------------------------------------------------- CSV

function cell(v: unknown): string {
  const text = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csv(rows: Array<Record<string, unknown>>, columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return `\uFEFF${[cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`;
}

/** The export as a ZIP of CSV files (UTF-8 with BOM, comma-separated), with the notes in README.txt. */
export function exportZip(e: PersonExport): Uint8Array {
  const mtime = new Date(e.generatedAt);
  const files: Record<string, string> = {
    'contact.csv': csv(e.contact ? [e.contact] : [], [
      'id',
      'email',
      'firstName',
      'infix',
      'lastName',
      'phone',
      'gender',
      'language',
      'function',
      'createdAt',
      'updatedAt',
    ]),
    'profile.csv': csv(e.profile, ['key', 'labelNl', 'labelEn', 'value']),
    'invitations.csv': csv(e.invitations, [
      'id',
      'surveyId',
      'survey',
      'anonymity',
      'language',
      'status',
      'sentAt',
      'opened',
      'openedAt',
      'answered',
      'answeredAt',
      'reminders',
    ]),
    'answers.csv': csv(
      e.responses.flatMap((r) =>
        (r.answers as Array<Record<string, unknown>>).map((a) => ({
          responseId: r.id,
          surveyId: r.surveyId,
          survey: r.survey,
          submittedAt: r.submittedAt,
          ...a,
        })),
      ),
      ['responseId', 'surveyId', 'survey', 'submittedAt', 'question', 'textNl', 'textEn', 'value'],
    ),
    'confidential.csv': csv(e.confidential, ['surveyId', 'survey', 'answers']),
    'labels.csv': csv(e.labels, ['responseId', 'sentiment', 'source', 'labelledAt', 'labels']),
    'follow-ups.csv': csv(e.followUps, [
      'id',
      'surveyId',
      'responseId',
      'status',
      'createdAt',
      'dueAt',
      'doneAt',
      'notes',
    ]),
    'suppressions.csv': csv(e.suppressions, ['reason', 'source', 'createdAt']),
    'requests.csv': csv(e.requests, ['id', 'kind', 'status', 'receivedAt', 'decidedAt']),
    'audit.csv': csv(e.audit, ['seq', 'at', 'actor', 'action', 'subject', 'details']),
    'README.txt': [
      `Peil: export van alle gegevens over één persoon / export of all data about one person (${e.contactId}), ${e.generatedAt}`,
      '',
      ...Object.values(e.notes).flatMap((n) => [n.nl, n.en, '']),
    ].join('\r\n'),
  };
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, [strToU8(text), { mtime }]])), {
    level: 6,
  });
}
