import { useState } from 'react';
import { get } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import type { FollowUpSummary as Summary, Problem } from '../../types';

/** Issue 12: how a survey's unhappy answers were followed up (for the results tab). Nothing for shielded surveys. */
export function FollowUpSummary({ surveyId }: { surveyId: string }) {
  const [s, setS] = useState<Summary | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => setS(await get<Summary>(`/api/v1/surveys/${surveyId}/follow-ups/summary`)), setProblem, [
    surveyId,
  ]);
  if (problem) return <ProblemAlert problem={problem} />;
  if (!s || !s.applicable || s.total === 0) return null;
  const pct = s.done ? Math.round((100 * s.doneWithinDue) / s.total) : 0;
  return (
    <section className="card" aria-labelledby="fu-summary-heading">
      <h2 id="fu-summary-heading">Opvolging / Follow-ups</h2>
      <p>
        {s.doneWithinDue} van {s.total} binnen de termijn afgehandeld ({pct}%). / {s.doneWithinDue} of {s.total} done
        within the due time ({pct}%).
      </p>
      <table>
        <caption className="visually-hidden">Opvolging per status / Follow-ups by status</caption>
        <thead>
          <tr>
            <th scope="col">Open</th>
            <th scope="col">In behandeling / In progress</th>
            <th scope="col">Afgehandeld / Done</th>
            <th scope="col">Binnen termijn / Within due time</th>
            <th scope="col">Te laat / Overdue</th>
            <th scope="col">Mediaan uren tot afgehandeld / Median hours to done</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{s.open}</td>
            <td>{s.inProgress}</td>
            <td>{s.done}</td>
            <td>{s.doneWithinDue}</td>
            <td>{s.overdue}</td>
            <td>{s.medianHoursToDone === null ? '—' : s.medianHoursToDone.toLocaleString('nl-NL')}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
