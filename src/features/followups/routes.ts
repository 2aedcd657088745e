import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import type { FollowUpStatus } from '../../lib/db/schema.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { categoryOf, CATEGORY_NAMES, SCORE_NAMES } from '../results/scores.js';
import type { Answers, AnswerValue, SurveyDefinition } from '../surveys/definition.js';
import { DEFAULT_DUE_HOURS, followUpSummary, keyKindOf, mayOwn, readNotes, type Note } from './service.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const localizedOut = z.object({ nl: z.string(), en: z.string() });
const SURVEY = 'ef336289-1817-4109-a948-c780be8dd4c6';

const ruleInput = z
  .object({
    active: z
      .boolean()
      .default(true)
      .describe('off: no new follow-ups (existing ones stay); turning it on again starts from that moment'),
    trigger: z
      .enum(['unhappy', 'threshold'])
      .describe(
        "unhappy: the key score's worst group (NPS/eNPS detractor 0–6, CSAT 1–2, CES 5–7); threshold: key score ≤ `threshold`",
      ),
    threshold: z
      .number()
      .int()
      .min(0)
      .max(10)
      .nullable()
      .default(null)
      .describe('with trigger threshold: alert at a key score at or below this'),
    assigneeId: z
      .string()
      .nullable()
      .describe(
        'the colleague who owns new follow-ups and is mailed (an active owner, admin or analyst); null: nobody (webhooks only)',
      ),
    notifyEmail: z
      .boolean()
      .default(true)
      .describe('mail the colleague (Dutch, then English) a link to the follow-up; never the answer or the contact'),
    notifyWebhooks: z
      .boolean()
      .default(false)
      .describe('send `followup.created` to the webhooks that subscribed to it'),
    dueHours: z
      .number()
      .int()
      .min(1)
      .max(2160)
      .default(DEFAULT_DUE_HOURS)
      .describe('due time in hours after the answer (calendar hours, not working days)'),
  })
  .meta({
    examples: [
      {
        active: true,
        trigger: 'unhappy',
        threshold: null,
        assigneeId: '0b7d2c8e-1f3a-4e5b-8c6d-9a0b1c2d3e4f',
        notifyEmail: true,
        notifyWebhooks: false,
        dueHours: 48,
      },
    ],
  });

const ruleOut = z.object({
  active: z.boolean(),
  trigger: z.enum(['unhappy', 'threshold']),
  threshold: z.number().int().nullable(),
  assigneeId: z.string().nullable(),
  notifyEmail: z.boolean(),
  notifyWebhooks: z.boolean(),
  dueHours: z.number().int(),
  appliesFrom: z.string().describe('answers from this moment on are checked'),
  updatedAt: z.string(),
});

const alertSettings = z
  .object({
    surveyId: z.string(),
    eligible: z.boolean().describe('only identified surveys with a key score (NPS, eNPS, CSAT, CES) can have alerts'),
    reason: z.string().nullable().describe('why not, when not eligible'),
    keyScore: z
      .object({
        kind: z.enum(['nps', 'enps', 'csat', 'ces', 'rating']),
        name: localizedOut,
        unhappy: localizedOut.describe('the group `unhappy` alerts on'),
      })
      .nullable(),
    rule: ruleOut.nullable(),
    candidates: z
      .array(
        z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.string(), seesContacts: z.boolean() }),
      )
      .describe('colleagues who may own follow-ups'),
  })
  .meta({
    examples: [
      {
        surveyId: SURVEY,
        eligible: true,
        reason: null,
        keyScore: {
          kind: 'nps',
          name: { nl: 'Net Promoter Score (NPS)', en: 'Net Promoter Score (NPS)' },
          unhappy: { nl: 'Criticus', en: 'Detractor' },
        },
        rule: null,
        candidates: [
          {
            id: '0b7d2c8e-1f3a-4e5b-8c6d-9a0b1c2d3e4f',
            name: 'Anna de Vries',
            email: 'anna@zorg.example',
            role: 'admin',
            seesContacts: true,
          },
        ],
      },
    ],
  });

