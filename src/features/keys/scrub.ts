import { sql } from 'kysely';
import type { Tx } from '../../lib/db/db.js';

/**
 * OBLIGATIONS SEC-1: what erase-key does with the columns a customer's tables keep in clear.
 *
 * Encrypted columns (bytea, sealed with the customer's key) need nothing: destroying the key makes
 * them unreadable. The columns below are in clear, mostly because results and selections aggregate
 * them without the key; after the key is destroyed there is nothing left to aggregate for, and they
 * would be the customer's only readable personal data. Each is cleared (or its rows deleted) in the
 * transaction that destroys the key, and migration 0012 refuses to write such a value for that
 * customer afterwards.
 *
 * Every column of a tenant table that is not a uuid, bytea, boolean or timestamp is listed in ERASED
 * or in KEPT (with the reason); keys.test.ts fails on a column in neither, so a new clear column is
 * decided on when it is added.
 */
export const ERASED: Record<string, Record<string, string>> = {
  contacts: { gender: 'null', function: 'null', profile: "'{}' (profile values: birth dates, departments, ...)" },
  responses: { score: 'null', answers: 'null (closed answers, numbers and dates)' },
  invitations: { last_error: 'null (SMTP replies quote addresses)' },
  suppressions: { details: "'{}' (SMTP replies, notes)" },
  distributions: { selection: 'null (filter values can single out a person)' },
  users: { email: "'<id>@erased.invalid'", name: "''", password_hash: 'null' },
  api_keys: { last_used_ip: 'null' },
  labelling_terms_acceptances: { ip: 'null' },
  support_grants: { reason: "'(erased)' (free text)" },
  webhook_deliveries: { last_error: 'null' },
  webhook_attempts: { error: 'null', excerpt: 'null (the receiver may echo the payload)' },
  response_labelling: {
    sentiment: 'rows deleted (derived from answers)',
    source: 'rows deleted',
    model_version: 'rows deleted',
    question_id: 'rows deleted',
    label_set: 'rows deleted',
  },
  response_labels: {
    label_id: 'rows deleted (derived from answers)',
    source: 'rows deleted',
    question_id: 'rows deleted',
    label_set: 'rows deleted',
    sentiment: "rows deleted (the answer's, 0042)",
  },
  // Issue 17 (0042): answers per label and sentiment, counts of the labels being deleted.
  label_counts: {
    question_id: 'rows deleted',
    label_set: 'rows deleted',
    label_id: 'rows deleted (counts of the cleared labels)',
    sentiment: 'rows deleted',
    day: 'rows deleted',
    n: 'rows deleted',
  },
  label_corrections: {
    lang: 'rows deleted (a respondent text as training example)',
    labels: 'rows deleted',
    sentiment: 'rows deleted',
    question_id: 'rows deleted',
    label_set: 'rows deleted',
  },
  idempotency_keys: {
    principal: 'rows deleted (stored answers, client-chosen keys)',
    key: 'rows deleted',
    state: 'rows deleted',
    status_code: 'rows deleted',
  },
  released_breakdowns: {
    field: 'rows deleted (computed from the cleared profile values and scores)',
    released: 'rows deleted',
    result: 'rows deleted',
  },
  // OBLIGATIONS BEN-2: a publication's snapshot is computed from the answers; its token dies with the
  // key anyway (its MAC key is derived from it), and the rows go with the answers they came from.
  publications: {
    kinds: 'rows deleted (derived from answers)',
    question_ids: 'rows deleted',
    title: 'rows deleted',
    content: 'rows deleted (aggregates of the cleared answers)',
    content_sha256: 'rows deleted',
  },
  // Issue 17 (0035): a contact file between upload and commit; the file and its name are sealed, and
  // nothing can be imported once the key is gone: the uploads go (their parts with them).
  contact_uploads: {
    shape: "rows deleted (the file's column names)",
    bytes: 'rows deleted',
    total_rows: 'rows deleted',
    status: 'rows deleted',
    processed_rows: 'rows deleted',
    result: 'rows deleted (counts)',
  },
  contact_upload_parts: { n: 'rows deleted (with their upload)' },
  contact_import_rows: {
    seq: 'rows deleted (with their upload)',
    gender: 'rows deleted (with their upload)',
    language: 'rows deleted (with their upload)',
    function: 'rows deleted (with their upload)',
    profile: 'rows deleted (with their upload)',
  },
  // Issue 17: the results rollups (results/rollup.ts) are counts of the cleared answers.
  response_rollups: {
    q: 'rows deleted (counts of the cleared answers)',
    v: 'rows deleted (answer values)',
    n: 'rows deleted',
    day: 'rows deleted',
  },
  response_rollup_cursors: {
    shape: 'rows deleted (with the rollups)',
    responses: 'rows deleted',
  },
  crosstab_rollups: {
    grouping: 'rows deleted (with the rollups)',
    question: 'rows deleted',
  },
  // OBLIGATIONS BEN-1, END-5: the customer's own benchmark numbers and its link to the anonymous
  // contributions. The contributions stay (global, no tenant): with the link gone nothing ties them to it.
  benchmark_own: {
    sector: 'rows deleted (the link to the anonymous contributions)',
    kind: 'rows deleted',
    period: 'rows deleted',
    counts: 'rows deleted (computed from the cleared scores)',
    shielded: 'rows deleted',
  },
};

