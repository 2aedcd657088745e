import { useEffect, useState } from 'react';
import { get, toProblem } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, LANGUAGE_NAMES } from '../format';
import { Link } from '../router';
import { useCan } from '../session';
import type { Problem, Survey } from '../types';
import { SendTab } from './SurveySend';
import { ResultsTab } from './SurveyResults';
import { ANONYMITY_LABELS, SurveyEditor, TYPE_LABELS } from './SurveyEditor';

type Tab = 'send' | 'results' | 'questions';

export function SurveyDetailPage({ id, tab }: { id: string; tab: string | undefined }) {
  const can = useCan();
  const [survey, setSurvey] = useState<Survey | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useTitle(survey?.name ?? 'Survey');

  useEffect(() => {
    const ac = new AbortController();
    get<Survey>(`/api/v1/surveys/${encodeURIComponent(id)}`, ac.signal)
      .then(setSurvey)
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setProblem(toProblem(err));
      });
    return () => ac.abort();
  }, [id]);

  const tabs: Array<{ key: Tab; label: string; visible: boolean }> = [
    { key: 'send', label: 'Send', visible: can('invitations:send') || can('surveys:read') },
    { key: 'results', label: 'Results', visible: can('results:read') },
    { key: 'questions', label: 'Questions', visible: true },
  ];
  const visible = tabs.filter((t) => t.visible);
  const current: Tab = visible.some((t) => t.key === tab) ? (tab as Tab) : can('invitations:send') ? 'send' : can('results:read') ? 'results' : 'questions';
  const base = `/app/surveys/${encodeURIComponent(id)}`;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/app/surveys">← All surveys</Link>
      </p>
      <h1 tabIndex={-1}>{survey ? survey.name : problem ? 'Survey' : 'Loading survey…'}</h1>
      <ProblemAlert problem={problem} />
      {survey && (
        <>
          <p className="muted">
            <a href={`/s/preview/${survey.id}`} target="_blank" rel="noopener">
              Preview the respondent pages
            </a>
          </p>
          <p className="muted">
            {survey.kind.toUpperCase()} survey · {ANONYMITY_LABELS[survey.anonymity].split(':')[0]} · <span className={`status status-${survey.status}`}>{survey.status}</span> · default language {LANGUAGE_NAMES[survey.defaultLanguage]} · created{' '}
            {formatDateTime(survey.createdAt)}
          </p>
          <nav aria-label="Survey sections" className="tabs">
            <ul>
              {visible.map((t) => (
                <li key={t.key}>
                  <Link to={`${base}/${t.key}`} aria-current={current === t.key ? 'page' : undefined}>
                    {t.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="tab-panel">
            {current === 'send' && <SendTab survey={survey} />}
            {current === 'results' && <ResultsTab survey={survey} />}
            {current === 'questions' && (can('surveys:write') ? <SurveyEditor key={`${survey.id}-${survey.status}-${survey.responses}`} survey={survey} onSaved={setSurvey} /> : <QuestionsTab survey={survey} />)}
          </div>
        </>
      )}
    </>
  );
}

function QuestionsTab({ survey }: { survey: Survey }) {
  const d = survey.definition;
  const rows: Array<[string, { nl: string; en: string }]> = [
    ...d.questions.map((q, i): [string, { nl: string; en: string }] => [`${i + 1}. ${TYPE_LABELS[q.type]}${q.required ? '' : ' (optional)'}${q.showIf ? ` — only if ${q.showIf.question} ${q.showIf.op} ${JSON.stringify(q.showIf.value)}` : ''}`, q.text]),
    ['Invitation subject', d.invitation.subject],
    ['Invitation text', d.invitation.body],
    ['Thank-you text', d.thanks],
  ];
  return (
    <section aria-labelledby="questions-heading">
      <h2 id="questions-heading">Questions and texts</h2>
      <div className="table-wrap">
        <table className="texts">
          <thead>
            <tr>
              <th scope="col">Text</th>
              <th scope="col">Dutch</th>
              <th scope="col">English</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, t]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td lang="nl" className="pre">
                  {t.nl}
                </td>
                <td lang="en" className="pre">
                  {t.en}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
