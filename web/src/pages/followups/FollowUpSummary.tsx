import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatNumber, formatPercent } from '../../format';
import type { FollowUpSummary as Summary, Problem } from '../../types';

/** Issue 12: how a survey's unhappy answers were followed up (for the results tab). Nothing for shielded surveys. */
export function FollowUpSummary({ surveyId }: { surveyId: string }) {
  const { t } = useTranslation('followups');
  const [s, setS] = useState<Summary | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => setS(await get<Summary>(`/api/v1/surveys/${surveyId}/follow-ups/summary`)), setProblem, [
    surveyId,
  ]);
  if (problem) return <ProblemAlert problem={problem} />;
  if (!s || !s.applicable || s.total === 0) return null;
  return (
    <section className="card" aria-labelledby="fu-summary-heading">
      <h2 id="fu-summary-heading">{t('summary.heading')}</h2>
      <p>
        {t('summary.doneWithin', {
          done: formatNumber(s.doneWithinDue),
          total: formatNumber(s.total),
          share: formatPercent(s.doneWithinDue / s.total),
        })}
      </p>
      <table>
        <caption className="visually-hidden">{t('summary.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('status.open')}</th>
            <th scope="col">{t('status.in_progress')}</th>
            <th scope="col">{t('status.done')}</th>
            <th scope="col">{t('summary.withinDue')}</th>
            <th scope="col">{t('summary.overdue')}</th>
            <th scope="col">{t('summary.median')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{formatNumber(s.open)}</td>
            <td>{formatNumber(s.inProgress)}</td>
            <td>{formatNumber(s.done)}</td>
            <td>{formatNumber(s.doneWithinDue)}</td>
            <td>{formatNumber(s.overdue)}</td>
            <td>{s.medianHoursToDone === null ? '—' : formatNumber(s.medianHoursToDone)}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
