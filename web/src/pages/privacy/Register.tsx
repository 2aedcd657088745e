import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { get, patch, put, toProblem } from '../../api';
import { useLoad } from '../../components/useLoad';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useTitle } from '../../components/useTitle';
import { formatDateTime } from '../../format';
import { currentLanguage } from '../../i18n';
import { useSession } from '../../session';
import type { Problem } from '../../types';

type Bilingual = { nl: string; en: string };
type Kind = 'category' | 'subject' | 'purpose' | 'operation';
interface Source {
  kind: 'built_in' | 'profile_field' | 'question';
  id: string;
  surveyId?: string;
  surveyName?: string;
  label: Bilingual;
}
interface Item {
  code: string;
  label: Bilingual;
  note: string | null;
}
interface Register {
  categories: Array<{
    code: string;
    label: Bilingual;
    special: boolean;
    inRegister: boolean;
    derivedFrom: Source[];
    note: string | null;
  }>;
  dataSubjects: Item[];
  purposes: Item[];
  operations: Item[];
  retention: {
    contacts: { inactiveMonths: number | null };
    surveys: Array<{
      surveyId: string;
      name: string;
      status: string;
      closedAt: string | null;
      monthsAfterClose: number | null;
      dueAt: string | null;
      erasedAt: string | null;
    }>;
    logMonths: number;
  };
  special: {
    allowed: boolean;
    categories: string[];
    freeText: Array<{ surveyId: string; name: string; texts: number; bsn: number; iban: number; health: number }>;
    scanComplete: boolean;
  };
  drift: Array<{ category: string; label: Bilingual; special: boolean; source: Source }>;
}
interface Vocabulary {
  categories: Array<{ code: string; label: Bilingual; special: boolean }>;
  dataSubjects: Array<{ code: string; label: Bilingual }>;
  purposes: Array<{ code: string; label: Bilingual }>;
  operations: Array<{ code: string; label: Bilingual }>;
}

/** A term of the register's vocabulary in the user's language. */
const both = (l: Bilingual) => l[currentLanguage()];

function sourceText(t: TFunction<'privacy'>, s: Source): string {
  switch (s.kind) {
    case 'built_in':
      return both(s.label);
    case 'profile_field':
      return t('register.profileField', { label: both(s.label), id: s.id });
    case 'question':
      return t('register.question', { id: s.id, survey: s.surveyName ?? '' });
  }
}

/**
 * OBLIGATIONS REG-1..REG-4: the register of processing (Annex 1 of the agreement). Categories of
 * personal data with drift flags, data subjects, purposes, operations, retention per survey and for
 * contacts, special categories and counts of free text that looks like a BSN, IBAN or health data.
 * Owners edit; admins read.
 */
