import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get, put, toProblem } from '../api';
import { uiText } from '../surveyText';
import { useLoad } from '../components/useLoad';
import { useCan } from '../session';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatNumber } from '../format';
import { Link } from '../router';
import {
  SENTIMENTS,
  type Comment,
  type LabelResults,
  type LabelSetName,
  type Problem,
  type Sentiment,
  type SurveyLabelSet,
} from '../types';

const SENTIMENT = {
  positive: { color: '#1a7f37' },
  mixed: { color: '#9a6700' },
  neutral: { color: '#6b6f76' },
  negative: { color: '#b3261e' },
} as const satisfies Record<Sentiment, { color: string }>;

const ORDER: Sentiment[] = ['positive', 'mixed', 'neutral', 'negative'];

/** Label counts with their sentiment as stacked bars; the same numbers in the table beside them. */
export function LabelsOverview({ labelling, onPick }: { labelling: LabelResults; onPick: (id: string) => void }) {
  const { t } = useTranslation(['labelling', 'common']);
  const shown = labelling.labels.filter((l) => l.count > 0);
  if (!labelling.enabled && labelling.labelled === 0) {
    return (
      <section aria-labelledby="labels-heading" className="card">
        <h3 id="labels-heading">{t('overview.heading')}</h3>
        <p className="muted">
          <Trans t={t} i18nKey="overview.off" components={{ go: <Link to="/app/labelling" /> }} />
        </p>
      </section>
    );
  }
  const max = Math.max(1, ...shown.map((l) => l.count));
  return (
    <section aria-labelledby="labels-heading" className="card">
      <h3 id="labels-heading">{t('overview.heading')}</h3>
      <p className="muted small">
        {t('overview.labelled', {
          count: labelling.labelled,
          list: ORDER.map((s) => `${formatNumber(labelling.sentiment[s])} ${t(`sentiment.${s}`).toLowerCase()}`).join(
            ', ',
          ),
        })}
        {labelling.enabled ? '' : t('overview.switchedOff')}
      </p>
      {shown.length === 0 ? (
        <p className="muted">{t('overview.noneYet')}</p>
      ) : (
        <div className="table-wrap">
          <table className="label-table">
            <caption className="visually-hidden">{t('overview.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('overview.label')}</th>
                <th scope="col" className="num">
                  {t('overview.comments')}
                </th>
                {ORDER.map((s) => (
                  <th key={s} scope="col" className="num">
                    {t(`sentiment.${s}`)}
                  </th>
                ))}
                <th scope="col" aria-hidden="true">
                  <span className="visually-hidden">{t('overview.chart')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((l) => (
                <tr key={l.id}>
                  <th scope="row">
                    <button
                      type="button"
                      className="linklike"
                      onClick={() => onPick(l.id)}
                      aria-label={t('overview.showLabelled', { name: uiText(l.name) })}
                    >
                      {uiText(l.name)}
                    </button>
                    {l.retired && <span className="muted small">{t('overview.retired')}</span>}
                  </th>
                  <td className="num">{l.count}</td>
                  {ORDER.map((s) => (
                    <td key={s} className="num">
                      {l.sentiment[s]}
                    </td>
                  ))}
                  <td aria-hidden="true" className="bar-cell">
                    <svg width="160" height="14" viewBox="0 0 160 14">
                      {(() => {
                        let x = 0;
                        return ORDER.map((s) => {
                          const w = (l.sentiment[s] / max) * 160;
                          const rect =
                            w > 0 ? <rect key={s} x={x} y={1} width={w} height={12} fill={SENTIMENT[s].color} /> : null;
                          x += w;
                          return rect;
                        });
                      })()}
                    </svg>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function LabelFilter({
  labelling,
  value,
  onChange,
}: {
  labelling: LabelResults;
  value: string;
  onChange: (id: string) => void;
}) {
  const { t } = useTranslation(['labelling', 'common']);
  if (labelling.labels.length === 0) return null;
  return (
    <div className="inline-form">
      <label htmlFor="label-filter">{t('filter.label')}</label>
      <select id="label-filter" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('filter.all')}</option>
        {labelling.labels.map((l) => (
          <option key={l.id} value={l.id}>
            {uiText(l.name)}
            {l.retired ? t('overview.retired') : ''} ({formatNumber(l.count)})
          </option>
        ))}
      </select>
    </div>
  );
}

/** A comment's labels and sentiment, and (with labels:correct) a form to correct them. */
/** A comment's labels and sentiment, with a correction form; `questionId`: an open question other than the first. */
export function CommentLabels({
  comment,
  labelling,
  canCorrect,
  onChanged,
  questionId,
}: {
  comment: Comment;
  labelling: LabelResults;
  canCorrect: boolean;
  onChanged: () => Promise<void>;
  questionId?: string;
}) {
  const { t } = useTranslation(['labelling', 'common']);
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const names = new Map(labelling.labels.map((l) => [l.id, uiText(l.name)]));
  const active = labelling.labels.filter((l) => !l.retired);
  const labelled = comment.sentiment !== null || comment.labels.length > 0;
  if (!labelled && !canCorrect) return null;

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setProblem(null);
    try {
      await put(`/api/v1/responses/${comment.id}/labels`, {
        labels: f.getAll('label').map(String),
        sentiment: String(f.get('sentiment')),
        ...(questionId ? { questionId } : {}),
      });
      setEditing(false);
      await onChanged();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="comment-labels">
      {labelled && (
        <p className="comment-meta">
          {comment.sentiment && (
            <span className="sentiment-badge" style={{ borderColor: SENTIMENT[comment.sentiment].color }}>
              {t(`sentiment.${comment.sentiment}`)}
            </span>
          )}
          {comment.labels.map((id) => (
            <span key={id} className="label-chip">
              {names.get(id) ?? id}
            </span>
          ))}
          <span className="muted small">
            {comment.labelSource === 'human'
              ? t('comment.human')
              : comment.labelSource === 'external'
                ? t('comment.external')
                : t('comment.builtIn')}
          </span>
        </p>
      )}
      {canCorrect && active.length > 0 && !editing && (
        <button type="button" className="button-quiet" onClick={() => setEditing(true)}>
          {t('comment.correct')}
        </button>
      )}
      {editing && (
        <form onSubmit={(e) => void save(e)} aria-label={t('comment.form')}>
          <ProblemAlert problem={problem} />
          <fieldset>
            <legend>{t('comment.labels')}</legend>
            <ul className="checklist">
              {active.map((l) => (
                <li key={l.id}>
                  <label className="choice">
                    <input type="checkbox" name="label" value={l.id} defaultChecked={comment.labels.includes(l.id)} />{' '}
                    {uiText(l.name)}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <div className="field">
            <label htmlFor={`sentiment-${comment.id}`}>{t('comment.sentiment')}</label>
            <select id={`sentiment-${comment.id}`} name="sentiment" defaultValue={comment.sentiment ?? 'neutral'}>
              {SENTIMENTS.map((s) => (
                <option key={s} value={s}>
                  {t(`sentiment.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="actions-row">
            <button type="submit" disabled={busy}>
              {t('comment.save')}
            </button>
            <button type="button" className="button-quiet" onClick={() => setEditing(false)}>
              {t('common:actions.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

const SETS: LabelSetName[] = ['customer', 'employee', 'own'];

/**
 * Issue 12: the survey's label set, shown to everyone who sees results and changeable by an owner or
 * admin. Changing it labels the survey's comments again in the new set (in the background).
 */
export function SurveyLabelSetPicker({ surveyId, onChanged }: { surveyId: string; onChanged?: () => void }) {
  const { t } = useTranslation(['labelling', 'common']);
  const can = useCan();
  const [current, setCurrent] = useState<SurveyLabelSet | null>(null);
  const [choice, setChoice] = useState<string>('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saving, setSaving] = useState(false);
  useLoad(
    async () => {
      const s = await get<SurveyLabelSet>(`/api/v1/surveys/${surveyId}/label-set`);
      setCurrent(s);
      setChoice(s.chosen ? s.set : '');
    },
    setProblem,
    [surveyId],
  );
  if (!current) return problem ? <ProblemAlert problem={problem} /> : null;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setProblem(null);
    try {
      const s = await put<SurveyLabelSet>(`/api/v1/surveys/${surveyId}/label-set`, {
        set: choice === '' ? null : choice,
      });
      setCurrent(s);
      onChanged?.();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setSaving(false);
    }
  };
  const canChange = can('labels:manage');
  return (
    <form className="label-set" onSubmit={save} aria-labelledby={`label-set-${surveyId}`}>
      <p id={`label-set-${surveyId}`} className="small">
        <Trans
          t={t}
          i18nKey="set.current"
          values={{ name: t(`sets.${current.set}`) }}
          components={{ strong: <strong /> }}
        />
        {current.chosen ? '' : t('set.default')}
      </p>
      {canChange && (
        <>
          <label htmlFor={`label-set-choice-${surveyId}`}>{t('set.choose')}</label>{' '}
          <select id={`label-set-choice-${surveyId}`} value={choice} onChange={(e) => setChoice(e.target.value)}>
            <option value="">{t('set.defaultOption', { name: t(`sets.${current.default}`) })}</option>
            {SETS.map((s) => (
              <option key={s} value={s}>
                {t(`sets.${s}`)}
              </option>
            ))}
          </select>{' '}
          <button type="submit" disabled={saving}>
            {t('common:actions.save')}
          </button>
          <p className="muted small">{t('set.after')}</p>
        </>
      )}
      {problem && <ProblemAlert problem={problem} />}
    </form>
  );
}
