import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, get, post, toProblem } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, languageName } from '../format';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import type { Problem, Survey } from '../types';
import { SendTab } from './SurveySend';
import { ResultsTab } from './SurveyResults';
import { SurveyEditor } from './SurveyEditor';
import { useStatusLabel } from './Surveys';

type Tab = 'send' | 'results' | 'questions';

export function SurveyDetailPage({ id, tab }: { id: string; tab: string | undefined }) {
  const { t } = useTranslation('surveys');
  const can = useCan();
  const statusLabel = useStatusLabel();
  const [survey, setSurvey] = useState<Survey | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // What the editor last told the user (kept here: a new status remounts the editor).
  const [notice, setNotice] = useState<string | null>(null);
  useTitle(survey?.name ?? t('detail.survey'));

  useEffect(() => {
    const ac = new AbortController();
    get<Survey>(`/api/v1/surveys/${encodeURIComponent(id)}`, ac.signal)
      .then(setSurvey)
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setProblem(toProblem(err));
      });
    return () => ac.abort();
  }, [id]);

  const tabs: Array<{ key: Tab; visible: boolean }> = [
    { key: 'send', visible: can('invitations:send') || can('surveys:read') },
    { key: 'results', visible: can('results:read') },
    { key: 'questions', visible: true },
  ];
  const visible = tabs.filter((x) => x.visible);
  const current: Tab = visible.some((x) => x.key === tab)
    ? (tab as Tab)
    : can('invitations:send')
      ? 'send'
      : can('results:read')
        ? 'results'
        : 'questions';
  const base = `/app/surveys/${encodeURIComponent(id)}`;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/app/surveys">{t('detail.allSurveys')}</Link>
      </p>
      <h1 tabIndex={-1}>{survey ? survey.name : problem ? t('detail.survey') : t('detail.loading')}</h1>
      <ProblemAlert problem={problem} />
      {survey && (
        <>
          <p className="muted">
            <a href={`/s/preview/${survey.id}`} target="_blank" rel="noopener">
              {t('detail.preview')}
            </a>
          </p>
          <p className="muted">
            <Trans
              t={t}
              i18nKey="detail.summary"
              values={{
                kind: t(`detail.kindSurvey.${survey.kind}`),
                anonymity: t(`anonymity.short.${survey.anonymity}`),
                status: statusLabel(survey.status),
                language: languageName(survey.defaultLanguage),
                created: formatDateTime(survey.createdAt),
              }}
              components={{ status: <span className={`status status-${survey.status}`} /> }}
            />
          </p>
          {survey.archivedAt && (
            <p className="notice">{t('detail.archivedSince', { date: formatDateTime(survey.archivedAt) })}</p>
          )}
          {can('surveys:write') && (
            <SurveyActions
              survey={survey}
              onChanged={(s) => {
                setNotice(null);
                setSurvey(s);
              }}
            />
          )}
          <nav aria-label={t('detail.sections')} className="tabs">
            <ul>
              {visible.map((x) => (
                <li key={x.key}>
                  <Link to={`${base}/${x.key}`} aria-current={current === x.key ? 'page' : undefined}>
                    {t(`detail.tabs.${x.key}`)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="tab-panel">
            {current === 'send' && <SendTab survey={survey} />}
            {current === 'results' && <ResultsTab survey={survey} />}
            {current === 'questions' &&
              (can('surveys:write') ? (
                <SurveyEditor
                  key={`${survey.id}-${survey.status}-${survey.responses}`}
                  survey={survey}
                  notice={notice}
                  onSaved={(s, message) => {
                    setNotice(message);
                    setSurvey(s);
                  }}
                />
              ) : (
                <QuestionsTab survey={survey} />
              ))}
          </div>
        </>
      )}
    </>
  );
}

/** Issue 14: duplicate, archive (or restore) and delete, each in the log; deleting asks first. */
function SurveyActions({ survey, onChanged }: { survey: Survey; onChanged: (s: Survey) => void }) {
  const { t } = useTranslation('surveys');
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [invitations, setInvitations] = useState<number | null>(null);

  async function run(what: string, action: () => Promise<void>) {
    setBusy(what);
    setProblem(null);
    try {
      await action();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(null);
    }
  }
  const duplicate = () =>
    run('duplicate', async () => {
      const copy = await post<Survey>(`/api/v1/surveys/${survey.id}/duplicate`, {
        name: t('actions.copyName', { name: survey.name }).slice(0, 200),
      });
      navigate(`/app/surveys/${copy.id}/questions`);
    });
  const archive = () =>
    run('archive', async () =>
      onChanged(await post<Survey>(`/api/v1/surveys/${survey.id}/${survey.archivedAt ? 'unarchive' : 'archive'}`)),
    );
  const askDelete = () => {
    setConfirming(true);
    get<{ distributions: Array<{ counts: { total: number } }> }>(`/api/v1/surveys/${survey.id}/distributions`)
      .then((r) => setInvitations(r.distributions.reduce((n, d) => n + d.counts.total, 0)))
      .catch(() => setInvitations(null));
  };
  const remove = () =>
    run('delete', async () => {
      await api('DELETE', `/api/v1/surveys/${survey.id}`);
      setConfirming(false);
      navigate('/app/surveys');
    });

  return (
    <section aria-label={t('actions.label')}>
      <ProblemAlert problem={problem} heading={t('actions.failed')} />
      <div className="actions-row">
        <button type="button" className="button-quiet" disabled={busy !== null} onClick={() => void duplicate()}>
          {busy === 'duplicate' ? t('actions.duplicating') : t('actions.duplicate')}
        </button>
        <button type="button" className="button-quiet" disabled={busy !== null} onClick={() => void archive()}>
          {survey.archivedAt ? t('actions.unarchive') : t('actions.archive')}
        </button>
        {survey.responses === 0 && (
          <button type="button" className="button-quiet" disabled={busy !== null} onClick={askDelete}>
            {t('actions.delete')}
          </button>
        )}
      </div>
      {survey.responses > 0 && <p className="hint">{t('actions.cannotDelete')}</p>}
      <ConfirmDialog
        open={confirming}
        title={t('actions.deleteTitle', { name: survey.name })}
        confirmLabel={t('actions.deleteConfirm')}
        busy={busy === 'delete'}
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>{invitations ? t('actions.deleteBody', { invitations }) : t('actions.deleteNoInvitations')}</p>
      </ConfirmDialog>
    </section>
  );
}

function QuestionsTab({ survey }: { survey: Survey }) {
  const { t } = useTranslation('surveys');
  const d = survey.definition;
  const rows: Array<[string, { nl: string; en: string }]> = [
    ...d.questions.map((q, i): [string, { nl: string; en: string }] => [
      `${i + 1}. ${t(`questions.types.${q.type}`)}${q.required ? '' : t('questions.optional')}${q.showIf ? t('questions.onlyIf', { question: q.showIf.question, op: q.showIf.op, value: JSON.stringify(q.showIf.value) }) : ''}`,
      q.text,
    ]),
    [t('questions.invitationSubject'), d.invitation.subject],
    [t('questions.invitationText'), d.invitation.body],
    [t('questions.thanks'), d.thanks],
  ];
  return (
    <section aria-labelledby="questions-heading">
      <h2 id="questions-heading">{t('questions.heading')}</h2>
      <div className="table-wrap">
        <table className="texts">
          <thead>
            <tr>
              <th scope="col">{t('questions.text')}</th>
              <th scope="col">{t('questions.dutch')}</th>
              <th scope="col">{t('questions.english')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, x]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td lang="nl" className="pre">
                  {x.nl}
                </td>
                <td lang="en" className="pre">
                  {x.en}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
