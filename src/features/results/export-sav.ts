import { isStamp, type CellValue, type Column, type ExportRow, type LocalStamp } from './export-rows.js';

/**
 * The responses as an SPSS system file (.sav) for researchers (OBLIGATIONS SVC-4), written here from
 * the format as GNU PSPP documents it ("System File Format"), with no dependency: the npm writers
 * found were single releases, unmaintained, built on moment and holding the whole file in memory.
 *
 * - One variable per column of the export (export-rows.ts with numeric codes): scales and numbers
 *   numeric, choices numeric codes 1..n with their labels as VALUE LABELS, multiple choice one 0/1
 *   variable per option, the key score's group (1 = best) with its names, open text as strings,
 *   dates as SPSS dates (DATE11), the time of submission as DATETIME20 in Dutch local time.
 * - VARIABLE LABELS: the question texts in the chosen language (at most 255 bytes).
 * - Names: the column names, made valid for SPSS (a letter first; letters, digits and _ . @ # $;
 *   at most 64 bytes; no reserved word; unique regardless of case), with unique 8-byte short names.
 * - Text as UTF-8 (character encoding record). A string variable is as wide as its longest value, so
 *   the rows are read twice (`pass`): once to measure, once to write. Longer than 255 bytes: SPSS's
 *   very long strings (segments of 255 bytes, one per 252 bytes of width).
 * - Data with SPSS's bytecode compression, streamed in blocks: memory stays flat. The case count in
 *   the header is −1 ("unknown"), as a streamed file allows.
 */

const SYSMIS = -Number.MAX_VALUE;
/** Seconds from SPSS's epoch (14 October 1582) to 1970-01-01. */
const SPSS_EPOCH = 12_219_379_200;
const RESERVED = new Set(['ALL', 'AND', 'BY', 'EQ', 'GE', 'GT', 'LE', 'LT', 'NE', 'NOT', 'OR', 'TO', 'WITH']);

export function spssSeconds(s: LocalStamp): number {
  return Date.UTC(s.y, s.m - 1, s.d, s.hh, s.mm, s.ss) / 1000 + SPSS_EPOCH;
}

/** The first `max` bytes of a string in UTF-8, never cutting a character. */
export function utf8Prefix(s: string, max: number): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.length <= max) return b;
  let end = max;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return b.subarray(0, end);
}

/** Valid, unique SPSS variable names for the columns. */
export function spssNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw) => {
    let base = raw.replace(/[^A-Za-z0-9_.@#$]/g, '_');
    if (!/^[A-Za-z]/.test(base)) base = `v${base}`;
    base = base.replace(/[._]+$/, '') || 'v';
    if (RESERVED.has(base.toUpperCase())) base = `${base}_v`;
    base = base.slice(0, 64);
    let name = base;
    for (let i = 2; seen.has(name.toUpperCase()); i++) name = `${base.slice(0, 64 - String(i).length - 1)}_${i}`;
    seen.add(name.toUpperCase());
    return name;
  });
}

interface Segment {
  short: string;
  /** bytes of the segment's string (0: numeric) */
  width: number;
  /** the 8-byte units it takes in a case */
  units: number;
}

interface Variable {
  column: Column;
  name: string;
  /** 0: numeric; else the string width in bytes */
  width: number;
  segments: Segment[];
  /** 1-based dictionary index of its first record */
  index: number;
}

const fmt = (type: number, width: number, decimals: number) => (type << 16) | (width << 8) | decimals;

function formatOf(v: Variable, seg: Segment): number {
  if (v.width > 0) return fmt(1, seg.width, 0);
  switch (v.column.type) {
    case 'date':
      return fmt(20, 11, 0);
    case 'datetime':
      return fmt(22, 20, 0);
    default:
      return v.column.integer ? fmt(5, 8, 0) : fmt(5, 12, 2);
  }
}

