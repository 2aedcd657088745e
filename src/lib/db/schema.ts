import type { ColumnType, Generated } from 'kysely';

/** Column types as Kysely sees them. Keep in step with migrations/. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T, string | T>;

export type Role = 'owner' | 'admin' | 'analyst' | 'viewer';
export type Lang = 'nl' | 'en';

export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  status: Generated<'active' | 'suspended' | 'ended'>;
  sector: string | null;
  require_second_factor: Generated<boolean>;
  created_at: Generated<Date>;
  /** No longer read: LOG-4 takes the retention from agreements.log_retention_months (migration 0013 copied it). */
  audit_retention_months: Generated<number>;
}

export interface TenantKeysTable {
  tenant_id: string;
  wrapped_key: Buffer | null;
  master_key_id: string;
  created_at: Generated<Date>;
  destroyed_at: Date | null;
  /** The master key this data key was wrapped by before the last rotation (kept for reference). */
  previous_master_key_id: Generated<string | null>;
  rewrapped_at: Generated<Date | null>;
}

// ---------------------------------------------------------------- evidence (0003)

export interface AuditHeadsTable {
  tenant_id: string;
  seq: number;
  hash: Buffer;
  updated_at: Timestamp;
}

export interface AuditChainBackfillTable {
  tenant: string;
}

export type CheckpointReason = 'periodic' | 'prune' | 'manual';

export interface AuditCheckpointsTable {
  tenant_id: string;
  id: Generated<number>;
  seq: number;
  hash: Buffer;
  at: Timestamp;
  reason: CheckpointReason;
  key_id: string;
  signature: Buffer;
}

export interface AuditVerificationsTable {
  tenant_id: string;
  id: Generated<number>;
  at: Generated<Date>;
  ok: boolean;
  from_seq: number | null;
  to_seq: number | null;
  entries: Generated<number>;
  problem: string | null;
}

/** OBLIGATIONS LOG-3 (0028): signed heads that went out to the customer (a record; the evidence is the customer's file). */
export interface AuditAnchorsTable {
  tenant_id: string;
  id: Generated<number>;
  seq: number;
  hash: Buffer;
  signed_at: Date;
  key_id: string;
  signature: Buffer;
  channel: 'download' | 'mail';
  sent_to: 'privacy_contact' | 'owners' | null;
  recipients: Generated<number>;
  user_id: string | null;
}

export interface MasterKeyRotationsTable {
  id: Generated<number>;
  at: Generated<Date>;
  from_key_id: string;
  to_key_id: string;
  tenant_keys: number;
  checkpoints: number;
}

export interface BackupsTable {
  id: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  database_kind: string;
  trigger: 'command' | 'schedule';
  file_name: string;
  bytes: number;
  sha256: string;
  master_key_id: string;
  tables: number;
  rows: number;
}

export interface OperatorsTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  failed_sign_ins: Generated<number>;
  locked_until: Date | null;
  /** Issue 14: the admin app's language for this operator (0034). */
  locale: 'nl' | 'en' | null;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  id_hash: Buffer;
  kind: 'user' | 'operator' | 'support';
  support_grant_id: string | null;
  enrolment_only: Generated<boolean>;
  tenant_id: string | null;
  user_id: string | null;
  operator_id: string | null;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface SystemAuditEventsTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  ip: string | null;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
}

export interface UsersTable {
  tenant_id: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  status: Generated<'invited' | 'active' | 'disabled'>;
  password_hash: string | null;
  invited_by: string | null;
  failed_sign_ins: Generated<number>;
  locked_until: Date | null;
  totp_secret_enc: Buffer | null;
  totp_pending_enc: Buffer | null;
  totp_enabled_at: Date | null;
  /** Issue 14: the admin app's language for this user (0034). */
  locale: 'nl' | 'en' | null;
  created_at: Generated<Date>;
}

export interface UserRecoveryCodesTable {
  tenant_id: string;
  id: string;
  user_id: string;
  code_hash: Buffer;
  used_at: Date | null;
  created_at: Generated<Date>;
}

