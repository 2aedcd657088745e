import { Link } from '../router';
import { useTitle } from '../components/useTitle';

export function NotFound() {
  useTitle('Page not found');
  return (
    <>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        This page does not exist, or your role does not give access to it. <Link to="/app">Go to the start page</Link>.
      </p>
    </>
  );
}
