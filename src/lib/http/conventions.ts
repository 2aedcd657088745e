import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '../errors.js';

/**
 * HTTP conventions of the API (issue 15), for every /api route without it doing anything:
 *
 * - JSON only where JSON is declared: a body of another media type than the route declares (its
 *   schema's `consumes`; `application/json` when it declares none) is refused with 415 once the caller's
 *   access is checked, so `POST /api/v1/contacts` does not take a form post. The respondent's pages (/s/, /u/,
 *   /r/) are forms and keep taking them.
 * - `Location` on a 201: the created thing's URL. A route sets it itself; else, when the answer has
 *   an `id`, it is the request's path and that id (`POST /api/v1/surveys` → `/api/v1/surveys/<id>`).
 */
export function installHttpConventions(app: FastifyInstance): void {
  // preValidation, after the access hook (app.ts installs this one after it): a caller who may not use
  // the route hears 401/403 first, whatever it sent. Media types no parser knows were already refused
  // by Fastify with 415 while parsing.
  app.addHook('preValidation', async (request) => {
    if (!request.url.startsWith('/api/') || !hasBody(request)) return;
    const declared = (request.routeOptions.schema as { consumes?: readonly string[] } | undefined)?.consumes ?? [
      'application/json',
    ];
    const sent = mediaTypeOf(request.headers['content-type']);
    if (!declared.includes(sent)) {
      const accepted = declared.join(' | ');
      throw new AppError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        { key: 'problems:mediaTypeNot', params: { accepted, sent: sent || 'none' } },
        {
          errors: [
            {
              pointer: '/headers/content-type',
              code: 'media_type',
              reason: `not ${declared.join(' or ')}`,
              message: { key: 'problems:reasons.mediaType', params: { accepted } },
            },
          ],
        },
      );
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 201 || reply.hasHeader('location') || !request.url.startsWith('/api/')) return payload;
    const id = idOf(payload);
    if (id !== undefined)
      reply.header('location', `${request.url.split('?')[0]!.replace(/\/+$/, '')}/${encodeURIComponent(id)}`);
    return payload;
  });
}

/** The media type of a Content-Type header, lower case, without parameters ('' when there is none). */
export const mediaTypeOf = (header: string | undefined): string => (header ?? '').split(';')[0]!.trim().toLowerCase();

/** Whether the request carries a body at all (an empty POST with a stray Content-Type is fine). */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return length !== undefined ? Number(length) > 0 : request.headers['transfer-encoding'] !== undefined;
}

function idOf(payload: unknown): string | undefined {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return undefined;
  try {
    const id = (JSON.parse(payload) as { id?: unknown }).id;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}