/** A little-endian byte writer that grows as needed. */
class Bytes {
  buf = Buffer.alloc(1 << 16);
  pos = 0;
  ensure(n: number) {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  i32(n: number) {
    this.ensure(4);
    this.buf.writeInt32LE(n, this.pos);
    this.pos += 4;
  }
  f64(n: number) {
    this.ensure(8);
    this.buf.writeDoubleLE(n, this.pos);
    this.pos += 8;
  }
  u8(n: number) {
    this.ensure(1);
    this.buf[this.pos++] = n;
  }
  bytes(b: Uint8Array) {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** A string in exactly `n` bytes, padded with `pad`. */
  fixed(s: string | Buffer, n: number, pad = 0x20) {
    const b = typeof s === 'string' ? utf8Prefix(s, n) : s.subarray(0, n);
    this.ensure(n);
    this.buf.set(b, this.pos);
    this.buf.fill(pad, this.pos + b.length, this.pos + n);
    this.pos += n;
  }
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
}

/** SPSS bytecode compression (bias 100): whole numbers −99..151 in one byte, blank string units in one. */
class Compressor {
  readonly out = new Bytes();
  private opsAt = -1;
  private nops = 8;
  private op(code: number) {
    if (this.nops === 8) {
      this.opsAt = this.out.pos;
      this.out.fixed('', 8, 0);
      this.nops = 0;
    }
    this.out.buf[this.opsAt + this.nops++] = code;
  }
  number(v: number | null) {
    if (v === null || !Number.isFinite(v)) this.op(255);
    else if (Number.isInteger(v) && v >= -99 && v <= 151) this.op(v + 100);
    else {
      this.op(253);
      this.out.f64(v);
    }
  }
  /** One string segment: its bytes, padded with spaces to `units` × 8. */
  string(b: Buffer, units: number) {
    for (let u = 0; u < units; u++) {
      const part = b.subarray(u * 8, u * 8 + 8);
      if (
        part.length === 0 ||
        (part.length < 8 && part.every((x) => x === 0x20)) ||
        (part.length === 8 && part.every((x) => x === 0x20))
      ) {
        this.op(254);
      } else {
        this.op(253);
        this.out.fixed(part, 8, 0x20);
      }
    }
  }
  /** Is the current block complete (a safe point to hand the bytes on)? */
  atBlockEnd() {
    return this.nops === 8;
  }
  finish() {
    while (this.nops !== 8) this.op(0);
  }
}

export async function* savExport(
  columns: Column[],
  pass: () => AsyncIterable<ExportRow>,
  o: { now: Date; label: string },
): AsyncGenerator<Buffer> {
  // Pass 1: the width of every string variable.
  const widths = columns.map(() => 1);
  const strings = columns.map((c, i) => (c.type === 'string' ? i : -1)).filter((i) => i >= 0);
  if (strings.length) {
    for await (const r of pass()) {
      for (const i of strings) {
        const v = columns[i]!.get(r);
        if (typeof v === 'string') widths[i] = Math.min(32_767, Math.max(widths[i]!, Buffer.byteLength(v, 'utf8')));
      }
    }
  }

  // The dictionary.
  const names = spssNames(columns.map((c) => c.name));
  const shorts = new Set<string>();
  const shortName = (long: string) => {
    let s = long
      .toUpperCase()
      .replace(/[^A-Z0-9_.@#$]/g, '')
      .slice(0, 8);
    if (!/^[A-Z]/.test(s) || shorts.has(s)) {
      for (let i = 1; ; i++) {
        s = `${s.slice(0, 8 - String(i).length - 1) || 'V'}@${i}`.replace(/^@/, 'V');
        if (/^[A-Z]/.test(s) && !shorts.has(s)) break;
      }
    }
    shorts.add(s);
    return s;
  };
  let index = 1;
  const vars: Variable[] = columns.map((column, i) => {
    const width = column.type === 'string' ? widths[i]! : 0;
    const first = shortName(names[i]!);
    const segments: Segment[] = [];
    if (width === 0) segments.push({ short: first, width: 0, units: 1 });
    else if (width <= 255) segments.push({ short: first, width, units: Math.ceil(width / 8) });
    else {
      const n = Math.ceil(width / 252);
      for (let k = 0; k < n; k++) {
        const w = k < n - 1 ? 255 : width - 252 * (n - 1);
        segments.push({
          short: k === 0 ? first : shortName(`${first.slice(0, 5)}${k}`),
          width: w,
          units: Math.ceil(w / 8),
        });
      }
    }
    const v = { column, name: names[i]!, width, segments, index };
    index += segments.reduce((s, g) => s + g.units, 0);
    return v;
  });
  const caseUnits = index - 1;

  const h = new Bytes();
  // File header.
  const d = o.now;
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number) => String(n).padStart(2, '0');
  h.fixed('$FL2', 4);
  h.fixed('@(#) SPSS DATA FILE Peil', 60);
  h.i32(2);
  h.i32(caseUnits);
  h.i32(1); // bytecode compression
  h.i32(0); // no weight
  h.i32(-1); // cases: unknown (streamed)
  h.f64(100);
  h.fixed(`${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCFullYear() % 100)}`, 9);
  h.fixed(`${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`, 8);
  h.fixed(o.label, 64);
  h.fixed('', 3, 0);

  // Variable records.
  for (const v of vars) {
    v.segments.forEach((seg, k) => {
      const label = k === 0 && v.column.label ? utf8Prefix(v.column.label, 255) : null;
      h.i32(2);
      h.i32(seg.width);
      h.i32(label ? 1 : 0);
      h.i32(0);
      h.i32(formatOf(v, seg));
      h.i32(formatOf(v, seg));
      h.fixed(seg.short, 8);
      if (label) {
        h.i32(label.length);
        h.fixed(label, Math.ceil(label.length / 4) * 4);
      }
      for (let u = 1; u < seg.units; u++) {
        h.i32(2);
        h.i32(-1);
        h.i32(0);
        h.i32(0);
        h.i32(0);
        h.i32(0);
        h.fixed('', 8);
      }
    });
  }

  // Value labels.
  for (const v of vars) {
    const labels = v.column.valueLabels;
    if (!labels?.length || v.width > 0) continue;
    h.i32(3);
    h.i32(labels.length);
    for (const l of labels) {
      h.f64(l.value);
      const b = utf8Prefix(l.label, 120);
      h.u8(b.length);
      h.fixed(b, Math.ceil((b.length + 1) / 8) * 8 - 1);
    }
    h.i32(4);
    h.i32(1);
    h.i32(v.index);
  }

  // Machine integer info: IEEE 754, little-endian, UTF-8 (code page 65001).
  h.i32(7);
  h.i32(3);
  h.i32(4);
  h.i32(8);
  for (const n of [1, 0, 0, -1, 1, 1, 2, 65001]) h.i32(n);
  // Machine floating-point info: system-missing, highest, lowest.
  h.i32(7);
  h.i32(4);
  h.i32(8);
  h.i32(3);
  h.f64(SYSMIS);
  h.f64(Number.MAX_VALUE);
  h.bytes(Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0xff]));
  // Variable display parameters: measurement level, width, alignment (one set per segment).
  const display: number[] = [];
  for (const v of vars) {
    const measure =
      v.column.measure === 'scale'
        ? 3
        : v.column.measure === 'ordinal'
          ? 2
          : v.column.measure === 'nominal'
            ? 1
            : v.width > 0
              ? 1
              : 3;
    for (const seg of v.segments) display.push(measure, Math.min(40, Math.max(8, seg.width || 8)), v.width > 0 ? 0 : 1);
  }
  h.i32(7);
  h.i32(11);
  h.i32(4);
  h.i32(display.length);
  for (const n of display) h.i32(n);
  // Long variable names.
  const long = Buffer.from(vars.map((v) => `${v.segments[0]!.short}=${v.name}`).join('\t'), 'utf8');
  h.i32(7);
  h.i32(13);
  h.i32(1);
  h.i32(long.length);
  h.bytes(long);
  // Very long strings.
  const vls = vars.filter((v) => v.width > 255);
  if (vls.length) {
    const b = Buffer.from(
      vls.map((v) => `${v.segments[0]!.short}=${String(v.width).padStart(5, '0')}\0\t`).join(''),
      'utf8',
    );
    h.i32(7);
    h.i32(14);
    h.i32(1);
    h.i32(b.length);
    h.bytes(b);
  }
  // Character encoding.
  h.i32(7);
  h.i32(20);
  h.i32(1);
  h.i32(5);
  h.bytes(Buffer.from('UTF-8'));
  // End of the dictionary.
  h.i32(999);
  h.i32(0);
  yield h.take();

  // Pass 2: the cases.
  const c = new Compressor();
  for await (const r of pass()) {
    for (const v of vars) {
      const value: CellValue = v.column.get(r);
      if (v.width === 0) {
        c.number(typeof value === 'number' ? value : isStamp(value) ? spssSeconds(value) : null);
        continue;
      }
      const b = typeof value === 'string' ? utf8Prefix(value, v.width) : Buffer.alloc(0);
      // Very long strings: each segment holds its 255 bytes, the last the rest (PSPP reads them so).
      let at = 0;
      for (const seg of v.segments) {
        c.string(b.subarray(at, at + seg.width), seg.units);
        at += seg.width;
      }
    }
    if (c.out.pos >= 1 << 16 && c.atBlockEnd()) yield c.out.take();
  }
  c.finish();
  if (c.out.pos) yield c.out.take();
}
