import { useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, get, toProblem } from '../api';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../components/useLoad';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import { intlLocale } from '../i18n';
import type { Problem } from '../types';

interface Contact {
  name: string | null;
  email: string | null;
}
interface Agreement {
  parties: { processor: { name: string }; controller: { name: string } };
  version: string;
  startDate: string;
  termMonths: number;
  renewalMonths: number | null;
  noticeMonths: number;
  contacts: { processor: Contact; customer: Contact; privacyEmail: string | null };
  terms: Record<string, number | string | boolean>;
  currentTermStart: string;
  currentTermEnd: string;
  noticeDeadline: string;
  notice: { givenAt: string; late: boolean; endsOn: string } | null;
  endsOn: string | null;
  status: 'running' | 'ended';
}

type Show = (t: TFunction<'privacy'>, v: number | string | boolean) => string;
const count =
  (unit: 'agreement.hours' | 'agreement.days' | 'agreement.workingDays' | 'agreement.months'): Show =>
  (t, v) =>
    t(unit, { count: Number(v) });
/** The terms in the order of the agreement (names: privacy:agreement.terms.<term>). */
const TERMS = [
  ['breachNoticeHours', count('agreement.hours')],
  ['subprocessorObjectionDays', count('agreement.days')],
  ['dpaChangeObjectionWorkingDays', count('agreement.workingDays')],
  ['auditsPerYear', (_t, v) => String(v)],
  ['auditNoticeDays', count('agreement.days')],
  ['returnWindowDays', count('agreement.days')],
  ['choiceDeadlineDays', count('agreement.days')],
  ['logRetentionMonths', count('agreement.months')],
  ['processingLocation', (_t, v) => String(v)],
  ['specialCategoriesAllowed', (t, v) => (v ? t('agreement.allowed') : t('agreement.notAllowed'))],
] as const satisfies readonly (readonly [string, Show])[];

const date = (d: string) =>
  new Date(`${d}T12:00:00Z`).toLocaleDateString(intlLocale(), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Amsterdam',
  });

/** OBLIGATIONS AGR-1, AGR-2, AGR-5: the processing agreement; owners change contacts and give notice. */
export function AgreementPage({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation('privacy');
  useTitle(t('agreement.title'));
  const [a, setA] = useState<Agreement | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [confirming, setConfirming] = useState(false);
  useLoad(async () => setA(await get<Agreement>('/api/v1/agreement')), setProblem);

  async function saveContacts(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim() || null;
    setProblem(null);
    try {
      setA(
        await api<Agreement>('PATCH', '/api/v1/agreement/contacts', {
          customer: { name: text('name'), email: text('email') },
          privacyEmail: text('privacyEmail'),
        }),
      );
      setStatus(t('agreement.contactsSaved'));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  async function giveNotice() {
    setProblem(null);
    try {
      const r = await api<Agreement>('POST', '/api/v1/agreement/notice');
      setA(r);
      setConfirming(false);
      setStatus(t('agreement.noticeRecorded', { date: date(r.endsOn!) }));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('agreement.title')}</h1>
      <ProblemAlert problem={problem} />
      <p role="status">{status}</p>
      {a && (
        <>
          <dl>
            <dt>{t('agreement.processor')}</dt>
            <dd>{a.parties.processor.name}</dd>
            <dt>{t('agreement.controller')}</dt>
            <dd>{a.parties.controller.name}</dd>
            <dt>{t('agreement.version')}</dt>
            <dd>{a.version}</dd>
            <dt>{t('agreement.start')}</dt>
            <dd>{date(a.startDate)}</dd>
            <dt>{t('agreement.term')}</dt>
            <dd>
              {t('agreement.termValue', { months: a.termMonths })};{' '}
              {a.renewalMonths ? t('agreement.renewal', { months: a.renewalMonths }) : t('agreement.noRenewal')}
            </dd>
            <dt>{t('agreement.currentTerm')}</dt>
            <dd>
              {date(a.currentTermStart)} – {date(a.currentTermEnd)}
            </dd>
            <dt>{t('agreement.noticeDeadline')}</dt>
            <dd>{t('agreement.noticeMonths', { date: date(a.noticeDeadline), months: a.noticeMonths })}</dd>
            {a.notice && (
              <>
                <dt>{t('agreement.noticeGiven')}</dt>
                <dd>
                  {formatDateTime(a.notice.givenAt)}
                  {a.notice.late ? t('agreement.late') : ''}
                </dd>
              </>
            )}
            {a.endsOn && (
              <>
                <dt>{t('agreement.ends')}</dt>
                <dd>{date(a.endsOn)}</dd>
              </>
            )}
          </dl>
          <h2>{t('agreement.termsTitle')}</h2>
          <dl>
            {TERMS.map(([key, show]) => (
              <div key={key}>
                <dt>{t(`agreement.terms.${key}`)}</dt>
                <dd>{a.terms[key] === undefined ? '' : show(t, a.terms[key])}</dd>
              </div>
            ))}
          </dl>
          <h2>{t('agreement.contacts')}</h2>
          <p>
            {a.parties.processor.name}: {a.contacts.processor.name ?? '—'}{' '}
            {a.contacts.processor.email ? `<${a.contacts.processor.email}>` : ''}
          </p>
          {canManage ? (
            <form onSubmit={(e) => void saveContacts(e)}>
              <Field
                label={t('agreement.contactPerson')}
                name="name"
                defaultValue={a.contacts.customer.name ?? ''}
                errors={fieldErrors(problem, '/body/customer/name')}
              />
              <Field
                label={t('agreement.contactEmail')}
                name="email"
                type="email"
                defaultValue={a.contacts.customer.email ?? ''}
                errors={fieldErrors(problem, '/body/customer/email')}
              />
              <Field
                label={t('agreement.privacyEmail')}
                name="privacyEmail"
                type="email"
                defaultValue={a.contacts.privacyEmail ?? ''}
                errors={fieldErrors(problem, '/body/privacyEmail')}
              />
              <button type="submit">{t('agreement.save')}</button>
            </form>
          ) : (
            <p>
              {a.contacts.customer.name ?? '—'} {a.contacts.customer.email ? `<${a.contacts.customer.email}>` : ''};{' '}
              {t('agreement.privacyContact', { email: a.contacts.privacyEmail ?? '—' })}
            </p>
          )}
          {canManage && !a.notice && a.status === 'running' && (
            <>
              <h2>{t('agreement.giveNoticeTitle')}</h2>
              {confirming ? (
                <div className="actions-row">
                  <button type="button" className="button-danger" onClick={() => void giveNotice()}>
                    {t('agreement.confirmNotice')}
                  </button>
                  <button type="button" className="button-quiet" onClick={() => setConfirming(false)}>
                    {t('agreement.cancel')}
                  </button>
                </div>
              ) : (
                <button type="button" onClick={() => setConfirming(true)}>
                  {t('agreement.giveNotice')}
                </button>
              )}
            </>
          )}
        </>
      )}
    </>
  );
}
