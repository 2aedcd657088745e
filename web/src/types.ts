/** Shapes of the API's answers, as the admin app uses them (see GET /api/openapi.json). */

export interface ProblemItem {
  pointer?: string;
  row?: number;
  column?: string;
  columnLetter?: string;
  reason: string;
  value?: string;
}

/** Every API error is RFC 9457 problem+json. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId?: string;
  errors?: ProblemItem[];
  [key: string]: unknown;
}

export type Role = 'owner' | 'admin' | 'analyst' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'analyst', 'viewer'];

export type SupportScope = 'results' | 'contacts';

export interface Me {
  /** 'support': operator staff inside a customer under a support grant (read-only). */
  kind: 'user' | 'operator' | 'support';
  id: string;
  email: string;
  name: string;
  /** A role for users; 'support' for a support session. */
  role?: Role | 'support';
  tenant?: { id: string; slug: string; name: string; requireSecondFactor: boolean };
  permissions?: string[];
  /** Users only. enrolmentRequired: every route but the set-up answers 403 until an app is set up. */
  secondFactor?: { enabled: boolean; enrolmentRequired: boolean };
  support?: { grantId: string; scope: SupportScope; expiresAt: string };
  /** END-2: the customer's agreement has ended; an owner's session reaches only the end's page. */
  ended?: boolean;
  /** Issue 14: the language this person chose for the admin app (kept on the server). */
  locale?: 'nl' | 'en';
  /** Whether they chose one; if not, the app keeps this browser's choice (Dutch without one). */
  localeChosen?: boolean;
}

export interface Contact {
  id: string;
  email: string;
  firstName: string | null;
  infix: string | null;
  lastName: string | null;
  phone: string | null;
  gender: string | null;
  language: string | null;
  function: string | null;
  profile: Record<string, string | number>;
  createdAt: string;
  updatedAt: string;
}

export interface ContactPage {
  contacts: Contact[];
  total: number;
  next: string | null;
}

export interface ContactSummary {
  total: number;
  byLanguage: Record<string, number>;
}

export interface RowError {
  row: number;
  column: string;
  columnLetter: string;
  reason: string;
  value?: string;
}

export interface ImportUpload {
  id: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  encoding: string;
  delimiter: string;
  headers: string[];
  mapping: Record<string, string>;
  /** The standard contact fields a column can be mapped to (the server's one list). */
  targets: string[];
  rows: number;
  validRows: number;
  errorCount: number;
  errors: RowError[];
}

export interface ImportProgress {
  id: string;
  status: string;
  processedRows: number;
  totalRows: number;
}

export interface ImportResult {
  imported: number;
  created: number;
  updated: number;
  duplicatesInFile: number;
  skippedRows: number;
  fieldsCreated: number;
}

export type ProfileFieldType = 'text' | 'number' | 'date' | 'choice';

export interface ProfileField {
  key: string;
  type: ProfileFieldType;
  label: Localized;
  options?: string[];
  /** OBLIGATIONS ACC-2: analysts and viewers may break results down by a grouping field. */
  grouping?: boolean;
}

export type Lang = 'nl' | 'en';
export interface Localized {
  nl: string;
  en: string;
}

export type SurveyKind = 'nps' | 'enps' | 'csat' | 'ces' | 'custom';
export type QuestionType =
  'nps' | 'enps' | 'csat' | 'ces' | 'rating' | 'single' | 'multiple' | 'text' | 'number' | 'date';
