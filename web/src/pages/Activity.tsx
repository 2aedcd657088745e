import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatLogTime, fullName } from '../format';
import { resources } from '../locales';
import { Link } from '../router';
import { useCan, useSession } from '../session';
import type { Problem, User } from '../types';

/** One entry of GET /api/v1/audit, as the API gives it (the page shows nothing else). */
interface Entry {
  id: number;
  seq: number;
  at: string;
  actor: { kind: string; id: string | null };
  action: string;
  subject: { kind: string; id: string } | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  /** LOG-2: the contact before and after the change, decrypted for those allowed to read the log. */
  before?: unknown;
  after?: unknown;
  /** The images exist but cannot be read (the person was erased). */
  sealedUnreadable?: boolean;
  restorable: boolean;
}
interface AuditPage {
  entries: Entry[];
  next: number | null;
}
/** A page as loaded, with the request it answers (so a page still loading is not taken for the next). */
interface Loaded extends AuditPage {
  key: string;
  depth: number;
}

interface Filters {
  action: string;
  actor: string;
  from: string;
  to: string;
  limit: string;
}
const NO_FILTERS: Filters = { action: '', actor: '', from: '', to: '', limit: '50' };
const LIMITS = ['25', '50', '100', '200'];

/** The actions the catalogue names (one entry per audit action; the same codes in both languages). */
const ACTION_CODES = Object.entries(resources.nl.activity.action).flatMap(([area, names]) =>
  Object.keys(names).map((name) => `${area}.${name}`),
);
const CODE = /^[a-z_]+\.[a-z_]+$/;
const ACTORS = ['operator', 'system', 'respondent', 'anonymous'] as const;
const FIELDS = [
  'email',
  'firstName',
  'infix',
  'lastName',
  'phone',
  'gender',
  'language',
  'function',
  'profile',
  'invitations',
  'responses',
] as const;

/** Midnight at the start of a day (yyyy-mm-dd) in Amsterdam, as the API's ISO time with offset. */
function amsterdamMidnight(day: string): string {
  const noon = new Date(`${day}T12:00:00Z`);
  const name =
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', timeZoneName: 'longOffset' })
      .formatToParts(noon)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  // The clocks change at 02:00/03:00, so midnight has the offset of noon.
  return `${day}T00:00:00${name === 'GMT' ? '+00:00' : name.slice(3)}`;
}
function nextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
const short = (id: string) => (id.length > 12 ? id.slice(0, 8) : id);
const asRecord = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : null);
const shown = (v: unknown) =>
  v === null || v === undefined || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v);

/**
 * Issue 14 (item 12): the customer's own audit log in the app (LOG-1), with undo of the changes the
 * log can put back (LOG-2, src/features/audit/undo.ts). For the roles that may read the log.
 */
export function ActivityPage() {
  const can = useCan();
  return can('audit:read') ? <ActivityLog /> : <NoAccess />;
}