export interface SupportGrantsTable {
  tenant_id: string;
  id: string;
  granted_by: string;
  scope: 'results' | 'contacts';
  reason: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export interface UserInvitesTable {
  tenant_id: string;
  id: string;
  user_id: string;
  token_hash: Buffer;
  expires_at: Timestamp;
  accepted_at: Date | null;
  created_at: Generated<Date>;
}

export interface ContactsTable {
  tenant_id: string;
  id: string;
  email_hmac: Buffer;
  email_enc: Buffer;
  first_name_enc: Buffer | null;
  infix_enc: Buffer | null;
  last_name_enc: Buffer | null;
  phone_enc: Buffer | null;
  gender: 'female' | 'male' | 'other' | 'unknown' | null;
  language: Lang | null;
  function: string | null;
  /** Contract with selections: text/choice → string, number → number, date → 'YYYY-MM-DD' string. */
  profile: Json<Record<string, string | number>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

// ---------------------------------------------------------------- contacts (0006)

export type ProfileFieldType = 'text' | 'number' | 'date' | 'choice';

export interface ProfileFieldsTable {
  tenant_id: string;
  key: string;
  type: ProfileFieldType;
  label_nl: string;
  label_en: string;
  options: Json<string[] | null>;
  /** OBLIGATIONS ACC-2: users without the right to read contact details may break results down by it. */
  grouping: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** OBLIGATIONS REG-2 (0016): the register category of its values; null: profile.<key>. */
  category: Generated<string | null>;
}

/** OBLIGATIONS SVC-4: a confidential survey's breakdown, computed once and then only read. */
export interface ReleasedBreakdownsTable {
  tenant_id: string;
  survey_id: string;
  field: string;
  released: number;
  result: Json<unknown>;
  created_at: Generated<Date>;
}

export interface SurveysTable {
  tenant_id: string;
  id: string;
  name: string;
  kind: 'nps' | 'enps' | 'csat' | 'ces' | 'custom';
  status: Generated<'draft' | 'open' | 'closed'>;
  default_language: Lang;
  definition: Json<unknown>;
  created_by: string | null;
  created_at: Generated<Date>;
  /** 0005: anonymity mode and the minimum group size shown to customer staff (confidential). */
  anonymity: Generated<'identified' | 'confidential' | 'anonymous'>;
  min_group_size: Generated<number>;
  release_base: number | null;
  open_link_enabled: Generated<boolean>;
  open_link_once_per_browser: Generated<boolean>;
  /** 0016 (REG-4): when the survey was last closed; retention counts from there. */
  closed_at: Generated<Date | null>;
  /** 0016 (REG-4): invitations erased by retention; the results keep counting them as invited. */
  invitations_erased: Generated<number>;
  /** 0039 (issue 17): its invitations, kept by triggers on insert and delete (results: invited without a count). */
  invitations_count: Generated<number>;
  /** 0022: the survey's label set; NULL: from its kind (eNPS: employee, others: customer). */
  label_set: Generated<LabelSetName | null>;
  /** 0023 (issue 12): number and date answers of its older responses are copied into responses.answers (results/typed.ts). */
  typed_answers_clear: Generated<boolean>;
  /** 0040 (issue 17): its older responses carry `true` in responses.answers for each open question answered (results/typed.ts). */
  text_answers_flagged: Generated<boolean>;
  /** 0032 (issue 14): archived (hidden from the list, restorable); null: not archived. */
  archived_at: Generated<Date | null>;
}

export interface DistributionsTable {
  tenant_id: string;
  id: string;
  survey_id: string;
  created_by: string | null;
  created_at: Generated<Date>;
  total: number;
  kind: Generated<'selection' | 'api'>;
  status: Generated<'scheduled' | 'sending' | 'cancelled'>;
  send_at: Date | null;
  selection: Json<unknown> | null;
  template_id: string | null;
  reminder_template_id: string | null;
  reminders_max: Generated<number>;
  reminder_interval_days: Generated<number>;
  cancelled_at: Date | null;
}

export interface InvitationsTable {
  tenant_id: string;
  id: string;
  survey_id: string;
  distribution_id: string;
  contact_id: string;
  language: Lang;
  status: Generated<'queued' | 'sent' | 'failed' | 'suppressed'>;
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: Date | null;
  opened_at: Date | null;
  responded_at: Date | null;
  created_at: Generated<Date>;
  reminders_sent: Generated<number>;
  last_reminded_at: Date | null;
}

/** DSR-3: addresses that get no mail from this customer, by the email's blind index. */
export interface SuppressionsTable {
  tenant_id: string;
  email_hmac: Buffer;
  email_enc: Buffer | null;
  reason: 'unsubscribed' | 'erased' | 'bounced' | 'manual';
  source: string;
  details: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface EmailTemplatesTable {
  tenant_id: string;
  id: string;
  kind: 'invitation' | 'reminder';
  name: string;
  subject: Json<Record<Lang, string>>;
  body: Json<Record<Lang, string>>;
  is_default: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DistributionSettingsTable {
  tenant_id: string;
  throttle_days: Generated<number>;
  updated_at: Generated<Date>;
}

export interface ResponsesTable {
  tenant_id: string;
  id: string;
  survey_id: string;
  invitation_id: string | null;
  contact_id: string | null;
  submitted_at: Generated<Date>;
  language: Lang;
  score: number | null;
  answers_enc: Buffer;
  /** 0005: closed answers (scales, choices) in clear, keyed by question id. */
  answers: Json<Record<string, unknown>> | null;
}

export interface OutboxTable {
  tenant_id: string;
  id: string;
  created_at: Generated<Date>;
  kind: string;
  message_enc: Buffer;
}

export interface AuditEventsTable {
  tenant_id: string;
  id: Generated<number>;
  /** OBLIGATIONS LOG-3: position in the tenant's chain (gap-free) and the chain hashes. */
  seq: number;
  prev_hash: Buffer | null;
  hash: Buffer | null;
  at: Generated<Date>;
  actor_kind: 'user' | 'operator' | 'system' | 'respondent' | 'anonymous' | 'apikey';
  actor_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
}

// ---------------------------------------------------------------- labelling (0002)

export type Sentiment = 'positive' | 'negative' | 'neutral' | 'mixed';
export type TaxonomyName = 'customer' | 'employee';
/** 0022: a survey's label set: a standard taxonomy or the customer's own labels. */
export type LabelSetName = TaxonomyName | 'own';
export type LabelSource = 'model' | 'external' | 'human';

export interface AiModuleSwitchTable {
  id: Generated<boolean>;
  enabled: Generated<boolean>;
  reason: string | null;
  changed_by: string | null;
  changed_at: Generated<Date>;
}

/** OBLIGATIONS SUB-1: the operator's register of sub-processors (global; migration 0014). */
export interface SubprocessorsTable {
  id: string;
  name: string;
  service: string;
  location: string;
  country: string;
  safeguards: string[];
  safeguards_note: string | null;
  kind: 'hosting' | 'smtp' | 'ai' | 'other';
  applies_to: 'all' | 'listed';
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  removed_at: Date | null;
}

export interface SubprocessorAssignmentsTable {
  tenant_id: string;
  subprocessor_id: string;
  assigned_by: string | null;
  assigned_at: Generated<Date>;
}

/** OBLIGATIONS SUB-3: a customer's consent to a sub-processor outside the EEA, for one country. */
export interface SubprocessorConsentsTable {
  tenant_id: string;
  subprocessor_id: string;
  country: string;
  consented_by: string;
  consented_at: Generated<Date>;
}

/** OBLIGATIONS SUB-2: an announced change of the register for one customer, with its objection window (migration 0017). */
export interface SubprocessorChangesTable {
  tenant_id: string;
  id: string;
  subprocessor_id: string;
  change: 'added' | 'changed';
  entry: unknown;
  previous: unknown | null;
  status: Generated<'pending' | 'objected' | 'applied' | 'withdrawn' | 'overridden' | 'superseded'>;
  objection_days: number;
  created_at: Generated<Date>;
  created_by: string | null;
  notified_at: Date | null;
  notified_to: 'privacy_contact' | 'owners' | 'nobody' | null;
  /** A date: select it ::text (pg turns a date into a local-time Date). */
  window_ends_on: string | null;
  objected_at: Date | null;
  objected_by: string | null;
  objection_reason_enc: Buffer | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution_note_enc: Buffer | null;
  applied_at: Date | null;
}

/** OBLIGATIONS AUD-1: a customer's accepted audit request (migration 0017). */
// ---------------------------------------------------------------- requests of respondents (0019)

export type RequestKind = 'access' | 'rectification' | 'erasure' | 'objection' | 'portability';
export type RequestStatus = 'unconfirmed' | 'received' | 'extended' | 'done' | 'refused' | 'expired';

/** OBLIGATIONS DSR-1: a respondent's request; forwarded to the customer once confirmed. */
export interface DataSubjectRequestsTable {
  tenant_id: string;
  id: string;
  kind: RequestKind;
  lang: Lang;
  source: 'invitation' | 'open';
  invitation_id: string | null;
  contact_id: string | null;
  email_hmac: Buffer;
  email_enc: Buffer | null;
  message_enc: Buffer | null;
  status: Generated<RequestStatus>;
  confirm_hash: Buffer | null;
  confirm_expires_at: Date;
  created_at: Generated<Date>;
  received_at: Date | null;
  /** Dates: select `::text` (pg would turn a date into a local-time Date). */
  due_on: string | null;
  original_due_on: string | null;
  extended_at: Date | null;
  extension_reason_enc: Buffer | null;
  forwarded_to: 'privacy_contact' | 'owners' | 'nobody' | null;
  reminded_for: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  decision_reason_enc: Buffer | null;
}

/** OBLIGATIONS DSR-2: the per-contact key of its audit images; an erasure deletes it. */
export interface ContactImageKeysTable {
  tenant_id: string;
  contact_id: string;
  key_enc: Buffer;
  created_at: Generated<Date>;
}

/** OBLIGATIONS DSR-2: an erased person: pseudonym and blind index, re-applied by a restore. */
export interface ErasureTombstonesTable {
  tenant_id: string;
  contact_id: string;
  email_hmac: Buffer;
  erased_at: Generated<Date>;
}

export interface AuditRequestsTable {
  tenant_id: string;
  id: string;
  requested_by: string;
  requested_at: Generated<Date>;
  /** A date: select it ::text. */
  proposed_date: string;
  auditor_name_enc: Buffer;
  scope_enc: Buffer;
  status: Generated<'accepted' | 'done' | 'cancelled'>;
  status_changed_at: Date | null;
  status_changed_by: string | null;
}

export interface LabellingSettingsTable {
  tenant_id: string;
  enabled: Generated<boolean>;
  taxonomy: Generated<TaxonomyName>;
  allow_external: Generated<boolean>;
  terms_version: string | null;
  terms_hash: string | null;
  accepted_by: string | null;
  accepted_at: NullableTimestamp;
  changed_by: string | null;
  changed_at: Generated<Date>;
  monthly_quota: number | null;
  operator_blocked: Generated<boolean>;
  operator_reason: string | null;
  operator_changed_by: string | null;
  operator_changed_at: NullableTimestamp;
  model_version: Generated<number>;
}

export interface LabellingTermsAcceptancesTable {
  tenant_id: string;
  id: string;
  terms_version: string;
  terms_hash: string;
  allow_external: boolean;
  taxonomy: TaxonomyName;
  accepted_by: string;
  accepted_at: Generated<Date>;
  ip: string | null;
}

export interface LabelsTable {
  tenant_id: string;
  id: string;
  /** The set the label belongs to (0022: also 'own'); the key is (tenant_id, taxonomy, id). */
  taxonomy: LabelSetName;
  standard: boolean;
  name_nl: string | null;
  name_en: string | null;
  definition_nl: string | null;
  definition_en: string | null;
  position: Generated<number>;
  status: Generated<'active' | 'retired'>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  retired_at: NullableTimestamp;
}

export interface ResponseLabellingTable {
  tenant_id: string;
  response_id: string;
  survey_id: string;
  submitted_at: Timestamp;
  has_text: boolean;
  sentiment: Sentiment | null;
  source: 'none' | LabelSource;
  model_version: number | null;
  labelled_at: Generated<Date>;
  corrected_by: string | null;
  corrected_at: NullableTimestamp;
  /** 0022: the open question (existing rows: the first open question). */
  question_id: string;
  /** 0022: the set it was labelled in; NULL when there was no text. */
  label_set: LabelSetName | null;
}

export interface ResponseLabelsTable {
  tenant_id: string;
  response_id: string;
  question_id: string;
  label_set: LabelSetName;
  label_id: string;
  survey_id: string;
  source: LabelSource;
  /** 0042: the answer's sentiment and time, set and kept by triggers from response_labelling. */
  sentiment: Generated<Sentiment | null>;
  submitted_at: Generated<Date | null>;
}

export interface LabellingCursorsTable {
  tenant_id: string;
  survey_id: string;
  after_at: Timestamp;
}

export interface LabelCorrectionsTable {
  tenant_id: string;
  response_id: string;
  question_id: string;
  label_set: LabelSetName;
  text_enc: Buffer;
  lang: Lang;
  labels: string[];
  sentiment: Sentiment;
  corrected_by: string;
  corrected_at: Generated<Date>;
}

export interface LabellingUsageTable {
  tenant_id: string;
  month: string;
  labelled: Generated<number>;
  external: Generated<number>;
  quota_reached_at: NullableTimestamp;
}

// ---------------------------------------------------------------- integrations (0008, SVC-5)

export interface ApiKeysTable {
  tenant_id: string;
  id: string;
  name: string;
  prefix: string;
  secret_hash: Buffer;
  scopes: string[];
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Date | null;
  last_used_at: Date | null;
  last_used_ip: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export interface IdempotencyKeysTable {
  tenant_id: string;
  principal: string;
  key: string;
  request_hash: Buffer;
  state: Generated<'running' | 'done'>;
  status_code: number | null;
  response_enc: Buffer | null;
  created_at: Generated<Date>;
  expires_at: Generated<Date>;
}

export interface WebhooksTable {
  tenant_id: string;
  id: string;
  url: string;
  events: string[];
  secret_enc: Buffer;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  events_from: Generated<Date>;
  cursor_at: Generated<Date>;
  cursor_id: Generated<string>;
  /** 0031: 'legacy' (issued before Standard Webhooks, the text is the key) or 'standard' (whsec_<base64 key>) */
  secret_scheme: Generated<'legacy' | 'standard'>;
  previous_secret_enc: Buffer | null;
  previous_secret_scheme: 'legacy' | 'standard' | null;
  previous_until: Date | null;
  rotated_at: Date | null;
}

export interface WebhookDeliveriesTable {
  tenant_id: string;
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  payload_enc: Buffer;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Generated<Date>;
}

export interface WebhookAttemptsTable {
  tenant_id: string;
  id: string;
  delivery_id: string;
  attempt: number;
  at: Generated<Date>;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  excerpt: string | null;
}

// ---------------------------------------------------------------- agreement (0013)

/** OBLIGATIONS AGR-1, AGR-2, AGR-5: the customer's processing agreement. Dates: select them ::text. */
export interface AgreementsTable {
  tenant_id: string;
  version: Generated<string>;
  preset: string | null;
  start_date: ColumnType<string, string | undefined, string>;
  term_months: Generated<number>;
  renewal_months: Generated<number | null>;
  notice_months: Generated<number>;
  processor_contact_name: string | null;
  processor_contact_email: string | null;
  customer_contact_name: string | null;
  customer_contact_email: string | null;
  privacy_contact_email: string | null;
  breach_notice_hours: Generated<number>;
  subprocessor_objection_days: Generated<number>;
  dpa_change_objection_working_days: Generated<number>;
  audits_per_year: Generated<number>;
  audit_notice_days: Generated<number>;
  return_window_days: Generated<number>;
  choice_deadline_days: Generated<number>;
  log_retention_months: Generated<number>;
  processing_location: Generated<'EU' | 'NL'>;
  special_categories_allowed: Generated<boolean>;
  notice_given_at: NullableTimestamp;
  notice_given_by: string | null;
  notice_late: boolean | null;
  notice_ends_on: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Generated<Date>;
}

// ---------------------------------------------------------------- agreement versions (0015)

/** OBLIGATIONS AGR-3: an owner's digital acceptance; evidence_enc = sealed {"name","text"}. */
export interface AgreementAcceptancesTable {
  tenant_id: string;
  id: string;
  version: string;
  lang: Lang;
  sha256: string;
  accepted_by: string;
  accepted_at: Generated<Date>;
  evidence_enc: Buffer;
}

export type ProposalState = 'pending' | 'objected' | 'accepted' | 'withdrawn' | 'reannounced';

/** OBLIGATIONS AGR-3: a new version proposed to one customer. Dates: select deadline ::text. */
export interface AgreementProposalsTable {
  tenant_id: string;
  id: string;
  release_id: string;
  previous_id: string | null;
  origin: 'release' | 'terms';
  from_version: string;
  to_version: string;
  /** agreement column → { from, to } (terms, dates, version label; never contact details). */
  changes: Json<Record<string, { from: string | number | boolean | null; to: string | number | boolean | null }>>;
  summary_nl: string;
  summary_en: string;
  working_days: number;
  proposed_at: Date;
  proposed_by: string | null;
  announced_at: NullableTimestamp;
  notified: 'privacy_contact' | 'owners' | null;
  recipients: number | null;
  deadline: ColumnType<string | null, string | null | undefined, string | null>;
  state: Generated<ProposalState>;
  settled_at: NullableTimestamp;
  objected_at: NullableTimestamp;
  objected_by: string | null;
  objection_enc: Buffer | null;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
}

// ---------------------------------------------------------------- register (0016)

export type RegisterItemKind = 'category' | 'subject' | 'purpose' | 'operation';

/** OBLIGATIONS REG-1: the register of processing, one record per category, data subject, purpose, operation. */
export interface RegisterItemsTable {
  tenant_id: string;
  kind: RegisterItemKind;
  code: string;
  label_nl: string | null;
  label_en: string | null;
  note: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RegisterSettingsTable {
  tenant_id: string;
  /** REG-4: contacts not created, changed, invited or answering for this many months are erased (null: kept). */
  contacts_inactive_months: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SurveyRetentionTable {
  tenant_id: string;
  survey_id: string;
  months_after_close: number;
  erased_at: Date | null;
  updated_at: Generated<Date>;
}

/** REG-3: counts of free texts that look like a BSN, an IBAN or health data, per survey. */
export interface RegisterTextScansTable {
  tenant_id: string;
  survey_id: string;
  texts: Generated<number>;
  bsn: Generated<number>;
  iban: Generated<number>;
  health: Generated<number>;
  cursor_at: Date | null;
  cursor_id: string | null;
}

/** OBLIGATIONS BRE-1 (migration 0018): the operator's breach register (global; peil_app holds nothing on it). */
export interface BreachesTable {
  id: string;
  number: Generated<number>;
  status: Generated<'open' | 'closed'>;
  started_at: Date;
  discovered_at: Date;
  details: Json<unknown>;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  closed_at: Date | null;
}

export interface BreachUpdatesTable {
  breach_id: string;
  seq: number;
  at: Date;
  operator_id: string | null;
  kind: 'created' | 'updated' | 'scope' | 'notified' | 'closed';
  note: string | null;
  changes: Json<unknown>;
}

/** OBLIGATIONS BRE-2..BRE-4: one affected customer's part of a breach (tenant table). */
export interface BreachNoticesTable {
  tenant_id: string;
  breach_id: string;
  scope: Json<unknown>;
  contacts: number;
  responses: number;
  users: number;
  categories: string[];
  basis: Json<unknown>;
  computed_at: Date;
  notice_hours: number;
  deadline: Date;
  notified_at: Date | null;
  notified_to: 'privacy_contact' | 'owners' | 'nobody' | null;
  alert_near_at: Date | null;
  alert_overdue_at: Date | null;
}

export interface BreachNoticeMessagesTable {
  tenant_id: string;
  breach_id: string;
  seq: number;
  kind: 'notice' | 'update' | 'closing';
  sent_at: Date;
  sent_to: 'privacy_contact' | 'owners' | 'nobody';
  content_enc: Buffer;
}

/** OBLIGATIONS END-1 (0020): reminders to export before the end, once per end date and number of days. */
export interface EndingRemindersTable {
  tenant_id: string;
  /** A date: select it as text. */
  ends_on: string;
  days: 60 | 30 | 7;
  sent_at: Timestamp;
  recipients: number;
  notified: 'privacy_contact' | 'owners';
}

/** OBLIGATIONS END-2, END-3 (0020): the end of a customer, its choice and deletion; kept as evidence. */
export interface TenantEndingsTable {
  tenant_id: string;
  ended_at: Timestamp;
  ended_by: 'operator' | 'agreement';
  choice_deadline: Timestamp;
  return_window_days: number;
  choice: 'return' | 'deletion' | null;
  choice_at: NullableTimestamp;
  choice_by: string | null;
  return_until: NullableTimestamp;
  deletion_started_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
}

/** OBLIGATIONS END-4 (0020): the signed statement of deletion (global; owner connection only). */
export interface DeletionStatementsTable {
  tenant_id: string;
  created_at: Generated<Date>;
  document: string;
  key_id: string;
}

export interface DB {
  register_items: RegisterItemsTable;
  register_settings: RegisterSettingsTable;
  survey_retention: SurveyRetentionTable;
  register_text_scans: RegisterTextScansTable;
  tenants: TenantsTable;
  tenant_keys: TenantKeysTable;
  audit_heads: AuditHeadsTable;
  audit_chain_backfill: AuditChainBackfillTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_verifications: AuditVerificationsTable;
  audit_anchors: AuditAnchorsTable;
  master_key_rotations: MasterKeyRotationsTable;
  backups: BackupsTable;
  operators: OperatorsTable;
  sessions: SessionsTable;
  system_audit_events: SystemAuditEventsTable;
  users: UsersTable;
  user_invites: UserInvitesTable;
  user_recovery_codes: UserRecoveryCodesTable;
  support_grants: SupportGrantsTable;
  contacts: ContactsTable;
  profile_fields: ProfileFieldsTable;
  released_breakdowns: ReleasedBreakdownsTable;
  agreements: AgreementsTable;
  agreement_acceptances: AgreementAcceptancesTable;
  agreement_proposals: AgreementProposalsTable;
  surveys: SurveysTable;
  distributions: DistributionsTable;
  invitations: InvitationsTable;
  suppressions: SuppressionsTable;
  email_templates: EmailTemplatesTable;
  distribution_settings: DistributionSettingsTable;
  responses: ResponsesTable;
  outbox: OutboxTable;
  audit_events: AuditEventsTable;
  ai_module_switch: AiModuleSwitchTable;
  subprocessors: SubprocessorsTable;
  subprocessor_assignments: SubprocessorAssignmentsTable;
  subprocessor_consents: SubprocessorConsentsTable;
  subprocessor_changes: SubprocessorChangesTable;
  audit_requests: AuditRequestsTable;
  data_subject_requests: DataSubjectRequestsTable;
  contact_image_keys: ContactImageKeysTable;
  erasure_tombstones: ErasureTombstonesTable;
  labelling_settings: LabellingSettingsTable;
  labelling_terms_acceptances: LabellingTermsAcceptancesTable;
  labels: LabelsTable;
  response_labelling: ResponseLabellingTable;
  response_labels: ResponseLabelsTable;
  labelling_cursors: LabellingCursorsTable;
  label_corrections: LabelCorrectionsTable;
  labelling_usage: LabellingUsageTable;
  api_keys: ApiKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  breaches: BreachesTable;
  breach_updates: BreachUpdatesTable;
  breach_notices: BreachNoticesTable;
  breach_notice_messages: BreachNoticeMessagesTable;
  ending_reminders: EndingRemindersTable;
  tenant_endings: TenantEndingsTable;
  deletion_statements: DeletionStatementsTable;
  alert_rules: AlertRulesTable;
  follow_ups: FollowUpsTable;
  publications: PublicationsTable;
  response_drafts: ResponseDraftsTable;
  rate_limit_counters: RateLimitCountersTable;
  tick_leases: TickLeasesTable;
  contact_uploads: ContactUploadsTable;
  contact_upload_parts: ContactUploadPartsTable;
  contact_import_rows: ContactImportRowsTable;
  response_rollup_cursors: ResponseRollupCursorsTable;
  response_rollups: ResponseRollupsTable;
  label_counts: LabelCountsTable;
  crosstab_rollups: CrosstabRollupsTable;
  plans: PlansTable;
  plan_assignments: PlanAssignmentsTable;
  plan_extensions: PlanExtensionsTable;
  usage_counters: UsageCountersTable;
  usage_notices: UsageNoticesTable;
  benchmark_sectors: BenchmarkSectorsTable;
  benchmark_settings: BenchmarkSettingsTable;
  benchmark_contributions: BenchmarkContributionsTable;
  benchmark_own: BenchmarkOwnTable;
  benchmark_cursors: BenchmarkCursorsTable;
  benchmark_cell_stats: BenchmarkCellStatsTable;
  benchmark_cells: BenchmarkCellsTable;
}

// ---------------------------------------------------------------- follow-ups (0021, issue 12)

/** OBLIGATIONS SVC-4: the alert rule of an identified survey (one per survey). */
export interface AlertRulesTable {
  tenant_id: string;
  survey_id: string;
  active: Generated<boolean>;
  trigger: 'unhappy' | 'threshold';
  threshold: number | null;
  assignee_id: string | null;
  notify_email: Generated<boolean>;
  notify_webhooks: Generated<boolean>;
  due_hours: Generated<number>;
  applies_from: Generated<Date>;
  cursor_at: Generated<Date>;
  cursor_id: Generated<string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type FollowUpStatus = 'open' | 'in_progress' | 'done';

/** A follow-up of one response (notes sealed with the tenant key). */
export interface FollowUpsTable {
  tenant_id: string;
  id: string;
  survey_id: string;
  response_id: string;
  contact_id: string | null;
  status: Generated<FollowUpStatus>;
  owner_id: string | null;
  notes_enc: Buffer | null;
  answered_at: Date;
  due_at: Date;
  created_at: Generated<Date>;
  started_at: Date | null;
  done_at: Date | null;
  updated_at: Generated<Date>;
  mail_status: Generated<'none' | 'pending' | 'sent' | 'failed'>;
  mail_attempts: Generated<number>;
}

// ---------------------------------------------------------------- publications (0025, issue 13)

/** OBLIGATIONS BEN-2: a publication of a survey's results (a snapshot of public aggregates). */
/** 0033 (issue 14): the answers of a multi-page survey between its steps, sealed; no link to a person. */
/** Issue 17 (0036): a survey's histograms are kept up to this cursor (results/rollup.ts). */
export interface ResponseRollupCursorsTable {
  tenant_id: string;
  survey_id: string;
  shape: string;
  at: Date;
  id: string;
  responses: number;
  updated_at: Generated<Date>;
}

/** Issue 17 (0036): counts per survey, day, histogram and value (results/histograms.ts). */
/** 0042: answers per label and sentiment, per UTC day; kept by triggers (labelling/results.ts). */
export interface LabelCountsTable {
  tenant_id: string;
  survey_id: string;
  question_id: string;
  label_set: LabelSetName;
  /** '' : every labelled answer (the sentiment totals) */
  label_id: string;
  /** '' : no sentiment */
  sentiment: Sentiment | '';
  day: ColumnType<string, string, string>;
  n: ColumnType<string, number, number>;
}

/** 0043: the cross-tabs someone read, kept in response_rollups by the rollup job (results/rollup.ts). */
export interface CrosstabRollupsTable {
  tenant_id: string;
  survey_id: string;
  grouping: string;
  question: string;
  folded: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface ResponseRollupsTable {
  tenant_id: string;
  survey_id: string;
  day: string;
  q: string;
  v: string;
  n: number;
}

export interface ResponseDraftsTable {
  tenant_id: string;
  id: string;
  survey_id: string;
  values_enc: Buffer;
  updated_at: Generated<Date>;
  expires_at: Date;
}

/** 0035 (issue 17): fixed-window counters shared by every process; the key is a SHA-256. */
export interface RateLimitCountersTable {
  key: Buffer;
  count: number;
  reset_at: Date;
}

/** 0035 (issue 17): which process runs a periodic tick now. */
export interface TickLeasesTable {
  name: string;
  holder: string;
  until: Date;
}

/** 0035 (issue 17): a contact file between upload and commit, readable by every process. */
export interface ContactUploadsTable {
  tenant_id: string;
  id: string;
  file_name_enc: Buffer;
  shape: Json<unknown>;
  bytes: number;
  total_rows: number;
  status: 'uploaded' | 'importing' | 'done' | 'failed';
  processed_rows: Generated<number>;
  result: Json<unknown> | null;
  created_at: Generated<Date>;
  expires_at: Date;
}

/** Issue 17 (0038): an import's checked, sealed rows before they are merged into contacts. */
export type ContactImportRowsTable = Omit<ContactsTable, 'id' | 'created_at' | 'updated_at'> & {
  upload_id: string;
  seq: number;
};

export interface ContactUploadPartsTable {
  tenant_id: string;
  upload_id: string;
  n: number;
  data_enc: Buffer;
}

export interface PublicationsTable {
  tenant_id: string;
  id: string;
  survey_id: string;
  kinds: Array<'page' | 'widget' | 'badge'>;
  show_responses: Generated<boolean>;
  show_trend: Generated<boolean>;
  question_ids: Generated<string[]>;
  title: Json<unknown> | null;
  content: Json<unknown>;
  content_sha256: string;
  published_at: Generated<Date>;
  created_by: string | null;
  created_at: Generated<Date>;
  withdrawn_by: string | null;
  withdrawn_at: Date | null;
}

// ---------------------------------------------------------------- plans and usage (0026, issue 13)

export type UsageMetric = 'contacts' | 'responses' | 'surveys' | 'users' | 'labelled';

/** OBLIGATIONS SVC-6: a plan the operator offers (global). A null limit is unlimited. */
export interface PlansTable {
  id: string;
  name: string;
  contacts: number | null;
  responses_per_month: number | null;
  surveys: number | null;
  users: number | null;
  labelled_per_month: number | null;
  feature_ai: Generated<boolean>;
  feature_api: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PlanAssignmentsTable {
  tenant_id: string;
  plan_id: string;
  since: Generated<Date>;
  assigned_by: string | null;
}

export interface PlanExtensionsTable {
  tenant_id: string;
  id: string;
  metric: UsageMetric;
  extra: number;
  valid_from: string;
  valid_until: string;
  reason: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface UsageCountersTable {
  tenant_id: string;
  metric: UsageMetric;
  period: string;
  value: Generated<string | number>;
  updated_at: Generated<Date>;
}

export interface UsageNoticesTable {
  tenant_id: string;
  metric: UsageMetric;
  period: string;
  level: 80 | 100;
  used: string | number;
  limit_value: string | number;
  recipients: number;
  sent_at: Generated<Date>;
}

// ---------------------------------------------------------------- benchmark (0024, issue 13)

export type BenchmarkKind = 'nps' | 'enps' | 'csat' | 'ces';

/** OBLIGATIONS BEN-1: the operator's sectors (global); tenants.sector holds a code. */
export interface BenchmarkSectorsTable {
  code: string;
  name_nl: string;
  name_en: string;
  created_at: Generated<Date>;
}

/** The disclosure rules (one row). */
export interface BenchmarkSettingsTable {
  id: Generated<boolean>;
  min_customers: number;
  min_respondents: number;
  dominance_one_percent: number;
  dominance_two_percent: number;
  quartile_min_customers: number;
  updated_at: Generated<Date>;
}

/** One customer's aggregate in one cell, under a random id only (global, closed to peil_app; END-5). */
export interface BenchmarkContributionsTable {
  id: string;
  sector: string;
  kind: BenchmarkKind;
  period: string;
  counts: number[];
  percentile: number | null;
}

/** The customer's link to its contributions and its own numbers (tenant table). */
export interface BenchmarkOwnTable {
  tenant_id: string;
  contribution_id: string;
  sector: string;
  kind: BenchmarkKind;
  period: string;
  counts: number[];
  shielded: Generated<number>;
}

export interface BenchmarkCursorsTable {
  tenant_id: string;
  processed_to: Date | null;
}

/** A cell computed once after its quarter closed (global, closed to peil_app). */
export interface BenchmarkCellStatsTable {
  sector: string;
  kind: BenchmarkKind;
  period: string;
  customers: number;
  respondents: number;
  top1: number;
  top2: number;
  value: number | null;
  margin: number | null;
  low: number | null;
  high: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  computed_at: Generated<Date>;
}

/** What is published (global, readable): suppressed cells carry no numbers. */
export interface BenchmarkCellsTable {
  sector: string;
  kind: BenchmarkKind;
  period: string;
  published: boolean;
  customers: number | null;
  respondents: number | null;
  value: number | null;
  margin: number | null;
  low: number | null;
  high: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
}
