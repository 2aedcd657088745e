import type { ReactNode } from 'react';
import { Link } from '../../router';
import { AgreementPage } from '../Agreement';
import { SubprocessorsPage } from '../Subprocessors';
import { AgreementDocumentPage } from './AgreementDocument';
import { AuditsPage } from './Audits';
import { BreachesPage } from './Breaches';
import { EndingPage } from './Ending';
import { EvidencePage } from './Evidence';
import { RegisterPage } from './Register';
import { RequestsPage } from './Requests';
import { SecurityMeasuresPage } from './SecurityMeasures';

/**
 * The Privacy section (issue 10): everything of the processing agreement in one place, for owners
 * (who act on it) and admins (who read it). One entry per part of the agreement; each names the
 * permission that shows it, so the section lists only what this user may open.
 */
interface PrivacyPart {
  slug: string;
  label: string;
  permission: string;
  render: (can: (p: string) => boolean) => ReactNode;
}

export const PRIVACY_PARTS: PrivacyPart[] = [
  { slug: 'agreement', label: 'Overeenkomst / Agreement', permission: 'agreement:read', render: (can) => <AgreementPage canManage={can('agreement:manage')} /> },
  { slug: 'document', label: 'Document en acceptatie / Document and acceptance', permission: 'agreement:read', render: (can) => <AgreementDocumentPage canManage={can('agreement:manage')} /> },
  { slug: 'register', label: 'Register', permission: 'register:read', render: () => <RegisterPage /> },
  { slug: 'subprocessors', label: 'Subverwerkers / Sub-processors', permission: 'subprocessors:read', render: () => <SubprocessorsPage /> },
  { slug: 'measures', label: 'Beveiligingsmaatregelen / Security measures', permission: 'security-measures:read', render: () => <SecurityMeasuresPage /> },
  { slug: 'audits', label: 'Audits', permission: 'audits:read', render: () => <AuditsPage /> },
  { slug: 'evidence', label: 'Bewijs / Evidence', permission: 'audit:read', render: () => <EvidencePage /> },
  { slug: 'breaches', label: 'Datalekken / Breaches', permission: 'breaches:read', render: () => <BreachesPage /> },
  { slug: 'requests', label: 'Verzoeken / Requests', permission: 'requests:read', render: () => <RequestsPage /> },
  { slug: 'ending', label: 'Einde van de overeenkomst / End of agreement', permission: 'ending:manage', render: () => <EndingPage /> },
];

/** The parts this user may open (none: the section is not shown). */
export function privacyParts(can: (p: string) => boolean): PrivacyPart[] {
  return PRIVACY_PARTS.filter((p) => can(p.permission));
}

/** /app/privacy/<part>: the section's own navigation above the part. */
export function PrivacySection({ part, can }: { part: PrivacyPart; can: (p: string) => boolean }) {
  const parts = privacyParts(can);
  return (
    <>
      <nav aria-label="Privacy" className="tabs">
        <ul>
          {parts.map((p) => (
            <li key={p.slug}>
              <Link to={`/app/privacy/${p.slug}`} aria-current={p.slug === part.slug ? 'page' : undefined}>
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {part.render(can)}
    </>
  );
}
