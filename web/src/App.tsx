import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n, setLanguage } from './i18n';
import { ApiError, get, post, toProblem } from './api';
import { match, navigate, usePath } from './router';
import { SessionContext, setFlash, type Session } from './session';
import type { Me, Problem } from './types';
import { ProblemAlert } from './components/ProblemAlert';
import { Layout } from './pages/Layout';
import { EndingPage } from './pages/privacy/Ending';
import { SetupPage } from './pages/Setup';
import { SignInPage } from './pages/SignIn';
import { AcceptInvitePage } from './pages/AcceptInvite';
import { ContactsPage } from './pages/Contacts';
import { ProfileFieldsPage } from './pages/ProfileFields';
import { SurveysPage } from './pages/Surveys';
import { SurveyDetailPage } from './pages/SurveyDetail';
import { TeamPage } from './pages/Team';
import { OutboxPage } from './pages/Outbox';
import { TemplatesPage } from './pages/Templates';
import { SuppressionsPage } from './pages/Suppressions';
import { OperatorPage } from './pages/Operator';
import { OperatorBenchmarkPage } from './pages/OperatorBenchmark';
import { BenchmarkPage } from './pages/Benchmark';
import { AccountPage } from './pages/Account';
import { EnrolmentPage } from './pages/Enrolment';
import { SecurityPage } from './pages/Security';
import { OperatorPrivacy } from './pages/privacy/OperatorPrivacy';
import { PRIVACY_PARTS, PrivacySection, privacyParts } from './pages/privacy/Privacy';
import { NotInSupportScope } from './pages/NotAllowed';
import { LabellingPage } from './pages/Labelling';
import { IntegrationsPage } from './pages/Integrations';
import { NotFound } from './pages/NotFound';
import { FollowUpsPage } from './pages/FollowUps';
import { UsagePage } from './pages/Usage';
import { OperatorPlansPage } from './pages/OperatorPlans';
import { ActivityPage } from './pages/Activity';

type Boot =
  | { state: 'loading' }
  | { state: 'failed'; problem: Problem }
  | { state: 'unavailable'; problem: Problem }
  | { state: 'ready'; setupNeeded: boolean; me: Me | null };

/** Pages that work without a session. */
const PUBLIC = ['/app/setup', '/app/sign-in', '/app/operator/sign-in', '/app/accept-invite'];

/** OBLIGATIONS END-2: the one page an owner of a customer whose agreement has ended still reaches. */
const ENDED = '/app/privacy/ending';

/** The one page of a user whose organisation requires a second factor they have not set up yet. */
const ENROLMENT = '/app/two-step-setup';

const enrolmentRequired = (me: Me | null) => me?.kind === 'user' && me.secondFactor?.enrolmentRequired === true;

