import { createHash, createPublicKey, verify } from 'node:crypto';
import type { CheckpointSigner } from '../../lib/crypto/signing.js';
import type { DocSection } from '../agreement/document-model.js';
import { toPdf } from '../agreement/render.js';

/**
 * OBLIGATIONS END-4: the signed statement of deletion.
 *
 * The statement is a JSON object; its signature is Ed25519 by the installation's signing key (the key
 * that signs the audit log's checkpoints and the audit pack's manifest: lib/crypto/signing.ts, seed
 * derived from the master key) over the exact bytes of `JSON.stringify(statement, null, 2)`. The file
 * is that object with one more member, `signature` (base64), written as `JSON.stringify(file, null, 2)`
 * and a newline. Verification (`peil statement verify FILE`, verifyStatement) parses the file, takes
 * `signature` out, and checks
 *   1. the file is byte for byte the canonical form (so any changed byte, even white space, fails),
 *   2. the public key in the statement has the key id it claims (SHA-256 of its SPKI, 16 hex),
 *   3. the signature over the statement's canonical bytes.
 * Whether that key id is the installation's own is for the reader to compare with the security
 * measures page (or `--key-id`), as for the audit pack: a forger can put its own key in the file.
 */
export interface DeletionStatement {
  format: 'peil-deletion-statement/1';
  title: { nl: string; en: string };
  installation: { organisation: string; baseUrl: string };
  customer: { id: string; name: string; slug: string };
  agreement: {
    endedAt: string;
    endedBy: 'operator' | 'agreement';
    choice: 'return' | 'deletion' | null;
    choiceAt: string | null;
    choiceDeadline: string;
    returnUntil: string | null;
    /** Why the deletion ran: the customer chose it, the return window passed, or no choice was made in time. */
    reason: 'deletion chosen' | 'return window ended' | 'no choice before the deadline' | 'operator';
  };
  key: {
    /** SHA-256 of the wrapped data key as it was stored, first 16 hex: names the key without revealing anything. */
    id: string;
    createdAt: string;
    destroyedAt: string;
    masterKeyId: string;
  };
  deletion: {
    startedAt: string;
    completedAt: string;
    /** Rows of the customer per table when the deletion started; every one removed. */
    tables: Array<{ table: string; rows: number }>;
    totalRows: number;
    /** The customer's audit chain as it stood before it was removed with the rest: its last entry and head hash. */
    auditChain: { entries: number; lastSeq: number; headHash: string };
    /** What stays, and why (END-5 aggregates; the end's own evidence). */
    kept: Array<{ table: string; reason: string }>;
    /** Rows of the customer left in the removed tables after the deletion (checked: 0). */
    remainingRows: number;
  };
  /** The key that signs: the installation's (its id is also on the security measures page). */
  signedWith: { algorithm: 'Ed25519'; keyId: string; publicKey: string };
}

export const canonical = (s: DeletionStatement): string => JSON.stringify(s, null, 2);

/** The signed file: the statement with its signature, in the one canonical form. */
export function signStatement(statement: DeletionStatement, signer: CheckpointSigner): string {
  const signature = signer.sign(canonical(statement)).toString('base64');
  return `${JSON.stringify({ ...statement, signature }, null, 2)}\n`;
}

export type Verification = { ok: true; statement: DeletionStatement; keyId: string } | { ok: false; problem: string };

