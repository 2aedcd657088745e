import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, get, post, toProblem, uploadFile } from '../api';
import { Progress } from '../components/Progress';
import { ProblemAlert } from '../components/ProblemAlert';
import { plural, slugify } from '../format';
import type { ImportProgress, ImportResult, ImportUpload, Problem, ProfileField, RowError } from '../types';
import { FIELD_TYPES } from './ProfileFields';

const STANDARD_TARGETS: Array<[string, string]> = [
  ['email', 'Email address'],
  ['first_name', 'First name'],
  ['infix', 'Infix (tussenvoegsel)'],
  ['last_name', 'Last name'],
  ['gender', 'Gender'],
  ['phone', 'Phone number'],
  ['language', 'Language'],
  ['function', 'Job title (functie)'],
];

const DELIMITERS: Record<string, string> = { ';': 'semicolon (;)', ',': 'comma (,)', '\t': 'tab' };

type Step =
  | { kind: 'choose' }
  | { kind: 'uploading'; fraction: number }
  | { kind: 'map'; upload: ImportUpload }
  | { kind: 'importing'; upload: ImportUpload; progress: ImportProgress | null }
  | { kind: 'done'; upload: ImportUpload; result: ImportResult };

/**
 * Contact import in two steps: upload the file (with a progress bar), then check the suggested
 * column mapping and the problems found, and import all rows or only the valid ones.
 */
