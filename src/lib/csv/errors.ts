import { AppError, ErrorCode } from '../errors.js';
import { translate, type Message } from '../i18n.js';

/** Why a file as a whole cannot be read. Sent as `fileError` beside the problem's `code` (stable, never translated). */
export type FileErrorKind =
  | 'empty_file'
  | 'not_csv'
  | 'unsupported_encoding'
  | 'no_header'
  | 'header_too_long'
  | 'header_changed'
  | 'unclosed_quote'
  | 'invalid_quote'
  | 'row_too_long'
  | 'invalid_mapping'
  | 'malformed'
  /** A workbook over the limits of XlsxLimits (what it inflates to, memory, time): SEC-3. */
  | 'too_large';

/** What a file that is not a CSV file is, by its first bytes (sent as `fileType` with `not_csv`). */
export type FileType = 'png' | 'jpeg' | 'gif' | 'pdf' | 'zip' | 'docx' | 'xls' | 'xlsx' | 'binary';

/**
 * A file that cannot be read at all (as opposed to a row with bad values, which is a RowError).
 * It is an AppError so the HTTP layer answers 422 without extra mapping. Issue 14 item 6: the
 * `detail` is a catalogue message (Dutch or English by Accept-Language); a problem of the whole file
 * (its type, encoding, emptiness, header) names no row, and one that stops at a row names it once:
 * in `errors[0]` (row, column and the reason), with a detail that only says where reading stopped.
 */
export class FileError extends AppError {
  /** The spreadsheet row where reading stopped; undefined for a problem of the whole file. */
  readonly row: number | undefined;
  readonly column: string | undefined;
  readonly columnLetter: string | undefined;
  /** The reason in English (for logs and tests); the client gets it in its language. */
  readonly reason: string;
  readonly kind: FileErrorKind;

  constructor(
    kind: FileErrorKind,
    reason: Message,
    opts: {
      row?: number;
      column?: string;
      columnLetter?: string;
      fileType?: FileType;
      /** Further problems (the mapping's), each its own item. */
      items?: Message[];
      cause?: unknown;
    } = {},
  ) {
    const row = opts.row;
    const item =
      row === undefined
        ? undefined
        : {
            row,
            reason: translate('en', reason),
            message: reason,
            ...(opts.column !== undefined ? { column: opts.column } : {}),
            ...(opts.columnLetter !== undefined ? { columnLetter: opts.columnLetter } : {}),
          };
    const items = opts.items?.map((m) => ({ reason: translate('en', m), message: m }));
    super(ErrorCode.INVALID_FILE, row === undefined ? reason : { key: 'problems:import.fromRow', params: { row } }, {
      ...(item ? { errors: [item] } : items ? { errors: items } : {}),
      extra: { fileError: kind, ...(opts.fileType ? { fileType: opts.fileType } : {}) },
      cause: opts.cause,
    });
    this.name = 'FileError';
    this.kind = kind;
    this.row = row;
    this.column = opts.column;
    this.columnLetter = opts.columnLetter;
    this.reason = translate('en', reason);
  }
}
