/**
 * Uploaded files as Excel workbooks (.xlsx): the first sheet, the first row holds the column names.
 * Cells are turned into the text the CSV path would have read, so both formats share one set of
 * checks (features/contacts/file/contact-file.ts checkRow); number cells are marked, so a number field takes them as they
 * are instead of reading a Dutch "1.234" into them.
 *
 * OBLIGATIONS SEC-3: the workbook is unpacked and parsed in a worker thread (xlsx-worker.ts) with a
 * budget for what it inflates to, a memory limit and a time limit; this thread only streams the file
 * to it and receives rows, so no upload can make other requests wait.
 */
import { Worker } from 'node:worker_threads';
import { Readable } from 'node:stream';
import type { Message } from '../i18n.js';
import { FileError } from './errors.js';

/**
 * Opens the file from the start, as bytes (fs.createReadStream, an upload stream): detectShape and
 * readContacts each open it once.
 */
export type OpenStream = () => NodeJS.ReadableStream | Readable;

/** A zip archive (every .xlsx is one). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The old binary Excel format (.xls, OLE2 compound file). */
export function isOle2(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

export interface XlsxRecord {
  /** Spreadsheet row number (1 = the header row). */
  row: number;
  cells: string[];
  /** Which cells were number cells (by column index). */
  numeric: boolean[];
}

/** Bounds for reading one workbook (env: XLSX_*). */
export interface XlsxLimits {
  /** What the XML parts may inflate to together (the sheet, shared strings, styles). */
  maxInflatedBytes: number;
  /** Inflated bytes per compressed byte beyond which the file is a zip bomb. */
  maxRatio: number;
  /** Heap of the parsing worker, in MiB. */
  maxMemoryMb: number;
  /** Wall time for unpacking and parsing, in ms. */
  maxMs: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  maxInflatedBytes: 320 * 1024 * 1024,
  maxRatio: 100,
  maxMemoryMb: 1024,
  maxMs: 600_000,
};

/** What the worker is told (workerData). */
export interface XlsxWorkerLimits {
  maxInflatedBytes: number;
  maxRatio: number;
  maxEntries: number;
  maxColumns: number;
  maxCellLength: number;
  batchRows: number;
}

export type XlsxWorkerMessage =
  | { type: 'rows'; records: XlsxRecord[] }
  | { type: 'done' }
  | { type: 'refused'; kind: 'too_large' | 'malformed'; reason: Message; row?: number };

/** Beyond any cell a contact file may hold (contact-file.ts MAX_CELL_LENGTH is 500): still "too long". */
const MAX_CELL_TEXT = 1000;
/** Columns of a row; Excel allows 16,384, a contact file has a few dozen. */
const MAX_COLUMNS = 1000;
/** Parsing workers at once; more uploads wait their turn (the machine's cores serve requests too). */
const MAX_PARALLEL = 2;

let running = 0;
const waiting: Array<() => void> = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/**
 * The worker's module. Under tsx (tests, `npm run dev`) it is TypeScript, which a worker cannot load
 * by itself: a small bootstrap registers tsx in the worker first.
 */
function startWorker(data: XlsxWorkerLimits, maxMemoryMb: number): Worker {
  const own = import.meta.url;
  const opts = {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: 64 },
  };
  if (own.endsWith('.ts')) {
    const entry = new URL('./xlsx-worker.ts', own).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    return new Worker(
      `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
      { ...opts, eval: true },
    );
  }
  return new Worker(new URL('./xlsx-worker.js', own), opts);
}

function refusal(kind: 'too_large' | 'malformed', key: string, params?: Message['params']): FileError {
  return new FileError(kind, { key: `problems:import.${key}`, ...(params ? { params } : {}) });
}

/**
 * The first sheet as text records, in file order. The file is streamed to a worker that refuses a
 * bomb while it arrives; the rows come back in batches.
 */
export async function* readXlsx(
  open: OpenStream,
  limits: XlsxLimits = DEFAULT_XLSX_LIMITS,
): AsyncGenerator<XlsxRecord> {
  const release = await slot();
  const worker = startWorker(
    {
      maxInflatedBytes: limits.maxInflatedBytes,
      maxRatio: limits.maxRatio,
      maxEntries: 10_000,
      maxColumns: MAX_COLUMNS,
      maxCellLength: MAX_CELL_TEXT,
      batchRows: 1000,
    },
    limits.maxMemoryMb,
  );
  const timer = setTimeout(() => {
    fail(refusal('too_large', 'xlsxSlow', { seconds: Math.round(limits.maxMs / 1000) }));
  }, limits.maxMs);
  timer.unref();
  const queue: XlsxRecord[][] = [];
  let finished = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const fail = (err: Error): void => {
    failure ??= err;
    notify();
  };
  worker.on('message', (m: XlsxWorkerMessage) => {
    // The time limit is for unpacking and parsing; the reader's own pace (an import writing to the
    // database between batches) is not the workbook's doing.
    if (m.type !== 'refused') clearTimeout(timer);
    if (m.type === 'rows') queue.push(m.records);
    else if (m.type === 'done') finished = true;
    else fail(new FileError(m.kind, m.reason, m.row === undefined ? {} : { row: m.row }));
    notify();
  });
  worker.on('error', (err: Error & { code?: string }) => {
    fail(
      err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? refusal('too_large', 'xlsxMemory')
        : new Error('reading the workbook failed', { cause: err }),
    );
  });
  worker.on('exit', () => {
    if (!finished) fail(refusal('too_large', 'xlsxLimits'));
  });

  const source = Readable.from(open() as Readable);
  const feeding = (async () => {
    for await (const chunk of source) {
      if (failure) break;
      worker.postMessage({ type: 'chunk', bytes: chunk as Uint8Array });
    }
    if (!failure) worker.postMessage({ type: 'end' });
  })().catch((err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));

  try {
    for (;;) {
      if (failure) throw failure;
      const batch = queue.shift();
      if (batch) {
        for (const r of batch) yield r;
        // One batch at a time (the worker sends the next when asked); checking a batch's rows is work
        // on this thread, so other requests get their turn in between.
        worker.postMessage({ type: 'next' });
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    clearTimeout(timer);
    failure ??= new Error('stopped');
    source.destroy();
    await feeding;
    await worker.terminate();
    release();
  }
}

/** A number written with an exponent (1.2345678901E+10) as plain digits. */
export function numberText(raw: string): string {
  if (!/e/i.test(raw)) return raw;
  const n = Number(raw);
  return Number.isFinite(n) && Math.abs(n) < 1e21
    ? n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })
    : raw;
}

/** A date cell as 'YYYY-MM-DD' (with the time when it has one): Excel dates carry no time zone. */
export function dateText(d: Date): string {
  const iso = d.toISOString();
  const time = iso.slice(11, 16);
  return time === '00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`;
}
