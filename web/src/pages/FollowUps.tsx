import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../components/useLoad';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import { Link } from '../router';
import { useCan, useSession } from '../session';
import { uiText } from '../surveyText';
import type { FollowUp, FollowUpStatus, Problem, Survey } from '../types';
import { AlertSettings } from './followups/AlertSettings';
import { FollowUpDetailView } from './followups/FollowUpDetail';
import { STATUSES } from './followups/labels';

/**
 * Issue 12 (OBLIGATIONS SVC-4, the closed loop): the follow-ups of unhappy answers in identified
 * surveys: filter by status, owner and overdue; open one to read it, change its status or owner and
 * add notes. Contact details only for roles that may read contacts; answers not for viewers.
 */
export function FollowUpsPage({ id }: { id?: string | undefined }) {
  const { t } = useTranslation('followups');
  useTitle(t('title'));
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
      <h1 tabIndex={-1}>{t('title')}</h1>
      <p>{t('intro')}</p>
      <ProblemAlert problem={problem} />
      <form className="row" aria-label={t('list.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="fu-status">{t('list.status')}</label>
          <select id="fu-status" value={status} onChange={(e) => setStatus(e.target.value as FollowUpStatus | '')}>
            <option value="">{t('list.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="fu-owner">{t('list.owner')}</label>
          <select id="fu-owner" value={owner} onChange={(e) => setOwner(e.target.value as '' | 'me' | 'none')}>
            <option value="">{t('list.anyone')}</option>
            {me.kind === 'user' && <option value="me">{t('list.me')}</option>}
            <option value="none">{t('list.nobody')}</option>
          </select>
        </div>
        <label className="choice">
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} />{' '}
          {t('list.overdueOnly')}
        </label>
      </form>
      {list && list.length === 0 && <p role="status">{t('list.none')}</p>}
      {list && list.length > 0 && (
        <table>
          <caption>{t('list.caption', { count: list.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.survey')}</th>
              <th scope="col">{t('list.score')}</th>
              <th scope="col">{t('list.status')}</th>
              <th scope="col">{t('list.owner')}</th>
              <th scope="col">{t('list.due')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('list.open')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((f) => (
              <tr key={f.id}>
                <td>{f.surveyName}</td>
                <td>{f.score === null ? '—' : `${f.score}${f.category ? ` (${uiText(f.category)})` : ''}`}</td>
                <td>{t(`status.${f.status}`)}</td>
                <td>{f.owner?.name ?? '—'}</td>
                <td>
                  {formatDateTime(f.dueAt)} {f.overdue && <strong>{t('list.overdue')}</strong>}
                </td>
                <td>
                  <Link
                    to={`/app/follow-ups/${f.id}`}
                    aria-label={t('list.openLabel', { survey: f.surveyName, due: formatDateTime(f.dueAt) })}
                  >
                    {t('list.open')}
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
  const { t } = useTranslation(['followups', 'common']);
  const [surveys, setSurveys] = useState<Survey[] | null>(null);
  const [surveyId, setSurveyId] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => setSurveys((await get<{ surveys: Survey[] }>('/api/v1/surveys')).surveys), setProblem);
  return (
    <section aria-labelledby="rules-heading">
      <h2 id="rules-heading">{t('rules.heading')}</h2>
      <ProblemAlert problem={problem} />
      <div className="field">
        <label htmlFor="rules-survey">{t('rules.survey')}</label>
        <select id="rules-survey" value={surveyId} onChange={(e) => setSurveyId(e.target.value)}>
          <option value="">{t('rules.choose')}</option>
          {(surveys ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({t(`common:anonymityShort.${s.anonymity}`)})
            </option>
          ))}
        </select>
      </div>
      {surveyId && (
        <AlertSettings
          key={surveyId}
          surveyId={surveyId}
          anonymity={surveys?.find((s) => s.id === surveyId)?.anonymity ?? 'identified'}
        />
      )}
    </section>
  );
}
