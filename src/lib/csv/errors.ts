import { AppError, ErrorCode } from '../errors.js';

/** Why a file as a whole cannot be read; `row` is the spreadsheet row where reading stopped. */
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

/**
 * A file that cannot be read at all (as opposed to a row with bad values, which is a RowError).
 * It is an AppError so the HTTP layer answers 422 with the row in `errors` without extra mapping.
 */
export class FileError extends AppError {
  readonly row: number;
  readonly column: string | undefined;
  readonly columnLetter: string | undefined;
  readonly reason: string;
  readonly kind: FileErrorKind;

  constructor(
    kind: FileErrorKind,
    row: number,
    reason: string,
    opts: { column?: string; columnLetter?: string; cause?: unknown } = {},
  ) {
    const item = {
      row,
      reason,
      ...(opts.column !== undefined ? { column: opts.column } : {}),
      ...(opts.columnLetter !== undefined ? { columnLetter: opts.columnLetter } : {}),
    };
    super(ErrorCode.INVALID_FILE, `Row ${row}: ${reason}`, { errors: [item], cause: opts.cause });
    this.name = 'FileError';
    this.kind = kind;
    this.row = row;
    this.column = opts.column;
    this.columnLetter = opts.columnLetter;
    this.reason = reason;
  }
}
