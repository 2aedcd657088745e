import { useState } from 'react';
import { get } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../components/useLoad';
import { useTitle } from '../components/useTitle';
import type { BenchmarkPosition, BenchmarkView, Problem } from '../types';

/**
 * Issue 13 (OBLIGATIONS BEN-1): where the customer stands in its sector, per key type and closed
 * quarter: its own score, the sector's score with its 95% margin, quartiles and its percentile.
 * Suppressed cells say only that they are not published. Dutch first, English beside it.
 */
export function BenchmarkPage() {
  useTitle('Benchmark');
  const [data, setData] = useState<BenchmarkView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => {
    setData(await get<BenchmarkView>('/api/v1/benchmark'));
  }, setProblem);

  return (
    <>
      <h1>Sectorbenchmark / Sector benchmark</h1>
      <ProblemAlert problem={problem} />
      {data && (
        <>
          <p>
            {data.sector ? (
              <>
                Uw sector / Your sector: <strong>{data.sector.name.nl}</strong> / {data.sector.name.en}
              </>
            ) : (
              <>Uw organisatie is nog niet in een sector ingedeeld; dat doet de beheerder van Peil. / Your organisation has no sector yet; Peil&apos;s operator assigns one.</>
            )}
          </p>
          <p className="hint">
            Een cel wordt alleen gepubliceerd met minstens {data.rules.minCustomers} klanten en {data.rules.minRespondents} respondenten, als geen klant meer dan {data.rules.dominanceOnePercent}% en
            geen twee klanten samen meer dan {data.rules.dominanceTwoPercent}% van de respondenten hebben; kwartielen vanaf {data.rules.quartileMinCustomers} klanten. Alleen afgesloten kwartalen.
            Geen cel noemt een klant. / A cell is published only with at least {data.rules.minCustomers} customers and {data.rules.minRespondents} respondents, when no customer has more than{' '}
            {data.rules.dominanceOnePercent}% and no two customers together more than {data.rules.dominanceTwoPercent}% of the respondents; quartiles from {data.rules.quartileMinCustomers} customers on.
            Closed quarters only. No cell names a customer.
          </p>
          {data.positions.length === 0 ? (
            <p>Nog geen afgesloten kwartalen met cijfers. / No closed quarters with figures yet.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption>Uw positie per kwartaal en score / Your position per quarter and score</caption>
                <thead>
                  <tr>
                    <th scope="col">Kwartaal / Quarter</th>
                    <th scope="col">Score</th>
                    <th scope="col">Uw score / Your score</th>
                    <th scope="col">Sector (95% marge / margin)</th>
                    <th scope="col">Kwartielen / Quartiles</th>
                    <th scope="col">Percentiel / Percentile</th>
                    <th scope="col">Klanten · respondenten / Customers · respondents</th>
                  </tr>
                </thead>
                <tbody>
                  {data.positions.map((p) => (
                    <Row key={`${p.sector.code}-${p.kind}-${p.period}`} p={p} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}

const fmt = (p: BenchmarkPosition, v: number | null) => (v === null ? '–' : p.unit === 'percent' ? `${v}%` : String(v));

function Row({ p }: { p: BenchmarkPosition }) {
  const b = p.benchmark;
  return (
    <tr>
      <th scope="row">{p.period}</th>
      <td>
        {p.name.nl}
        {p.lowerIsBetter && <span className="hint"> (lager is beter / lower is better)</span>}
      </td>
      <td>
        {p.own ? (
          <>
            {fmt(p, p.own.value)}
            {p.own.margin !== null && <> ± {p.own.margin}</>} <span className="hint">(n = {p.own.n})</span>
          </>
        ) : p.ownHidden === 'shielded' ? (
          <span className="hint">niet getoond: bevat antwoorden van vertrouwelijke of anonieme enquêtes / not shown: includes answers of confidential or anonymous surveys</span>
        ) : (
          '–'
        )}
      </td>
      {b.published ? (
        <>
          <td>
            {fmt(p, b.value)}
            {b.margin !== null && <> ± {b.margin}</>}
          </td>
          <td>{b.quartiles ? `${fmt(p, b.quartiles.q1)} · ${fmt(p, b.quartiles.median)} · ${fmt(p, b.quartiles.q3)}` : <span className="hint">te weinig klanten / too few customers</span>}</td>
          <td>{b.percentile === null ? '–' : `${b.percentile}`}</td>
          <td>
            {b.customers} · {b.respondents}
          </td>
        </>
      ) : (
        <td colSpan={4}>
          {b.reason.nl} / {b.reason.en}
        </td>
      )}
    </tr>
  );
}
