import { useCallback, useEffect, useState } from 'react';
import { get, toProblem } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatDateTime, formatDay, plural } from '../format';
import { useCan } from '../session';
import type { Problem, Results, Survey } from '../types';
import { CommentLabels, LabelFilter, LabelsOverview } from './ResultLabels';
import { BreakdownPanel } from './results/Breakdown';
import { ExportLinks } from './results/Exports';

const CATEGORY = {
  detractor: { label: 'Detractors', range: '0–6', className: 'cat-detractor', color: '#b3261e' },
  passive: { label: 'Passives', range: '7–8', className: 'cat-passive', color: '#6b6f76' },
  promoter: { label: 'Promoters', range: '9–10', className: 'cat-promoter', color: '#1a7f37' },
} as const;

const categoryOf = (score: number) => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');

export function ResultsTab({ survey }: { survey: Survey }) {
  const [results, setResults] = useState<Results | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const [label, setLabel] = useState('');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const q = new URLSearchParams();
      if (label) q.set('label', label);
      setResults(await get<Results>(`/api/v1/surveys/${survey.id}/results${q.size ? `?${q}` : ''}`));
      setLoadedAt(new Date());
      setProblem(null);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setLoading(false);
    }
  }, [survey.id, label]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="results-heading">
      <div className="section-head">
        <h2 id="results-heading">Results</h2>
        <div className="actions-row">
          <button type="button" className="button-quiet" onClick={() => void load()} disabled={loading}>
            {loading ? 'Refreshing…' : 'Refresh results'}
          </button>
          <ExportLinks survey={survey} hidden={results?.hidden ?? false} />
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {loadedAt && !loading ? `Results updated at ${loadedAt.toLocaleTimeString('en-GB')}.` : ''}
      </p>
      <ProblemAlert problem={problem} />
      {results?.hidden && (
        <p className="notice">
          This survey is {survey.anonymity}: results are shown from {results.minGroupSize} responses on. There are {results.responses} so far.
        </p>
      )}
      {results && !results.hidden && results.released !== null && (
        <p className="notice" data-testid="release-notice">
          This survey is {survey.anonymity}: the numbers below cover the first {results.released.toLocaleString('en-GB')} of {results.responses.toLocaleString('en-GB')} responses, released in steps of at least {results.minGroupSize}, so that no number can be traced to one person. The next step comes at {results.nextRelease?.toLocaleString('en-GB')} responses.
        </p>
      )}
      {results && !results.hidden && <ResultsView r={results} label={label} onLabel={setLabel} onChanged={load} />}
      {results && !results.hidden && <QuestionResults r={results} />}
      {results && !results.hidden && <BreakdownPanel survey={survey} />}
    </section>
  );
}

