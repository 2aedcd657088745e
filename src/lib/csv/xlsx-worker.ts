/**
 * OBLIGATIONS SEC-3: an uploaded workbook is unpacked and parsed here, in a worker thread, never on
 * the thread that answers every other request. The main thread (xlsx.ts) sends the file's bytes as
 * it reads them; this worker counts what the zip inflates to while they arrive and refuses as soon as
 * a limit is passed (a declared size, the total, or the compression ratio of a bomb), so a bomb is
 * refused after a few of its bytes. Only then does read-excel-file parse the first sheet, and the
 * rows go back in batches. The main thread bounds this worker's memory and time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Unzip, UnzipInflate } from 'fflate';
import { readSheet } from 'read-excel-file/node';
import type { Message } from '../i18n.js';
import { dateText, numberText, type XlsxRecord, type XlsxWorkerLimits, type XlsxWorkerMessage } from './xlsx.js';

const limits = workerData as XlsxWorkerLimits;
const port = parentPort!;

/** Each push inflates at most ~1,000 times its size (DEFLATE's ceiling): small pushes, small outputs. */
const SLICE = 16 * 1024;
/** Below this much inflated XML the ratio is not judged: small files compress oddly well. */
const RATIO_FLOOR = 8 * 1024 * 1024;

/** Why the workbook is refused: a catalogue message (problems:import.*), translated where the problem is sent. */
class Refusal extends Error {
  readonly reason: Message;
  constructor(
    readonly kind: 'too_large' | 'malformed',
    key: string,
    params?: Record<string, string | number>,
    readonly row?: number,
  ) {
    super(key);
    this.reason = { key: `problems:import.${key}`, ...(params ? { params } : {}) };
  }
}

function refusedMessage(r: Refusal): XlsxWorkerMessage {
  return { type: 'refused', kind: r.kind, reason: r.reason, ...(r.row !== undefined ? { row: r.row } : {}) };
}

function send(message: XlsxWorkerMessage): void {
  port.postMessage(message);
}

const MB = 1024 * 1024;
const chunks: Uint8Array[] = [];
let received = 0;
let inflated = 0;
let entries = 0;
let refusal: Refusal | undefined;

function refuse(r: Refusal): void {
  refusal ??= r;
}

/** The refusal so far (a function: callbacks set it while push() runs). */
function refused(): Refusal | undefined {
  return refusal;
}

function tooLarge(): Refusal {
  return new Refusal('too_large', 'xlsxInflated', { mb: Math.round(limits.maxInflatedBytes / MB) });
}

// The entries read-excel-file reads (its filter): XML parts and their relations. Others are skipped
// unread, there as here, so they cannot cost anything.
const unzip = new Unzip((file) => {
  if (refusal || !(file.name.endsWith('.xml') || file.name.endsWith('.xml.rels'))) return;
  if (++entries > limits.maxEntries) return refuse(new Refusal('too_large', 'xlsxParts', { parts: limits.maxEntries }));
  // The declared size is what an unpacker allocates up front: a lie is refused before anything.
  if (file.originalSize !== undefined && file.originalSize > limits.maxInflatedBytes) return refuse(tooLarge());
  file.ondata = (err, data) => {
    if (refusal) return;
    if (err) return refuse(new Refusal('malformed', 'xlsxDamaged'));
    inflated += data.length;
    if (inflated > limits.maxInflatedBytes || (inflated > RATIO_FLOOR && inflated > received * limits.maxRatio))
      refuse(tooLarge());
  };
  try {
    file.start();
  } catch {
    refuse(new Refusal('malformed', 'xlsxCompression'));
  }
});
unzip.register(UnzipInflate);

function push(bytes: Uint8Array, final: boolean): void {
  try {
    if (bytes.length === 0) unzip.push(bytes, final);
    for (let at = 0; at < bytes.length && !refusal; at += SLICE) {
      const slice = bytes.subarray(at, at + SLICE);
      received += slice.length;
      unzip.push(slice, final && at + SLICE >= bytes.length);
    }
  } catch {
    refuse(new Refusal('malformed', 'xlsxDamaged'));
  }
}

/** A number cell, as written in the file. */
class NumberCell {
  constructor(readonly raw: string) {}
}
type Cell = string | NumberCell | number | boolean | Date | null | undefined;

function cellText(c: Cell): { text: string; numeric: boolean } {
  if (c === null || c === undefined) return { text: '', numeric: false };
  if (typeof c === 'string') return { text: c, numeric: false };
  if (c instanceof NumberCell) return { text: numberText(c.raw), numeric: true };
  if (typeof c === 'number') return { text: numberText(String(c)), numeric: true };
  if (typeof c === 'boolean') return { text: c ? 'true' : 'false', numeric: false };
  if (c instanceof Date) return { text: dateText(c), numeric: false };
  return { text: String(c), numeric: false };
}

let sheet: Cell[][] | undefined;
let next = 0;

async function parse(): Promise<void> {
  const file = Buffer.concat(chunks);
  chunks.length = 0;
  try {
    // parseNumber keeps the number as written in the file: 0.1 stays "0.1", a phone number its digits.
    sheet = (await readSheet<NumberCell>(file, {
      trim: false,
      parseNumber: (s: string) => new NumberCell(s),
    })) as unknown as Cell[][];
  } catch {
    throw new Refusal('malformed', 'xlsxDamaged');
  }
  sendBatch();
}

/**
 * The next batch of rows, sent when the main thread asks for it: all batches at once would be
 * deserialised there in one go (a MessagePort drains its queue in one turn), a stall of its own.
 */
function sendBatch(): void {
  const data = sheet!;
  const batch: XlsxRecord[] = [];
  for (; next < data.length && batch.length < limits.batchRows; next++) {
    const cells = data[next]!;
    if (cells.length > limits.maxColumns) {
      throw new Refusal('too_large', 'xlsxColumns', { columns: limits.maxColumns }, next + 1);
    }
    const numeric: boolean[] = [];
    const text = cells.map((c, col) => {
      const { text: t, numeric: n } = cellText(c);
      if (n) numeric[col] = true;
      // Longer than any cell may be (the row check says so), and no longer than that in memory.
      return t.length > limits.maxCellLength ? t.slice(0, limits.maxCellLength) : t;
    });
    data[next] = [];
    batch.push({ row: next + 1, cells: text, numeric });
  }
  send(batch.length ? { type: 'rows', records: batch } : { type: 'done' });
}

function refuseWith(err: unknown): void {
  const r = err instanceof Refusal ? err : new Refusal('malformed', 'xlsxDamaged');
  send(refusedMessage(r));
}

port.on('message', (m: { type: 'chunk'; bytes: Uint8Array } | { type: 'end' } | { type: 'next' }) => {
  if (m.type === 'next') {
    try {
      sendBatch();
    } catch (err) {
      refuseWith(err);
    }
    return;
  }
  if (m.type === 'chunk') {
    if (refusal) return;
    chunks.push(m.bytes);
    push(m.bytes, false);
    const r = refused();
    if (r) send(refusedMessage(r));
    return;
  }
  if (!refused()) push(new Uint8Array(0), true);
  const r = refused();
  if (r) {
    send(refusedMessage(r));
    return;
  }
  parse().catch(refuseWith);
});