/** Checks a statement file (see above). Never throws. */
export function verifyStatement(bytes: Buffer | string, opts: { keyId?: string } = {}): Verification {
  const text = Buffer.isBuffer(bytes) ? bytes.toString('utf8') : bytes;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  if (Buffer.isBuffer(bytes) && !Buffer.from(text, 'utf8').equals(bytes)) return { ok: false, problem: 'not UTF-8' };
  const { signature, ...rest } = parsed;
  const statement = rest as unknown as DeletionStatement;
  if (
    typeof signature !== 'string' ||
    statement.format !== 'peil-deletion-statement/1' ||
    !statement.signedWith?.publicKey
  )
    return { ok: false, problem: 'not a Peil statement of deletion' };
  if (`${JSON.stringify(parsed, null, 2)}\n` !== text)
    return { ok: false, problem: 'the file is not in its signed form (a byte was changed)' };
  let key;
  try {
    key = createPublicKey(statement.signedWith.publicKey);
  } catch {
    return { ok: false, problem: 'the public key cannot be read' };
  }
  const keyId = createHash('sha256')
    .update(key.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);
  if (keyId !== statement.signedWith.keyId)
    return { ok: false, problem: `the public key's id is ${keyId}, not ${statement.signedWith.keyId}` };
  if (opts.keyId && opts.keyId !== keyId)
    return { ok: false, problem: `signed with key ${keyId}, expected ${opts.keyId}` };
  let good = false;
  try {
    good = verify(null, Buffer.from(canonical(statement), 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    good = false;
  }
  if (!good) return { ok: false, problem: 'the signature does not match the statement' };
  return { ok: true, statement, keyId };
}

const when = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 19)} UTC` : '-');
const reasonText: Record<DeletionStatement['agreement']['reason'], { nl: string; en: string }> = {
  'deletion chosen': { nl: 'de klant koos voor verwijdering', en: 'the customer chose deletion' },
  'return window ended': { nl: 'de teruggavetermijn is verstreken', en: 'the return window ended' },
  'no choice before the deadline': { nl: 'geen keuze voor de uiterste datum', en: 'no choice before the deadline' },
  operator: { nl: 'door de beheerder uitgevoerd', en: 'run by the operator' },
};

/** The PDF rendering: Dutch first, English beside it, through the agreement's PDF renderer (pdfkit). */
export function statementPdf(file: string): Promise<Buffer> {
  const { signature, ...rest } = JSON.parse(file) as Record<string, unknown>;
  const s = rest as unknown as DeletionStatement;
  const key = s.signedWith;
  const sections: DocSection[] = [
    {
      id: 'what',
      title: 'Verklaring / Statement',
      blocks: [
        {
          kind: 'paragraph',
          text: `${s.installation.organisation} verklaart dat alle gegevens van ${s.customer.name} (${s.customer.slug}) in Peil (${s.installation.baseUrl}) zijn verwijderd op ${when(s.deletion.completedAt)}: de sleutel van de klant is vernietigd en daarna zijn alle ${s.deletion.totalRows} rijen verwijderd. Reden: ${reasonText[s.agreement.reason].nl}.`,
        },
        {
          kind: 'paragraph',
          text: `${s.installation.organisation} declares that all data of ${s.customer.name} (${s.customer.slug}) in Peil (${s.installation.baseUrl}) was deleted on ${when(s.deletion.completedAt)}: the customer's key was destroyed, then all ${s.deletion.totalRows} rows were removed. Reason: ${reasonText[s.agreement.reason].en}.`,
        },
      ],
    },
    {
      id: 'dates',
      title: 'Einde en keuze / End and choice',
      blocks: [
        {
          kind: 'table',
          head: ['', 'Nederlands / English', ''],
          rows: [
            ['Einde overeenkomst / Agreement ended', when(s.agreement.endedAt), s.agreement.endedBy],
            ['Keuze / Choice', s.agreement.choice ?? '-', when(s.agreement.choiceAt)],
            ['Uiterste keuzedatum / Choice deadline', when(s.agreement.choiceDeadline), ''],
            ['Teruggave tot / Return until', when(s.agreement.returnUntil), ''],
            ['Verwijdering gestart / Deletion started', when(s.deletion.startedAt), ''],
            ['Verwijdering voltooid / Deletion completed', when(s.deletion.completedAt), ''],
          ],
        },
      ],
    },
    {
      id: 'key',
      title: 'Sleutel / Key',
      blocks: [
        {
          kind: 'table',
          head: ['', ''],
          rows: [
            ['Sleutel-id klant / Customer key id', s.key.id],
            ['Aangemaakt / Created', when(s.key.createdAt)],
            ['Vernietigd / Destroyed', when(s.key.destroyedAt)],
            ['Hoofdsleutel-id / Master key id', s.key.masterKeyId],
          ],
        },
      ],
    },
    {
      id: 'tables',
      title: 'Verwijderde rijen per tabel / Rows deleted per table',
      blocks: [
        {
          kind: 'table',
          head: ['Tabel / Table', 'Rijen / Rows'],
          rows: [
            ...s.deletion.tables.map((t) => [t.table, String(t.rows)]),
            ['Totaal / Total', String(s.deletion.totalRows)],
          ],
        },
        {
          kind: 'paragraph',
          text: `Na afloop gecontroleerd: ${s.deletion.remainingRows} rijen over. / Checked afterwards: ${s.deletion.remainingRows} rows left.`,
        },
        {
          kind: 'paragraph',
          text: `Auditlog van de klant vóór verwijdering: ${s.deletion.auditChain.entries} regels, laatste nummer ${s.deletion.auditChain.lastSeq}, kophash ${s.deletion.auditChain.headHash}. / The customer's audit log before deletion: ${s.deletion.auditChain.entries} entries, last seq ${s.deletion.auditChain.lastSeq}, head hash ${s.deletion.auditChain.headHash}.`,
        },
      ],
    },
    {
      id: 'kept',
      title: 'Wat blijft / What stays',
      blocks: [{ kind: 'list', items: s.deletion.kept.map((k) => `${k.table}: ${k.reason}`) }],
    },
    {
      id: 'signature',
      title: 'Handtekening / Signature',
      blocks: [
        {
          kind: 'paragraph',
          text: `Deze PDF is een weergave. Bewijs is het JSON-bestand, ondertekend met Ed25519, sleutel-id ${key.keyId}; controleer met: peil statement verify BESTAND. / This PDF is a rendering. The evidence is the JSON file, signed with Ed25519, key id ${key.keyId}; verify with: peil statement verify FILE.`,
        },
        { kind: 'paragraph', text: `Handtekening / Signature (base64): ${String(signature)}` },
      ],
    },
  ];
  return toPdf({
    lang: 'nl',
    title: `${s.title.nl} / ${s.title.en}`,
    subtitle: `${s.customer.name} - ${s.installation.organisation}`,
    sections,
    annexes: [],
  });
}
