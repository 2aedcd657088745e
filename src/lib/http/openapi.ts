import { ErrorCode } from '../errors.js';

/**
 * The OpenAPI document is the contract (issue 15): valid for swagger-parser and `redocly lint`, and
 * complete without every route repeating it. Routes state what is theirs (summary, schemas, an
 * `operationId` where the derived one reads badly, `produces`/`consumes` for other media types,
 * doc-only answers in `config.openapi`); the rules here add the rest to every operation, so a new
 * route gets them without doing anything:
 *
 * - an `operationId` derived from method and path (`operationIdOf`), unless the route names one;
 * - `security` from the route's `config.access`: the session cookie (with the CSRF header on
 *   writes), and the Bearer API key with its scope where a key may hold the permission; none on
 *   public and respondent routes (the token in the path is the credential);
 * - the problem+json answers an operation can give: 400, 401 (with `WWW-Authenticate`), 403, 404,
 *   409, 415, 422, 429 (with `Retry-After` and `RateLimit-*`), 503 (with `Retry-After`) and
 *   `default`; HTML error pages on the respondent and publication pages;
 * - the `Idempotency-Key` header (and `Idempotent-Replayed` on the answer) where the idempotency
 *   hook honours it, and `Location` on every 201;
 * - HTML as the content of pages outside /api, and the media types a route `produces`.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Documentation only: answers the route gives that its runtime schema does not declare (HTML pages, redirects). */
    openapi?: { responses?: Record<string, DocResponse> };
  }
}

/** An answer as @fastify/swagger reads it from a route schema: a description, headers and content (or `type: 'null'`: none). */
export interface DocResponse {
  description: string;
  headers?: Record<string, Record<string, unknown>>;
  content?: Record<string, { schema: Record<string, unknown> }>;
  type?: 'null';
}

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The access declaration of a route (features/auth/access.ts), as far as the document needs it. */
type AccessLike = string | { permission: string } | undefined;

const accessName = (access: AccessLike): string | undefined =>
  typeof access === 'object' && access !== null ? 'permission' : access;
const permissionOf = (access: AccessLike): string | undefined =>
  typeof access === 'object' && access !== null ? access.permission : undefined;

const pascal = (word: string): string => (word ? word[0]!.toUpperCase() + word.slice(1) : word);
const wordsOf = (segment: string): string[] => segment.split(/[^A-Za-z0-9]+/).filter(Boolean);

/** The one-letter segments of the respondents' and the public's short links, as words. */
const PAGE_WORDS: Record<string, string> = {
  s: 'Respondent',
  o: 'Open',
  c: 'Customer',
  u: 'Unsubscribe',
  r: 'PrivacyRequest',
  p: 'Publication',
};

/**
 * The operationId a route gets unless it names one: the HTTP method, the path's words after /api/v1
 * in camelCase, and `By<Param>` when the path ends in a parameter. `GET /api/v1/surveys/{id}/results`
 * is `getSurveysResults`, `PATCH /api/v1/contacts/{id}` is `patchContactsById`, `GET /p/{token}/badge.svg`
 * is `getPublicationBadgeSvg` (the short links' letters are spelled out). With `allParams`, every parameter is named (used when two routes would collide).
 */
export function operationIdOf(method: string, path: string, allParams = false): string {
  const segments = path
    .replace(/^\/api\/v1(?=\/|$)/, '')
    .split('/')
    .filter(Boolean);
  const words: string[] = [];
  segments.forEach((segment, i) => {
    const param = /^[{:]([^}]+)\}?$/.exec(segment)?.[1];
    if (param === undefined)
      words.push(
        ...(PAGE_WORDS[segment] && !path.startsWith('/api/') ? [PAGE_WORDS[segment]] : wordsOf(segment).map(pascal)),
      );
    else if (allParams || i === segments.length - 1) words.push('By', ...wordsOf(param).map(pascal));
  });
  return method.toLowerCase() + words.join('');
}