export type Anonymity = 'identified' | 'confidential' | 'anonymous';
export interface Condition {
  question: string;
  op: 'equals' | 'oneOf' | 'gte' | 'lte';
  value: number | string | Array<number | string>;
}
export interface Question {
  id: string;
  type: QuestionType;
  required: boolean;
  text: Localized;
  help?: Localized;
  newPage?: boolean;
  showIf?: Condition;
  min?: number;
  max?: number;
  minLabel?: Localized;
  maxLabel?: Localized;
  options?: Array<{ value: string; label: Localized }>;
  maxLength?: number;
  integer?: boolean;
}
export interface SurveyDefinition {
  questions: Question[];
  invitation: { subject: Localized; body: Localized };
  thanks: Localized;
}
export interface Survey {
  id: string;
  name: string;
  kind: SurveyKind;
  status: string;
  defaultLanguage: Lang;
  definition: SurveyDefinition;
  anonymity: Anonymity;
  minGroupSize: number;
  openLink: { enabled: boolean; oncePerBrowser: boolean; url: string | null };
  responses: number;
  createdAt: string;
  /** Issue 14: when archived (hidden from the list); null or absent: not archived. */
  archivedAt?: string | null;
}

export interface DistributionCounts {
  total: number;
  queued: number;
  sent: number;
  failed: number;
  opened: number;
  responded: number;
  suppressed?: number;
  reminded?: number;
}

export interface Distribution {
  id: string;
  surveyId: string;
  createdAt: string;
  counts: DistributionCounts;
  kind?: 'selection' | 'api';
  status?: 'scheduled' | 'sending' | 'cancelled';
  sendAt?: string | null;
  templateId?: string | null;
  reminderTemplateId?: string | null;
  reminders?: { max: number; intervalDays: number };
}

export type FilterOp = 'eq' | 'neq' | 'in' | 'notIn' | 'gt' | 'gte' | 'lt' | 'lte' | 'exists' | 'missing';
export interface SelectionFilter {
  field: string;
  op: FilterOp;
  value?: string | number | (string | number)[];
}
export interface Selection {
  match: 'all' | 'any';
  filters: SelectionFilter[];
}
export interface SkippedBy {
  alreadyInvited: number;
  suppressed: number;
  throttled: number;
  notFound: number;
}
export interface EmailTemplate {
  id: string;
  kind: 'invitation' | 'reminder';
  name: string;
  subject: { nl: string; en: string };
  body: { nl: string; en: string };
  isDefault: boolean;
  updatedAt: string;
}
export interface RenderedMail {
  to: string;
  language: 'nl' | 'en';
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}
export interface Suppression {
  id: string;
  email?: string | null;
  reason: 'unsubscribed' | 'erased' | 'bounced' | 'manual';
  source: string;
  createdAt: string;
}

export interface Invitation {
  id: string;
  contactId: string;
  email?: string;
  status: 'queued' | 'sent' | 'failed' | 'suppressed';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  /** Whether the contact answered: for confidential and anonymous surveys, the only participation shown. */
  responded: boolean;
  /** Null for confidential and anonymous surveys (OBLIGATIONS SVC-4: no time to match with a response). */
  respondedAt: string | null;
  /** Null for an answered invitation of a confidential or anonymous survey. */
  remindersSent: number | null;
  lastRemindedAt: string | null;
}

export interface Share {
  count: number;
  percent: number;
}

export interface Results {
  surveyId: string;
  invited: number;
  responses: number;
  responseRate: number;
  /** The key score as itself (NPS, eNPS, CSAT, CES or rating). */
  keyScore: KeyScore | null;
  /** Deprecated: NPS/eNPS only (null otherwise). */
  nps: number | null;
  promoters: Share | null;
  passives: Share | null;
  detractors: Share | null;
  scores: number[];
  smallBase: number;
  /** Confidential and anonymous surveys: the responses the numbers cover (whole release steps). */
  released: number | null;
  nextRelease: number | null;
  trendInterval: TrendInterval | 'step';
  /** Per period; per release step (from … day) for confidential and anonymous surveys. */
  trend: TrendPoint[];
  comparison: TrendComparison | null;
  comments: Comment[];
  labelling: LabelResults;
  anonymity: Anonymity;
  minGroupSize: number | null;
  hidden: boolean;
  questions: QuestionResult[];
  breakdown: {
    field: string;
    minGroupSize: number | null;
    groups: Array<{ value: string | null; responses: number; mean: number | null; nps: number | null }>;
    hiddenGroups: number;
    released?: number | null;
  } | null;
}

