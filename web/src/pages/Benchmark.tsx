import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get } from '../api';
import { formatNumber } from '../format';
import { uiText } from '../surveyText';
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
  const { t } = useTranslation(['benchmark', 'common']);
  useTitle(t('title'));
  const [data, setData] = useState<BenchmarkView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => {
    setData(await get<BenchmarkView>('/api/v1/benchmark'));
  }, setProblem);

  return (
    <>
      <h1 tabIndex={-1}>{t('title')}</h1>
      <ProblemAlert problem={problem} />
      {data && (
        <>
          <p>
            {data.sector ? (
              <Trans
                t={t}
                i18nKey="sector"
                values={{ name: uiText(data.sector.name) }}
                components={{ strong: <strong /> }}
              />
            ) : (
              t('noSector')
            )}
          </p>
          <p className="hint">
            {t('rules', {
              minCustomers: data.rules.minCustomers,
              minRespondents: data.rules.minRespondents,
              one: data.rules.dominanceOnePercent,
              two: data.rules.dominanceTwoPercent,
              quartile: data.rules.quartileMinCustomers,
            })}
          </p>
          {data.positions.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption>{t('caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('quarter')}</th>
                    <th scope="col">{t('score')}</th>
                    <th scope="col">{t('own')}</th>
                    <th scope="col">{t('sectorMargin')}</th>
                    <th scope="col">{t('quartiles')}</th>
                    <th scope="col">{t('percentile')}</th>
                    <th scope="col">{t('counts')}</th>
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

const fmt = (p: BenchmarkPosition, v: number | null) =>
  v === null ? '–' : p.unit === 'percent' ? `${formatNumber(v)}%` : formatNumber(v);

function Row({ p }: { p: BenchmarkPosition }) {
  const { t } = useTranslation(['benchmark', 'common']);
  const b = p.benchmark;
  return (
    <tr>
      <th scope="row">{p.period}</th>
      <td>
        {uiText(p.name)}
        {p.lowerIsBetter && <span className="hint">{t('lowerBetter')}</span>}
      </td>
      <td>
        {p.own ? (
          <>
            {fmt(p, p.own.value)}
            {p.own.margin !== null && <> ± {formatNumber(p.own.margin)}</>}{' '}
            <span className="hint">(n = {formatNumber(p.own.n)})</span>
          </>
        ) : p.ownHidden === 'shielded' ? (
          <span className="hint">{t('shielded')}</span>
        ) : (
          '–'
        )}
      </td>
      {b.published ? (
        <>
          <td>
            {fmt(p, b.value)}
            {b.margin !== null && <> ± {formatNumber(b.margin)}</>}
          </td>
          <td>
            {b.quartiles ? (
              `${fmt(p, b.quartiles.q1)} · ${fmt(p, b.quartiles.median)} · ${fmt(p, b.quartiles.q3)}`
            ) : (
              <span className="hint">{t('tooFew')}</span>
            )}
          </td>
          <td>{b.percentile === null ? '–' : formatNumber(b.percentile)}</td>
          <td>
            {formatNumber(b.customers)} · {formatNumber(b.respondents)}
          </td>
        </>
      ) : (
        <td colSpan={4}>{uiText(b.reason)}</td>
      )}
    </tr>
  );
}
