import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ErrorCode, toProblem } from '../errors.js';
import { errorCode, isConnectionError } from '../db/unavailable.js';
import { negotiateLanguage, translate, type Language } from '../i18n.js';
import { summaryOf, zodItems } from './zod-reasons.js';

/** SQLSTATE of migration 0012's refusal: a clear personal value for a customer whose key was destroyed. */
const ERASED_SQLSTATE = 'PE410';

/** Maps Fastify's own errors (body parsing, limits, media types) onto our codes. */
function fromFastify(err: FastifyError): AppError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(
        ErrorCode.BAD_REQUEST,
        { key: 'problems:invalidJson', params: { reason: err.message } },
        { errors: [{ pointer: '/body', reason: err.message }] },
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, { key: 'problems:payloadTooLarge' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, { key: 'problems:mediaType' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(ErrorCode.BAD_REQUEST, err.message);
    case 'FST_ERR_BAD_URL':
      return new AppError(
        ErrorCode.BAD_REQUEST,
        { key: 'problems:badUrl' },
        {
          errors: [
            {
              pointer: '/path',
              code: 'bad_percent_encoding',
              reason: 'bad percent-encoding',
              message: { key: 'problems:reasons.badPercentEncoding' },
            },
          ],
        },
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError(
        ErrorCode.URI_TOO_LONG,
        { key: 'problems:paramTooLong' },
        {
          errors: [
            {
              pointer: '/path',
              code: 'param_too_long',
              reason: 'path parameter too long',
              message: { key: 'problems:reasons.paramTooLong' },
            },
          ],
        },
      );
    default:
      if (err.statusCode === 429) return new AppError(ErrorCode.RATE_LIMITED, { key: 'problems:titles.rate_limited' });
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
        return new AppError(ErrorCode.BAD_REQUEST, err.message);
      return undefined;
  }
}

/** OBLIGATIONS SEC-2: a lost database connection, as the client sees it: 503 and when to come back. */
export function databaseUnavailable(retryAfterSeconds: number, cause?: unknown): AppError {
  return new AppError(
    ErrorCode.DATABASE_UNAVAILABLE,
    { key: 'problems:databaseUnavailable', params: { seconds: retryAfterSeconds } },
    {
      extra: { retryAfterSeconds },
      cause,
    },
  );
}

/**
 * The headers that go with an error: its own (a 429's RateLimit-*), `Retry-After` on 429 and 503,
 * and on 401 `WWW-Authenticate` (the challenge: how to authenticate for this request).
 */
function problemHeaders(
  reply: FastifyReply,
  request: FastifyRequest,
  err: AppError,
  challenge?: (request: FastifyRequest) => string,
): void {
  for (const [name, value] of Object.entries(err.headers ?? {})) reply.header(name, value);
  const retryAfter = err.extra?.retryAfterSeconds;
  if ((err.status === 503 || err.status === 429) && typeof retryAfter === 'number' && !reply.hasHeader('retry-after'))
    reply.header('retry-after', String(retryAfter));
  if (err.status === 401 && !reply.hasHeader('www-authenticate'))
    reply.header('www-authenticate', challenge?.(request) ?? 'Bearer realm="peil"');
}

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  err: AppError,
  challenge?: (request: FastifyRequest) => string,
): FastifyReply {
  problemHeaders(reply, request, err, challenge);
  // Issue 14: title and (catalogue) detail in the client's language; `code` never changes with it.
  const lng = negotiateLanguage(request.headers['accept-language']);
  return reply
    .code(err.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('content-language', lng)
    .header('vary', 'Accept-Language')
    .send(toProblem(err, request.url.split('?')[0], request.id, lng));
}

export interface ProblemOptions {
  /** Requests whose errors are a short HTML page instead (the respondent's pages). */
  htmlErrors?: (request: FastifyRequest) => boolean;
  /** A page of its own for an HTML error (the respondent's "database away" page); else a plain one. */
  htmlPage?: (error: AppError, request: FastifyRequest) => string | undefined;
  /** SEC-2: Retry-After of a 503 while the database is away (DATABASE_RETRY_AFTER_SECONDS). */
  retryAfterSeconds?: number;
  /** The `WWW-Authenticate` challenge of a 401 to this request (features/auth/access.ts). */
  challenge?: (request: FastifyRequest) => string;
}

function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  appError: AppError,
  opts: ProblemOptions,
): FastifyReply {
  if (opts.htmlErrors?.(request)) {
    const page = opts.htmlPage?.(appError, request);
    problemHeaders(reply, request, appError, opts.challenge);
    if (page) return reply.code(appError.status).type('text/html; charset=utf-8').send(page);
    const nl = translate('nl', { key: `problems:titles.${appError.code}` });
    const en = translate('en', { key: `problems:titles.${appError.code}` });
    return reply
      .code(appError.status)
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><html lang="nl"><title>${nl}</title><h1>${nl}</h1><p lang="en">${en}</p></html>`);
  }
  return sendProblem(reply, request, appError, opts.challenge);
}

/**
 * OBLIGATIONS SEC-3: the errors Fastify answers before any route or hook runs, as problem+json with a
 * request id too. `frameworkErrors`: a bad %-encoding in the path (400) and a path parameter over
 * `maxParamLength` (414); `clientErrorHandler`: what Node's HTTP parser refuses (a request line or
 * headers over 16 KiB: 431, a malformed request: 400, a timeout: 408), written to the socket since
 * there is no request object yet.
 */
export function problemServerOptions(
  opts: ProblemOptions = {},
): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    frameworkErrors: (error, request, reply) => {
      const appError = fromFastify(error as FastifyError) ?? new AppError(ErrorCode.BAD_REQUEST, error.message);
      reply.header('x-request-id', request.id);
      sendError(reply, request, appError, opts);
    },
    clientErrorHandler: (err: Error & { code?: string }, socket: Socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
      const appError =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? new AppError(ErrorCode.HEADERS_TOO_LARGE, { key: 'problems:headersTooLarge' })
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? new AppError(ErrorCode.BAD_REQUEST, { key: 'problems:requestTimeout' })
            : new AppError(ErrorCode.BAD_REQUEST, { key: 'problems:notHttp' });
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : appError.status;
      const requestId = randomUUID();
      const body = JSON.stringify({ ...toProblem(appError, undefined, requestId), status });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  };
}

/** One error format for the whole API: RFC 9457 problem+json with the request id. */
export function installProblemHandler(app: FastifyInstance, opts: ProblemOptions = {}): void {
  let lastLogged = 0;
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let appError: AppError;
    if (error instanceof AppError) {
      appError = error;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      // Issue 14: each reason, and the summary in the detail, in the client's language (zod's locales).
      const errors = zodItems(error.validation, error.validationContext ?? 'body');
      const summary = (lng: Language) => summaryOf(errors, lng);
      appError = new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:invalidRequest', params: { summary } },
        { errors },
      );
    } else if (isConnectionError(error)) {
      // OBLIGATIONS SEC-2: not a bug of this request; one log line per 5 s by code, not per request.
      if (Date.now() - lastLogged > 5_000) {
        lastLogged = Date.now();
        request.log.warn({ code: errorCode(error) }, 'database unavailable; answering 503');
      }
      appError = databaseUnavailable(opts.retryAfterSeconds ?? 5, error);
    } else if ((error as { code?: unknown }).code === ERASED_SQLSTATE) {
      // OBLIGATIONS SEC-1: migration 0012 refused a write of clear personal data for an erased customer.
      appError = new AppError(ErrorCode.GONE, { key: 'problems:erased' });
    } else {
      const mapped = fromFastify(error);
      if (mapped) {
        appError = mapped;
      } else {
        request.log.error({ err: error }, 'unhandled error');
        appError = new AppError(ErrorCode.INTERNAL, { key: 'problems:internal' });
      }
    }
    return sendError(reply, request, appError, opts);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      request,
      new AppError(ErrorCode.NOT_FOUND, {
        key: 'problems:noRoute',
        params: { method: request.method, path: request.url.split('?')[0] ?? '' },
      }),
    ),
  );
}
