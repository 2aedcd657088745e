import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { signerOf } from '../../lib/crypto/signing.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { verifyTenant } from './chain.js';
import {
  headFile,
  HeadFileError,
  listAnchors,
  parseHeadFile,
  recordAnchor,
  signHead,
  verifyTenantWithHeads,
} from './anchor.js';
import { revealers, undoable } from './undo.js';
import { imageKeysFor } from '../contacts/history.js';

const entry = z.object({
  id: z.number(),
  seq: z.number(),
  at: z.string(),
  actor: z.object({ kind: z.string(), id: z.string().nullable() }),
  action: z.string(),
  subject: z.object({ kind: z.string(), id: z.string() }).nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  /** Decrypted images (LOG-2): present on changes that keep them, for those allowed to read the log. */
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  /** The images exist but cannot be read: the customer's key was destroyed (SEC-1). */
  sealedUnreadable: z.boolean().optional(),
  restorable: z.boolean(),
  hash: z.string().nullable(),
});

const problem = z
  .object({ kind: z.string(), seq: z.number().nullable(), id: z.number().nullable(), message: z.string() })
  .nullable();
const verification = z.object({
  ok: z.boolean(),
  fromSeq: z.number().nullable(),
  toSeq: z.number().nullable(),
  entries: z.number(),
  start: z.string(),
  checkpoints: z.number(),
  lastCheckpoint: z.object({ seq: z.number(), at: z.string() }).nullable(),
  unsigned: z.number(),
  problem,
  /** The signed heads checked against the log (issue 16: evidence the customer holds outside Peil). */
  heads: z
    .array(
      z.object({
        seq: z.number(),
        signedAt: z.string(),
        keyId: z.string(),
        currentKey: z.boolean(),
        outcome: z.enum(['matches', 'pruned', 'failed']),
        message: z.string(),
      }),
    )
    .optional(),
});

const anchorRecord = z.object({
  seq: z.number(),
  hash: z.string(),
  signedAt: z.string(),
  keyId: z.string(),
  channel: z.enum(['download', 'mail']),
  sentTo: z.enum(['privacy_contact', 'owners']).nullable(),
  recipients: z.number(),
  userId: z.string().nullable(),
});

