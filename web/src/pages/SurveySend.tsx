import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../api';
import { Progress } from '../components/Progress';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatDateTime, formatNumber, fullName } from '../format';
import { useCan } from '../session';
import type {
  Contact,
  ContactPage,
  ContactSummary,
  Distribution,
  Invitation,
  Problem,
  Selection,
  SkippedBy,
  Survey,
} from '../types';
import { MailPreview, SelectionBuilder, SendOptions, skippedText, type SendOptionsValue } from './SendOptions';

export function SendTab({ survey }: { survey: Survey }) {
  const { t } = useTranslation(['send', 'common']);
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
      if (list?.some((d) => d.counts.queued > 0 && d.status !== 'scheduled'))
        timer = window.setTimeout(() => void tick(), 1000);
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
      {can('invitations:send') && survey.status === 'open' && (
        <SendForm survey={survey} onSent={() => setVersion((v) => v + 1)} />
      )}
      {survey.status !== 'open' && (
        <p className="alert alert-info">
          {t('notOpen', { status: t(`common:status.${survey.status as 'draft' | 'open' | 'closed'}`) })}
        </p>
      )}
      <section aria-labelledby="sends-heading">
        <h2 id="sends-heading">{t('sends')}</h2>
        <ProblemAlert problem={problem} />
        {!distributions ? (
          <p>{t('common:actions.loading')}</p>
        ) : distributions.length === 0 ? (
          <p>{t('nothingYet')}</p>
        ) : (
          <>
            <p role="status" className="status-line">
              {sending ? t('sending') : t('allHandled')}
            </p>
            <ul className="distributions">
              {distributions.map((d) => (
                <DistributionItem key={d.id} d={d} onChange={() => setVersion((v) => v + 1)} />
              ))}
            </ul>
          </>
        )}
      </section>
      {anyFailed && can('invitations:send') && (
        <FailedSends surveyId={survey.id} failedCount={distributions?.reduce((n, d) => n + d.counts.failed, 0) ?? 0} />
      )}
    </>
  );
}

function DistributionItem({ d, onChange }: { d: Distribution; onChange: () => void }) {
  const { t } = useTranslation(['send', 'common']);
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
          ? t('d.scheduled', { date: formatDateTime(d.sendAt) })
          : d.status === 'cancelled'
            ? t('d.cancelled', { date: formatDateTime(d.sendAt) })
            : d.kind === 'api'
              ? t('d.api', { date: formatDateTime(d.createdAt) })
              : t('d.sent', { date: formatDateTime(d.sendAt ?? d.createdAt) })}
      </h3>
      <ProblemAlert problem={problem} />
      {d.status === 'scheduled' && can('invitations:send') && (
        <p>
          <button type="button" className="button-quiet" onClick={() => void cancel()}>
            {t('d.cancel')}
          </button>
        </p>
      )}
      {d.reminders && d.reminders.max > 0 && (
        <p className="hint">{t('d.reminders', { max: d.reminders.max, days: d.reminders.intervalDays })}</p>
      )}
      <Progress
        label={t('d.invitationsSent')}
        ariaLabel={t('d.invitationsSentAt', { date: formatDateTime(d.createdAt) })}
        value={handled}
        max={c.total}
        text={t('d.sentOf', { sent: formatNumber(c.sent), total: formatNumber(c.total) })}
      />
      <Progress
        label={t('d.answered')}
        ariaLabel={t('d.answeredAt', { date: formatDateTime(d.createdAt) })}
        value={c.responded}
        max={c.total}
        text={t('d.answeredOf', { count: formatNumber(c.responded), total: formatNumber(c.total) })}
      />
      <dl className="facts">
        <div>
          <dt>{t('d.invited')}</dt>
          <dd>{formatNumber(c.total)}</dd>
        </div>
        <div>
          <dt>{t('d.waiting')}</dt>
          <dd>{formatNumber(c.queued)}</dd>
        </div>
        <div>
          <dt>{t('d.sentLabel')}</dt>
          <dd>{formatNumber(c.sent)}</dd>
        </div>
        <div>
          <dt>{t('d.failed')}</dt>
          <dd className={c.failed ? 'text-danger' : undefined}>{formatNumber(c.failed)}</dd>
        </div>
        <div>
          <dt>{t('d.opened')}</dt>
          <dd>{formatNumber(c.opened)}</dd>
        </div>
        <div>
          <dt>{t('d.answered')}</dt>
          <dd>{formatNumber(c.responded)}</dd>
        </div>
        <div>
          <dt>{t('d.suppressed')}</dt>
          <dd>{formatNumber(c.suppressed ?? 0)}</dd>
        </div>
        <div>
          <dt>{t('d.reminded')}</dt>
          <dd>{formatNumber(c.reminded ?? 0)}</dd>
        </div>
      </dl>
    </li>
  );
}

