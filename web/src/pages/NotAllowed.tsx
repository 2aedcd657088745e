import { useTitle } from '../components/useTitle';
import { Link } from '../router';
import { useSession } from '../session';

/** A page that a support session may not open (its grant's scope does not include it). */
export function NotInSupportScope() {
  useTitle('Not part of this support access');
  const { me } = useSession();
  return (
    <>
      <h1 tabIndex={-1}>Not part of this support access</h1>
      <p>
        {me.tenant?.name} gave support access to {me.support?.scope === 'contacts' ? 'surveys, results and contact details' : 'surveys and results'} only. This page is
        not included. Ask the customer’s owner for a grant with a wider scope if you need it.
      </p>
      <p>
        <Link to="/app/surveys">Go to the surveys</Link>
      </p>
    </>
  );
}
