import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { get, post, toProblem } from '../api';
import { Progress } from '../components/Progress';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatDateTime, fullName, plural } from '../format';
import { useCan } from '../session';
import type { Contact, ContactPage, ContactSummary, Distribution, Invitation, Problem, Selection, SkippedBy, Survey } from '../types';
import { MailPreview, SelectionBuilder, SendOptions, skippedText, type SendOptionsValue } from './SendOptions';

export function SendTab({ survey }: { survey: Survey }) {
  const can = useCan();
  const [distributions, setDistributions] = useState<Distribution[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [version, setVersion] = useState(0);

  const load = useCallback(async () => {
    try {
      const r = await get<{ distributions: Distribution[] }>(`/api/v1/surveys/${survey.id}/distributions`);
      setDistributions(r.distributions);
      setProblem(null);
      return r.distributions;
    } catch (err) {
      setProblem(toProblem(err));
      return null;
    }
  }, [survey.id]);

  // Poll every second while anything is still queued.
  useEffect(() => {
    let timer: number | undefined;
    let stopped = false;
    const tick = async () => {
      const list = await load();
      if (stopped) return;
      if (list?.some((d) => d.counts.queued > 0 && d.status !== 'scheduled')) timer = window.setTimeout(() => void tick(), 1000);
    };
    void tick();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [load, version]);

  const anyFailed = distributions?.some((d) => d.counts.failed > 0) ?? false;
  const sending = distributions?.some((d) => d.counts.queued > 0 && d.status !== 'scheduled') ?? false;

  return (
    <>
      {can('invitations:send') && survey.status === 'open' && <SendForm survey={survey} onSent={() => setVersion((v) => v + 1)} />}
      {survey.status !== 'open' && <p className="alert alert-info">This survey is {survey.status}; it cannot be sent.</p>}
      <section aria-labelledby="sends-heading">
        <h2 id="sends-heading">Sends</h2>
        <ProblemAlert problem={problem} />
        {!distributions ? (
          <p>Loading…</p>
        ) : distributions.length === 0 ? (
          <p>Nothing has been sent for this survey yet.</p>
        ) : (
          <>
            <p role="status" className="status-line">
              {sending ? 'Sending… this page updates by itself.' : 'All invitations have been handled.'}
            </p>
            <ul className="distributions">
              {distributions.map((d) => (
                <DistributionItem key={d.id} d={d} onChange={() => setVersion((v) => v + 1)} />
              ))}
            </ul>
          </>
        )}
      </section>
      {anyFailed && can('invitations:send') && <FailedSends surveyId={survey.id} failedCount={distributions?.reduce((n, d) => n + d.counts.failed, 0) ?? 0} />}
    </>
  );
}

function DistributionItem({ d, onChange }: { d: Distribution; onChange: () => void }) {
  const can = useCan();
  const c = d.counts;
  const handled = c.sent + c.failed + (c.suppressed ?? 0);
  const [problem, setProblem] = useState<Problem | null>(null);
  async function cancel() {
    try {
      await post(`/api/v1/distributions/${d.id}/cancel`);
      onChange();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  return (
    <li className="card distribution">
      <h3>
        {d.status === 'scheduled'
          ? `Scheduled for ${formatDateTime(d.sendAt)}`
          : d.status === 'cancelled'
            ? `Cancelled (was scheduled for ${formatDateTime(d.sendAt)})`
            : d.kind === 'api'
              ? `Single invitations (API) since ${formatDateTime(d.createdAt)}`
              : `Sent on ${formatDateTime(d.sendAt ?? d.createdAt)}`}
      </h3>
      <ProblemAlert problem={problem} />
      {d.status === 'scheduled' && can('invitations:send') && (
        <p>
          <button type="button" className="button-quiet" onClick={() => void cancel()}>
            Cancel this scheduled send
          </button>
        </p>
      )}
      {d.reminders && d.reminders.max > 0 && (
        <p className="hint">
          Reminders: at most {d.reminders.max}, at least {plural(d.reminders.intervalDays, 'day')} apart, only to contacts who have not answered.
        </p>
      )}
      <Progress label="Invitations sent" ariaLabel={`Invitations sent (${formatDateTime(d.createdAt)})`} value={handled} max={c.total} text={`${c.sent} of ${c.total} sent`} />
      <Progress label="Answered" ariaLabel={`Answered (${formatDateTime(d.createdAt)})`} value={c.responded} max={c.total} text={`${c.responded} of ${c.total} answered`} />
      <dl className="facts">
        <div>
          <dt>Invited</dt>
          <dd>{c.total}</dd>
        </div>
        <div>
          <dt>Waiting</dt>
          <dd>{c.queued}</dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>{c.sent}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd className={c.failed ? 'text-danger' : undefined}>{c.failed}</dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd>{c.opened}</dd>
        </div>
        <div>
          <dt>Answered</dt>
          <dd>{c.responded}</dd>
        </div>
        <div>
          <dt>Suppressed</dt>
          <dd>{c.suppressed ?? 0}</dd>
        </div>
        <div>
          <dt>Reminded</dt>
          <dd>{c.reminded ?? 0}</dd>
        </div>
      </dl>
    </li>
  );
}

function SendForm({ survey, onSent }: { survey: Survey; onSent: () => void }) {
  const can = useCan();
  const [mode, setMode] = useState<'all' | 'some' | 'selection'>('all');
  const [summary, setSummary] = useState<ContactSummary | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [selection, setSelection] = useState<Selection>({ match: 'all', filters: [] });
  const [options, setOptions] = useState<SendOptionsValue>({ sendAt: '', remindersMax: 0, intervalDays: 3, templateId: '', reminderTemplateId: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');
  const [count, setCount] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<ContactSummary>('/api/v1/contacts/summary')
      .then(setSummary)
      .catch(() => {});
  }, []);

  function body(): Record<string, unknown> {
    const audience = mode === 'all' ? { all: true } : mode === 'some' ? { contactIds: [...selected] } : { selection };
    return {
      ...audience,
      ...(options.sendAt ? { sendAt: new Date(options.sendAt).toISOString() } : {}),
      ...(options.remindersMax > 0 ? { reminders: { max: options.remindersMax, intervalDays: options.intervalDays } } : {}),
      ...(options.templateId ? { templateId: options.templateId } : {}),
      ...(options.reminderTemplateId ? { reminderTemplateId: options.reminderTemplateId } : {}),
    };
  }

  async function preview() {
    setProblem(null);
    setCount('');
    try {
      const r = await post<{ invited: number; skipped: number; skippedBy: SkippedBy }>(`/api/v1/surveys/${survey.id}/distributions/preview`, body());
      setCount(`${plural(r.invited, 'contact')} would be invited.${r.skipped ? ` ${skippedText(r.skippedBy)}` : ''}`);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (mode === 'some' && selected.size === 0) {
      setProblem({ type: 'about:blank', title: 'No contacts chosen', status: 0, code: 'client_error', detail: 'Tick at least one contact, or choose “All contacts”.' });
      return;
    }
    setBusy(true);
    setProblem(null);
    setMessage('');
    try {
      const r = await post<{ id: string; status: string; sendAt: string | null; invited: number; skipped: number; skippedBy: SkippedBy }>(`/api/v1/surveys/${survey.id}/distributions`, body());
      setMessage(
        `${r.invited === 0 ? 'No new invitations' : r.status === 'scheduled' ? `${plural(r.invited, 'invitation')} scheduled for ${formatDateTime(r.sendAt)}` : `Sending ${plural(r.invited, 'invitation')}`}.` +
          (r.skipped ? ` ${skippedText(r.skippedBy)}` : ''),
      );
      setSelected(new Set());
      onSent();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="send-heading" className="card">
      <h2 id="send-heading">Send invitations</h2>
      <p className="hint">
        Every contact gets a personal link by email, in their own language. A contact is invited only once per survey; addresses on the suppression list
        and contacts invited within the throttle period are skipped.
      </p>
      <ProblemAlert problem={problem} heading="Nothing was sent" />
      <form onSubmit={submit}>
        <fieldset>
          <legend>Who gets an invitation?</legend>
          <label className="choice">
            <input type="radio" name="audience" value="all" checked={mode === 'all'} onChange={() => setMode('all')} />
            All contacts{summary ? ` (${summary.total.toLocaleString('en-GB')})` : ''}
          </label>
          <label className="choice">
            <input type="radio" name="audience" value="selection" checked={mode === 'selection'} onChange={() => setMode('selection')} />
            Contacts selected by their fields
          </label>
          {can('contacts:read') && (
            <label className="choice">
              <input type="radio" name="audience" value="some" checked={mode === 'some'} onChange={() => setMode('some')} />
              Choose contacts
            </label>
          )}
        </fieldset>
        {mode === 'some' && <ContactPicker selected={selected} setSelected={setSelected} />}
        {mode === 'selection' && <SelectionBuilder value={selection} onChange={setSelection} />}
        <SendOptions value={options} onChange={setOptions} />
        <div className="actions-row">
          <button type="button" className="button-quiet" onClick={() => void preview()}>
            Count who would be invited
          </button>
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : options.sendAt ? 'Schedule' : mode === 'all' ? 'Send to all contacts' : mode === 'some' ? `Send to ${plural(selected.size, 'chosen contact')}` : 'Send to the selection'}
          </button>
        </div>
      </form>
      <p role="status" className="status-line">
        {count}
      </p>
      <p role="status" className="status-line">
        {message}
      </p>
      <MailPreview surveyId={survey.id} templateId={options.templateId} />
    </section>
  );
}

function ContactPicker({ selected, setSelected }: { selected: Set<string>; setSelected: (s: Set<string>) => void }) {
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [total, setTotal] = useState(0);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [filter, setFilter] = useState('');

  const loadMore = useCallback(async (after?: string) => {
    try {
      const q = new URLSearchParams({ limit: '500' });
      if (after) q.set('after', after);
      const p = await get<ContactPage>(`/api/v1/contacts?${q}`);
      setContacts((cs) => (after ? [...cs, ...p.contacts] : p.contacts));
      setNext(p.next);
      setTotal(p.total);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, []);

  useEffect(() => {
    void loadMore();
  }, [loadMore]);

  const needle = filter.trim().toLowerCase();
  const shown = needle ? contacts.filter((c) => `${c.email} ${fullName(c)}`.toLowerCase().includes(needle)) : contacts;
  const toggle = (id: string, on: boolean) => {
    const s = new Set(selected);
    if (on) s.add(id);
    else s.delete(id);
    setSelected(s);
  };

  return (
    <fieldset className="picker">
      <legend>Contacts to invite</legend>
      <ProblemAlert problem={problem} />
      <div className="field">
        <label htmlFor="picker-filter">Filter the list</label>
        <input id="picker-filter" type="search" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} />
      </div>
      <div className="actions-row">
        <button type="button" className="button-quiet" onClick={() => setSelected(new Set([...selected, ...shown.map((c) => c.id)]))}>
          Tick all shown
        </button>
        <button type="button" className="button-quiet" onClick={() => setSelected(new Set())}>
          Untick all
        </button>
        <span className="muted" aria-live="polite">
          {selected.size} chosen
        </span>
      </div>
      {next === undefined ? (
        <p>Loading contacts…</p>
      ) : (
        <ul className="checklist">
          {shown.map((c) => (
            <li key={c.id}>
              <label>
                <input type="checkbox" checked={selected.has(c.id)} onChange={(e) => toggle(c.id, e.currentTarget.checked)} />
                <span>{c.email}</span>
                {fullName(c) && <span className="muted"> — {fullName(c)}</span>}
              </label>
            </li>
          ))}
        </ul>
      )}
      {next && (
        <button type="button" className="button-quiet" onClick={() => void loadMore(next)}>
          Load more contacts ({contacts.length} of {total} loaded)
        </button>
      )}
    </fieldset>
  );
}

function FailedSends({ surveyId, failedCount }: { surveyId: string; failedCount: number }) {
  const [failed, setFailed] = useState<Invitation[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    get<{ invitations: Invitation[] }>(`/api/v1/surveys/${surveyId}/invitations?status=failed`)
      .then((r) => setFailed(r.invitations))
      .catch((err: unknown) => setProblem(toProblem(err)));
  }, [surveyId, failedCount]);
  return (
    <section aria-labelledby="failed-heading">
      <h2 id="failed-heading">Failed sends</h2>
      <ProblemAlert problem={problem} />
      {failed && (
        <div className="table-wrap">
          <table>
            <caption>Invitations the mail server did not accept after {failed[0]?.attempts ?? 3} attempts</caption>
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {failed.map((i) => (
                <tr key={i.id}>
                  <td className="mono">{i.contactId}</td>
                  <td>{i.attempts}</td>
                  <td>{i.lastError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
