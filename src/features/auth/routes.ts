import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, auditSystem } from '../../lib/audit.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Db } from '../../lib/db/db.js';
import { RateWindow } from '../../lib/http/rate-window.js';
import { ENDING_PERMISSIONS, rolePermissions } from '../../lib/permissions.js';
import {
  actorOf,
  authOf,
  callerOf,
  checkCsrf,
  clearSessionCookie,
  sessionOf,
  setSessionCookie,
  supportPermissions,
} from './guard.js';
import { acceptInvite } from './invites.js';
import { checkPasswordRules, dummyVerify, hashPassword, verifyPassword } from './passwords.js';
import { checkTotp, enrolmentOf, newTotpSecret, replaceRecoveryCodes, useRecoveryCode } from './second-factor.js';
import { createSession, destroySession, endSessionOf, forgetSessions, hashToken, SESSION_COOKIE } from './sessions.js';
import { ENDED, unavailability, unavailableError } from '../suspension/suspension.js';

const credentials = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(256),
  tenant: z.string().max(63).optional().describe('Short name of the customer, when the email belongs to several'),
  code: z
    .string()
    .max(20)
    .optional()
    .describe('Second factor: the 6-digit code of the authenticator app, or a recovery code'),
});

/** Issue 14: the language /auth/me reports: the person's choice, or Dutch with localeChosen false. */
const localeOf = (locale: 'nl' | 'en' | null | undefined) => ({
  locale: locale ?? ('nl' as const),
  localeChosen: locale != null,
});

const me = z.object({
  kind: z.enum(['user', 'operator', 'support']),
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z
    .enum(['owner', 'admin', 'analyst', 'viewer', 'support'])
    .optional()
    .describe("a user's role; 'support' for a support session"),
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string(), requireSecondFactor: z.boolean() }).optional(),
  permissions: z.array(z.string()).optional(),
  secondFactor: z.object({ enabled: z.boolean(), enrolmentRequired: z.boolean() }).optional(),
  support: z.object({ grantId: z.string(), scope: z.enum(['results', 'contacts']), expiresAt: z.string() }).optional(),
  ended: z
    .boolean()
    .optional()
    .describe(
      "END-2: the customer's agreement has ended; this owner's session reaches only the end's routes (choice, full export)",
    ),
  locale: z
    .enum(['nl', 'en'])
    .describe("Issue 14: the admin app's language for this person: their choice, Dutch when they made none"),
  localeChosen: z
    .boolean()
    .describe(
      'Issue 14: whether this person chose a language (PATCH /auth/me); if not, the app keeps the choice made in the browser, if any',
    ),
});

// The same words whether the account is unknown, the password wrong or the account locked: no enumeration.
const invalid = () => new AppError(ErrorCode.UNAUTHENTICATED, { key: 'problems:auth.signInFailed' });
const secondFactorNeeded = (wrong: boolean) =>
  new AppError(
    ErrorCode.UNAUTHENTICATED,
    { key: wrong ? 'problems:auth.codeWrong' : 'problems:auth.codeNeeded' },
    { extra: { secondFactorRequired: true } },
  );

/**
 * OBLIGATIONS ACC-6: peil_app may not read users.password_hash (grants.sql); where a password is
 * checked, peil_password_hash() (migration 0010) gives it for the email being signed in, or for a user
 * of the transaction's own tenant.
 */
const passwordHashOf = (tenant: 'users.tenant_id', id: 'users.id') =>
  sql<string | null>`peil_password_hash(${sql.ref(tenant)}, ${sql.ref(id)})`.as('password_hash');

/** A sign-in replaces any session the browser still had (ACC-4: the session id is rotated). */
async function previousSessionHash(request: FastifyRequest): Promise<Buffer | null> {
  const old = request.cookies[SESSION_COOKIE];
  return old ? hashToken(old) : null;
}

