import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, systemActor } from '../../lib/audit.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { Tx } from '../../lib/db/db.js';
import type { Role } from '../../lib/db/schema.js';
import { bilingual, bilingualSubject, bilingualText, formatInstant } from '../../lib/i18n.js';
import type { MailMessage } from '../../lib/mail/mailer.js';
import { can, Permission } from '../../lib/permissions.js';
import { startTick } from '../../lib/tick.js';
import { emitEvent } from '../integrations/events.js';
import { categoryOf, CATEGORY_NAMES, isUnhappy, scoreKindOf, type ScoreKind } from '../results/scores.js';
import { keyQuestion, type SurveyDefinition } from '../surveys/definition.js';
import { log } from '../../lib/log.js';

/**
 * OBLIGATIONS SVC-4, the closed loop (issue 12). In an IDENTIFIED survey an owner or admin sets an
 * alert rule: which answers (the key score's unhappy group, or a score at or below a threshold), who
 * owns the follow-up and is mailed, whether the customer's webhooks get a `followup.created` event,
 * and the due time in hours.
 *
 * The respondent's write path is not touched. A sweep (every FOLLOWUP_SWEEP_SECONDS) reads, per active
 * rule, the survey's responses past the rule's cursor (submitted_at, id), from 60 s before it, because
 * a writer batch that started earlier can commit later (as the webhooks and the labelling do); a
 * response that already has a follow-up is skipped (UNIQUE), so a re-read creates nothing twice. The
 * follow-up, its audit row, its webhook deliveries and the moved cursor are one transaction. The mail
 * is sent after it (pending → sent, retried by the next sweeps, at most MAIL_ATTEMPTS times).
 *
 * Never for confidential or anonymous surveys: the API refuses the rule (409), and the sweep reads
 * only responses of surveys that are identified at that moment, whatever a rule says. The mode cannot
 * change once a survey has responses (surveys/routes.ts), so a response is never judged under another
 * mode than the one it was given under.
 */
export const LATE_COMMIT_SECONDS = 60;
export const DEFAULT_DUE_HOURS = 48;
export const MAIL_ATTEMPTS = 5;
const BATCH = 500;

export type AlertTrigger = 'unhappy' | 'threshold';

/** Whether a key score sets off the rule. */
export function triggers(
  rule: { trigger: AlertTrigger; threshold: number | null },
  kind: ScoreKind,
  score: number | null,
): boolean {
  if (score === null) return false;
  return rule.trigger === 'unhappy' ? isUnhappy(kind, score) : rule.threshold !== null && score <= rule.threshold;
}

/** The key score's kind of a definition, or null when the survey has none (no alert possible). */
export function keyKindOf(def: SurveyDefinition): ScoreKind | null {
  const q = keyQuestion(def);
  return q ? scoreKindOf(q) : null;
}

/** Who may own a follow-up: an active user whose role may work on follow-ups. */
export function mayOwn(u: { role: Role; status: string } | undefined): boolean {
  return !!u && u.status === 'active' && can(u.role, Permission.FOLLOWUPS_UPDATE);
}

export interface Note {
  at: string;
  by: string;
  text: string;
}

// ------------------------------------------------------------------ the mail

/**
 * The mail to the owner of a follow-up: Dutch, then English. It names the survey, the group the
 * answer falls in (e.g. "Criticus / Detractor") and the due time, with a link into the app. It does
 * NOT carry the score, the answer texts or the respondent's name or address: a mail leaves Peil's
 * encryption, access rules, logging and retention (it is kept in mailboxes, forwarded, indexed);
 * behind the link the colleague signs in and sees what their role allows, and the read is logged.
 */
export function followUpMail(
  to: string,
  org: string,
  surveyName: string,
  group: { nl: string; en: string },
  dueAt: Date,
  link: string,
): MailMessage {
  const text = bilingual((t, lang) => [
    t('mails:followUp.answer', { survey: surveyName, org, group: group[lang] }),
    t('mails:followUp.owner', { due: formatInstant(lang, dueAt) }),
    t('mails:followUp.open'),
    link,
  ]);
  return {
    to,
    subject: bilingualSubject('mails:followUp.subject', undefined, ` — ${surveyName}`),
    text: bilingualText(text),
  };
}

export const followUpLink = (ctx: AppContext, id: string) => `${ctx.env.baseUrl}/app/follow-ups/${id}`;

// ------------------------------------------------------------------ the sweep

interface RuleRow {
  survey_id: string;
  trigger: AlertTrigger;
  threshold: number | null;
  assignee_id: string | null;
  notify_email: boolean;
  notify_webhooks: boolean;
  due_hours: number;
  cursor_at: string;
  cursor_id: string;
  applies_from: string;
  definition: SurveyDefinition;
  anonymity: string;
}

