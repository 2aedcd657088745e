import { useState, type FormEvent } from 'react';
import { api, get, toProblem } from '../api';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../components/useLoad';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
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

/** The terms in the order of the agreement, Dutch first with English beside it. */
const TERMS: [string, string, (v: number | string | boolean) => string][] = [
  ['breachNoticeHours', 'Melding datalek / Breach notice', (v) => `${v} uur / hours`],
  ['subprocessorObjectionDays', 'Bezwaar subverwerker / Sub-processor objection', (v) => `${v} dagen / days`],
  ['dpaChangeObjectionWorkingDays', 'Bezwaar wijziging / Objection to a change', (v) => `${v} werkdagen / working days`],
  ['auditsPerYear', 'Audits per kalenderjaar / Audits per calendar year', (v) => String(v)],
  ['auditNoticeDays', 'Aankondiging audit / Audit notice', (v) => `${v} dagen / days`],
  ['returnWindowDays', 'Teruggave na einde / Return after the end', (v) => `${v} dagen / days`],
  ['choiceDeadlineDays', 'Keuze teruggeven of verwijderen / Choice to return or delete', (v) => `${v} dagen / days`],
  ['logRetentionMonths', 'Bewaartermijn logbestanden / Log retention', (v) => `${v} maanden / months`],
  ['processingLocation', 'Verwerkingslocatie / Processing location', (v) => String(v)],
  ['specialCategoriesAllowed', 'Bijzondere persoonsgegevens / Special categories', (v) => (v ? 'toegestaan / allowed' : 'niet toegestaan / not allowed')],
];

const date = (d: string) => new Date(`${d}T12:00:00Z`).toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric' });

/** OBLIGATIONS AGR-1, AGR-2, AGR-5: the processing agreement; owners change contacts and give notice. */
export function AgreementPage({ canManage }: { canManage: boolean }) {
  useTitle('Verwerkersovereenkomst / Processing agreement');
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
      setA(await api<Agreement>('PATCH', '/api/v1/agreement/contacts', { customer: { name: text('name'), email: text('email') }, privacyEmail: text('privacyEmail') }));
      setStatus('Contactgegevens opgeslagen. / Contact details saved.');
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
      setStatus(`Opzegging vastgelegd; de overeenkomst eindigt op ${date(r.endsOn!)}. / Notice recorded; the agreement ends on ${r.endsOn}.`);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>Verwerkersovereenkomst / Processing agreement</h1>
      <ProblemAlert problem={problem} />
      <p role="status">{status}</p>
      {a && (
        <>
          <dl>
            <dt>Verwerker / Processor</dt>
            <dd>{a.parties.processor.name}</dd>
            <dt>Verwerkingsverantwoordelijke / Controller</dt>
            <dd>{a.parties.controller.name}</dd>
            <dt>Versie / Version</dt>
            <dd>{a.version}</dd>
            <dt>Ingangsdatum / Start</dt>
            <dd>{date(a.startDate)}</dd>
            <dt>Looptijd / Term</dt>
            <dd>
              {a.termMonths} maanden / months;{' '}
              {a.renewalMonths ? `stilzwijgend verlengd met ${a.renewalMonths} maanden / renewed automatically by ${a.renewalMonths} months` : 'geen verlenging / no renewal'}
            </dd>
            <dt>Huidige periode / Current term</dt>
            <dd>
              {date(a.currentTermStart)} – {date(a.currentTermEnd)}
            </dd>
            <dt>Opzeggen uiterlijk / Notice deadline</dt>
            <dd>
              {date(a.noticeDeadline)} ({a.noticeMonths} maanden opzegtermijn / months notice)
            </dd>
            {a.notice && (
              <>
                <dt>Opgezegd / Notice given</dt>
                <dd>
                  {formatDateTime(a.notice.givenAt)}
                  {a.notice.late ? ' (te laat: de overeenkomst loopt door tot het einde van de verlengde periode / late: the agreement runs to the end of the renewed term)' : ''}
                </dd>
              </>
            )}
            {a.endsOn && (
              <>
                <dt>Einde / Ends</dt>
                <dd>{date(a.endsOn)}</dd>
              </>
            )}
          </dl>
          <h2>Afspraken / Terms</h2>
          <dl>
            {TERMS.map(([key, label, show]) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd>{a.terms[key] === undefined ? '' : show(a.terms[key])}</dd>
              </div>
            ))}
          </dl>
          <h2>Contactpersonen / Contacts</h2>
          <p>
            {a.parties.processor.name}: {a.contacts.processor.name ?? '—'} {a.contacts.processor.email ? `<${a.contacts.processor.email}>` : ''}
          </p>
          {canManage ? (
            <form onSubmit={(e) => void saveContacts(e)}>
              <Field label="Contactpersoon / Contact person" name="name" defaultValue={a.contacts.customer.name ?? ''} errors={fieldErrors(problem, '/body/customer/name')} />
              <Field label="E-mail contactpersoon / Contact email" name="email" type="email" defaultValue={a.contacts.customer.email ?? ''} errors={fieldErrors(problem, '/body/customer/email')} />
              <Field label="E-mail privacycontact / Privacy contact email" name="privacyEmail" type="email" defaultValue={a.contacts.privacyEmail ?? ''} errors={fieldErrors(problem, '/body/privacyEmail')} />
              <button type="submit">Opslaan / Save</button>
            </form>
          ) : (
            <p>
              {a.contacts.customer.name ?? '—'} {a.contacts.customer.email ? `<${a.contacts.customer.email}>` : ''}; privacy: {a.contacts.privacyEmail ?? '—'}
            </p>
          )}
          {canManage && !a.notice && a.status === 'running' && (
            <>
              <h2>Opzeggen / Give notice</h2>
              {confirming ? (
                <div className="actions-row">
                  <button type="button" className="button-danger" onClick={() => void giveNotice()}>
                    Ja, zeg de overeenkomst op / Yes, give notice
                  </button>
                  <button type="button" className="button-quiet" onClick={() => setConfirming(false)}>
                    Annuleren / Cancel
                  </button>
                </div>
              ) : (
                <button type="button" onClick={() => setConfirming(true)}>
                  Overeenkomst opzeggen / Give notice
                </button>
              )}
            </>
          )}
        </>
      )}
    </>
  );
}
