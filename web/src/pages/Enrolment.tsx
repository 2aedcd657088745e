import { Trans, useTranslation } from 'react-i18next';
import { SecondFactorSetup } from '../components/SecondFactorSetup';
import { useTitle } from '../components/useTitle';
import { useSession } from '../session';

/**
 * The forced set-up: the organisation requires a second factor and this user has none yet. Every
 * other API route answers 403 until it is done, so this is the only page they get.
 */
export function EnrolmentPage() {
  const { t } = useTranslation('security');
  useTitle(t('enrolment.title'));
  const { me, refresh } = useSession();
  return (
    <>
      <h1 tabIndex={-1}>{t('enrolment.title')}</h1>
      <div className="alert alert-info">
        <p>
          <Trans
            t={t}
            i18nKey="enrolment.required"
            values={{ tenant: me.tenant?.name ?? '' }}
            components={{ strong: <strong /> }}
          />
        </p>
      </div>
      <section className="card" aria-label={t('enrolment.app')}>
        <SecondFactorSetup account={me.email} onDone={refresh} startLabel={t('enrolment.start')} />
      </section>
    </>
  );
}
