import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import { i18n } from '../../i18n';
import { uiText } from '../../surveyText';
import type { KeyScore, Results } from '../../types';
import { Bars } from './Bars';

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

/** The headline number of a key score in its own unit. */
export function formatValue(k: Pick<KeyScore, 'unit'>, v: number | null): string {
  if (v === null) return '—';
  return k.unit === 'percent'
    ? `${formatNumber(v)}%`
    : k.unit === 'mean'
      ? formatNumber(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      : formatNumber(v);
}

function explanation(k: KeyScore): string {
  switch (k.kind) {
    case 'nps':
    case 'enps':
      return i18n.t('results:key.npsExplain');
    case 'csat':
      return i18n.t('results:key.csatExplain');
    case 'ces':
      return i18n.t('results:key.cesExplain');
    default:
      return i18n.t('results:key.meanExplain');
  }
}

/** OBLIGATIONS SVC-4: the key score named as itself, with its 95% margin, its groups and the response rate. */
export function KeyScoreCards({ r }: { r: Results }) {
  const { t } = useTranslation(['results', 'common']);
  const k = r.keyScore;
  const mean = (v: number) => formatNumber(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return (
    <>
      <div className="score-grid">
        {k && (
          <div className="card nps-card" data-testid="key-score">
            <p className="nps-label" id="key-score-label">
              {uiText(k.name)}
            </p>
            {k.value === null ? (
              <p className="nps-empty">{t('key.noAnswers')}</p>
            ) : (
              <p className="nps-value" data-testid="key-score-value" aria-describedby="key-score-label">
                {formatValue(k, k.value)}
              </p>
            )}
            {k.value !== null && k.interval && (
              <p className="small" data-testid="key-score-margin">
                ± {k.margin === null ? '—' : formatNumber(k.margin)}{' '}
                <span className="muted">
                  (95%: {formatValue(k, k.interval.low)} – {formatValue(k, k.interval.high)}; n = {formatNumber(k.n)})
                </span>
              </p>
            )}
            {k.unit === 'percent' && k.mean !== null && (
              <p className="small">{t('key.mean', { value: mean(k.mean) })}</p>
            )}
            {k.kind === 'ces' && k.share && (
              <p className="small">
                {t('key.easy', { percent: `${formatNumber(k.share.percent)}%` })}
                {k.share.interval
                  ? ` (95%: ${formatNumber(k.share.interval.low)}–${formatNumber(k.share.interval.high)}%)`
                  : ''}
              </p>
            )}
            <p className="muted small">{explanation(k)}</p>
            {k.smallBase && k.n > 0 && (
              <p className="notice small" data-testid="small-base">
                {t('key.smallBase', { count: k.n, min: r.smallBase })}
              </p>
            )}
          </div>
        )}
        {k?.groups.map((g) => (
          <div
            key={g.category}
            className={`card cat-card cat-${TONE[g.category] === 'good' ? 'promoter' : TONE[g.category] === 'bad' ? 'detractor' : 'passive'}`}
          >
            <p className="cat-label">{uiText(g.name)}</p>
            <p className="muted small">{t('key.scores', { range: g.range })}</p>
            <p className="cat-value">{formatNumber(g.percent)}%</p>
            <p className="muted small">{t('key.answers', { count: g.count })}</p>
          </div>
        ))}
        <div className="card cat-card cat-rate">
          <p className="cat-label">{t('key.rate')}</p>
          <p className="muted small">{t('key.rateOf')}</p>
          <p className="cat-value">{formatNumber(r.responseRate)}%</p>
          <p className="muted small">
            {t('key.answered', { count: formatNumber(r.responses), invited: formatNumber(r.invited) })}
          </p>
        </div>
      </div>
      {k && k.n > 0 && (
        <section aria-labelledby="dist-heading" className="card">
          <h3 id="dist-heading">
            {t('key.distribution')} <span className="muted">({uiText(k.name)})</span>
          </h3>
          <Bars
            caption={t('key.perScore', { name: uiText(k.name) })}
            valueHeading={t('key.score')}
            bars={k.distribution.map((d) => {
              const g = k.groups.find((x) => {
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
        </section>
      )}
    </>
  );
}
