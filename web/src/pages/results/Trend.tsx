import { formatDay } from '../../format';
import type { Results, TrendInterval, TrendPoint } from '../../types';
import { formatValue } from './KeyScore';

const INTERVALS: Array<{ value: TrendInterval; label: string }> = [
  { value: 'day', label: 'Dag · Day' },
  { value: 'week', label: 'Week (ma–zo) · Week (Mon–Sun)' },
  { value: 'month', label: 'Maand · Month' },
  { value: 'quarter', label: 'Kwartaal · Quarter' },
];

function periodOf(p: TrendPoint, step: boolean): string {
  if (step) return p.from && p.from !== p.day ? `${formatDay(p.from)} – ${formatDay(p.day)}` : formatDay(p.day);
  return /^\d{4}-\d{2}-\d{2}$/.test(p.period) ? formatDay(p.period) : p.period;
}

function Change({ c, lowerIsBetter }: { c: TrendPoint['change']; lowerIsBetter: boolean }) {
  if (!c) return <>—</>;
  const better = lowerIsBetter ? c.delta < 0 : c.delta > 0;
  const sign = c.delta > 0 ? '+' : '';
  return (
    <span className={c.significant ? (better ? 'change-up' : 'change-down') : 'muted'}>
      {sign}
      {c.delta}
      {c.significant ? ' ● significant' : ' (niet significant · not significant)'}
    </span>
  );
}

/** The key score over time (OBLIGATIONS SVC-4), per interval; per release step for shielded surveys. */
export function TrendPanel({ r, interval, onInterval }: { r: Results; interval: TrendInterval; onInterval: (i: TrendInterval) => void }) {
  const k = r.keyScore;
  const step = r.trendInterval === 'step';
  if (!k) return null;
  return (
    <section aria-labelledby="trend-heading" className="card">
      <h3 id="trend-heading">Trend · Trend {step ? '(per vrijgavestap · per release step)' : ''}</h3>
      {step ? (
        <p className="hint">Bij een vertrouwelijke of anonieme enquête is elk punt een vrijgavestap van minstens {r.minGroupSize} antwoorden · In a confidential or anonymous survey each point is a release step of at least {r.minGroupSize} answers.</p>
      ) : (
        <p>
          <label htmlFor="trend-interval">Per · By </label>
          <select id="trend-interval" value={interval} onChange={(e) => onInterval(e.target.value as TrendInterval)}>
            {INTERVALS.map((i) => (
              <option key={i.value} value={i.value}>
                {i.label}
              </option>
            ))}
          </select>
        </p>
      )}
      {r.comparison && (
        <p data-testid="trend-comparison" className={r.comparison.significant ? 'notice' : 'muted'}>
          {r.comparison.last} t.o.v. · vs {r.comparison.previous}: {formatValue(k, r.comparison.lastValue)} vs {formatValue(k, r.comparison.previousValue)} ({r.comparison.delta > 0 ? '+' : ''}
          {r.comparison.delta}) — {r.comparison.significant ? 'significant (95%)' : 'niet significant · not significant'}
        </p>
      )}
      {r.trend.length === 0 ? (
        <p className="muted">Nog geen antwoorden · No answers yet.</p>
      ) : (
        // A region that may scroll sideways on a phone: focusable, so it scrolls by keyboard too.
        <div className="table-wrap" tabIndex={0} role="region" aria-label={`Trend (${k.name.en})`}>
          <table>
            <caption className="visually-hidden">
              {k.name.en} per {step ? 'release step' : interval}
            </caption>
            <thead>
              <tr>
                <th scope="col">Periode · Period</th>
                <th scope="col" className="num">
                  n
                </th>
                <th scope="col" className="num">
                  {k.kind === 'enps' ? 'eNPS' : k.kind === 'nps' ? 'NPS' : k.kind === 'csat' ? 'CSAT %' : k.kind === 'ces' ? 'CES' : 'Gem. · Mean'}
                </th>
                <th scope="col" className="num">
                  ± 95%
                </th>
                <th scope="col">Verandering · Change</th>
              </tr>
            </thead>
            <tbody>
              {r.trend.map((p) => (
                <tr key={`${p.period}${p.day}`}>
                  <th scope="row">
                    {periodOf(p, step)}
                    {!p.complete && <span className="muted"> (loopt nog · in progress)</span>}
                  </th>
                  <td className="num">{p.n}</td>
                  <td className="num">{formatValue(k, p.value)}</td>
                  <td className="num">{p.margin ?? '—'}</td>
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