/** Creates the follow-ups of one tenant's new unhappy answers (one transaction). Returns how many. */
export async function collectFollowUps(ctx: AppContext, tenantId: string, now = new Date()): Promise<number> {
  const keys = await ctx.keyring.forTenant(tenantId);
  return ctx.db.tenant(tenantId, async (tx) => {
    const rules = await sql<RuleRow>`
      SELECT a.survey_id, a.trigger, a.threshold, a.assignee_id, a.notify_email, a.notify_webhooks, a.due_hours,
             a.cursor_at::text AS cursor_at, a.cursor_id, a.applies_from::text AS applies_from, s.definition, s.anonymity
        FROM alert_rules a JOIN surveys s ON s.tenant_id = a.tenant_id AND s.id = a.survey_id
       WHERE a.active
       FOR UPDATE OF a SKIP LOCKED`.execute(tx);
    let created = 0;
    for (const rule of rules.rows) {
      // Never for a shielded survey, whatever the rule says (see above).
      if (rule.anonymity !== 'identified') continue;
      const kind = keyKindOf(rule.definition);
      if (!kind) continue;
      const owner = rule.assignee_id
        ? await tx
            .selectFrom('users')
            .select(['id', 'role', 'status'])
            .where('id', '=', rule.assignee_id)
            .executeTakeFirst()
        : undefined;
      const ownerId = mayOwn(owner) ? owner!.id : null;
      const rows = await sql<{
        id: string;
        contact_id: string | null;
        submitted_at: Date;
        at_text: string;
        score: number | null;
      }>`
        SELECT r.id, r.contact_id, r.submitted_at, r.submitted_at::text AS at_text, r.score
          FROM responses r
         WHERE r.survey_id = ${rule.survey_id}::uuid
           AND EXISTS (SELECT 1 FROM surveys s WHERE s.tenant_id = r.tenant_id AND s.id = r.survey_id AND s.anonymity = 'identified')
           AND r.submitted_at >= ${rule.cursor_at}::timestamptz - make_interval(secs => ${LATE_COMMIT_SECONDS})
           AND r.submitted_at >= ${rule.applies_from}::timestamptz
           AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.tenant_id = r.tenant_id AND f.response_id = r.id)
         ORDER BY r.submitted_at, r.id
         LIMIT ${BATCH}`.execute(tx);
      let last: { at: string; id: string } | null = null;
      for (const r of rows.rows) {
        last = { at: r.at_text, id: r.id };
        if (!triggers(rule, kind, r.score)) continue;
        const id = randomUUID();
        const dueAt = new Date(new Date(r.submitted_at).getTime() + rule.due_hours * 3_600_000);
        await tx
          .insertInto('follow_ups')
          .values({
            tenant_id: tenantId,
            id,
            survey_id: rule.survey_id,
            response_id: r.id,
            contact_id: r.contact_id,
            owner_id: ownerId,
            answered_at: r.submitted_at,
            due_at: dueAt,
            created_at: now,
            updated_at: now,
            mail_status: rule.notify_email && ownerId ? 'pending' : 'none',
          })
          .execute();
        await audit(tx, tenantId, systemActor, {
          action: AuditAction.FOLLOWUP_CREATED,
          subject: { kind: 'follow_up', id },
          details: {
            survey: rule.survey_id,
            response: r.id,
            owner: ownerId,
            dueAt: dueAt.toISOString(),
            mail: rule.notify_email && !!ownerId,
            webhooks: rule.notify_webhooks,
          },
        });
        if (rule.notify_webhooks) {
          await emitEvent(
            tx,
            tenantId,
            keys,
            'followup.created',
            {
              followUpId: id,
              surveyId: rule.survey_id,
              responseId: r.id,
              contactId: r.contact_id,
              score: r.score,
              category: categoryOf(kind, r.score!),
              status: 'open',
              ownerId,
              dueAt: dueAt.toISOString(),
              url: followUpLink(ctx, id),
            },
            id,
          );
        }
        created++;
      }
      if (last) {
        await sql`UPDATE alert_rules SET cursor_at = ${last.at}::timestamptz, cursor_id = ${last.id}::uuid
                   WHERE survey_id = ${rule.survey_id}::uuid AND (cursor_at, cursor_id) < (${last.at}::timestamptz, ${last.id}::uuid)`.execute(
          tx,
        );
      }
    }
    return created;
  });
}

/**
 * Sends the pending mails of one tenant. A claim (attempts + 1, updated_at = now) in a short
 * transaction, the send outside it, then the outcome; a claimed mail is not claimed again for two
 * minutes, so two processes do not both send it.
 */
