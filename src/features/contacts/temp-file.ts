import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

/**
 * An uploaded file waiting for its mapping step. It holds personal data, so it is written encrypted
 * with a key that exists only in this process's memory: after a restart it is unreadable garbage,
 * and it is deleted after the import or when it expires.
 */
export class EncryptedTempFile {
  private readonly key = randomBytes(32);
  private readonly iv = randomBytes(12);
  private tag: Buffer | undefined;
  bytes = 0;

  constructor(readonly path: string) {}

  static in(dir: string, id: string): EncryptedTempFile {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return new EncryptedTempFile(join(dir, `${id}.upload`));
  }

  async write(source: Readable): Promise<void> {
    const cipher = createCipheriv('aes-256-gcm', this.key, this.iv);
    source.on('data', (c: Buffer) => {
      this.bytes += c.length;
    });
    await pipeline(source, cipher, createWriteStream(this.path, { mode: 0o600 }));
    this.tag = cipher.getAuthTag();
  }

  open(): Readable {
    if (!this.tag) throw new Error('temp file not written');
    const decipher = createDecipheriv('aes-256-gcm', this.key, this.iv);
    decipher.setAuthTag(this.tag);
    return createReadStream(this.path).pipe(decipher);
  }

  remove(): void {
    this.key.fill(0);
    rmSync(this.path, { force: true });
  }
}