const status = z.enum(['open', 'in_progress', 'done']);
const note = z.object({
  at: z.string(),
  by: z.string().describe('user id'),
  byName: z.string().nullable(),
  text: z.string(),
});
const followUp = z.object({
  id: z.string(),
  surveyId: z.string(),
  surveyName: z.string(),
  responseId: z.string(),
  contactId: z.string().nullable(),
  status,
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  answeredAt: z.string(),
  dueAt: z.string(),
  overdue: z.boolean().describe('not done and past its due time'),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  score: z.number().int().nullable().describe('the key score; null without responses:export (viewers)'),
  category: localizedOut.nullable(),
  mail: z.enum(['none', 'pending', 'sent', 'failed']).describe('the mail to the owner'),
});
const followUpDetail = followUp.extend({
  contact: z
    .object({
      email: z.string().nullable(),
      firstName: z.string().nullable(),
      infix: z.string().nullable(),
      lastName: z.string().nullable(),
      phone: z.string().nullable(),
    })
    .nullable()
    .describe('only with contacts:read (owners, admins); the read is logged'),
  answers: z
    .array(
      z.object({
        questionId: z.string(),
        text: localizedOut,
        value: z.union([z.number(), z.string(), z.array(z.string())]),
        label: z
          .string()
          .nullable()
          .describe('the option label(s) of a choice, in Dutch (kept for older clients: use `labels`)'),
        labels: localizedOut
          .nullable()
          .describe(
            'the option label(s) of a choice in each survey language (an option without an English label has its Dutch one in `en`, and back); null for other questions',
          ),
      }),
    )
    .nullable()
    .describe('only with responses:export (not viewers); the read is logged'),
  notes: z.array(note).nullable().describe('only with followups:update (not viewers)'),
  access: z.object({ contact: z.boolean(), answers: z.boolean(), notes: z.boolean(), update: z.boolean() }),
});
const summary = z
  .object({
    applicable: z.boolean().describe('false for confidential and anonymous surveys: they never have follow-ups'),
    total: z.number().int(),
    open: z.number().int(),
    inProgress: z.number().int(),
    done: z.number().int(),
    doneWithinDue: z.number().int(),
    overdue: z.number().int(),
    medianHoursToDone: z.number().nullable(),
  })
  .meta({
    examples: [
      {
        applicable: true,
        total: 12,
        open: 2,
        inProgress: 1,
        done: 9,
        doneWithinDue: 8,
        overdue: 1,
        medianHoursToDone: 20.5,
      },
    ],
  });

interface Row {
  id: string;
  survey_id: string;
  survey_name: string;
  definition: SurveyDefinition;
  response_id: string;
  contact_id: string | null;
  status: FollowUpStatus;
  owner_id: string | null;
  owner_name: string | null;
  answered_at: Date;
  due_at: Date;
  created_at: Date;
  started_at: Date | null;
  done_at: Date | null;
  score: number | null;
  mail_status: 'none' | 'pending' | 'sent' | 'failed';
  notes_enc: Buffer | null;
  answers_enc: Buffer;
}

/** Follow-ups of identified surveys only (defence in depth: others never have any). */
function select(tx: Tx) {
  return tx
    .selectFrom('follow_ups as f')
    .innerJoin('surveys as s', (j) => j.onRef('s.tenant_id', '=', 'f.tenant_id').onRef('s.id', '=', 'f.survey_id'))
    .innerJoin('responses as r', (j) => j.onRef('r.tenant_id', '=', 'f.tenant_id').onRef('r.id', '=', 'f.response_id'))
    .leftJoin('users as u', (j) => j.onRef('u.tenant_id', '=', 'f.tenant_id').onRef('u.id', '=', 'f.owner_id'))
    .where('s.anonymity', '=', 'identified')
    .select([
      'f.id',
      'f.survey_id',
      's.name as survey_name',
      's.definition',
      'f.response_id',
      'f.contact_id',
      'f.status',
      'f.owner_id',
      'u.name as owner_name',
      'f.answered_at',
      'f.due_at',
      'f.created_at',
      'f.started_at',
      'f.done_at',
      'r.score',
      'f.mail_status',
      'f.notes_enc',
      'r.answers_enc',
    ]);
}

