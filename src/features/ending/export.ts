import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Zip, ZipDeflate, strToU8 } from 'fflate';
import { sql } from 'kysely';
import writeXlsxFile from 'write-excel-file/node';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import { signerOf } from '../../lib/crypto/signing.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { csvRow } from '../../lib/csv/write.js';

/**
 * OBLIGATIONS END-1: the full export of one customer's data in open formats, streamed as a ZIP.
 *
 * Per table: csv/<table>.csv (semicolon, UTF-8 with BOM, as the responses export), json/<table>.json
 * (an array of objects) and, up to XLSX_MAX_ROWS rows, xlsx/<table>.xlsx; then manifest.json (every
 * file with its rows, bytes and SHA-256), manifest.sig (Ed25519 by the installation's key over
 * manifest.json's bytes, as the audit pack) and public-key.pem.
 *
 * Streaming: each table is read in keyset pages of PAGE rows, one short tenant transaction per page
 * (never one long transaction: on PGlite that would stop every other request), and each page is
 * compressed (fflate's streaming Zip) and written to the response before the next is read, waiting
 * for the socket to drain. Memory stays at a page, except for the XLSX of a table, which
 * write-excel-file builds in memory: that is why it is made only up to XLSX_MAX_ROWS rows (the manifest
 * says when a table's XLSX was left out; its CSV and JSON are complete).
 *
 * Values: every sealed column (`*_enc`) is decrypted with the customer's key and named without the
 * suffix (responses: `answers` clear closed answers, `answers_sealed` what the respondent typed);
 * blind indexes and hashes (other bytea) are left out; secrets are never selected (users: no password
 * hash, no second-factor secret). Pages are in the primary key's order; rows written while the export
 * runs may or may not be in it (the manifest's counts are what was written).
 */

const PAGE = 2_000;
export const XLSX_MAX_ROWS = 50_000;

interface ExportTable {
  table: string;
  /** The keyset columns: unique within the customer, in this order. */
  key: string[];
  /** Columns never exported. */
  omit?: string[];
  title: { nl: string; en: string };
}

export const EXPORT_TABLES: ExportTable[] = [
  { table: 'contacts', key: ['id'], title: { nl: 'Contacten', en: 'Contacts' } },
  { table: 'profile_fields', key: ['key'], title: { nl: 'Profielvelden', en: 'Profile fields' } },
  {
    table: 'surveys',
    key: ['id'],
    title: { nl: 'Enquêtes met vragen (definition)', en: 'Surveys with their questions (definition)' },
  },
  { table: 'distributions', key: ['id'], title: { nl: 'Verzendingen', en: 'Distributions' } },
  { table: 'invitations', key: ['id'], title: { nl: 'Uitnodigingen', en: 'Invitations' } },
  { table: 'responses', key: ['id'], title: { nl: 'Antwoorden', en: 'Responses with answers' } },
  { table: 'labels', key: ['id'], title: { nl: 'Labels', en: 'Labels' } },
  {
    table: 'response_labels',
    key: ['response_id', 'label_id'],
    title: { nl: 'Labels per antwoord', en: 'Labels of responses' },
  },
  {
    table: 'suppressions',
    key: ['email_hmac'],
    title: { nl: 'Uitsluitingen (afmeldingen, bounces)', en: 'Suppressions (unsubscribes, bounces)' },
  },
  {
    table: 'users',
    key: ['id'],
    omit: ['password_hash', 'totp_secret_enc', 'totp_pending_enc'],
    title: { nl: 'Gebruikers (zonder wachtwoord-hashes)', en: 'Users (no password hashes)' },
  },
  {
    table: 'agreements',
    key: ['tenant_id'],
    title: {
      nl: 'De verwerkersovereenkomst (termijnen, contactpersonen)',
      en: 'The processing agreement (terms, contacts)',
    },
  },
  { table: 'audit_events', key: ['id'], title: { nl: 'Auditlog', en: 'Audit log' } },
];

/** Columns holding JSON the customer typed (sealed), decrypted as JSON rather than text. */
const SEALED_JSON = new Set(['responses.answers_enc']);