export interface QuestionResult {
  id: string;
  type: QuestionType;
  text: Localized;
  answered: number | null;
  distribution: Array<{ value: string | number; label?: Localized; count: number; percent?: number }>;
  mean: number | null;
  nps?: number | null;
  promoters?: number;
  passives?: number;
  detractors?: number;
  satisfiedPercent?: number | null;
  /** Shielded surveys: fewer than minGroupSize released respondents answered; only the count is shown. */
  suppressed?: boolean;
  scale?: ScaleSummary;
  number?: NumberResult;
  comments?: QuestionComments;
  smallBase?: boolean;
}

export type Sentiment = 'positive' | 'negative' | 'neutral' | 'mixed';
export const SENTIMENTS: Sentiment[] = ['positive', 'negative', 'neutral', 'mixed'];
export type SentimentCounts = Record<Sentiment, number>;

export interface Comment {
  id: string;
  score: number | null;
  category: string | null;
  comment: string;
  /** null for confidential and anonymous surveys */
  submittedAt: string | null;
  labels: string[];
  sentiment: Sentiment | null;
  labelSource: 'model' | 'external' | 'human' | null;
}

export interface LabelResults {
  enabled: boolean;
  taxonomy: 'customer' | 'employee' | 'own';
  labelled: number;
  sentiment: SentimentCounts;
  labels: Array<{ id: string; name: Localized; retired: boolean; count: number; sentiment: SentimentCounts }>;
}

export interface Label {
  id: string;
  standard: boolean;
  name: Localized;
  definition: Localized;
  status: 'active' | 'retired';
  retiredAt: string | null;
}

export type LabellingStatus = 'off' | 'active' | 'blocked_by_operator' | 'switched_off_for_all' | 'quota_reached';

export interface LabellingState {
  enabled: boolean;
  active: boolean;
  status: LabellingStatus;
  taxonomy: 'customer' | 'employee' | 'own';
  allowExternalProvider: boolean;
  externalProvider: { configured: boolean; name: string | null; inUse: boolean };
  terms: { version: string; hash: string; text: Localized };
  acceptance: {
    termsVersion: string;
    termsHash: string;
    acceptedBy: { id: string; name: string | null };
    acceptedAt: string;
    current: boolean;
  } | null;
  operator: { blocked: boolean; reason: string | null; changedAt: string | null };
  global: { enabled: boolean; reason: string | null; changedAt: string };
  quota: {
    month: string;
    monthly: number;
    used: number;
    external: number;
    remaining: number;
    reachedAt: string | null;
  };
}

export interface OperatorLabelling {
  global: { enabled: boolean; reason: string | null; changedAt: string };
  externalProvider: { configured: boolean; name: string | null };
  defaultMonthlyQuota: number;
  month: string;
  tenants: Array<{
    tenantId: string;
    name: string;
    slug: string;
    enabled: boolean;
    allowExternalProvider: boolean;
    blocked: boolean;
    reason: string | null;
    monthlyQuota: number | null;
    used: number;
    external: number;
  }>;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: string;
  createdAt: string;
  /** Locked after repeated failed sign-ins, until this time; null when not locked. */
  lockedUntil: string | null;
  /** Whether an authenticator app is set up. */
  secondFactor: boolean;
}

export interface OutboxMessage {
  id: string;
  createdAt: string;
  kind: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  status: string;
  createdAt: string;
}

export interface SecondFactorSetup {
  secret: string;
  uri: string;
  qrSvg: string;
}

export interface SupportGrant {
  id: string;
  scope: SupportScope;
  reason: string;
  /** User id of the owner who gave it. */
  grantedBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  active: boolean;
  uses: number;
  lastUsedAt: string | null;
}

export interface SupportUse {
  at: string;
  grantId: string | null;
  operatorId: string | null;
  action: string;
  path: string | null;
}

/** What the operator sees of a customer's active grants (no personal data). */
export interface OperatorGrant {
  id: string;
  scope: SupportScope;
  reason: string;
  expiresAt: string;
}

