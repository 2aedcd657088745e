import { useTranslation } from 'react-i18next';
import { formatDay, formatNumber } from '../../format';
import { uiText } from '../../surveyText';
import type { Results, TrendInterval, TrendPoint } from '../../types';
import { formatValue } from './KeyScore';

const INTERVALS: TrendInterval[] = ['day', 'week', 'month', 'quarter'];

function periodOf(p: TrendPoint, step: boolean): string {
  if (step) return p.from && p.from !== p.day ? `${formatDay(p.from)} – ${formatDay(p.day)}` : formatDay(p.day);
  return /^\d{4}-\d{2}-\d{2}$/.test(p.period) ? formatDay(p.period) : p.period;
}

function Change({ c, lowerIsBetter }: { c: TrendPoint['change']; lowerIsBetter: boolean }) {
  const { t } = useTranslation(['results', 'common']);
  if (!c) return <>—</>;
  const better = lowerIsBetter ? c.delta < 0 : c.delta > 0;
  const sign = c.delta > 0 ? '+' : '';
  return (
    <span className={c.significant ? (better ? 'change-up' : 'change-down') : 'muted'}>
      {sign}
      {formatNumber(c.delta)}
      {c.significant ? t('trend.significant') : t('trend.notSignificant')}
    </span>
  );
}

/** The key score over time (OBLIGATIONS SVC-4), per interval; per release step for shielded surveys. */
export function TrendPanel({
  r,
  interval,
  onInterval,
}: {
  r: Results;
  interval: TrendInterval;
  onInterval: (i: TrendInterval) => void;
}) {
  const { t } = useTranslation(['results', 'common']);
  const k = r.keyScore;
  const step = r.trendInterval === 'step';
  if (!k) return null;
  return (
    <section aria-labelledby="trend-heading" className="card">
      <h3 id="trend-heading">
        {t('trend.heading')} {step ? t('trend.perStep') : ''}
      </h3>
      {step ? (
        <p className="hint">{t('trend.stepHint', { min: r.minGroupSize })}</p>
      ) : (
        <p>
          <label htmlFor="trend-interval">{t('trend.by')}</label>
          <select id="trend-interval" value={interval} onChange={(e) => onInterval(e.target.value as TrendInterval)}>
            {INTERVALS.map((i) => (
              <option key={i} value={i}>
                {t(`trend.${i}`)}
              </option>
            ))}
          </select>
        </p>
      )}
      {r.comparison && (
        <p data-testid="trend-comparison" className={r.comparison.significant ? 'notice' : 'muted'}>
          {t('trend.comparison', {
            last: r.comparison.last,
            previous: r.comparison.previous,
            lastValue: formatValue(k, r.comparison.lastValue),
            previousValue: formatValue(k, r.comparison.previousValue),
            delta: `${r.comparison.delta > 0 ? '+' : ''}${formatNumber(r.comparison.delta)}`,
            verdict: r.comparison.significant ? t('trend.sig95') : t('trend.notSig'),
          })}
        </p>
      )}
      {r.trend.length === 0 ? (
        <p className="muted">{t('trend.noAnswers')}</p>
      ) : (
        // A region that may scroll sideways on a phone: focusable, so it scrolls by keyboard too.
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('trend.region', { name: uiText(k.name) })}>
          <table>
            <caption className="visually-hidden">
              {t('trend.caption', {
                name: uiText(k.name),
                interval: step ? t('trend.step') : t(`trend.${interval}`).toLowerCase(),
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('trend.period')}</th>
                <th scope="col" className="num">
                  n
                </th>
                <th scope="col" className="num">
                  {k.kind === 'enps'
                    ? 'eNPS'
                    : k.kind === 'nps'
                      ? 'NPS'
                      : k.kind === 'csat'
                        ? 'CSAT %'
                        : k.kind === 'ces'
                          ? 'CES'
                          : t('trend.mean')}
                </th>
                <th scope="col" className="num">
                  ± 95%
                </th>
                <th scope="col">{t('trend.change')}</th>
              </tr>
            </thead>
            <tbody>
              {r.trend.map((p) => (
                <tr key={`${p.period}${p.day}`}>
                  <th scope="row">
                    {periodOf(p, step)}
                    {!p.complete && <span className="muted">{t('trend.inProgress')}</span>}
                  </th>
                  <td className="num">{formatNumber(p.n)}</td>
                  <td className="num">{formatValue(k, p.value)}</td>
                  <td className="num">{p.margin === null ? '—' : formatNumber(p.margin)}</td>
                  <td>
                    <Change c={p.change} lowerIsBetter={k.lowerIsBetter} />
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