export interface ManifestFile {
  name: string;
  table: string;
  format: 'csv' | 'json' | 'xlsx';
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ExportManifest {
  format: 'peil-export/1';
  customer: { id: string; name: string };
  generatedAt: string;
  tables: Array<{ table: string; title: { nl: string; en: string }; rows: number; columns: string[]; xlsx: boolean }>;
  files: ManifestFile[];
  notes: { nl: string; en: string }[];
  signature: { algorithm: 'Ed25519'; keyId: string; file: 'manifest.sig'; publicKey: 'public-key.pem' };
}

type Value = string | number | boolean | null | Record<string, unknown> | unknown[];

function plain(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  return v as Value;
}

function cellText(v: Value): string | number | boolean | null {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/**
 * Streams the export into a Node stream (the response body). `onDone` runs after the last byte, with
 * the manifest; it writes the audit row (a customer's request in its own transaction).
 */
export function streamExport(
  ctx: AppContext,
  tenantId: string,
  actor: Actor,
  now = new Date(),
): { stream: PassThrough; done: Promise<ExportManifest> } {
  const out = new PassThrough();
  const zip = new Zip((err, chunk, final) => {
    if (err) {
      out.destroy(err);
      return;
    }
    out.write(Buffer.from(chunk));
    if (final) out.end();
  });
  const drained = () =>
    out.writableNeedDrain ? new Promise<void>((resolve) => out.once('drain', () => resolve())) : Promise.resolve();

  const files: ManifestFile[] = [];
  /** One ZIP entry written in pieces, hashed and counted as it goes. */
  const entry = (name: string, table: string, format: ManifestFile['format']) => {
    const f = new ZipDeflate(name, { level: 6 });
    (f as unknown as { mtime: Date }).mtime = now;
    zip.add(f);
    const hash = createHash('sha256');
    let bytes = 0;
    return {
      async push(data: Uint8Array | string, final = false) {
        const b = typeof data === 'string' ? strToU8(data) : data;
        hash.update(b);
        bytes += b.length;
        f.push(b, final);
        await drained();
      },
      close(rows: number) {
        files.push({ name, table, format, rows, bytes, sha256: hash.digest('hex') });
      },
    };
  };

  const done = (async (): Promise<ExportManifest> => {
    const keys: TenantKeys = await ctx.keyring.forTenant(tenantId);
    const tenant = await ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('tenants').select(['id', 'name']).where('id', '=', tenantId).executeTakeFirstOrThrow(),
    );
    // Every export is in the log (LOG-1), written when it starts: also one that is broken off.
    await ctx.db.tenant(tenantId, (tx) =>
      audit(tx, tenantId, actor, {
        action: AuditAction.DATA_EXPORTED,
        subject: { kind: 'tenant', id: tenantId },
        details: { tables: EXPORT_TABLES.map((t) => t.table), formats: ['csv', 'json', 'xlsx'] },
      }),
    );
    const manifestTables: ExportManifest['tables'] = [];
    for (const t of EXPORT_TABLES) {
      const cols = await ctx.db.tenant(
        tenantId,
        async (tx) =>
          (
            await sql<{ name: string; type: string }>`
            SELECT attname::text AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
             WHERE attrelid = ${`public.${t.table}`}::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`.execute(
              tx,
            )
          ).rows,
      );
      // Selected: everything but the omitted columns and the tenant column; sealed columns are
      // decrypted; other bytea (blind indexes, hashes) are selected only when they are the key.
      const selected = cols.filter(
        (c) =>
          !(t.omit ?? []).includes(c.name) &&
          (c.name !== 'tenant_id' || t.key.includes('tenant_id')) &&
          (c.type !== 'bytea' || c.name.endsWith('_enc') || t.key.includes(c.name)),
      );
      const shown = selected.filter((c) => c.name !== 'tenant_id' && (c.type !== 'bytea' || c.name.endsWith('_enc')));
      const header = shown.map((c) =>
        c.name === 'answers_enc' ? 'answers_sealed' : c.name.endsWith('_enc') ? c.name.slice(0, -4) : c.name,
      );
      const toRow = (r: Record<string, unknown>): Value[] =>
        shown.map((c) => {
          const v = r[c.name];
          if (c.name.endsWith('_enc')) {
            if (v === null || v === undefined) return null;
            return SEALED_JSON.has(`${t.table}.${c.name}`)
              ? (keys.openJson(v as Buffer) as Value)
              : keys.open(v as Buffer);
          }
          return plain(v);
        });

      async function* pages(): AsyncGenerator<Record<string, unknown>[]> {
        let after: unknown[] | null = null;
        for (;;) {
          const last: unknown[] | null = after;
          const rows: Record<string, unknown>[] = await ctx.db.tenant(tenantId, async (tx) => {
            const keyList = sql.join(t.key.map((k) => sql.ref(k)));
            const where = last ? sql`WHERE (${keyList}) > (${sql.join(last.map((v) => sql`${v}`))})` : sql``;
            return (
              await sql<
                Record<string, unknown>
              >`SELECT ${sql.join(selected.map((c) => sql.ref(c.name)))} FROM ${sql.table(t.table)} ${where} ORDER BY ${keyList} LIMIT ${PAGE}`.execute(
                tx,
              )
            ).rows;
          });
          if (rows.length === 0) return;
          yield rows;
          if (rows.length < PAGE) return;
          after = t.key.map((k) => rows[rows.length - 1]![k]);
        }
      }

      // CSV (and the XLSX rows while the table is small enough).
      const csv = entry(`csv/${t.table}.csv`, t.table, 'csv');
      await csv.push(`\uFEFF${csvRow(header, ';')}`);
      let rows = 0;
      let xlsxRows: Value[][] | null = [];
      for await (const page of pages()) {
        let text = '';
        for (const r of page) {
          const values = toRow(r);
          text += csvRow(values.map(cellText), ';');
          if (xlsxRows) {
            if (xlsxRows.length >= XLSX_MAX_ROWS) xlsxRows = null;
            else xlsxRows.push(values);
          }
        }
        rows += page.length;
        await csv.push(text);
      }
      await csv.push(new Uint8Array(0), true);
      csv.close(rows);

      // JSON: a second pass, so that neither file waits in memory for the other.
      const json = entry(`json/${t.table}.json`, t.table, 'json');
      await json.push('[');
      let jsonRows = 0;
      for await (const page of pages()) {
        let text = '';
        for (const r of page) {
          const values = toRow(r);
          text += `${jsonRows === 0 ? '\n' : ',\n'}${JSON.stringify(Object.fromEntries(header.map((h, i) => [h, values[i]])))}`;
          jsonRows++;
        }
        await json.push(text);
      }
      await json.push(jsonRows ? '\n]\n' : ']\n', true);
      json.close(jsonRows);

      if (xlsxRows) {
        const sheet = [
          header.map((h) => ({ value: h, fontWeight: 'bold' as const })),
          ...xlsxRows.map((r) => r.map((v) => ({ value: cellText(v) }))),
        ];
        const buffer = (await writeXlsxFile(sheet as never, { buffer: true } as never)) as unknown as Buffer;
        const x = entry(`xlsx/${t.table}.xlsx`, t.table, 'xlsx');
        await x.push(new Uint8Array(buffer), true);
        x.close(xlsxRows.length);
      }
      manifestTables.push({ table: t.table, title: t.title, rows, columns: header, xlsx: xlsxRows !== null });
    }

    const signer = signerOf(ctx.keyring.master);
    const manifest: ExportManifest = {
      format: 'peil-export/1',
      customer: { id: tenant.id, name: tenant.name },
      generatedAt: now.toISOString(),
      tables: manifestTables,
      files,
      notes: [
        {
          nl: `CSV: puntkomma, UTF-8. XLSX alleen voor tabellen tot ${XLSX_MAX_ROWS} rijen; CSV en JSON zijn altijd volledig.`,
          en: `CSV: semicolon, UTF-8. XLSX only for tables up to ${XLSX_MAX_ROWS} rows; CSV and JSON are always complete.`,
        },
        {
          nl: 'manifest.sig is de Ed25519-handtekening over manifest.json (publieke sleutel: public-key.pem).',
          en: 'manifest.sig is the Ed25519 signature over manifest.json (public key: public-key.pem).',
        },
      ],
      signature: { algorithm: 'Ed25519', keyId: signer.keyId, file: 'manifest.sig', publicKey: 'public-key.pem' },
    };
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    for (const [name, data] of [
      ['manifest.json', strToU8(manifestText)],
      ['manifest.sig', new Uint8Array(signer.sign(manifestText))],
      ['public-key.pem', strToU8(signer.publicKeyPem)],
    ] as const) {
      const f = new ZipDeflate(name, { level: 6 });
      zip.add(f);
      f.push(data, true);
    }
    zip.end();
    return manifest;
  })();
  done.catch((err: unknown) => {
    out.destroy(err as Error);
  });
  return { stream: out, done };
}