export async function sendPendingMails(ctx: AppContext, tenantId: string): Promise<number> {
  const claimed = await ctx.db.tenant(tenantId, async (tx) => {
    const r = await sql<{
      id: string;
      attempts: number;
      due_at: Date;
      score: number | null;
      email: string | null;
      role: Role | null;
      user_status: string | null;
      survey_name: string;
      definition: SurveyDefinition;
      org: string;
    }>`
      UPDATE follow_ups f SET mail_attempts = f.mail_attempts + 1, updated_at = now()
        FROM surveys s, tenants t, responses r, users u
       WHERE s.tenant_id = f.tenant_id AND s.id = f.survey_id AND t.id = f.tenant_id
         AND r.tenant_id = f.tenant_id AND r.id = f.response_id AND u.tenant_id = f.tenant_id AND u.id = f.owner_id
         AND f.id IN (SELECT id FROM follow_ups WHERE mail_status = 'pending' AND (mail_attempts = 0 OR updated_at < now() - interval '2 minutes')
                      ORDER BY created_at LIMIT 50 FOR UPDATE SKIP LOCKED)
      RETURNING f.id, f.mail_attempts AS attempts, f.due_at, r.score, u.email, u.role, u.status AS user_status, s.name AS survey_name, s.definition, t.name AS org`.execute(
      tx,
    );
    // A pending mail whose owner is gone (unassigned) has nobody to go to.
    await sql`UPDATE follow_ups SET mail_status = 'none' WHERE mail_status = 'pending' AND owner_id IS NULL`.execute(
      tx,
    );
    return r.rows;
  });
  let sent = 0;
  for (const m of claimed) {
    let ok = false;
    // The owner must (still) be allowed to read the follow-up; if not, no mail (and no retries).
    const allowed = !!m.email && mayOwn({ role: m.role!, status: m.user_status! });
    if (allowed) {
      const kind = keyKindOf(m.definition);
      const cat = kind && m.score !== null ? categoryOf(kind, m.score) : null;
      const group = cat ? CATEGORY_NAMES[cat] : { nl: 'lage score', en: 'low score' };
      try {
        ok = (
          await ctx.mailer.send(
            tenantId,
            'followup',
            followUpMail(m.email!, m.org, m.survey_name, group, new Date(m.due_at), followUpLink(ctx, m.id)),
          )
        ).ok;
      } catch {
        ok = false;
      }
    }
    const status = ok ? 'sent' : m.attempts >= MAIL_ATTEMPTS || !allowed ? 'failed' : 'pending';
    await ctx.db.tenant(tenantId, (tx) =>
      tx.updateTable('follow_ups').set({ mail_status: status }).where('id', '=', m.id).execute(),
    );
    if (ok) sent++;
  }
  return sent;
}

/** One round over the customers with an active rule or a pending mail (suspended ones wait). */
export async function followUpSweep(ctx: AppContext, now = new Date()): Promise<{ created: number; mailed: number }> {
  const tenants = await ctx.db.crossTenant('followups', async (tx) => {
    const a = await tx.selectFrom('alert_rules').select('tenant_id').distinct().execute();
    const b = await tx.selectFrom('follow_ups').select('tenant_id').distinct().execute();
    const active = new Set(
      (await tx.selectFrom('tenants').select('id').where('status', '=', 'active').execute()).map((r) => r.id),
    );
    return [...new Set([...a, ...b].map((r) => r.tenant_id))].filter((id) => active.has(id));
  });
  let created = 0;
  let mailed = 0;
  for (const tenantId of tenants) {
    try {
      created += await collectFollowUps(ctx, tenantId, now);
      mailed += await sendPendingMails(ctx, tenantId);
    } catch (err) {
      log.error(
        { worker: 'followups', code: String((err as { code?: unknown }).code ?? (err as Error).name) },
        `[followups] tenant ${tenantId}: ${String((err as { code?: unknown }).code ?? (err as Error).name)}`,
      );
    }
  }
  return { created, mailed };
}

export function startFollowUpSweep(ctx: AppContext): () => Promise<void> {
  return startTick('[followups] sweep', ctx.env.FOLLOWUP_SWEEP_SECONDS, () => followUpSweep(ctx), { db: ctx.db });
}

// ------------------------------------------------------------------ reading and changing

export interface FollowUpSummary {
  total: number;
  open: number;
  inProgress: number;
  done: number;
  doneWithinDue: number;
  overdue: number;
  medianHoursToDone: number | null;
}

/**
 * What the results page shows of the closed loop (issue 12: "results show how many were followed up
 * within it"): counts per status, done within the due time, overdue now (not done, due time passed),
 * and the median hours from the answer to done.
 */
export async function followUpSummary(tx: Tx, surveyId: string, now: Date): Promise<FollowUpSummary> {
  const r = await sql<{
    total: number;
    open: number;
    in_progress: number;
    done: number;
    within: number;
    overdue: number;
    median: number | null;
  }>`
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE status = 'open')::int AS open,
           count(*) FILTER (WHERE status = 'in_progress')::int AS in_progress,
           count(*) FILTER (WHERE status = 'done')::int AS done,
           count(*) FILTER (WHERE status = 'done' AND done_at <= due_at)::int AS within,
           count(*) FILTER (WHERE status <> 'done' AND due_at < ${now})::int AS overdue,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM done_at - answered_at) / 3600) FILTER (WHERE status = 'done'))::float8 AS median
      FROM follow_ups WHERE survey_id = ${surveyId}::uuid`.execute(tx);
  const x = r.rows[0]!;
  return {
    total: x.total,
    open: x.open,
    inProgress: x.in_progress,
    done: x.done,
    doneWithinDue: x.within,
    overdue: x.overdue,
    medianHoursToDone: x.median === null ? null : Math.round(x.median * 10) / 10,
  };
}

/** The notes of a follow-up (sealed JSON list). */
export function readNotes(keys: TenantKeys, blob: Buffer | null): Note[] {
  return blob ? keys.openJson<Note[]>(blob) : [];
}