/** Whether the idempotency hook (features/integrations/idempotency.ts) honours `Idempotency-Key` on this operation. */
export function acceptsIdempotencyKey(method: string, path: string, access: AccessLike): boolean {
  const a = accessName(access);
  return (
    method.toUpperCase() === 'POST' &&
    path.startsWith('/api/v1/') &&
    a !== 'public' &&
    a !== 'respondent' &&
    a !== 'operator'
  );
}

const isJson = (mediaType: string): boolean => /^application\/([\w.+-]+\+)?json$/.test(mediaType);
const isText = (mediaType: string): boolean =>
  mediaType.startsWith('text/') || mediaType === 'image/svg+xml' || mediaType === 'application/x-ndjson';

/** The schema of a non-JSON body in the document: text, or bytes. */
export const bodyOf = (mediaType: string): Json =>
  isText(mediaType) ? { type: 'string' } : { type: 'string', format: 'binary' };

export interface RouteFacts {
  method: string;
  url: string;
  access: AccessLike;
  /** Limited by @fastify/rate-limit (the route's `config.rateLimit`). */
  rateLimited: boolean;
  /** Permissions an API key may hold (lib/permissions.ts `apiKeyScopes`). */
  keyScopes: readonly string[];
  docResponses?: Record<string, DocResponse>;
}

/**
 * Per route (@fastify/swagger's `transform`, after the zod schemas became JSON Schema): security,
 * the facts the document-wide rules need (as `x-peil-*` extensions), `produces` as content and the
 * route's doc-only answers.
 */
export function describeRoute(schema: Json, route: RouteFacts): Json {
  const out: Json = { ...schema };
  const access = accessName(route.access);
  const permission = permissionOf(route.access);
  const write = !['GET', 'HEAD', 'OPTIONS'].includes(route.method.toUpperCase());
  const session = (scopes: string[]): Json => (write ? { session: scopes, csrf: [] } : { session: scopes });
  // Public routes need no sign-in; one that has its own credential (/metrics' METRICS_TOKEN) says so itself.
  if (access === 'public' || access === 'respondent') out.security = (schema.security as Json[] | undefined) ?? [];
  else if (access === 'operator') out.security = [session(['operator'])];
  else if (permission)
    out.security = [session([permission]), ...(route.keyScopes.includes(permission) ? [{ bearer: [permission] }] : [])];
  else out.security = [session([])];
  if (access) out['x-peil-access'] = permission ?? access;
  if (route.rateLimited || (permission && route.keyScopes.includes(permission))) out['x-peil-rate-limited'] = true;

  const response = { ...((out.response as Record<string, Json> | undefined) ?? {}) };
  const produces = out.produces as string[] | undefined;
  delete out.produces;
  if (produces?.some((t) => !isJson(t))) {
    const successes = Object.keys(response).filter((s) => /^2/.test(s));
    for (const status of successes.length ? successes : ['200']) {
      const declared = response[status];
      const jsonSchema = declared && !declared.content ? declared : {};
      response[status] = {
        description: (declared?.description as string | undefined) ?? 'The file',
        content: Object.fromEntries(produces.map((t) => [t, { schema: isJson(t) ? jsonSchema : bodyOf(t) }])),
      };
    }
  }
  for (const [status, r] of Object.entries(route.docResponses ?? {})) response[status] ??= r as unknown as Json;
  if (Object.keys(response).length) out.response = response;
  return out;
}

// ------------------------------------------------------------------ the document-wide rules

