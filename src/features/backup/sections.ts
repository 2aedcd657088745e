import { createCipheriv, createDecipheriv } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { AppError, ErrorCode } from '../../lib/errors.js';

/**
 * OBLIGATIONS SEC-1: a customer's sections of a backup (every row of its tenant tables) are sealed
 * with a key derived from THAT customer's data key (TenantKeys.backupKey, HKDF with its own label and
 * the file's salt). The master key opens the file's framing, the global tables and the list of
 * sections, but not one row of a customer: destroying the customer's data key (`peil tenant
 * erase-key`) makes it unreadable in every backup made before, with every key an operator still holds.
 *
 * A tenant section, inside the file's plain text (one JSON value per line):
 *
 *   {"table":"contacts","tenant":"<uuid>"}
 *   {"sealed":"<base64>"}                     a block: up to BLOCK_BYTES of rows
 *   {"sealed":"<base64>","final":true}        the last block of the section (may hold no rows)
 *   {"end":"contacts"}
 *
 * block = AES-256-GCM(key of the tenant in this file, nonce, deflateRaw(rows joined by "\n"))
 * nonce = 0x00000000 | the tenant's block counter (8, BE), over all its sections in file order
 * AAD   = "peil-backup/2" \n tenant \n table \n block index in the section \n final (0|1)
 *
 * The key is unique per file (random salt), so counter nonces never repeat under one key. The counter
 * and the AAD make a block that was moved, dropped, repeated or cut off fail to open, even for someone
 * who holds the master key and rewrites the outer file. Row counts per customer are not in the framing.
 */
export const BLOCK_BYTES = 1024 * 1024;
const TAG = 16;

function nonce(counter: bigint): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(counter, 4);
  return n;
}

function aad(tenantId: string, table: string, index: number, final: boolean): Buffer {
  return Buffer.from(`peil-backup/2\n${tenantId}\n${table}\n${index}\n${final ? 1 : 0}`, 'utf8');
}

export interface SealedLine {
  sealed: string;
  final?: true;
}

/** Seals one tenant's sections of one backup file, block by block, in file order. */
export class SectionSealer {
  private counter = 0n;

  constructor(
    readonly tenantId: string,
    private readonly key: Buffer,
  ) {}

  /** One block line (with its newline). `index` counts the section's blocks from 0. */
  block(table: string, index: number, rows: string[], final: boolean): string {
    const plain = deflateRawSync(Buffer.from(rows.join('\n'), 'utf8'));
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce(this.counter++));
    cipher.setAAD(aad(this.tenantId, table, index, final));
    const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const line: SealedLine = final
      ? { sealed: body.toString('base64'), final: true }
      : { sealed: body.toString('base64') };
    return JSON.stringify(line) + '\n';
  }

  destroy(): void {
    this.key.fill(0);
  }
}

/** Opens one tenant's blocks, in the order the sealer wrote them; anything else fails to authenticate. */
export class SectionOpener {
  private counter = 0n;

  constructor(
    readonly tenantId: string,
    private readonly key: Buffer,
  ) {}

  open(table: string, index: number, line: SealedLine): string[] {
    const body = Buffer.from(line.sealed, 'base64');
    if (body.length < TAG)
      throw new AppError(ErrorCode.INVALID_FILE, `A block of customer ${this.tenantId} in ${table} is damaged.`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce(this.counter++));
    decipher.setAAD(aad(this.tenantId, table, index, line.final === true));
    decipher.setAuthTag(body.subarray(body.length - TAG));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG)), decipher.final()]);
    } catch {
      throw new AppError(
        ErrorCode.INVALID_FILE,
        `A block of customer ${this.tenantId} in ${table} does not authenticate: the backup was altered, or its key is not this customer's key.`,
      );
    }
    const text = inflateRawSync(plain).toString('utf8');
    return text === '' ? [] : text.split('\n');
  }

  destroy(): void {
    this.key.fill(0);
  }
}
