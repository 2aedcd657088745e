import { formatDateTime } from '../../format';
import { useCan } from '../../session';
import type { Comment, QuestionResult, Results } from '../../types';
import { CommentLabels, LabelFilter } from '../ResultLabels';
import { Bars } from './Bars';
import { Folded } from './Folded';
import { formatValue } from './KeyScore';

const TONE: Record<string, 'good' | 'neutral' | 'bad'> = { promoter: 'good', satisfied: 'good', easy: 'good', passive: 'neutral', neutral: 'neutral', detractor: 'bad', dissatisfied: 'bad', difficult: 'bad' };
const CATEGORY_NL: Record<string, string> = { promoter: 'promotor', passive: 'passief', detractor: 'criticus', satisfied: 'tevreden', neutral: 'neutraal', dissatisfied: 'ontevreden', easy: 'makkelijk', difficult: 'moeilijk' };

/** OBLIGATIONS SVC-4: one card per question, each type aggregated as itself. */
export function QuestionCards({ r, label, onLabel, onChanged }: { r: Results; label: string; onLabel: (id: string) => void; onChanged: () => Promise<void> }) {
  if (!r.questions.length) return null;
  const firstOpen = r.questions.find((q) => q.type === 'text')?.id;
  return (
    <section aria-labelledby="per-question-heading">
      <h3 id="per-question-heading">Per vraag · Per question</h3>
      {r.questions.map((q) => (
        <section key={q.id} className="card question-card" aria-labelledby={`q-${q.id}-heading`} data-testid={`question-${q.id}`}>
          <h4 id={`q-${q.id}-heading`}>
            {q.text.nl} {q.text.en !== q.text.nl && <span className="muted">· {q.text.en}</span>}
          </h4>
          <Summary q={q} r={r} />
          {!q.suppressed && <Body q={q} r={r} onChanged={onChanged} />}
          {q.id === firstOpen && <LabelledComments r={r} label={label} onLabel={onLabel} onChanged={onChanged} />}
        </section>
      ))}
    </section>
  );
}

function Summary({ q, r }: { q: QuestionResult; r: Results }) {
  const parts: string[] = [];
  if (q.type === 'text') parts.push(q.comments ? `${q.comments.count}${q.comments.complete ? '' : '+'} ${q.comments.count === 1 ? 'opmerking · comment' : 'opmerkingen · comments'}` : '');
  else if (q.answered !== null) parts.push(`${q.answered} beantwoord · answered`);
  if (q.scale && q.scale.value !== null) {
    const s = q.scale;
    parts.push(`${s.name.nl}: ${formatValue(s, s.value)}${s.margin !== null ? ` ± ${s.margin}` : ''}`);
    if (s.unit !== 'mean' && s.mean !== null) parts.push(`gemiddelde · mean ${s.mean.toFixed(2)}`);
    if (s.kind === 'ces' && s.share) parts.push(`${s.share.percent}% makkelijk · easy`);
  }
  return (
    <>
      <p className="muted">{parts.filter(Boolean).join(' · ')}</p>
      {q.suppressed && (
        <p className="notice small">
          Minder dan {r.minGroupSize} antwoorden, dus alleen het aantal · Fewer than {r.minGroupSize} answers, so only the count is shown.
        </p>
      )}
      {!q.suppressed && q.smallBase && (q.answered ?? 0) > 0 && (
        <p className="hint" data-testid="small-base-question">
          Kleine basis (minder dan {r.smallBase}) · Small base (fewer than {r.smallBase})
        </p>
      )}
    </>
  );
}

