import type { KeyScore, Results } from '../../types';
import { Bars } from './Bars';

const TONE: Record<string, 'good' | 'neutral' | 'bad'> = { promoter: 'good', satisfied: 'good', easy: 'good', passive: 'neutral', neutral: 'neutral', detractor: 'bad', dissatisfied: 'bad', difficult: 'bad' };

/** The headline number of a key score in its own unit. */
export function formatValue(k: Pick<KeyScore, 'unit'>, v: number | null): string {
  if (v === null) return '—';
  return k.unit === 'percent' ? `${v}%` : k.unit === 'mean' ? v.toFixed(2) : String(v);
}

function explanation(k: KeyScore): string {
  switch (k.kind) {
    case 'nps':
    case 'enps':
      return 'Van −100 tot 100: % promotors min % critici · From −100 to 100: % promoters minus % detractors.';
    case 'csat':
      return 'Aandeel tevreden (4–5 op 1–5) · Share satisfied (4–5 on 1–5).';
    case 'ces':
      return 'Gemiddelde moeite, 1 = heel weinig … 7 = heel veel; lager is beter · Mean effort, 1 = very little … 7 = a lot; lower is better.';
    default:
      return 'Gemiddelde · Mean.';
  }
}

/** OBLIGATIONS SVC-4: the key score named as itself, with its 95% margin, its groups and the response rate. */
export function KeyScoreCards({ r }: { r: Results }) {
  const k = r.keyScore;
  return (
    <>
      <div className="score-grid">
        {k && (
          <div className="card nps-card" data-testid="key-score">
            <p className="nps-label" id="key-score-label">
              {k.name.nl} <span className="muted">· {k.name.en}</span>
            </p>
            {k.value === null ? (
              <p className="nps-empty">Nog geen antwoorden · No answers yet</p>
            ) : (
              <p className="nps-value" data-testid="key-score-value" aria-describedby="key-score-label">
                {formatValue(k, k.value)}
              </p>
            )}
            {k.value !== null && k.interval && (
              <p className="small" data-testid="key-score-margin">
                ± {k.margin} <span className="muted">(95%: {formatValue(k, k.interval.low)} – {formatValue(k, k.interval.high)}; n = {k.n})</span>
              </p>
            )}
            {k.unit === 'percent' && k.mean !== null && <p className="small">Gemiddelde · Mean {k.mean.toFixed(2)}</p>}
            {k.kind === 'ces' && k.share && (
              <p className="small">
                Makkelijk · Easy (1–3): {k.share.percent}%{k.share.interval ? ` (95%: ${k.share.interval.low}–${k.share.interval.high}%)` : ''}
              </p>
            )}
            <p className="muted small">{explanation(k)}</p>
            {k.smallBase && k.n > 0 && (
              <p className="notice small" data-testid="small-base">
                Kleine basis: {k.n} antwoorden (minder dan {r.smallBase}), dus een brede marge · Small base: {k.n} answers (fewer than {r.smallBase}), so a wide margin.
              </p>
            )}
          </div>
        )}
        {k?.groups.map((g) => (
          <div key={g.category} className={`card cat-card cat-${TONE[g.category] === 'good' ? 'promoter' : TONE[g.category] === 'bad' ? 'detractor' : 'passive'}`}>
            <p className="cat-label">
              {g.name.nl} <span className="muted">· {g.name.en}</span>
            </p>
            <p className="muted small">Scores {g.range}</p>
            <p className="cat-value">{g.percent}%</p>
            <p className="muted small">
              {g.count} {g.count === 1 ? 'antwoord · answer' : 'antwoorden · answers'}
            </p>
          </div>
        ))}
        <div className="card cat-card cat-rate">
          <p className="cat-label">Respons · Response rate</p>
          <p className="muted small">Van de uitgenodigde contacten · Of invited contacts</p>
          <p className="cat-value">{r.responseRate}%</p>
          <p className="muted small">
            {r.responses.toLocaleString('nl-NL')} van {r.invited.toLocaleString('nl-NL')} · {r.responses.toLocaleString('en-GB')} of {r.invited.toLocaleString('en-GB')} answered
          </p>
        </div>
      </div>
      {k && k.n > 0 && (
        <section aria-labelledby="dist-heading" className="card">
          <h3 id="dist-heading">
            Verdeling · Distribution <span className="muted">({k.name.en})</span>
          </h3>
          <Bars
            caption={`Antwoorden per score · Answers per score (${k.name.en})`}
            valueHeading="Score"
            bars={k.distribution.map((d) => {
              const g = k.groups.find((x) => {
                const [lo, hi] = x.range.split('–').map(Number);
                return d.value >= lo! && d.value <= (hi ?? lo)!;
              });
              return { key: String(d.value), label: String(d.value), count: d.count, percent: d.percent, ...(g ? { tone: TONE[g.category] } : {}) };
            })}
          />
        </section>
      )}
    </>
  );
}
