import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n';
import { LANGUAGES, type Language } from '../locales';
import { patch } from '../api';
import { formatDateTime } from '../format';
import { Link, usePath } from '../router';
import { useCan, useSession } from '../session';
import { useRoleName } from './followups/labels';
import type { Me } from '../types';

interface NavItem {
  to: string;
  label: string;
  visible: boolean;
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const roleName = useRoleName();
  const { me, signOut } = useSession();
  const can = useCan();
  const path = usePath();
  const support = me.kind === 'support';
  const items: NavItem[] =
    me.kind === 'operator'
      ? [
          { to: '/app/operator', label: t('nav.customers'), visible: true },
          { to: '/app/operator/privacy', label: t('nav.privacy'), visible: true },
          { to: '/app/operator/plans', label: t('nav.plans'), visible: true },
          { to: '/app/operator/benchmark', label: t('nav.benchmark'), visible: true },
        ]
      : [
          { to: '/app/surveys', label: t('nav.surveys'), visible: can('surveys:read') },
          // Every role may see how many contacts there are; details need contacts:read. Support staff
          // see the contacts page only when the grant's scope includes contact details.
          { to: '/app/follow-ups', label: t('nav.followUps'), visible: !support && can('followups:read') },
          { to: '/app/benchmark', label: t('nav.benchmark'), visible: !support && can('results:read') },
          {
            to: '/app/contacts',
            label: t('nav.contacts'),
            visible: support
              ? can('contacts:read')
              : can('contacts:read') || can('contacts:write') || can('surveys:read'),
          },
          { to: '/app/profile-fields', label: t('nav.profileFields'), visible: !support && can('contacts:write') },
          { to: '/app/team', label: t('nav.team'), visible: can('users:read') },
          // The module's settings page is the customer's; support staff see labels in the results.
          { to: '/app/labelling', label: t('nav.labelling'), visible: !support && can('results:read') },
          { to: '/app/templates', label: t('nav.templates'), visible: can('invitations:send') },
          { to: '/app/suppressions', label: t('nav.suppressions'), visible: can('invitations:send') },
          { to: '/app/outbox', label: t('nav.outbox'), visible: can('outbox:read') },
          { to: '/app/security', label: t('nav.security'), visible: can('tenant:manage') },
          // Issue 14: the customer's own log, with undo (LOG-2), for the roles that may read it.
          { to: '/app/activity', label: t('nav.activity'), visible: !support && can('audit:read') },
          // Issue 10: the agreement, its register, sub-processors, measures and audits in one place.
          {
            to: '/app/privacy',
            label: t('nav.privacy'),
            visible: !support && (can('agreement:read') || can('subprocessors:read')),
          },
          { to: '/app/integrations', label: t('nav.integrations'), visible: !support && can('integrations:manage') },
          { to: '/app/usage', label: t('nav.usage'), visible: !support && can('usage:read') },
        ];
  const visible = items.filter((i) => i.visible);
  const under = (to: string) => path === to || path.startsWith(`${to}/`);
  // The longest matching item is the current one (/app/operator/privacy is not also /app/operator).
  const current = visible.filter((i) => under(i.to)).sort((a, b) => b.to.length - a.to.length)[0]?.to;
  const isCurrent = (to: string) => to === current || (to === '/app/account' && under(to));
  const ownAccount = me.kind === 'user' && !me.secondFactor?.enrolmentRequired;
  // Issue 14: on a narrow screen the menu folds behind a button instead of wrapping onto four lines.
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  useEffect(() => setMenuOpen(false), [path]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      {support && <SupportBanner me={me} onEnd={() => void signOut()} />}
      <header className="topbar">
        <div className="topbar-inner">
          <div className="brand">
            <span className="logo" aria-hidden="true">
              ▮
            </span>
            <span className="brand-name">Peil</span>
            <span className="tenant-name">{me.kind === 'operator' ? t('operator') : me.tenant?.name}</span>
          </div>
          <div className="whoami">
            <span>
              {ownAccount ? (
                <Link
                  to="/app/account"
                  className="who-name"
                  aria-current={isCurrent('/app/account') ? 'page' : undefined}
                  title={t('yourAccountTitle')}
                >
                  {me.name}
                </Link>
              ) : (
                <span className="who-name">{me.name}</span>
              )}
              <span className="role-badge">
                {me.kind === 'operator' ? t('operator') : me.role ? roleName(me.role) : null}
              </span>
            </span>
            <LanguageSwitch />
            {!support && (
              <button type="button" className="button-quiet" onClick={() => void signOut()}>
                {t('signOut')}
              </button>
            )}
          </div>
        </div>
        {visible.length > 0 && (
          <nav
            aria-label={t('mainNav')}
            className={`mainnav${menuOpen ? ' open' : ''}`}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && menuOpen) {
                setMenuOpen(false);
                menuButton.current?.focus();
              }
            }}
          >
            <button
              type="button"
              className="menu-button"
              ref={menuButton}
              aria-expanded={menuOpen}
              aria-controls="main-menu"
              onClick={() => setMenuOpen((o) => !o)}
            >
              <span aria-hidden="true">☰</span> {t('menu')}
              {current && <span className="menu-current">: {visible.find((i) => i.to === current)?.label}</span>}
            </button>
            <ul id="main-menu">
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

/** Always on screen while operator staff look along inside a customer (ACC-3). */
function SupportBanner({ me, onEnd }: { me: Me; onEnd: () => void }) {
  const { t } = useTranslation();
  const raw = me.support?.scope ?? '';
  const scope = raw === 'results' || raw === 'contacts' ? t(`support.scope.${raw}`) : raw;
  return (
    <section className="support-banner" aria-label={t('support.region')}>
      <div className="support-banner-inner">
        <p>
          <strong>
            {t('support.banner', {
              tenant: me.tenant?.name ?? '',
              scope,
              until: formatDateTime(me.support?.expiresAt),
            })}
          </strong>{' '}
          {t('support.readOnly')}
        </p>
        <button type="button" className="button-support" onClick={onEnd}>
          {t('support.end')}
        </button>
      </div>
    </section>
  );
}

/** Nederlands / English, for this browser; the account page keeps the choice for the user. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const current = currentLanguage();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language.label')}</span>
      <select
        value={current}
        onChange={(e) => {
          const lng = e.target.value as Language;
          void setLanguage(lng);
          // Issue 14: kept for the user on the server too (their choice follows them to other browsers).
          void patch('/api/v1/auth/me', { locale: lng }).catch(() => {});
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
