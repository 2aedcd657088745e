import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime } from '../../format';
import { currentLanguage } from '../../i18n';
import type { Problem } from '../../types';
import type { BreachFields } from './breach-types';

/** What a customer is told: every field but the operator's overall estimates. */
type Told = Omit<BreachFields, 'subjectsApprox' | 'recordsApprox'>;
interface Content {
  kind: 'notice' | 'update' | 'closing';
  number: number;
  fields: Told;
  own: {
    contacts: number;
    responses: number;
    users: number;
    categories: string[];
    noticeHours: number;
    deadline: string;
  };
  note: string | null;
  changed: string[];
  sentAt: string;
}
interface Breach {
  id: string;
  number: number;
  status: 'open' | 'closed';
  notifiedAt: string;
  current: Content;
  messages: Array<{ seq: number; kind: Content['kind']; sentAt: string; content: Content }>;
  apDraft: string;
  categoryLabels: Record<string, { nl: string; en: string }>;
}

/** A data category by its name in the register's vocabulary, in the user's language. */
const categoryName = (b: Breach, code: string) => b.categoryLabels[code]?.[currentLanguage()] ?? code;

/**
 * OBLIGATIONS BRE-4: the customer's breach log. Every breach Peil told this organisation of, with each
 * mail as sent, its own numbers (never another customer's), and the pre-filled draft of its own report
 * to the Autoriteit Persoonsgegevens (downloadable as Markdown). Owners and admins.
 */
export function BreachesPage() {
  const { t } = useTranslation('privacy');
  useTitle(t('breaches.title'));
  const [breaches, setBreaches] = useState<Breach[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => setBreaches((await get<{ breaches: Breach[] }>('/api/v1/breaches')).breaches), setProblem);

  return (
    <>
      <h1 tabIndex={-1}>{t('breaches.title')}</h1>
      <p>{t('breaches.intro')}</p>
      <ProblemAlert problem={problem} />
      {breaches && breaches.length === 0 && <p>{t('breaches.none')}</p>}
      {breaches?.map((b) => {
        const f = b.current.fields;
        const o = b.current.own;
        return (
          <section key={b.id} aria-labelledby={`breach-${b.id}`}>
            <h2 id={`breach-${b.id}`}>{t('breaches.heading', { number: b.number, status: b.status })}</h2>
            <dl>
              <dt>{t('breaches.description')}</dt>
              <dd>{f.description}</dd>
              <dt>{t('breaches.cause')}</dt>
              <dd>{f.cause}</dd>
              <dt>{t('breaches.started')}</dt>
              <dd>{formatDateTime(f.startedAt)}</dd>
              <dt>{t('breaches.discovered')}</dt>
              <dd>{formatDateTime(f.discoveredAt)}</dd>
              <dt>{t('breaches.reported')}</dt>
              <dd>
                {t('breaches.reportedValue', {
                  at: formatDateTime(b.notifiedAt),
                  hours: o.noticeHours,
                  deadline: formatDateTime(o.deadline),
                })}
              </dd>
              <dt>{t('breaches.ownNumbers')}</dt>
              <dd>
                {t('breaches.ownNumbersValue', {
                  contacts: o.contacts,
                  responses: o.responses,
                  users: o.users,
                  categories: o.categories.map((c) => categoryName(b, c)).join('; ') || '—',
                })}
              </dd>
              <dt>{t('breaches.consequences')}</dt>
              <dd>{f.consequences}</dd>
              <dt>{t('breaches.encrypted')}</dt>
              <dd>{f.encrypted ? t('yes') : t('no')}</dd>
              <dt>{t('breaches.measuresTaken')}</dt>
              <dd>{f.measuresTaken}</dd>
              <dt>{t('breaches.measuresPlanned')}</dt>
              <dd>
                {f.measuresPlanned.length === 0 ? (
                  '—'
                ) : (
                  <ul>
                    {f.measuresPlanned.map((m, i) => (
                      <li key={i}>
                        {m.when}: {m.what}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
              <dt>{t('breaches.expectedRecovery')}</dt>
              <dd>{f.expectedRecovery}</dd>
              <dt>{t('breaches.contactPoint')}</dt>
              <dd>
                {f.contactPoint.name}, {f.contactPoint.email}
                {f.contactPoint.phone ? `, ${f.contactPoint.phone}` : ''}
              </dd>
            </dl>
            <h3>{t('breaches.messages')}</h3>
            <ol>
              {b.messages.map((m) => (
                <li key={m.seq}>
                  {formatDateTime(m.sentAt)} — {t(`breaches.kind.${m.kind}`)}
                  {m.content.note ? `: ${m.content.note}` : ''}
                </li>
              ))}
            </ol>
            <details>
              <summary>{t('breaches.draft')}</summary>
              <pre style={{ whiteSpace: 'pre-wrap' }}>{b.apDraft}</pre>
            </details>
            <a className="button-link" href={`/api/v1/breaches/${b.id}/ap-draft`} download>
              {t('breaches.download')}
            </a>
          </section>
        );
      })}
    </>
  );
}
