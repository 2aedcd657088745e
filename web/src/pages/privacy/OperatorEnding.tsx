import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../../api';
import { Field } from '../../components/Field';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime, formatDay } from '../../format';
import type { Problem } from '../../types';

interface Tenant {
  id: string;
  name: string;
  slug: string;
  status: string;
}
interface Ending {
  status: 'active' | 'suspended' | 'ended';
  endsOn: string | null;
  statement: boolean;
  ended: null | {
    at: string;
    choiceDeadline: string;
    choice: 'return' | 'deletion' | null;
    returnUntil: string | null;
    deletionDueAt: string | null;
    deletedAt: string | null;
  };
}

const STATUSES = ['active', 'suspended', 'ended'] as const;

/**
 * Operator console, OBLIGATIONS END-2..END-4: end a customer's agreement, see its choice and
 * deadline, run the deletion once it is due, and download the signed statement of deletion.
 */
export function OperatorEndingPage() {
  const { t } = useTranslation('privacy');
  const statusName = (s: string) =>
    (STATUSES as readonly string[]).includes(s) ? t(`opEnding.status.${s as (typeof STATUSES)[number]}`) : s;
  const [tenants, setTenants] = useState<Tenant[] | null>(null);
  const [selected, setSelected] = useState('');
  const [ending, setEnding] = useState<Ending | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const loadTenants = useLoad(
    async () => setTenants((await get<{ tenants: Tenant[] }>('/api/v1/operator/tenants')).tenants),
    setProblem,
  );
  const show = useLoad(
    async () => setEnding(selected ? await get<Ending>(`/api/v1/operator/tenants/${selected}/ending`) : null),
    setProblem,
    [selected],
  );

  async function act(path: string, body: unknown, done: string, confirm: string) {
    if (!window.confirm(confirm)) return;
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      await post(path, body);
      setStatus(done);
      await show();
      await loadTenants();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const end = (e: FormEvent) => {
    e.preventDefault();
    void act(`/api/v1/operator/tenants/${selected}/end`, { reason }, t('opEnding.ended'), t('opEnding.confirmEnd'));
  };
  const e = ending?.ended;
  return (
    <>
      <h2>{t('opEnding.title')}</h2>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      {tenants && (
        <div className="field">
          <label htmlFor="ending-tenant">{t('opEnding.customer')}</label>
          <select id="ending-tenant" value={selected} onChange={(ev) => setSelected(ev.target.value)}>
            <option value="">—</option>
            {tenants.map((tn) => (
              <option key={tn.id} value={tn.id}>
                {tn.name} ({tn.slug}, {statusName(tn.status)})
              </option>
            ))}
          </select>
        </div>
      )}
      {ending && (
        <>
          <p>
            <Trans
              t={t}
              i18nKey="opEnding.summary"
              values={{ status: statusName(ending.status), date: ending.endsOn ? formatDay(ending.endsOn) : '—' }}
              components={{ strong: <strong /> }}
            />
          </p>
          {!e && (
            <form onSubmit={end} noValidate>
              <Field
                label={t('opEnding.reason')}
                required
                maxLength={1000}
                value={reason}
                onChange={(ev) => setReason(ev.target.value)}
              />
              <button type="submit" className="danger" disabled={busy || !reason.trim()}>
                {t('opEnding.endNow')}
              </button>
            </form>
          )}
          {e && (
            <dl>
              <dt>{t('opEnding.endedAt')}</dt>
              <dd>{formatDateTime(e.at)}</dd>
              <dt>{t('opEnding.choiceLabel')}</dt>
              <dd>{e.choice ? t(`opEnding.choice.${e.choice}`) : t('opEnding.noneYet')}</dd>
              <dt>{t('opEnding.choiceDeadline')}</dt>
              <dd>{formatDateTime(e.choiceDeadline)}</dd>
              {e.returnUntil && (
                <>
                  <dt>{t('opEnding.returnUntil')}</dt>
                  <dd>{formatDateTime(e.returnUntil)}</dd>
                </>
              )}
              <dt>{t('opEnding.deletion')}</dt>
              <dd>
                {e.deletedAt
                  ? t('opEnding.deletionDone', { at: formatDateTime(e.deletedAt) })
                  : e.deletionDueAt
                    ? t('opEnding.deletionDue', { at: formatDateTime(e.deletionDueAt) })
                    : '—'}
              </dd>
            </dl>
          )}
          {e && !e.deletedAt && (
            <button
              type="button"
              className="danger"
              disabled={busy || !e.deletionDueAt || Date.parse(e.deletionDueAt) > Date.now()}
              onClick={() =>
                void act(
                  `/api/v1/operator/tenants/${selected}/deletion`,
                  {},
                  t('opEnding.deleted'),
                  t('opEnding.confirmDeletion'),
                )
              }
            >
              {t('opEnding.runDeletion')}
            </button>
          )}
          {ending.statement && (
            <p>
              <a
                className="button-link"
                href={`/api/v1/operator/tenants/${selected}/deletion-statement?format=json`}
                download
              >
                {t('opEnding.statementJson')}
              </a>{' '}
              <a
                className="button-link"
                href={`/api/v1/operator/tenants/${selected}/deletion-statement?format=pdf`}
                download
              >
                {t('opEnding.statementPdf')}
              </a>
            </p>
          )}
        </>
      )}
    </>
  );
}
