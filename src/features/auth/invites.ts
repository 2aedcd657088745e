import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import type { Tx } from '../../lib/db/db.js';
import type { Role } from '../../lib/db/schema.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { randomTenantToken, tenantOfToken } from '../../lib/tokens.js';
import { checkPasswordRules, hashPassword } from './passwords.js';
import { hashToken } from './sessions.js';
import { countWithin } from '../plans/limits.js';

/** How long an invitation link is valid (the invitation mail says so, `mails:userInvite.text`). */
export const INVITE_DAYS = 7;

/** Creates an invited user and its one-time token (only the hash is stored). Call inside the tenant's transaction. */
export async function createInvite(
  tx: Tx,
  tenantId: string,
  input: { email: string; name: string; role: Role },
  actor: Actor,
): Promise<{ userId: string; token: string }> {
  const email = input.email.toLowerCase();
  const exists = await tx
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('email', '=', email)
    .executeTakeFirst();
  if (exists)
    throw new AppError(
      ErrorCode.CONFLICT,
      { key: 'problems:auth.emailHasAccount' },
      {
        errors: [
          {
            pointer: '/body/email',
            code: 'exists',
            reason: 'exists',
            message: { key: 'problems:reasons.emailExists' },
          },
        ],
      },
    );
  const userId = randomUUID();
  const token = randomTenantToken(tenantId);
  await tx
    .insertInto('users')
    .values({
      tenant_id: tenantId,
      id: userId,
      email,
      name: input.name,
      role: input.role,
      status: 'invited',
      password_hash: null,
      invited_by: actor.id,
    })
    .execute();
  // OBLIGATIONS SVC-6: the plan's number of users (invited ones count: they hold a seat).
  await countWithin(tx, tenantId, 'users', 1, { nl: 'Deze uitnodiging', en: 'This invitation' });
  await tx
    .insertInto('user_invites')
    .values({
      tenant_id: tenantId,
      id: randomUUID(),
      user_id: userId,
      token_hash: hashToken(token),
      expires_at: new Date(Date.now() + INVITE_DAYS * 86_400_000),
    })
    .execute();
  await audit(tx, tenantId, actor, {
    action: AuditAction.USER_INVITED,
    subject: { kind: 'user', id: userId },
    details: { role: input.role },
  });
  return { userId, token };
}

/** A new one-time invitation token for an existing user who never chose a password (reactivation). */
export async function reissueInvite(tx: Tx, tenantId: string, userId: string): Promise<string> {
  const token = randomTenantToken(tenantId);
  await tx.deleteFrom('user_invites').where('user_id', '=', userId).execute();
  await tx
    .insertInto('user_invites')
    .values({
      tenant_id: tenantId,
      id: randomUUID(),
      user_id: userId,
      token_hash: hashToken(token),
      expires_at: new Date(Date.now() + INVITE_DAYS * 86_400_000),
    })
    .execute();
  return token;
}

/** Accepts an invitation; `then` runs in the same transaction (the new session, so activation and sign-in are one). */
export async function acceptInvite<T>(
  ctx: AppContext,
  input: { token: string; password: string; name?: string | undefined },
  actor: Actor,
  then: (tx: Tx, tenantId: string, userId: string) => Promise<T>,
): Promise<T> {
  const tenantId = tenantOfToken(input.token);
  const gone = () => new AppError(ErrorCode.NOT_FOUND, { key: 'problems:auth.invitationInvalid' });
  if (!tenantId) throw gone();
  const exists = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select('status').where('id', '=', tenantId).executeTakeFirst(),
  );
  if (!exists || exists.status !== 'active') throw gone();
  const invite = await ctx.db.tenant(tenantId, (tx) =>
    tx
      .selectFrom('user_invites')
      .innerJoin('users', (j) =>
        j.onRef('users.tenant_id', '=', 'user_invites.tenant_id').onRef('users.id', '=', 'user_invites.user_id'),
      )
      .select([
        'user_invites.id',
        'user_invites.user_id',
        'user_invites.expires_at',
        'user_invites.accepted_at',
        'users.email',
      ])
      .where('user_invites.token_hash', '=', hashToken(input.token))
      .executeTakeFirst(),
  );
  if (!invite || invite.accepted_at || new Date(invite.expires_at).getTime() < Date.now()) throw gone();
  checkPasswordRules(input.password, invite.email);
  const hash = await hashPassword(input.password);
  return ctx.db.tenant(tenantId, async (tx) => {
    const done = await tx
      .updateTable('user_invites')
      .set({ accepted_at: new Date() })
      .where('id', '=', invite.id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw gone();
    await tx
      .updateTable('users')
      .set({ password_hash: hash, status: 'active', ...(input.name ? { name: input.name } : {}) })
      .where('id', '=', invite.user_id)
      .execute();
    await audit(
      tx,
      tenantId,
      { ...actor, kind: 'user', id: invite.user_id },
      { action: AuditAction.USER_ACTIVATED, subject: { kind: 'user', id: invite.user_id } },
    );
    return then(tx, tenantId, invite.user_id);
  });
}
