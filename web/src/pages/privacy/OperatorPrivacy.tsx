import type { ReactNode } from 'react';
import { useTitle } from '../../components/useTitle';
import { Link } from '../../router';
import { OperatorAgreements } from './OperatorAgreements';
import { OperatorAuditsPage } from './OperatorAudits';
import { OperatorBreaches } from './OperatorBreaches';
import { OperatorEndingPage } from './OperatorEnding';
import { OperatorRegisters } from './OperatorRegisters';
import { OperatorSubprocessorRegister } from './OperatorSubprocessorRegister';
import { OperatorVersions } from './OperatorVersions';

/** The privacy objects across customers in the operator console (issue 10), one tab each. */
export const OPERATOR_PRIVACY_PARTS: { slug: string; label: string; render: () => ReactNode }[] = [
  { slug: 'agreements', label: 'Overeenkomsten / Agreements', render: () => <OperatorAgreements /> },
  { slug: 'versions', label: 'Versies / Versions', render: () => <OperatorVersions /> },
  { slug: 'registers', label: 'Registers', render: () => <OperatorRegisters /> },
  { slug: 'subprocessors', label: 'Subverwerkers / Sub-processors', render: () => <OperatorSubprocessorRegister /> },
  { slug: 'audits', label: 'Audits en bezwaren / Audits and objections', render: () => <OperatorAuditsPage /> },
  { slug: 'breaches', label: 'Datalekken / Breaches', render: () => <OperatorBreaches /> },
  { slug: 'ending', label: 'Einde van klanten / End of customers', render: () => <OperatorEndingPage /> },
];

export function OperatorPrivacy({ part }: { part: string }) {
  useTitle('Privacy');
  const current = OPERATOR_PRIVACY_PARTS.find((p) => p.slug === part) ?? OPERATOR_PRIVACY_PARTS[0]!;
  return (
    <>
      <h1 tabIndex={-1}>Privacy — alle klanten / all customers</h1>
      <nav aria-label="Privacy" className="tabs">
        <ul>
          {OPERATOR_PRIVACY_PARTS.map((p) => (
            <li key={p.slug}>
              <Link to={`/app/operator/privacy/${p.slug}`} aria-current={p.slug === current.slug ? 'page' : undefined}>
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="tab-panel">{current.render()}</div>
    </>
  );
}