/** RFC 9457 problem details, as every error is sent (src/lib/errors.ts, src/lib/http/problem.ts). */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', description: 'https://peil.dev/problems/<code>' },
    title: { type: 'string' },
    status: { type: 'integer', description: 'the HTTP status' },
    detail: { type: 'string', description: 'what went wrong, for a person' },
    code: { type: 'string', enum: Object.values(ErrorCode), description: 'stable, for programs' },
    instance: { type: 'string', description: 'the request path' },
    requestId: { type: 'string', description: 'also in the x-request-id header; quote it when you contact support' },
    retryAfterSeconds: { type: 'integer', description: '429 and 503: the same as the Retry-After header' },
    errors: {
      type: 'array',
      description: 'where the request was wrong',
      items: {
        type: 'object',
        required: ['reason'],
        properties: {
          pointer: {
            type: 'string',
            description: 'JSON pointer into the request: /body/..., /query/..., /params/..., /headers/...',
          },
          row: { type: 'integer', description: 'uploaded files: the row (1 is the header row)' },
          column: { type: 'string', description: 'uploaded files: the column name' },
          columnLetter: { type: 'string', description: 'uploaded files: the spreadsheet column letter' },
          reason: {
            type: 'string',
            description: 'the problem in words, in the language of Accept-Language (Dutch unless English is asked)',
          },
          value: { type: 'string', description: 'the offending value, as sent' },
          code: {
            type: 'string',
            description:
              'what kind of problem, stable across languages (a schema check: too_small, invalid_type, ...; wrong_password, exists, taken, password_guess, url_scheme; a file row: email_invalid, ...)',
          },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: true,
};

const VALIDATION_PROBLEM_EXAMPLE = {
  type: 'https://peil.dev/problems/validation_failed',
  title: 'Validation failed',
  status: 422,
  detail: '2 problem(s) in 1 contact(s); nothing was stored.',
  code: 'validation_failed',
  instance: '/api/v1/contacts/batch',
  requestId: 'a5aeca45-7a64-4893-be8c-e06c7e557946',
  errors: [
    { pointer: '/body/contacts/1/email', reason: 'not a valid email address', value: 'jan.devries@' },
    {
      pointer: '/body/contacts/1/profile/in_dienst_sinds',
      reason: 'not a date (dd-mm-jjjj or jjjj-mm-dd)',
      value: '31-02-2021',
    },
  ],
  errorCount: 2,
};

const example = (
  code: ErrorCode,
  status: number,
  title: string,
  detail: string,
  instance = '/api/v1/surveys/ef336289-1817-4109-a948-c780be8dd4c6/results',
): Json => ({
  type: `https://peil.dev/problems/${code}`,
  title,
  status,
  detail,
  code,
  instance,
  requestId: '4c2d8e1f-6a3b-4d5c-9e7f-0a1b2c3d4e5f',
});

const problemContent = (ex: Json): Json => ({
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example: ex },
});
const seconds = (description: string): Json => ({ description, schema: { type: 'integer', minimum: 0 } });

/** Headers, parameters and answers every operation refers to. */
function components(): Json {
  return {
    headers: {
      Location: {
        description: 'The URL of what was created (201) or where to go next (303)',
        required: true,
        schema: { type: 'string' },
      },
      RetryAfter: seconds('Seconds to wait before trying again'),
      RateLimitLimit: seconds('Requests allowed in the current window'),
      RateLimitRemaining: seconds('Requests left in the current window (0 on a 429)'),
      RateLimitReset: seconds('Seconds until the window resets'),
      IdempotentReplayed: {
        description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
        schema: { type: 'string', enum: ['true'] },
      },
      WWWAuthenticate: {
        description:
          'The ways to authenticate: `Bearer realm="peil"` (with `error="invalid_token"` when a key was sent) where an API key may call the operation, and `Cookie realm="peil" form-action="/api/v1/auth/sign-in" cookie-name="peil_session"` for the session',
        required: true,
        schema: { type: 'string' },
      },
    },
    parameters: {
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Makes a retry safe: the same key with the same request within 24 hours gets the first answer again (with `Idempotent-Replayed: true`) and nothing runs twice; with a different request it is 422, while the first still runs 409.',
        schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
      },
    },
    responses: {
      BadRequest: {
        description:
          'The request cannot be read (a bad %-encoding in the URL, malformed JSON, both an API key and a session cookie, a bad header)',
        content: problemContent(
          example(
            ErrorCode.BAD_REQUEST,
            400,
            'Bad request',
            'Send either an API key (Authorization: Bearer) or a session cookie, not both.',
          ),
        ),
      },
      Unauthenticated: {
        description: 'Not signed in, or the API key is unknown, revoked or expired',
        headers: { 'WWW-Authenticate': { $ref: '#/components/headers/WWWAuthenticate' } },
        content: problemContent(
          example(ErrorCode.UNAUTHENTICATED, 401, 'Sign-in required', 'The API key is unknown, revoked or expired.'),
        ),
      },
      Forbidden: {
        description:
          "The role or the key's scopes lack the permission, the CSRF header is missing, or the request comes from another site",
        content: problemContent(example(ErrorCode.FORBIDDEN, 403, 'Not allowed', 'Your role does not allow this.')),
      },
      NotFound: {
        description: 'Nothing with this id in your organisation',
        content: problemContent(example(ErrorCode.NOT_FOUND, 404, 'Not found', 'No such survey.')),
      },
      Conflict: {
        description:
          'The state does not allow this now (a plan limit, a request with this Idempotency-Key still running, …)',
        content: problemContent(
          example(
            ErrorCode.CONFLICT,
            409,
            'Conflict',
            'A request with this Idempotency-Key is still being processed; retry in a moment.',
          ),
        ),
      },
      UnsupportedMediaType: {
        description: 'The body is not of a media type this operation accepts (JSON unless stated otherwise)',
        content: problemContent(
          example(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            415,
            'Unsupported media type',
            'This operation accepts application/json, not application/x-www-form-urlencoded.',
            '/api/v1/contacts',
          ),
        ),
      },
      ValidationProblem: {
        description: 'The request is not valid: `errors[]` has a JSON pointer and a reason per problem',
        content: problemContent(VALIDATION_PROBLEM_EXAMPLE),
      },
      TooManyRequests: {
        description: 'Rate-limited: wait `Retry-After` seconds',
        headers: {
          'Retry-After': { $ref: '#/components/headers/RetryAfter' },
          'RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
          'RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
          'RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
        },
        content: problemContent({
          ...example(
            ErrorCode.RATE_LIMITED,
            429,
            'Too many requests',
            'Too many requests with this API key; try again in 12 s.',
          ),
          retryAfterSeconds: 12,
        }),
      },
      Unavailable: {
        description:
          'The database cannot be reached at the moment (or the organisation is suspended): try again after `Retry-After` seconds',
        headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
        content: problemContent({
          ...example(
            ErrorCode.DATABASE_UNAVAILABLE,
            503,
            'Database unavailable',
            'The database cannot be reached at the moment. Try again in 5 s.',
          ),
          retryAfterSeconds: 5,
        }),
      },
      Problem: {
        description: 'Any other error, as RFC 9457 problem+json',
        content: problemContent(example(ErrorCode.NOT_FOUND, 404, 'Not found', 'No such survey.')),
      },
      HtmlError: {
        description: 'An error page (HTML, Dutch with English beside it)',
        content: { 'text/html': { schema: { type: 'string' } } },
      },
      HtmlTooManyRequests: {
        description: 'Rate-limited (per address): an error page; wait `Retry-After` seconds',
        headers: {
          'Retry-After': { $ref: '#/components/headers/RetryAfter' },
          'RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
          'RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
          'RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
        },
        content: { 'text/html': { schema: { type: 'string' } } },
      },
    },
  };
}

