/**
 * The response writer's batch (issue 17: the batch's surveys read once, the tenant switched only
 * when it changes): answers of two customers, a survey that closed, an invitation answered twice and
 * an anonymous survey, all in one batch. Each answer is stored under its own customer or reported as
 * not stored, never both, and each customer's month counts only its own.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { newCustomer, operatorCookie, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { npsDefinition } from '../surveys/definition.js';
import { ResponseWriter, type Submission } from './writer.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

/** A survey with `n` invitations, straight in the database. */
async function survey(tenantId: string, n: number, opts: { status?: 'open' | 'closed'; anonymity?: string } = {}) {
  const keys = await t.ctx.keyring.forTenant(tenantId);
  const surveyId = randomUUID();
  const distributionId = randomUUID();
  const invitations = Array.from({ length: n }, () => randomUUID());
  await t.ctx.db.tenant(tenantId, async (tx) => {
    await tx
      .insertInto('surveys')
      .values({
        tenant_id: tenantId,
        id: surveyId,
        name: `Schrijver ${surveyId.slice(0, 4)}`,
        kind: 'nps',
        default_language: 'nl',
        definition: JSON.stringify(npsDefinition('Test BV')),
        created_by: null,
        status: opts.status ?? 'open',
        anonymity: (opts.anonymity ?? 'identified') as never,
      })
      .execute();
    await tx
      .insertInto('distributions')
      .values({ tenant_id: tenantId, id: distributionId, survey_id: surveyId, created_by: null, total: n })
      .execute();
    for (const id of invitations) {
      const contact = randomUUID();
      const email = `${contact}@example.nl`;
      await tx
        .insertInto('contacts')
        .values({
          tenant_id: tenantId,
          id: contact,
          email_hmac: keys.emailIndex(email),
          email_enc: keys.seal(email),
          profile: '{}',
        })
        .execute();
      await tx
        .insertInto('invitations')
        .values({
          tenant_id: tenantId,
          id,
          survey_id: surveyId,
          distribution_id: distributionId,
          contact_id: contact,
          language: 'nl',
          status: 'sent',
        })
        .execute();
    }
  });
  const answer = (invitationId: string, score: number): Submission => ({
    tenantId,
    surveyId,
    invitationId,
    language: 'nl',
    score,
    answers: null,
    answersEnc: keys.sealJson({ score }),
  });
  return { surveyId, invitations, answer };
}

async function stored(tenantId: string) {
  return t.ctx.db.tenant(tenantId, async (tx) => ({
    responses: await tx.selectFrom('responses').select(['survey_id', 'invitation_id', 'contact_id', 'score']).execute(),
    counted: Number(
      (
        await sql<{
          v: string;
        }>`SELECT coalesce(sum(value), 0)::text AS v FROM usage_counters WHERE metric = 'responses'`.execute(tx)
      ).rows[0]!.v,
    ),
  }));
}

test('one batch with two customers, a closed survey, a repeat and an anonymous survey: each answer stored once under its own customer, or reported as not stored', async () => {
  const { tenantId: a, ownerCookie } = await setUp(t);
  void ownerCookie;
  const b = (await newCustomer(t, await operatorCookie(t))).id;
  const sa = await survey(a, 3);
  const sb = await survey(b, 3);
  const closed = await survey(a, 1, { status: 'closed' });
  const anonymous = await survey(b, 1, { anonymity: 'anonymous' });

  const writer = new ResponseWriter(t.ctx, { windowMs: 200 });
  const items: Submission[] = [
    sa.answer(sa.invitations[0]!, 9),
    sb.answer(sb.invitations[0]!, 3),
    sa.answer(sa.invitations[1]!, 10),
    closed.answer(closed.invitations[0]!, 7),
    sb.answer(sb.invitations[1]!, 8),
    sa.answer(sa.invitations[0]!, 0), // the same invitation again, in the same batch
    anonymous.answer(anonymous.invitations[0]!, 6),
    // Under customer B, an invitation of customer A (the tenant is switched within the batch): B's
    // transaction cannot see it, so nothing is stored.
    { ...sb.answer(sa.invitations[2]!, 1), surveyId: sa.surveyId },
  ];
  const results = await Promise.all(items.map((it) => writer.submit(it)));
  await writer.close();
  assert.deepEqual(results, ['stored', 'stored', 'stored', 'duplicate', 'stored', 'duplicate', 'stored', 'duplicate']);

  const inA = await stored(a);
  const inB = await stored(b);
  assert.deepEqual(inA.responses.map((r) => r.score).sort(), [10, 9]);
  assert.ok(inA.responses.every((r) => r.survey_id === sa.surveyId && r.invitation_id && r.contact_id));
  assert.deepEqual(inB.responses.map((r) => r.score).sort(), [3, 6, 8]);
  // The anonymous answer has neither invitation nor contact.
  const anon = inB.responses.find((r) => r.survey_id === anonymous.surveyId)!;
  assert.equal(anon.invitation_id, null);
  assert.equal(anon.contact_id, null);
  // Customer A's invitation is still open to its own answer.
  const open = await t.ctx.db.tenant(a, (tx) =>
    tx.selectFrom('invitations').select('responded_at').where('id', '=', sa.invitations[2]!).executeTakeFirstOrThrow(),
  );
  assert.equal(open.responded_at, null);
  // Each month's count is the customer's own.
  assert.equal(inA.counted, 2);
  assert.equal(inB.counted, 3);

  // The same answers again (a replay): nothing more is stored or counted.
  const again = new ResponseWriter(t.ctx, { windowMs: 50 });
  const replay = await Promise.all(items.slice(0, 3).map((it) => again.submit(it)));
  await again.close();
  assert.deepEqual(replay, ['duplicate', 'duplicate', 'duplicate']);
  assert.equal((await stored(a)).counted, 2);
  assert.equal((await stored(b)).counted, 3);
});
