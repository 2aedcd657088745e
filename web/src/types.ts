/**
 * Shapes of the API's answers, as the admin app uses them: named views of web/src/api.gen.ts, which is
 * generated from the OpenAPI document the server serves (issue 15: one source of truth). Nothing here
 * is typed by hand but the few constants the pages list; a change to a route's schema reaches the
 * pages through `npm run api:types`, and `tsc -p web` then shows every page it affects.
 */
import type { components, paths } from './api.gen';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Success<R> = R extends { 200: infer A }
  ? A
  : R extends { 201: infer A }
    ? A
    : R extends { 202: infer A }
      ? A
      : never;
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/** The JSON answer (200, 201 or 202) of an operation. */
export type Answer<P extends keyof paths, M extends Method = 'get'> = Json<
  Success<Operation<P, M> extends { responses: infer R } ? R : never>
>;
/** The JSON body an operation takes. */
export type Body<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;
type Item<T> = T extends ReadonlyArray<infer E> ? E : never;

// ---------------------------------------------------------------- errors

/** Every API error is RFC 9457 problem+json. */
/** A type's named properties, without its index signature. */
type Known<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
type ServerProblem = Known<components['schemas']['Problem']>;
export type Problem = Omit<ServerProblem, 'code'> & {
  /** The server's codes, and the app's own for a failure before an answer (network_error, client_error, ...). */
  code: ServerProblem['code'] | 'network_error' | 'unexpected_response' | 'client_error';
  [key: string]: unknown;
};
export type ProblemItem = Item<NonNullable<Problem['errors']>>;

// ---------------------------------------------------------------- people and access

export type Me = Answer<'/api/v1/auth/me'>;
export type User = Item<Answer<'/api/v1/users'>['users']>;
export type Role = User['role'];
export const ROLES: readonly Role[] = ['owner', 'admin', 'analyst', 'viewer'];
export type SecondFactorSetup = Answer<'/api/v1/auth/second-factor/setup', 'post'>;
export type SupportGrant = Item<Answer<'/api/v1/support-access'>['grants']>;
export type SupportUse = Item<Answer<'/api/v1/support-access'>['uses']>;
export type SupportScope = SupportGrant['scope'];
export type OperatorGrant = Item<Answer<'/api/v1/operator/tenants/{id}/support-grants'>['grants']>;
export type Tenant = Item<Answer<'/api/v1/operator/tenants'>['tenants']>;
export type OutboxMessage = Item<Answer<'/api/v1/outbox'>['messages']>;

// ---------------------------------------------------------------- contacts

export type Contact = Answer<'/api/v1/contacts/{id}'>;
export type ContactPage = Answer<'/api/v1/contacts'>;
export type ContactSummary = Answer<'/api/v1/contacts/summary'>;
export type ImportUpload = Answer<'/api/v1/contact-imports', 'post'>;
export type RowError = Item<ImportUpload['errors']>;
export type ImportProgress = Answer<'/api/v1/contact-imports/{id}'>;
export type ImportResult = Answer<'/api/v1/contact-imports/{id}/commit', 'post'>;
export type ProfileField = Item<Answer<'/api/v1/profile-fields'>['fields']>;
export type ProfileFieldType = ProfileField['type'];
export type Suppression = Item<Answer<'/api/v1/suppressions'>['suppressions']>;

// ---------------------------------------------------------------- surveys and sending

export type Survey = Answer<'/api/v1/surveys/{id}'>;
export type SurveyKind = Survey['kind'];
export type Anonymity = Survey['anonymity'];
export type SurveyDefinition = Survey['definition'];
export type Question = Item<SurveyDefinition['questions']>;
export type QuestionType = Question['type'];
export type Condition = NonNullable<Question['showIf']>;
type KeysOf<U> = U extends unknown ? keyof U : never;
type ValueOf<U, K extends PropertyKey> = U extends { [P in K]?: infer V } ? V : never;
/**
 * A question while the editor holds it: the server's Question is a union with each type's own fields
 * (min/max for a rating, options for a choice, ...); a draft may carry any of them, and the editor's
 * clean() keeps those of its type before it is saved (the server checks the result).
 */