function SendForm({ survey, onSent }: { survey: Survey; onSent: () => void }) {
  const { t } = useTranslation(['send', 'common']);
  const can = useCan();
  const [mode, setMode] = useState<'all' | 'some' | 'selection'>('all');
  const [summary, setSummary] = useState<ContactSummary | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [selection, setSelection] = useState<Selection>({ match: 'all', filters: [] });
  const [options, setOptions] = useState<SendOptionsValue>({
    sendAt: '',
    remindersMax: 0,
    intervalDays: 3,
    templateId: '',
    reminderTemplateId: '',
  });
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
      ...(options.remindersMax > 0
        ? { reminders: { max: options.remindersMax, intervalDays: options.intervalDays } }
        : {}),
      ...(options.templateId ? { templateId: options.templateId } : {}),
      ...(options.reminderTemplateId ? { reminderTemplateId: options.reminderTemplateId } : {}),
    };
  }

  async function preview() {
    setProblem(null);
    setCount('');
    try {
      const r = await post<{ invited: number; skipped: number; skippedBy: SkippedBy }>(
        `/api/v1/surveys/${survey.id}/distributions/preview`,
        body(),
      );
      setCount(`${t('form.wouldInvite', { count: r.invited })}${r.skipped ? ` ${skippedText(r.skippedBy)}` : ''}`);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (mode === 'some' && selected.size === 0) {
      setProblem({
        type: 'about:blank',
        title: t('form.noneChosenTitle'),
        status: 0,
        code: 'client_error',
        detail: t('form.noneChosen'),
      });
      return;
    }
    setBusy(true);
    setProblem(null);
    setMessage('');
    try {
      const r = await post<{
        id: string;
        status: string;
        sendAt: string | null;
        invited: number;
        skipped: number;
        skippedBy: SkippedBy;
      }>(`/api/v1/surveys/${survey.id}/distributions`, body());
      setMessage(
        (r.invited === 0
          ? t('form.noNew')
          : r.status === 'scheduled'
            ? t('form.scheduledFor', { count: r.invited, date: formatDateTime(r.sendAt) })
            : t('form.sendingCount', { count: r.invited })) + (r.skipped ? ` ${skippedText(r.skippedBy)}` : ''),
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
      <h2 id="send-heading">{t('form.heading')}</h2>
      <p className="hint">{t('form.hint')}</p>
      <ProblemAlert problem={problem} heading={t('form.nothingSent')} />
      <form onSubmit={submit}>
        <fieldset>
          <legend>{t('form.who')}</legend>
          <label className="choice">
            <input type="radio" name="audience" value="all" checked={mode === 'all'} onChange={() => setMode('all')} />
            {summary ? t('form.allCount', { count: formatNumber(summary.total) }) : t('form.all')}
          </label>
          <label className="choice">
            <input
              type="radio"
              name="audience"
              value="selection"
              checked={mode === 'selection'}
              onChange={() => setMode('selection')}
            />
            {t('form.selection')}
          </label>
          {can('contacts:read') && (
            <label className="choice">
              <input
                type="radio"
                name="audience"
                value="some"
                checked={mode === 'some'}
                onChange={() => setMode('some')}
              />
              {t('form.some')}
            </label>
          )}
        </fieldset>
        {mode === 'some' && <ContactPicker selected={selected} setSelected={setSelected} />}
        {mode === 'selection' && <SelectionBuilder value={selection} onChange={setSelection} />}
        <SendOptions value={options} onChange={setOptions} />
        <div className="actions-row">
          <button type="button" className="button-quiet" onClick={() => void preview()}>
            {t('form.count')}
          </button>
          <button type="submit" disabled={busy}>
            {busy
              ? t('form.busy')
              : options.sendAt
                ? t('form.schedule')
                : mode === 'all'
                  ? t('form.sendAll')
                  : mode === 'some'
                    ? t('form.sendSome', { count: selected.size })
                    : t('form.sendSelection')}
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
  const { t } = useTranslation(['send', 'common']);
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
      <legend>{t('picker.legend')}</legend>
      <ProblemAlert problem={problem} />
      <div className="field">
        <label htmlFor="picker-filter">{t('picker.filter')}</label>
        <input id="picker-filter" type="search" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} />
      </div>
      <div className="actions-row">
        <button
          type="button"
          className="button-quiet"
          onClick={() => setSelected(new Set([...selected, ...shown.map((c) => c.id)]))}
        >
          {t('picker.tickAll')}
        </button>
        <button type="button" className="button-quiet" onClick={() => setSelected(new Set())}>
          {t('picker.untickAll')}
        </button>
        <span className="muted" aria-live="polite">
          {t('picker.chosen', { count: formatNumber(selected.size) })}
        </span>
      </div>
      {next === undefined ? (
        <p>{t('picker.loading')}</p>
      ) : (
        <ul className="checklist">
          {shown.map((c) => (
            <li key={c.id}>
              <label>
                <input
                  type="checkbox"
                  checked={selected.has(c.id)}
                  onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                />
                <span>{c.email}</span>
                {fullName(c) && <span className="muted"> — {fullName(c)}</span>}
              </label>
            </li>
          ))}
        </ul>
      )}
      {next && (
        <button type="button" className="button-quiet" onClick={() => void loadMore(next)}>
          {t('picker.more', { loaded: formatNumber(contacts.length), total: formatNumber(total) })}
        </button>
      )}
    </fieldset>
  );
}

function FailedSends({ surveyId, failedCount }: { surveyId: string; failedCount: number }) {
  const { t } = useTranslation(['send', 'common']);
  const [failed, setFailed] = useState<Invitation[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    get<{ invitations: Invitation[] }>(`/api/v1/surveys/${surveyId}/invitations?status=failed`)
      .then((r) => setFailed(r.invitations))
      .catch((err: unknown) => setProblem(toProblem(err)));
  }, [surveyId, failedCount]);
  return (
    <section aria-labelledby="failed-heading">
      <h2 id="failed-heading">{t('failed.heading')}</h2>
      <ProblemAlert problem={problem} />
      {failed && (
        <div className="table-wrap">
          <table>
            <caption>{t('failed.caption', { count: failed[0]?.attempts ?? 3 })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('failed.contact')}</th>
                <th scope="col">{t('failed.attempts')}</th>
                <th scope="col">{t('failed.lastError')}</th>
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
