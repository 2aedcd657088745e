import { Fragment, useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post, toProblem } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, formatNumber, fullName, languageName } from '../format';
import { currentLanguage } from '../i18n';
import { useCan } from '../session';
import type { Contact, ContactSummary, Problem, ProfileField } from '../types';
import { ContactImport } from './ContactImport';

/** A row of the list: the contact, and whether its address is on the suppression list. */
type ListedContact = Contact & { subscribed?: boolean };
interface ListPage {
  contacts: ListedContact[];
  total: number;
  next: string | null;
  searchLimited?: boolean;
}
interface Filters {
  q: string;
  language: string;
  gender: string;
  subscribed: string;
  field: string;
  value: string;
}
const NO_FILTERS: Filters = { q: '', language: '', gender: '', subscribed: '', field: '', value: '' };
const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
/** The server's CONTACT_SEARCH_MAX default, for the hint (the answer says when a search was limited). */
const SEARCH_MAX = 20_000;

export function ContactsPage() {
  const { t } = useTranslation('contacts');
  useTitle(t('title'));
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
      <h1 tabIndex={-1}>{t('title')}</h1>
      <ProblemAlert problem={problem} />
      <p className="lead" aria-live="polite">
        {summary ? <ContactCount summary={summary} /> : t('counting')}
      </p>
      {can('contacts:write') && <ContactImport onImported={changed} />}
      {can('contacts:read') ? (
        <ContactTable
          version={version}
          onChanged={changed}
          canDelete={can('contacts:write')}
          canUndo={can('audit:restore') && can('audit:read')}
        />
      ) : (
        <p className="muted">{t('noDetails')}</p>
      )}
    </>
  );
}

function ContactCount({ summary }: { summary: ContactSummary }) {
  const { t } = useTranslation('contacts');
  const { t: tc } = useTranslation();
  const parts = Object.entries(summary.byLanguage)
    .sort((a, b) => b[1] - a[1])
    .map(([lang, n]) => t('byLanguage', { count: formatNumber(n), language: languageName(lang) }));
  return (
    <>
      <strong>{tc('count.contacts', { count: summary.total })}</strong>
      {summary.total > 0 && parts.length > 0 && <span className="muted"> ({parts.join(', ')})</span>}
    </>
  );
}

/** An address breaks after @ and dots, never letter by letter. */
function Email({ value }: { value: string }): ReactNode {
  const parts = value.split(/(?<=[@.])/);
  return parts.map((p, i) => (
    <Fragment key={i}>
      {p}
      {i < parts.length - 1 && <wbr />}
    </Fragment>
  ));
}

const PAGE = 50;

