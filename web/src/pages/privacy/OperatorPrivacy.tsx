import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
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
type Slug = 'agreements' | 'versions' | 'registers' | 'subprocessors' | 'audits' | 'breaches' | 'ending';
/** Each part's name is privacy:opPrivacy.parts.<slug>. */
export const OPERATOR_PRIVACY_PARTS: { slug: Slug; render: () => ReactNode }[] = [
  { slug: 'agreements', render: () => <OperatorAgreements /> },
  { slug: 'versions', render: () => <OperatorVersions /> },
  { slug: 'registers', render: () => <OperatorRegisters /> },
  { slug: 'subprocessors', render: () => <OperatorSubprocessorRegister /> },
  { slug: 'audits', render: () => <OperatorAuditsPage /> },
  { slug: 'breaches', render: () => <OperatorBreaches /> },
  { slug: 'ending', render: () => <OperatorEndingPage /> },
];

export function OperatorPrivacy({ part }: { part: string }) {
  const { t } = useTranslation('privacy');
  useTitle(t('opPrivacy.tabTitle'));
  const current = OPERATOR_PRIVACY_PARTS.find((p) => p.slug === part) ?? OPERATOR_PRIVACY_PARTS[0]!;
  return (
    <>
      <h1 tabIndex={-1}>{t('opPrivacy.title')}</h1>
      <nav aria-label={t('opPrivacy.tabTitle')} className="tabs">
        <ul>
          {OPERATOR_PRIVACY_PARTS.map((p) => (
            <li key={p.slug}>
              <Link to={`/app/operator/privacy/${p.slug}`} aria-current={p.slug === current.slug ? 'page' : undefined}>
                {t(`opPrivacy.parts.${p.slug}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="tab-panel">{current.render()}</div>
    </>
  );
}
