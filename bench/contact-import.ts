/**
 * Contact import through the real pipeline (OBLIGATIONS SVC-1; aim: 1M CSV rows in < 60 s with flat
 * memory): a generated Dutch contact file is uploaded over HTTP (multipart, streamed from disk), analysed,
 * then committed with validOnly, so every row is validated, de-duplicated by the blind index and
 * encrypted into the database. The file is generated at run time in a temp dir and removed afterwards.
 * RSS of this process (server and client are one process) is sampled every 250 ms during the run.
 *
 * BENCH_IMPORT_ROWS (default 1,000,000) sets the size.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app.js';
import { createTenant } from '../src/features/setup/service.js';
import { systemActor } from '../src/lib/audit.js';
import { MasterKey } from '../src/lib/crypto/keyring.js';
import type { DatabaseHandle } from '../src/lib/db/connect.js';
import { parseEnv } from '../src/lib/env.js';
import { openRuntime } from '../src/server.js';
import type { Figure } from './responses.js';

const FIRST = [
  'Jan',
  'Piet',
  'Anna',
  'Eva',
  'Daan',
  'Noël',
  'Zoë',
  'Sem',
  'Lotte',
  'René',
  'Fatima',
  'Mohamed',
  'Sanne',
  'Bram',
  'Iris',
  'Thijs',
];
const INFIX = ['', 'de', 'van', 'van der', '', '', 'ter', '', 'van den', '', 'el', ''];
const LAST = [
  'Jansen',
  'de Vries',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'Boër',
  'Mulder',
  'Bos',
  'Vos',
  'Yılmaz',
  'Peters',
  'Hendriks',
  'Dekker',
];
const FUNCTIE = [
  'Verpleegkundige',
  'Teamleider',
  'Arts',
  'Medewerker facilitair',
  'Secretaresse',
  'ICT-beheerder',
  'Verzorgende IG',
  '',
];
const AFDELING = ['Zorg', 'Facilitair', 'Staf', 'ICT', '"Klantenservice; Noord"'];
const LOCATIE = ['Utrecht', 'Amersfoort', "'s-Hertogenbosch", 'Zwolle', 'Den Haag', ''];

/** Writes the file the way Dutch Excel does: `;`, CRLF, UTF-8 with BOM. ~1% duplicates (another case), ~0.5% invalid. */
async function writeContacts(
  path: string,
  rows: number,
): Promise<{ unique: number; invalid: number; duplicates: number }> {
  const out = createWriteStream(path);
  out.write(
    '\uFEFFE-mailadres;Voornaam;Tussenvoegsel;Achternaam;Geslacht;Telefoonnummer;Taal;Functie;Afdeling;Locatie;Uren;In dienst\r\n',
  );
  let batch = '';
  let invalid = 0;
  let duplicates = 0;
  for (let i = 0; i < rows; i++) {
    const k = i % 16;
    let email = `${FIRST[k]!.toLowerCase().replace(/[^a-z]/g, '')}.${i}@voorbeeld.nl`;
    let phone =
      i % 4 === 0
        ? `06-${String(10000000 + (i % 89999999)).padStart(8, '0')}`
        : i % 4 === 1
          ? `+31 6 ${String(10000000 + i).slice(0, 8)}`
          : i % 4 === 2
            ? `020 ${String(1000000 + (i % 8999999))}`
            : '';
    if (i % 100 === 37 && i > 100) {
      // A repeat of an earlier row's address, in capitals: the same contact.
      const j = i - 50;
      email = `${FIRST[j % 16]!.toLowerCase().replace(/[^a-z]/g, '')}.${j}@VOORBEELD.NL`;
      duplicates++;
    } else if (i % 200 === 11) {
      email = `${FIRST[k]}.${i}@voorbeeld`; // no top-level domain
      invalid++;
    } else if (i % 200 === 13) {
      phone = '12345';
      invalid++;
    }
    const uren = i % 3 === 0 ? String(16 + (i % 25)) : `${16 + (i % 25)},5`;
    const inDienst = `${1 + (i % 28)}-${1 + (i % 12)}-${1990 + (i % 34)}`;
    batch += `${email};${FIRST[k]};${INFIX[i % 12]};${LAST[i % 14]};${i % 3 === 0 ? 'V' : i % 3 === 1 ? 'man' : ''};${phone};${i % 5 ? 'NL' : 'en'};${FUNCTIE[i % 8]};${AFDELING[i % 5]};${LOCATIE[i % 6]};${uren};${inDienst}\r\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
  return { unique: rows - invalid - duplicates, invalid, duplicates };
}

interface Res {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer | ((req: NodeJS.WritableStream) => Promise<void>),
): Promise<Res> {
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
    if (typeof body === 'function') body(req).then(() => req.end(), reject);
    else req.end(body);
  });
}

function json(body: unknown, cookie?: string, csrf?: string): { headers: Record<string, string>; body: Buffer } {
  const b = Buffer.from(JSON.stringify(body));
  return {
    headers: {
      'content-type': 'application/json',
      'content-length': String(b.length),
      ...(cookie ? { cookie } : {}),
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
    },
    body: b,
  };
}

export async function benchContactImport(opts: {
  label: string;
  handle: DatabaseHandle;
  rows: number;
  note: (s: string) => void;
}): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'peil-bench-import-'));
  const env = parseEnv({ PEIL_ENV: 'test', PEIL_DATA_DIR: dir, LOG_LEVEL: 'silent', UPLOAD_LIMIT_MB: '2000' });
  const rt = await openRuntime(env, { handle: opts.handle, master: new MasterKey(randomBytes(32)) });
  const figures: Figure[] = [];
  try {
    const file = join(dir, 'contacts.csv');
    const expected = await writeContacts(file, opts.rows);
    const bytes = statSync(file).size;
    const password = 'Meetlat-Wachtwoord-1';
    const { tenantId } = await createTenant(
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
      const signIn = json({ email: 'bench@example.nl', password });
      const s = await call(port, 'POST', '/api/v1/auth/sign-in', signIn.headers, signIn.body);
      if (s.status !== 200) throw new Error(`sign-in: ${s.status} ${s.body}`);
      const cookies = ([] as string[]).concat(s.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!);
      const cookie = cookies.join('; ');
      const csrf = cookies.find((c) => c.startsWith('peil_csrf='))!.slice('peil_csrf='.length);
      // Typed fields, so the number and date columns are checked and converted too.
      for (const f of [
        { key: 'uren', type: 'number', label: { nl: 'Uren' } },
        { key: 'in_dienst', type: 'date', label: { nl: 'In dienst' } },
      ]) {
        const r = json(f, cookie, csrf);
        const res = await call(port, 'POST', '/api/v1/profile-fields', r.headers, r.body);
        if (res.status !== 201) throw new Error(`profile field: ${res.status} ${res.body}`);
      }

      const samples: Array<{ t: number; rss: number }> = [];
      const t0 = performance.now();
      const sample = () => samples.push({ t: (performance.now() - t0) / 1000, rss: process.memoryUsage().rss });
      sample();
      const timer = setInterval(sample, 250);
      const cpu0 = process.cpuUsage();

      const boundary = `----peilbench${randomBytes(8).toString('hex')}`;
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="contacts.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const up = await call(
        port,
        'POST',
        '/api/v1/contact-imports',
        {
          cookie,
          'x-csrf-token': csrf,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + bytes + tail.length),
        },
        async (req) => {
          req.write(head);
          for await (const chunk of createReadStream(file)) if (!req.write(chunk)) await once(req, 'drain');
          req.write(tail);
        },
      );
      if (up.status !== 201) throw new Error(`upload: ${up.status} ${up.body.slice(0, 500)}`);
      const upload = JSON.parse(up.body) as {
        id: string;
        mapping: Record<string, string>;
        rows: number;
        validRows: number;
        errorCount: number;
      };
      const tUpload = (performance.now() - t0) / 1000;
      const mapping = { ...upload.mapping, 'In dienst': 'custom:in_dienst' };
      const c = json({ mapping, validOnly: true }, cookie, csrf);
      const cm = await call(port, 'POST', `/api/v1/contact-imports/${upload.id}/commit`, c.headers, c.body);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      clearInterval(timer);
      sample();
      if (cm.status !== 200) throw new Error(`commit: ${cm.status} ${cm.body.slice(0, 500)}`);
      const result = JSON.parse(cm.body) as {
        created: number;
        updated: number;
        skippedRows: number;
        duplicatesInFile: number;
      };

      // Validated: the invalid rows were skipped; de-duplicated: one contact per address; encrypted: no clear address stored.
      const stored = await rt.ctx.db.tenant(tenantId, async (tx) => {
        const n = await tx
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const one = await tx.selectFrom('contacts').select(['email_enc', 'profile']).limit(1).executeTakeFirstOrThrow();
        return { n: Number(n.n), clear: one.email_enc.toString('latin1').includes('voorbeeld'), profile: one.profile };
      });
      const ok =
        stored.n === expected.unique &&
        result.skippedRows === expected.invalid &&
        !stored.clear &&
        typeof stored.profile.uren === 'number';
      if (!ok)
        throw new Error(
          `import check failed: stored ${stored.n} (expected ${expected.unique}), skipped ${result.skippedRows} (expected ${expected.invalid}), ${JSON.stringify(stored.profile)}`,
        );

      const base = samples[0]!.rss;
      const peak = Math.max(...samples.map((x) => x.rss));
      const mib = (b: number) => Math.round(b / 2 ** 20);
      const series = samples
        .filter((_, i) => i % 20 === 0)
        .map((x) => `${x.t.toFixed(0)}s:${mib(x.rss)}`)
        .join(' ');
      opts.note(
        `contact-import ${opts.label}: ${opts.rows} rows (${(bytes / 1e6).toFixed(0)} MB; ${expected.unique} contacts, ${expected.duplicates} repeats, ${expected.invalid} invalid) upload+analysis ${tUpload.toFixed(1)} s, commit ${(seconds - tUpload).toFixed(1)} s`,
      );
      opts.note(`contact-import ${opts.label}: RSS MiB over time ${series}`);
      const b = `contact-import ${opts.label}`;
      figures.push(
        { bench: b, metric: 'seconds (upload → committed)', value: Math.round(seconds * 10) / 10, unit: 's' },
        { bench: b, metric: 'rows/s', value: Math.round(opts.rows / seconds), unit: 'rows/s' },
        { bench: b, metric: 'upload + analysis', value: Math.round(tUpload * 10) / 10, unit: 's' },
        { bench: b, metric: 'commit', value: Math.round((seconds - tUpload) * 10) / 10, unit: 's' },
        {
          bench: b,
          metric: 'CPU time (this process)',
          value: Math.round(((cpu.user + cpu.system) / 1e6) * 10) / 10,
          unit: 's',
        },
        { bench: b, metric: 'RSS at start', value: mib(base), unit: 'MiB' },
        { bench: b, metric: 'RSS peak', value: mib(peak), unit: 'MiB' },
      );
    } finally {
      await app.close();
    }
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
