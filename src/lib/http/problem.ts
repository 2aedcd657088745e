import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ErrorCode, toProblem, type ProblemItem } from '../errors.js';
import { errorCode, isConnectionError } from '../db/unavailable.js';

/** SQLSTATE of migration 0012's refusal: a clear personal value for a customer whose key was destroyed. */
const ERASED_SQLSTATE = 'PE410';

/** Maps Fastify's own errors (body parsing, limits, media types) onto our codes. */
function fromFastify(err: FastifyError): AppError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(ErrorCode.BAD_REQUEST, `The request body is not valid JSON: ${err.message}`, { errors: [{ pointer: '/body', reason: err.message }] });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, err.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, err.message);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(ErrorCode.BAD_REQUEST, err.message);
    default:
      if (err.statusCode === 429) return new AppError(ErrorCode.RATE_LIMITED, err.message);
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new AppError(ErrorCode.BAD_REQUEST, err.message);
      return undefined;
  }
}

/** OBLIGATIONS SEC-2: a lost database connection, as the client sees it: 503 and when to come back. */
export function databaseUnavailable(retryAfterSeconds: number, cause?: unknown): AppError {
  return new AppError(ErrorCode.DATABASE_UNAVAILABLE, `The database cannot be reached at the moment. Try again in ${retryAfterSeconds} s.`, {
    extra: { retryAfterSeconds },
    cause,
  });
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, err: AppError): FastifyReply {
  const retryAfter = err.extra?.retryAfterSeconds;
  if (err.status === 503 && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply
    .code(err.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(toProblem(err, request.url.split('?')[0], request.id));
}

/** One error format for the whole API: RFC 9457 problem+json with the request id. */
export function installProblemHandler(
  app: FastifyInstance,
  opts: {
    htmlErrors?: (request: FastifyRequest) => boolean;
    /** A page of its own for an HTML error (the respondent's "database away" page); else a plain one. */
    htmlPage?: (error: AppError) => string | undefined;
    /** SEC-2: Retry-After of a 503 while the database is away (DATABASE_RETRY_AFTER_SECONDS). */
    retryAfterSeconds?: number;
  } = {},
): void {
  let lastLogged = 0;
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let appError: AppError;
    if (error instanceof AppError) {
      appError = error;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const errors: ProblemItem[] = error.validation.map((v) => ({
        pointer: `/${error.validationContext ?? 'body'}${v.instancePath}`,
        reason: v.message ?? 'invalid',
      }));
      const summary = errors.map((e) => `${e.pointer}: ${e.reason}`).join('; ');
      appError = new AppError(ErrorCode.VALIDATION, `The request is not valid: ${summary}`, { errors });
    } else if (isConnectionError(error)) {
      // OBLIGATIONS SEC-2: not a bug of this request; one log line per 5 s by code, not per request.
      if (Date.now() - lastLogged > 5_000) {
        lastLogged = Date.now();
        request.log.warn({ code: errorCode(error) }, 'database unavailable; answering 503');
      }
      appError = databaseUnavailable(opts.retryAfterSeconds ?? 5, error);
    } else if ((error as { code?: unknown }).code === ERASED_SQLSTATE) {
      // OBLIGATIONS SEC-1: migration 0012 refused a write of clear personal data for an erased customer.
      appError = new AppError(ErrorCode.GONE, 'The data of this customer has been erased.');
    } else {
      const mapped = fromFastify(error);
      if (mapped) {
        appError = mapped;
      } else {
        request.log.error({ err: error }, 'unhandled error');
        appError = new AppError(ErrorCode.INTERNAL, 'Something went wrong on our side. Quote the request id when you contact support.');
      }
    }
    if (opts.htmlErrors?.(request)) {
      const page = opts.htmlPage?.(appError);
      const retryAfter = appError.extra?.retryAfterSeconds;
      if (appError.status === 503 && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      if (page) return reply.code(appError.status).type('text/html; charset=utf-8').send(page);
      return reply.code(appError.status).type('text/html; charset=utf-8').send(`<!doctype html><title>${appError.title}</title><h1>${appError.title}</h1>`);
    }
    return sendProblem(reply, request, appError);
  });

  app.setNotFoundHandler((request, reply) => sendProblem(reply, request, new AppError(ErrorCode.NOT_FOUND, `No route for ${request.method} ${request.url.split('?')[0]}.`)));
}
