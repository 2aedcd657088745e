import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get, put, toProblem } from '../../api';
import { ProblemAlert, fieldErrors } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime } from '../../format';
import { uiText } from '../../surveyText';
import type { Anonymity, AlertSettings as Settings, Problem } from '../../types';
import { useRoleName } from './labels';

/**
 * Issue 12 (OBLIGATIONS SVC-4, closed loop): a survey's alert rule. Only identified surveys: for a
 * confidential or anonymous survey this says why there are none (the server refuses them too).
 * Mounted on the survey page for owners and admins (alerts:manage). `anonymity`: the survey's, to say
 * in the user's language why a shielded survey has none (the results tab mounts this for identified
 * surveys only).
 */
export function AlertSettings({ surveyId, anonymity = 'identified' }: { surveyId: string; anonymity?: Anonymity }) {
  const { t } = useTranslation(['followups', 'common']);
  const roleName = useRoleName();
  const [s, setS] = useState<Settings | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');
  const [active, setActive] = useState(true);
  const [trigger, setTrigger] = useState<'unhappy' | 'threshold'>('unhappy');
  const [threshold, setThreshold] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const [notifyEmail, setNotifyEmail] = useState(true);
  const [notifyWebhooks, setNotifyWebhooks] = useState(false);
  const [dueHours, setDueHours] = useState('48');

  const apply = (x: Settings) => {
    setS(x);
    if (x.rule) {
      setActive(x.rule.active);
      setTrigger(x.rule.trigger);
      setThreshold(x.rule.threshold === null ? '' : String(x.rule.threshold));
      setAssigneeId(x.rule.assigneeId ?? '');
      setNotifyEmail(x.rule.notifyEmail);
      setNotifyWebhooks(x.rule.notifyWebhooks);
      setDueHours(String(x.rule.dueHours));
    }
  };
  useLoad(async () => apply(await get<Settings>(`/api/v1/surveys/${surveyId}/alert-rule`)), setProblem, [surveyId]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setMessage('');
    try {
      apply(
        await put<Settings>(`/api/v1/surveys/${surveyId}/alert-rule`, {
          active,
          trigger,
          threshold: trigger === 'threshold' && threshold !== '' ? Number(threshold) : null,
          assigneeId: assigneeId || null,
          notifyEmail: notifyEmail && !!assigneeId,
          notifyWebhooks,
          dueHours: Number(dueHours),
        }),
      );
      setMessage(t('alerts.saved'));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  if (!s) return <ProblemAlert problem={problem} />;
  return (
    <section className="card" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">{t('alerts.heading')}</h2>
      {!s.eligible ? (
        // The server refuses a survey that is not identified first, then one without a key score.
        <p className="notice">
          {anonymity !== 'identified' ? t('alerts.notIdentified', { anonymity }) : t('alerts.noKeyScore')}
        </p>
      ) : (
        <form onSubmit={save}>
          <p className="hint">
            {t('alerts.intro')}
            {s.rule && t('alerts.checkedFrom', { at: formatDateTime(s.rule.appliesFrom) })}
          </p>
          <ProblemAlert problem={problem} heading={t('alerts.notSaved')} />
          <p role="status" className="status-line">
            {message}
          </p>
          <label className="choice">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{' '}
            {t('alerts.active')}
          </label>
          <fieldset>
            <legend>{t('alerts.when')}</legend>
            <label className="choice">
              <input
                type="radio"
                name="alert-trigger"
                value="unhappy"
                checked={trigger === 'unhappy'}
                onChange={() => setTrigger('unhappy')}
              />{' '}
              {t('alerts.unhappy', { score: uiText(s.keyScore?.name), group: uiText(s.keyScore?.unhappy) })}
            </label>
            <label className="choice">
              <input
                type="radio"
                name="alert-trigger"
                value="threshold"
                checked={trigger === 'threshold'}
                onChange={() => setTrigger('threshold')}
              />{' '}
              {t('alerts.threshold')}
            </label>
            {trigger === 'threshold' && (
              <div className="field">
                <label htmlFor="alert-threshold">{t('alerts.thresholdLabel')}</label>
                <input
                  id="alert-threshold"
                  type="number"
                  min={0}
                  max={10}
                  required
                  value={threshold}
                  onChange={(e) => setThreshold(e.target.value)}
                />
                {fieldErrors(problem, '/body/threshold').map((m) => (
                  <p className="field-error" key={m}>
                    {m}
                  </p>
                ))}
              </div>
            )}
          </fieldset>
          <div className="field">
            <label htmlFor="alert-assignee">{t('alerts.colleague')}</label>
            <select
              id="alert-assignee"
              value={assigneeId}
              aria-describedby="alert-assignee-hint"
              onChange={(e) => setAssigneeId(e.target.value)}
            >
              <option value="">{t('alerts.nobody')}</option>
              {s.candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {t('alerts.candidate', { name: c.name, role: roleName(c.role) })}
                </option>
              ))}
            </select>
            <p className="hint" id="alert-assignee-hint">
              {t('alerts.analystsHint')}
            </p>
            {fieldErrors(problem, '/body/assigneeId').map((m) => (
              <p className="field-error" key={m}>
                {m}
              </p>
            ))}
          </div>
          <label className="choice">
            <input
              type="checkbox"
              checked={notifyEmail}
              disabled={!assigneeId}
              onChange={(e) => setNotifyEmail(e.target.checked)}
            />{' '}
            {t('alerts.mail')}
          </label>
          <label className="choice">
            <input type="checkbox" checked={notifyWebhooks} onChange={(e) => setNotifyWebhooks(e.target.checked)} />{' '}
            <Trans t={t} i18nKey="alerts.webhook" components={{ code: <code /> }} />
          </label>
          <div className="field">
            <label htmlFor="alert-due">{t('alerts.due')}</label>
            <input
              id="alert-due"
              type="number"
              min={1}
              max={2160}
              required
              value={dueHours}
              aria-describedby="alert-due-hint"
              onChange={(e) => setDueHours(e.target.value)}
            />
            <p className="hint" id="alert-due-hint">
              {t('alerts.dueHint')}
            </p>
          </div>
          <button type="submit">{t('common:actions.save')}</button>
        </form>
      )}
    </section>
  );
}
