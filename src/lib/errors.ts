import { DEFAULT_LANGUAGE, translate, type Language, type Localized, type Message } from './i18n.js';

/**
 * One error type and one error format for the whole application (Formbricks ended up with three,
 * issue #235). Every failure a client can see is an AppError with a code from this enum; the HTTP
 * layer turns it into RFC 9457 problem+json using the table below.
 */
export const ErrorCode = {
  BAD_REQUEST: 'bad_request',
  VALIDATION: 'validation_failed',
  INVALID_FILE: 'invalid_file',
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
  /** OBLIGATIONS SVC-6: a plan's limit (or a feature it lacks); the problem names the limit, plan, usage and what was asked. */
  LIMIT_REACHED: 'limit_reached',
  GONE: 'gone',
  PAYLOAD_TOO_LARGE: 'payload_too_large',
  URI_TOO_LONG: 'uri_too_long',
  HEADERS_TOO_LARGE: 'headers_too_large',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported_media_type',
  RATE_LIMITED: 'rate_limited',
  INTERNAL: 'internal_error',
  UNAVAILABLE: 'unavailable',
  /** OBLIGATIONS SEC-2: the database is away (restart, failover, network); sent with Retry-After. */
  DATABASE_UNAVAILABLE: 'database_unavailable',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const httpStatusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  invalid_file: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  // 409, not 403 or 429: the user may do this and need not wait; the request conflicts with the
  // customer's current usage and plan, and succeeds once something is removed or the plan extended.
  limit_reached: 409,
  gone: 410,
  payload_too_large: 413,
  uri_too_long: 414,
  headers_too_large: 431,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
  database_unavailable: 503,
};

/** English titles, for logs and code that reads `err.title`; problems sent to clients take theirs from /locales/<lng>/problems.json. */
const titles: Record<ErrorCode, string> = {
  bad_request: 'Bad request',
  validation_failed: 'Validation failed',
  invalid_file: 'The file cannot be imported',
  unauthenticated: 'Sign-in required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  limit_reached: 'Plan limit reached',
  gone: 'Gone',
  payload_too_large: 'Payload too large',
  uri_too_long: 'URI too long',
  headers_too_large: 'Request header fields too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  internal_error: 'Internal error',
  unavailable: 'Service unavailable',
  database_unavailable: 'Database unavailable',
};

/** One problem inside a request: a field path, or a row and column of an uploaded file. */
export interface ProblemItem {
  pointer?: string;
  row?: number;
  column?: string;
  columnLetter?: string;
  reason: string;
  /** The offending value, shown to the user who sent it (never logged). */
  value?: string;
  /** What kind of problem, stable across languages (a file row's: email_invalid, …). */
  code?: string;
  /** `reason` as a catalogue message: sent in the client's language instead of `reason` (which stays English). */
  message?: Message;
  /** `reason` written by a library in the client's language (zod's own locales); never sent itself. */
  localized?: Localized;
}

/** What AppError.notFound names (each has a message in /locales/<lng>/problems.json, notFound.<key>). */
const NOT_FOUND_KEYS = {
  customer: 'customer',
  contact: 'contact',
  'sub-processor': 'subProcessor',
  survey: 'survey',
  user: 'user',
  webhook: 'webhook',
  template: 'template',
  plan: 'plan',
  'follow-up': 'followUp',
  breach: 'breach',
  announcement: 'announcement',
  tenant: 'tenant',
  'sub-processor change': 'subProcessorChange',
  request: 'request',
  suppression: 'suppression',
  response: 'response',
  publication: 'publication',
  'profile field': 'profileField',
  distribution: 'distribution',
  delivery: 'delivery',
  'audit request': 'auditRequest',
  acceptance: 'acceptance',
  'API key': 'apiKey',
  'statement of deletion': 'statementOfDeletion',
  sector: 'sector',
  label: 'label',
  import: 'import',
  grant: 'grant',
  'customer key': 'customerKey',
  consent: 'consent',
  'audit entry': 'auditEntry',
  agreement: 'agreement',
  'active grant': 'activeGrant',
  resource: 'resource',
} as const;
export type NotFoundThing = keyof typeof NOT_FOUND_KEYS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors: ProblemItem[] | undefined;
  readonly extra: Record<string, unknown> | undefined;
  /** The detail as a catalogue message, shown in the client's language; `message` holds its English text. */
  readonly detailMessage: Message | undefined;
  /** HTTP headers sent with the problem (a 429's Retry-After and RateLimit-*). */
  readonly headers: Record<string, string> | undefined;

  /**
   * `detail` is either a catalogue message (key and arguments: translated by Accept-Language) or a
   * plain string (sent as it is; many are written "Nederlands / English").
   */
  constructor(
    code: ErrorCode,
    detail?: string | Message,
    opts: {
      errors?: ProblemItem[];
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(
      detail === undefined ? titles[code] : typeof detail === 'string' ? detail : translate('en', detail),
      opts.cause === undefined ? undefined : { cause: opts.cause },
    );
    this.name = 'AppError';
    this.code = code;
    this.errors = opts.errors;
    this.extra = opts.extra;
    this.detailMessage = typeof detail === 'object' ? detail : undefined;
    this.headers = opts.headers;
  }

  get status(): number {
    return httpStatusOf[this.code];
  }

  get title(): string {
    return titles[this.code];
  }

  static notFound(what: NotFoundThing = 'resource', name?: string): AppError {
    if (name !== undefined)
      return new AppError(ErrorCode.NOT_FOUND, { key: 'problems:customerNotFound', params: { name } });
    return new AppError(ErrorCode.NOT_FOUND, { key: `problems:notFound.${NOT_FOUND_KEYS[what]}` });
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ErrorCode;
  requestId?: string;
  errors?: ProblemItem[];
  [key: string]: unknown;
}

/** The problem as sent, its title and (for catalogue messages) its detail in `lng`. */
export function toProblem(
  err: AppError,
  instance?: string,
  requestId?: string,
  lng: Language = DEFAULT_LANGUAGE,
): Problem {
  return {
    type: `https://peil.dev/problems/${err.code}`,
    title: translate(lng, { key: `problems:titles.${err.code}` }),
    status: err.status,
    detail: err.detailMessage ? translate(lng, err.detailMessage) : err.message,
    code: err.code,
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
    ...(err.errors ? { errors: err.errors.map((e) => localItem(e, lng)) } : {}),
    ...(err.extra ?? {}),
  };
}

/** An item as sent: its reason in `lng` when it has a catalogue message or a localized text. */
function localItem(item: ProblemItem, lng: Language): ProblemItem {
  if (!item.message && !item.localized) return item;
  const { message, localized, ...rest } = item;
  return { ...rest, reason: message ? translate(lng, message) : localized!(lng) };
}