/** GET /api/v1/surveys/{id}/groupings (issue 12: breakdowns and cross-tabs). */
export interface Groupings {
  surveyId: string;
  anonymity: Anonymity;
  contact: Array<{ id: string; label: { nl: string; en: string }; allowed: boolean }>;
  profile: Array<{ id: string; label: { nl: string; en: string }; allowed: boolean; grouping: boolean }>;
  answers: Array<{ id: string; label: { nl: string; en: string }; overlapping: boolean }>;
  questions: Array<{ id: string; type: string; text: { nl: string; en: string } }>;
  crossTabs: boolean;
  released: string | null;
}

export interface BreakdownGroup {
  value: string | null;
  label: { nl: string; en: string };
  n: number;
  answered: number;
  mean: number | null;
  meanInterval: { low: number; high: number } | null;
  nps?: number | null;
  npsMargin?: number | null;
  shares: Array<{ category: string; label: { nl: string; en: string }; count: number; percent: number }>;
  percent?: { category: string; value: number; low: number; high: number } | null;
  smallBase: boolean;
}

/** GET /api/v1/surveys/{id}/breakdown?by= (without question). */
export interface BreakdownTable {
  surveyId: string;
  grouping: {
    id: string;
    kind: 'contact' | 'profile' | 'answer';
    label: { nl: string; en: string };
    overlapping: boolean;
  };
  score: { kind: 'nps' | 'enps' | 'csat' | 'ces' | 'rating'; name: { nl: string; en: string } } | null;
  minGroupSize: number | null;
  groups: BreakdownGroup[];
  hiddenGroups: number;
  released: number | null;
}

/** GET /api/v1/surveys/{id}/breakdown?by=&question= */
export interface CrossTabTable {
  surveyId: string;
  grouping: BreakdownTable['grouping'];
  question: { id: string; type: string; text: { nl: string; en: string } };
  minGroupSize: number | null;
  columns: Array<{
    value: string | null;
    label: { nl: string; en: string };
    n: number;
    mean?: number | null;
    meanInterval?: { low: number; high: number } | null;
    smallBase: boolean;
  }>;
  rows: Array<{
    value: string;
    label: { nl: string; en: string };
    cells: Array<{ count: number | null; percent: number | null }>;
  }>;
  hiddenGroups: number;
  hiddenCells: number;
}

/** Issue 12: a survey's label set and its open questions (GET /api/v1/surveys/:id/label-set). */
export type LabelSetName = 'customer' | 'employee' | 'own';
export interface SurveyLabelSet {
  surveyId: string;
  set: LabelSetName;
  chosen: boolean;
  default: LabelSetName;
  openQuestions: string[];
}

// ------------------------------------------------------------------ results (issue 12)

export type TrendInterval = 'day' | 'week' | 'month' | 'quarter';
export interface Interval {
  low: number;
  high: number;
}

export interface ScaleSummary {
  kind: 'nps' | 'enps' | 'csat' | 'ces' | 'rating';
  name: Localized;
  unit: 'nps' | 'percent' | 'mean';
  value: number | null;
  margin: number | null;
  interval: Interval | null;
  lowerIsBetter: boolean;
  mean: number | null;
  meanInterval: Interval | null;
  share: { category: string; percent: number; interval: Interval | null } | null;
  groups: Array<{ category: string; name: Localized; range: string; count: number; percent: number }>;
  distribution: Array<{ value: number; count: number; percent: number }>;
  n: number;
  smallBase: boolean;
}

export interface KeyScore extends ScaleSummary {
  questionId: string;
}

export interface TrendChange {
  delta: number;
  z: number | null;
  significant: boolean;
}

export interface TrendPoint {
  day: string;
  from?: string;
  to?: string;
  period: string;
  complete: boolean;
  responses: number;
  n: number;
  value: number | null;
  margin: number | null;
  nps: number | null;
  change: TrendChange | null;
}

