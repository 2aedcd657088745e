import { SecondFactorSetup } from '../components/SecondFactorSetup';
import { useTitle } from '../components/useTitle';
import { useSession } from '../session';

/**
 * The forced set-up: the organisation requires a second factor and this user has none yet. Every
 * other API route answers 403 until it is done, so this is the only page they get.
 */
export function EnrolmentPage() {
  useTitle('Set up two-step sign-in');
  const { me, refresh } = useSession();
  return (
    <>
      <h1 tabIndex={-1}>Set up two-step sign-in</h1>
      <div className="alert alert-info">
        <p>
          <strong>{me.tenant?.name}</strong> requires everyone to sign in with a password and a code from an authenticator app on their phone. Set up the app now to
          continue; it takes about two minutes.
        </p>
      </div>
      <section className="card" aria-label="Authenticator app">
        <SecondFactorSetup account={me.email} onDone={refresh} startLabel="Start the set-up" />
      </section>
    </>
  );
}
