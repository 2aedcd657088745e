import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../components/useLoad';
import { useTitle } from '../components/useTitle';
import { formatDateTime, formatMonth, formatNumber } from '../format';
import type { Problem, Usage, UsageLine, UsageMetric } from '../types';

/** @deprecated both languages: use t('usage:metric.<metric>') (OperatorPlans still uses this). */
export const METRIC_NAMES: Record<UsageMetric, { nl: string; en: string }> = {
  contacts: { nl: 'Contactpersonen', en: 'Contacts' },
  responses: { nl: 'Antwoorden per maand', en: 'Responses per month' },
  surveys: { nl: 'Enquêtes', en: 'Surveys' },
  users: { nl: 'Gebruikers', en: 'Users' },
  labelled: { nl: 'Gelabelde antwoorden per maand', en: 'Labelled answers per month' },
};

/** One limit as a bar: used of limit (with extensions), or the count alone when unlimited. */
export function UsageBar({ line }: { line: UsageLine }) {
  const { t } = useTranslation(['usage', 'common']);
  const label = `${t(`metric.${line.metric}`)}${line.period !== 'total' ? ` (${formatMonth(line.period)})` : ''}`;
  const state =
    line.percent === null ? '' : line.percent >= 100 ? ' usage-full' : line.percent >= 80 ? ' usage-high' : '';
  return (
    <div className={`progress usage${state}`}>
      <div className="progress-label">
        <span>{label}</span>
        <span>
          {line.limit === null
            ? t('unlimited', { used: formatNumber(line.used) })
            : `${t('usedOf', { used: formatNumber(line.used), limit: formatNumber(line.limit), percent: `${formatNumber(line.percent ?? 0)}%` })}${line.extensions ? t('extension', { extra: formatNumber(line.extensions) }) : ''}`}
        </span>
      </div>
      {line.limit !== null && (
        <progress aria-label={label} value={Math.min(line.used, line.limit)} max={Math.max(line.limit, 1)}>
          {line.percent}%
        </progress>
      )}
    </div>
  );
}

/**
 * OBLIGATIONS SVC-6: "Abonnement en gebruik / Plan and usage" for owners and admins: the plan, a bar
 * per limit (extensions valid today included) and the extensions.
 */
export function UsagePage() {
  const { t } = useTranslation(['usage', 'common']);
  useTitle(t('title'));
  const [usage, setUsage] = useState<Usage | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => setUsage(await get<Usage>('/api/v1/usage')), setProblem);

  return (
    <>
      <h1 tabIndex={-1}>{t('title')}</h1>
      <ProblemAlert problem={problem} />
      {usage && (
        <>
          {usage.plan ? (
            <p>
              <Trans
                t={t}
                i18nKey="plan"
                values={{
                  name: usage.plan.name,
                  since: formatDateTime(usage.plan.since),
                  ai: usage.plan.features.ai ? t('common:yes') : t('common:no'),
                  api: usage.plan.features.api ? t('common:yes') : t('common:no'),
                }}
                components={{ strong: <strong /> }}
              />
            </p>
          ) : (
            <p>{t('noPlan')}</p>
          )}
          <p>{t('limits')}</p>
          <section aria-label={t('region')}>
            {usage.lines.map((l) => (
              <UsageBar key={l.metric} line={l} />
            ))}
          </section>
          {usage.extensions.length > 0 && (
            <>
              <h2>{t('extensions')}</h2>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('limit')}</th>
                      <th scope="col">{t('extra')}</th>
                      <th scope="col">{t('valid')}</th>
                      <th scope="col">{t('reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {usage.extensions.map((e) => (
                      <tr key={e.id}>
                        <td>{t(`metric.${e.metric}`)}</td>
                        <td>+{formatNumber(e.extra)}</td>
                        <td>
                          {e.validFrom} – {e.validUntil} {e.active ? t('validNow') : t('notNow')}
                        </td>
                        <td>{e.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </>
  );
}
