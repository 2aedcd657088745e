/**
 * A distribution as horizontal bars that wrap on a narrow screen (no fixed-width chart), with the same
 * numbers in a table for screen readers (the bars themselves are hidden from them).
 */
export interface Bar {
  key: string;
  label: string;
  count: number;
  percent: number;
  tone?: 'good' | 'neutral' | 'bad';
}

export function Bars({ bars, caption, valueHeading = 'Antwoord · Answer' }: { bars: Bar[]; caption: string; valueHeading?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.percent));
  return (
    <>
      <ul className="bars" aria-hidden="true">
        {bars.map((b) => (
          <li key={b.key} className="bar-row">
            <span className="bar-label">{b.label}</span>
            <span className="bar-track">
              <span className={`bar-fill ${b.tone ? `bar-${b.tone}` : ''}`} style={{ width: `${(b.percent / max) * 100}%` }} />
            </span>
            <span className="bar-value">
              {b.percent}% <span className="muted">({b.count})</span>
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
              <th scope="col">{valueHeading}</th>
              <th scope="col">Aantal · Count</th>
              <th scope="col">Procent · Percent</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key}>
                <th scope="row">{b.label}</th>
                <td>{b.count}</td>
                <td>{b.percent}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
