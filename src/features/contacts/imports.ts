import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import {
  detectFileShape,
  readContacts,
  suggestMapping,
  validateMapping,
  type ColumnMapping,
  type FileShape,
  type ParsedContact,
  type RowError,
  type FieldSpecs,
} from '../../lib/csv/contact-file.js';
import { createTextFields, loadFieldSpecs } from './profile-fields.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { EncryptedTempFile } from './temp-file.js';
import { upsertContacts } from './store.js';

const EXPIRE_MS = 60 * 60 * 1000;
const MAX_ERRORS_SHOWN = 1000;
const BATCH = 1000;

export interface ImportState {
  id: string;
  tenantId: string;
  fileName: string;
  file: EncryptedTempFile;
  shape: FileShape;
  totalRows: number;
  status: 'uploaded' | 'checking' | 'importing' | 'done' | 'failed';
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
 * Contact imports in two steps: upload (stored encrypted, analysed with a suggested mapping), then
 * commit with the mapping the user confirmed. A file with bad rows is imported only when the user
 * asks for the valid rows alone; otherwise nothing is imported and every bad row is listed.
 */
export class ContactImports {
  private readonly states = new Map<string, ImportState>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly ctx: AppContext) {
    this.sweeper = setInterval(() => this.sweep(), 5 * 60 * 1000);
    this.sweeper.unref();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.states) {
      if (s.status !== 'importing' && now - s.createdAt > EXPIRE_MS) {
        s.file.remove();
        this.states.delete(id);
      }
    }
  }

  get(tenantId: string, id: string): ImportState {
    const s = this.states.get(id);
    // Another tenant's import is "not found", never "forbidden": ids leak nothing.
    if (!s || s.tenantId !== tenantId) throw AppError.notFound('import');
    return s;
  }

  async upload(tenantId: string, fileName: string, source: Readable & { truncated?: boolean }): Promise<{ state: ImportState; mapping: ColumnMapping; analysis: Analysis }> {
    const id = randomUUID();
    const file = EncryptedTempFile.in(join(this.ctx.env.dataDir, 'imports'), id);
    try {
      await file.write(source);
      if (source.truncated) {
        throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The file is larger than the limit of ${this.ctx.env.UPLOAD_LIMIT_MB} MiB.`);
      }
      if (file.bytes === 0) throw new AppError(ErrorCode.INVALID_FILE, 'The file is empty.', { errors: [{ row: 1, reason: 'empty file' }] });
      const shape = await detectFileShape(() => file.open(), fileName);
      const mapping = suggestMapping(shape.headers);
      const fields = await this.fields(tenantId);
      const analysis = await this.analyse(file, shape, mapping, fields);
      const state: ImportState = { id, tenantId, fileName, file, shape, totalRows: analysis.rows, status: 'uploaded', processedRows: 0, createdAt: Date.now() };
      this.states.set(id, state);
      return { state, mapping, analysis };
    } catch (err) {
      file.remove();
      throw err;
    }
  }

  private fields(tenantId: string): Promise<FieldSpecs> {
    return this.ctx.db.tenant(tenantId, (tx) => loadFieldSpecs(tx));
  }

  async analyse(file: EncryptedTempFile, shape: FileShape, mapping: ColumnMapping, fields: FieldSpecs, progress?: ImportState): Promise<Analysis> {
    let rows = 0;
    let validRows = 0;
    let errorCount = 0;
    const errors: RowError[] = [];
    for await (const r of readContacts(() => file.open(), shape, mapping, { fields })) {
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

  async commit(tenantId: string, id: string, mapping: ColumnMapping, validOnly: boolean, actor: Actor): Promise<ImportResult> {
    const state = this.get(tenantId, id);
    if (state.status === 'importing' || state.status === 'checking') throw new AppError(ErrorCode.CONFLICT, 'This import is already running.');
    if (state.status === 'done') throw new AppError(ErrorCode.CONFLICT, 'This file was imported already.');
    const mappingProblems = validateMapping(state.shape.headers, mapping);
    if (mappingProblems.length) {
      throw new AppError(ErrorCode.VALIDATION, `The column mapping is not valid: ${mappingProblems.join(' ')}`, {
        errors: mappingProblems.map((reason) => ({ pointer: '/body/mapping', reason })),
      });
    }
    // First pass: check every row. Nothing is written unless the file is clean or the user chose valid rows only.
    state.status = 'checking';
    state.processedRows = 0;
    let analysis: Analysis;
    let fields: FieldSpecs;
    try {
      fields = await this.fields(tenantId);
      analysis = await this.analyse(state.file, state.shape, mapping, fields, state);
    } finally {
      state.status = 'uploaded';
    }
    if (analysis.errorCount > 0 && !validOnly) {
      throw new AppError(ErrorCode.INVALID_FILE, `${analysis.errorCount} problem(s) in ${analysis.rows - analysis.validRows} row(s); nothing was imported. Correct the file, or import only the valid rows.`, {
        errors: analysis.errors.map((e) => ({ row: e.row, column: e.column, columnLetter: e.columnLetter, reason: e.reason, ...(e.value !== undefined ? { value: e.value } : {}) })),
        extra: { rows: analysis.rows, validRows: analysis.validRows, errorCount: analysis.errorCount },
      });
    }
    state.status = 'importing';
    state.processedRows = 0;
    state.totalRows = analysis.rows;
    const keys = await this.ctx.keyring.forTenant(tenantId);
    try {
      // One transaction for the whole file: an import is all or nothing, even if the server stops halfway.
      const result = await this.ctx.db.tenant(tenantId, async (tx) => {
        const totals: ImportResult = { imported: 0, created: 0, updated: 0, duplicatesInFile: 0, skippedRows: 0, fieldsCreated: 0 };
        // A custom column without a profile field becomes a text field, named after its column.
        const missing = Object.entries(mapping)
          .filter(([, t]) => t.startsWith('custom:') && !fields.has(t.slice(7)))
          .map(([header, t]) => ({ key: t.slice(7), label: header }));
        const created = await createTextFields(tx, tenantId, missing);
        totals.fieldsCreated = created.length;
        let batch: ParsedContact[] = [];
        const flush = async () => {
          const r = await upsertContacts(tx, tenantId, keys, batch);
          totals.created += r.created;
          totals.updated += r.updated;
          totals.duplicatesInFile += r.duplicates;
          batch = [];
        };
        for await (const r of readContacts(() => state.file.open(), state.shape, mapping, { fields })) {
          state.processedRows++;
          if (!r.contact) {
            totals.skippedRows++;
            continue;
          }
          batch.push(r.contact);
          if (batch.length >= BATCH) await flush();
        }
        if (batch.length) await flush();
        totals.imported = totals.created + totals.updated;
        await audit(tx, tenantId, actor, {
          action: AuditAction.CONTACTS_IMPORTED,
          subject: { kind: 'import', id },
          details: { file: state.fileName, format: state.shape.format ?? 'csv', rows: analysis.rows, ...totals, validOnly, ...(created.length ? { fieldsCreated: created } : {}) },
        });
        return totals;
      });
      // Rows that repeat an email already imported earlier in this file were counted as updates.
      state.status = 'done';
      state.result = result;
      state.file.remove();
      return result;
    } catch (err) {
      state.status = 'failed';
      throw err;
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const s of this.states.values()) s.file.remove();
    this.states.clear();
  }
}
