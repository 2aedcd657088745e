import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ApiError, get, post, toProblem, uploadFile } from '../api';
import { FilePicker } from '../components/FilePicker';
import { Progress } from '../components/Progress';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatNumber, slugify } from '../format';
import { currentLanguage } from '../i18n';
import type { ImportProgress, ImportResult, ImportUpload, Problem, ProfileField, RowError } from '../types';

const SEPARATORS: Record<string, 'semicolon' | 'comma' | 'tab'> = { ';': 'semicolon', ',': 'comma', '\t': 'tab' };
/** The standard fields the catalogue names; the list itself comes from the server (the upload's `targets`). */
type StandardTarget = 'email' | 'first_name' | 'infix' | 'last_name' | 'gender' | 'phone' | 'language' | 'function';

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
  const { t } = useTranslation('imports');
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
        title: t('noFile.title'),
        status: 0,
        code: 'client_error',
        detail: t('noFile.detail'),
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
              code: x.code ?? '',
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
      <h2 id="import-heading">{t('heading')}</h2>
      <ProblemAlert
        problem={problem}
        // In the mapping step the problem's own title and detail say it (“nothing was imported”), once.
        heading={problem?.code === 'client_error' || step.kind === 'map' ? undefined : t('unreadable')}
        // Rows with problems are listed in the table of the mapping step; the alert gives the summary.
        listItems={!(step.kind === 'map' && problem?.code === 'invalid_file')}
      />

      {(step.kind === 'choose' || step.kind === 'uploading') && (
        <form onSubmit={upload}>
          <div className="field">
            <label htmlFor={fileId} id={`${fileId}-label`}>
              {t('file.label')}
            </label>
            <p className="hint" id={`${fileId}-hint`}>
              <Trans t={t} i18nKey="file.hint" components={{ i: <i /> }} />
            </p>
            <FilePicker
              id={fileId}
              labelId={`${fileId}-label`}
              ref={fileInput}
              name="file"
              accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby={`${fileId}-hint`}
              disabled={step.kind === 'uploading'}
            />
          </div>
          {step.kind === 'uploading' ? (
            <Progress label={t('file.progress')} value={step.fraction} max={1} />
          ) : (
            <button type="submit">{t('file.submit')}</button>
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
          label={t('progress.label')}
          value={step.progress?.processedRows ?? 0}
          max={step.progress?.totalRows ?? step.upload.rows}
          text={
            !step.progress || step.progress.status === 'uploaded'
              ? t('progress.checking')
              : t('progress.rows', {
                  done: formatNumber(step.progress.processedRows),
                  total: formatNumber(step.progress.totalRows),
                })
          }
        />
      )}

      {step.kind === 'done' && (
        <div>
          <p className="alert alert-success" role="status">
            {t('done.imported', {
              count: step.result.imported,
              file: step.upload.fileName,
              created: formatNumber(step.result.created),
              updated: formatNumber(step.result.updated),
            })}
            {step.result.duplicatesInFile > 0 && t('done.duplicates', { count: step.result.duplicatesInFile })}
            {step.result.skippedRows > 0 && t('done.skipped', { count: step.result.skippedRows })}.
            {step.result.fieldsCreated > 0 && ` ${t('done.fields', { count: step.result.fieldsCreated })}`}
          </p>
          <button type="button" className="button-quiet" onClick={reset}>
            {t('done.another')}
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
  const { t } = useTranslation('imports');
  const { t: tf } = useTranslation('profileFields');
  const lng = currentLanguage();
  const { upload, fields, mapping, setMapping, busy } = props;
  const known = new Set(fields.map((f) => f.key));
  const idBase = useId();
  const hasProblems = upload.errorCount > 0;
  const badRows = upload.rows - upload.validRows;

  return (
    <div className="mapping">
      <h3>{t('map.heading')}</h3>
      <dl className="facts">
        <div>
          <dt>{t('map.file')}</dt>
          <dd>{upload.fileName}</dd>
        </div>
        {upload.format === 'xlsx' ? (
          <div>
            <dt>{t('map.format')}</dt>
            <dd>{t('map.xlsx')}</dd>
          </div>
        ) : (
          <>
            <div>
              <dt>{t('map.encoding')}</dt>
              <dd>{upload.encoding.toUpperCase()}</dd>
            </div>
            <div>
              <dt>{t('map.separator')}</dt>
              <dd>
                {SEPARATORS[upload.delimiter] ? t(`separator.${SEPARATORS[upload.delimiter]!}`) : upload.delimiter}
              </dd>
            </div>
          </>
        )}
        <div>
          <dt>{t('map.rows')}</dt>
          <dd>{formatNumber(upload.rows)}</dd>
        </div>
        <div>
          <dt>{t('map.validRows')}</dt>
          <dd>{formatNumber(upload.validRows)}</dd>
        </div>
      </dl>

      <div className="table-wrap">
        <table className="mapping-table">
          <caption>{t('map.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('map.column')}</th>
              <th scope="col">{t('map.header')}</th>
              <th scope="col">{t('map.target')}</th>
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
                ...upload.targets.map((f): [string, string] => [
                  f,
                  t(`target.${f as StandardTarget}`, { defaultValue: f }),
                ]),
                ...fields.map((f): [string, string] => [
                  `custom:${f.key}`,
                  t('target.profileField', { label: f.label[lng], type: tf(`type.${f.type}`).toLowerCase() }),
                ]),
                ...(known.has(customSlug)
                  ? []
                  : [[`custom:${customSlug}`, t('target.newField', { key: customSlug })] as [string, string]]),
                ['ignore', t('target.ignore')],
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

      {hasProblems ? <RowProblems upload={upload} /> : <p className="alert alert-success">{t('map.noProblems')}</p>}

      <div className="actions-row">
        <button type="button" disabled={busy} onClick={() => props.onCommit(false)}>
          {t('map.import')}
        </button>
        {hasProblems && upload.validRows > 0 && (
          <button type="button" className="button-secondary" disabled={busy} onClick={() => props.onCommit(true)}>
            {t('map.validOnly', { count: upload.validRows })}
          </button>
        )}
        <button type="button" className="button-quiet" disabled={busy} onClick={props.onCancel}>
          {t('map.another')}
        </button>
      </div>
      {hasProblems && <p className="hint">{t('map.blocked', { count: badRows })}</p>}
    </div>
  );
}

function RowProblems({ upload }: { upload: ImportUpload }) {
  const { t } = useTranslation('imports');
  const shown = upload.errors.length;
  return (
    <div className="table-wrap">
      <table className="problems">
        <caption>
          {t('problems.caption', { errors: upload.errorCount, rows: upload.rows - upload.validRows })}
          {shown < upload.errorCount && t('problems.firstShown', { shown: formatNumber(shown) })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('problems.row')}</th>
            <th scope="col">{t('problems.column')}</th>
            <th scope="col">{t('problems.problem')}</th>
            <th scope="col">{t('problems.value')}</th>
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
