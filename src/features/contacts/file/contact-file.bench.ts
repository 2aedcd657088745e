/**
 * One-off measurement, not a test: writes a contact file the way Dutch Excel does (`;`, CRLF,
 * Windows-1252, or UTF-8 with BOM) to the temp dir and times detectShape + readContacts over it.
 *
 *   npx tsx src/lib/csv/contact-file.bench.ts [rows=1000000] [windows-1252|utf-8]
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { detectShape, readContacts, suggestMapping } from './contact-file.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const encoding = process.argv[3] === 'utf-8' ? 'utf-8' : 'windows-1252';

const FIRST = ['Jan', 'Piet', 'Anna', 'Eva', 'Daan', 'Noël', 'Zoë', 'Sem', 'Lotte', 'René'];
const INFIX = ['', 'de', 'van', 'van der', '', '', 'ter', '', 'van den', ''];
const LAST = ['Jansen', 'de Vries', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Boër', 'Mulder', 'Bos', 'Vos'];
const DEPT = ['Verkoop', 'Inkoop', 'HR', 'Financiën', 'ICT', '"Klantenservice; Noord"'];
const PHONE = (i: number): string =>
  i % 4 === 0
    ? `06-${String(10000000 + (i % 89999999)).padStart(8, '0')}`
    : i % 4 === 1
      ? `+31 6 ${String(10000000 + i).slice(0, 8)}`
      : i % 4 === 2
        ? `020 ${String(1000000 + (i % 8999999))}`
        : '';

async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  const enc = (s: string): Buffer => (encoding === 'utf-8' ? Buffer.from(s, 'utf8') : iconv.encode(s, 'windows-1252'));
  if (encoding === 'utf-8') out.write(Buffer.from([0xef, 0xbb, 0xbf]));
  out.write(enc('E-mailadres;Voornaam;Tussenvoegsel;Achternaam;Geslacht;Telefoon;Taal;Afdeling\r\n'));
  let batch = '';
  for (let i = 0; i < rows; i++) {
    const k = i % 10;
    batch += `${FIRST[k]}.${i}@voorbeeld.nl;${FIRST[k]};${INFIX[k]};${LAST[k]};${i % 3 === 0 ? 'V' : i % 3 === 1 ? 'man' : ''};${PHONE(i)};${i % 2 ? 'NL' : 'en'};${DEPT[i % DEPT.length]}\r\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(enc(batch))) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(enc(batch));
  await once(out, 'finish');
}

const dir = await mkdtemp(join(tmpdir(), 'peil-csv-bench-'));
try {
  const file = join(dir, 'contacts.csv');
  await writeFile(file);
  const bytes = (await stat(file)).size;
  const open = () => createReadStream(file);

  const started = performance.now();
  // CPU time as well as wall time: on a shared machine the wall clock mostly measures the neighbours.
  const cpuStart = process.cpuUsage();
  let peakRss = process.memoryUsage().rss;
  const shape = await detectShape(open);
  let ok = 0;
  let bad = 0;
  for await (const r of readContacts(open, shape, suggestMapping(shape.headers))) {
    if (r.contact) ok++;
    else bad++;
    if ((ok + bad) % 50_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${encoding}, ${(bytes / 1e6).toFixed(0)} MB, ${ok + bad} rows (${ok} ok, ${bad} with errors) in ${seconds.toFixed(2)} s = ` +
      `${Math.round((ok + bad) / seconds).toLocaleString('en')} rows/s wall; ${cpuSeconds.toFixed(2)} s CPU = ` +
      `${Math.round((ok + bad) / cpuSeconds).toLocaleString('en')} rows/CPU-s; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
