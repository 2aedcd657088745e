import type { Tx } from './db/db.js';

/**
 * OBLIGATIONS LOG-1: every sign-in (failed ones too), read of contact details, export and change is
 * recorded with who, what, when and from where, in the same transaction as the action itself, so an
 * action without its audit row cannot be committed. The actions are a closed list.
 */
export const AuditAction = {
  TENANT_CREATED: 'tenant.created',
  SIGN_IN: 'auth.sign_in',
  SIGN_IN_FAILED: 'auth.sign_in_failed',
  SIGN_OUT: 'auth.sign_out',
  USER_INVITED: 'user.invited',
  USER_ACTIVATED: 'user.activated',
  USER_ROLE_CHANGED: 'user.role_changed',
  CONTACTS_IMPORTED: 'contacts.imported',
  CONTACTS_LISTED: 'contacts.listed',
  CONTACT_READ: 'contact.read',
  CONTACT_DELETED: 'contact.deleted',
  SURVEY_CREATED: 'survey.created',
  DISTRIBUTION_CREATED: 'distribution.created',
  RESPONSES_EXPORTED: 'responses.exported',
  RESPONSES_READ: 'responses.read',
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
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export interface Actor {
  kind: 'user' | 'operator' | 'system' | 'respondent' | 'anonymous';
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

export async function audit(tx: Tx, tenantId: string, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_events')
    .values({
      tenant_id: tenantId,
      actor_kind: actor.kind,
      actor_id: actor.id,
      action: entry.action,
      subject_kind: entry.subject?.kind ?? null,
      subject_id: entry.subject?.id ?? null,
      ip: actor.ip ?? null,
      request_id: actor.requestId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** Events outside any tenant: operator sign-ins and the first set-up. */
export async function auditSystem(tx: Tx, actor: Actor, action: string, details: Record<string, unknown> = {}): Promise<void> {
  await tx
    .insertInto('system_audit_events')
    .values({ actor_kind: actor.kind, actor_id: actor.id, action, ip: actor.ip ?? null, request_id: actor.requestId ?? null, details: JSON.stringify(details) })
    .execute();
}