function ResultsView({ r, label, onLabel, onChanged }: { r: Results; label: string; onLabel: (id: string) => void; onChanged: () => Promise<void> }) {
  const can = useCan();
  return (
    <>
      <div className="score-grid">
        <div className="card nps-card">
          <p className="nps-label" id="nps-label">
            Net Promoter Score
          </p>
          {r.nps === null ? (
            <p className="nps-empty">No answers yet</p>
          ) : (
            <p className="nps-value" data-testid="nps-score">
              {r.nps}
            </p>
          )}
          <p className="muted small">From −100 to 100: % promoters minus % detractors.</p>
        </div>
        {(['promoter', 'passive', 'detractor'] as const).map((k) => {
          const share = k === 'promoter' ? r.promoters : k === 'passive' ? r.passives : r.detractors;
          const c = CATEGORY[k];
          return (
            <div key={k} className={`card cat-card ${c.className}`}>
              <p className="cat-label">{c.label}</p>
              <p className="muted small">Scores {c.range}</p>
              <p className="cat-value">{share.percent}%</p>
              <p className="muted small">{plural(share.count, 'answer')}</p>
            </div>
          );
        })}
        <div className="card cat-card cat-rate">
          <p className="cat-label">Response rate</p>
          <p className="muted small">Of invited contacts</p>
          <p className="cat-value">{r.responseRate}%</p>
          <p className="muted small">
            {r.responses.toLocaleString('en-GB')} of {r.invited.toLocaleString('en-GB')} answered
          </p>
        </div>
      </div>

      <div className="two-col">
        <section aria-labelledby="dist-heading" className="card">
          <h3 id="dist-heading">Scores from 0 to 10</h3>
          <ScoreChart scores={r.scores} />
        </section>
        <section aria-labelledby="trend-heading" className="card">
          <h3 id="trend-heading">{r.released === null ? 'Trend per day' : 'Trend per release step'}</h3>
          {r.trend.length === 0 ? (
            <p className="muted">No answers yet.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{r.released === null ? 'Day' : 'Days'}</th>
                    <th scope="col" className="num">
                      Answers
                    </th>
                    <th scope="col" className="num">
                      NPS
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.trend.map((t) => (
                    <tr key={`${t.from ?? ''}${t.day}`}>
                      <th scope="row">{t.from && t.from !== t.day ? `${formatDay(t.from)} – ${formatDay(t.day)}` : formatDay(t.day)}</th>
                      <td className="num">{t.responses}</td>
                      <td className="num">{t.nps ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>

      <LabelsOverview labelling={r.labelling} onPick={onLabel} />

      <section aria-labelledby="comments-heading">
        <h3 id="comments-heading">Comments</h3>
        <LabelFilter labelling={r.labelling} value={label} onChange={onLabel} />
        {r.comments.length === 0 ? (
          <p className="muted">{label ? 'No comments with this label.' : 'No comments yet.'}</p>
        ) : (
          <ul className="comments">
            {r.comments.map((c) => {
              const cat = c.score === null ? null : CATEGORY[categoryOf(c.score)];
              return (
                <li key={c.id} className="card comment">
                  {/* Respondents' text is shown as text, never as HTML. */}
                  <p className="comment-text">{c.comment}</p>
                  <p className="comment-meta">
                    {c.score !== null && <span className={`score-badge ${cat?.className ?? ''}`}>Score {c.score}</span>}
                    {cat && <span>{cat.label.replace(/s$/, '').toLowerCase()}</span>}
                    {c.submittedAt && <span>{formatDateTime(c.submittedAt)}</span>}
                  </p>
                  <CommentLabels comment={c} labelling={r.labelling} canCorrect={can('labels:correct')} onChanged={onChanged} />
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}

/** Answers per score as bars, coloured by category; the same numbers are in a table for screen readers. */
function ScoreChart({ scores }: { scores: number[] }) {
  const max = Math.max(1, ...scores);
  const W = 440;
  const H = 200;
  const top = 20;
  const bottom = 28;
  const slot = W / 11;
  const barW = slot * 0.7;
  const chartH = H - top - bottom;
  const described = scores.map((n, s) => `${s}: ${n}`).join(', ');
  return (
    <>
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Number of answers per score. ${described}.`}>
        <line x1={0} x2={W} y1={H - bottom} y2={H - bottom} stroke="#8b949e" strokeWidth={1} />
        {scores.map((n, s) => {
          const h = (n / max) * chartH;
          const x = s * slot + (slot - barW) / 2;
          const y = H - bottom - h;
          const color = CATEGORY[categoryOf(s)].color;
          return (
            <g key={s}>
              {n > 0 && <rect x={x} y={y} width={barW} height={h} rx={3} fill={color} />}
              {n > 0 && (
                <text x={x + barW / 2} y={y - 5} textAnchor="middle" fontSize={12} fill="#1f2328">
                  {n}
                </text>
              )}
              <text x={x + barW / 2} y={H - bottom + 17} textAnchor="middle" fontSize={12} fill="#1f2328">
                {s}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>Number of answers per score</caption>
        <thead>
          <tr>
            <th scope="col">Score</th>
            <th scope="col">Answers</th>
          </tr>
        </thead>
        <tbody>
          {scores.map((n, s) => (
            <tr key={s}>
              <th scope="row">{s}</th>
              <td>{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** OBLIGATIONS SVC-4: results per question (distribution, mean, NPS, % satisfied). */
function QuestionResults({ r }: { r: Results }) {
  if (!r.questions.length) return null;
  return (
    <section aria-labelledby="per-question-heading">
      <h3 id="per-question-heading">Per question</h3>
      {r.questions.map((q) => (
        <div key={q.id} className="card">
          <h4>{q.text.en}</h4>
          <p className="muted">
            {q.answered === null
              ? q.type === 'text'
                ? 'Written answers are stored encrypted: the first open question is shown under Comments; every answer is in the download.'
                : 'Stored encrypted, so not counted here: every answer is in the download.'
              : `${q.answered} answered`}
            {q.suppressed ? ` · fewer than ${r.minGroupSize} answers, so the answers themselves are not shown` : ''}
            {q.mean !== null ? ` · mean ${q.mean}` : ''}
            {q.nps !== undefined && q.nps !== null ? ` · NPS ${q.nps}` : ''}
            {q.satisfiedPercent !== undefined && q.satisfiedPercent !== null ? ` · ${q.satisfiedPercent}% satisfied (4–5)` : ''}
          </p>
          {q.distribution.length > 0 && (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Answers to {q.text.en}</caption>
                <thead>
                  <tr>
                    <th scope="col">Answer</th>
                    <th scope="col">Count</th>
                  </tr>
                </thead>
                <tbody>
                  {q.distribution.map((d) => (
                    <tr key={String(d.value)}>
                      <th scope="row">{d.value}</th>
                      <td>{d.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ))}
    </section>
  );
}