export type DraftQuestion = { [K in KeysOf<Question>]?: ValueOf<Question, K> } & {
  id: string;
  type: QuestionType;
  required: boolean;
  text: Localized;
};
export type Localized = Question['text'];
export type Lang = keyof Localized;
export type Distribution = Item<Answer<'/api/v1/surveys/{id}/distributions'>['distributions']>;
export type Selection = NonNullable<Body<'/api/v1/surveys/{id}/distributions', 'post'>['selection']>;
export type SelectionFilter = Item<Selection['filters']>;
export type FilterOp = SelectionFilter['op'];
export type SkippedBy = Answer<'/api/v1/surveys/{id}/distributions/preview', 'post'>['skippedBy'];
export type EmailTemplate = Item<Answer<'/api/v1/email-templates'>['templates']>;
export type RenderedMail = Answer<'/api/v1/email-templates/preview', 'post'>;
export type Invitation = Item<Answer<'/api/v1/surveys/{id}/invitations'>['invitations']>;

// ---------------------------------------------------------------- results (issue 12)

export type Results = Answer<'/api/v1/surveys/{id}/results'>;
export type KeyScore = NonNullable<Results['keyScore']>;
export type TrendInterval = Exclude<Results['trendInterval'], 'step'>;
export type TrendPoint = Item<Results['trend']>;
export type QuestionResult = Item<Results['questions']>;
export type Comment = Item<Results['comments']>;
export type LabelResults = Results['labelling'];
export type SentimentCounts = LabelResults['sentiment'];
export type Sentiment = keyof SentimentCounts;
export const SENTIMENTS: Sentiment[] = ['positive', 'negative', 'neutral', 'mixed'];
export type Groupings = Answer<'/api/v1/surveys/{id}/groupings'>;
type Breakdown = Answer<'/api/v1/surveys/{id}/breakdown'>;
/** GET /api/v1/surveys/{id}/breakdown?by= (without question). */
export type BreakdownTable = Extract<Breakdown, { groups: unknown }>;
export type BreakdownGroup = Item<BreakdownTable['groups']>;
/** GET /api/v1/surveys/{id}/breakdown?by=&question= */
export type CrossTabTable = Extract<Breakdown, { rows: unknown }>;

// ---------------------------------------------------------------- labelling

export type Label = Item<Answer<'/api/v1/labels'>['labels']>;
export type LabellingState = Answer<'/api/v1/labelling'>;
export type OperatorLabelling = Answer<'/api/v1/operator/labelling'>;
export type SurveyLabelSet = Answer<'/api/v1/surveys/{id}/label-set'>;
export type LabelSetName = SurveyLabelSet['set'];

// ---------------------------------------------------------------- follow-ups (issue 12, closed loop)

export type AlertSettings = Answer<'/api/v1/surveys/{id}/alert-rule'>;
export type FollowUp = Item<Answer<'/api/v1/follow-ups'>['followUps']>;
export type FollowUpStatus = FollowUp['status'];
export type FollowUpDetail = Answer<'/api/v1/follow-ups/{id}'>;
export type FollowUpSummary = Answer<'/api/v1/surveys/{id}/follow-ups/summary'>;

// ---------------------------------------------------------------- publications (issue 13, BEN-2)

export type Publication = Item<Answer<'/api/v1/surveys/{id}/publications'>['publications']>;
export type PublicationKind = Item<Publication['kinds']>;
/** What a publication shows (the body of a preview; publishing adds the preview's sha256). */
export type PublicationOptions = Required<Omit<Body<'/api/v1/surveys/{id}/publications', 'post'>, 'sha256'>>;
export type PublicationPreview = Answer<'/api/v1/surveys/{id}/publications/preview', 'post'>;

// ---------------------------------------------------------------- plans and usage (SVC-6, issue 13)

export type Usage = Answer<'/api/v1/usage'>;
export type UsageLine = Item<Usage['lines']>;
export type UsageMetric = UsageLine['metric'];
export type Plan = Item<Answer<'/api/v1/operator/plans'>['plans']>;

// ---------------------------------------------------------------- the audit log (LOG-3)

export type AuditAnchors = Answer<'/api/v1/audit/anchors'>;
export type AuditAnchor = Item<AuditAnchors['anchors']>;
export type AuditVerification = Answer<'/api/v1/audit/verification', 'post'>;

// ---------------------------------------------------------------- benchmark (issue 13, BEN-1)

export type BenchmarkView = Answer<'/api/v1/benchmark'>;
export type BenchmarkPosition = Item<BenchmarkView['positions']>;
export type BenchmarkRules = BenchmarkView['rules'];
export type OperatorBenchmark = Answer<'/api/v1/operator/benchmark'>;
