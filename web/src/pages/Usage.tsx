import { useState } from 'react';
import { get } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../components/useLoad';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import type { Problem, Usage, UsageLine, UsageMetric } from '../types';

export const METRIC_NAMES: Record<UsageMetric, { nl: string; en: string }> = {
  contacts: { nl: 'Contactpersonen', en: 'Contacts' },
  responses: { nl: 'Antwoorden per maand', en: 'Responses per month' },
  surveys: { nl: 'Enquêtes', en: 'Surveys' },
  users: { nl: 'Gebruikers', en: 'Users' },
  labelled: { nl: 'Gelabelde antwoorden per maand', en: 'Labelled answers per month' },
};

/** One limit as a bar: used of limit (with extensions), or the count alone when unlimited. */
export function UsageBar({ line }: { line: UsageLine }) {
  const name = METRIC_NAMES[line.metric];
  const label = `${name.nl} / ${name.en}${line.period !== 'total' ? ` (${line.period})` : ''}`;
  const state = line.percent === null ? '' : line.percent >= 100 ? ' usage-full' : line.percent >= 80 ? ' usage-high' : '';
  return (
    <div className={`progress usage${state}`}>
      <div className="progress-label">
        <span>{label}</span>
        <span>
          {line.limit === null
            ? `${line.used} · onbeperkt / unlimited`
            : `${line.used} van / of ${line.limit} (${line.percent}%)${line.extensions ? ` · incl. uitbreiding / extension +${line.extensions}` : ''}`}
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
  useTitle('Abonnement en gebruik / Plan and usage');
  const [usage, setUsage] = useState<Usage | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => setUsage(await get<Usage>('/api/v1/usage')), setProblem);

  return (
    <>
      <h1 tabIndex={-1}>Abonnement en gebruik / Plan and usage</h1>
      <ProblemAlert problem={problem} />
      {usage && (
        <>
          {usage.plan ? (
            <p>
              Abonnement / plan: <strong>{usage.plan.name}</strong> (sinds / since {formatDateTime(usage.plan.since)}). AI-module / AI module:{' '}
              {usage.plan.features.ai ? 'ja / yes' : 'nee / no'}; API-toegang / API access: {usage.plan.features.api ? 'ja / yes' : 'nee / no'}.
            </p>
          ) : (
            <p>Geen abonnement toegewezen: geen limieten. / No plan assigned: no limits.</p>
          )}
          <p>
            Bij 80% en 100% van een limiet mailen we de eigenaren. Boven een limiet worden nieuwe imports, contactpersonen en uitnodigingen geweigerd; antwoorden van
            respondenten worden altijd opgeslagen. / At 80% and 100% of a limit the owners are mailed. Above a limit new imports, contacts and invitations are refused;
            respondents’ answers are always stored.
          </p>
          <section aria-label="Gebruik / Usage">
            {usage.lines.map((l) => (
              <UsageBar key={l.metric} line={l} />
            ))}
          </section>
          {usage.extensions.length > 0 && (
            <>
              <h2>Uitbreidingen / Extensions</h2>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Limiet / Limit</th>
                      <th scope="col">Extra</th>
                      <th scope="col">Geldig / Valid</th>
                      <th scope="col">Reden / Reason</th>
                    </tr>
                  </thead>
                  <tbody>
                    {usage.extensions.map((e) => (
                      <tr key={e.id}>
                        <td>
                          {METRIC_NAMES[e.metric].nl} / {METRIC_NAMES[e.metric].en}
                        </td>
                        <td>+{e.extra}</td>
                        <td>
                          {e.validFrom} – {e.validUntil} {e.active ? '(nu geldig / valid now)' : '(niet nu / not now)'}
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
