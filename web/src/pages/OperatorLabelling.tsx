import { useState, type FormEvent } from 'react';
import { get, put, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatDateTime } from '../format';
import type { OperatorLabelling, Problem } from '../types';

/** OBLIGATIONS AI-4: the operator's switches for the labelling module and each customer's monthly quota. */
export function OperatorLabellingSection() {
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
    void call('/api/v1/operator/labelling', { enabled, ...(reason ? { reason } : {}) }, `Labelling is switched ${enabled ? 'on' : 'off'} for all customers; customers using it are told.`);
  }

  function saveTenant(e: FormEvent<HTMLFormElement>, tenantId: string, name: string) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const quota = String(f.get('quota') ?? '').trim();
    const reason = String(f.get('reason') ?? '').trim();
    void call(
      `/api/v1/operator/tenants/${tenantId}/labelling`,
      { blocked: f.get('blocked') === 'on', monthlyQuota: quota === '' ? null : Number(quota), ...(reason ? { reason } : {}) },
      `Labelling settings of ${name} saved; its owners are told of any change.`,
    );
  }

  return (
    <section aria-labelledby="op-labelling-heading" className="card">
      <h2 id="op-labelling-heading">AI labelling module</h2>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {message}
      </p>
      {data && (
        <>
          <p>
            {data.global.enabled ? 'On for customers that switched it on.' : 'Switched off for all customers.'} External provider:{' '}
            {data.externalProvider.configured ? data.externalProvider.name : 'none (built-in labeller only)'}. Default quota: {data.defaultMonthlyQuota.toLocaleString('en-GB')} texts per month.
            Last change {formatDateTime(data.global.changedAt)}.
          </p>
          <form className="inline-form" onSubmit={switchAll}>
            <label htmlFor="global-reason">Reason (told to customers)</label>
            <input id="global-reason" name="reason" maxLength={500} />
            <button type="submit" className={data.global.enabled ? 'button-danger' : ''}>
              {data.global.enabled ? 'Switch off for all customers' : 'Switch on for all customers'}
            </button>
          </form>
          <div className="table-wrap">
            <table>
              <caption>Labelling per customer, {data.month}</caption>
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">Switched on by customer</th>
                  <th scope="col" className="num">
                    Labelled this month
                  </th>
                  <th scope="col">Off by Peil · quota · reason</th>
                </tr>
              </thead>
              <tbody>
                {data.tenants.map((t) => (
                  <tr key={t.tenantId}>
                    <th scope="row">{t.name}</th>
                    <td>
                      {t.enabled ? 'yes' : 'no'}
                      {t.allowExternalProvider ? ' (external provider allowed)' : ''}
                    </td>
                    <td className="num">
                      {t.used.toLocaleString('en-GB')}
                      {t.external ? ` (${t.external} external)` : ''}
                    </td>
                    <td>
                      <form className="inline-form" onSubmit={(e) => saveTenant(e, t.tenantId, t.name)} aria-label={`Labelling settings of ${t.name}`}>
                        <label className="choice">
                          <input type="checkbox" name="blocked" defaultChecked={t.blocked} /> off
                        </label>
                        <input name="quota" type="number" min={0} defaultValue={t.monthlyQuota ?? ''} placeholder={String(data.defaultMonthlyQuota)} aria-label={`Monthly quota of ${t.name}`} style={{ width: '7rem' }} />
                        <input name="reason" defaultValue={t.reason ?? ''} maxLength={500} aria-label={`Reason for ${t.name}`} />
                        <button type="submit">Save</button>
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
