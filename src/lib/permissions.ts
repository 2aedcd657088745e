import type { Role } from './db/schema.js';

/**
 * OBLIGATIONS ACC-2: least privilege inside a customer. One table from role to what it may do;
 * routes ask for a permission, never for a role. Analysts and viewers never see contact details.
 */
export const Permission = {
  USERS_READ: 'users:read',
  USERS_MANAGE: 'users:manage',
  CONTACTS_READ: 'contacts:read',
  CONTACTS_WRITE: 'contacts:write',
  /** OBLIGATIONS LOG-2: reading the log with before/after values, and undoing a change from it. */
  AUDIT_READ: 'audit:read',
  AUDIT_RESTORE: 'audit:restore',
  /** OBLIGATIONS SEC-4: the security measures in force for this customer. */
  SECURITY_MEASURES_READ: 'security-measures:read',
  SURVEYS_READ: 'surveys:read',
  SURVEYS_WRITE: 'surveys:write',
  INVITATIONS_SEND: 'invitations:send',
  RESULTS_READ: 'results:read',
  RESPONSES_EXPORT: 'responses:export',
  RESPONSES_EXPORT_CONTACTS: 'responses:export-contacts',
  OUTBOX_READ: 'outbox:read',
  /** Settings of the customer itself: second factor requirement, support access grants. */
  TENANT_MANAGE: 'tenant:manage',
  /** OBLIGATIONS AI-1: switching the labelling module on or off accepts terms for the customer. */
  LABELLING_ACTIVATE: 'labelling:activate',
  LABELS_MANAGE: 'labels:manage',
  /** OBLIGATIONS AI-2: correcting the labels and sentiment of an answer. */
  LABELS_CORRECT: 'labels:correct',
  /** OBLIGATIONS SVC-5: API keys and webhooks of the customer (owners and admins). */
  INTEGRATIONS_MANAGE: 'integrations:manage',
  /** OBLIGATIONS SUB-1, SUB-4: the sub-processors that apply to this customer and where data is processed. */
  SUBPROCESSORS_READ: 'subprocessors:read',
  /** OBLIGATIONS AGR-1, AGR-5: reading the processing agreement (owners and admins). */
  AGREEMENT_READ: 'agreement:read',
  /** The customer's contact persons in the agreement, and notice of termination: binds the customer (owner). */
  AGREEMENT_MANAGE: 'agreement:manage',
  /** OBLIGATIONS REG-1..REG-4: reading the register of processing (owners and admins). */
  REGISTER_READ: 'register:read',
  /** Editing the register and the retention periods: the customer's instruction to the processor (owner). */
  REGISTER_MANAGE: 'register:manage',
  /** OBLIGATIONS AUD-1: the customer's audit requests and the audit pack (owners and admins read). */
  AUDITS_READ: 'audits:read',
  /** Requesting an audit binds the customer to the agreed frequency (owner). */
  AUDITS_REQUEST: 'audits:request',
  /** OBLIGATIONS BRE-4: the customer's breach log and its draft report to the AP (owners and admins). */
  BREACHES_READ: 'breaches:read',
  /** OBLIGATIONS DSR-1: the respondents' requests forwarded to this customer (owners and admins read). */
  REQUESTS_READ: 'requests:read',
  /** OBLIGATIONS DSR-1, DSR-2: deciding on a request, exporting or erasing a person (owner). */
  REQUESTS_MANAGE: 'requests:manage',
  /** OBLIGATIONS END-1: the full export of all the customer's data (owner). */
  DATA_EXPORT_ALL: 'data:export-all',
  /** OBLIGATIONS END-3: the end of the agreement: return or deletion binds the customer (owner). */
  ENDING_MANAGE: 'ending:manage',
  /** OBLIGATIONS SVC-4 (closed loop): reading follow-ups (contact details only with contacts:read, answers only with responses:export). */
  FOLLOWUPS_READ: 'followups:read',
  /** Changing a follow-up's status, owner and notes. */
  FOLLOWUPS_UPDATE: 'followups:update',
  /** The alert rules of identified surveys: who is alerted about which answers (owners and admins). */
  ALERTS_MANAGE: 'alerts:manage',
  /** OBLIGATIONS BEN-2: publishing results to the world (page, widget, badge) and withdrawing them (owner). */
  PUBLICATIONS_MANAGE: 'publications:manage',
  /** OBLIGATIONS SVC-6: the customer's plan, limits and usage (owners and admins). */
  USAGE_READ: 'usage:read',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

const all = Object.values(Permission);

export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(all),
  // The customer's own settings and accepting the labelling module's terms bind the customer:
  // the owner's call alone (ACC-3, AI-1).
  admin: new Set(
    all.filter(
      (p) =>
        p !== Permission.TENANT_MANAGE &&
        p !== Permission.LABELLING_ACTIVATE &&
        p !== Permission.AGREEMENT_MANAGE &&
        p !== Permission.REGISTER_MANAGE &&
        p !== Permission.AUDITS_REQUEST &&
        p !== Permission.REQUESTS_MANAGE &&
        p !== Permission.DATA_EXPORT_ALL &&
        p !== Permission.ENDING_MANAGE &&
        p !== Permission.PUBLICATIONS_MANAGE,
    ),
  ),
  analyst: new Set([
    Permission.SURVEYS_READ,
    Permission.SURVEYS_WRITE,
    Permission.RESULTS_READ,
    Permission.RESPONSES_EXPORT,
    Permission.USERS_READ,
    Permission.LABELS_CORRECT,
    Permission.FOLLOWUPS_READ,
    Permission.FOLLOWUPS_UPDATE,
  ]),
  viewer: new Set([Permission.SURVEYS_READ, Permission.RESULTS_READ, Permission.FOLLOWUPS_READ]),
};

/**
 * OBLIGATIONS SVC-5: the permissions an API key may hold (its scopes). Never user or customer
 * management, keys, the log or support access: a key integrates data, it does not administer.
 */
export const apiKeyScopes = [
  Permission.CONTACTS_READ,
  Permission.CONTACTS_WRITE,
  Permission.SURVEYS_READ,
  Permission.SURVEYS_WRITE,
  Permission.INVITATIONS_SEND,
  Permission.RESULTS_READ,
  Permission.RESPONSES_EXPORT,
  // Issue 14: the security measures' 403 names this scope, so a key can be given it (read-only evidence).
  Permission.SECURITY_MEASURES_READ,
] as const;

export function can(role: Role, permission: Permission): boolean {
  return rolePermissions[role].has(permission);
}

/** Who may give which role: only an owner makes owners. */
export function mayAssign(actor: Role, target: Role): boolean {
  if (actor === 'owner') return true;
  if (actor === 'admin') return target !== 'owner';
  return false;
}

/**
 * OBLIGATIONS END-2: what an owner of an ended customer still holds, until the data is deleted: the
 * end's page and choice, and the full export (routes marked `ending` in requireUser).
 */
export const ENDING_PERMISSIONS: ReadonlySet<Permission> = new Set([
  Permission.ENDING_MANAGE,
  Permission.DATA_EXPORT_ALL,
]);