interface Operation {
  operationId?: string;
  security?: Json[];
  parameters?: { in: string; name?: string; $ref?: string }[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<
    string,
    { $ref?: string; description?: string; headers?: Json; content?: Record<string, unknown> }
  >;
  [key: string]: unknown;
}

const ref = (name: string): Json => ({ $ref: `#/components/responses/${name}` });

/**
 * The document-wide rules (@fastify/swagger's `transformObject`): servers, the shared components,
 * unique operationIds and on every operation its problem answers and headers.
 */
export function finishDocument(doc: Json, opts: { baseUrl: string }): Json {
  doc.servers = [{ url: opts.baseUrl.replace(/\/+$/, ''), description: 'This installation of Peil' }];
  const shared = components() as Record<string, Json>;
  const existing = (doc.components ??= {}) as Record<string, Json>;
  for (const [kind, entries] of Object.entries(shared)) existing[kind] = { ...(existing[kind] ?? {}), ...entries };
  (existing.schemas ??= {}).Problem = PROBLEM_SCHEMA;

  simplify(doc);
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
  const ids = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = ops[method];
      if (!op) continue;
      op.operationId ??= operationIdOf(method, path);
      ids.set(op.operationId, [...(ids.get(op.operationId) ?? []), `${method} ${path}`]);
      finishOperation(method, path, op);
    }
  }
  // Two routes whose derived ids collide both name all their parameters instead.
  for (const [id, where] of ids) {
    if (where.length < 2) continue;
    for (const w of where) {
      const [method, path] = w.split(' ') as [string, string];
      const op = paths[path]![method]!;
      if (op.operationId === id) op.operationId = operationIdOf(method, path, true);
    }
  }
  return doc;
}