export function App() {
  const { t } = useTranslation();
  const path = usePath();
  const pathname = path.split('?')[0]!.replace(/\/+$/, '') || '/app';
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  // Operator staff (also inside a customer under support access) sign in again on the operator page.
  const [signInPath, setSignInPath] = useState('/app/sign-in');

  const loadMe = useCallback(async (): Promise<Me | null> => {
    try {
      const m = await get<Me>('/api/v1/auth/me');
      // Issue 14: the user's own language, kept on the server, applies in every browser they use.
      if (m.locale && m.localeChosen) await setLanguage(m.locale);
      return m;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  }, []);

  const start = useCallback(async () => {
    try {
      const { needed } = await get<{ needed: boolean }>('/api/v1/setup');
      const me = needed ? null : await loadMe();
      setBoot({ state: 'ready', setupNeeded: needed, me });
    } catch (err) {
      const problem = toProblem(err);
      setBoot(
        problem.suspended === true || problem.ended === true
          ? { state: 'unavailable', problem }
          : { state: 'failed', problem },
      );
    }
  }, [loadMe]);

  // OBLIGATIONS AGR-6: suspended while signed in: the app shows why instead of failing page by page.
  // END-2: ended while signed in: start again; an owner comes back to the end's page, anyone else
  // to the screen that says the agreement has ended.
  useEffect(() => {
    const onSuspended = (e: Event) => setBoot({ state: 'unavailable', problem: (e as CustomEvent<Problem>).detail });
    const onEnded = () => void start();
    window.addEventListener('peil:suspended', onSuspended);
    window.addEventListener('peil:ended', onEnded);
    return () => {
      window.removeEventListener('peil:suspended', onSuspended);
      window.removeEventListener('peil:ended', onEnded);
    };
  }, [start]);

  useEffect(() => {
    void start();
  }, [start]);

  // A 401 from any call means the session ended (expired, or signed out in another tab).
  useEffect(() => {
    const onExpired = () => {
      setBoot((b) => {
        if (b.state !== 'ready') return b;
        const kind = b.me?.kind;
        setFlash(i18n.t(kind === 'support' ? 'common:app.supportEnded' : 'common:app.sessionEnded'));
        if (kind === 'support' || kind === 'operator') setSignInPath('/app/operator/sign-in');
        return { ...b, me: null };
      });
    };
    window.addEventListener('peil:unauthenticated', onExpired);
    return () => window.removeEventListener('peil:unauthenticated', onExpired);
  }, []);

  // A 403 saying a second factor must be set up first (the owner just required it): reload who is
  // signed in, which sends this user to the set-up page.
  useEffect(() => {
    const onEnrolment = () => {
      void loadMe()
        .then((m) => setBoot((b) => (b.state === 'ready' ? { ...b, me: m } : b)))
        .catch(() => {});
    };
    window.addEventListener('peil:enrolment-required', onEnrolment);
    return () => window.removeEventListener('peil:enrolment-required', onEnrolment);
  }, [loadMe]);

  const me = boot.state === 'ready' ? boot.me : null;
  const setupNeeded = boot.state === 'ready' && boot.setupNeeded;

  // Where this path may not be shown, send the user to the page they need.
  const redirect = useMemo(() => {
    if (boot.state !== 'ready') return null;
    if (setupNeeded) return pathname === '/app/setup' ? null : '/app/setup';
    if (pathname === '/app/setup') return me ? '/app' : '/app/sign-in';
    if (!me) return PUBLIC.includes(pathname) ? null : signInPath;
    if (enrolmentRequired(me)) return pathname === ENROLMENT ? null : ENROLMENT;
    if (me.ended) return pathname === ENDED ? null : ENDED;
    if (
      pathname === '/app/sign-in' ||
      pathname === '/app/operator/sign-in' ||
      pathname === '/app' ||
      pathname === ENROLMENT
    ) {
      return me.kind === 'operator' ? '/app/operator' : '/app/surveys';
    }
    // Entering a customer under support access turns the operator's session into a support session, and back.
    if (me.kind === 'operator' && !pathname.startsWith('/app/operator')) return '/app/operator';
    if (me.kind !== 'operator' && pathname.startsWith('/app/operator')) return '/app/surveys';
    return null;
  }, [boot.state, setupNeeded, pathname, me, signInPath]);

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  // After a navigation inside the app, move focus to the new page's heading (screen readers announce it).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h1 = document.querySelector<HTMLElement>('main h1');
    h1?.focus();
  }, [pathname]);

  const signedIn = useCallback(async () => {
    const m = await loadMe();
    setBoot({ state: 'ready', setupNeeded: false, me: m });
  }, [loadMe]);

  const session: Session | null = useMemo(
    () =>
      me
        ? {
            me,
            refresh: signedIn,
            async signOut() {
              const staff = me.kind === 'operator' || me.kind === 'support';
              try {
                await post('/api/v1/auth/sign-out');
              } finally {
                setFlash(i18n.t(me.kind === 'support' ? 'common:app.supportSignedOut' : 'common:app.signedOut'));
                const to = staff ? '/app/operator/sign-in' : '/app/sign-in';
                setSignInPath(to);
                setBoot({ state: 'ready', setupNeeded: false, me: null });
                navigate(to);
              }
            },
          }
        : null,
    [me, signedIn],
  );

  if (boot.state === 'loading' || redirect) {
    return (
      <main id="main" className="centered">
        <p role="status">{t('actions.loading')}</p>
      </main>
    );
  }
  const signOutAndLeave = () => {
    void post('/api/v1/auth/sign-out')
      .catch(() => {})
      .then(() => {
        setBoot({ state: 'ready', setupNeeded: false, me: null });
        navigate('/app/sign-in');
      });
  };
  if (boot.state === 'unavailable') {
    const ended = boot.problem.ended === true;
    return (
      <main id="main" className="centered">
        <h1 tabIndex={-1}>{t(ended ? 'app.agreementEnded' : 'app.accessSuspended')}</h1>
        <p>{String((i18n.language === 'en' ? boot.problem.detailEn : boot.problem.detailNl) ?? boot.problem.detail)}</p>
        <button type="button" onClick={signOutAndLeave}>
          {t('signOut')}
        </button>
      </main>
    );
  }
  if (boot.state === 'failed') {
    return (
      <main id="main" className="centered">
        <h1 tabIndex={-1}>{t('app.cannotStart')}</h1>
        <ProblemAlert problem={boot.problem} />
        <button type="button" onClick={() => void start()}>
          {t('app.tryAgain')}
        </button>
      </main>
    );
  }

  if (pathname === '/app/setup') {
    return (
      <SetupPage
        onDone={() => {
          setFlash(t('app.setupDone'));
          setBoot({ state: 'ready', setupNeeded: false, me: null });
          navigate('/app/sign-in');
        }}
      />
    );
  }
  if (pathname === '/app/accept-invite')
    return <AcceptInvitePage onSignedIn={() => signedIn().then(() => navigate('/app/surveys'))} />;
  if (!session) {
    const operator = pathname === '/app/operator/sign-in';
    return <SignInPage key={operator ? 'op' : 'user'} operator={operator} onSignedIn={signedIn} />;
  }

  // OBLIGATIONS END-2: an owner of an ended customer sees the end's page only: the choice between
  // return and deletion, and the full export, until the data is deleted.
  if (session.me.ended) {
    return (
      <SessionContext.Provider value={session}>
        <main id="main">
          <EndingPage />
          <p>{t('app.endedOtherPagesClosed')}</p>
          <button type="button" className="secondary" onClick={() => void session.signOut()}>
            {t('signOut')}
          </button>
        </main>
      </SessionContext.Provider>
    );
  }

  return (
    <SessionContext.Provider value={session}>
      <Layout>{route(pathname, session.me)}</Layout>
    </SessionContext.Provider>
  );
}

