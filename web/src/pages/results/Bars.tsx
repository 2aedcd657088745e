/**
 * A distribution as horizontal bars that wrap on a narrow screen (no fixed-width chart), with the same
 * numbers in a table for screen readers (the bars themselves are hidden from them).
 */
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';

export interface Bar {
  key: string;
  label: string;
  count: number;
  percent: number;
  tone?: 'good' | 'neutral' | 'bad';
}

export function Bars({ bars, caption, valueHeading }: { bars: Bar[]; caption: string; valueHeading?: string }) {
  const { t } = useTranslation(['results', 'common']);
  const max = Math.max(1, ...bars.map((b) => b.percent));
  return (
    <>
      <ul className="bars" aria-hidden="true">
        {bars.map((b) => (
          <li key={b.key} className="bar-row">
            <span className="bar-label">{b.label}</span>
            <span className="bar-track">
              <span
                className={`bar-fill ${b.tone ? `bar-${b.tone}` : ''}`}
                style={{ width: `${(b.percent / max) * 100}%` }}
              />
            </span>
            <span className="bar-value">
              {formatNumber(b.percent)}% <span className="muted">({formatNumber(b.count)})</span>
            </span>
          </li>
        ))}
      </ul>
      {/* A table does not shrink to the 1 px of .visually-hidden: the wrapper clips it. */}
      <div className="visually-hidden">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{valueHeading ?? t('bars.answer')}</th>
              <th scope="col">{t('bars.count')}</th>
              <th scope="col">{t('bars.percent')}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key}>
                <th scope="row">{b.label}</th>
                <td>{formatNumber(b.count)}</td>
                <td>{formatNumber(b.percent)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