function ContactTable({
  version,
  onChanged,
  canDelete,
  canUndo,
}: {
  version: number;
  onChanged: () => void;
  canDelete: boolean;
  canUndo: boolean;
}) {
  const { t } = useTranslation('contacts');
  const { t: tc } = useTranslation();
  const fieldLabel = (f: ProfileField) => f.label[currentLanguage()] || f.label.nl || f.label.en || f.key;
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<ListPage | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [editing, setEditing] = useState<Contact | null>(null);
  const [fields, setFields] = useState<ProfileField[]>([]);
  const [saved, setSaved] = useState(0);
  const [status, setStatus] = useState('');
  const [deleted, setDeleted] = useState<Contact | null>(null);
  const ids = useId();

  useEffect(() => {
    get<{ fields: ProfileField[] }>('/api/v1/profile-fields')
      .then((r) => setFields(r.fields))
      .catch(() => {});
  }, [version]);

  useEffect(() => {
    const ac = new AbortController();
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (offset) q.set('offset', String(offset));
    for (const [k, v] of Object.entries(filters)) if (v && (k !== 'value' || filters.field)) q.set(k, v);
    if (filters.field && !filters.value) q.delete('field');
    get<ListPage>(`/api/v1/contacts?${q}`, ac.signal)
      .then((p) => {
        setPage(p);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setProblem(toProblem(err));
      });
    return () => ac.abort();
  }, [offset, filters, version, saved]);

  function search(e: FormEvent) {
    e.preventDefault();
    setOffset(0);
    setFilters({ ...draft, q: draft.q.trim(), value: draft.value.trim() });
  }
  function clear() {
    setDraft(NO_FILTERS);
    setOffset(0);
    setFilters(NO_FILTERS);
  }

  async function remove(c: Contact) {
    try {
      await api('DELETE', `/api/v1/contacts/${c.id}`);
      setConfirming(null);
      setStatus(t('delete.done', { email: c.email }));
      setDeleted(c);
      onChanged();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  /** Issue 14: the deletion's log entry holds the whole contact; restoring from it puts it back (LOG-2). */
  async function undo(c: Contact) {
    try {
      const entries = (
        await get<{ entries: Array<{ id: number; restorable: boolean }> }>(
          `/api/v1/audit?action=contact.deleted&subject=${encodeURIComponent(`contact:${c.id}`)}&limit=1`,
        )
      ).entries;
      const entry = entries.find((x) => x.restorable);
      if (!entry) throw new Error(t('delete.notRestorable'));
      await post(`/api/v1/audit/${entry.id}/restore`);
      setDeleted(null);
      setStatus(t('delete.undone', { email: c.email }));
      onChanged();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  const pages = page ? Math.max(1, Math.ceil(page.total / PAGE)) : 1;
  const first = offset + 1;
  const filtered = Object.values(filters).some(Boolean);
  const choice = (name: keyof Filters, label: string, options: Array<[string, string]>) => (
    <div className="field">
      <label htmlFor={`${ids}-${name}`}>{label}</label>
      <select
        id={`${ids}-${name}`}
        value={draft[name]}
        onChange={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}
      >
        <option value="">{t('search.any')}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <section aria-labelledby="contact-list-heading">
      <h2 id="contact-list-heading">{t('list.heading')}</h2>
      <ProblemAlert problem={problem} />
      <form className="contact-filters" role="search" aria-label={t('search.heading')} onSubmit={search}>
        <div className="field field-wide">
          <label htmlFor={`${ids}-q`}>{t('search.q')}</label>
          <input
            id={`${ids}-q`}
            type="search"
            value={draft.q}
            maxLength={254}
            aria-describedby={`${ids}-q-hint`}
            onChange={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
          />
          <p className="hint" id={`${ids}-q-hint`}>
            {t('search.qHint', { max: formatNumber(SEARCH_MAX) })}
          </p>
        </div>
        {choice('language', t('search.language'), [
          ['nl', languageName('nl')],
          ['en', languageName('en')],
          ['none', t('search.none')],
        ])}
        {choice('gender', t('search.gender'), [
          ...GENDERS.map((g): [string, string] => [g, t(`genders.${g}`)]),
          ['none', t('search.none')],
        ])}
        {choice('subscribed', t('search.invitations'), [
          ['yes', t('list.receives')],
          ['no', t('list.blocked')],
        ])}
        {fields.length > 0 &&
          choice(
            'field',
            t('search.field'),
            fields.map((f): [string, string] => [f.key, fieldLabel(f)]),
          )}
        {draft.field && (
          <div className="field">
            <label htmlFor={`${ids}-value`}>{t('search.value')}</label>
            <input
              id={`${ids}-value`}
              value={draft.value}
              maxLength={1000}
              onChange={(e) => setDraft({ ...draft, value: e.currentTarget.value })}
            />
          </div>
        )}
        <div className="actions-row">
          <button type="submit">{t('search.submit')}</button>
          {filtered && (
            <button type="button" className="button-quiet" onClick={clear}>
              {t('search.clear')}
            </button>
          )}
        </div>
      </form>
      <p role="status" className="status-line">
        {status}
        {deleted && canUndo && (
          <>
            {' '}
            <button
              type="button"
              className="button-quiet"
              onClick={() => void undo(deleted)}
              aria-label={t('delete.undoLabel', { email: deleted.email })}
            >
              {t('delete.undo')}
            </button>
          </>
        )}
      </p>
      {deleted && canUndo && <p className="hint">{t('delete.undoHint')}</p>}
      {editing && (
        <ContactEditor
          key={editing.id}
          contact={editing}
          fields={fields}
          onDone={(msg) => {
            setEditing(null);
            if (msg) {
              setStatus(msg);
              setDeleted(null);
              setSaved((n) => n + 1);
            }
          }}
        />
      )}
      {page?.searchLimited && <p className="notice">{t('search.limited', { max: formatNumber(SEARCH_MAX) })}</p>}
      {!page ? (
        <p>{t('list.loading')}</p>
      ) : page.contacts.length === 0 ? (
        <p>{filtered ? t('list.noMatch') : canDelete ? t('list.emptyImport') : t('list.empty')}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="contacts-table">
              <caption>
                {t('list.caption', {
                  from: formatNumber(first),
                  to: formatNumber(first + page.contacts.length - 1),
                  total: formatNumber(page.total),
                })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('list.email')}</th>
                  <th scope="col">{t('list.name')}</th>
                  <th scope="col">{t('list.language')}</th>
                  <th scope="col">{t('list.gender')}</th>
                  <th scope="col">{t('list.details')}</th>
                  <th scope="col">{t('list.updated')}</th>
                  {canDelete && (
                    <th scope="col">
                      <span className="visually-hidden">{t('list.actions')}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {page.contacts.map((c) => {
                  const details: Array<[string, string]> = [
                    ...(c.phone ? [[t('list.phone'), c.phone] as [string, string]] : []),
                    ...(c.function ? [[t('list.jobTitle'), c.function] as [string, string]] : []),
                    ...Object.entries(c.profile).map(([k, v]): [string, string] => {
                      const f = fields.find((x) => x.key === k);
                      return [f ? fieldLabel(f) : k, String(v)];
                    }),
                    ...(c.subscribed === false ? [[t('list.invitations'), t('list.blocked')] as [string, string]] : []),
                  ];
                  return (
                    <tr key={c.id}>
                      <th scope="row" className="cell-address">
                        <Email value={c.email} />
                      </th>
                      <td>{fullName(c) || '—'}</td>
                      <td>{c.language ? languageName(c.language) : '—'}</td>
                      <td>
                        {c.gender && (GENDERS as readonly string[]).includes(c.gender)
                          ? t(`genders.${c.gender as (typeof GENDERS)[number]}`)
                          : '—'}
                      </td>
                      <td className="cell-details">
                        {details.length ? (
                          <dl className="mini-pairs">
                            {details.map(([k, v]) => (
                              <div key={k}>
                                <dt>{k}</dt> <dd>{v}</dd>
                              </div>
                            ))}
                          </dl>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>{formatDateTime(c.updatedAt)}</td>
                      {canDelete && (
                        <td className="actions cell-actions">
                          {confirming === c.id ? (
                            <span className="confirm">
                              <span>{t('delete.ask')}</span>
                              <button
                                type="button"
                                className="button-danger"
                                onClick={() => void remove(c)}
                                aria-label={t('delete.yesLabel', { email: c.email })}
                              >
                                {t('delete.yes')}
                              </button>
                              <button
                                type="button"
                                className="button-quiet"
                                onClick={() => setConfirming(null)}
                                autoFocus
                              >
                                {tc('actions.cancel')}
                              </button>
                            </span>
                          ) : (
                            <>
                              <button
                                type="button"
                                className="button-quiet"
                                onClick={() => setEditing(c)}
                                aria-label={t('edit.buttonLabel', { email: c.email })}
                              >
                                {t('edit.button')}
                              </button>
                              <button
                                type="button"
                                className="button-quiet"
                                onClick={() => setConfirming(c.id)}
                                aria-label={t('delete.label', { email: c.email })}
                              >
                                {tc('actions.delete')}
                              </button>
                            </>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {pages > 1 && (
            <nav
              className="pager"
              aria-label={t('list.page', { page: formatNumber(offset / PAGE + 1), pages: formatNumber(pages) })}
            >
              <button
                type="button"
                className="button-quiet"
                disabled={offset === 0}
                onClick={() => setOffset((o) => Math.max(0, o - PAGE))}
              >
                {t('list.previous')}
              </button>
              <span>{t('list.page', { page: formatNumber(offset / PAGE + 1), pages: formatNumber(pages) })}</span>
              <button
                type="button"
                className="button-quiet"
                disabled={offset + PAGE >= page.total}
                onClick={() => setOffset((o) => o + PAGE)}
              >
                {t('list.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

const INPUT_TYPE = { text: 'text', number: 'number', date: 'date', choice: 'text' } as const;

/** Correcting a contact (rectification): its details, gender included, and its typed profile values, each with the right input. */
function ContactEditor({
  contact,
  fields,
  onDone,
}: {
  contact: Contact;
  fields: ProfileField[];
  onDone: (message?: string) => void;
}) {
  const { t } = useTranslation('contacts');
  const { t: tc } = useTranslation();
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({
    firstName: contact.firstName ?? '',
    infix: contact.infix ?? '',
    lastName: contact.lastName ?? '',
    phone: contact.phone ?? '',
    language: contact.language ?? '',
    gender: contact.gender ?? '',
    function: contact.function ?? '',
  });
  const [profile, setProfile] = useState<Record<string, string>>(
    Object.fromEntries(
      fields.map((f) => [f.key, contact.profile[f.key] === undefined ? '' : String(contact.profile[f.key])]),
    ),
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
      onDone(t('edit.saved', { email: contact.email }));
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const text = (k: string, label: string, type = 'text') => (
    <div className="field" key={k}>
      <label htmlFor={`${id}-${k}`}>{label}</label>
      <input
        id={`${id}-${k}`}
        type={type}
        value={values[k] ?? ''}
        onChange={(e) => setValues({ ...values, [k]: e.currentTarget.value })}
      />
    </div>
  );

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('edit.heading', { email: contact.email })}</h3>
      <ProblemAlert problem={problem} />
      <form onSubmit={submit}>
        {text('firstName', t('edit.firstName'))}
        {text('infix', t('edit.infix'))}
        {text('lastName', t('edit.lastName'))}
        {text('phone', t('edit.phone'), 'tel')}
        <div className="field">
          <label htmlFor={`${id}-language`}>{t('edit.language')}</label>
          <select
            id={`${id}-language`}
            value={values.language}
            onChange={(e) => setValues({ ...values, language: e.currentTarget.value })}
          >
            <option value="">—</option>
            <option value="nl">{t('edit.dutch')}</option>
            <option value="en">{t('edit.english')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-gender`}>{t('edit.gender')}</label>
          <select
            id={`${id}-gender`}
            value={values.gender}
            onChange={(e) => setValues({ ...values, gender: e.currentTarget.value })}
          >
            <option value="">—</option>
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {t(`genders.${g}`)}
              </option>
            ))}
          </select>
        </div>
        {text('function', t('edit.function'))}
        {fields.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`${id}-p-${f.key}`}>{f.label[currentLanguage()] || f.label.nl}</label>
            {f.type === 'choice' ? (
              <select
                id={`${id}-p-${f.key}`}
                value={profile[f.key] ?? ''}
                onChange={(e) => setProfile({ ...profile, [f.key]: e.currentTarget.value })}
              >
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
            {tc('actions.save')}
          </button>
          <button type="button" className="button-quiet" onClick={() => onDone()}>
            {tc('actions.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
