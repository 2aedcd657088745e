import { Trans, useTranslation } from 'react-i18next';
import { Link } from '../router';
import { useTitle } from '../components/useTitle';

export function NotFound() {
  const { t } = useTranslation();
  useTitle(t('notFound.title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('notFound.title')}</h1>
      <p>
        <Trans t={t} i18nKey="notFound.body" components={{ go: <Link to="/app" /> }} />
      </p>
    </>
  );
}