function toDto(r: Row, seesScore: boolean, now: Date) {
  const kind = keyKindOf(r.definition);
  const cat = kind && r.score !== null ? categoryOf(kind, r.score) : null;
  return {
    id: r.id,
    surveyId: r.survey_id,
    surveyName: r.survey_name,
    responseId: r.response_id,
    contactId: r.contact_id,
    status: r.status,
    owner: r.owner_id ? { id: r.owner_id, name: r.owner_name ?? '' } : null,
    answeredAt: iso(r.answered_at)!,
    dueAt: iso(r.due_at)!,
    overdue: r.status !== 'done' && new Date(r.due_at) < now,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    doneAt: iso(r.done_at),
    score: seesScore ? r.score : null,
    category: seesScore && cat ? CATEGORY_NAMES[cat] : null,
    mail: r.mail_status,
  };
}

function answersOf(def: SurveyDefinition, sealed: { answers?: Answers; score?: number | null; why?: string | null }) {
  const a: Answers = sealed.answers ?? {
    ...(sealed.score != null ? { score: sealed.score } : {}),
    ...(sealed.why ? { why: sealed.why } : {}),
  };
  const out: Array<{
    questionId: string;
    text: { nl: string; en: string };
    value: AnswerValue;
    label: string | null;
    labels: { nl: string; en: string } | null;
  }> = [];
  for (const q of def.questions) {
    const v = a[q.id];
    if (v === undefined) continue;
    let labels: { nl: string; en: string } | null = null;
    if (q.type === 'single' || q.type === 'multiple') {
      const list = Array.isArray(v) ? v : [String(v)];
      // Issue 14: each language the survey has, so the app shows the labels in its user's language.
      const labelsIn = (lang: 'nl' | 'en') =>
        list
          .map((x) => {
            const o = q.options.find((opt) => opt.value === x);
            return o ? o.label[lang] || o.label[lang === 'nl' ? 'en' : 'nl'] || x : x;
          })
          .join(', ');
      labels = { nl: labelsIn('nl'), en: labelsIn('en') };
    }
    out.push({ questionId: q.id, text: q.text, value: v, label: labels?.nl ?? null, labels });
  }
  return out;
}

