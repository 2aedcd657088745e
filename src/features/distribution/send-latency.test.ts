/**
 * OBLIGATIONS SEC-2 (issue 16, item 3): no background job starves the HTTP server on PGlite. A send of
 * invitations into the outbox (PGlite's default mailer) used to run as one unbroken chain of promises:
 * /healthz and GET /api/v1/surveys waited for the whole send (up to 42 s for 12,000 mails). Here a real
 * HTTP client probes the server all through a send. The latency itself is measured in bench/
 * (npm run bench -- invitations: "event loop delay max"); this test checks that the server answers
 * between the send's steps, which it did not at all before.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbKind, importCsv, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

const CONTACTS = 1_500;
// PGlite only: on PostgreSQL every query is real socket I/O, so the event loop always gets its turn,
// and a send of this size can be over before three probes went round (a CI run saw two).
const onPostgres = dbKind !== 'pglite';
let t: TestApp | undefined;
let cookie: string;
let base: string;

before(async () => {
  if (onPostgres) return;
  t = await startTestApp();
  cookie = (await setUp(t)).ownerCookie;
  const csv = [
    'email,voornaam',
    ...Array.from({ length: CONTACTS }, (_, i) => `r${i}@latency.example,Persoon${i}`),
  ].join('\n');
  const imp = await importCsv(t, cookie, csv);
  assert.equal(imp.statusCode, 200, imp.body);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const a = t.app.server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
after(async () => {
  await t?.close();
});
const app = (): TestApp => t!;

test(
  `SEC-2 a send of ${CONTACTS} invitations on ${dbKind} leaves the HTTP server answering: /healthz and GET /api/v1/surveys are answered all through the send (latency probe, issue 16)`,
  {
    skip: onPostgres
      ? 'PGlite only: on PostgreSQL queries are socket I/O, and the send can end before three probes'
      : false,
  },
  async (tc) => {
    const t = app();
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie },
      payload: { name: 'Latentie' },
    });
    const surveyId = s.json().id as string;
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/open`, headers: { cookie } })).statusCode,
      200,
    );
    const d = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/distributions`,
      headers: { cookie },
      payload: { all: true },
    });
    assert.equal(d.statusCode, 202, d.body);

    // Probe over real HTTP (through the event loop, as a browser would): the send's progress, then
    // /healthz and the survey list, again and again until nothing is queued.
    const get = async (path: string) => {
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { cookie } });
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(res.status, 200, JSON.stringify(body));
      return { body, ms: performance.now() - t0 };
    };
    const progress = async () => {
      const r = await get(`/api/v1/surveys/${surveyId}/distributions`);
      const counts = (r.body.distributions as Array<{ counts: { queued: number; sent: number; total: number } }>)[0]!
        .counts;
      return counts;
    };
    const latencies: number[] = [];
    let between = 0;
    let sentSeen = 0;
    let before = await progress();
    const until = Date.now() + 180_000;
    while (before.queued > 0 || before.sent === 0) {
      assert.ok(Date.now() < until, 'the send finishes');
      const h = await get('/healthz');
      const l = await get('/api/v1/surveys');
      latencies.push(h.ms, l.ms);
      const now = await progress();
      // Answered while the send was under way: mails left before and after these requests.
      if (now.queued > 0 && before.queued < now.total) between++;
      sentSeen = Math.max(sentSeen, now.sent);
      before = now;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(
      before.sent + (before.total - before.sent - before.queued),
      before.total,
      'every invitation was handled',
    );
    assert.ok(between >= 3, `requests were answered while the send was under way (${between} rounds)`);
    latencies.sort((a, b) => a - b);
    const max = latencies[latencies.length - 1]!;
    tc.diagnostic(
      `${latencies.length} probes during the send; max ${Math.round(max)} ms, median ${Math.round(latencies[Math.floor(latencies.length / 2)]!)} ms; rounds answered mid-send: ${between}`,
    );
    // Not a speed figure (those come from `npm run bench -- invitations`, against the 1 s aim): a
    // bound that only a starving send breaks (issue 16 measured 42 s), generous for a shared CI machine.
    assert.ok(max < 5000, `a request waited ${Math.round(max)} ms during the send`);
  },
);