function route(pathname: string, me: Me) {
  if (me.kind === 'operator') {
    if (pathname === '/app/operator') return <OperatorPage />;
    if (pathname === '/app/operator/privacy') return <OperatorPrivacy part="agreements" />;
    if (pathname === '/app/operator/plans') return <OperatorPlansPage />;
    if (pathname === '/app/operator/benchmark') return <OperatorBenchmarkPage />;
    const opPrivacy = match('/app/operator/privacy/:part', pathname);
    if (opPrivacy) return <OperatorPrivacy key={opPrivacy.part} part={opPrivacy.part!} />;
    return <NotFound />;
  }
  if (enrolmentRequired(me)) return <EnrolmentPage />;
  const can = (p: string) => me.permissions?.includes(p) ?? false;
  if (me.kind === 'support') {
    // Read-only, and only what the grant's scope covers.
    if (pathname === '/app/contacts') return can('contacts:read') ? <ContactsPage /> : <NotInSupportScope />;
    if (pathname !== '/app/surveys' && !pathname.startsWith('/app/surveys/')) return <NotInSupportScope />;
  }
  if (pathname === '/app/contacts') return <ContactsPage />;
  if (pathname === '/app/profile-fields') return <ProfileFieldsPage />;
  if (pathname === '/app/surveys') return <SurveysPage />;
  if (pathname === '/app/team') return <TeamPage />;
  if (pathname === '/app/outbox') return <OutboxPage />;
  if (pathname === '/app/templates' && can('invitations:send')) return <TemplatesPage />;
  if (pathname === '/app/suppressions' && can('invitations:send')) return <SuppressionsPage />;
  if (pathname === '/app/account' && me.kind === 'user') return <AccountPage />;
  if (pathname === '/app/security' && can('tenant:manage')) return <SecurityPage />;
  // Every role reaches the address; the page itself says who may read the log (audit:read).
  if (pathname === '/app/activity') return <ActivityPage />;
  if (pathname === '/app/privacy') {
    const first = privacyParts(can)[0];
    return first ? <Redirect to={`/app/privacy/${first.slug}`} /> : <NotFound />;
  }
  // The agreement and sub-processors pages were top-level before the Privacy section.
  if (pathname === '/app/agreement' || pathname === '/app/subprocessors')
    return <Redirect to={`/app/privacy${pathname.slice(4)}`} />;
  const privacy = match('/app/privacy/:part', pathname);
  const part = privacy && PRIVACY_PARTS.find((p) => p.slug === privacy.part && can(p.permission));
  if (part) return <PrivacySection key={part.slug} part={part} can={can} />;
  if (pathname === '/app/labelling') return <LabellingPage />;
  if (pathname === '/app/usage' && can('usage:read')) return <UsagePage />;
  if (pathname === '/app/benchmark' && can('results:read')) return <BenchmarkPage />;
  const followUp = match('/app/follow-ups/:id', pathname);
  if ((pathname === '/app/follow-ups' || followUp) && can('followups:read'))
    return <FollowUpsPage key={followUp?.id ?? 'list'} id={followUp?.id} />;
  if (pathname === '/app/integrations' && can('integrations:manage')) return <IntegrationsPage />;
  const survey = match('/app/surveys/:id', pathname) ?? match('/app/surveys/:id/:tab', pathname);
  if (survey) return <SurveyDetailPage key={survey.id} id={survey.id!} tab={survey.tab} />;
  return <NotFound />;
}

/** Replaces the address (no history entry) and shows the page there. */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