function subjectFilter(s: string): { kind?: string; id: string } {
  const i = s.indexOf(':');
  return i > 0 ? { kind: s.slice(0, i), id: s.slice(i + 1) } : { id: s };
}

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/audit',
      {
        config: { access: { permission: Permission.AUDIT_READ } },
        schema: {
          tags: ['audit'],
          summary:
            'The audit log, newest first, with before/after of changes decrypted (owners and admins). Keyset pagination: pass "next" as "before".',
          querystring: z.object({
            action: z.string().max(200).optional().describe('one action, or several separated by commas'),
            subject: z.string().max(200).optional().describe('"kind:id" or an id'),
            actor: z.uuid().optional(),
            from: z.iso.datetime({ offset: true }).optional(),
            to: z.iso.datetime({ offset: true }).optional(),
            before: z.coerce.number().int().positive().optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: z.object({ entries: z.array(entry), next: z.number().nullable() }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const q = request.query;
        let keys: TenantKeys | null = null;
        try {
          keys = await ctx.keyring.forTenant(auth.tenantId);
        } catch (err) {
          // With the key destroyed (SEC-1) the log is still readable; its sealed images are not.
          if (!(err instanceof AppError && err.code === ErrorCode.GONE)) throw err;
        }
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          let query = tx
            .selectFrom('audit_events')
            .select([
              'id',
              'seq',
              'at',
              'actor_kind',
              'actor_id',
              'action',
              'subject_kind',
              'subject_id',
              'ip',
              'request_id',
              'details',
              'hash',
            ]);
          if (q.action)
            query = query.where(
              'action',
              'in',
              q.action
                .split(',')
                .map((a) => a.trim())
                .filter(Boolean),
            );
          if (q.subject) {
            const s = subjectFilter(q.subject);
            query = query.where('subject_id', '=', s.id);
            if (s.kind) query = query.where('subject_kind', '=', s.kind);
          }
          if (q.actor) query = query.where('actor_id', '=', q.actor);
          if (q.from) query = query.where('at', '>=', new Date(q.from));
          if (q.to) query = query.where('at', '<', new Date(q.to));
          if (q.before) query = query.where('seq', '<', q.before);
          const rows = await query
            .orderBy('seq', 'desc')
            .limit(q.limit + 1)
            .execute();
          const page = rows.slice(0, q.limit);
          // DSR-2: each contact's images open with its own key; an erased person's do not open at all.
          const ik = keys
            ? await imageKeysFor(
                tx,
                auth.tenantId,
                keys,
                page.map((r) => (r.details as { sealed?: unknown } | null)?.sealed),
              )
            : null;
          let revealed = 0;
          const entries = page.map((r) => {
            const { sealed, ...details } = (r.details ?? {}) as Record<string, unknown> & {
              sealed?: { before?: unknown; after?: unknown };
            };
            const out: z.infer<typeof entry> = {
              id: Number(r.id),
              seq: Number(r.seq),
              at: new Date(r.at).toISOString(),
              actor: { kind: r.actor_kind, id: r.actor_id },
              action: r.action,
              subject: r.subject_kind && r.subject_id ? { kind: r.subject_kind, id: r.subject_id } : null,
              ip: r.ip,
              requestId: r.request_id,
              details,
              restorable: Boolean(sealed && undoable[r.action]),
              hash: r.hash ? r.hash.toString('hex') : null,
            };
            const revealer = revealers[r.action];
            if (sealed && revealer) {
              const shown = ik ? revealer.reveal(ik, sealed) : null;
              if (shown && (shown.before !== null || shown.after !== null)) {
                Object.assign(out, shown);
                revealed++;
              } else {
                out.sealedUnreadable = true;
                out.restorable = false;
              }
            }
            return out;
          });
          // OBLIGATIONS LOG-1: the log's before/after values are personal data; reading them is logged too.
          if (revealed)
            await audit(tx, auth.tenantId, actorOf(request, auth), {
              action: AuditAction.AUDIT_READ,
              details: { entries: page.length, revealed },
            });
          return { entries, next: rows.length > q.limit ? Number(page[page.length - 1]!.seq) : null };
        });
      },
    );

    app.post(
      '/api/v1/audit/:id/restore',
      {
        config: { access: { permission: Permission.AUDIT_RESTORE } },
        schema: {
          tags: ['audit'],
          summary:
            'Undo the change or deletion an audit entry recorded (owners and admins). The undo is itself logged, with before and after.',
          params: z.object({ id: z.string() }),
          response: {
            200: z.object({
              restored: z.object({ kind: z.string(), id: z.string() }),
              fromAuditId: z.number(),
              fromSeq: z.number(),
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        if (!/^\d{1,18}$/.test(request.params.id)) throw AppError.notFound('audit entry');
        const id = Number(request.params.id);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const row = await tx
            .selectFrom('audit_events')
            .select(['id', 'seq', 'action', 'details'])
            .where('id', '=', id)
            .executeTakeFirst();
          if (!row) throw AppError.notFound('audit entry');
          const handler = undoable[row.action];
          const sealed = (row.details as { sealed?: { before?: unknown; after?: unknown } }).sealed;
          if (!handler || !sealed)
            throw new AppError(ErrorCode.CONFLICT, {
              key: 'problems:audit.cannotUndo',
              params: { action: row.action },
            });
          const r = await handler.undo(tx, auth.tenantId, keys, sealed);
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.CONTACT_RESTORED,
            subject: r.subject,
            details: {
              fromAuditId: Number(row.id),
              fromSeq: Number(row.seq),
              undid: row.action,
              ...r.details,
              sealed: r.sealed,
            },
          });
          return { restored: r.subject, fromAuditId: Number(row.id), fromSeq: Number(row.seq) };
        });
      },
    );

    app.post(
      '/api/v1/audit/verification',
      {
        config: { access: { permission: Permission.AUDIT_READ } },
        schema: {
          tags: ['audit'],
          summary:
            "Verify this customer's log now: the hash chain from its start (or its last retention checkpoint) to its head, and every signed checkpoint (LOG-3); with signed heads the customer holds (GET /api/v1/audit/head, or the mailed ones), also that nothing up to each was removed or rewritten",
          body: z
            .object({
              heads: z
                .array(z.string().max(20_000))
                .max(20)
                .optional()
                .describe('signed heads as held: the downloaded file, or the mail that carried one'),
            })
            .nullish(),
          response: { 200: verification },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const texts = request.body?.heads ?? [];
        if (texts.length === 0) {
          const v = await verifyTenant(ctx.db, auth.tenantId, signerOf(ctx.keyring.master));
          const { tenantId: _t, ...rest } = v;
          return rest;
        }
        const files = texts.map((text, i) => {
          try {
            return parseHeadFile(text);
          } catch (err) {
            if (!(err instanceof HeadFileError)) throw err;
            throw new AppError(
              ErrorCode.VALIDATION,
              { key: 'problems:audit.notAHead', params: { reason: err.message } },
              { errors: [{ pointer: `/body/heads/${i}`, reason: err.message }] },
            );
          }
        });
        const r = await verifyTenantWithHeads(ctx, auth.tenantId, files);
        const { tenantId: _t, ...rest } = r.verification;
        return { ...rest, ok: r.problem === null, problem: r.problem, heads: r.heads };
      },
    );

    app.get(
      '/api/v1/audit/head',
      {
        config: { access: { permission: Permission.AUDIT_READ } },
        schema: {
          tags: ['audit'],
          summary:
            "The signed head of this customer's log, as a file to keep outside Peil: anyone holding it can later prove that no entry up to it was removed or rewritten, also by the processor (LOG-3). Recorded as anchored.",
          response: { 200: headFile },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const signer = signerOf(ctx.keyring.master);
        const file = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const s = await signHead(tx, auth.tenantId, signer);
          if (s.problem) {
            throw new AppError(ErrorCode.CONFLICT, {
              key: 'problems:audit.headNotSigned',
              params: { problem: s.problem.message },
            });
          }
          await recordAnchor(
            tx,
            auth.tenantId,
            s.file,
            { channel: 'download', userId: auth.kind === 'user' ? auth.userId : null },
            actorOf(request, auth),
          );
          return s.file;
        });
        return reply
          .header(
            'content-disposition',
            `attachment; filename="peil-logboek-${file.customer.slug}-${file.head.seq}.json"`,
          )
          .header('cache-control', 'no-store')
          .send(file);
      },
    );

    app.get(
      '/api/v1/audit/anchors',
      {
        config: { access: { permission: Permission.AUDIT_READ } },
        schema: {
          tags: ['audit'],
          summary:
            'The signed heads that went out to this customer (downloaded, mailed to the privacy contact on the schedule), newest first, with the current head and the schedule (LOG-3)',
          response: {
            200: z.object({
              current: z.object({ seq: z.number() }),
              anchorDays: z.number(),
              signingKey: z.object({ keyId: z.string(), publicKey: z.string() }),
              lastMailed: anchorRecord.nullable(),
              anchors: z.array(anchorRecord),
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const signer = signerOf(ctx.keyring.master);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const head = await tx
            .selectFrom('audit_heads')
            .select('seq')
            .where('tenant_id', '=', auth.tenantId)
            .executeTakeFirst();
          const anchors = await listAnchors(tx, 20);
          const lastMailed =
            anchors.find((a) => a.channel === 'mail') ??
            (await listAnchors(tx, 200)).find((a) => a.channel === 'mail') ??
            null;
          return {
            current: { seq: head ? Number(head.seq) : 0 },
            anchorDays: ctx.env.AUDIT_ANCHOR_DAYS,
            signingKey: { keyId: signer.keyId, publicKey: signer.publicKeyPem },
            lastMailed,
            anchors,
          };
        });
      },
    );
  };
}