function finishOperation(method: string, path: string, op: Operation): void {
  const access = op['x-peil-access'] as string | undefined;
  const responses = (op.responses ??= {});
  // The operator's monitoring (/readyz, /metrics) answers errors as problem+json like the API.
  const api = path.startsWith('/api/') || (op.tags as string[] | undefined)?.includes('operations') === true;
  const hasParams = path.includes('{');
  const hasBody = op.requestBody !== undefined;
  const rateLimited = op['x-peil-rate-limited'] === true;
  const idempotent = acceptsIdempotencyKey(
    method,
    path,
    access === 'public' || access === 'respondent' || access === 'operator' ? access : { permission: access ?? '' },
  );

  // @fastify/swagger's placeholder for a route without a response schema.
  for (const r of Object.values(responses)) if (r.description === 'Default Response') r.description = 'OK';
  if (!api) {
    // Respondent, unsubscribe, request and publication pages: HTML, errors too.
    for (const [status, r] of Object.entries(responses))
      if (/^2/.test(status) && !r.content && !r.$ref) r.content = { 'text/html': { schema: { type: 'string' } } };
    if (hasParams) responses['404'] ??= ref('HtmlError');
    if (rateLimited) responses['429'] ??= ref('HtmlTooManyRequests');
    responses.default ??= ref('HtmlError');
  } else {
    const signedIn = access !== 'public' && access !== undefined;
    responses['400'] ??= ref('BadRequest');
    if (signedIn) {
      responses['401'] ??= ref('Unauthenticated');
      responses['403'] ??= ref('Forbidden');
    }
    if (hasParams) responses['404'] ??= ref('NotFound');
    if (idempotent) responses['409'] ??= ref('Conflict');
    if (hasBody) responses['415'] ??= ref('UnsupportedMediaType');
    if (hasBody || idempotent || op.parameters?.some((p) => p.in === 'query'))
      responses['422'] ??= ref('ValidationProblem');
    if (rateLimited) responses['429'] ??= ref('TooManyRequests');
    responses['503'] ??= ref('Unavailable');
    responses.default ??= ref('Problem');
  }
  if (idempotent) {
    op.parameters = [
      ...(op.parameters ?? []),
      { $ref: '#/components/parameters/IdempotencyKey' } as { in: string; $ref: string },
    ];
  }
  for (const [status, r] of Object.entries(responses)) {
    if (r.$ref) continue;
    const headers = (r.headers ?? {}) as Json;
    if (status === '201' || status === '303') headers.Location ??= { $ref: '#/components/headers/Location' };
    if (idempotent && /^2/.test(status))
      headers['Idempotent-Replayed'] ??= { $ref: '#/components/headers/IdempotentReplayed' };
    if (Object.keys(headers).length) r.headers = headers;
  }
}

/**
 * `anyOf`/`oneOf` with a member that matches anything (zod's `unknown().nullable()`) is that member:
 * the same schema without the composition redocly calls illogical.
 */
function simplify(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(simplify);
  if (!node || typeof node !== 'object') return;
  const o = node as Json;
  for (const k of ['anyOf', 'oneOf'] as const) {
    const members = o[k];
    if (
      Array.isArray(members) &&
      members.some((m) => m && typeof m === 'object' && Object.keys(m as Json).length === 0)
    )
      delete o[k];
  }
  Object.values(o).forEach(simplify);
}
