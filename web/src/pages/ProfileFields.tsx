import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { slugify } from '../format';
import { currentLanguage } from '../i18n';
import { useCan } from '../session';
import type { Problem, ProfileField, ProfileFieldType } from '../types';

const FIELD_TYPES: readonly ProfileFieldType[] = ['text', 'number', 'date', 'choice'];

const splitOptions = (s: string) =>
  s
    .split(/\r?\n|;/)
    .map((o) => o.trim())
    .filter(Boolean);

/**
 * Profielvelden / Profile fields: the typed fields of contacts (department, location, hours, date of
 * employment, …). Imports, corrections and the API check values against them; selections filter on them.
 */
export function ProfileFieldsPage() {
  const { t } = useTranslation('profileFields');
  useTitle(t('tabTitle'));
  const can = useCan();
  const canEdit = can('contacts:write');
  const [fields, setFields] = useState<ProfileField[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = useLoad(async () => {
    setFields((await get<{ fields: ProfileField[] }>('/api/v1/profile-fields')).fields);
  }, setProblem);

  async function remove(f: ProfileField) {
    try {
      await api('DELETE', `/api/v1/profile-fields/${encodeURIComponent(f.key)}`);
      setConfirming(null);
      await load();
      setStatus(t('deleted', { label: f.label[currentLanguage()] || f.label.nl }));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('title')}</h1>
      <p className="lead">{t('lead')}</p>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {status}
      </p>
      {!fields ? (
        <p>{t('loading')}</p>
      ) : fields.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{t('caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col.key')}</th>
                <th scope="col">{t('col.type')}</th>
                <th scope="col">{t('col.labelNl')}</th>
                <th scope="col">{t('col.labelEn')}</th>
                <th scope="col">{t('col.options')}</th>
                <th scope="col">{t('col.grouping')}</th>
                {canEdit && (
                  <th scope="col">
                    <span className="visually-hidden">{t('col.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {fields.map((f) =>
                editing === f.key ? (
                  <tr key={f.key}>
                    <td colSpan={canEdit ? 7 : 6}>
                      <FieldForm
                        field={f}
                        onDone={(msg) => {
                          setEditing(null);
                          if (msg) setStatus(msg);
                          void load();
                        }}
                      />
                    </td>
                  </tr>
                ) : (
                  <tr key={f.key}>
                    <th scope="row">
                      <code>{f.key}</code>
                    </th>
                    <td>{t(`type.${f.type}`)}</td>
                    <td>{f.label.nl}</td>
                    <td>{f.label.en}</td>
                    <td>{f.options?.join(', ') ?? '—'}</td>
                    <td>{f.grouping ? t('yes') : t('no')}</td>
                    {canEdit && (
                      <td className="actions">
                        {confirming === f.key ? (
                          <span className="confirm">
                            <span>{t('confirmDelete')}</span>
                            <button
                              type="button"
                              className="button-danger"
                              onClick={() => void remove(f)}
                              aria-label={t('yesDeleteLabel', { key: f.key })}
                            >
                              {t('yesDelete')}
                            </button>
                            <button
                              type="button"
                              className="button-quiet"
                              onClick={() => setConfirming(null)}
                              autoFocus
                            >
                              {t('cancel')}
                            </button>
                          </span>
                        ) : (
                          <>
                            <button
                              type="button"
                              className="button-quiet"
                              onClick={() => setEditing(f.key)}
                              aria-label={t('changeLabel', { key: f.key })}
                            >
                              {t('change')}
                            </button>
                            <button
                              type="button"
                              className="button-quiet"
                              onClick={() => setConfirming(f.key)}
                              aria-label={t('deleteLabel', { key: f.key })}
                            >
                              {t('delete')}
                            </button>
                          </>
                        )}
                      </td>
                    )}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && (
        <section className="card" aria-labelledby="new-field-heading">
          <h2 id="new-field-heading">{t('addTitle')}</h2>
          <FieldForm
            onDone={(msg) => {
              if (msg) setStatus(msg);
              void load();
            }}
          />
        </section>
      )}
    </>
  );
}

/** A new field (no `field`) or a change to one: labels, options, and the type while no contact has a value. */
function FieldForm({ field, onDone }: { field?: ProfileField; onDone: (message?: string) => void }) {
  const { t } = useTranslation('profileFields');
  const id = useId();
  const [labelNl, setLabelNl] = useState(field?.label.nl ?? '');
  const [labelEn, setLabelEn] = useState(field?.label.en ?? '');
  const [key, setKey] = useState(field?.key ?? '');
  const [keyTouched, setKeyTouched] = useState(false);
  const [type, setType] = useState<ProfileFieldType>(field?.type ?? 'text');
  const [options, setOptions] = useState((field?.options ?? []).join('\n'));
  const [grouping, setGrouping] = useState(field?.grouping ?? false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const opts = type === 'choice' ? { options: splitOptions(options) } : {};
      if (field) {
        await api('PATCH', `/api/v1/profile-fields/${encodeURIComponent(field.key)}`, {
          ...(type !== field.type ? { type } : {}),
          label: { nl: labelNl, en: labelEn || labelNl },
          grouping,
          ...opts,
        });
        onDone(t('saved', { label: currentLanguage() === 'en' ? labelEn || labelNl : labelNl }));
      } else {
        await post('/api/v1/profile-fields', {
          key,
          type,
          label: { nl: labelNl, ...(labelEn ? { en: labelEn } : {}) },
          grouping,
          ...opts,
        });
        setLabelNl('');
        setLabelEn('');
        setKey('');
        setKeyTouched(false);
        setOptions('');
        onDone(t('added', { label: currentLanguage() === 'en' ? labelEn || labelNl : labelNl }));
      }
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit}>
      <ProblemAlert problem={problem} />
      <div className="field">
        <label htmlFor={`${id}-nl`}>{t('labelNl')}</label>
        <input
          id={`${id}-nl`}
          required
          maxLength={200}
          value={labelNl}
          onChange={(e) => {
            setLabelNl(e.currentTarget.value);
            if (!field && !keyTouched) setKey(slugify(e.currentTarget.value));
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-en`}>{t('labelEn')}</label>
        <input
          id={`${id}-en`}
          maxLength={200}
          value={labelEn}
          placeholder={labelNl}
          onChange={(e) => setLabelEn(e.currentTarget.value)}
        />
      </div>
      {!field && (
        <div className="field">
          <label htmlFor={`${id}-key`}>{t('key')}</label>
          <p className="hint" id={`${id}-key-hint`}>
            {t('keyHint')}
          </p>
          <input
            id={`${id}-key`}
            required
            pattern="[a-z0-9_]{1,64}"
            aria-describedby={`${id}-key-hint`}
            value={key}
            onChange={(e) => {
              setKey(e.currentTarget.value);
              setKeyTouched(true);
            }}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-type`}>{t('typeLabel')}</label>
        <select id={`${id}-type`} value={type} onChange={(e) => setType(e.currentTarget.value as ProfileFieldType)}>
          {FIELD_TYPES.map((v) => (
            <option key={v} value={v}>
              {t(`type.${v}`)}
            </option>
          ))}
        </select>
      </div>
      {type === 'choice' && (
        <div className="field">
          <label htmlFor={`${id}-options`}>{t('options')}</label>
          <p className="hint" id={`${id}-options-hint`}>
            {t('optionsHint')}
          </p>
          <textarea
            id={`${id}-options`}
            rows={5}
            required
            aria-describedby={`${id}-options-hint`}
            value={options}
            onChange={(e) => setOptions(e.currentTarget.value)}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-grouping`}>
          <input
            id={`${id}-grouping`}
            type="checkbox"
            checked={grouping}
            aria-describedby={`${id}-grouping-hint`}
            onChange={(e) => setGrouping(e.currentTarget.checked)}
          />{' '}
          {t('grouping')}
        </label>
        <p className="hint" id={`${id}-grouping-hint`}>
          {t('groupingHint')}
        </p>
      </div>
      <div className="actions-row">
        <button type="submit" disabled={busy}>
          {field ? t('save') : t('addField')}
        </button>
        {field && (
          <button type="button" className="button-quiet" onClick={() => onDone()}>
            {t('cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