export function ContactImport({ onImported }: { onImported: () => void }) {
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const fileInput = useRef<HTMLInputElement>(null);
  const fileId = useId();
  const [fields, setFields] = useState<ProfileField[]>([]);
  const choosing = step.kind === 'choose';
  useEffect(() => {
    // The typed profile fields a column can be mapped to; refreshed after an import created new ones.
    get<{ fields: ProfileField[] }>('/api/v1/profile-fields')
      .then((r) => setFields(r.fields))
      .catch(() => {});
  }, [choosing]);

  async function upload(e: FormEvent) {
    e.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setProblem({
        type: 'about:blank',
        title: 'No file chosen',
        status: 0,
        code: 'client_error',
        detail: 'Choose a CSV or Excel (.xlsx) file to import first.',
      });
      fileInput.current?.focus();
      return;
    }
    setProblem(null);
    setStep({ kind: 'uploading', fraction: 0 });
    try {
      const up = await uploadFile<ImportUpload>('/api/v1/contact-imports', file, (fraction) =>
        setStep({ kind: 'uploading', fraction }),
      );
      setMapping(up.mapping);
      setStep({ kind: 'map', upload: up });
    } catch (err) {
      setProblem(toProblem(err));
      setStep({ kind: 'choose' });
    }
  }

  async function commit(upload: ImportUpload, validOnly: boolean) {
    setProblem(null);
    setStep({ kind: 'importing', upload, progress: null });
    // The commit answers when the whole file is in; meanwhile its progress is polled.
    let polling = false;
    const timer = window.setInterval(() => {
      if (polling) return;
      polling = true;
      get<ImportProgress>(`/api/v1/contact-imports/${upload.id}`)
        .then((progress) => setStep((s) => (s.kind === 'importing' ? { ...s, progress } : s)))
        .catch(() => {})
        .finally(() => {
          polling = false;
        });
    }, 500);
    try {
      const result = await post<ImportResult>(`/api/v1/contact-imports/${upload.id}/commit`, { mapping, validOnly });
      setStep({ kind: 'done', upload, result });
      onImported();
    } catch (err) {
      const p = toProblem(err);
      setProblem(p);
      // A 422 lists the rows with problems under this mapping: show them instead of the earlier ones.
      if (err instanceof ApiError && err.status === 422 && p.code === 'invalid_file') {
        // The 422 leaves out the cell values; keep the ones the upload showed for the same cell.
        const known = new Map(upload.errors.map((x) => [`${x.row}:${x.columnLetter}`, x.value]));
        const errors: RowError[] = (p.errors ?? [])
          .filter((x) => x.row !== undefined)
          .map((x) => {
            const value = x.value ?? known.get(`${x.row}:${x.columnLetter ?? ''}`);
            return {
              row: x.row!,
              column: x.column ?? '',
              columnLetter: x.columnLetter ?? '',
              reason: x.reason,
              ...(value === undefined ? {} : { value }),
            };
          });
        const updated: ImportUpload = {
          ...upload,
          errors,
          errorCount: typeof p.errorCount === 'number' ? p.errorCount : errors.length,
          rows: typeof p.rows === 'number' ? p.rows : upload.rows,
          validRows: typeof p.validRows === 'number' ? p.validRows : upload.validRows,
        };
        setStep({ kind: 'map', upload: updated });
      } else {
        setStep({ kind: 'map', upload });
      }
    } finally {
      window.clearInterval(timer);
    }
  }

  function reset() {
    setProblem(null);
    setStep({ kind: 'choose' });
    if (fileInput.current) fileInput.current.value = '';
  }

  return (
    <section aria-labelledby="import-heading" className="card">
      <h2 id="import-heading">Import contacts</h2>
      <ProblemAlert
        problem={problem}
        heading={
          problem?.code === 'client_error'
            ? undefined
            : step.kind === 'map'
              ? 'Nothing was imported'
              : 'The file could not be read'
        }
        // Rows with problems are listed in the table of the mapping step; the alert gives the summary.
        listItems={!(step.kind === 'map' && problem?.code === 'invalid_file')}
      />

      {(step.kind === 'choose' || step.kind === 'uploading') && (
        <form onSubmit={upload}>
          <div className="field">
            <label htmlFor={fileId}>Contact file (CSV) or Excel workbook (.xlsx)</label>
            <p className="hint" id={`${fileId}-hint`}>
              An Excel workbook (.xlsx: the first sheet is read), or a CSV file from Excel or another system, separated
              by semicolons, commas or tabs. The first row holds the column names. One column must hold the email
              address. Dutch headers such as <i>e-mailadres</i>, <i>voornaam</i> and <i>taal</i> are recognised.
            </p>
            <input
              id={fileId}
              ref={fileInput}
              type="file"
              name="file"
              accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby={`${fileId}-hint`}
              disabled={step.kind === 'uploading'}
            />
          </div>
          {step.kind === 'uploading' ? (
            <Progress label="Upload progress" value={step.fraction} max={1} />
          ) : (
            <button type="submit">Upload file</button>
          )}
        </form>
      )}

      {(step.kind === 'map' || step.kind === 'importing') && (
        <MappingStep
          upload={step.upload}
          fields={fields}
          mapping={mapping}
          setMapping={setMapping}
          busy={step.kind === 'importing'}
          onCommit={(validOnly) => void commit(step.upload, validOnly)}
          onCancel={reset}
        />
      )}
      {step.kind === 'importing' && (
        <Progress
          label="Import progress"
          value={step.progress?.processedRows ?? 0}
          max={step.progress?.totalRows ?? step.upload.rows}
          text={
            !step.progress || step.progress.status === 'uploaded'
              ? 'Checking the rows…'
              : `${step.progress.processedRows.toLocaleString('en-GB')} of ${step.progress.totalRows.toLocaleString('en-GB')} rows`
          }
        />
      )}

      {step.kind === 'done' && (
        <div>
          <p className="alert alert-success" role="status">
            Imported {plural(step.result.imported, 'contact')} from {step.upload.fileName}:{' '}
            {step.result.created.toLocaleString('en-GB')} new, {step.result.updated.toLocaleString('en-GB')} updated
            {step.result.duplicatesInFile > 0 &&
              `, ${plural(step.result.duplicatesInFile, 'duplicate row')} in the file`}
            {step.result.skippedRows > 0 && `, ${plural(step.result.skippedRows, 'row')} with problems skipped`}.
            {step.result.fieldsCreated > 0 &&
              ` ${plural(step.result.fieldsCreated, 'new text field')} added under Profile fields.`}
          </p>
          <button type="button" className="button-quiet" onClick={reset}>
            Import another file
          </button>
        </div>
      )}
    </section>
  );
}

