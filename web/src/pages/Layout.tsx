import type { ReactNode } from 'react';
import { Link, usePath } from '../router';
import { useCan, useSession } from '../session';

interface NavItem {
  to: string;
  label: string;
  visible: boolean;
}

export function Layout({ children }: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const can = useCan();
  const path = usePath();
  const items: NavItem[] =
    me.kind === 'operator'
      ? [{ to: '/app/operator', label: 'Customers', visible: true }]
      : [
          { to: '/app/surveys', label: 'Surveys', visible: can('surveys:read') },
          // Every role may see how many contacts there are; details need contacts:read.
          { to: '/app/contacts', label: 'Contacts', visible: can('contacts:read') || can('contacts:write') || can('surveys:read') },
          { to: '/app/team', label: 'Team', visible: can('users:read') },
          { to: '/app/labelling', label: 'Labelling', visible: can('results:read') },
          { to: '/app/outbox', label: 'Outbox', visible: can('outbox:read') },
        ];
  const isCurrent = (to: string) => path === to || path.startsWith(`${to}/`);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <div className="brand">
            <span className="logo" aria-hidden="true">
              ▮
            </span>
            <span className="brand-name">Peil</span>
            <span className="tenant-name">{me.kind === 'operator' ? 'Operator' : me.tenant?.name}</span>
          </div>
          <div className="whoami">
            <span>
              <span className="who-name">{me.name}</span>
              <span className="role-badge">{me.kind === 'operator' ? 'operator' : me.role}</span>
            </span>
            <button type="button" className="button-quiet" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </div>
        <nav aria-label="Main" className="mainnav">
          <ul>
            {items
              .filter((i) => i.visible)
              .map((i) => (
                <li key={i.to}>
                  <Link to={i.to} aria-current={isCurrent(i.to) ? 'page' : undefined}>
                    {i.label}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
