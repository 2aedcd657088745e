import { useId, useState, type FormEvent } from 'react';
import { api, get, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { slugify } from '../format';
import { useCan } from '../session';
import type { Problem, ProfileField, ProfileFieldType } from '../types';

export const FIELD_TYPES: Record<ProfileFieldType, string> = {
  text: 'Text (tekst)',
  number: 'Number (getal)',
  date: 'Date (datum)',
  choice: 'Choice (keuzelijst)',
};

const splitOptions = (s: string) => s.split(/\r?\n|;/).map((o) => o.trim()).filter(Boolean);

/**
 * Profielvelden / Profile fields: the typed fields of contacts (department, location, hours, date of
 * employment, …). Imports, corrections and the API check values against them; selections filter on them.
 */
export function ProfileFieldsPage() {
  useTitle('Profile fields');
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
      setStatus(`Deleted the field “${f.label.en}” and its values.`);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>Profile fields (profielvelden)</h1>
      <p className="lead">
        What you know about contacts besides their name and address: department, location, hours, date of employment… A field has a type, and
        imports, corrections and the API check each value against it. In an import, map a column to the field.
      </p>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {status}
      </p>
      {!fields ? (
        <p>Loading fields…</p>
      ) : fields.length === 0 ? (
        <p>No profile fields yet. Add one below, or import a file: its extra columns become text fields.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>Profile fields</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Type</th>
                <th scope="col">Label (nl)</th>
                <th scope="col">Label (en)</th>
                <th scope="col">Options</th>
                <th scope="col">Grouping field</th>
                {canEdit && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
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
                    <td>{FIELD_TYPES[f.type]}</td>
                    <td>{f.label.nl}</td>
                    <td>{f.label.en}</td>
                    <td>{f.options?.join(', ') ?? '—'}</td>
                    <td>{f.grouping ? 'Yes' : 'No'}</td>
                    {canEdit && (
                      <td className="actions">
                        {confirming === f.key ? (
                          <span className="confirm">
                            <span>Delete the field and every contact’s value?</span>
                            <button type="button" className="button-danger" onClick={() => void remove(f)} aria-label={`Yes, delete ${f.key}`}>
                              Yes, delete
                            </button>
                            <button type="button" className="button-quiet" onClick={() => setConfirming(null)} autoFocus>
                              Cancel
                            </button>
                          </span>
                        ) : (
                          <>
                            <button type="button" className="button-quiet" onClick={() => setEditing(f.key)} aria-label={`Change ${f.key}`}>
                              Change
                            </button>
                            <button type="button" className="button-quiet" onClick={() => setConfirming(f.key)} aria-label={`Delete ${f.key}`}>
                              Delete
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
          <h2 id="new-field-heading">Add a field</h2>
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
        await api('PATCH', `/api/v1/profile-fields/${encodeURIComponent(field.key)}`, { ...(type !== field.type ? { type } : {}), label: { nl: labelNl, en: labelEn || labelNl }, grouping, ...opts });
        onDone(`Saved the field “${labelEn || labelNl}”.`);
      } else {
        await post('/api/v1/profile-fields', { key, type, label: { nl: labelNl, ...(labelEn ? { en: labelEn } : {}) }, grouping, ...opts });
        setLabelNl('');
        setLabelEn('');
        setKey('');
        setKeyTouched(false);
        setOptions('');
        onDone(`Added the field “${labelEn || labelNl}”.`);
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
        <label htmlFor={`${id}-nl`}>Label in Dutch</label>
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
        <label htmlFor={`${id}-en`}>Label in English</label>
        <input id={`${id}-en`} maxLength={200} value={labelEn} placeholder={labelNl} onChange={(e) => setLabelEn(e.currentTarget.value)} />
      </div>
      {!field && (
        <div className="field">
          <label htmlFor={`${id}-key`}>Key</label>
          <p className="hint" id={`${id}-key-hint`}>
            Lower-case letters, digits and _; used in the API and in an import mapping. It cannot change later.
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
        <label htmlFor={`${id}-type`}>Type</label>
        <select id={`${id}-type`} value={type} onChange={(e) => setType(e.currentTarget.value as ProfileFieldType)}>
          {Object.entries(FIELD_TYPES).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      {type === 'choice' && (
        <div className="field">
          <label htmlFor={`${id}-options`}>Options</label>
          <p className="hint" id={`${id}-options-hint`}>
            One per line. An import matches them in any case (“zorg” becomes “Zorg”).
          </p>
          <textarea id={`${id}-options`} rows={5} required aria-describedby={`${id}-options-hint`} value={options} onChange={(e) => setOptions(e.currentTarget.value)} />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-grouping`}>
          <input id={`${id}-grouping`} type="checkbox" checked={grouping} aria-describedby={`${id}-grouping-hint`} onChange={(e) => setGrouping(e.currentTarget.checked)} /> Grouping field
        </label>
        <p className="hint" id={`${id}-grouping-hint`}>
          Analysts and viewers may break results down by a grouping field (never in groups smaller than the survey’s minimum group size). Leave it off for personal details such as a birth date.
        </p>
      </div>
      <div className="actions-row">
        <button type="submit" disabled={busy}>
          {field ? 'Save' : 'Add field'}
        </button>
        {field && (
          <button type="button" className="button-quiet" onClick={() => onDone()}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
