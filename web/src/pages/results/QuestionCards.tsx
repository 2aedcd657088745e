import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../format';
import { surveyText, uiText } from '../../surveyText';
import { useCan } from '../../session';
import type { Comment, Lang, QuestionResult, Results } from '../../types';
import { CommentLabels, LabelFilter } from '../ResultLabels';
import { Bars } from './Bars';
import { Folded } from './Folded';
import { formatValue } from './KeyScore';

const TONE: Record<string, 'good' | 'neutral' | 'bad'> = {
  promoter: 'good',
  satisfied: 'good',
  easy: 'good',
  passive: 'neutral',
  neutral: 'neutral',
  detractor: 'bad',
  dissatisfied: 'bad',
  difficult: 'bad',
};
const CATEGORIES = [
  'promoter',
  'passive',
  'detractor',
  'satisfied',
  'neutral',
  'dissatisfied',
  'easy',
  'difficult',
] as const;
const isCategory = (c: string): c is (typeof CATEGORIES)[number] => (CATEGORIES as readonly string[]).includes(c);

/** OBLIGATIONS SVC-4: one card per question, each type aggregated as itself. */
export function QuestionCards({
  r,
  label,
  onLabel,
  onChanged,
  lang,
}: {
  r: Results;
  label: string;
  onLabel: (id: string) => void;
  onChanged: () => Promise<void>;
  lang: Lang;
}) {
  const { t } = useTranslation(['results', 'common']);
  if (!r.questions.length) return null;
  const firstOpen = r.questions.find((q) => q.type === 'text')?.id;
  return (
    <section aria-labelledby="per-question-heading">
      <h3 id="per-question-heading">{t('q.heading')}</h3>
      {r.questions.map((q) => (
        <section
          key={q.id}
          className="card question-card"
          aria-labelledby={`q-${q.id}-heading`}
          data-testid={`question-${q.id}`}
        >
          <h4 id={`q-${q.id}-heading`}>{surveyText(q.text, lang)}</h4>
          <Summary q={q} r={r} />
          {!q.suppressed && <Body q={q} r={r} lang={lang} onChanged={onChanged} />}
          {q.id === firstOpen && <LabelledComments r={r} label={label} onLabel={onLabel} onChanged={onChanged} />}
        </section>
      ))}
    </section>
  );
}

function Summary({ q, r }: { q: QuestionResult; r: Results }) {
  const { t } = useTranslation(['results', 'common']);
  const parts: string[] = [];
  if (q.type === 'text')
    parts.push(
      q.comments
        ? q.comments.complete
          ? t('q.comments', { count: q.comments.count })
          : t('q.commentsMore', { count: formatNumber(q.comments.count) })
        : '',
    );
  else if (q.answered !== null) parts.push(t('q.answered', { count: formatNumber(q.answered) }));
  if (q.scale && q.scale.value !== null) {
    const s = q.scale;
    parts.push(
      `${uiText(s.name)}: ${formatValue(s, s.value)}${s.margin !== null ? ` ± ${formatNumber(s.margin)}` : ''}`,
    );
    if (s.unit !== 'mean' && s.mean !== null)
      parts.push(t('q.mean', { value: formatNumber(s.mean, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) }));
    if (s.kind === 'ces' && s.share) parts.push(t('q.easy', { percent: `${formatNumber(s.share.percent)}%` }));
  }
  return (
    <>
      <p className="muted">{parts.filter(Boolean).join(' · ')}</p>
      {q.suppressed && <p className="notice small">{t('q.suppressed', { min: r.minGroupSize })}</p>}
      {!q.suppressed && q.smallBase && (q.answered ?? 0) > 0 && (
        <p className="hint" data-testid="small-base-question">
          {t('q.smallBase', { min: r.smallBase })}
        </p>
      )}
    </>
  );
}

