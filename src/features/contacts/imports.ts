import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import {
  detectFileShape,
  FileError,
  normalizeHeader,
  readContacts,
  suggestMapping,
  validateMapping,
  type ColumnMapping,
  type FileShape,
  type ParsedContact,
  type RowError,
  type FieldSpecs,
} from './file/contact-file.js';
import type { XlsxLimits } from '../../lib/csv/xlsx.js';
import { UNSTORABLE_TEXT_RE } from '../../lib/unstorable.js';

const UNSTORABLE_TEXT_GLOBAL_RE = new RegExp(UNSTORABLE_TEXT_RE.source, 'g');
import { createTextFields, loadFieldSpecs } from './profile-fields.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { translate, type Language } from '../../lib/i18n.js';
import { EncryptedTempFile } from './temp-file.js';
import { mergeStagedContacts, sealForStaging, stageContacts } from './store.js';
import { yieldToEventLoop } from '../../lib/tick.js';
import { countWithin } from '../plans/limits.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';

const EXPIRE_MS = 60 * 60 * 1000;
const MAX_ERRORS_SHOWN = 1000;
const BATCH = 2000;
/**
 * OBLIGATIONS SEC-2 (issue 16): on PGlite a statement runs inside this process and holds the event
 * loop until it is done, so the import writes smaller batches there and yields between them: the
 * HTTP server answers in between (src/features/contacts/import-latency.test.ts).
 */
const PGLITE_BATCH = 250;
/** Issue 17: an upload is kept in the database in parts of this many bytes, each sealed on its own. */
const PART_BYTES = 1024 * 1024;
/** Issue 17: on PostgreSQL a running import writes its progress this often (rows), for the other processes. */
const PROGRESS_EVERY = 10_000;
/** Issue 17: staged rows merged into contacts per statement (PostgreSQL; PGlite merges PGLITE_BATCH and yields). */
const MERGE_ROWS = 50_000;

export interface ImportState {
  id: string;
  tenantId: string;
  fileName: string;
  shape: FileShape;
  totalRows: number;
  status: 'uploaded' | 'importing' | 'done' | 'failed';
  processedRows: number;
  createdAt: number;
  result?: ImportResult;
}

export interface ImportResult {
  imported: number;
  created: number;
  updated: number;
  duplicatesInFile: number;
  skippedRows: number;
  /** Custom columns that had no profile field: created as text fields. */
  fieldsCreated: number;
}

export interface Analysis {
  rows: number;
  validRows: number;
  errorCount: number;
  errors: RowError[];
}

/**
 * Expired uploads of the transaction's customer: the upload row, its sealed file parts and any staged
 * rows (cascade). One that says it is importing for over a day was left by a process that stopped.
 */