export interface TrendComparison extends TrendChange {
  previous: string;
  last: string;
  previousValue: number | null;
  lastValue: number | null;
}

export interface NumberResult {
  n: number;
  mean: number | null;
  meanInterval: Interval | null;
  margin: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  bins: Array<{ from: number; to: number; count: number; percent: number }>;
}

export interface QuestionComments {
  count: number;
  complete: boolean;
  items: Array<{
    id: string;
    comment: string;
    submittedAt: string | null;
    labels?: string[];
    sentiment?: Sentiment | null;
    labelSource?: 'model' | 'external' | 'human' | null;
  }>;
  /** this open question's labels (issue 12) */
  labelling?: LabelResults;
}

// ---------------------------------------------------------------- follow-ups (issue 12, closed loop)

export type FollowUpStatus = 'open' | 'in_progress' | 'done';

export interface AlertRule {
  active: boolean;
  trigger: 'unhappy' | 'threshold';
  threshold: number | null;
  assigneeId: string | null;
  notifyEmail: boolean;
  notifyWebhooks: boolean;
  dueHours: number;
  appliesFrom: string;
  updatedAt: string;
}

export interface AlertSettings {
  surveyId: string;
  eligible: boolean;
  reason: string | null;
  keyScore: { kind: string; name: Localized; unhappy: Localized } | null;
  rule: AlertRule | null;
  candidates: Array<{ id: string; name: string; email: string; role: string; seesContacts: boolean }>;
}

export interface FollowUp {
  id: string;
  surveyId: string;
  surveyName: string;
  responseId: string;
  contactId: string | null;
  status: FollowUpStatus;
  owner: { id: string; name: string } | null;
  answeredAt: string;
  dueAt: string;
  overdue: boolean;
  createdAt: string;
  startedAt: string | null;
  doneAt: string | null;
  score: number | null;
  category: Localized | null;
  mail: 'none' | 'pending' | 'sent' | 'failed';
}

export interface FollowUpDetail extends FollowUp {
  contact: {
    email: string | null;
    firstName: string | null;
    infix: string | null;
    lastName: string | null;
    phone: string | null;
  } | null;
  answers: Array<{
    questionId: string;
    text: Localized;
    value: number | string | string[];
    label: string | null;
  }> | null;
  notes: Array<{ at: string; by: string; byName: string | null; text: string }> | null;
  access: { contact: boolean; answers: boolean; notes: boolean; update: boolean };
}

export interface FollowUpSummary {
  applicable: boolean;
  total: number;
  open: number;
  inProgress: number;
  done: number;
  doneWithinDue: number;
  overdue: number;
  medianHoursToDone: number | null;
}

// ---------------------------------------------------------------- publications (issue 13, BEN-2)

export type PublicationKind = 'page' | 'widget' | 'badge';
export interface PublicationOptions {
  kinds: PublicationKind[];
  showResponses: boolean;
  showTrend: boolean;
  questions: string[];
  title: Localized | null;
}
export interface PublicContent {
  v: 1;
  org: string;
  title: Localized;
  asOf: string;
  shown: boolean;
  minGroupSize: number;
  responses: number | null;
  keyScore: {
    kind: string;
    name: Localized;
    unit: 'nps' | 'percent' | 'mean';
    value: number | null;
    margin: number | null;
    lowerIsBetter: boolean;
    groups: Array<{ category: string; name: Localized; range: string; percent: number }>;
  } | null;
  trend: Array<{
    period: string;
    from: string;
    to: string;
    complete: boolean;
    n: number | null;
    value: number | null;
  }> | null;
  questions: Array<{
    id: string;
    text: Localized;
    suppressed: boolean;
    answered: number | null;
    distribution: Array<{ label: Localized; percent: number }>;
  }>;
}
export interface PublicationPreview {
  content: PublicContent;
  sha256: string;
  rendered: Record<'nl' | 'en', { page: string; widget: string; badge: string }>;
}
export interface Publication extends Omit<PublicationOptions, 'title'> {
  id: string;
  surveyId: string;
  status: 'published' | 'withdrawn';
  title: Localized | null;
  sha256: string;
  content: PublicContent;
  publishedAt: string;
  createdAt: string;
  createdBy: string | null;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  urls: { page: string | null; widget: string | null; badge: string | null };
  embed: { iframe: string | null; img: string | null };
}