function Body({ q, r, onChanged }: { q: QuestionResult; r: Results; onChanged: () => Promise<void> }) {
  const can = useCan();
  const caption = `Antwoorden op · Answers to: ${q.text.en}`;
  if (q.scale) {
    const s = q.scale;
    return (
      <Bars
        caption={caption}
        valueHeading="Score"
        bars={s.distribution.map((d) => {
          const g = s.groups.find((x) => {
            const [lo, hi] = x.range.split('–').map(Number);
            return d.value >= lo! && d.value <= (hi ?? lo)!;
          });
          return { key: String(d.value), label: String(d.value), count: d.count, percent: d.percent, ...(g ? { tone: TONE[g.category] } : {}) };
        })}
      />
    );
  }
  if (q.type === 'single' || q.type === 'multiple') {
    return (
      <>
        {q.type === 'multiple' && <p className="hint">Procent van de respondenten; meer antwoorden per persoon mogelijk · Percent of respondents; more than one answer each.</p>}
        <Bars caption={caption} bars={q.distribution.map((d) => ({ key: String(d.value), label: d.label ? (d.label.nl === d.label.en ? d.label.nl : `${d.label.nl} · ${d.label.en}`) : String(d.value), count: d.count, percent: d.percent ?? 0 }))} />
      </>
    );
  }
  if (q.type === 'number' && q.number && q.number.n > 0) {
    const n = q.number;
    return (
      <>
        <dl className="number-stats">
          <div>
            <dt>Gemiddelde · Mean</dt>
            <dd>
              {n.mean}
              {n.margin !== null ? ` ± ${n.margin}` : ''}
            </dd>
          </div>
          <div>
            <dt>Mediaan · Median</dt>
            <dd>{n.median ?? '—'}</dd>
          </div>
          {n.min !== null && (
            <div>
              <dt>Laagste · Lowest</dt>
              <dd>{n.min}</dd>
            </div>
          )}
          {n.max !== null && (
            <div>
              <dt>Hoogste · Highest</dt>
              <dd>{n.max}</dd>
            </div>
          )}
        </dl>
        <Bars caption={caption} valueHeading="Van–tot · From–to" bars={n.bins.map((b) => ({ key: `${b.from}`, label: `${b.from}–${b.to}`, count: b.count, percent: b.percent }))} />
      </>
    );
  }
  if (q.type === 'date' && q.distribution.length) {
    return <Bars caption={caption} valueHeading="Maand · Month" bars={q.distribution.map((d) => ({ key: String(d.value), label: String(d.value), count: d.count, percent: d.percent ?? 0 }))} />;
  }
  if (q.type === 'text' && q.comments && q.id !== r.questions.find((x) => x.type === 'text')?.id) {
    if (!q.comments.items.length) return <p className="muted">Nog geen opmerkingen · No comments yet.</p>;
    const labelling = q.comments.labelling;
    const counted = labelling?.labels.filter((l) => l.count > 0) ?? [];
    return (
      <>
        {counted.length > 0 && (
          <p className="muted small" data-testid={`labels-${q.id}`}>
            Labels: {counted.map((l) => `${l.name.nl} (${l.count})`).join(', ')}
          </p>
        )}
        <ul className="comments">
          {q.comments.items.map((c) => (
            <li key={c.id} className="comment">
              <Folded text={c.comment} />
              {c.submittedAt && <p className="comment-meta">{formatDateTime(c.submittedAt)}</p>}
              {labelling?.enabled && (
                <CommentLabels
                  comment={{ id: c.id, score: null, category: null, comment: c.comment, submittedAt: c.submittedAt, labels: c.labels ?? [], sentiment: c.sentiment ?? null, labelSource: c.labelSource ?? null }}
                  labelling={labelling}
                  questionId={q.id}
                  canCorrect={can('labels:correct')}
                  onChanged={onChanged}
                />
              )}
            </li>
          ))}
        </ul>
      </>
    );
  }
  return null;
}

/** The first open question: its comments with labels and the label filter (ResultLabels). */
function LabelledComments({ r, label, onLabel, onChanged }: { r: Results; label: string; onLabel: (id: string) => void; onChanged: () => Promise<void> }) {
  const can = useCan();
  return (
    <>
      <LabelFilter labelling={r.labelling} value={label} onChange={onLabel} />
      {r.comments.length === 0 ? (
        <p className="muted">{label ? 'Geen opmerkingen met dit label · No comments with this label.' : 'Nog geen opmerkingen · No comments yet.'}</p>
      ) : (
        <ul className="comments">
          {r.comments.map((c: Comment) => (
            <li key={c.id} className="comment">
              <Folded text={c.comment} />
              <p className="comment-meta">
                {c.score !== null && <span className={`score-badge ${c.category && TONE[c.category] === 'good' ? 'cat-promoter' : c.category && TONE[c.category] === 'bad' ? 'cat-detractor' : ''}`}>Score {c.score}</span>}
                {c.category && (
                  <span>
                    {CATEGORY_NL[c.category] ?? c.category} · {c.category}
                  </span>
                )}
                {c.submittedAt && <span>{formatDateTime(c.submittedAt)}</span>}
              </p>
              <CommentLabels comment={c} labelling={r.labelling} canCorrect={can('labels:correct')} onChanged={onChanged} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
