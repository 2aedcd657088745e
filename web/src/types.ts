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
}

export type Lang = 'nl' | 'en';
export interface Localized {
  nl: string;
  en: string;
}

export interface Survey {
  id: string;
  name: string;
  kind: 'nps';
  status: string;
  defaultLanguage: Lang;
  definition: {
    questions: Array<{ id: string; type: string; required: boolean; text: Localized }>;
    invitation: { subject: Localized; body: Localized };
    thanks: Localized;
  };
  createdAt: string;
}

export interface DistributionCounts {
  total: number;
  queued: number;
  sent: number;
  failed: number;
  opened: number;
  responded: number;
}

export interface Distribution {
  id: string;
  surveyId: string;
  createdAt: string;
  counts: DistributionCounts;
}

export interface Invitation {
  id: string;
  contactId: string;
  status: string;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  respondedAt: string | null;
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
  nps: number | null;
  promoters: Share;
  passives: Share;
  detractors: Share;
  scores: number[];
  trend: Array<{ day: string; responses: number; nps: number | null }>;
  comments: Comment[];
  labelling: LabelResults;
}

export type Sentiment = 'positive' | 'negative' | 'neutral' | 'mixed';
export const SENTIMENTS: Sentiment[] = ['positive', 'negative', 'neutral', 'mixed'];
export type SentimentCounts = Record<Sentiment, number>;

export interface Comment {
  id: string;
  score: number | null;
  category: string | null;
  comment: string;
  submittedAt: string;
  labels: string[];
  sentiment: Sentiment | null;
  labelSource: 'model' | 'external' | 'human' | null;
}

export interface LabelResults {
  enabled: boolean;
  taxonomy: 'customer' | 'employee';
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
  taxonomy: 'customer' | 'employee';
  allowExternalProvider: boolean;
  externalProvider: { configured: boolean; name: string | null; inUse: boolean };
  terms: { version: string; hash: string; text: Localized };
  acceptance: { termsVersion: string; termsHash: string; acceptedBy: { id: string; name: string | null }; acceptedAt: string; current: boolean } | null;
  operator: { blocked: boolean; reason: string | null; changedAt: string | null };
  global: { enabled: boolean; reason: string | null; changedAt: string };
  quota: { month: string; monthly: number; used: number; external: number; remaining: number; reachedAt: string | null };
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