export function RegisterPage() {
  const { t } = useTranslation('privacy');
  useTitle(t('register.tabTitle'));
  const { me } = useSession();
  const owner = me?.permissions?.includes('register:manage') ?? false;
  const [reg, setReg] = useState<Register | null>(null);
  const [vocab, setVocab] = useState<Vocabulary | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [months, setMonths] = useState<Record<string, string>>({});
  useLoad(async () => {
    const [r, v] = await Promise.all([
      get<Register>('/api/v1/register'),
      get<Vocabulary>('/api/v1/register/vocabulary'),
    ]);
    setReg(r);
    setVocab(v);
  }, setProblem);

  async function run(what: () => Promise<Register>, done: string) {
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      setReg(await what());
      setStatus(done);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }
  const add = (kind: Kind, code: string) =>
    run(() => patch<Register>('/api/v1/register', { add: [{ kind, code }] }), t('register.added'));
  const remove = (kind: Kind, code: string) =>
    run(() => patch<Register>('/api/v1/register', { remove: [{ kind, code }] }), t('register.removed'));
  const monthsOf = (key: string, current: number | null) => months[key] ?? (current === null ? '' : String(current));
  const parseMonths = (v: string) => (v.trim() === '' ? null : Number(v));
  const saveRetention = (body: object) =>
    run(() => put<Register>('/api/v1/register/retention', body), t('register.retentionSaved'));

  function itemList(
    title: string,
    kind: Exclude<Kind, 'category'>,
    items: Item[],
    options: Array<{ code: string; label: Bilingual }>,
  ) {
    const missing = options.filter((o) => !items.some((i) => i.code === o.code));
    return (
      <section>
        <h2>{title}</h2>
        <ul>
          {items.map((i) => (
            <li key={i.code}>
              {both(i.label)}
              {i.note ? ` – ${i.note}` : ''}{' '}
              {owner && (
                <button
                  type="button"
                  className="button-secondary button-small"
                  disabled={busy}
                  onClick={() => void remove(kind, i.code)}
                  aria-label={t('register.removeLabel', { label: both(i.label) })}
                >
                  {t('register.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
        {owner && missing.length > 0 && (
          <label>
            {t('register.add')}{' '}
            <select value="" disabled={busy} onChange={(e) => e.target.value && void add(kind, e.target.value)}>
              <option value="">—</option>
              {missing.map((o) => (
                <option key={o.code} value={o.code}>
                  {both(o.label)}
                </option>
              ))}
            </select>
          </label>
        )}
      </section>
    );
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('register.title')}</h1>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      {reg && vocab && (
        <>
          {reg.drift.length > 0 ? (
            <section aria-labelledby="drift">
              <h2 id="drift">{t('register.drift')}</h2>
              <p>{t('register.driftIntro')}</p>
              <ul>
                {reg.drift.map((d, i) => (
                  <li key={`${d.category}-${i}`}>
                    <strong>{both(d.label)}</strong> ({d.category}){d.special ? t('register.specialMark') : ''} –{' '}
                    {sourceText(t, d.source)}{' '}
                    {owner && (
                      <button type="button" disabled={busy} onClick={() => void add('category', d.category)}>
                        {t('register.addToRegister')}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          ) : (
            <p>{t('register.covered')}</p>
          )}

          <section>
            <h2>{t('register.categories')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('register.col.category')}</th>
                  <th scope="col">{t('register.col.code')}</th>
                  <th scope="col">{t('register.col.where')}</th>
                  <th scope="col">{t('register.col.inRegister')}</th>
                </tr>
              </thead>
              <tbody>
                {reg.categories.map((c) => (
                  <tr key={c.code}>
                    <td>
                      {both(c.label)}
                      {c.special && <div>{t('register.special')}</div>}
                    </td>
                    <td>{c.code}</td>
                    <td>{c.derivedFrom.length ? c.derivedFrom.map((s) => sourceText(t, s)).join('; ') : '—'}</td>
                    <td>
                      {c.inRegister ? t('register.inRegisterYes') : t('register.inRegisterNo')}
                      {owner && c.inRegister && c.derivedFrom.length === 0 && (
                        <div>
                          <button
                            type="button"
                            className="button-secondary button-small"
                            disabled={busy}
                            onClick={() => void remove('category', c.code)}
                            aria-label={t('register.removeLabel', { label: both(c.label) })}
                          >
                            {t('register.remove')}
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {owner && (
              <label>
                {t('register.addCategory')}{' '}
                <select
                  value=""
                  disabled={busy}
                  onChange={(e) => e.target.value && void add('category', e.target.value)}
                >
                  <option value="">—</option>
                  {vocab.categories
                    .filter(
                      (v) =>
                        !reg.categories.some((c) => c.code === v.code && c.inRegister) &&
                        (!v.special || reg.special.allowed),
                    )
                    .map((v) => (
                      <option key={v.code} value={v.code}>
                        {both(v.label)}
                      </option>
                    ))}
                </select>
              </label>
            )}
          </section>

          {itemList(t('register.subjects'), 'subject', reg.dataSubjects, vocab.dataSubjects)}
          {itemList(t('register.purposes'), 'purpose', reg.purposes, vocab.purposes)}
          {itemList(t('register.operations'), 'operation', reg.operations, vocab.operations)}

          <section>
            <h2>{t('register.retention')}</h2>
            <p>{t('register.retentionIntro')}</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('register.col.dataSet')}</th>
                  <th scope="col">{t('register.col.months')}</th>
                  <th scope="col">{t('register.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>{t('register.contactsRow')}</td>
                  <td>
                    <input
                      type="number"
                      min={1}
                      max={120}
                      aria-label={t('register.contactsMonths')}
                      disabled={!owner || busy}
                      value={monthsOf('contacts', reg.retention.contacts.inactiveMonths)}
                      onChange={(e) => setMonths({ ...months, contacts: e.target.value })}
                    />
                    {owner && (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() =>
                          void saveRetention({
                            contacts: {
                              inactiveMonths: parseMonths(monthsOf('contacts', reg.retention.contacts.inactiveMonths)),
                            },
                          })
                        }
                      >
                        {t('register.save')}
                      </button>
                    )}
                  </td>
                  <td>
                    {reg.retention.contacts.inactiveMonths === null ? t('register.kept') : t('register.erasedAuto')}
                  </td>
                </tr>
                {reg.retention.surveys.map((s) => (
                  <tr key={s.surveyId}>
                    <td>{t('register.surveyRow', { name: s.name })}</td>
                    <td>
                      {s.erasedAt ? (
                        String(s.monthsAfterClose ?? '')
                      ) : (
                        <>
                          <input
                            type="number"
                            min={1}
                            max={120}
                            aria-label={t('register.surveyMonths', { name: s.name })}
                            disabled={!owner || busy}
                            value={monthsOf(s.surveyId, s.monthsAfterClose)}
                            onChange={(e) => setMonths({ ...months, [s.surveyId]: e.target.value })}
                          />
                          {owner && (
                            <button
                              type="button"
                              disabled={busy}
                              onClick={() =>
                                void saveRetention({
                                  surveys: [
                                    {
                                      surveyId: s.surveyId,
                                      monthsAfterClose: parseMonths(monthsOf(s.surveyId, s.monthsAfterClose)),
                                    },
                                  ],
                                })
                              }
                            >
                              {t('register.save')}
                            </button>
                          )}
                        </>
                      )}
                    </td>
                    <td>
                      {s.erasedAt
                        ? t('register.erasedAt', { at: formatDateTime(s.erasedAt) })
                        : s.dueAt
                          ? t('register.dueAt', { at: formatDateTime(s.dueAt) })
                          : s.status === 'closed'
                            ? t('register.closedKept')
                            : t('register.openRuns')}
                    </td>
                  </tr>
                ))}
                <tr>
                  <td>{t('register.log')}</td>
                  <td>{reg.retention.logMonths}</td>
                  <td>{t('register.asAgreed')}</td>
                </tr>
              </tbody>
            </table>
          </section>

          <section>
            <h2>{t('register.specialTitle')}</h2>
            <p>{reg.special.allowed ? t('register.specialAllowed') : t('register.specialRefused')}</p>
            {reg.special.categories.length > 0 && (
              <p>{t('register.inUse', { list: reg.special.categories.join(', ') })}</p>
            )}
            <h3>{t('register.freeText')}</h3>
            <p>{t('register.countsOnly')}</p>
            {reg.special.freeText.length === 0 ? (
              <p>{t('register.noFreeText')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('register.col.survey')}</th>
                    <th scope="col">{t('register.col.withText')}</th>
                    <th scope="col">{t('register.col.bsn')}</th>
                    <th scope="col">{t('register.col.iban')}</th>
                    <th scope="col">{t('register.col.health')}</th>
                  </tr>
                </thead>
                <tbody>
                  {reg.special.freeText.map((f) => (
                    <tr key={f.surveyId}>
                      <td>{f.name}</td>
                      <td>{f.texts}</td>
                      <td>{f.bsn}</td>
                      <td>{f.iban}</td>
                      <td>{f.health}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {!reg.special.scanComplete && <p>{t('register.notScanned')}</p>}
          </section>
        </>
      )}
    </>
  );
}
