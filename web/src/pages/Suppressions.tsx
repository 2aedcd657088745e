import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, put, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import { useCan } from '../session';
import type { Problem, Suppression } from '../types';

/** DSR-3: the suppression list, adding an address by hand, lifting with a reason; and the throttle setting. */
export function SuppressionsPage() {
  const { t } = useTranslation('suppressions');
  useTitle(t('title'));
  const can = useCan();
  const [list, setList] = useState<{ total: number; suppressions: Suppression[] } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');
  const [email, setEmail] = useState('');
  const [note, setNote] = useState('');

  const load = useLoad(async () => {
    setList(await get<{ total: number; suppressions: Suppression[] }>('/api/v1/suppressions?limit=1000'));
  }, setProblem);

  async function add(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    try {
      await post('/api/v1/suppressions', { email, ...(note ? { note } : {}) });
      setMessage(t('added', { email }));
      setEmail('');
      setNote('');
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  async function lift(s: Suppression) {
    const reason = window.prompt(t('whyLift', { email: s.email ?? t('thisAddress') }));
    if (!reason) return;
    setProblem(null);
    try {
      await post(`/api/v1/suppressions/${s.id}/lift`, { reason });
      setMessage(t('lifted', { email: s.email ?? t('theAddress') }));
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('title')}</h1>
      <p>{t('intro')}</p>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {message}
      </p>
      <Throttle />
      {can('invitations:send') && (
        <section className="card" aria-labelledby="add-heading">
          <h2 id="add-heading">{t('addTitle')}</h2>
          <form onSubmit={add}>
            <div className="field">
              <label htmlFor="sup-email">{t('email')}</label>
              <input
                id="sup-email"
                type="email"
                required
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="sup-note">{t('note')}</label>
              <input id="sup-note" maxLength={500} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            </div>
            <button type="submit">{t('add')}</button>
          </form>
        </section>
      )}
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">{list ? t('listTitleCount', { count: list.total }) : t('listTitle')}</h2>
        {!list ? (
          <p>{t('loading')}</p>
        ) : list.suppressions.length === 0 ? (
          <p>{t('none')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>{t('newestFirst')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('col.address')}</th>
                  <th scope="col">{t('col.reason')}</th>
                  <th scope="col">{t('col.since')}</th>
                  <th scope="col">{t('col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.suppressions.map((s) => (
                  <tr key={s.id}>
                    <td>
                      {s.email === undefined ? (
                        <span className="muted">{t('hidden')}</span>
                      ) : (
                        (s.email ?? <span className="muted">{t('deletedContact')}</span>)
                      )}
                    </td>
                    <td>{t(`reason.${s.reason}`)}</td>
                    <td>{formatDateTime(s.createdAt)}</td>
                    <td>
                      {can('contacts:write') && (
                        <button type="button" className="button-quiet" onClick={() => void lift(s)}>
                          {s.email ? t('liftFor', { email: s.email }) : t('lift')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function Throttle() {
  const { t } = useTranslation('suppressions');
  const can = useCan();
  const [days, setDays] = useState<number | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  useEffect(() => {
    get<{ throttleDays: number }>('/api/v1/distribution-settings')
      .then((r) => setDays(r.throttleDays))
      .catch((err: unknown) => setProblem(toProblem(err)));
  }, []);
  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    try {
      const r = await put<{ throttleDays: number }>('/api/v1/distribution-settings', { throttleDays: days ?? 0 });
      setStatus(r.throttleDays ? t('throttle.on', { days: r.throttleDays }) : t('throttle.off'));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  return (
    <section className="card" aria-labelledby="throttle-heading">
      <h2 id="throttle-heading">{t('throttle.title')}</h2>
      <p className="hint">{t('throttle.hint')}</p>
      <ProblemAlert problem={problem} />
      {days !== null && (
        <form onSubmit={save}>
          <div className="field">
            <label htmlFor="throttle-days">{t('throttle.days')}</label>
            <input
              id="throttle-days"
              type="number"
              min={0}
              max={365}
              value={days}
              disabled={!can('tenant:manage')}
              onChange={(e) => setDays(Number(e.currentTarget.value))}
            />
          </div>
          {can('tenant:manage') && <button type="submit">{t('throttle.save')}</button>}
        </form>
      )}
      <p role="status" className="status-line">
        {status}
      </p>
    </section>
  );
}