async function deleteExpiredUploads(tx: Tx): Promise<number> {
  const r = await tx
    .deleteFrom('contact_uploads')
    .where('expires_at', '<=', new Date())
    .where((eb) =>
      eb.or([eb('status', '!=', 'importing'), eb('created_at', '<', new Date(Date.now() - 24 * 3600_000))]),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Issue 17: the contact files nobody committed within the hour (and what a stopped import left) go
 * for every customer, not only when that customer uploads again: a file holds personal data.
 */
export async function sweepExpiredUploads(ctx: AppContext): Promise<number> {
  const tenants = await ctx.db.global((tx) => tx.selectFrom('tenants').select('id').execute());
  let deleted = 0;
  for (const { id } of tenants) deleted += await ctx.db.tenant(id, deleteExpiredUploads);
  return deleted;
}

/**
 * Contact imports in two steps: upload (stored encrypted, analysed with a suggested mapping), then
 * commit with the mapping the user confirmed. A file with bad rows is imported only when the user
 * asks for the valid rows alone; otherwise nothing is imported and every bad row is listed.
 *
 * Issue 17: between the two steps the upload lives in the database (contact_uploads, and the file in
 * contact_upload_parts sealed with the customer's key), so that a commit, its progress and its result
 * can be asked of any Peil process. The upload expires after an hour; the parts go once it is done.
 * Only the progress of an import that runs in this process is kept here (on PGlite it is answered
 * from memory, also while the final merge holds the one connection).
 */
export class ContactImports {
  private readonly running = new Map<string, ImportState>();

  /** OBLIGATIONS SEC-3: the bounds of reading a workbook (what it inflates to, memory, time). */
  private readonly xlsx: XlsxLimits;

  constructor(private readonly ctx: AppContext) {
    const env = ctx.env;
    this.xlsx = {
      maxInflatedBytes: env.XLSX_INFLATE_LIMIT_MB * 1024 * 1024,
      maxRatio: env.XLSX_MAX_RATIO,
      maxMemoryMb: env.XLSX_WORKER_MEMORY_MB,
      maxMs: env.XLSX_PARSE_TIMEOUT_SECONDS * 1000,
    };
  }

  async get(tenantId: string, id: string): Promise<ImportState> {
    const local = this.running.get(id);
    if (local && local.tenantId === tenantId) return local;
    // Another tenant's import is "not found", never "forbidden": ids leak nothing.
    if (!isUuid(id)) throw AppError.notFound('import');
    const keys = await this.ctx.keyring.forTenant(tenantId);
    const row = await this.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('contact_uploads')
        .selectAll()
        .where('id', '=', id)
        .where('expires_at', '>', new Date())
        .executeTakeFirst(),
    );
    if (!row) throw AppError.notFound('import');
    return {
      id: row.id,
      tenantId,
      fileName: keys.open(row.file_name_enc),
      shape: row.shape as FileShape,
      totalRows: row.total_rows,
      status: row.status,
      processedRows: row.processed_rows,
      createdAt: new Date(row.created_at).getTime(),
      ...(row.result ? { result: row.result as ImportResult } : {}),
    };
  }

  /** The upload's file, read part by part, each part in a short transaction of its own. */
  private partsOf(tenantId: string, keys: TenantKeys, id: string): Readable {
    const db = this.ctx.db;
    return Readable.from(
      (async function* () {
        for (let n = 0; ; n++) {
          const part = await db.tenant(tenantId, (tx) =>
            tx
              .selectFrom('contact_upload_parts')
              .select('data_enc')
              .where('upload_id', '=', id)
              .where('n', '=', n)
              .executeTakeFirst(),
          );
          if (!part) return;
          yield keys.openBytes(part.data_enc, `${id}/${n}`);
        }
      })(),
    );
  }

  /** Stores the analysed upload and its file (sealed, in parts) in one transaction. */
  private async store(state: ImportState, file: EncryptedTempFile): Promise<void> {
    const { id, tenantId } = state;
    const keys = await this.ctx.keyring.forTenant(tenantId);
    await this.ctx.db.tenant(tenantId, async (tx) => {
      // This customer's expired uploads go first (the sweep takes the rest, every UPLOAD_SWEEP_SECONDS).
      await deleteExpiredUploads(tx);
      await tx
        .insertInto('contact_uploads')
        .values({
          tenant_id: tenantId,
          id,
          file_name_enc: keys.seal(state.fileName),
          shape: JSON.stringify(state.shape),
          bytes: file.bytes,
          total_rows: state.totalRows,
          status: 'uploaded',
          expires_at: new Date(state.createdAt + EXPIRE_MS),
        })
        .execute();
      let n = 0;
      const write = async (data: Buffer) => {
        await tx
          .insertInto('contact_upload_parts')
          .values({ tenant_id: tenantId, upload_id: id, n, data_enc: keys.sealBytes(data, `${id}/${n}`) })
          .execute();
        n++;
      };
      let pending: Buffer[] = [];
      let size = 0;
      for await (const chunk of file.open()) {
        pending.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        while (size >= PART_BYTES) {
          const all = Buffer.concat(pending);
          await write(all.subarray(0, PART_BYTES));
          pending = [all.subarray(PART_BYTES)];
          size = pending[0]!.length;
        }
      }
      if (size > 0) await write(Buffer.concat(pending));
    });
  }

  /** Issue 17: writes an import's status and progress for every process (while it runs, or after it failed). */
  private async record(state: ImportState): Promise<void> {
    await this.ctx.db.tenant(state.tenantId, async (tx) => {
      await tx
        .updateTable('contact_uploads')
        .set({ status: state.status, processed_rows: state.processedRows })
        .where('id', '=', state.id)
        .execute();
    });
  }

  async upload(
    tenantId: string,
    fileName: string,
    source: Readable & { truncated?: boolean },
  ): Promise<{ state: ImportState; mapping: ColumnMapping; analysis: Analysis }> {
    const id = randomUUID();
    // OBLIGATIONS SEC-3: the name goes into the audit row (jsonb), which refuses NUL.
    fileName = fileName.replace(UNSTORABLE_TEXT_GLOBAL_RE, '').slice(0, 255) || 'contacts';
    const file = EncryptedTempFile.in(join(this.ctx.env.dataDir, 'imports'), id);
    try {
      await file.write(source);
      if (source.truncated) {
        throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, {
          key: 'problems:import.tooLarge',
          params: { mib: this.ctx.env.UPLOAD_LIMIT_MB },
        });
      }
      // A problem of the whole file: no row (issue 14 item 6).
      if (file.bytes === 0) throw new FileError('empty_file', { key: 'problems:import.emptyFile' });
      const shape = await detectFileShape(() => file.open(), fileName, { xlsx: this.xlsx });
      const fields = await this.fields(tenantId);
      const mapping = suggestMapping(shape.headers);
      // A column named like a profile field's label (Dutch or English) is suggested as that field.
      const labels = await this.ctx.db.tenant(tenantId, (tx) =>
        tx.selectFrom('profile_fields').select(['key', 'label_nl', 'label_en']).execute(),
      );
      const byLabel = new Map<string, string>();
      for (const l of labels)
        for (const name of [l.label_nl, l.label_en])
          if (!byLabel.has(normalizeHeader(name))) byLabel.set(normalizeHeader(name), l.key);
      const used = new Set(Object.values(mapping));
      for (const [header, target] of Object.entries(mapping)) {
        if (!target.startsWith('custom:') || fields.has(target.slice(7))) continue;
        const key = byLabel.get(normalizeHeader(header));
        if (key && !used.has(`custom:${key}`)) {
          mapping[header] = `custom:${key}`;
          used.add(`custom:${key}`);
        }
      }
      const analysis = await this.analyse(file, shape, mapping, fields);
      const state: ImportState = {
        id,
        tenantId,
        fileName,
        shape,
        totalRows: analysis.rows,
        status: 'uploaded',
        processedRows: 0,
        createdAt: Date.now(),
      };
      await this.store(state, file);
      return { state, mapping, analysis };
    } finally {
      file.remove();
    }
  }

  private fields(tenantId: string): Promise<FieldSpecs> {
    return this.ctx.db.tenant(tenantId, (tx) => loadFieldSpecs(tx));
  }

  async analyse(
    file: EncryptedTempFile,
    shape: FileShape,
    mapping: ColumnMapping,
    fields: FieldSpecs,
    progress?: ImportState,
  ): Promise<Analysis> {
    let rows = 0;
    let validRows = 0;
    let errorCount = 0;
    const errors: RowError[] = [];
    for await (const r of readContacts(() => file.open(), shape, mapping, { fields, xlsx: this.xlsx })) {
      rows++;
      if (progress) progress.processedRows = rows;
      if (r.contact) validRows++;
      for (const e of r.errors) {
        errorCount++;
        if (errors.length < MAX_ERRORS_SHOWN) errors.push(e);
      }
    }
    return { rows, validRows, errorCount, errors };
  }

  async commit(
    tenantId: string,
    id: string,
    mapping: ColumnMapping,
    validOnly: boolean,
    actor: Actor,
  ): Promise<ImportResult> {
    const state = await this.get(tenantId, id);
    const refuse = (status: ImportState['status']) => {
      if (status === 'importing') throw new AppError(ErrorCode.CONFLICT, { key: 'problems:import.alreadyRunning' });
      if (status === 'done') throw new AppError(ErrorCode.CONFLICT, { key: 'problems:import.alreadyDone' });
    };
    refuse(state.status);
    const mappingProblems = validateMapping(state.shape.headers, mapping);
    if (mappingProblems.length) {
      // The detail says what is wrong in one sentence; each problem is said once, in its item.
      throw new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:import.invalidMapping' },
        {
          errors: mappingProblems.map((message) => ({
            pointer: '/body/mapping',
            reason: translate('en', message),
            message,
          })),
        },
      );
    }
    // Issue 17: two phases. First the rows are read, checked, sealed and staged (contact_import_rows)
    // in many short transactions, so that no transaction parses and encrypts for minutes; a bad row stops
    // the staging (unless the user chose the valid rows only) and the rest of the file is still read to
    // list every problem. Then one transaction merges the staged rows into contacts, set-based, with
    // the plan's limit, the audit row and the upload's status: all of the file or nothing of it.
    // The upload is taken for this import in the database, so that two processes (or two clicks) never
    // import one file twice.
    const claimed = await this.ctx.db.tenant(tenantId, (tx) =>
      tx
        .updateTable('contact_uploads')
        .set({ status: 'importing', processed_rows: 0 })
        .where('id', '=', id)
        .where('status', 'in', ['uploaded', 'failed'])
        .where('expires_at', '>', new Date())
        .executeTakeFirst(),
    );
    if (Number(claimed.numUpdatedRows) !== 1) {
      refuse((await this.get(tenantId, id)).status);
      throw AppError.notFound('import');
    }
    state.status = 'importing';
    state.processedRows = 0;
    this.running.set(id, state);
    const shared = this.ctx.db.kind === 'postgres';
    const embedded = !shared;
    const fields = await this.fields(tenantId);
    const keys = await this.ctx.keyring.forTenant(tenantId);
    const unstage = () =>
      this.ctx.db.tenant(tenantId, (tx) => tx.deleteFrom('contact_import_rows').where('upload_id', '=', id).execute());
    let rejected: AppError | undefined;
    try {
      // An earlier attempt that failed may have left rows.
      await unstage();
      const analysis: Analysis = { rows: 0, validRows: 0, errorCount: 0, errors: [] };
      let staged = 0;
      let batch: ParsedContact[] = [];
      // On PostgreSQL up to two batches are written (each its own transaction) while the next is read,
      // checked and sealed; PGlite runs its statements in this process, so there it writes, then yields
      // to the HTTP server (SEC-2).
      const writing: Array<Promise<unknown>> = [];
      // The merge goes in steps of `step` rows; per step, the addresses that occur more than once in
      // it (only their rows need merging with each other).
      const step = embedded ? PGLITE_BATCH : MERGE_ROWS;
      const repeated: Buffer[][] = [];
      let seen = new Map<string, boolean>();
      const flush = async () => {
        const { rows, hmacs } = sealForStaging(keys, staged, batch);
        for (const hmac of hmacs) {
          if (Math.floor(staged++ / step) >= repeated.length) {
            repeated.push([]);
            seen = new Map();
          }
          const k = hmac.toString('base64');
          const again = seen.get(k);
          if (again === undefined) seen.set(k, false);
          else if (!again) {
            seen.set(k, true);
            repeated[repeated.length - 1]!.push(hmac);
          }
        }
        batch = [];
        const w = this.ctx.db.tenant(tenantId, (tx) => stageContacts(tx, tenantId, id, rows));
        w.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
        writing.push(w);
        if (writing.length >= (embedded ? 1 : 2)) await writing.shift();
        if (embedded) await yieldToEventLoop();
      };
      const batchSize = embedded ? PGLITE_BATCH : BATCH;
      try {
        for await (const r of readContacts(() => this.partsOf(tenantId, keys, id), state.shape, mapping, {
          fields,
          xlsx: this.xlsx,
        })) {
          state.processedRows++;
          if (shared && state.processedRows % PROGRESS_EVERY === 0) await this.record(state);
          analysis.rows++;
          if (!r.contact) {
            for (const e of r.errors) {
              analysis.errorCount++;
              if (analysis.errors.length < MAX_ERRORS_SHOWN) analysis.errors.push(e);
            }
            continue;
          }
          analysis.validRows++;
          if (analysis.errorCount > 0 && !validOnly) continue;
          batch.push(r.contact);
          if (batch.length >= batchSize) await flush();
        }
        if (batch.length && (analysis.errorCount === 0 || validOnly)) await flush();
      } finally {
        await Promise.all(writing);
      }
      if (analysis.errorCount > 0 && !validOnly) {
        rejected = new AppError(
          ErrorCode.INVALID_FILE,
          {
            key: 'problems:import.rowsRejected',
            params: { errors: analysis.errorCount, rows: analysis.rows - analysis.validRows },
          },
          {
            errors: analysis.errors.map((e) => ({
              row: e.row,
              column: e.column,
              columnLetter: e.columnLetter,
              reason: e.reason,
              message: e.message,
              code: e.code,
              ...(e.value !== undefined ? { value: e.value } : {}),
            })),
            extra: { rows: analysis.rows, validRows: analysis.validRows, errorCount: analysis.errorCount },
          },
        );
        throw rejected;
      }
      const result = await this.ctx.db.tenant(tenantId, async (tx) => {
        const totals: ImportResult = {
          imported: 0,
          created: 0,
          updated: 0,
          duplicatesInFile: 0,
          skippedRows: analysis.rows - analysis.validRows,
          fieldsCreated: 0,
        };
        // A custom column without a profile field becomes a text field, named after its column.
        const missing = Object.entries(mapping)
          .filter(([, t]) => t.startsWith('custom:') && !fields.has(t.slice(7)))
          .map(([header, t]) => ({ key: t.slice(7), label: header }));
        const created = await createTextFields(tx, tenantId, missing);
        totals.fieldsCreated = created.length;
        for (let from = 0; from < staged; from += step) {
          const r = await mergeStagedContacts(tx, tenantId, id, {
            from,
            to: from + step,
            repeated: repeated[from / step] ?? [],
            staged,
          });
          totals.created += r.created;
          totals.updated += r.updated;
          totals.duplicatesInFile += r.duplicates;
          if (embedded) await yieldToEventLoop();
        }
        state.totalRows = analysis.rows;
        totals.imported = totals.created + totals.updated;
        // OBLIGATIONS SVC-6: the new contacts of the whole file counted at once; above the plan's limit
        // the import is refused as a whole (this transaction rolls back: no half import).
        await countWithin(tx, tenantId, 'contacts', totals.created, { nl: 'Deze import', en: 'This import' });
        await audit(tx, tenantId, actor, {
          action: AuditAction.CONTACTS_IMPORTED,
          subject: { kind: 'import', id },
          details: {
            file: state.fileName,
            format: state.shape.format ?? 'csv',
            rows: analysis.rows,
            ...totals,
            validOnly,
            ...(created.length ? { fieldsCreated: created } : {}),
          },
        });
        // Done with the import itself, in its transaction: never imported without saying so.
        await tx
          .updateTable('contact_uploads')
          .set({
            status: 'done',
            processed_rows: analysis.rows,
            total_rows: analysis.rows,
            result: JSON.stringify(totals),
          })
          .where('id', '=', id)
          .execute();
        await tx.deleteFrom('contact_upload_parts').where('upload_id', '=', id).execute();
        return totals;
      });
      // Rows that repeat an email of an earlier merge step of this file were counted as updates.
      state.status = 'done';
      state.result = result;
      return result;
    } catch (err) {
      // Bad rows: nothing was imported; the same file can be committed again with validOnly.
      // At a plan's limit likewise: the file can be committed again after an extension or a clean-up.
      state.status =
        err === rejected || (err instanceof AppError && err.code === ErrorCode.LIMIT_REACHED) ? 'uploaded' : 'failed';
      await this.record(state).catch(() => {});
      throw err;
    } finally {
      this.running.delete(id);
      // The staged rows go in every case (done, refused or failed); if this fails, they go with the upload.
      await unstage().catch(() => {});
    }
  }

  /** Row problems as the upload answer sends them: the reason in the uploader's language, with its stable code. */
  static localErrors(errors: RowError[], lng: Language): Array<Omit<RowError, 'message'>> {
    return errors.map(({ message, ...e }) => ({ ...e, reason: translate(lng, message) }));
  }

  close(): void {
    this.running.clear();
  }
}