export function followUpRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const params = z.object({ id: z.string() });

    // ------------------------------------------------------------------ alert settings per survey

    async function settingsOf(tx: Tx, surveyId: string) {
      if (!isUuid(surveyId)) throw AppError.notFound('survey');
      const s = await tx
        .selectFrom('surveys')
        .select(['id', 'anonymity', 'definition'])
        .where('id', '=', surveyId)
        .executeTakeFirst();
      if (!s) throw AppError.notFound('survey');
      const def = s.definition as SurveyDefinition;
      const kind = keyKindOf(def);
      const reason =
        s.anonymity !== 'identified'
          ? `Alerts and follow-ups exist only for identified surveys; this survey is ${s.anonymity}, so nobody may learn who gave an answer. / Alleen bij herkenbare vragenlijsten.`
          : !kind
            ? 'The survey has no key score (NPS, eNPS, CSAT or CES question) to alert on.'
            : null;
      const rule = await tx.selectFrom('alert_rules').selectAll().where('survey_id', '=', s.id).executeTakeFirst();
      const users = await tx
        .selectFrom('users')
        .select(['id', 'name', 'email', 'role', 'status'])
        .orderBy('name')
        .execute();
      return {
        s,
        out: {
          surveyId: s.id,
          eligible: reason === null,
          reason,
          keyScore: kind
            ? {
                kind,
                name: SCORE_NAMES[kind],
                unhappy:
                  CATEGORY_NAMES[
                    kind === 'nps' || kind === 'enps' ? 'detractor' : kind === 'csat' ? 'dissatisfied' : 'difficult'
                  ],
              }
            : null,
          rule:
            rule && s.anonymity === 'identified'
              ? {
                  active: rule.active,
                  trigger: rule.trigger,
                  threshold: rule.threshold,
                  assigneeId: rule.assignee_id,
                  notifyEmail: rule.notify_email,
                  notifyWebhooks: rule.notify_webhooks,
                  dueHours: rule.due_hours,
                  appliesFrom: iso(rule.applies_from)!,
                  updatedAt: iso(rule.updated_at)!,
                }
              : null,
          candidates: users
            .filter((u) => mayOwn(u))
            .map((u) => ({
              id: u.id,
              name: u.name,
              email: u.email,
              role: u.role,
              seesContacts: u.role === 'owner' || u.role === 'admin',
            })),
        },
      };
    }

    app.get(
      '/api/v1/surveys/:id/alert-rule',
      {
        config: { access: { permission: Permission.ALERTS_MANAGE } },
        schema: {
          tags: ['results'],
          summary:
            'The alert rule of a survey (closed loop), whether the survey can have one, and who can own follow-ups',
          params,
          response: { 200: alertSettings },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, async (tx) => (await settingsOf(tx, request.params.id)).out);
      },
    );

    app.put(
      '/api/v1/surveys/:id/alert-rule',
      {
        config: { access: { permission: Permission.ALERTS_MANAGE } },
        schema: {
          tags: ['results'],
          summary:
            'Set the alert rule of an identified survey: which answers create a follow-up, its owner, mail and/or webhook, due time',
          description:
            'Only identified surveys: a confidential or anonymous survey is refused with 409 (nobody may learn who gave an answer there), as is a survey without a key score. Answers from this moment on are checked (when the rule is created or turned on again); older ones create nothing.',
          params,
          body: ruleInput,
          response: { 200: alertSettings },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const b = request.body;
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          // Lock the survey row: the mode cannot change under the check (surveys/routes.ts locks it too).
          if (isUuid(request.params.id))
            await tx.selectFrom('surveys').select('id').where('id', '=', request.params.id).forUpdate().execute();
          const { s, out } = await settingsOf(tx, request.params.id);
          if (!out.eligible)
            throw new AppError(
              ErrorCode.CONFLICT,
              s.anonymity !== 'identified'
                ? { key: 'problems:followups.notIdentified', params: { anonymity: s.anonymity } }
                : { key: 'problems:followups.noKeyScore' },
              {
                errors: [{ pointer: '/params/id', reason: out.reason! }],
                extra: { anonymity: s.anonymity },
              },
            );
          const errors: { pointer: string; reason: string }[] = [];
          if (b.trigger === 'threshold' && b.threshold === null)
            errors.push({ pointer: '/body/threshold', reason: 'a threshold is needed with trigger "threshold"' });
          if (b.assigneeId !== null) {
            if (!isUuid(b.assigneeId) || !out.candidates.some((c) => c.id === b.assigneeId))
              errors.push({
                pointer: '/body/assigneeId',
                reason: 'not an active colleague who may work on follow-ups (owner, admin or analyst)',
              });
          }
          if (b.notifyEmail && b.assigneeId === null)
            errors.push({ pointer: '/body/assigneeId', reason: 'a mail needs a colleague to go to' });
          if (errors.length)
            throw new AppError(ErrorCode.VALIDATION, { key: 'problems:followups.ruleInvalid' }, { errors });
          const before = await tx
            .selectFrom('alert_rules')
            .selectAll()
            .where('survey_id', '=', s.id)
            .executeTakeFirst();
          const values = {
            active: b.active,
            trigger: b.trigger,
            threshold: b.trigger === 'threshold' ? b.threshold : null,
            assignee_id: b.assigneeId,
            notify_email: b.notifyEmail,
            notify_webhooks: b.notifyWebhooks,
            due_hours: b.dueHours,
          };
          // Turned on (or created): answers from now on.
          const restart = !before || (!before.active && b.active);
          if (before) {
            await tx
              .updateTable('alert_rules')
              .set({
                ...values,
                updated_at: sql<Date>`now()`,
                ...(restart ? { applies_from: sql<Date>`now()`, cursor_at: sql<Date>`now()` } : {}),
              })
              .where('survey_id', '=', s.id)
              .execute();
          } else {
            await tx
              .insertInto('alert_rules')
              .values({ tenant_id: auth.tenantId, survey_id: s.id, ...values, created_by: auth.userId })
              .execute();
          }
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.ALERT_RULE_CHANGED,
            subject: { kind: 'survey', id: s.id },
            details: {
              before: before
                ? {
                    active: before.active,
                    trigger: before.trigger,
                    threshold: before.threshold,
                    assignee: before.assignee_id,
                    email: before.notify_email,
                    webhooks: before.notify_webhooks,
                    dueHours: before.due_hours,
                  }
                : null,
              after: {
                active: b.active,
                trigger: b.trigger,
                threshold: values.threshold,
                assignee: b.assigneeId,
                email: b.notifyEmail,
                webhooks: b.notifyWebhooks,
                dueHours: b.dueHours,
              },
            },
          });
          return (await settingsOf(tx, s.id)).out;
        });
      },
    );

    // ------------------------------------------------------------------ follow-ups

    app.get(
      '/api/v1/follow-ups',
      {
        config: { access: { permission: Permission.FOLLOWUPS_READ } },
        schema: {
          tags: ['results'],
          summary:
            'Follow-ups of unhappy answers (closed loop), filtered by status, owner, survey and overdue; overdue first by due time',
          querystring: z.object({
            status: status.optional(),
            owner: z.string().optional().describe('a user id, "me" or "none"'),
            overdue: z.enum(['true', 'false']).optional().describe('true: only those past their due time and not done'),
            survey: z.string().optional().describe('a survey id'),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ followUps: z.array(followUp) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const q = request.query;
        const now = new Date();
        const errors: { pointer: string; reason: string }[] = [];
        if (q.owner !== undefined && q.owner !== 'me' && q.owner !== 'none' && !isUuid(q.owner))
          errors.push({ pointer: '/query/owner', reason: 'a user id, "me" or "none"' });
        if (q.survey !== undefined && !isUuid(q.survey))
          errors.push({ pointer: '/query/survey', reason: 'a survey id' });
        if (errors.length)
          throw new AppError(ErrorCode.VALIDATION, { key: 'problems:followups.filterInvalid' }, { errors });
        const rows = await ctx.db.tenant(auth.tenantId, async (tx) => {
          let sel = select(tx);
          if (q.status) sel = sel.where('f.status', '=', q.status);
          if (q.owner === 'none') sel = sel.where('f.owner_id', 'is', null);
          else if (q.owner) sel = sel.where('f.owner_id', '=', q.owner === 'me' ? auth.userId : q.owner);
          if (q.survey) sel = sel.where('f.survey_id', '=', q.survey);
          if (q.overdue === 'true') sel = sel.where('f.status', '<>', 'done').where('f.due_at', '<', now);
          if (q.overdue === 'false')
            sel = sel.where((eb) => eb.or([eb('f.status', '=', 'done'), eb('f.due_at', '>=', now)]));
          return sel
            .orderBy(sql`f.status = 'done'`)
            .orderBy('f.due_at')
            .orderBy('f.id')
            .limit(q.limit)
            .execute();
        });
        const seesScore = auth.permissions.has(Permission.RESPONSES_EXPORT);
        return { followUps: rows.map((r) => toDto(r as Row, seesScore, now)) };
      },
    );

    async function detail(
      tx: Tx,
      auth: ReturnType<typeof callerOf>,
      id: string,
      request: Parameters<typeof actorOf>[0],
      log: boolean,
    ) {
      if (!isUuid(id)) throw AppError.notFound('follow-up');
      const r = (await select(tx).where('f.id', '=', id).executeTakeFirst()) as Row | undefined;
      if (!r) throw AppError.notFound('follow-up');
      const keys = await ctx.keyring.forTenant(auth.tenantId, tx);
      const access = {
        contact: auth.permissions.has(Permission.CONTACTS_READ),
        answers: auth.permissions.has(Permission.RESPONSES_EXPORT),
        notes: auth.permissions.has(Permission.FOLLOWUPS_UPDATE),
        update: auth.permissions.has(Permission.FOLLOWUPS_UPDATE),
      };
      let contact = null;
      if (access.contact && r.contact_id) {
        const c = await tx
          .selectFrom('contacts')
          .select(['email_enc', 'first_name_enc', 'infix_enc', 'last_name_enc', 'phone_enc'])
          .where('id', '=', r.contact_id)
          .executeTakeFirst();
        if (c)
          contact = {
            email: keys.open(c.email_enc),
            firstName: keys.open(c.first_name_enc),
            infix: keys.open(c.infix_enc),
            lastName: keys.open(c.last_name_enc),
            phone: keys.open(c.phone_enc),
          };
      }
      const answers = access.answers ? answersOf(r.definition, keys.openJson(r.answers_enc)) : null;
      let notes = null;
      if (access.notes) {
        const list = readNotes(keys, r.notes_enc);
        const names = new Map(
          (await tx.selectFrom('users').select(['id', 'name']).execute()).map((u) => [u.id, u.name]),
        );
        notes = list.map((n: Note) => ({ ...n, byName: names.get(n.by) ?? null }));
      }
      if (log && (contact || answers)) {
        // OBLIGATIONS LOG-1: reading a person's answers and contact details is logged.
        await audit(tx, auth.tenantId, actorOf(request, auth), {
          action: AuditAction.FOLLOWUP_READ,
          subject: { kind: 'follow_up', id: r.id },
          details: { response: r.response_id, contact: contact ? r.contact_id : null, answers: !!answers },
        });
        if (contact)
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.CONTACT_READ,
            subject: { kind: 'contact', id: r.contact_id! },
            details: { via: 'follow-up', followUp: r.id },
          });
      }
      return { ...toDto(r, access.answers, new Date()), contact, answers, notes, access };
    }

    app.get(
      '/api/v1/follow-ups/:id',
      {
        config: { access: { permission: Permission.FOLLOWUPS_READ } },
        schema: {
          tags: ['results'],
          summary:
            "One follow-up: with the answers (responses:export) and the contact's details (contacts:read; analysts and viewers never), notes (followups:update); reads are logged",
          params,
          response: { 200: followUpDetail },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, (tx) => detail(tx, auth, request.params.id, request, true));
      },
    );

    app.patch(
      '/api/v1/follow-ups/:id',
      {
        config: { access: { permission: Permission.FOLLOWUPS_UPDATE } },
        schema: {
          tags: ['results'],
          summary:
            'Change a follow-up: status (open → in progress → done; reopening is allowed), owner (mailed), or add a note (sealed; never in the log)',
          params,
          body: z
            .object({
              status: status.optional(),
              ownerId: z
                .string()
                .nullable()
                .optional()
                .describe('an active owner, admin or analyst; the new owner is mailed a link'),
              note: z
                .string()
                .trim()
                .min(1)
                .max(5000)
                .optional()
                .describe('added to the notes, with the time and the author'),
            })
            .meta({ examples: [{ status: 'in_progress', note: 'Klant gebeld, terugbelafspraak donderdag.' }] }),
          response: { 200: followUpDetail },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const b = request.body;
        if (!isUuid(request.params.id)) throw AppError.notFound('follow-up');
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const before = await tx
            .selectFrom('follow_ups as f')
            .innerJoin('surveys as s', (j) =>
              j.onRef('s.tenant_id', '=', 'f.tenant_id').onRef('s.id', '=', 'f.survey_id'),
            )
            .where('s.anonymity', '=', 'identified')
            .where('f.id', '=', request.params.id)
            .select(['f.id', 'f.status', 'f.owner_id', 'f.notes_enc', 'f.started_at'])
            .forUpdate()
            .executeTakeFirst();
          if (!before) throw AppError.notFound('follow-up');
          if (b.ownerId) {
            const u = isUuid(b.ownerId)
              ? await tx
                  .selectFrom('users')
                  .select(['id', 'role', 'status'])
                  .where('id', '=', b.ownerId)
                  .executeTakeFirst()
              : undefined;
            if (!mayOwn(u))
              throw new AppError(
                ErrorCode.VALIDATION,
                { key: 'problems:followups.ownerInvalid' },
                {
                  errors: [
                    {
                      pointer: '/body/ownerId',
                      reason: 'not an active colleague who may work on follow-ups (owner, admin or analyst)',
                    },
                  ],
                },
              );
          }
          const now = new Date();
          const set: Record<string, unknown> = { updated_at: now };
          const details: Record<string, unknown> = {};
          if (b.status && b.status !== before.status) {
            set.status = b.status;
            set.done_at = b.status === 'done' ? now : null;
            if (b.status !== 'open' && !before.started_at) set.started_at = now;
            details.status = { from: before.status, to: b.status };
          }
          if (b.ownerId !== undefined && b.ownerId !== before.owner_id) {
            set.owner_id = b.ownerId;
            // The new owner is mailed a link (by the sweep, like a new follow-up).
            set.mail_status = b.ownerId ? 'pending' : 'none';
            set.mail_attempts = 0;
            details.owner = { from: before.owner_id, to: b.ownerId };
          }
          if (b.note) {
            const notes = readNotes(keys, before.notes_enc);
            notes.push({ at: now.toISOString(), by: auth.userId, text: b.note });
            set.notes_enc = keys.sealJson(notes);
            details.noteAdded = true;
          }
          if (Object.keys(details).length) {
            await tx.updateTable('follow_ups').set(set).where('id', '=', before.id).execute();
            await audit(tx, auth.tenantId, actorOf(request, auth), {
              action: AuditAction.FOLLOWUP_UPDATED,
              subject: { kind: 'follow_up', id: before.id },
              details,
            });
          }
          return detail(tx, auth, before.id, request, false);
        });
      },
    );

    app.get(
      '/api/v1/surveys/:id/follow-ups/summary',
      {
        config: { access: { permission: Permission.RESULTS_READ } },
        schema: {
          tags: ['results'],
          summary:
            "How the survey's unhappy answers were followed up: per status, done within the due time, overdue, median hours to done",
          params,
          response: { 200: summary },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('survey');
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const s = await tx
            .selectFrom('surveys')
            .select(['id', 'anonymity'])
            .where('id', '=', request.params.id)
            .executeTakeFirst();
          if (!s) throw AppError.notFound('survey');
          if (s.anonymity !== 'identified')
            return {
              applicable: false,
              total: 0,
              open: 0,
              inProgress: 0,
              done: 0,
              doneWithinDue: 0,
              overdue: 0,
              medianHoursToDone: null,
            };
          return { applicable: true, ...(await followUpSummary(tx, s.id, new Date())) };
        });
      },
    );
  };
}
