/**
 * OBLIGATIONS SEC-2 (issue 16): a large contact import does not starve the HTTP server on PGlite. The
 * import used to write its rows in one transaction (nothing is imported when a row is bad), and on PGlite
 * every statement runs inside this process: batches of 2,000 rows held the event loop for seconds
 * between turns (measured: event-loop delay up to 6 s, /healthz up to 3.7 s for 20,000 rows on a
 * loaded machine). It now writes batches of 250 there and yields between them. Here a real HTTP
 * client probes /healthz all through the commit; the figures are in the diagnostic line.
 *
 * Issue 17: the commit stages the rows in short transactions and merges them in one at the end, so a
 * request that needs the database (the contact list) is answered during the staging too, on PGlite's
 * one connection, and sees none of the file until the merge has committed and then all of it: never
 * a part (the probe below alternates /healthz and the contact list and checks both).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbKind, multipartFile, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

const ROWS = 6_000;
const onPostgres = dbKind !== 'pglite';
let t: TestApp | undefined;
let cookie: string;
let base: string;

before(async () => {
  if (onPostgres) return;
  t = await startTestApp();
  cookie = (await setUp(t)).ownerCookie;
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const a = t.app.server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
after(async () => {
  await t?.close();
});

test(
  `SEC-2 the commit of a ${ROWS}-row contact import on ${dbKind} leaves the HTTP server answering: /healthz is answered all through the commit (latency probe, issue 16)`,
  {
    skip: onPostgres
      ? 'PGlite only: on PostgreSQL the statements are socket I/O and the event loop always gets its turn'
      : false,
  },
  async (tc) => {
    const app = t!;
    const csv = [
      'email,voornaam,achternaam',
      ...Array.from({ length: ROWS }, (_, i) => `p${i}@import-latency.example,Persoon${i},Jansen`),
    ].join('\n');
    const body = multipartFile(csv);
    const up = await app.app.inject({
      method: 'POST',
      url: '/api/v1/contact-imports',
      headers: { cookie, ...body.headers },
      payload: body.payload,
    });
    assert.equal(up.statusCode, 201, up.body);
    const { id, mapping } = up.json();
    const csrf = /(?:^|;\s*)peil_csrf=([^;]+)/.exec(cookie)![1]!;

    let committing = true;
    const commit = fetch(`${base}/api/v1/contact-imports/${id}/commit`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ mapping, validOnly: false }),
    })
      .then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))
      .finally(() => {
        committing = false;
      });
    const latencies: number[] = [];
    let during = 0;
    const totals: number[] = [];
    while (committing) {
      const t0 = performance.now();
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      assert.equal(res.status, 200);
      latencies.push(performance.now() - t0);
      if (committing) during++;
      const list = await fetch(`${base}/api/v1/contacts?limit=1`, { headers: { cookie } });
      assert.equal(list.status, 200);
      const { total } = (await list.json()) as { total: number };
      if (committing) totals.push(total);
      await new Promise((r) => setTimeout(r, 20));
    }
    const done = await commit;
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.imported, ROWS);
    assert.ok(during >= 3, `/healthz was answered while the import was being written (${during} times)`);
    assert.ok(
      totals.some((n) => n === 0),
      `the contact list was answered during the staging, before the merge (${totals.join(', ')})`,
    );
    assert.deepEqual(
      totals.filter((n) => n !== 0 && n !== ROWS),
      [],
      'a reader sees none of the file or all of it, never a part',
    );
    latencies.sort((a, b) => a - b);
    const max = latencies[latencies.length - 1]!;
    tc.diagnostic(
      `${latencies.length} probes during the commit; max ${Math.round(max)} ms, median ${Math.round(latencies[Math.floor(latencies.length / 2)]!)} ms; answered mid-commit: ${during}`,
    );
    // A bound only a starving commit breaks (not a speed figure: those are in `npm run bench`).
    assert.ok(max < 5000, `/healthz waited ${Math.round(max)} ms during the commit`);
  },
);