function MappingStep(props: {
  upload: ImportUpload;
  fields: ProfileField[];
  mapping: Record<string, string>;
  setMapping: (m: Record<string, string>) => void;
  busy: boolean;
  onCommit: (validOnly: boolean) => void;
  onCancel: () => void;
}) {
  const { upload, fields, mapping, setMapping, busy } = props;
  const known = new Set(fields.map((f) => f.key));
  const idBase = useId();
  const hasProblems = upload.errorCount > 0;
  const badRows = upload.rows - upload.validRows;

  return (
    <div className="mapping">
      <h3>Check the columns</h3>
      <dl className="facts">
        <div>
          <dt>File</dt>
          <dd>{upload.fileName}</dd>
        </div>
        {upload.format === 'xlsx' ? (
          <div>
            <dt>Format</dt>
            <dd>Excel workbook (first sheet)</dd>
          </div>
        ) : (
          <>
            <div>
              <dt>Encoding</dt>
              <dd>{upload.encoding.toUpperCase()}</dd>
            </div>
            <div>
              <dt>Separator</dt>
              <dd>{DELIMITERS[upload.delimiter] ?? upload.delimiter}</dd>
            </div>
          </>
        )}
        <div>
          <dt>Rows</dt>
          <dd>{upload.rows.toLocaleString('en-GB')}</dd>
        </div>
        <div>
          <dt>Valid rows</dt>
          <dd>{upload.validRows.toLocaleString('en-GB')}</dd>
        </div>
      </dl>

      <div className="table-wrap">
        <table className="mapping-table">
          <caption>What each column of the file becomes</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Header in the file</th>
              <th scope="col">Import as</th>
            </tr>
          </thead>
          <tbody>
            {upload.headers.map((h, i) => {
              const id = `${idBase}-col-${i}`;
              const suggested = upload.mapping[h];
              const letter = columnLetter(i);
              const customSlug = suggested?.startsWith('custom:')
                ? suggested.slice(7)
                : slugify(h) || `kolom_${letter.toLowerCase()}`;
              const current = mapping[h] ?? 'ignore';
              const options: Array<[string, string]> = [
                ...STANDARD_TARGETS,
                ...fields.map((f): [string, string] => [
                  `custom:${f.key}`,
                  `Profile field “${f.label.en}” (${FIELD_TYPES[f.type].split(' ')[0]!.toLowerCase()})`,
                ]),
                ...(known.has(customSlug)
                  ? []
                  : [[`custom:${customSlug}`, `New text field “${customSlug}”`] as [string, string]]),
                ['ignore', 'Do not import'],
              ];
              if (!options.some(([v]) => v === current)) options.push([current, current]);
              return (
                <tr key={h}>
                  <td className="col-letter">{letter}</td>
                  <th scope="row">
                    <label htmlFor={id}>{h}</label>
                  </th>
                  <td>
                    <select
                      id={id}
                      value={current}
                      disabled={busy}
                      onChange={(e) => setMapping({ ...mapping, [h]: e.currentTarget.value })}
                    >
                      {options.map(([v, label]) => (
                        <option key={v} value={v}>
                          {label}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {hasProblems ? (
        <RowProblems upload={upload} />
      ) : (
        <p className="alert alert-success">No problems found: every row can be imported.</p>
      )}

      <div className="actions-row">
        <button type="button" disabled={busy} onClick={() => props.onCommit(false)}>
          Import
        </button>
        {hasProblems && upload.validRows > 0 && (
          <button type="button" className="button-secondary" disabled={busy} onClick={() => props.onCommit(true)}>
            Import only the {upload.validRows.toLocaleString('en-GB')} valid rows
          </button>
        )}
        <button type="button" className="button-quiet" disabled={busy} onClick={props.onCancel}>
          Choose another file
        </button>
      </div>
      {hasProblems && (
        <p className="hint">
          “Import” imports nothing while {badRows === 1 ? 'a row has' : `${badRows.toLocaleString('en-GB')} rows have`}{' '}
          problems; correct the file and upload it again, or import only the valid rows.
        </p>
      )}
    </div>
  );
}

function RowProblems({ upload }: { upload: ImportUpload }) {
  const shown = upload.errors.length;
  return (
    <div className="table-wrap">
      <table className="problems">
        <caption>
          {plural(upload.errorCount, 'problem')} in {plural(upload.rows - upload.validRows, 'row')}
          {shown < upload.errorCount && ` (the first ${shown.toLocaleString('en-GB')} are listed)`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Column</th>
            <th scope="col">Problem</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {upload.errors.map((e, i) => (
            <tr key={i}>
              <td>{e.row}</td>
              <td>
                {e.columnLetter}
                {e.column && ` (${e.column})`}
              </td>
              <td>{e.reason}</td>
              <td className="cell-value">{e.value ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