export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const times = { idleMinutes: ctx.env.SESSION_IDLE_MINUTES, absoluteMinutes: ctx.env.SESSION_ABSOLUTE_MINUTES };
  const perAccount = new RateWindow(ctx.env.SIGN_IN_RATE_PER_ACCOUNT, 15 * 60_000, {
    db: ctx.db,
    name: 'sign-in account',
  });
  const perAddress = { max: ctx.env.SIGN_IN_RATE_PER_MINUTE, timeWindow: 60_000 };
  const lockAfter = ctx.env.LOCKOUT_AFTER_FAILURES;
  const lockMs = ctx.env.LOCKOUT_MINUTES * 60_000;

  const limitAccount = async (email: string) => {
    const refused = await perAccount.check(
      email.toLowerCase(),
      (wait) => `Too many sign-in attempts for this account; try again in ${Math.ceil(wait / 60)} minute(s).`,
    );
    if (refused) throw refused;
  };

  return async (app) => {
    app.post(
      '/api/v1/auth/sign-in',
      {
        config: { rateLimit: perAddress, access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in as a user of a customer; sets the session cookie (and the CSRF cookie)',
          body: credentials,
          response: {
            200: z.object({
              ok: z.literal(true),
              secondFactorEnrolmentRequired: z.boolean(),
              ended: z
                .boolean()
                .optional()
                .describe(
                  "END-2: the customer's agreement has ended; this owner's session reaches only the end's routes (choice, full export)",
                ),
            }),
          },
        },
      },
      async (request, reply) => {
        const { email, password, tenant, code } = request.body;
        await limitAccount(email);
        const actor = actorOf(request, null);
        const now = Date.now();
        const candidates = await ctx.db.loginLookup(email, (tx) =>
          tx
            .selectFrom('users')
            .innerJoin('tenants', 'tenants.id', 'users.tenant_id')
            .select([
              'users.tenant_id',
              'users.id',
              passwordHashOf('users.tenant_id', 'users.id'),
              'users.status',
              'users.role',
              'users.locked_until',
              'users.totp_secret_enc',
              'tenants.slug',
              'tenants.name as tenant_name',
              'tenants.status as tenant_status',
              'tenants.require_second_factor',
            ])
            .where('users.email', '=', email.toLowerCase())
            .execute(),
        );
        // A suspended (AGR-6) or ended (END-2) customer's users are checked too, so that the right
        // password, and only that, learns of it. An ended customer's owner still signs in, to a session
        // restricted to the end's routes (the choice and the full export); its other users do not.
        const eligible = candidates.filter(
          (c) =>
            c.status === 'active' &&
            (c.tenant_status === 'active' || unavailability(c.tenant_status)) &&
            c.password_hash &&
            (!tenant || c.slug === tenant),
        );
        const unlocked = eligible.filter((c) => !c.locked_until || new Date(c.locked_until).getTime() <= now);
        const verified = [];
        for (const c of unlocked) if (await verifyPassword(c.password_hash!, password)) verified.push(c);
        if (unlocked.length === 0) await dummyVerify(password);
        const matches = verified.filter(
          (c) => c.tenant_status === 'active' || (c.tenant_status === ENDED && c.role === 'owner'),
        );
        if (matches.length === 0 && verified.length > 0) {
          // OBLIGATIONS AGR-6, END-2, LOG-1: refused with a clear message, and recorded in the customer's log.
          for (const c of verified) {
            await ctx.db.tenant(c.tenant_id, (tx) =>
              audit(tx, c.tenant_id, actor, {
                action: AuditAction.SIGN_IN_FAILED,
                subject: { kind: 'user', id: c.id },
                details: { reason: c.tenant_status },
              }),
            );
          }
          throw unavailableError(unavailability(verified[0]!.tenant_status)!);
        }

        if (matches.length === 0) {
          // OBLIGATIONS LOG-1 / ACC-4: failed sign-ins are recorded in the customer's log, and repeated
          // failures lock the account for a while.
          for (const c of candidates) {
            await ctx.db.tenant(c.tenant_id, async (tx) => {
              const locked = c.locked_until !== null && new Date(c.locked_until).getTime() > now;
              let lockedNow = false;
              if (!locked && unlocked.includes(c)) {
                const r = await tx
                  .updateTable('users')
                  .set({ failed_sign_ins: sql`failed_sign_ins + 1` })
                  .where('id', '=', c.id)
                  .returning('failed_sign_ins')
                  .executeTakeFirstOrThrow();
                if (r.failed_sign_ins >= lockAfter) {
                  await tx
                    .updateTable('users')
                    .set({ locked_until: new Date(now + lockMs) })
                    .where('id', '=', c.id)
                    .execute();
                  lockedNow = true;
                }
              }
              await audit(tx, c.tenant_id, actor, {
                action: AuditAction.SIGN_IN_FAILED,
                subject: { kind: 'user', id: c.id },
                details: { reason: locked ? 'locked' : 'password' },
              });
              if (lockedNow)
                await audit(tx, c.tenant_id, actor, {
                  action: AuditAction.ACCOUNT_LOCKED,
                  subject: { kind: 'user', id: c.id },
                  details: { minutes: ctx.env.LOCKOUT_MINUTES },
                });
            });
          }
          if (candidates.length === 0)
            await ctx.db.global((tx) =>
              auditSystem(tx, actor, AuditAction.SIGN_IN_FAILED, { reason: 'unknown account' }),
            );
          throw invalid();
        }
        if (matches.length > 1) {
          throw new AppError(
            ErrorCode.CONFLICT,
            { key: 'problems:auth.severalCustomers' },
            {
              extra: { tenants: matches.map((m) => ({ slug: m.slug, name: m.tenant_name })) },
            },
          );
        }
        const user = matches[0]!;
        const previous = await previousSessionHash(request);
        const keys = await ctx.keyring.forTenant(user.tenant_id);
        const result = await ctx.db.tenant(user.tenant_id, async (tx) => {
          if (user.totp_secret_enc) {
            if (!code) return { needCode: true as const, wrong: false };
            const okCode =
              checkTotp(keys.open(user.totp_secret_enc), code.trim()) || (await useRecoveryCode(tx, user.id, code));
            if (!okCode) {
              await tx
                .updateTable('users')
                .set({ failed_sign_ins: sql`failed_sign_ins + 1` })
                .where('id', '=', user.id)
                .execute();
              await audit(tx, user.tenant_id, actor, {
                action: AuditAction.SIGN_IN_FAILED,
                subject: { kind: 'user', id: user.id },
                details: { reason: 'second factor' },
              });
              return { needCode: true as const, wrong: true };
            }
            if (!/^\d{6}$/.test(code.trim()))
              await audit(
                tx,
                user.tenant_id,
                { ...actor, kind: 'user', id: user.id },
                { action: AuditAction.RECOVERY_CODE_USED, subject: { kind: 'user', id: user.id } },
              );
          }
          await tx
            .updateTable('users')
            .set({ failed_sign_ins: 0, locked_until: null })
            .where('id', '=', user.id)
            .execute();
          if (previous) await destroySession(tx, previous);
          const enrolmentOnly = user.require_second_factor && !user.totp_secret_enc;
          // OBLIGATIONS LOG-1: the session and its audit row are one transaction.
          const token = await createSession(tx, times, {
            kind: 'user',
            tenantId: user.tenant_id,
            userId: user.id,
            enrolmentOnly,
          });
          await audit(
            tx,
            user.tenant_id,
            { ...actor, kind: 'user', id: user.id },
            {
              action: AuditAction.SIGN_IN,
              subject: { kind: 'user', id: user.id },
              details: { secondFactor: Boolean(user.totp_secret_enc) },
            },
          );
          return { needCode: false as const, token, enrolmentOnly };
        });
        if (result.needCode) throw secondFactorNeeded(result.wrong);
        setSessionCookie(ctx, reply, result.token, hashToken(result.token));
        return {
          ok: true as const,
          secondFactorEnrolmentRequired: result.enrolmentOnly,
          ...(user.tenant_status === ENDED ? { ended: true } : {}),
        };
      },
    );

    app.post(
      '/api/v1/operator/sign-in',
      {
        config: { rateLimit: perAddress, access: 'public' },
        schema: {
          tags: ['operator'],
          summary: 'Sign in as operator staff',
          body: credentials.omit({ tenant: true, code: true }),
          response: { 200: z.object({ ok: z.literal(true) }) },
        },
      },
      async (request, reply) => {
        const { email, password } = request.body;
        await limitAccount(`operator:${email}`);
        const actor = actorOf(request, null);
        const now = Date.now();
        // OBLIGATIONS ACC-6: the password hash is read here and nowhere else, on the owner connection;
        // peil_app may not read it (grants.sql), so no request, bug or injection can.
        const op = await ctx.db.owner('operator-sign-in', (tx) =>
          tx
            .selectFrom('operators')
            .select(['id', 'password_hash', 'locked_until'])
            .where('email', '=', email.toLowerCase())
            .executeTakeFirst(),
        );
        const locked = op?.locked_until && new Date(op.locked_until).getTime() > now;
        const ok = op && !locked ? await verifyPassword(op.password_hash, password) : await dummyVerify(password);
        if (!op || !ok) {
          await ctx.db.owner('operator-sign-in', async (tx) => {
            if (op && !locked) {
              const r = await tx
                .updateTable('operators')
                .set({ failed_sign_ins: sql`failed_sign_ins + 1` })
                .where('id', '=', op.id)
                .returning('failed_sign_ins')
                .executeTakeFirstOrThrow();
              if (r.failed_sign_ins >= lockAfter)
                await tx
                  .updateTable('operators')
                  .set({ locked_until: new Date(now + lockMs) })
                  .where('id', '=', op.id)
                  .execute();
            }
            await auditSystem(tx, { ...actor, id: op?.id ?? null }, 'operator.sign_in_failed', {
              email: email.toLowerCase(),
              locked: Boolean(locked),
            });
          });
          throw invalid();
        }
        const previous = await previousSessionHash(request);
        const token = await ctx.db.owner('operator-sign-in', async (tx) => {
          await tx
            .updateTable('operators')
            .set({ failed_sign_ins: 0, locked_until: null })
            .where('id', '=', op.id)
            .execute();
          if (previous) await destroySession(tx, previous);
          const t = await createSession(tx, times, { kind: 'operator', operatorId: op.id });
          await auditSystem(tx, { ...actor, kind: 'operator', id: op.id }, 'operator.sign_in');
          return t;
        });
        setSessionCookie(ctx, reply, token, hashToken(token));
        return { ok: true as const };
      },
    );

    app.post(
      '/api/v1/auth/sign-out',
      {
        // Public: signing out needs no valid session (an expired one, or a suspended customer's, AGR-6);
        // a session it does end must come with its CSRF token.
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'End the session (answers 204 without one, too)',
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        let auth: Awaited<ReturnType<typeof authOf>>;
        try {
          auth = await authOf(ctx, request);
        } catch (err) {
          // OBLIGATIONS AGR-6, END-2: a suspended or ended customer's user may still leave: the session
          // ends (with the CSRF token of that session, as any sign-out) and the cookie is cleared.
          const token = request.cookies[SESSION_COOKIE];
          if (err instanceof AppError && (err.extra?.suspended === true || err.extra?.ended === true) && token) {
            checkCsrf(request, { sessionHash: hashToken(token) });
            await endSessionOf(ctx.db, token);
            clearSessionCookie(reply);
            return reply.code(204).send(null);
          }
          throw err;
        }
        if (auth) checkCsrf(request, auth);
        if (auth?.kind === 'user') {
          await ctx.db.tenant(auth.tenantId, async (tx) => {
            await destroySession(tx, auth.sessionHash);
            await audit(tx, auth.tenantId, actorOf(request, auth), {
              action: AuditAction.SIGN_OUT,
              subject: { kind: 'user', id: auth.userId },
            });
          });
        } else if (auth) {
          await ctx.db.global((tx) => destroySession(tx, auth.sessionHash));
        }
        clearSessionCookie(reply);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/auth/me',
      {
        config: { access: 'session' },
        schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: me } },
      },
      async (request) => {
        const auth = sessionOf(request);
        if (auth.kind === 'operator') {
          const op = await ctx.db.global((tx) =>
            tx.selectFrom('operators').select('locale').where('id', '=', auth.operatorId).executeTakeFirst(),
          );
          return {
            kind: 'operator' as const,
            id: auth.operatorId,
            email: auth.email,
            name: auth.name,
            ...localeOf(op?.locale),
          };
        }
        const { tenant, own } = await ctx.db.tenant(auth.tenantId, async (tx) => ({
          tenant: await tx
            .selectFrom('tenants')
            .select(['id', 'slug', 'name', 'require_second_factor'])
            .where('id', '=', auth.tenantId)
            .executeTakeFirstOrThrow(),
          own:
            auth.kind === 'user'
              ? await tx
                  .selectFrom('users')
                  .select(['totp_enabled_at', 'locale'])
                  .where('id', '=', auth.userId)
                  .executeTakeFirst()
              : await tx
                  .selectFrom('operators')
                  .select(['locale'])
                  .where('id', '=', auth.operatorId)
                  .executeTakeFirst(),
        }));
        const t = {
          id: tenant.id,
          slug: tenant.slug,
          name: tenant.name,
          requireSecondFactor: tenant.require_second_factor,
        };
        if (auth.kind === 'support') {
          return {
            kind: 'support' as const,
            id: auth.operatorId,
            email: auth.email,
            name: auth.name,
            role: 'support' as const,
            tenant: t,
            permissions: [...supportPermissions[auth.scope]],
            support: { grantId: auth.grantId, scope: auth.scope, expiresAt: auth.expiresAt.toISOString() },
            ...localeOf(own?.locale),
          };
        }
        return {
          kind: 'user' as const,
          id: auth.userId,
          email: auth.email,
          name: auth.name,
          role: auth.role,
          tenant: t,
          permissions: auth.enrolmentOnly
            ? []
            : auth.ending
              ? [...ENDING_PERMISSIONS]
              : [...rolePermissions[auth.role]],
          secondFactor: {
            enabled: Boolean(own && 'totp_enabled_at' in own && own.totp_enabled_at),
            enrolmentRequired: auth.enrolmentOnly,
          },
          ...(auth.ending ? { ended: true } : {}),
          ...localeOf(own?.locale),
        };
      },
    );

    // Issue 14: the admin app's language, per person and kept on the server. Only the caller's own row
    // changes (there is no id to name); staff inside a customer under support access change their
    // operator row, on the owner connection (peil_app may not update operators).
    app.patch(
      '/api/v1/auth/me',
      {
        config: { access: 'session' },
        schema: {
          tags: ['auth'],
          summary: "Change your own settings: the admin app's language",
          body: z.object({ locale: z.enum(['nl', 'en']) }).strict(),
          response: { 200: z.object({ locale: z.enum(['nl', 'en']) }) },
        },
      },
      async (request) => {
        const auth = sessionOf(request);
        checkCsrf(request, auth);
        const { locale } = request.body;
        if (auth.kind === 'user') {
          await ctx.db.tenant(auth.tenantId, (tx) =>
            tx.updateTable('users').set({ locale }).where('id', '=', auth.userId).execute(),
          );
        } else {
          await ctx.db.owner('operator-settings', (tx) =>
            tx.updateTable('operators').set({ locale }).where('id', '=', auth.operatorId).execute(),
          );
        }
        return { locale };
      },
    );

    app.post(
      '/api/v1/auth/accept-invite',
      {
        config: { rateLimit: perAddress, access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'A colleague accepts an invitation: sets a password and is signed in',
          body: z.object({
            token: z.string().min(10).max(200),
            password: z.string().min(1).max(256),
            name: z.string().trim().min(1).max(200).optional(),
          }),
          response: { 200: z.object({ ok: z.literal(true) }) },
        },
      },
      async (request, reply) => {
        const token = await acceptInvite(ctx, request.body, actorOf(request, null), async (tx, tenantId, userId) => {
          const t = await tx
            .selectFrom('tenants')
            .select('require_second_factor')
            .where('id', '=', tenantId)
            .executeTakeFirstOrThrow();
          return createSession(tx, times, { kind: 'user', tenantId, userId, enrolmentOnly: t.require_second_factor });
        });
        setSessionCookie(ctx, reply, token, hashToken(token));
        return { ok: true as const };
      },
    );

    // ---------------------------------------------------------------- second factor (ACC-4)

    app.post(
      '/api/v1/auth/second-factor/setup',
      {
        config: { access: 'enrolment' },
        schema: {
          tags: ['auth'],
          summary: 'Start setting up an authenticator app: returns the secret, an otpauth URI and a QR code (SVG)',
          response: { 200: z.object({ secret: z.string(), uri: z.string(), qrSvg: z.string() }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        if (auth.kind !== 'user')
          throw new AppError(ErrorCode.FORBIDDEN, { key: 'problems:auth.secondFactorUsersOnly' });
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const secret = newTotpSecret();
        await ctx.db.tenant(auth.tenantId, (tx) =>
          tx
            .updateTable('users')
            .set({ totp_pending_enc: keys.seal(secret) })
            .where('id', '=', auth.userId)
            .execute(),
        );
        return enrolmentOf(secret, auth.email);
      },
    );

    app.post(
      '/api/v1/auth/second-factor/enable',
      {
        config: { access: 'enrolment' },
        schema: {
          tags: ['auth'],
          summary:
            'Confirm the authenticator app with its current code; returns ten one-time recovery codes (shown once)',
          body: z.object({ code: z.string().regex(/^\d{6}$/, 'six digits') }),
          response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        if (auth.kind !== 'user')
          throw new AppError(ErrorCode.FORBIDDEN, { key: 'problems:auth.secondFactorUsersOnly' });
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const codes = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const u = await tx
            .selectFrom('users')
            .select(['totp_pending_enc'])
            .where('id', '=', auth.userId)
            .executeTakeFirstOrThrow();
          if (!u.totp_pending_enc) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:auth.startSetUpFirst' });
          const secret = keys.open(u.totp_pending_enc);
          if (!checkTotp(secret, request.body.code)) {
            throw new AppError(
              ErrorCode.VALIDATION,
              { key: 'problems:auth.setUpCodeWrong' },
              {
                errors: [
                  {
                    pointer: '/body/code',
                    code: 'wrong_code',
                    reason: 'wrong code',
                    message: { key: 'problems:reasons.wrongCode' },
                  },
                ],
              },
            );
          }
          await tx
            .updateTable('users')
            .set({ totp_secret_enc: keys.seal(secret), totp_pending_enc: null, totp_enabled_at: new Date() })
            .where('id', '=', auth.userId)
            .execute();
          // The session that was limited to enrolment becomes a full one: this session only, named
          // (ACC-6, 0028: a tenant's transaction changes no session it does not name).
          await Db.nameSession(tx, auth.sessionHash);
          await tx
            .updateTable('sessions')
            .set({ enrolment_only: false })
            .where('id_hash', '=', auth.sessionHash)
            .execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SECOND_FACTOR_ENABLED,
            subject: { kind: 'user', id: auth.userId },
          });
          return replaceRecoveryCodes(tx, auth.tenantId, auth.userId);
        });
        forgetSessions((a) => a.kind === 'user' && a.userId === auth.userId);
        return { recoveryCodes: codes };
      },
    );

    app.post(
      '/api/v1/auth/second-factor/disable',
      {
        config: { access: 'user' },
        schema: {
          tags: ['auth'],
          summary: 'Remove the authenticator app (not allowed when the customer requires a second factor)',
          body: z.object({ password: z.string().min(1).max(256) }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        if (auth.kind !== 'user')
          throw new AppError(ErrorCode.FORBIDDEN, { key: 'problems:auth.secondFactorUsersOnly' });
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const t = await tx
            .selectFrom('tenants')
            .select('require_second_factor')
            .where('id', '=', auth.tenantId)
            .executeTakeFirstOrThrow();
          if (t.require_second_factor)
            throw new AppError(ErrorCode.CONFLICT, { key: 'problems:auth.secondFactorRequired' });
          const u = await tx
            .selectFrom('users')
            .select(passwordHashOf('users.tenant_id', 'users.id'))
            .where('id', '=', auth.userId)
            .executeTakeFirstOrThrow();
          if (!u.password_hash || !(await verifyPassword(u.password_hash, request.body.password))) {
            throw new AppError(
              ErrorCode.VALIDATION,
              { key: 'problems:auth.passwordWrong' },
              {
                errors: [
                  {
                    pointer: '/body/password',
                    code: 'wrong_password',
                    reason: 'wrong password',
                    message: { key: 'problems:reasons.wrongPassword' },
                  },
                ],
              },
            );
          }
          await tx
            .updateTable('users')
            .set({ totp_secret_enc: null, totp_pending_enc: null, totp_enabled_at: null })
            .where('id', '=', auth.userId)
            .execute();
          await tx.deleteFrom('user_recovery_codes').where('user_id', '=', auth.userId).execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SECOND_FACTOR_DISABLED,
            subject: { kind: 'user', id: auth.userId },
          });
        });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/auth/second-factor/recovery-codes',
      {
        config: { access: 'user' },
        schema: {
          tags: ['auth'],
          summary: 'Replace your recovery codes (the old ones stop working); needs your password',
          body: z.object({ password: z.string().min(1).max(256) }),
          response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const codes = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const u = await tx
            .selectFrom('users')
            .select([passwordHashOf('users.tenant_id', 'users.id'), 'totp_enabled_at'])
            .where('id', '=', auth.userId)
            .executeTakeFirstOrThrow();
          if (!u.totp_enabled_at)
            throw new AppError(ErrorCode.CONFLICT, { key: 'problems:auth.setUpAuthenticatorFirst' });
          if (!u.password_hash || !(await verifyPassword(u.password_hash, request.body.password))) {
            throw new AppError(
              ErrorCode.VALIDATION,
              { key: 'problems:auth.passwordWrong' },
              {
                errors: [
                  {
                    pointer: '/body/password',
                    code: 'wrong_password',
                    reason: 'wrong password',
                    message: { key: 'problems:reasons.wrongPassword' },
                  },
                ],
              },
            );
          }
          return replaceRecoveryCodes(tx, auth.tenantId, auth.userId);
        });
        return { recoveryCodes: codes };
      },
    );

    app.post(
      '/api/v1/auth/password',
      {
        config: { access: 'enrolment' },
        schema: {
          tags: ['auth'],
          summary: 'Change your password (the current one is needed)',
          body: z.object({ current: z.string().min(1).max(256), password: z.string().min(1).max(256) }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        if (auth.kind !== 'user') throw new AppError(ErrorCode.FORBIDDEN, { key: 'problems:auth.passwordUsersOnly' });
        checkPasswordRules(request.body.password, auth.email);
        const hash = await hashPassword(request.body.password);
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const u = await tx
            .selectFrom('users')
            .select(passwordHashOf('users.tenant_id', 'users.id'))
            .where('id', '=', auth.userId)
            .executeTakeFirstOrThrow();
          if (!u.password_hash || !(await verifyPassword(u.password_hash, request.body.current))) {
            throw new AppError(
              ErrorCode.VALIDATION,
              { key: 'problems:auth.currentPasswordWrong' },
              {
                errors: [
                  {
                    pointer: '/body/current',
                    code: 'wrong_password',
                    reason: 'wrong password',
                    message: { key: 'problems:reasons.wrongPassword' },
                  },
                ],
              },
            );
          }
          await tx.updateTable('users').set({ password_hash: hash }).where('id', '=', auth.userId).execute();
          // Other sessions of this user end: a changed password should lock out whoever knew the old one.
          await tx
            .deleteFrom('sessions')
            .where('user_id', '=', auth.userId)
            .where('id_hash', '!=', auth.sessionHash)
            .execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.PASSWORD_CHANGED,
            subject: { kind: 'user', id: auth.userId },
          });
        });
        forgetSessions((a) => a.kind === 'user' && a.userId === auth.userId && !a.sessionHash.equals(auth.sessionHash));
        return reply.code(204).send(null);
      },
    );
  };
}
