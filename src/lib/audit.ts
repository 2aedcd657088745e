import { sql } from 'kysely';
import type { Tx } from './db/db.js';
import { chainHash, GENESIS_HASH, normaliseDetails } from './audit-chain.js';

/**
 * OBLIGATIONS LOG-1: every sign-in (failed ones too), read of contact details, export and change is
 * recorded with who, what, when and from where, in the same transaction as the action itself, so an
 * action without its audit row cannot be committed. The actions are a closed list.
 */
export const AuditAction = {
  TENANT_CREATED: 'tenant.created',
  /** The log itself was read with before/after values decrypted (LOG-1 applies to the log too). */
  AUDIT_READ: 'audit.read',
  AUDIT_VERIFIED: 'audit.verified',
  /** OBLIGATIONS LOG-4: entries older than the agreed retention were removed up to a signed checkpoint. */
  AUDIT_PRUNED: 'audit.pruned',
  /** OBLIGATIONS LOG-3: a signed head of this log went out to the customer (details: seq, channel, to whom by category). */
  AUDIT_HEAD_ANCHORED: 'audit.head_anchored',
  AUDIT_RETENTION_CHANGED: 'audit.retention_changed',
  /** OBLIGATIONS SEC-1: the tenant's data key was re-wrapped by a new master key, or destroyed. */
  TENANT_KEY_REWRAPPED: 'tenant.key_rewrapped',
  TENANT_KEY_ERASED: 'tenant.key_erased',
  /** OBLIGATIONS AGR-6: the operator suspended or resumed the customer (nothing deleted). */
  TENANT_SUSPENDED: 'tenant.suspended',
  TENANT_RESUMED: 'tenant.resumed',
  SIGN_IN: 'auth.sign_in',
  SIGN_IN_FAILED: 'auth.sign_in_failed',
  SIGN_OUT: 'auth.sign_out',
  USER_INVITED: 'user.invited',
  USER_ACTIVATED: 'user.activated',
  USER_ROLE_CHANGED: 'user.role_changed',
  /** Issue 14: a colleague who left was deactivated (sessions ended, sign-in refused) or let back in. */
  USER_DEACTIVATED: 'user.deactivated',
  USER_REACTIVATED: 'user.reactivated',
  CONTACTS_IMPORTED: 'contacts.imported',
  CONTACTS_LISTED: 'contacts.listed',
  CONTACT_READ: 'contact.read',
  /** OBLIGATIONS LOG-2: details carry the whole row before (and after), sealed with the tenant key. */
  CONTACT_DELETED: 'contact.deleted',
  CONTACT_UPDATED: 'contact.updated',
  /** An undo from the log: details name the entry that was undone (fromAuditId, fromSeq). */
  CONTACT_RESTORED: 'contact.restored',
  /** SVC-1: contacts created or updated through the API (one, or a batch); details count them. */
  CONTACTS_UPSERTED: 'contacts.upserted',
  PROFILE_FIELD_CREATED: 'profile_field.created',
  PROFILE_FIELD_UPDATED: 'profile_field.updated',
  /** Details say how many contacts lost their value of the field. */
  PROFILE_FIELD_DELETED: 'profile_field.deleted',
  SURVEY_CREATED: 'survey.created',
  /** Issue 4 (A): definition/anonymity edited, status changed, open link switched. */
  SURVEY_UPDATED: 'survey.updated',
  SURVEY_STATUS_CHANGED: 'survey.status_changed',
  SURVEY_OPEN_LINK_CHANGED: 'survey.open_link_changed',
  /** Issue 14: hidden from the survey list (archived) or shown again (unarchived); nothing else changes. */
  SURVEY_ARCHIVED: 'survey.archived',
  SURVEY_UNARCHIVED: 'survey.unarchived',
  /** Issue 14: a survey without responses deleted; details keep its name, kind and what went with it. */
  SURVEY_DELETED: 'survey.deleted',
  /** Issue 14: a new draft made from this survey; details name the new one (fromSurvey on its created entry). */
  SURVEY_DUPLICATED: 'survey.duplicated',
  DISTRIBUTION_CREATED: 'distribution.created',
  DISTRIBUTION_CANCELLED: 'distribution.cancelled',
  /** One contact invited through the API (e.g. after a service event); details say invited or skipped. */
  INVITATION_CREATED: 'invitation.created',
  /** DSR-3: an address was put on the suppression list (unsubscribed, erased, bounced, manual). */
  SUPPRESSION_ADDED: 'suppression.added',
  SUPPRESSION_LIFTED: 'suppression.lifted',
  SUPPRESSIONS_LISTED: 'suppressions.listed',
  EMAIL_TEMPLATE_SAVED: 'email_template.saved',
  EMAIL_TEMPLATE_DELETED: 'email_template.deleted',
  TEST_MAIL_SENT: 'email_template.test_sent',
  RESPONSES_EXPORTED: 'responses.exported',
  RESPONSES_READ: 'responses.read',
  /** OBLIGATIONS LOG-1, ACC-2: results broken down by a contact field (details name the field). */
  RESULTS_BREAKDOWN_READ: 'results.breakdown_read',
  OUTBOX_READ: 'outbox.read',
  ACCESS_DENIED: 'auth.access_denied',
  ACCOUNT_LOCKED: 'auth.account_locked',
  ACCOUNT_UNLOCKED: 'auth.account_unlocked',
  SECOND_FACTOR_ENABLED: 'auth.second_factor_enabled',
  SECOND_FACTOR_DISABLED: 'auth.second_factor_disabled',
  RECOVERY_CODE_USED: 'auth.recovery_code_used',
  PASSWORD_CHANGED: 'auth.password_changed',
  TENANT_SETTINGS_CHANGED: 'tenant.settings_changed',
  SUPPORT_GRANTED: 'support.granted',
  SUPPORT_REVOKED: 'support.revoked',
  SUPPORT_SESSION_STARTED: 'support.session_started',
  SUPPORT_ACCESS: 'support.access',
  LABELLING_ACTIVATED: 'labelling.activated',
  LABELLING_DEACTIVATED: 'labelling.deactivated',
  LABELLING_OPERATOR_SWITCHED: 'labelling.operator_switched',
  LABELLING_QUOTA_SET: 'labelling.quota_set',
  LABELLING_QUOTA_REACHED: 'labelling.quota_reached',
  /** Answers read and labelled by the background run; details say how many went to an external provider. */
  LABELLING_RUN: 'labelling.run',
  LABELS_CORRECTED: 'labels.corrected',
  LABEL_CREATED: 'label.created',
  LABEL_CHANGED: 'label.changed',
  /** Issue 12: a survey's label set changed (customer, employee, own); its answers are labelled again. */
  SURVEY_LABEL_SET_CHANGED: 'survey.label_set_changed',
  /** OBLIGATIONS SVC-5: API keys and webhooks. */
  API_KEY_CREATED: 'api_key.created',
  API_KEY_REVOKED: 'api_key.revoked',
  WEBHOOK_CREATED: 'webhook.created',
  WEBHOOK_CHANGED: 'webhook.changed',
  WEBHOOK_REDELIVERED: 'webhook.redelivered',
  /** Issue 15: a webhook deleted, its secret rotated (details: the overlap), a test event sent. */
  WEBHOOK_DELETED: 'webhook.deleted',
  WEBHOOK_SECRET_ROTATED: 'webhook.secret_rotated',
  WEBHOOK_PINGED: 'webhook.pinged',
  /** OBLIGATIONS SUB-1: the operator applied a listed sub-processor to this customer, or stopped it. */
  SUBPROCESSOR_ASSIGNED: 'subprocessor.assigned',
  SUBPROCESSOR_UNASSIGNED: 'subprocessor.unassigned',
  /** OBLIGATIONS SUB-3: an owner consented to a sub-processor outside the EEA (details: country). */
  SUBPROCESSOR_CONSENTED: 'subprocessor.consented',
  /** OBLIGATIONS AGR-1, AGR-2: terms, dates or contacts of the agreement; details: terms before/after, contacts by name. */
  AGREEMENT_CHANGED: 'agreement.changed',
  /** OBLIGATIONS AGR-5: the customer gave notice; details: late, the deadline, the end date. */
  AGREEMENT_NOTICE_GIVEN: 'agreement.notice_given',
  /** OBLIGATIONS AGR-3: an owner accepted the agreement (details: version, lang, sha256 of the text shown). */
  AGREEMENT_ACCEPTED: 'agreement.accepted',
  /** OBLIGATIONS AGR-3: a new version was proposed to this customer (details: proposal id, versions, changed terms by name). */
  AGREEMENT_VERSION_PROPOSED: 'agreement.version_proposed',
  /** The proposal was mailed (details: to the privacy contact or the owners, how many, the objection deadline). */
  AGREEMENT_VERSION_ANNOUNCED: 'agreement.version_announced',
  /** The customer objected (the reason is sealed in the proposal, not in the log). */
  AGREEMENT_VERSION_OBJECTED: 'agreement.version_objected',
  /** No objection within the agreed Dutch working days: the version is deemed accepted and applied. */
  AGREEMENT_VERSION_ACCEPTED: 'agreement.version_accepted',
  /** The operator withdrew the proposal for this customer, or announced it again (a new window). */
  AGREEMENT_VERSION_WITHDRAWN: 'agreement.version_withdrawn',
  AGREEMENT_VERSION_REANNOUNCED: 'agreement.version_reannounced',
  /** OBLIGATIONS REG-1: the register of processing changed; details: codes added and removed per kind. */
  REGISTER_CHANGED: 'register.changed',
  /** OBLIGATIONS REG-4: retention settings changed (per survey, the contacts data set); details: before/after months. */
  RETENTION_CHANGED: 'retention.changed',
  /** OBLIGATIONS REG-4: the retention job erased personal data; details: counts only. */
  RETENTION_APPLIED: 'retention.applied',
  /** OBLIGATIONS SUB-2: a change of the register announced to this customer (details: entry id, added/changed, window). */
  SUBPROCESSOR_CHANGE_ANNOUNCED: 'subprocessor.change_announced',
  /** The notice went out (details: to the privacy contact or the owners, the last day of the window; never the address). */
  SUBPROCESSOR_CHANGE_NOTIFIED: 'subprocessor.change_notified',
  /** An owner objected (details: the change; the reason is sealed in the row, not copied here). */
  SUBPROCESSOR_OBJECTED: 'subprocessor.objected',
  /** The window passed without objection: the change applies (silence is consent). */
  SUBPROCESSOR_CHANGE_APPLIED: 'subprocessor.change_applied',
  /** The operator resolved an objection or open change: withdrawn (not applied to this customer) or overridden after agreement. */
  SUBPROCESSOR_CHANGE_RESOLVED: 'subprocessor.change_resolved',
  /** OBLIGATIONS AUD-1: an audit request accepted; its status changed by the operator; an audit pack generated. */
  AUDIT_REQUESTED: 'audit_request.created',
  AUDIT_REQUEST_CHANGED: 'audit_request.status_changed',
  /** OBLIGATIONS SUB-3: an owner withdrew the consent to a sub-processor outside the EEA; it is no longer used (details: country). */
  SUBPROCESSOR_CONSENT_WITHDRAWN: 'subprocessor.consent_withdrawn',
  AUDIT_PACK_GENERATED: 'audit_request.pack_generated',
  /** OBLIGATIONS BRE-3: the operator recorded this customer's part of a breach (details: breach, counts, categories, deadline; never the scope's address). */
  BREACH_SCOPED: 'breach.scoped',
  /** OBLIGATIONS BRE-4: this customer was told of a breach, an update or its closing (details: breach, kind, to the privacy contact or the owners, how many). */
  BREACH_NOTIFIED: 'breach.notified',
  /** OBLIGATIONS DSR-1: a respondent confirmed a request; it is forwarded to the customer (details: kind, source, due date; never the address). */
  REQUEST_RECEIVED: 'request.received',
  /** The privacy contact (or the owners) was mailed about a request, or reminded before its due date (details: to whom, how many). */
  REQUEST_NOTIFIED: 'request.notified',
  /** An owner extended the due date by two months (the reason is sealed in the row). */
  REQUEST_EXTENDED: 'request.extended',
  /** An owner recorded the decision: done or refused (the reason is sealed in the row). */
  REQUEST_DECIDED: 'request.decided',
  /** OBLIGATIONS DSR-2: everything about one person exported (details: format, counts). */
  CONTACT_EXPORTED: 'contact.exported',
  /** OBLIGATIONS DSR-2: one person erased everywhere (details: counts only; the subject id is the pseudonym that stays). */
  CONTACT_ERASED: 'contact.erased',
  /** OBLIGATIONS END-1: a reminder to export before the end was mailed (details: days, end date, to whom by category). */
  ENDING_REMINDED: 'ending.reminded',
  /** OBLIGATIONS END-1: the full export of all data was downloaded (details: tables, rows). */
  DATA_EXPORTED: 'data.exported',
  /** OBLIGATIONS END-2: the agreement ended: access closed (details: by whom, the choice deadline, what was removed or cancelled). */
  TENANT_ENDED: 'tenant.ended',
  /** OBLIGATIONS END-2: API keys and webhooks removed at the end (rows deleted; details: their ids). */
  INTEGRATIONS_REMOVED: 'integrations.removed',
  /** OBLIGATIONS END-3: an owner chose return or deletion. */
  ENDING_CHOICE_MADE: 'ending.choice_made',
  /** OBLIGATIONS END-3, END-4: every row of the customer removed after its key (system log only: the customer's log is removed too). */
  TENANT_DELETED: 'tenant.deleted',
  /** OBLIGATIONS SVC-4 (closed loop): a survey's alert rule was set or changed (details: the rule, never an answer). */
  ALERT_RULE_CHANGED: 'alert_rule.changed',
  /** A follow-up was created for an unhappy answer of an identified survey (details: survey, response, owner, due). */
  FOLLOWUP_CREATED: 'followup.created',
  /** Status, owner or notes of a follow-up changed (details: from/to, whether a note was added; never the note). */
  FOLLOWUP_UPDATED: 'followup.updated',
  /** OBLIGATIONS LOG-1: a follow-up was read with the answers and/or the contact's details. */
  FOLLOWUP_READ: 'followup.read',
  /** OBLIGATIONS BEN-2: results were published (details: survey, forms, what is shown, the snapshot's SHA-256). */
  PUBLICATION_CREATED: 'publication.created',
  /** The snapshot of a publication was replaced by a newer one the owner approved (details: old and new SHA-256). */
  PUBLICATION_REFRESHED: 'publication.refreshed',
  /** A publication was withdrawn: its URLs answer "not available" from the next request on. */
  PUBLICATION_WITHDRAWN: 'publication.withdrawn',
  /** OBLIGATIONS SVC-6: the operator defined, changed or removed a plan (system log; details: name, limits, features). */
  PLAN_CREATED: 'plan.created',
  PLAN_CHANGED: 'plan.changed',
  PLAN_DELETED: 'plan.deleted',
  /** OBLIGATIONS SVC-6: a plan was assigned to the customer, or taken away (details: from, to). */
  PLAN_ASSIGNED: 'plan.assigned',
  /** OBLIGATIONS SVC-6: a limit was extended during the term (details: metric, extra, from, until, reason). */
  PLAN_EXTENDED: 'plan.extended',
  /** OBLIGATIONS SVC-6: the owners were mailed at 80 % or 100 % of a limit (details: metric, period, level, counts). */
  USAGE_NOTIFIED: 'usage.notified',
  /** OBLIGATIONS BEN-1: the operator put the customer in a benchmark sector or took it out (details: from, to; its contributions count from then on). */
  BENCHMARK_SECTOR_ASSIGNED: 'benchmark.sector_assigned',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export interface Actor {
  /** 'apikey': a request authenticated by an API key (SVC-5); id is the key's id. */
  kind: 'user' | 'operator' | 'system' | 'respondent' | 'anonymous' | 'apikey';
  id: string | null;
  ip?: string | null;
  requestId?: string | null;
}

export const systemActor: Actor = { kind: 'system', id: null };

export interface AuditEntry {
  action: AuditAction;
  subject?: { kind: string; id: string } | undefined;
  details?: Record<string, unknown> | undefined;
}

/**
 * Appends one entry to the tenant's audit chain (OBLIGATIONS LOG-3), in the caller's transaction.
 *
 * The tenant's head row (audit_heads) is locked FOR UPDATE first: appends of one tenant are
 * serialised, so seq stays gap-free and every entry links to the one before it, however many
 * requests write at once. The lock is held until the caller commits, so in a long transaction call
 * audit() last (as the contact import does). A rolled-back transaction leaves neither the entry nor
 * the moved head behind.
 *
 * `at` is read from the database clock after the lock is taken (so it grows with seq) and rounded
 * to milliseconds, the precision the canonical form and a JavaScript Date carry exactly.
 */
export async function audit(tx: Tx, tenantId: string, actor: Actor, entry: AuditEntry): Promise<void> {
  const details = normaliseDetails(entry.details);
  const head = await lockHead(tx, tenantId);
  const seq = head.seq + 1;
  const subject = entry.subject ? { kind: entry.subject.kind, id: entry.subject.id } : null;
  const ip = actor.ip ?? null;
  const requestId = actor.requestId ?? null;
  const hash = chainHash(head.hash, {
    tenant: tenantId,
    seq,
    at: head.at,
    actor: { kind: actor.kind, id: actor.id },
    action: entry.action,
    subject,
    ip,
    requestId,
    details,
  });
  await sql`
    WITH moved AS (UPDATE audit_heads SET seq = ${seq}, hash = ${hash}, updated_at = ${head.at} WHERE tenant_id = ${tenantId})
    INSERT INTO audit_events (tenant_id, seq, at, actor_kind, actor_id, action, subject_kind, subject_id, ip, request_id, details, prev_hash, hash)
    VALUES (${tenantId}, ${seq}, ${head.at}, ${actor.kind}, ${actor.id}, ${entry.action}, ${subject?.kind ?? null}, ${subject?.id ?? null},
            ${ip}, ${requestId}, ${JSON.stringify(details)}::jsonb, ${head.hash}, ${hash})`.execute(tx);
}

async function lockHead(tx: Tx, tenantId: string): Promise<{ seq: number; hash: Buffer; at: Date }> {
  const select = () =>
    sql<{ seq: number; hash: Buffer; at: Date }>`
      SELECT seq, hash, date_trunc('milliseconds', clock_timestamp()) AS at FROM audit_heads WHERE tenant_id = ${tenantId} FOR UPDATE`.execute(
      tx,
    );
  let res = await select();
  if (res.rows.length === 0) {
    // The tenant's first entry. Two first entries at once: one insert wins, the other waits on it.
    await sql`INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (${tenantId}, 0, ${GENESIS_HASH}) ON CONFLICT (tenant_id) DO NOTHING`.execute(
      tx,
    );
    res = await select();
  }
  const row = res.rows[0];
  if (!row) throw new Error(`audit head of tenant ${tenantId} is not visible: is the tenant set on this transaction?`);
  return { seq: Number(row.seq), hash: row.hash, at: new Date(row.at) };
}

/** Events outside any tenant: operator sign-ins and the first set-up. */
export async function auditSystem(
  tx: Tx,
  actor: Actor,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx
    .insertInto('system_audit_events')
    .values({
      actor_kind: actor.kind,
      actor_id: actor.id,
      action,
      ip: actor.ip ?? null,
      request_id: actor.requestId ?? null,
      details: JSON.stringify(details),
    })
    .execute();
}
