import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, auditSystem, AuditAction, type Actor } from '../../lib/audit.js';
import { Db, type Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { createAgreement } from '../agreement/service.js';
import { ensureRegister } from '../register/service.js';
import { checkPasswordRules, checkPasswords, hashPassword } from '../auth/passwords.js';

export interface NewOperator {
  email: string;
  name: string;
  password: string;
}

export interface NewTenant {
  name: string;
  slug: string;
  sector?: string | undefined;
  owner: { email: string; name: string; password: string };
}

export async function isSetUp(ctx: AppContext): Promise<boolean> {
  const row = await ctx.db.global((tx) => tx.selectFrom('operators').select('id').limit(1).executeTakeFirst());
  return row !== undefined;
}

/** First run: the operator account and the first customer with its owner, in one transaction. */
export async function firstRun(
  ctx: AppContext,
  input: { operator: NewOperator; tenant: NewTenant },
  actor: Actor,
): Promise<{ operatorId: string; tenantId: string; ownerId: string }> {
  // Both passwords are checked before either is refused: one answer names every problem.
  checkPasswords(
    { password: input.operator.password, email: input.operator.email, pointer: '/body/operator/password' },
    { password: input.tenant.owner.password, email: input.tenant.owner.email, pointer: '/body/tenant/owner/password' },
  );
  const operatorHash = await hashPassword(input.operator.password);
  const ownerHash = await hashPassword(input.tenant.owner.password);
  // The owner connection: peil_app may not create operators, customers or keys (grants.sql, ACC-6).
  return ctx.db.owner('setup', async (tx) => {
    // Two browsers submitting the set-up form at once must not both become the operator.
    await sql`select pg_advisory_xact_lock(727275)`.execute(tx);
    const existing = await tx.selectFrom('operators').select('id').limit(1).executeTakeFirst();
    if (existing) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:setup.alreadySetUp' });
    const operatorId = randomUUID();
    await tx
      .insertInto('operators')
      .values({
        id: operatorId,
        email: input.operator.email.toLowerCase(),
        name: input.operator.name,
        password_hash: operatorHash,
      })
      .execute();
    await auditSystem(tx, { ...actor, kind: 'operator', id: operatorId }, 'setup.completed', {
      email: input.operator.email.toLowerCase(),
    });
    const { tenantId, ownerId } = await insertTenant(ctx, tx, input.tenant, ownerHash, {
      ...actor,
      kind: 'operator',
      id: operatorId,
    });
    return { operatorId, tenantId, ownerId };
  });
}

export async function createTenant(
  ctx: AppContext,
  input: NewTenant,
  actor: Actor,
): Promise<{ tenantId: string; ownerId: string }> {
  checkPasswordRules(input.owner.password, input.owner.email, '/body/owner/password');
  const ownerHash = await hashPassword(input.owner.password);
  // The owner connection: peil_app may not create customers or keys (grants.sql, ACC-6).
  return ctx.db.owner('tenant-create', (tx) => insertTenant(ctx, tx, input, ownerHash, actor, '/body'));
}

async function insertTenant(
  ctx: AppContext,
  tx: Tx,
  input: NewTenant,
  ownerHash: string,
  actor: Actor,
  at = '/body/tenant',
) {
  const taken = await tx.selectFrom('tenants').select('id').where('slug', '=', input.slug).executeTakeFirst();
  if (taken)
    throw new AppError(
      ErrorCode.CONFLICT,
      { key: 'problems:setup.slugTaken', params: { slug: input.slug } },
      {
        errors: [
          { pointer: `${at}/slug`, code: 'taken', reason: 'taken', message: { key: 'problems:reasons.slugTaken' } },
        ],
      },
    );
  const tenantId = randomUUID();
  const ownerId = randomUUID();
  await tx
    .insertInto('tenants')
    .values({ id: tenantId, slug: input.slug, name: input.name, sector: input.sector ?? null })
    .execute();
  await ctx.keyring.create(tx, tenantId);
  await Db.switchTenant(tx, tenantId);
  await tx
    .insertInto('users')
    .values({
      tenant_id: tenantId,
      id: ownerId,
      email: input.owner.email.toLowerCase(),
      name: input.owner.name,
      role: 'owner',
      status: 'active',
      password_hash: ownerHash,
      invited_by: null,
    })
    .execute();
  // OBLIGATIONS AGR-1: every customer has an agreement, with the defaults until the operator sets it.
  await createAgreement(tx, tenantId);
  // OBLIGATIONS REG-1: and a default register of processing, which the owner edits.
  await ensureRegister(tx, tenantId);
  await audit(tx, tenantId, actor, {
    action: AuditAction.TENANT_CREATED,
    subject: { kind: 'tenant', id: tenantId },
    details: { slug: input.slug, ownerId },
  });
  return { tenantId, ownerId };
}
