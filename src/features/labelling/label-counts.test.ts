import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { appOnDatabase, freshDatabase, setUp, type TestApp } from '../../../test/harness.js';
import { answeredSurvey } from '../../../test/respondents.js';
import type { DatabaseHandle } from '../../lib/db/connect.js';
import { MasterKey } from '../../lib/crypto/keyring.js';
import type { Tx } from '../../lib/db/db.js';
import { backupDatabase } from '../backup/backup.js';
import { restoreDatabase } from '../backup/restore.js';
import { seedStandardLabels } from './labels.js';
import { labelSummary } from './results.js';

/**
 * Issue 17: the label counts of the results page come from label_counts (migration 0042), kept by
 * triggers in the statement that changes a label or a sentiment. Each step below changes labels the
 * way a part of Peil does (the labelling job's batched inserts, a correction, a relabel after the
 * survey's set changed, an erasure's cascade, a restore's truncate and inserts) and then compares every
 * kept count with a full count of the labels themselves; and a release's counts (a confidential
 * survey shows the answers up to a cutoff) with the labels counted up to each possible cutoff.
 */

const SENTIMENTS = ['positive', 'negative', 'neutral', 'mixed', null] as const;
const CUSTOMER = ['service', 'staff', 'price', 'waiting_time', 'product_quality'];
const EMPLOYEE = ['workload', 'leadership', 'colleagues'];

/** Every count, from the labels themselves: "question|set|label|sentiment|day" -> n (day 1970-01-01: all days). */
async function recount(tx: Tx, surveyId: string): Promise<Map<string, number>> {
  const rows = await sql<{ k: string; n: string }>`
    SELECT concat_ws('|', question_id, label_set, '', coalesce(sentiment, ''), (submitted_at AT TIME ZONE 'UTC')::date) AS k, count(*) AS n
      FROM response_labelling WHERE survey_id = ${surveyId}::uuid AND has_text AND label_set IS NOT NULL GROUP BY 1
    UNION ALL
    SELECT concat_ws('|', rl.question_id, rl.label_set, rl.label_id, coalesce(l.sentiment, ''), (l.submitted_at AT TIME ZONE 'UTC')::date), count(*)
      FROM response_labels rl
      JOIN response_labelling l ON l.tenant_id = rl.tenant_id AND l.response_id = rl.response_id AND l.question_id = rl.question_id
     WHERE rl.survey_id = ${surveyId}::uuid GROUP BY 1`.execute(tx);
  const counts = new Map(rows.rows.map((r) => [r.k, Number(r.n)]));
  // And the whole survey's, under 1970-01-01.
  for (const [k, n] of [...counts]) {
    const whole = `${k.slice(0, k.lastIndexOf('|'))}|1970-01-01`;
    counts.set(whole, (counts.get(whole) ?? 0) + n);
  }
  return counts;
}

async function kept(tx: Tx, surveyId: string): Promise<Map<string, number>> {
  const rows = await sql<{ k: string; n: string }>`
    SELECT concat_ws('|', question_id, label_set, label_id, sentiment, day) AS k, n FROM label_counts
     WHERE survey_id = ${surveyId}::uuid AND n <> 0`.execute(tx);
  return new Map(rows.rows.map((r) => [r.k, Number(r.n)]));
}

const sorted = (m: Map<string, number>) => [...m].sort((a, b) => a[0].localeCompare(b[0]));

