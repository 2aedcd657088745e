/**
 * OBLIGATIONS SEC-3 (issue 16 item 2): a workbook bomb like the (a few MB that inflate to
 * BENCH_BOMB_MB, default 354, with rows that differ so it compresses only ~25× and with headers that
 * declare 1 byte, so only counting what really inflates can find it) uploaded over HTTP with the
 * default limits, while another client asks /healthz every 25 ms. Figures: time until the 422,
 * /healthz latency (median, max) during it, the event loop's longest stall and the RSS growth.
 * For comparison, an honest workbook of BENCH_XLSX_ROWS rows (default 100k) through the same upload.
 */
import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app.js';
import { createTenant } from '../src/features/setup/service.js';
import { systemActor } from '../src/lib/audit.js';
import { MasterKey } from '../src/lib/crypto/keyring.js';
import type { DatabaseHandle } from '../src/lib/db/connect.js';
import { parseEnv } from '../src/lib/env.js';
import { openRuntime } from '../src/server.js';
import { xlsxBomb } from '../test/xlsx-bomb.js';
import type { Figure } from './responses.js';

function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const quantile = (xs: number[], q: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : 0;

export async function benchXlsxBomb(opts: {
  label: string;
  handle: DatabaseHandle;
  note: (s: string) => void;
}): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'peil-bench-bomb-'));
  const env = parseEnv({ PEIL_ENV: 'test', PEIL_DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const rt = await openRuntime(env, { handle: opts.handle, master: new MasterKey(randomBytes(32)) });
  const figures: Figure[] = [];
  const bench = `xlsx-bomb-${opts.label}`;
  try {
    const password = 'Meetlat-Wachtwoord-1';
    await createTenant(
      rt.ctx,
      {
        name: 'Bench BV',
        slug: `bench-${randomBytes(3).toString('hex')}`,
        owner: { email: 'bench@example.nl', name: 'B', password },
      },
      systemActor,
    );
    const app = await buildApp(rt.ctx, { startWorkers: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    try {
      const signInBody = Buffer.from(JSON.stringify({ email: 'bench@example.nl', password }));
      const s = await call(port, 'POST', '/api/v1/auth/sign-in', { 'content-type': 'application/json' }, signInBody);
      if (s.status !== 200) throw new Error(`sign-in: ${s.status} ${s.body}`);
      const cookies = ([] as string[]).concat(s.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!);
      const csrf = cookies.find((c) => c.startsWith('peil_csrf='))!.slice('peil_csrf='.length);

      const upload = async (what: string, file: Buffer, expect: number) => {
        const boundary = `----peilbench${randomBytes(8).toString('hex')}`;
        const payload = Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="contacten.xlsx"\r\n\r\n`,
          ),
          file,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        const loop = monitorEventLoopDelay({ resolution: 10 });
        loop.enable();
        const rss0 = process.memoryUsage().rss;
        let peak = rss0;
        let done = false;
        const t0 = performance.now();
        const answer = call(
          port,
          'POST',
          '/api/v1/contact-imports',
          {
            cookie: cookies.join('; '),
            'x-csrf-token': csrf,
            'content-type': `multipart/form-data; boundary=${boundary}`,
          },
          payload,
        ).finally(() => {
          done = true;
        });
        const health: number[] = [];
        while (!done) {
          const h0 = performance.now();
          await call(port, 'GET', '/healthz', {});
          health.push(performance.now() - h0);
          peak = Math.max(peak, process.memoryUsage().rss);
          await new Promise((r) => setTimeout(r, 25));
        }
        const res = await answer;
        const seconds = (performance.now() - t0) / 1000;
        loop.disable();
        if (res.status !== expect)
          throw new Error(`${what}: expected ${expect}, got ${res.status} ${res.body.slice(0, 300)}`);
        opts.note(
          `  ${opts.label} ${what}: ${res.status} after ${seconds.toFixed(2)} s; /healthz p50 ${quantile(health, 0.5).toFixed(0)} ms, max ${Math.max(0, ...health).toFixed(0)} ms over ${health.length} probes; event-loop stall max ${(loop.max / 1e6).toFixed(0)} ms; RSS +${((peak - rss0) / 2 ** 20).toFixed(0)} MiB`,
        );
        figures.push(
          { bench, metric: `${what}: answer`, value: Number(seconds.toFixed(2)), unit: 's' },
          { bench, metric: `${what}: /healthz max`, value: Math.round(Math.max(0, ...health)), unit: 'ms' },
          { bench, metric: `${what}: /healthz p50`, value: Math.round(quantile(health, 0.5)), unit: 'ms' },
          { bench, metric: `${what}: event-loop stall max`, value: Math.round(loop.max / 1e6), unit: 'ms' },
          { bench, metric: `${what}: RSS growth`, value: Math.round((peak - rss0) / 2 ** 20), unit: 'MiB' },
        );
      };

      const mb = Number(process.env.BENCH_BOMB_MB ?? 354);
      const bomb = await xlsxBomb('hiding', Math.round((mb * 1e6) / 160), 6);
      opts.note(
        `  bomb: ${(bomb.file.length / 1e6).toFixed(1)} MB inflating to ${(bomb.inflated / 1e6).toFixed(0)} MB (limit ${env.XLSX_INFLATE_LIMIT_MB} MiB)`,
      );
      await upload(
        `bomb ${(bomb.file.length / 1e6).toFixed(0)} MB → ${(bomb.inflated / 1e6).toFixed(0)} MB`,
        bomb.file,
        422,
      );
      const rows = Number(process.env.BENCH_XLSX_ROWS ?? 100_000);
      const honest = await xlsxBomb('varied', rows, 6);
      await upload(`honest ${rows} rows (${(honest.file.length / 1e6).toFixed(1)} MB)`, honest.file, 201);
    } finally {
      await app.close();
    }
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
