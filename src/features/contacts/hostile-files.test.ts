import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { importCsv, multipartFile, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { xlsxBomb, xlsxOf } from '../../../test/xlsx-bomb.js';

/**
 * OBLIGATIONS SEC-3 (issue 16 item 2): an upload is bounded by what it inflates to, not only by its
 * size. A workbook bomb is refused with a clear problem, and while any workbook is unpacked and
 * parsed the server keeps answering: /healthz is probed all along and the event loop's longest
 * stall is measured. The bound (5 s) is generous for a shared CI machine and still 12× under the 60 s the issue measured.
 */
describe('SEC-3 hostile files: workbook bombs, endless CSV records and NUL in cells', () => {
  let t: TestApp;
  let owner: string;

  before(async () => {
    // A small inflate budget keeps the "hiding" bomb (which must really be inflated to be caught) cheap.
    t = await startTestApp({ XLSX_INFLATE_LIMIT_MB: '24' });
    ({ ownerCookie: owner } = await setUp(t));
  });
  after(() => t.close());

  /** Uploads `file` while /healthz is asked every 20 ms; the answers and the longest wait. */
  async function uploadWithProbe(file: Buffer, name = 'contacten.xlsx') {
    const body = multipartFile(file, name);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    let done = false;
    const upload = t.app
      .inject({
        method: 'POST',
        url: '/api/v1/contact-imports',
        headers: { cookie: owner, ...body.headers },
        payload: body.payload,
      })
      .finally(() => {
        done = true;
      });
    const probes: { status: number; ms: number }[] = [];
    while (!done) {
      const started = performance.now();
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      probes.push({ status: res.statusCode, ms: performance.now() - started });
      await new Promise((r) => setTimeout(r, 20));
    }
    loop.disable();
    const res = await upload;
    return { res, probes, maxHealthMs: Math.max(0, ...probes.map((p) => p.ms)), maxStallMs: loop.max / 1e6 };
  }

  function assertRefusedAsTooLarge(res: Awaited<ReturnType<typeof uploadWithProbe>>['res']) {
    assert.equal(res.statusCode, 422, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const p = res.json();
    assert.equal(p.code, 'invalid_file');
    assert.ok(p.requestId, 'the problem carries a requestId');
    // A problem of the whole workbook: the detail says it, no row is named (issue 14 item 6).
    assert.match(p.detail, /pakt uit tot meer dan|zip-bom/);
    assert.equal(p.fileError, 'too_large');
    assert.equal(p.errors, undefined);
  }

  for (const [kind, rows] of [
    ['ratio', 400_000],
    ['lying', 10],
    ['hiding', 250_000],
  ] as const) {
    test(`SEC-3 a "${kind}" workbook bomb is refused 422 with a clear problem, and /healthz answers all along`, async (c) => {
      const { file, inflated } = await xlsxBomb(kind, rows);
      const r = await uploadWithProbe(file);
      assertRefusedAsTooLarge(r.res);
      assert.ok(r.probes.length > 0 && r.probes.every((p) => p.status === 200));
      c.diagnostic(
        `${kind}: ${(file.length / 1e6).toFixed(1)} MB inflating to ${(inflated / 1e6).toFixed(0)} MB; ${r.probes.length} /healthz probes, slowest ${r.maxHealthMs.toFixed(0)} ms; longest event-loop stall ${r.maxStallMs.toFixed(0)} ms`,
      );
      assert.ok(r.maxStallMs < 5000, `the event loop stalled ${r.maxStallMs} ms`);
    });
  }

  // A CSV does not inflate (uploads are not decompressed), so its worst is its size: one record that
  // never ends (an unclosed quote, a line without an end) or a header of endless columns. Each is
  // refused at the record cap (1 MiB) as it streams in, without reading the rest into memory.
  for (const [kind, make] of [
    ['unclosed quote', () => Buffer.concat([Buffer.from('email;naam\n"'), Buffer.alloc(24 * 1024 * 1024, 'a')])],
    ['line without an end', () => Buffer.concat([Buffer.from('email;naam\n'), Buffer.alloc(24 * 1024 * 1024, 'b')])],
    [
      'header of 400,000 columns',
      () => Buffer.from(`${Array.from({ length: 400_000 }, (_, i) => `k${i}`).join(';')}\na@example.nl\n`),
    ],
  ] as const) {
    test(`SEC-3 a CSV with ${kind} is refused 422 with a clear problem at the record cap, and /healthz answers all along`, async (c) => {
      const file = make();
      const r = await uploadWithProbe(file, 'contacten.csv');
      assert.equal(r.res.statusCode, 422, r.res.body.slice(0, 500));
      assert.match(String(r.res.headers['content-type']), /^application\/problem\+json/);
      const p = r.res.json();
      assert.equal(p.code, 'invalid_file');
      assert.ok(p.requestId, 'the problem carries a requestId');
      // Where it went wrong: the record that never ends (row 2), or the header.
      assert.match(p.detail, /vanaf rij 2|kopregel/);
      assert.ok(r.probes.every((x) => x.status === 200));
      c.diagnostic(
        `${kind}: ${(file.length / 1e6).toFixed(1)} MB: ${p.detail}; ${r.probes.length} /healthz probes, slowest ${r.maxHealthMs.toFixed(0)} ms; longest event-loop stall ${r.maxStallMs.toFixed(0)} ms`,
      );
      assert.ok(r.maxStallMs < 5000, `the event loop stalled ${r.maxStallMs} ms`);
    });
  }

  test('SEC-3 a large honest workbook is parsed off the main thread: /healthz keeps answering while it is read', async (c) => {
    const { file, inflated } = await xlsxBomb('varied', 60_000);
    assert.ok(inflated < 24 * 1024 * 1024);
    const r = await uploadWithProbe(file);
    assert.equal(r.res.statusCode, 201, r.res.body);
    assert.equal(r.res.json().rows, 60_000);
    assert.ok(r.probes.length > 1 && r.probes.every((p) => p.status === 200));
    c.diagnostic(
      `honest: ${(file.length / 1e6).toFixed(1)} MB, 60k rows; ${r.probes.length} /healthz probes, slowest ${r.maxHealthMs.toFixed(0)} ms; longest event-loop stall ${r.maxStallMs.toFixed(0)} ms`,
    );
    assert.ok(r.maxStallMs < 5000, `the event loop stalled ${r.maxStallMs} ms`);
  });

  test("SEC-3 a NUL in a CSV cell is that row and column's error, not a 500 (in the first 64 KiB: the file is not text)", async () => {
    const early = await importCsv(t, owner, 'E-mailadres;Voornaam;Afdeling\r\nnul@voorbeeld.nl;Jan;Ver\u0000koop\r\n');
    assert.equal(early.statusCode, 422, early.body);
    assert.equal(early.json().fileError, 'not_csv');
    assert.equal(early.json().errors, undefined);
    const padding = Array.from({ length: 2000 }, (_, i) => `vulling.${i}@voorbeeld.nl;Jan;HR\r\n`).join('');
    const csv = `E-mailadres;Voornaam;Afdeling\r\n${padding}nul@voorbeeld.nl;Jan;Ver\u0000koop\r\n`;
    const res = await importCsv(t, owner, csv);
    assert.equal(res.statusCode, 422, res.body);
    const p = res.json();
    assert.equal(p.code, 'invalid_file');
    assert.deepEqual(
      p.errors.map((e: { row: number; columnLetter: string }) => [e.row, e.columnLetter]),
      [[2002, 'C']],
    );
    assert.match(p.errors[0].reason, /NUL-teken/);
    const ok = await importCsv(t, owner, csv, { validOnly: true });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().imported, 2000);
  });

  test("SEC-3 a NUL in a workbook cell is that row and column's error; in a column name or the file name it is left out", async () => {
    const xlsx = xlsxOf([
      ['E-mailadres', 'Voor_x0000_naam'],
      ['a@voorbeeld.nl', 'Jan_x0000_'],
      ['b@voorbeeld.nl', 'Piet'],
    ]);
    const body = multipartFile(xlsx, 'con\u0000tacten.xlsx');
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contact-imports',
      headers: { cookie: owner, ...body.headers },
      payload: body.payload,
    });
    assert.equal(up.statusCode, 201, up.body);
    const view = up.json();
    assert.equal(view.fileName, 'contacten.xlsx');
    assert.deepEqual(view.headers, ['E-mailadres', 'Voornaam']);
    assert.deepEqual(
      view.errors.map((e: { row: number; columnLetter: string; code?: string }) => [e.row, e.columnLetter]),
      [[2, 'B']],
    );
    const commit = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contact-imports/${view.id}/commit`,
      headers: { cookie: owner },
      payload: { mapping: view.mapping, validOnly: true },
    });
    assert.equal(commit.statusCode, 200, commit.body);
    assert.equal(commit.json().imported, 1);
  });
});
