import type { ReactNode } from 'react';
import { formatDateTime } from '../format';
import { Link, usePath } from '../router';
import { useCan, useSession } from '../session';
import type { Me } from '../types';

interface NavItem {
  to: string;
  label: string;
  visible: boolean;
}

export function Layout({ children }: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const can = useCan();
  const path = usePath();
  const support = me.kind === 'support';
  const items: NavItem[] =
    me.kind === 'operator'
      ? [
          { to: '/app/operator', label: 'Customers', visible: true },
          { to: '/app/operator/privacy', label: 'Privacy', visible: true },
          { to: '/app/operator/plans', label: 'Abonnementen / Plans', visible: true },
          { to: '/app/operator/benchmark', label: 'Benchmark', visible: true },
        ]
      : [
          { to: '/app/surveys', label: 'Surveys', visible: can('surveys:read') },
          // Every role may see how many contacts there are; details need contacts:read. Support staff
          // see the contacts page only when the grant's scope includes contact details.
          { to: '/app/follow-ups', label: 'Opvolging / Follow-ups', visible: !support && can('followups:read') },
          { to: '/app/benchmark', label: 'Benchmark', visible: !support && can('results:read') },
          { to: '/app/contacts', label: 'Contacts', visible: support ? can('contacts:read') : can('contacts:read') || can('contacts:write') || can('surveys:read') },
          { to: '/app/profile-fields', label: 'Profile fields', visible: !support && can('contacts:write') },
          { to: '/app/team', label: 'Team', visible: can('users:read') },
          // The module's settings page is the customer's; support staff see labels in the results.
          { to: '/app/labelling', label: 'Labelling', visible: !support && can('results:read') },
          { to: '/app/templates', label: 'Email templates', visible: can('invitations:send') },
          { to: '/app/suppressions', label: 'Suppression list', visible: can('invitations:send') },
          { to: '/app/outbox', label: 'Outbox', visible: can('outbox:read') },
          { to: '/app/security', label: 'Security', visible: can('tenant:manage') },
          // Issue 10: the agreement, its register, sub-processors, measures and audits in one place.
          { to: '/app/privacy', label: 'Privacy', visible: !support && (can('agreement:read') || can('subprocessors:read')) },
          { to: '/app/integrations', label: 'Integrations', visible: !support && can('integrations:manage') },
          { to: '/app/usage', label: 'Abonnement / Plan', visible: !support && can('usage:read') },
        ];
  const visible = items.filter((i) => i.visible);
  const under = (to: string) => path === to || path.startsWith(`${to}/`);
  // The longest matching item is the current one (/app/operator/privacy is not also /app/operator).
  const current = visible.filter((i) => under(i.to)).sort((a, b) => b.to.length - a.to.length)[0]?.to;
  const isCurrent = (to: string) => to === current || (to === '/app/account' && under(to));
  const ownAccount = me.kind === 'user' && !me.secondFactor?.enrolmentRequired;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {support && <SupportBanner me={me} onEnd={() => void signOut()} />}
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
              {ownAccount ? (
                <Link to="/app/account" className="who-name" aria-current={isCurrent('/app/account') ? 'page' : undefined} title="Your account: password and two-step sign-in">
                  {me.name}
                </Link>
              ) : (
                <span className="who-name">{me.name}</span>
              )}
              <span className="role-badge">{me.kind === 'operator' ? 'operator' : me.role}</span>
            </span>
            {!support && (
              <button type="button" className="button-quiet" onClick={() => void signOut()}>
                Sign out
              </button>
            )}
          </div>
        </div>
        {visible.length > 0 && (
          <nav aria-label="Main" className="mainnav">
            <ul>
              {visible.map((i) => (
                <li key={i.to}>
                  <Link to={i.to} aria-current={isCurrent(i.to) ? 'page' : undefined}>
                    {i.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

const SCOPE_TEXT: Record<string, string> = { results: 'surveys and results', contacts: 'surveys, results and contact details' };

/** Always on screen while operator staff look along inside a customer (ACC-3). */
function SupportBanner({ me, onEnd }: { me: Me; onEnd: () => void }) {
  const scope = me.support ? (SCOPE_TEXT[me.support.scope] ?? me.support.scope) : '';
  return (
    <section className="support-banner" aria-label="Support access">
      <div className="support-banner-inner">
        <p>
          <strong>
            Support access to {me.tenant?.name} (scope: {scope}) until {formatDateTime(me.support?.expiresAt)}.
          </strong>{' '}
          Read-only. Every page you open is recorded in the customer’s log.
        </p>
        <button type="button" className="button-support" onClick={onEnd}>
          End support access
        </button>
      </div>
    </section>
  );
}
