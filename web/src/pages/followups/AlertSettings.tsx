import { useState, type FormEvent } from 'react';
import { get, put, toProblem } from '../../api';
import { ProblemAlert, fieldErrors } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime } from '../../format';
import type { AlertSettings as Settings, Problem } from '../../types';

/**
 * Issue 12 (OBLIGATIONS SVC-4, closed loop): a survey's alert rule. Only identified surveys: for a
 * confidential or anonymous survey this says why there are none (the server refuses them too).
 * Mounted on the survey page for owners and admins (alerts:manage).
 */
export function AlertSettings({ surveyId }: { surveyId: string }) {
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
      setMessage('Signalering opgeslagen. / Alert rule saved.');
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  if (!s) return <ProblemAlert problem={problem} />;
  const unhappy = s.keyScore ? `${s.keyScore.unhappy.nl} / ${s.keyScore.unhappy.en}` : '';
  return (
    <section className="card" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Signalering en opvolging / Alerts and follow-ups</h2>
      {!s.eligible ? (
        <p className="notice">{s.reason}</p>
      ) : (
        <form onSubmit={save}>
          <p className="hint">
            Een antwoord dat aan de regel voldoet, wordt een opvolging met een eigenaar en een termijn. De collega
            krijgt een mail met een link, nooit het antwoord zelf. / An answer that meets the rule becomes a follow-up
            with an owner and a due time; the colleague is mailed a link, never the answer itself.
            {s.rule && ` Checked from ${formatDateTime(s.rule.appliesFrom)}.`}
          </p>
          <ProblemAlert problem={problem} heading="Niet opgeslagen / Not saved" />
          <p role="status" className="status-line">
            {message}
          </p>
          <label className="choice">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> Signalering aan /
            Alerts on
          </label>
          <fieldset>
            <legend>Wanneer / When</legend>
            <label className="choice">
              <input
                type="radio"
                name="alert-trigger"
                value="unhappy"
                checked={trigger === 'unhappy'}
                onChange={() => setTrigger('unhappy')}
              />{' '}
              Ontevreden groep van {s.keyScore?.name.nl} / Unhappy group: {unhappy}
            </label>
            <label className="choice">
              <input
                type="radio"
                name="alert-trigger"
                value="threshold"
                checked={trigger === 'threshold'}
                onChange={() => setTrigger('threshold')}
              />{' '}
              Score ten hoogste… / Score at most…
            </label>
            {trigger === 'threshold' && (
              <div className="field">
                <label htmlFor="alert-threshold">Drempel / Threshold (score ≤)</label>
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
            <label htmlFor="alert-assignee">Collega / Colleague</label>
            <select
              id="alert-assignee"
              value={assigneeId}
              aria-describedby="alert-assignee-hint"
              onChange={(e) => setAssigneeId(e.target.value)}
            >
              <option value="">Niemand (alleen webhooks) / Nobody (webhooks only)</option>
              {s.candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.role})
                </option>
              ))}
            </select>
            <p className="hint" id="alert-assignee-hint">
              Analisten zien geen contactgegevens. / Analysts do not see contact details.
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
            Mail de collega / Mail the colleague
          </label>
          <label className="choice">
            <input type="checkbox" checked={notifyWebhooks} onChange={(e) => setNotifyWebhooks(e.target.checked)} />{' '}
            Webhook <code>followup.created</code>
          </label>
          <div className="field">
            <label htmlFor="alert-due">Termijn in uren / Due time in hours</label>
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
              Kalenderuren vanaf het antwoord (geen werkdagen). / Calendar hours from the answer (not working days).
            </p>
          </div>
          <button type="submit">Opslaan / Save</button>
        </form>
      )}
    </section>
  );
}
