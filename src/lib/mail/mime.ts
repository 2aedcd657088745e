/**
 * A small RFC 5322/2045 composer for Peil's own mails: multipart/alternative (text + HTML, both UTF-8
 * in base64), an RFC 2047 encoded subject, Date, Message-ID and the given extra headers, as one
 * buffer. The send path spent ~20% of its CPU in nodemailer's streaming MIME builder for these
 * few fixed shapes (bench/invitations.ts). Anything outside the ASCII subset this composer handles
 * (non-ASCII addresses or header values, CR/LF in headers) returns null, and the caller falls back
 * to nodemailer's MailComposer.
 */
import { randomUUID } from 'node:crypto';

export interface RawMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  headers?: Record<string, string> | undefined;
  messageId: string;
  date?: Date;
}

// Printable ASCII without CR/LF: safe as a header value as it is.
const PLAIN = /^[\x20-\x7e]*$/;
// A bare ASCII address, or `Name <address>` with a plain or quoted ASCII name.
const ADDR = String.raw`[!#-'*+\-/-9=?A-Z^-~.]+@[A-Za-z0-9.-]+`;
const ADDRESS = new RegExp(
  String.raw`^(?:${ADDR}|(?:[!#-'*+\-/-9=?A-Z^-~ .]*|"[\x20\x21\x23-\x5b\x5d-\x7e]*")\s*<${ADDR}>)$`,
);
const HEADER_NAME = /^[!-9;-~]+$/;

/** Base64 in lines of 76 characters (RFC 2045). */
function base64Lines(s: string): string {
  const b = Buffer.from(s, 'utf8').toString('base64');
  let out = '';
  for (let i = 0; i < b.length; i += 76) out += `${b.slice(i, i + 76)}\r\n`;
  return out;
}

/** RFC 2047 B-encoded words of at most 45 UTF-8 bytes each (never splitting a character), folded. */
function encodeWords(s: string): string {
  if (PLAIN.test(s) && s.length <= 900) return s;
  const words: string[] = [];
  let cur = '';
  let curBytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (curBytes + n > 45) {
      words.push(cur);
      cur = '';
      curBytes = 0;
    }
    cur += ch;
    curBytes += n;
  }
  if (cur) words.push(cur);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** The mail as one RFC 5322 buffer, or null when it needs nodemailer's full composer. */
export function composeRaw(m: RawMail): Buffer | null {
  if (!ADDRESS.test(m.from) || !ADDRESS.test(m.to) || !PLAIN.test(m.messageId)) return null;
  const extra: string[] = [];
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    if (!HEADER_NAME.test(k) || !PLAIN.test(v) || k.length + v.length > 900) return null;
    extra.push(`${k}: ${v}\r\n`);
  }
  const head =
    `From: ${m.from}\r\nTo: ${m.to}\r\nSubject: ${encodeWords(m.subject.replace(/[\r\n]+/g, ' '))}\r\n` +
    `Date: ${(m.date ?? new Date()).toUTCString().replace(/GMT$/, '+0000')}\r\nMessage-ID: ${m.messageId}\r\n${extra.join('')}MIME-Version: 1.0\r\n`;
  const textPart = `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(m.text)}`;
  if (m.html === undefined) return Buffer.from(`${head}${textPart}`, 'latin1');
  const boundary = `--_peil_${randomUUID()}`;
  return Buffer.from(
    `${head}Content-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n` +
      `--${boundary}\r\n${textPart}` +
      `--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(m.html)}` +
      `--${boundary}--\r\n`,
    'latin1',
  );
}
