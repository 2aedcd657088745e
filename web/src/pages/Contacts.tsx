import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { api, get, toProblem } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, fullName, LANGUAGE_NAMES, plural } from '../format';
import { useCan } from '../session';
import type { Contact, ContactPage, ContactSummary, Problem, ProfileField } from '../types';
import { ContactImport } from './ContactImport';

export function ContactsPage() {
  useTitle('Contacts');
  const can = useCan();
  const [summary, setSummary] = useState<ContactSummary | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [version, setVersion] = useState(0);

  const loadSummary = useCallback(async () => {
    try {
      setSummary(await get<ContactSummary>('/api/v1/contacts/summary'));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, []);

  useEffect(() => {
    void loadSummary();
  }, [loadSummary, version]);

  const changed = () => setVersion((v) => v + 1);

  return (
    <>
      <h1 tabIndex={-1}>Contacts</h1>
      <ProblemAlert problem={problem} />
      <p className="lead" aria-live="polite">
        {summary ? <ContactCount summary={summary} /> : 'Counting contacts…'}
      </p>
      {can('contacts:write') && <ContactImport onImported={changed} />}
      {can('contacts:read') ? (
        <ContactTable version={version} onDeleted={changed} canDelete={can('contacts:write')} />
      ) : (
        <p className="muted">Your role shows the number of contacts, not their details.</p>
      )}
    </>
  );
}

function ContactCount({ summary }: { summary: ContactSummary }) {
  const parts = Object.entries(summary.byLanguage)
    .sort((a, b) => b[1] - a[1])
    .map(([lang, n]) => `${n.toLocaleString('en-GB')} ${LANGUAGE_NAMES[lang] ?? lang}`);
  return (
    <>
      <strong>{plural(summary.total, 'contact')}</strong>
      {summary.total > 0 && parts.length > 0 && <span className="muted"> ({parts.join(', ')})</span>}
    </>
  );
}

const PAGE = 50;

function ContactTable({ version, onDeleted, canDelete }: { version: number; onDeleted: () => void; canDelete: boolean }) {
  // Keyset pagination: the cursors of the pages before this one, so "Previous page" works too.
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<ContactPage | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [editing, setEditing] = useState<Contact | null>(null);
  const [fields, setFields] = useState<ProfileField[]>([]);
  const [saved, setSaved] = useState(0);
  const [status, setStatus] = useState('');
  const after = cursors[cursors.length - 1];

  useEffect(() => {
    get<{ fields: ProfileField[] }>('/api/v1/profile-fields')
      .then((r) => setFields(r.fields))
      .catch(() => {});
  }, [version]);

  useEffect(() => {
    const ac = new AbortController();
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (after) q.set('after', after);
    get<ContactPage>(`/api/v1/contacts?${q}`, ac.signal)
      .then((p) => {
        setPage(p);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setProblem(toProblem(err));
      });
    return () => ac.abort();
  }, [after, version, saved]);

  async function remove(c: Contact) {
    try {
      await api('DELETE', `/api/v1/contacts/${c.id}`);
      setConfirming(null);
      setStatus(`Deleted ${c.email}.`);
      onDeleted();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  const first = cursors.length * PAGE + 1;
  const customKeys = page ? [...new Set(page.contacts.flatMap((c) => Object.keys(c.profile)))].sort() : [];

  return (
    <section aria-labelledby="contact-list-heading">
      <h2 id="contact-list-heading">Contact list</h2>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {status}
      </p>
      {editing && (
        <ContactEditor
          key={editing.id}
          contact={editing}
          fields={fields}
          onDone={(msg) => {
            setEditing(null);
            if (msg) {
              setStatus(msg);
              setSaved((n) => n + 1);
            }
          }}
        />
      )}
      {!page ? (
        <p>Loading contacts…</p>
      ) : page.contacts.length === 0 ? (
        <p>No contacts yet.{canDelete ? ' Import a file above to add them.' : ''}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table>
              <caption>
                Contacts {first}–{first + page.contacts.length - 1} of {page.total.toLocaleString('en-GB')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Name</th>
                  <th scope="col">Language</th>
                  <th scope="col">Phone</th>
                  <th scope="col">Job title</th>
                  {customKeys.map((k) => (
                    <th scope="col" key={k}>
                      {fields.find((f) => f.key === k)?.label.en ?? k}
                    </th>
                  ))}
                  <th scope="col">Updated</th>
                  {canDelete && (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {page.contacts.map((c) => (
                  <tr key={c.id}>
                    <th scope="row" className="cell-email">
                      {c.email}
                    </th>
                    <td>{fullName(c)}</td>
                    <td>{c.language ? (LANGUAGE_NAMES[c.language] ?? c.language) : '—'}</td>
                    <td>{c.phone ?? '—'}</td>
                    <td>{c.function ?? '—'}</td>
                    {customKeys.map((k) => (
                      <td key={k}>{c.profile[k] ?? ''}</td>
                    ))}
                    <td>{formatDateTime(c.updatedAt)}</td>
                    {canDelete && (
                      <td className="actions">
                        {confirming === c.id ? (
                          <span className="confirm">
                            <span>Delete?</span>
                            <button type="button" className="button-danger" onClick={() => void remove(c)} aria-label={`Yes, delete ${c.email}`}>
                              Yes, delete
                            </button>
                            <button type="button" className="button-quiet" onClick={() => setConfirming(null)} autoFocus>
                              Cancel
                            </button>
                          </span>
                        ) : (
                          <>
                            <button type="button" className="button-quiet" onClick={() => setEditing(c)} aria-label={`Correct ${c.email}`}>
                              Correct
                            </button>
                            <button type="button" className="button-quiet" onClick={() => setConfirming(c.id)} aria-label={`Delete ${c.email}`}>
                              Delete
                            </button>
                          </>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {(cursors.length > 0 || page.next) && (
          <div className="pager">
            <button type="button" className="button-quiet" disabled={cursors.length === 0} onClick={() => setCursors((cs) => cs.slice(0, -1))}>
              Previous page
            </button>
            <button type="button" className="button-quiet" disabled={!page.next} onClick={() => page.next && setCursors((cs) => [...cs, page.next!])}>
              Next page
            </button>
          </div>
          )}
        </>
      )}
    </section>
  );
}

const INPUT_TYPE = { text: 'text', number: 'number', date: 'date', choice: 'text' } as const;

/** Correcting a contact (rectification): its details and its typed profile values, each with the right input. */
function ContactEditor({ contact, fields, onDone }: { contact: Contact; fields: ProfileField[]; onDone: (message?: string) => void }) {
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({
    firstName: contact.firstName ?? '',
    infix: contact.infix ?? '',
    lastName: contact.lastName ?? '',
    phone: contact.phone ?? '',
    language: contact.language ?? '',
    function: contact.function ?? '',
  });
  const [profile, setProfile] = useState<Record<string, string>>(
    Object.fromEntries(fields.map((f) => [f.key, contact.profile[f.key] === undefined ? '' : String(contact.profile[f.key])])),
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) body[k] = v.trim() === '' ? null : v.trim();
    const p: Record<string, string | number | null> = {};
    for (const f of fields) {
      const v = (profile[f.key] ?? '').trim();
      const before = contact.profile[f.key];
      if (v === '') {
        if (before !== undefined) p[f.key] = null;
      } else if (v !== String(before ?? '')) p[f.key] = f.type === 'number' ? Number(v) : v;
    }
    if (Object.keys(p).length) body.profile = p;
    try {
      await api('PATCH', `/api/v1/contacts/${contact.id}`, body);
      onDone(`Saved the correction of ${contact.email}.`);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const text = (k: string, label: string, type = 'text') => (
    <div className="field" key={k}>
      <label htmlFor={`${id}-${k}`}>{label}</label>
      <input id={`${id}-${k}`} type={type} value={values[k] ?? ''} onChange={(e) => setValues({ ...values, [k]: e.currentTarget.value })} />
    </div>
  );

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Correct {contact.email}</h3>
      <ProblemAlert problem={problem} />
      <form onSubmit={submit}>
        {text('firstName', 'First name')}
        {text('infix', 'Infix (tussenvoegsel)')}
        {text('lastName', 'Last name')}
        {text('phone', 'Phone number', 'tel')}
        <div className="field">
          <label htmlFor={`${id}-language`}>Language</label>
          <select id={`${id}-language`} value={values.language} onChange={(e) => setValues({ ...values, language: e.currentTarget.value })}>
            <option value="">—</option>
            <option value="nl">Dutch</option>
            <option value="en">English</option>
          </select>
        </div>
        {text('function', 'Job title (functie)')}
        {fields.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`${id}-p-${f.key}`}>{f.label.en}</label>
            {f.type === 'choice' ? (
              <select id={`${id}-p-${f.key}`} value={profile[f.key] ?? ''} onChange={(e) => setProfile({ ...profile, [f.key]: e.currentTarget.value })}>
                <option value="">—</option>
                {(f.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={`${id}-p-${f.key}`}
                type={INPUT_TYPE[f.type]}
                step={f.type === 'number' ? 'any' : undefined}
                value={profile[f.key] ?? ''}
                onChange={(e) => setProfile({ ...profile, [f.key]: e.currentTarget.value })}
              />
            )}
          </div>
        ))}
        <div className="actions-row">
          <button type="submit" disabled={busy}>
            Save
          </button>
          <button type="button" className="button-quiet" onClick={() => onDone()}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
