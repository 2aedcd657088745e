import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { MasterKey } from './keyring.js';

/**
 * Streaming authenticated encryption for files that leave the database (OBLIGATIONS SEC-2: backups;
 * SEC-1: key exports). AES-256-GCM over 64 KiB chunks, in the manner of age's STREAM construction:
 *
 *   header  = "PEILENC" 0x01 | purpose (1) | salt (16) | master key id (16, ASCII hex)
 *   chunk   = final flag (1) | plaintext length (4, BE) | ciphertext | GCM tag (16)
 *   key     = HKDF(master key, salt, "peil/master/file/<purpose>")
 *   nonce   = 0x00000000 | chunk counter (8, BE)
 *   AAD     = header | final flag
 *
 * Each chunk is checked before any of it is passed on, so a restore never reads a forged byte; a
 * reordered, dropped or altered chunk fails its tag, and a file cut short lacks its final chunk.
 * The salt makes the key unique per file, so counter nonces never repeat under one key.
 */
const MAGIC = Buffer.from('PEILENC\x01', 'latin1');
const HEADER = MAGIC.length + 1 + 16 + 16;
const CHUNK = 64 * 1024;
const TAG = 16;

export const FilePurpose = { backup: 1, keys: 2 } as const;
export type FilePurpose = keyof typeof FilePurpose;

export class FileDecryptError extends Error {}

function nonce(counter: bigint): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(counter, 4);
  return n;
}

/** Reads the clear header: which purpose and which master key id a file was written for. */
export function peekHeader(head: Buffer): { purpose: FilePurpose; masterKeyId: string } {
  if (head.length < HEADER || !head.subarray(0, MAGIC.length).equals(MAGIC))
    throw new FileDecryptError('not a Peil encrypted file');
  const code = head[MAGIC.length];
  const purpose = (Object.keys(FilePurpose) as FilePurpose[]).find((p) => FilePurpose[p] === code);
  if (!purpose) throw new FileDecryptError(`unknown file purpose ${code}`);
  return { purpose, masterKeyId: head.subarray(MAGIC.length + 1 + 16, HEADER).toString('latin1') };
}

export class EncryptStream extends Transform {
  private readonly header: Buffer;
  private readonly key: Buffer;
  private counter = 0n;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(master: MasterKey, purpose: FilePurpose) {
    super();
    const salt = randomBytes(16);
    this.header = Buffer.concat([MAGIC, Buffer.from([FilePurpose[purpose]]), salt, Buffer.from(master.id, 'latin1')]);
    if (this.header.length !== HEADER) throw new Error('master key id must be 16 characters');
    this.key = master.derive(`file/${purpose}`, salt);
    this.push(this.header);
  }

  private seal(plain: Buffer, final: boolean): void {
    const flag = Buffer.from([final ? 1 : 0]);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce(this.counter++));
    cipher.setAAD(Buffer.concat([this.header, flag]));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(plain.length);
    this.push(Buffer.concat([flag, len, body, cipher.getAuthTag()]));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    // Strictly more than a chunk: whatever is left at the end goes out as the final chunk.
    if (this.pendingBytes > CHUNK) {
      let all = Buffer.concat(this.pending);
      while (all.length > CHUNK) {
        this.seal(all.subarray(0, CHUNK), false);
        all = all.subarray(CHUNK);
      }
      this.pending = [all];
      this.pendingBytes = all.length;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    this.seal(Buffer.concat(this.pending), true);
    this.key.fill(0);
    done();
  }
}

export class DecryptStream extends Transform {
  private header: Buffer | null = null;
  private key: Buffer | null = null;
  private buf: Buffer = Buffer.alloc(0);
  private counter = 0n;
  private finished = false;
  /** Which master key id the file names, once the header was read. */
  masterKeyId: string | null = null;

  /** `masters`: the configured key, and optionally older ones (a backup made before a rotation). */
  constructor(
    private readonly masters: MasterKey[],
    private readonly purpose: FilePurpose,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.drain();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private drain(): void {
    if (!this.header) {
      if (this.buf.length < HEADER) return;
      const head = this.buf.subarray(0, HEADER);
      const { purpose, masterKeyId } = peekHeader(head);
      if (purpose !== this.purpose) throw new FileDecryptError(`this is a ${purpose} file, not a ${this.purpose} file`);
      this.masterKeyId = masterKeyId;
      const master = this.masters.find((m) => m.id === masterKeyId);
      if (!master) {
        throw new FileDecryptError(
          `this file was encrypted with master key ${masterKeyId}; the configured key is ${this.masters.map((m) => m.id).join(', ')}. ` +
            'Give the master key of that time (a backup made before a key rotation needs the old key).',
        );
      }
      this.header = Buffer.from(head);
      this.key = master.derive(`file/${purpose}`, head.subarray(MAGIC.length + 1, MAGIC.length + 17));
      this.buf = this.buf.subarray(HEADER);
    }
    while (this.buf.length >= 5) {
      if (this.finished) throw new FileDecryptError('data after the final chunk');
      const flag = this.buf[0]!;
      const len = this.buf.readUInt32BE(1);
      if (flag > 1 || len > CHUNK) throw new FileDecryptError('corrupt chunk header');
      if (this.buf.length < 5 + len + TAG) return;
      const decipher = createDecipheriv('aes-256-gcm', this.key!, nonce(this.counter++));
      decipher.setAAD(Buffer.concat([this.header, Buffer.from([flag])]));
      decipher.setAuthTag(this.buf.subarray(5 + len, 5 + len + TAG));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(this.buf.subarray(5, 5 + len)), decipher.final()]);
      } catch {
        throw new FileDecryptError(
          `chunk ${this.counter - 1n} does not authenticate: the file was altered, or another key made it`,
        );
      }
      this.buf = this.buf.subarray(5 + len + TAG);
      if (flag === 1) this.finished = true;
      if (plain.length) this.push(plain);
    }
  }

  override _flush(done: TransformCallback): void {
    if (!this.header) return done(new FileDecryptError('not a Peil encrypted file (too short)'));
    if (!this.finished || this.buf.length > 0) return done(new FileDecryptError('the file is incomplete (cut short)'));
    this.key?.fill(0);
    done();
  }
}