describe(`issue 17: label counts kept by the database equal a full count (${process.env.PEIL_TEST_DATABASE_URL ? 'postgresql' : 'pglite'})`, () => {
  const master = new MasterKey(randomBytes(32));
  const overrides = { LABELLING_SWEEP_SECONDS: '0' };
  const dir = mkdtempSync(join(tmpdir(), 'peil-label-counts-'));
  let db: { handle: DatabaseHandle; drop: () => Promise<void> };
  let t: TestApp;
  let tenantId: string;
  let surveyId: string;
  let responseIds: string[];
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const tenant = <T>(fn: (tx: Tx) => Promise<T>) => t.ctx.db.tenant(tenantId, fn);

  const check = async (step: string) => {
    const [want, have] = await tenant(async (tx) => [await recount(tx, surveyId), await kept(tx, surveyId)]);
    assert.ok(want.size > 0 || step === 'erased', `${step}: there is something to count`);
    assert.deepEqual(sorted(have), sorted(want), step);
  };

  /** Labels answers as the labelling job does: one insert of labelling rows, one of labels. */
  const label = (ids: readonly string[], set: 'customer' | 'employee') =>
    tenant(async (tx) => {
      const rows = ids.map((id) => ({ id, sentiment: pick(SENTIMENTS) }));
      await sql`
        INSERT INTO response_labelling (tenant_id, response_id, question_id, survey_id, submitted_at, has_text, sentiment, source, model_version, label_set)
        SELECT r.tenant_id, r.id, 'why', r.survey_id, r.submitted_at, true, x.sentiment, 'model', 1, ${set}
          FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.sentiment)}::text[]) AS x(id, sentiment)
          JOIN responses r ON r.id = x.id`.execute(tx);
      const labels = ids.flatMap((id) => {
        const own = set === 'customer' ? CUSTOMER : EMPLOYEE;
        return [...new Set([pick(own), pick(own)])].map((l) => ({ id, l }));
      });
      await sql`
        INSERT INTO response_labels (tenant_id, response_id, question_id, label_set, label_id, survey_id, source)
        SELECT r.tenant_id, r.id, 'why', ${set}, x.l, r.survey_id, 'model'
          FROM unnest(${labels.map((r) => r.id)}::uuid[], ${labels.map((r) => r.l)}::text[]) AS x(id, l)
          JOIN responses r ON r.id = x.id`.execute(tx);
    });

  before(async () => {
    db = await freshDatabase();
    t = await appOnDatabase(db.handle, master, overrides, { closeHandle: false });
    let owner: string;
    ({ tenantId, ownerCookie: owner } = await setUp(t));
    ({ surveyId, responseIds } = await answeredSurvey(
      t,
      owner,
      tenantId,
      Array.from({ length: 36 }, (_, i) => ({ score: i % 11, why: `Opmerking ${i}` })),
    ));
    await tenant(async (tx) => {
      await seedStandardLabels(tx, tenantId, 'customer');
      await seedStandardLabels(tx, tenantId, 'employee');
      // Spread over six UTC days, some answers close to midnight on either side.
      for (const [i, id] of responseIds.entries()) {
        await sql`UPDATE responses SET submitted_at = date_trunc('day', now()) - ${`${i % 6} days`}::interval
                   + ${`${(i * 37) % 2 ? 1 : -1} seconds`}::interval * ${1 + (i % 5)} WHERE id = ${id}::uuid`.execute(
          tx,
        );
      }
    });
  });
  after(async () => {
    await t.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the labelling job labels answers in batches', async () => {
    await label(responseIds.slice(0, 20), 'customer');
    await label(responseIds.slice(20, 30), 'customer');
    await check('labelled');
  });

  test('corrections change sentiments and labels, in either order', async () => {
    await tenant(async (tx) => {
      for (const id of responseIds.slice(0, 12)) {
        const sentiment = pick(SENTIMENTS);
        if (rnd() < 0.5) {
          await sql`UPDATE response_labelling SET sentiment = ${sentiment}, source = 'human' WHERE response_id = ${id}::uuid`.execute(
            tx,
          );
          await sql`DELETE FROM response_labels WHERE response_id = ${id}::uuid`.execute(tx);
          await sql`INSERT INTO response_labels (tenant_id, response_id, question_id, label_set, label_id, survey_id, source)
                    VALUES (${tenantId}::uuid, ${id}::uuid, 'why', 'customer', ${pick(CUSTOMER)}, ${surveyId}::uuid, 'human')`.execute(
            tx,
          );
        } else {
          // Labels first, the sentiment after: the labels already there move with it.
          await sql`DELETE FROM response_labels WHERE response_id = ${id}::uuid AND label_id <> 'price'`.execute(tx);
          await sql`INSERT INTO response_labels (tenant_id, response_id, question_id, label_set, label_id, survey_id, source)
                    VALUES (${tenantId}::uuid, ${id}::uuid, 'why', 'customer', 'staff', ${surveyId}::uuid, 'human')
                    ON CONFLICT DO NOTHING`.execute(tx);
          await sql`UPDATE response_labelling SET sentiment = ${sentiment}, source = 'human' WHERE response_id = ${id}::uuid`.execute(
            tx,
          );
        }
      }
      // One statement changing many answers' sentiment at once.
      await sql`UPDATE response_labelling SET sentiment = 'neutral' WHERE response_id = ANY(${responseIds.slice(12, 18)}::uuid[])`.execute(
        tx,
      );
    });
    await check('corrected');
  });

  test('a change of the survey’s set deletes its labels (a cascade) and they are labelled again in the new set', async () => {
    await tenant((tx) =>
      sql`DELETE FROM response_labelling WHERE survey_id = ${surveyId}::uuid AND has_text AND question_id = 'why'
            AND response_id = ANY(${responseIds.slice(0, 25)}::uuid[])`.execute(tx),
    );
    await check('relabel started');
    await label(responseIds.slice(0, 25), 'employee');
    await check('relabelled');
  });

  test('a release counts exactly the labelled answers up to its cutoff, for every cutoff', async () => {
    await tenant(async (tx) => {
      const order = (
        await sql<{ at: string; id: string }>`SELECT submitted_at::text AS at, id FROM responses
           WHERE survey_id = ${surveyId}::uuid ORDER BY submitted_at, id`.execute(tx)
      ).rows;
      await sql`UPDATE surveys SET label_set = 'employee' WHERE id = ${surveyId}::uuid`.execute(tx);
      for (const [i, cutoff] of order.entries()) {
        const upTo = new Set(order.slice(0, i + 1).map((r) => r.id));
        const rows = await sql<{ id: string; sentiment: string | null }>`
          SELECT response_id AS id, sentiment FROM response_labelling
           WHERE survey_id = ${surveyId}::uuid AND has_text AND label_set = 'employee'`.execute(tx);
        const labels = await sql<{ id: string; label_id: string }>`
          SELECT response_id AS id, label_id FROM response_labels WHERE survey_id = ${surveyId}::uuid AND label_set = 'employee'`.execute(
          tx,
        );
        const mine = rows.rows.filter((r) => upTo.has(r.id));
        const got = await labelSummary(tx, tenantId, surveyId, cutoff);
        assert.equal(got.labelled, mine.length, `labelled up to answer ${i + 1}`);
        for (const s of ['positive', 'negative', 'neutral', 'mixed'] as const)
          assert.equal(got.sentiment[s], mine.filter((r) => r.sentiment === s).length, `${s} up to answer ${i + 1}`);
        for (const l of EMPLOYEE) {
          const want = labels.rows.filter((r) => r.label_id === l && upTo.has(r.id)).length;
          assert.equal(got.labels.find((x) => x.id === l)?.count ?? 0, want, `${l} up to answer ${i + 1}`);
        }
      }
      const all = await labelSummary(tx, tenantId, surveyId);
      assert.equal(all.labelled, 25);
      assert.equal((await labelSummary(tx, tenantId, surveyId, null)).labelled, 0, 'nothing released: nothing shown');
    });
  });

  test('SEC-2 an older backup restored over the database: the counts are those of the restored labels, not both', async () => {
    const file = join(dir, 'before.backup');
    await backupDatabase(db.handle, master, file);
    const then = await tenant((tx) => recount(tx, surveyId));
    // After the backup: more labels, and others gone.
    await label(responseIds.slice(30, 36), 'employee');
    await tenant((tx) => sql`DELETE FROM response_labels WHERE response_id = ${responseIds[0]!}::uuid`.execute(tx));
    await check('changed after the backup');
    await t.close();
    await restoreDatabase(db.handle, master, file, { force: true });
    t = await appOnDatabase(db.handle, master, overrides, { closeHandle: false });
    await check('restored');
    assert.deepEqual(sorted(await tenant((tx) => recount(tx, surveyId))), sorted(then), 'the backup’s labels are back');
  });

  test('DSR-2 erasing answers takes their counts with them (the cascade deletes the labels in its own order)', async () => {
    await tenant((tx) => sql`DELETE FROM responses WHERE id = ANY(${responseIds.slice(5, 31)}::uuid[])`.execute(tx));
    await check('some erased');
    await tenant((tx) => sql`DELETE FROM responses WHERE survey_id = ${surveyId}::uuid`.execute(tx));
    await check('erased');
    const left = await tenant((tx) => kept(tx, surveyId));
    assert.equal(left.size, 0, 'no count is left over');
  });
});
