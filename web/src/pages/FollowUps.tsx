import { useState } from 'react';
import { get } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../components/useLoad';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import { Link } from '../router';
import { useCan, useSession } from '../session';
import type { FollowUp, FollowUpStatus, Problem, Survey } from '../types';
import { AlertSettings } from './followups/AlertSettings';
import { FollowUpDetailView } from './followups/FollowUpDetail';
import { STATUS_LABELS } from './followups/labels';

/**
 * Issue 12 (OBLIGATIONS SVC-4, the closed loop): the follow-ups of unhappy answers in identified
 * surveys: filter by status, owner and overdue; open one to read it, change its status or owner and
 * add notes. Contact details only for roles that may read contacts; answers not for viewers.
 */
export function FollowUpsPage({ id }: { id?: string | undefined }) {
  useTitle('Opvolging / Follow-ups');
  const { me } = useSession();
  const can = useCan();
  const [status, setStatus] = useState<FollowUpStatus | ''>('');
  const [owner, setOwner] = useState<'' | 'me' | 'none'>('');
  const [overdue, setOverdue] = useState(false);
  const [list, setList] = useState<FollowUp[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useLoad(
    async () => {
      const q = new URLSearchParams();
      if (status) q.set('status', status);
      if (owner) q.set('owner', owner);
      if (overdue) q.set('overdue', 'true');
      setList((await get<{ followUps: FollowUp[] }>(`/api/v1/follow-ups?${q.toString()}`)).followUps);
    },
    setProblem,
    [status, owner, overdue, id],
  );

  if (id) return <FollowUpDetailView id={id} onChanged={load} />;

  return (
    <>
      <h1 tabIndex={-1}>Opvolging / Follow-ups</h1>
      <p>
        Onvrede in herkenbare vragenlijsten, opgevolgd door een collega. / Unhappy answers in identified surveys,
        followed up by a colleague. An owner or admin sets the alert rule per survey (survey page, tab Alerts).
        Confidential and anonymous surveys never have follow-ups.
      </p>
      <ProblemAlert problem={problem} />
      <form className="row" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="fu-status">Status</label>
          <select id="fu-status" value={status} onChange={(e) => setStatus(e.target.value as FollowUpStatus | '')}>
            <option value="">Alle / All</option>
            {(Object.keys(STATUS_LABELS) as FollowUpStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="fu-owner">Eigenaar / Owner</label>
          <select id="fu-owner" value={owner} onChange={(e) => setOwner(e.target.value as '' | 'me' | 'none')}>
            <option value="">Iedereen / Anyone</option>
            {me.kind === 'user' && <option value="me">Ik / Me</option>}
            <option value="none">Niemand / Nobody</option>
          </select>
        </div>
        <label className="choice">
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} /> Alleen te laat /
          Overdue only
        </label>
      </form>
      {list && list.length === 0 && <p role="status">Geen opvolgingen. / No follow-ups.</p>}
      {list && list.length > 0 && (
        <table>
          <caption>Opvolgingen / Follow-ups ({list.length})</caption>
          <thead>
            <tr>
              <th scope="col">Vragenlijst / Survey</th>
              <th scope="col">Score</th>
              <th scope="col">Status</th>
              <th scope="col">Eigenaar / Owner</th>
              <th scope="col">Uiterlijk / Due</th>
              <th scope="col">
                <span className="visually-hidden">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((f) => (
              <tr key={f.id}>
                <td>{f.surveyName}</td>
                <td>
                  {f.score === null ? '—' : `${f.score}${f.category ? ` (${f.category.nl} / ${f.category.en})` : ''}`}
                </td>
                <td>{STATUS_LABELS[f.status]}</td>
                <td>{f.owner?.name ?? '—'}</td>
                <td>
                  {formatDateTime(f.dueAt)} {f.overdue && <strong>te laat / overdue</strong>}
                </td>
                <td>
                  <Link
                    to={`/app/follow-ups/${f.id}`}
                    aria-label={`Open follow-up: ${f.surveyName}, due ${formatDateTime(f.dueAt)}`}
                  >
                    Openen / Open
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('alerts:manage') && <AlertRules />}
    </>
  );
}

/** The alert rule of a survey, chosen here (the survey page shows the same settings). */
function AlertRules() {
  const [surveys, setSurveys] = useState<Survey[] | null>(null);
  const [surveyId, setSurveyId] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => setSurveys((await get<{ surveys: Survey[] }>('/api/v1/surveys')).surveys), setProblem);
  return (
    <section aria-labelledby="rules-heading">
      <h2 id="rules-heading">Signalering per vragenlijst / Alert rule per survey</h2>
      <ProblemAlert problem={problem} />
      <div className="field">
        <label htmlFor="rules-survey">Vragenlijst / Survey</label>
        <select id="rules-survey" value={surveyId} onChange={(e) => setSurveyId(e.target.value)}>
          <option value="">Kies een vragenlijst / Choose a survey</option>
          {(surveys ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.anonymity})
            </option>
          ))}
        </select>
      </div>
      {surveyId && <AlertSettings key={surveyId} surveyId={surveyId} />}
    </section>
  );
}