function Body({
  q,
  r,
  onChanged,
  lang,
}: {
  q: QuestionResult;
  r: Results;
  onChanged: () => Promise<void>;
  lang: Lang;
}) {
  const { t } = useTranslation(['results', 'common']);
  const can = useCan();
  const caption = t('q.answersTo', { text: surveyText(q.text, lang) });
  if (q.scale) {
    const s = q.scale;
    return (
      <Bars
        caption={caption}
        valueHeading={t('key.score')}
        bars={s.distribution.map((d) => {
          const g = s.groups.find((x) => {
            const [lo, hi] = x.range.split('–').map(Number);
            return d.value >= lo! && d.value <= (hi ?? lo)!;
          });
          return {
            key: String(d.value),
            label: String(d.value),
            count: d.count,
            percent: d.percent,
            ...(g ? { tone: TONE[g.category] } : {}),
          };
        })}
      />
    );
  }
  if (q.type === 'single' || q.type === 'multiple') {
    return (
      <>
        {q.type === 'multiple' && <p className="hint">{t('q.multipleHint')}</p>}
        <Bars
          caption={caption}
          bars={q.distribution.map((d) => ({
            key: String(d.value),
            label: d.label ? surveyText(d.label, lang) : String(d.value),
            count: d.count,
            percent: d.percent ?? 0,
          }))}
        />
      </>
    );
  }
  if (q.type === 'number' && q.number && q.number.n > 0) {
    const n = q.number;
    return (
      <>
        <dl className="number-stats">
          <div>
            <dt>{t('q.mean2')}</dt>
            <dd>
              {n.mean === null ? '—' : formatNumber(n.mean)}
              {n.margin !== null ? ` ± ${formatNumber(n.margin)}` : ''}
            </dd>
          </div>
          <div>
            <dt>{t('q.median')}</dt>
            <dd>{n.median === null ? '—' : formatNumber(n.median)}</dd>
          </div>
          {n.min !== null && (
            <div>
              <dt>{t('q.lowest')}</dt>
              <dd>{formatNumber(n.min)}</dd>
            </div>
          )}
          {n.max !== null && (
            <div>
              <dt>{t('q.highest')}</dt>
              <dd>{formatNumber(n.max)}</dd>
            </div>
          )}
        </dl>
        <Bars
          caption={caption}
          valueHeading={t('q.fromTo')}
          bars={n.bins.map((b) => ({
            key: `${b.from}`,
            label: `${formatNumber(b.from)}–${formatNumber(b.to)}`,
            count: b.count,
            percent: b.percent,
          }))}
        />
      </>
    );
  }
  if (q.type === 'date' && q.distribution.length) {
    return (
      <Bars
        caption={caption}
        valueHeading={t('q.month')}
        bars={q.distribution.map((d) => ({
          key: String(d.value),
          label: String(d.value),
          count: d.count,
          percent: d.percent ?? 0,
        }))}
      />
    );
  }
  if (q.type === 'text' && q.comments && q.id !== r.questions.find((x) => x.type === 'text')?.id) {
    if (!q.comments.items.length) return <p className="muted">{t('q.noComments')}</p>;
    const labelling = q.comments.labelling;
    const counted = labelling?.labels.filter((l) => l.count > 0) ?? [];
    return (
      <>
        {counted.length > 0 && (
          <p className="muted small" data-testid={`labels-${q.id}`}>
            {t('q.labels', { list: counted.map((l) => `${uiText(l.name)} (${formatNumber(l.count)})`).join(', ') })}
          </p>
        )}
        <ul className="comments">
          {q.comments.items.map((c) => (
            <li key={c.id} className="comment">
              <Folded text={c.comment} />
              {c.submittedAt && <p className="comment-meta">{formatDateTime(c.submittedAt)}</p>}
              {labelling?.enabled && (
                <CommentLabels
                  comment={{
                    id: c.id,
                    score: null,
                    category: null,
                    comment: c.comment,
                    submittedAt: c.submittedAt,
                    labels: c.labels ?? [],
                    sentiment: c.sentiment ?? null,
                    labelSource: c.labelSource ?? null,
                  }}
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
function LabelledComments({
  r,
  label,
  onLabel,
  onChanged,
}: {
  r: Results;
  label: string;
  onLabel: (id: string) => void;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation(['results', 'common']);
  const can = useCan();
  return (
    <>
      <LabelFilter labelling={r.labelling} value={label} onChange={onLabel} />
      {r.comments.length === 0 ? (
        <p className="muted">{label ? t('q.noneWithLabel') : t('q.noComments')}</p>
      ) : (
        <ul className="comments">
          {r.comments.map((c: Comment) => (
            <li key={c.id} className="comment">
              <Folded text={c.comment} />
              <p className="comment-meta">
                {c.score !== null && (
                  <span
                    className={`score-badge ${c.category && TONE[c.category] === 'good' ? 'cat-promoter' : c.category && TONE[c.category] === 'bad' ? 'cat-detractor' : ''}`}
                  >
                    {t('q.score', { score: c.score })}
                  </span>
                )}
                {c.category && <span>{isCategory(c.category) ? t(`category.${c.category}`) : c.category}</span>}
                {c.submittedAt && <span>{formatDateTime(c.submittedAt)}</span>}
              </p>
              <CommentLabels
                comment={c}
                labelling={r.labelling}
                canCorrect={can('labels:correct')}
                onChanged={onChanged}
              />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
