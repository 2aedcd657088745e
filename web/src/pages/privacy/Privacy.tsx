import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
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
type PrivacySlug =
  | 'agreement'
  | 'document'
  | 'register'
  | 'subprocessors'
  | 'measures'
  | 'audits'
  | 'evidence'
  | 'breaches'
  | 'requests'
  | 'ending';
interface PrivacyPart {
  /** Also the key of the part's name in the catalogue (privacy:parts.<slug>). */
  slug: PrivacySlug;
  permission: string;
  render: (can: (p: string) => boolean) => ReactNode;
}

export const PRIVACY_PARTS: PrivacyPart[] = [
  {
    slug: 'agreement',
    permission: 'agreement:read',
    render: (can) => <AgreementPage canManage={can('agreement:manage')} />,
  },
  {
    slug: 'document',
    permission: 'agreement:read',
    render: (can) => <AgreementDocumentPage canManage={can('agreement:manage')} />,
  },
  { slug: 'register', permission: 'register:read', render: () => <RegisterPage /> },
  { slug: 'subprocessors', permission: 'subprocessors:read', render: () => <SubprocessorsPage /> },
  { slug: 'measures', permission: 'security-measures:read', render: () => <SecurityMeasuresPage /> },
  { slug: 'audits', permission: 'audits:read', render: () => <AuditsPage /> },
  { slug: 'evidence', permission: 'audit:read', render: () => <EvidencePage /> },
  { slug: 'breaches', permission: 'breaches:read', render: () => <BreachesPage /> },
  { slug: 'requests', permission: 'requests:read', render: () => <RequestsPage /> },
  { slug: 'ending', permission: 'ending:manage', render: () => <EndingPage /> },
];

/** The parts this user may open (none: the section is not shown). */
export function privacyParts(can: (p: string) => boolean): PrivacyPart[] {
  return PRIVACY_PARTS.filter((p) => can(p.permission));
}

/** /app/privacy/<part>: the section's own navigation above the part. */
export function PrivacySection({ part, can }: { part: PrivacyPart; can: (p: string) => boolean }) {
  const { t } = useTranslation('privacy');
  const parts = privacyParts(can);
  return (
    <>
      <nav aria-label={t('sectionNav')} className="tabs">
        <ul>
          {parts.map((p) => (
            <li key={p.slug}>
              <Link to={`/app/privacy/${p.slug}`} aria-current={p.slug === part.slug ? 'page' : undefined}>
                {t(`parts.${p.slug}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {part.render(can)}
    </>
  );
}
