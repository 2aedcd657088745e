/**
 * The responses exports (OBLIGATIONS SVC-4: streamed with flat memory): BENCH_EXPORT_RESPONSES
 * (default 100,000) responses to a questionnaire with every question type, sealed with the
 * customer's key as the respondent page stores them, are inserted in batches; then each format
 * (CSV, XLSX, JSON lines, SPSS .sav) is downloaded over HTTP on loopback and thrown away as it
 * arrives. Reported per format: seconds, bytes and the peak RSS of this process (server and client
 * are one process) above the RSS before the download, sampled every 100 ms.
 */
import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app.js';
import { splitForStorage, type Answers, type SurveyDefinition } from '../src/features/surveys/definition.js';
import type { DatabaseHandle } from '../src/lib/db/connect.js';
import { BENCH_OWNER, benchRuntime, benchSurvey, startProfile } from './fixtures.js';
import type { Figure } from './responses.js';

const L = (nl: string, en: string) => ({ nl, en });
export const definition: SurveyDefinition = {
  questions: [
    { id: 'score', type: 'nps', required: true, text: L('Zou je ons aanbevelen?', 'Would you recommend us?') },
    { id: 'why', type: 'text', required: false, maxLength: 5000, text: L('Waarom?', 'Why?') },
    {
      id: 'city',
      type: 'single',
      required: false,
      text: L('Vestiging', 'Branch'),
      options: ['zwolle', 'utrecht', 'assen', 'breda'].map((v) => ({
        value: v,
        label: L(v[0]!.toUpperCase() + v.slice(1), v),
      })),
    },
    {
      id: 'channels',
      type: 'multiple',
      required: false,
      text: L('Contact', 'Contact'),
      options: ['telefoon', 'mail', 'balie'].map((v) => ({ value: v, label: L(v, v) })),
    },
    { id: 'csat', type: 'csat', required: false, text: L('Tevreden?', 'Satisfied?') },
    { id: 'hours', type: 'number', required: false, text: L('Uren', 'Hours') },
    { id: 'visited', type: 'date', required: false, text: L('Datum', 'Date') },
  ],
  invitation: { subject: L('s', 's'), body: L('b', 'b') },
  thanks: L('t', 't'),
};

export async function benchExports(opts: {
  label: string;
  handle: DatabaseHandle;
  responses: number;
  note: (s: string) => void;
}): Promise<Figure[]> {
  const { rt, close } = await benchRuntime(opts.handle, 'export');
  const figures: Figure[] = [];
  try {
    const { tenantId, surveyId } = await benchSurvey(rt, 'Bench export', definition);
    const keys = await rt.ctx.keyring.forTenant(tenantId);
    const g0 = performance.now();
    const BATCH = 2_000;
    for (let from = 0; from < opts.responses; from += BATCH) {
      const rows: Array<Record<string, unknown>> = [];
      for (let i = from; i < Math.min(opts.responses, from + BATCH); i++) {
        const a: Answers = {
          score: i % 11,
          why: `Opmerking ${i}: ${'prima service, maar de wachttijd was lang. '.repeat(1 + (i % 4))}`,
          city: ['zwolle', 'utrecht', 'assen', 'breda'][i % 4]!,
          channels: i % 3 ? ['mail'] : ['telefoon', 'balie'],
          csat: 1 + (i % 5),
          hours: (i % 80) / 2 - 3,
          visited: `2026-0${1 + (i % 9)}-1${i % 10}`,
        };
        const s = splitForStorage(definition, a);
        rows.push({
          tenant_id: tenantId,
          id: randomUUID(),
          survey_id: surveyId,
          language: i % 4 ? 'nl' : 'en',
          score: s.score,
          answers: s.clear ? JSON.stringify(s.clear) : null,
          answers_enc: keys.sealJson(s.sealed),
        });
      }
      await rt.ctx.db.tenant(tenantId, (tx) =>
        tx
          .insertInto('responses')
          .values(rows as never)
          .execute(),
      );
    }
    opts.note(
      `exports (${opts.label}): ${opts.responses} sealed responses inserted in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
    );

    const app = await buildApp(rt.ctx, { startWorkers: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    try {
      const cookie = await new Promise<string>((resolve, reject) => {
        const body = Buffer.from(JSON.stringify(BENCH_OWNER));
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/auth/sign-in',
            headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 200
                ? resolve(
                    ([] as string[])
                      .concat(res.headers['set-cookie'] ?? [])
                      .map((c) => c.split(';')[0]!)
                      .join('; '),
                  )
                : reject(new Error(`sign-in ${res.statusCode}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      // csv without contact columns too: the export then reads no contacts (issue 17).
      for (const [format, contacts] of [
        ['csv', false],
        ['csv', true],
        ['xlsx', true],
        ['jsonl', true],
        ['sav', true],
      ] as const) {
        const what = contacts ? format : `${format} without contacts`;
        // BENCH_EXPORT_FORMATS=csv,jsonl: only these; BENCH_PROFILE=<prefix>: a CPU profile of each.
        const only = process.env.BENCH_EXPORT_FORMATS?.split(',');
        if (only && !only.includes(format)) continue;
        const stopProfile = process.env.BENCH_PROFILE ? await startProfile() : undefined;
        global.gc?.();
        const base = process.memoryUsage().rss;
        let peak = base;
        const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
        const t0 = performance.now();
        const bytes = await new Promise<number>((resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              method: 'GET',
              path: `/api/v1/surveys/${surveyId}/responses.${format}${contacts ? '?contacts=true' : ''}`,
              headers: { cookie },
            },
            (res) => {
              if (res.statusCode !== 200) reject(new Error(`${what}: ${res.statusCode}`));
              let n = 0;
              res.on('data', (c: Buffer) => (n += c.length));
              res.on('end', () => resolve(n));
            },
          );
          req.on('error', reject);
          req.end();
        });
        clearInterval(timer);
        if (stopProfile) await stopProfile(`${process.env.BENCH_PROFILE}-export-${what.replace(/ /g, '-')}.cpuprofile`);
        peak = Math.max(peak, process.memoryUsage().rss);
        const seconds = (performance.now() - t0) / 1000;
        const mib = (b: number) => Math.round(b / 2 ** 20);
        opts.note(
          `exports (${opts.label}) ${what}: ${opts.responses} responses, ${(bytes / 2 ** 20).toFixed(1)} MiB in ${seconds.toFixed(1)} s, RSS ${mib(base)} → peak ${mib(peak)} MiB`,
        );
        figures.push(
          {
            bench: 'exports',
            metric: `${opts.label} ${what}: ${opts.responses} responses`,
            value: Number(seconds.toFixed(1)),
            unit: 's',
          },
          {
            bench: 'exports',
            metric: `${opts.label} ${what}: size`,
            value: Number((bytes / 2 ** 20).toFixed(1)),
            unit: 'MiB',
          },
          {
            bench: 'exports',
            metric: `${opts.label} ${what}: peak RSS above start`,
            value: mib(peak - base),
            unit: 'MiB',
          },
        );
      }
    } finally {
      await app.close();
    }
    return figures;
  } finally {
    await close();
  }
}
