import type { FastifyInstance } from 'fastify';
import { AppError, ErrorCode, type ProblemItem } from '../errors.js';
import { findUnstorableText, UNSTORABLE_REASON } from '../unstorable.js';

/**
 * OBLIGATIONS SEC-3: one check for the whole application, before access control and validation. A
 * parameter, query value or body field (key or value, at any depth) with text PostgreSQL refuses is
 * answered 422 with a pointer to it (`/query/action`, `/body/name`), never a 500 from the database.
 */
export function installTextCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const found = [
      ...findUnstorableText(request.params, '/params'),
      ...findUnstorableText(request.query, '/query'),
      ...findUnstorableText(request.body, '/body'),
    ];
    if (found.length === 0) return;
    const errors: ProblemItem[] = found.map((pointer) => ({ pointer, reason: UNSTORABLE_REASON }));
    throw new AppError(
      ErrorCode.VALIDATION,
      `The request is not valid: ${found.map((p) => `${p}: ${UNSTORABLE_REASON}`).join('; ')}`,
      { errors },
    );
  });
}
