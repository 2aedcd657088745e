import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, put, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatDateTime, formatMonth, formatNumber } from '../format';
import type { OperatorLabelling, Problem } from '../types';

/** OBLIGATIONS AI-4: the operator's switches for the labelling module and each customer's monthly quota. */
export function OperatorLabellingSection() {
  const { t } = useTranslation('operator');
  const [data, setData] = useState<OperatorLabelling | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');

  const load = useLoad(async () => {
    setData(await get<OperatorLabelling>('/api/v1/operator/labelling'));
  }, setProblem);

  async function call(path: string, body: unknown, done: string) {
    setProblem(null);
    setMessage('');
    try {
      await put(path, body);
      setMessage(done);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  function switchAll(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!data) return;
    const reason = String(new FormData(e.currentTarget).get('reason') ?? '').trim();
    const enabled = !data.global.enabled;
    void call(
      '/api/v1/operator/labelling',
      { enabled, ...(reason ? { reason } : {}) },
      t('labelling.switched', { enabled: enabled ? 'on' : 'off' }),
    );
  }

  function saveTenant(e: FormEvent<HTMLFormElement>, tenantId: string, name: string) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const quota = String(f.get('quota') ?? '').trim();
    const reason = String(f.get('reason') ?? '').trim();
    void call(
      `/api/v1/operator/tenants/${tenantId}/labelling`,
      {
        blocked: f.get('blocked') === 'on',
        monthlyQuota: quota === '' ? null : Number(quota),
        ...(reason ? { reason } : {}),
      },
      t('labelling.saved', { name }),
    );
  }

  return (
    <section aria-labelledby="op-labelling-heading" className="card">
      <h2 id="op-labelling-heading">{t('labelling.title')}</h2>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {message}
      </p>
      {data && (
        <>
          <p>
            {data.global.enabled ? t('labelling.globalOn') : t('labelling.globalOff')}{' '}
            {t('labelling.provider', {
              name: data.externalProvider.configured ? data.externalProvider.name : t('labelling.noProvider'),
            })}{' '}
            {t('labelling.quota', { count: data.defaultMonthlyQuota })}{' '}
            {t('labelling.lastChange', { at: formatDateTime(data.global.changedAt) })}
          </p>
          <form className="inline-form" onSubmit={switchAll}>
            <label htmlFor="global-reason">{t('labelling.reason')}</label>
            <input id="global-reason" name="reason" maxLength={500} />
            <button type="submit" className={data.global.enabled ? 'button-danger' : ''}>
              {data.global.enabled ? t('labelling.switchOff') : t('labelling.switchOn')}
            </button>
          </form>
          <div className="table-wrap">
            <table>
              <caption>{t('labelling.caption', { month: formatMonth(data.month) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('labelling.col.customer')}</th>
                  <th scope="col">{t('labelling.col.enabled')}</th>
                  <th scope="col" className="num">
                    {t('labelling.col.used')}
                  </th>
                  <th scope="col">{t('labelling.col.settings')}</th>
                </tr>
              </thead>
              <tbody>
                {data.tenants.map((tn) => (
                  <tr key={tn.tenantId}>
                    <th scope="row">{tn.name}</th>
                    <td>
                      {tn.enabled ? t('labelling.yes') : t('labelling.no')}
                      {tn.allowExternalProvider ? t('labelling.externalAllowed') : ''}
                    </td>
                    <td className="num">
                      {formatNumber(tn.used)}
                      {tn.external ? t('labelling.external', { n: formatNumber(tn.external) }) : ''}
                    </td>
                    <td>
                      <form
                        className="inline-form"
                        onSubmit={(e) => saveTenant(e, tn.tenantId, tn.name)}
                        aria-label={t('labelling.settingsOf', { name: tn.name })}
                      >
                        <label className="choice">
                          <input type="checkbox" name="blocked" defaultChecked={tn.blocked} /> {t('labelling.off')}
                        </label>
                        <input
                          name="quota"
                          type="number"
                          min={0}
                          defaultValue={tn.monthlyQuota ?? ''}
                          placeholder={String(data.defaultMonthlyQuota)}
                          aria-label={t('labelling.quotaOf', { name: tn.name })}
                          style={{ width: '7rem' }}
                        />
                        <input
                          name="reason"
                          defaultValue={tn.reason ?? ''}
                          maxLength={500}
                          aria-label={t('labelling.reasonFor', { name: tn.name })}
                        />
                        <button type="submit">{t('labelling.save')}</button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