// ---------------------------------------------------------------- plans and usage (SVC-6, issue 13)

export type UsageMetric = 'contacts' | 'responses' | 'surveys' | 'users' | 'labelled';

export interface UsageLine {
  metric: UsageMetric;
  period: string;
  used: number;
  limit: number | null;
  planLimit: number | null;
  extensions: number;
  percent: number | null;
}

export interface PlanExtension {
  id: string;
  metric: UsageMetric;
  extra: number;
  validFrom: string;
  validUntil: string;
  reason: string;
  active: boolean;
  createdAt: string;
}

export interface Usage {
  plan: { id: string; name: string; since: string; features: { ai: boolean; api: boolean } } | null;
  lines: UsageLine[];
  extensions: PlanExtension[];
}

export interface Plan {
  id: string;
  name: string;
  limits: Record<UsageMetric, number | null>;
  features: { ai: boolean; api: boolean };
  customers: number;
  createdAt: string;
  updatedAt: string;
}

/** Issue 16 (LOG-3): a signed head of the audit log that went out to the customer. */
export interface AuditAnchor {
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
  channel: 'download' | 'mail';
  sentTo: 'privacy_contact' | 'owners' | null;
  recipients: number;
  userId: string | null;
}

export interface AuditAnchors {
  current: { seq: number };
  anchorDays: number;
  signingKey: { keyId: string; publicKey: string };
  lastMailed: AuditAnchor | null;
  anchors: AuditAnchor[];
}

export interface AuditHeadCheck {
  seq: number;
  signedAt: string;
  keyId: string;
  currentKey: boolean;
  outcome: 'matches' | 'pruned' | 'failed';
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  fromSeq: number | null;
  toSeq: number | null;
  problem: { kind: string; seq: number | null; id: number | null; message: string } | null;
  heads?: AuditHeadCheck[];
}

// ---------------------------------------------------------------- benchmark (issue 13, BEN-1)

export type BenchmarkKind = 'nps' | 'enps' | 'csat' | 'ces';

export interface BenchmarkRules {
  minCustomers: number;
  minRespondents: number;
  dominanceOnePercent: number;
  dominanceTwoPercent: number;
  quartileMinCustomers: number;
}

export interface BenchmarkPosition {
  sector: { code: string; name: { nl: string; en: string } };
  kind: BenchmarkKind;
  name: { nl: string; en: string };
  unit: 'nps' | 'percent' | 'mean';
  lowerIsBetter: boolean;
  period: string;
  own: { value: number | null; margin: number | null; n: number } | null;
  ownHidden: 'shielded' | null;
  benchmark:
    | {
        published: true;
        customers: number;
        respondents: number;
        value: number | null;
        margin: number | null;
        interval: { low: number; high: number } | null;
        quartiles: { q1: number; median: number; q3: number } | null;
        percentile: number | null;
      }
    | { published: false; reason: { nl: string; en: string } };
}

export interface BenchmarkView {
  sector: { code: string; name: { nl: string; en: string } } | null;
  rules: BenchmarkRules;
  positions: BenchmarkPosition[];
}

export interface OperatorBenchmark {
  rules: BenchmarkRules;
  sectors: Array<{ code: string; name: { nl: string; en: string }; customers: number }>;
  customers: Array<{ id: string; name: string; slug: string; status: string; sector: string | null }>;
  cells: Array<{
    sector: string;
    kind: BenchmarkKind;
    period: string;
    customers: number;
    respondents: number;
    published: boolean;
    reason: 'customers' | 'respondents' | 'dominance' | null;
    value: number | null;
    margin: number | null;
    quartiles: { q1: number; median: number; q3: number } | null;
  }>;
}
