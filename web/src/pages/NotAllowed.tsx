import { useTranslation } from 'react-i18next';
import { useTitle } from '../components/useTitle';
import { Link } from '../router';
import { useSession } from '../session';

/** A page that a support session may not open (its grant's scope does not include it). */
export function NotInSupportScope() {
  const { t } = useTranslation();
  useTitle(t('notInScope.title'));
  const { me } = useSession();
  return (
    <>
      <h1 tabIndex={-1}>{t('notInScope.title')}</h1>
      <p>
        {t('notInScope.body', {
          tenant: me.tenant?.name ?? '',
          scope: t(me.support?.scope === 'contacts' ? 'support.scope.contacts' : 'support.scope.results'),
        })}
      </p>
      <p>
        <Link to="/app/surveys">{t('notInScope.toSurveys')}</Link>
      </p>
    </>
  );
}