const CONFIG = "the customer's configuration, not about a person";
const COUNT = 'a count or setting';
const STATE = 'processing state';

export const KEPT: Record<string, Record<string, string>> = {
  contacts: {
    language:
      'nl or en: the invitations and responses keep it too (not null); says nothing about a person beyond the language of the mail',
  },
  responses: { language: 'nl or en (not null), see contacts.language' },
  invitations: { language: 'nl or en (not null)', status: STATE, attempts: COUNT, reminders_sent: COUNT },
  suppressions: {
    reason: 'unsubscribed/erased/bounced/manual, keyed by a blind index nobody can compute any more',
    source: STATE,
  },
  distributions: { total: COUNT, kind: STATE, status: STATE, reminders_max: CONFIG, reminder_interval_days: CONFIG },
  distribution_settings: { throttle_days: CONFIG },
  users: {
    role: STATE,
    status: STATE,
    failed_sign_ins: COUNT,
    locale: 'nl or en: the language the user chose for the admin app (a setting, not about a respondent)',
  },
  api_keys: { name: CONFIG, prefix: 'the visible part of a key that is revoked', scopes: CONFIG },
  labelling_terms_acceptances: { terms_version: CONFIG, terms_hash: CONFIG, taxonomy: CONFIG },
  labelling_settings: {
    taxonomy: CONFIG,
    terms_version: CONFIG,
    terms_hash: CONFIG,
    monthly_quota: CONFIG,
    operator_reason: "the operator's note on its own switch",
    model_version: COUNT,
  },
  labelling_usage: { month: COUNT, labelled: COUNT, external: COUNT },
  labels: {
    id: CONFIG,
    taxonomy: CONFIG,
    name_nl: CONFIG,
    name_en: CONFIG,
    definition_nl: CONFIG,
    definition_en: CONFIG,
    position: CONFIG,
    status: CONFIG,
  },
  support_grants: { scope: STATE },
  webhooks: { url: "the customer's endpoint", events: CONFIG, secret_scheme: CONFIG, previous_secret_scheme: CONFIG },
  webhook_deliveries: { event_type: STATE, status: STATE, attempts: COUNT, last_status_code: STATE },
  webhook_attempts: { attempt: COUNT, status_code: STATE, duration_ms: COUNT },
  email_templates: {
    kind: CONFIG,
    name: CONFIG,
    subject: 'texts with placeholders, not values',
    body: 'texts with placeholders, not values',
  },
  surveys: {
    name: CONFIG,
    kind: CONFIG,
    status: 'closed by erase-key',
    default_language: CONFIG,
    definition: 'questions and options, not answers',
    anonymity: CONFIG,
    min_group_size: CONFIG,
    release_base: CONFIG,
    invitations_erased: COUNT,
    invitations_count: COUNT,
    label_set: CONFIG,
  },
  profile_fields: {
    key: CONFIG,
    type: CONFIG,
    label_nl: CONFIG,
    label_en: CONFIG,
    options: "the allowed values of a field, not a person's value",
    category: CONFIG,
  },
  // OBLIGATIONS REG-1..REG-4: the register of processing is the customer's description of its
  // processing (codes, labels, notes, retention periods) and counts; nothing about a person.
  register_items: {
    kind: CONFIG,
    code: CONFIG,
    label_nl: CONFIG,
    label_en: CONFIG,
    note: "the customer's note on its register",
  },
  register_settings: { contacts_inactive_months: CONFIG },
  survey_retention: { months_after_close: CONFIG },
  register_text_scans: { texts: COUNT, bsn: COUNT, iban: COUNT, health: COUNT },
  outbox: { kind: STATE },
  audit_events: {
    id: STATE,
    seq: STATE,
    actor_kind: STATE,
    action: STATE,
    subject_kind: STATE,
    subject_id: 'ids (pseudonyms), as DSR-2 leaves them',
    // OBLIGATIONS LOG-1, LOG-3, LOG-4: the log is the evidence of what was done with the data, the
    // operator's support sessions and this erasure included; it is hash-chained, so a changed entry
    // no longer verifies. It is kept for the agreed retention (LOG-4) and removed with the rows (END-3).
    ip: 'evidence (LOG-1), hash-chained (LOG-3); removed by retention (LOG-4) and at the end (END-3)',
    request_id: STATE,
    details: 'ids, counts and categories; images of rows are sealed with the destroyed key; hash-chained (LOG-3)',
  },
  subprocessor_consents: { country: 'the country consented to (SUB-3): evidence of the customer, not about a person' },
  // OBLIGATIONS SUB-2: the operator's register entry as announced, and the state of the objection
  // window; the objection's reason and the operator's note are sealed (bytea).
  subprocessor_changes: {
    change: STATE,
    entry: "the operator's register entry as announced (no personal data)",
    previous: "the operator's register entry before the change",
    status: STATE,
    objection_days: CONFIG,
    notified_to: 'privacy_contact or owners: a category, not an address',
    window_ends_on: STATE,
  },
  // OBLIGATIONS AUD-1: the auditor's name and the scope are sealed (bytea).
  data_subject_requests: {
    kind: 'the kind of request (access, erasure, ...): the record of a request, not a value about the person',
    lang: 'nl or en (see contacts.language)',
    source: 'invitation or open: how the request came in',
    status: STATE,
    forwarded_to: 'privacy_contact or owners: a category, not an address',
    due_on: 'the deadline of the request (the address and the texts are sealed)',
    original_due_on: 'the deadline before an extension',
    reminded_for: STATE,
  },
  audit_requests: { proposed_date: 'the date of an audit of the customer, not about a person', status: STATE },
  // OBLIGATIONS BRE-2..BRE-4: the customer's part of a breach: counts, vocabulary codes, the scope
  // (ids, dates, codes; an email address only as user ids) and notification state. What was mailed is
  // sealed (bytea).
  breach_notices: {
    scope: 'ids, dates and category codes that produced the counts',
    contacts: COUNT,
    responses: COUNT,
    users: COUNT,
    categories: 'register vocabulary codes',
    basis: 'counts of log entries per action',
    notice_hours: CONFIG,
    notified_to: 'privacy_contact or owners: a category, not an address',
  },
  breach_notice_messages: { seq: COUNT, kind: STATE, sent_to: 'privacy_contact or owners: a category, not an address' },
  // OBLIGATIONS AGR-1: the agreement is the contract between the operator and the customer, the
  // operator's own record (it must outlive an erasure: the end of the contract is what erasure
  // follows), not data processed on the customer's behalf. Its contact persons and privacy contact
  // are the parties' business contacts for that contract.
  agreements: {
    version: CONFIG,
    preset: CONFIG,
    term_months: CONFIG,
    renewal_months: CONFIG,
    notice_months: CONFIG,
    processor_contact_name: "the operator's own contact person",
    processor_contact_email: "the operator's own contact person",
    customer_contact_name: 'a party to the contract: business contact of the agreement',
    customer_contact_email: 'a party to the contract: business contact of the agreement',
    privacy_contact_email: "the customer's privacy contact: where notices about the contract go",
    breach_notice_hours: CONFIG,
    subprocessor_objection_days: CONFIG,
    dpa_change_objection_working_days: CONFIG,
    audits_per_year: CONFIG,
    audit_notice_days: CONFIG,
    return_window_days: CONFIG,
    choice_deadline_days: CONFIG,
    log_retention_months: CONFIG,
    processing_location: CONFIG,
    start_date: CONFIG,
    notice_ends_on: STATE,
  },
  // OBLIGATIONS AGR-3: the contract's versions and who accepted which text: evidence between the
  // parties (it must outlive an erasure, like the agreement). The accepted text and the owner's name,
  // and an objection's reason, are sealed (evidence_enc, objection_enc).
  agreement_acceptances: {
    version: CONFIG,
    lang: 'nl or en: the language of the text accepted',
    sha256: 'hash of the text accepted (evidence)',
  },
  agreement_proposals: {
    origin: CONFIG,
    from_version: CONFIG,
    to_version: CONFIG,
    changes: 'terms and dates of the contract (never contact details)',
    summary_nl: "the operator's summary of the changes",
    summary_en: "the operator's summary of the changes",
    working_days: CONFIG,
    notified: 'privacy_contact or owners: who was mailed, not an address',
    recipients: COUNT,
    deadline: STATE,
    state: STATE,
  },
  // OBLIGATIONS END-1..END-4 (features/ending): reminders sent (a date, a count, to whom by category),
  // the end (dates, a choice, counts) and the signed statement of deletion (tables, counts, key ids):
  // the record of the contract's end, nothing about a person. The reminders are removed with the
  // customer's rows at deletion; the end and the statement stay as evidence (ending/tables.ts EVIDENCE).
  ending_reminders: {
    ends_on: STATE,
    days: COUNT,
    recipients: COUNT,
    notified: 'privacy_contact or owners: a category, not an address',
  },
  tenant_endings: { ended_by: STATE, return_window_days: CONFIG, choice: STATE },
  deletion_statements: {
    document: 'the signed statement of deletion: tables, counts, times, key ids (END-4)',
    key_id: STATE,
  },
  // Issue 12 (OBLIGATIONS SVC-4, closed loop): an alert rule is the customer's configuration; a
  // follow-up's clear columns are its state (status, the mail's state, counts). The notes are sealed.
  alert_rules: { trigger: CONFIG, threshold: CONFIG, due_hours: CONFIG },
  follow_ups: { status: STATE, mail_status: STATE, mail_attempts: COUNT },
  // OBLIGATIONS SVC-6 (0026): the customer's plan, its extensions (the operator's note on why) and
  // the usage counters and the mails at 80 %/100 %: the contract's terms and counts, nothing about a person.
  plan_extensions: {
    metric: CONFIG,
    extra: CONFIG,
    valid_from: CONFIG,
    valid_until: CONFIG,
    reason: "the operator's note on an extension of the contract",
  },
  usage_counters: { metric: COUNT, period: COUNT, value: COUNT },
  usage_notices: { metric: COUNT, period: COUNT, level: COUNT, used: COUNT, limit_value: CONFIG, recipients: COUNT },
  audit_heads: { seq: STATE },
  audit_checkpoints: { id: STATE, seq: STATE, reason: STATE, key_id: STATE },
  audit_verifications: { id: STATE, from_seq: STATE, to_seq: STATE, entries: COUNT, problem: 'a verification result' },
  // Issue 16 (LOG-3): which signed heads went out to the customer, when, how and to whom by category.
  audit_anchors: {
    id: STATE,
    seq: STATE,
    key_id: STATE,
    channel: STATE,
    sent_to: 'privacy_contact or owners: a category, not an address',
    recipients: COUNT,
  },
};