function NoAccess() {
  const { t } = useTranslation('activity');
  const { me } = useSession();
  useTitle(t('notAllowed.title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('notAllowed.title')}</h1>
      <p>
        <Trans
          t={t}
          i18nKey="notAllowed.body"
          values={{ tenant: me.tenant?.name ?? '' }}
          components={{ go: <Link to="/app/surveys" /> }}
        />
      </p>
    </>
  );
}

function ActivityLog() {
  const { t, i18n } = useTranslation(['activity', 'common']);
  useTitle(t('title'));
  const can = useCan();
  const { me } = useSession();
  const ids = useId();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  /** The "before" cursors of the pages behind this one; empty: the newest page. */
  const [cursors, setCursors] = useState<number[]>([]);
  const [version, setVersion] = useState(0);
  const [page, setPage] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [users, setUsers] = useState<Map<string, string>>(new Map());
  const [keys, setKeys] = useState<Map<string, string>>(new Map());
  const [confirming, setConfirming] = useState<Entry | null>(null);
  const [busy, setBusy] = useState(false);
  const [undoneHere, setUndoneHere] = useState<Set<number>>(new Set());
  const [undoFailed, setUndoFailed] = useState(false);

  // Names of colleagues and API keys for "who", from the APIs this role may read (nothing else).
  useEffect(() => {
    if (can('users:read'))
      get<{ users: User[] }>('/api/v1/users')
        .then((r) => setUsers(new Map(r.users.map((u) => [u.id, u.name]))))
        .catch(() => {});
    if (can('integrations:manage'))
      get<{ keys: Array<{ id: string; name: string }> }>('/api/v1/api-keys')
        .then((r) => setKeys(new Map(r.keys.map((k) => [k.id, k.name]))))
        .catch(() => {});
  }, [me.permissions]);

  const before = cursors[cursors.length - 1];
  const depth = cursors.length;
  const key = `${JSON.stringify(filters)}|${before ?? ''}|${version}`;
  useEffect(() => {
    const ac = new AbortController();
    const q = new URLSearchParams({ limit: filters.limit });
    if (filters.action) q.set('action', filters.action);
    if (filters.actor) q.set('actor', filters.actor);
    if (filters.from) q.set('from', amsterdamMidnight(filters.from));
    if (filters.to) q.set('to', amsterdamMidnight(nextDay(filters.to)));
    if (before) q.set('before', String(before));
    get<AuditPage>(`/api/v1/audit?${q}`, ac.signal)
      .then((p) => {
        setPage({ ...p, key, depth });
        setProblem(null);
      })
      .catch((err: unknown) => {
        if ((err as Error).name === 'AbortError') return;
        setUndoFailed(false);
        setProblem(toProblem(err));
      });
    return () => ac.abort();
  }, [filters, before, version, key, depth]);
  const loading = page?.key !== key;

  const actionName = (code: string) =>
    CODE.test(code) && i18n.exists(`activity:action.${code}`) ? t(`action.${code}` as 'action.contact.deleted') : code;
  const actionOptions = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return ACTION_CODES.map((c) => [c, actionName(c)] as const).sort((a, b) => collator.compare(a[1], b[1]));
  }, [i18n.language]);

  function who(a: Entry['actor']): string {
    if (a.kind === 'user') {
      const name = a.id ? users.get(a.id) : undefined;
      return name ? t('actor.user', { name }) : t('actor.unknownUser', { id: a.id ? short(a.id) : '—' });
    }
    if (a.kind === 'apikey') return t('actor.apikey', { name: (a.id && keys.get(a.id)) || short(a.id ?? '—') });
    if ((ACTORS as readonly string[]).includes(a.kind)) return t(`actor.${a.kind as (typeof ACTORS)[number]}`);
    return a.kind;
  }

  function about(e: Entry): string {
    if (!e.subject) return t('about.none');
    const { kind, id } = e.subject;
    const kindName = i18n.exists(`activity:subject.${kind}`) ? t(`subject.${kind}` as 'subject.contact') : kind;
    let name = short(id);
    if (kind === 'user' && users.has(id)) name = users.get(id)!;
    const image = asRecord(e.after) ?? asRecord(e.before);
    if (kind === 'contact' && image) {
      const person = fullName({
        firstName: (image.firstName as string | null) ?? null,
        infix: (image.infix as string | null) ?? null,
        lastName: (image.lastName as string | null) ?? null,
      });
      const email = typeof image.email === 'string' ? image.email : '';
      name = person && email ? `${person} (${email})` : person || email || name;
    }
    return t('about.withName', { kind: kindName, name });
  }

  // An entry undone already: by a restore entry on this page, or by this page just now.
  const undone = useMemo(() => {
    const s = new Set(undoneHere);
    for (const e of page?.entries ?? [])
      if (e.action === 'contact.restored' && typeof e.details.fromAuditId === 'number') s.add(e.details.fromAuditId);
    return s;
  }, [page, undoneHere]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setStatus('');
    setCursors([]);
    setFilters({ ...draft });
  }
  function clear() {
    setDraft(NO_FILTERS);
    setCursors([]);
    setFilters(NO_FILTERS);
  }

  async function undo(e: Entry) {
    setBusy(true);
    setProblem(null);
    setUndoFailed(false);
    try {
      await post(`/api/v1/audit/${e.id}/restore`);
      setConfirming(null);
      setUndoneHere((s) => new Set(s).add(e.id));
      setStatus(t('undo.done', { about: about(e) }));
      // The undo is itself an entry: back to the newest page, which shows it.
      setCursors([]);
      setVersion((v) => v + 1);
    } catch (err) {
      setConfirming(null);
      setUndoFailed(true);
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const mayUndo = can('audit:restore');
  const filtered = Object.entries(filters).some(([k, v]) => v !== NO_FILTERS[k as keyof Filters]);
  const badPeriod = draft.from && draft.to && draft.to < draft.from;
  const entries = page?.entries ?? [];

  return (
    <>
      <h1 tabIndex={-1}>{t('title')}</h1>
      <p>{t('intro', { tenant: me.tenant?.name ?? '' })}</p>
      <p className="hint">{t('readNote')}</p>
      {mayUndo && <p className="hint">{t('undo.hint')}</p>}

      <form className="contact-filters" role="search" aria-label={t('filters.heading')} onSubmit={apply}>
        <div className="field">
          <label htmlFor={`${ids}-action`}>{t('filters.action')}</label>
          <select
            id={`${ids}-action`}
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}
          >
            <option value="">{t('filters.anyAction')}</option>
            {actionOptions.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-actor`}>{t('filters.actor')}</label>
          <select
            id={`${ids}-actor`}
            value={draft.actor}
            onChange={(e) => setDraft({ ...draft, actor: e.currentTarget.value })}
          >
            <option value="">{t('filters.anyActor')}</option>
            {users.size > 0 && (
              <optgroup label={t('filters.colleagues')}>
                {[...users].map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
              </optgroup>
            )}
            {keys.size > 0 && (
              <optgroup label={t('filters.keys')}>
                {[...keys].map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-from`}>{t('filters.from')}</label>
          <input
            id={`${ids}-from`}
            type="date"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-to`}>{t('filters.to')}</label>
          <input
            id={`${ids}-to`}
            type="date"
            value={draft.to}
            aria-invalid={badPeriod ? true : undefined}
            aria-describedby={badPeriod ? `${ids}-period` : undefined}
            onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          />
          {badPeriod && (
            <p className="field-error" id={`${ids}-period`}>
              {t('filters.badPeriod')}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-limit`}>{t('filters.limit')}</label>
          <select
            id={`${ids}-limit`}
            value={draft.limit}
            onChange={(e) => setDraft({ ...draft, limit: e.currentTarget.value })}
          >
            {LIMITS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="actions-row">
          <button type="submit" disabled={Boolean(badPeriod)}>
            {t('filters.apply')}
          </button>
          {filtered && (
            <button type="button" className="button-quiet" onClick={clear}>
              {t('filters.clear')}
            </button>
          )}
        </div>
      </form>

      <ProblemAlert problem={problem} heading={undoFailed ? t('undo.failed') : undefined} />
      <p role="status" className="status-line">
        {status}
      </p>

      {!page && !problem && <p>{t('common:actions.loading')}</p>}
      {page && entries.length === 0 && <p>{filtered || page.depth ? t('empty') : t('emptyLog')}</p>}
      {entries.length > 0 && (
        <div className="table-wrap" aria-busy={loading}>
          <table className="contacts-table">
            <caption>{t('table.caption', { count: entries.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('table.when')}</th>
                <th scope="col">{t('table.who')}</th>
                <th scope="col">{t('table.what')}</th>
                <th scope="col">{t('table.about')}</th>
                {mayUndo && (
                  <th scope="col">
                    <span className="visually-hidden">{t('table.undo')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const what = actionName(e.action);
                const subject = about(e);
                return (
                  <tr key={e.id}>
                    <th scope="row" className="nowrap">
                      <time dateTime={e.at}>{formatLogTime(e.at)}</time>
                    </th>
                    <td>{who(e.actor)}</td>
                    <td>
                      <span>{what}</span>
                      <Technical entry={e} />
                    </td>
                    <td>
                      <span>{subject}</span>
                      {e.sealedUnreadable && <p className="hint">{t('data.unreadable')}</p>}
                      <Images entry={e} name={subject} />
                    </td>
                    {mayUndo && (
                      <td className="cell-actions">
                        {undone.has(e.id) ? (
                          <span className="status status-active">{t('undo.undone')}</span>
                        ) : (
                          e.restorable && (
                            <button
                              type="button"
                              className="button-quiet"
                              aria-label={t('undo.buttonLabel', { what, about: subject })}
                              onClick={() => setConfirming(e)}
                            >
                              {t('undo.button')}
                            </button>
                          )
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {page && (page.depth > 0 || page.next !== null) && (
        <nav className="pager" aria-label={t('paging.nav')}>
          {page.depth > 1 && (
            <button type="button" className="button-quiet" disabled={loading} onClick={() => setCursors([])}>
              {t('paging.newest')}
            </button>
          )}
          {page.depth > 0 && (
            <button
              type="button"
              className="button-secondary"
              disabled={loading}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              {t('paging.newer')}
            </button>
          )}
          <span className="muted">{t('paging.page', { page: page.depth + 1 })}</span>
          {page.next !== null && (
            <button
              type="button"
              className="button-secondary"
              disabled={loading}
              onClick={() => setCursors((c) => [...c, page.next!])}
            >
              {t('paging.older')}
            </button>
          )}
        </nav>
      )}

      {
        <section aria-labelledby={`${ids}-see-also`}>
          <h2 id={`${ids}-see-also`}>{t('seeAlso.heading')}</h2>
          <ul>
            {can('security-measures:read') && (
              <li>
                <Link to="/app/privacy/measures">{t('seeAlso.measures', { tenant: me.tenant?.name ?? '' })}</Link>
              </li>
            )}
            <li>
              <Link to="/app/privacy/evidence">{t('seeAlso.evidence')}</Link>
            </li>
          </ul>
        </section>
      }

      <ConfirmDialog
        open={confirming !== null}
        title={confirming ? t('undo.title', { what: actionName(confirming.action) }) : ''}
        confirmLabel={t('undo.confirm')}
        busy={busy}
        onConfirm={() => confirming && void undo(confirming)}
        onCancel={() => setConfirming(null)}
      >
        {confirming && (
          <>
            <p>
              {confirming.action === 'contact.deleted'
                ? t('undo.bodyDeleted', { about: about(confirming) })
                : confirming.action === 'contact.updated'
                  ? t('undo.bodyUpdated', { about: about(confirming) })
                  : t('undo.bodyOther')}
            </p>
            <p>{t('undo.logged')}</p>
          </>
        )}
      </ConfirmDialog>
    </>
  );
}

/** The contact before and after (LOG-2), as the API revealed it; folded until asked for. */
function Images({ entry, name }: { entry: Entry; name: string }) {
  const { t } = useTranslation('activity');
  const before = asRecord(entry.before);
  const after = asRecord(entry.after);
  if (!before && !after) return null;
  const rows = FIELDS.filter((f) => (before && f in before) || (after && f in after));
  return (
    <details>
      <summary>{t('data.show')}</summary>
      <table>
        <caption className="visually-hidden">{t('data.caption', { name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('data.field')}</th>
            <th scope="col">{t('data.before')}</th>
            <th scope="col">{t('data.after')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => {
            const b = before ? shown(before[f]) : '—';
            const a = after ? shown(after[f]) : '—';
            return (
              <tr key={f}>
                <th scope="row">{t(`data.fields.${f}`)}</th>
                <td>{b}</td>
                <td>{b !== a && before && after ? <strong>{a}</strong> : a}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}

/** What the entry records besides: its number in the chain, where it came from, its details. */
function Technical({ entry }: { entry: Entry }) {
  const { t } = useTranslation('activity');
  const details = Object.entries(entry.details);
  return (
    <details>
      <summary className="small">{t('data.technical')}</summary>
      <dl className="mini-pairs small">
        <div>
          <dt>{t('data.seq')}</dt> <dd>{entry.seq}</dd>
        </div>
        {entry.ip && (
          <div>
            <dt>{t('data.ip')}</dt> <dd>{entry.ip}</dd>
          </div>
        )}
        {entry.requestId && (
          <div>
            <dt>{t('data.requestId')}</dt> <dd className="mono">{entry.requestId}</dd>
          </div>
        )}
        {details.map(([k, v]) => (
          <div key={k}>
            <dt className="mono">{k}</dt> <dd className="mono">{shown(v)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
