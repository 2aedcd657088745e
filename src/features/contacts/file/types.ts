import type { Message } from '../../../lib/i18n.js';

export type ContactField =
  'email' | 'first_name' | 'infix' | 'last_name' | 'gender' | 'phone' | 'language' | 'function';

/** A standard field, `custom:<slug>` (a custom profile field), or 'ignore'. */
export type ColumnTarget = ContactField | `custom:${string}` | 'ignore';

/** Keyed by the header text exactly as in FileShape.headers. A header missing from the mapping is ignored. */
export type ColumnMapping = Record<string, ColumnTarget>;

export interface FileShape {
  /** 'xlsx': an Excel workbook, first sheet (encoding and delimiter then mean nothing). Absent: CSV. */
  format?: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'windows-1252';
  bom: boolean;
  delimiter: ';' | ',' | '\t';
  /**
   * Trimmed header texts, one per column. Trailing empty header cells are dropped; an empty header
   * inside the row becomes `(kolom C)` and a repeated header `Naam (kolom F)`, so every key is unique.
   */
  headers: string[];
  /** The file starts with Excel's `sep=;` line, which Excel hides; the header is still row 1. */
  sepLine?: boolean;
}

export type RowErrorCode =
  | 'email_missing'
  | 'email_invalid'
  | 'phone_invalid'
  | 'language_invalid'
  | 'gender_invalid'
  | 'too_long'
  | 'too_many_columns'
  | 'bad_encoding'
  | 'invalid_character'
  | 'number_invalid'
  | 'date_invalid'
  | 'choice_invalid';

export interface RowError {
  /** Spreadsheet row number: header = 1, first data row = 2. Lines inside quotes do not add rows. */
  row: number;
  /** Header text; '' for a cell beyond the last header. */
  column: string;
  /** A, B, ..., Z, AA, ... */
  columnLetter: string;
  /** English, without the cell's value (reasons may end up in logs; the value is in `value`). */
  reason: string;
  /** The reason as a catalogue message (problems:import.row.<code>): sent in the uploader's language. */
  message: Message;
  code: RowErrorCode;
  /** The offending cell, cut to 100 characters, for showing to the uploader. */
  value?: string;
}

export interface ParsedContact {
  /** Trimmed, lower-cased. */
  email: string;
  first_name?: string;
  infix?: string;
  last_name?: string;
  gender?: 'female' | 'male' | 'other' | 'unknown';
  /** E.164. */
  phone?: string;
  language?: 'nl' | 'en';
  function?: string;
  /**
   * Custom fields by slug (without `custom:`); empty cells are left out. Typed fields hold their
   * stored form: number → number, date → 'YYYY-MM-DD', choice → the option as defined.
   */
  profile: Record<string, string | number>;
}

export type { OpenStream } from '../../../lib/csv/xlsx.js';