/** Number of rows changed or deleted per table. */
export type ScrubCounts = Record<string, number>;

/**
 * Clears one customer's clear personal columns and stops what would write new ones (surveys closed,
 * sending cancelled, API keys revoked, webhooks off). Run in the transaction that destroys the key,
 * before the key row is changed (migration 0012 refuses these writes once the key is gone), with the
 * tenant set on the transaction. Every statement also names the tenant: the owner connection is not
 * stopped by row-level security.
 */
export async function scrubTenant(tx: Tx, tenantId: string, opts: { clear?: boolean } = {}): Promise<ScrubCounts> {
  const counts: ScrubCounts = {};
  const run = async (name: string, q: ReturnType<typeof sql>) => {
    const r = await q.execute(tx);
    counts[name] = (counts[name] ?? 0) + Number(r.numAffectedRows ?? 0);
  };
  // No new answers, no more mail: the response writer and the send job check these rows.
  await run('surveys', sql`UPDATE surveys SET status = 'closed' WHERE tenant_id = ${tenantId} AND status <> 'closed'`);
  await run(
    'distributions',
    sql`UPDATE distributions SET status = CASE WHEN status IN ('scheduled', 'sending') THEN 'cancelled' ELSE status END,
    cancelled_at = CASE WHEN status IN ('scheduled', 'sending') THEN now() ELSE cancelled_at END, selection = NULL
    WHERE tenant_id = ${tenantId} AND (status IN ('scheduled', 'sending') OR selection IS NOT NULL)`,
  );
  await run(
    'api_keys',
    sql`UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()), last_used_ip = NULL WHERE tenant_id = ${tenantId} AND (revoked_at IS NULL OR last_used_ip IS NOT NULL)`,
  );
  await run('webhooks', sql`UPDATE webhooks SET active = false WHERE tenant_id = ${tenantId} AND active`);
  // No more follow-ups (they would hold sealed notes nobody can read) and no more alert mails.
  await run('alert_rules', sql`UPDATE alert_rules SET active = false WHERE tenant_id = ${tenantId} AND active`);
  await run(
    'follow_ups',
    sql`UPDATE follow_ups SET mail_status = 'none' WHERE tenant_id = ${tenantId} AND mail_status = 'pending'`,
  );
  // OBLIGATIONS BEN-2: nothing published any more (the tokens are already dead with the key).
  await run('publications', sql`DELETE FROM publications WHERE tenant_id = ${tenantId}`);
  // Issue 17: the results rollups are counts of the answers being cleared.
  await run('response_rollups', sql`DELETE FROM response_rollups WHERE tenant_id = ${tenantId}`);
  await run('response_rollup_cursors', sql`DELETE FROM response_rollup_cursors WHERE tenant_id = ${tenantId}`);
  await run('crosstab_rollups', sql`DELETE FROM crosstab_rollups WHERE tenant_id = ${tenantId}`);
  // OBLIGATIONS END-3: when every row is removed right after (features/ending deleteTenant), clearing
  // the columns first would rewrite each row only to delete it (1M responses: ~45 s of the deletion).
  if (opts.clear === false) return counts;

  await run(
    'contacts',
    sql`UPDATE contacts SET gender = NULL, function = NULL, profile = '{}'::jsonb
    WHERE tenant_id = ${tenantId} AND (gender IS NOT NULL OR function IS NOT NULL OR profile <> '{}'::jsonb)`,
  );
  await run(
    'responses',
    sql`UPDATE responses SET score = NULL, answers = NULL WHERE tenant_id = ${tenantId} AND (score IS NOT NULL OR answers IS NOT NULL)`,
  );
  await run(
    'invitations',
    sql`UPDATE invitations SET last_error = NULL WHERE tenant_id = ${tenantId} AND last_error IS NOT NULL`,
  );
  await run(
    'suppressions',
    sql`UPDATE suppressions SET details = '{}'::jsonb WHERE tenant_id = ${tenantId} AND details <> '{}'::jsonb`,
  );
  await run(
    'users',
    sql`UPDATE users SET email = id::text || '@erased.invalid', name = '', password_hash = NULL, totp_secret_enc = NULL, totp_pending_enc = NULL
    WHERE tenant_id = ${tenantId} AND (email NOT LIKE '%@erased.invalid' OR name <> '' OR password_hash IS NOT NULL)`,
  );
  await run(
    'labelling_terms_acceptances',
    sql`UPDATE labelling_terms_acceptances SET ip = NULL WHERE tenant_id = ${tenantId} AND ip IS NOT NULL`,
  );
  await run(
    'support_grants',
    sql`UPDATE support_grants SET reason = '(erased)' WHERE tenant_id = ${tenantId} AND reason <> '(erased)'`,
  );
  await run(
    'webhook_deliveries',
    sql`UPDATE webhook_deliveries SET last_error = NULL WHERE tenant_id = ${tenantId} AND last_error IS NOT NULL`,
  );
  await run(
    'webhook_attempts',
    sql`UPDATE webhook_attempts SET error = NULL, excerpt = NULL WHERE tenant_id = ${tenantId} AND (error IS NOT NULL OR excerpt IS NOT NULL)`,
  );
  // Derived from what respondents wrote: nothing to keep them for.
  await run('response_labelling', sql`DELETE FROM response_labelling WHERE tenant_id = ${tenantId}`);
  await run('label_counts', sql`DELETE FROM label_counts WHERE tenant_id = ${tenantId}`);
  await run('label_corrections', sql`DELETE FROM label_corrections WHERE tenant_id = ${tenantId}`);
  await run('idempotency_keys', sql`DELETE FROM idempotency_keys WHERE tenant_id = ${tenantId}`);
  await run('released_breakdowns', sql`DELETE FROM released_breakdowns WHERE tenant_id = ${tenantId}`);
  await run('benchmark_own', sql`DELETE FROM benchmark_own WHERE tenant_id = ${tenantId}`);
  await run('contact_uploads', sql`DELETE FROM contact_uploads WHERE tenant_id = ${tenantId}`);
  return counts;
}
