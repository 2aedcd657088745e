import { useState } from 'react';
import { get } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime } from '../../format';
import type { Problem } from '../../types';
import type { BreachFields } from './breach-types';

/** What a customer is told: every field but the operator's overall estimates. */
type Told = Omit<BreachFields, 'subjectsApprox' | 'recordsApprox'>;
interface Content {
  kind: 'notice' | 'update' | 'closing';
  number: number;
  fields: Told;
  own: { contacts: number; responses: number; users: number; categories: string[]; noticeHours: number; deadline: string };
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

/** A data category by its name in the register's vocabulary, Dutch / English. */
const categoryName = (b: Breach, code: string) => (b.categoryLabels[code] ? `${b.categoryLabels[code].nl} / ${b.categoryLabels[code].en}` : code);

const KIND: Record<Content['kind'], string> = { notice: 'Melding / Notice', update: 'Update', closing: 'Afsluiting / Closing' };

/**
 * OBLIGATIONS BRE-4: the customer's breach log. Every breach Peil told this organisation of, with each
 * mail as sent, its own numbers (never another customer's), and the pre-filled draft of its own report
 * to the Autoriteit Persoonsgegevens (downloadable as Markdown). Owners and admins.
 */
export function BreachesPage() {
  useTitle('Datalekken / Breaches');
  const [breaches, setBreaches] = useState<Breach[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => setBreaches((await get<{ breaches: Breach[] }>('/api/v1/breaches')).breaches), setProblem);

  return (
    <>
      <h1 tabIndex={-1}>Datalekken / Breaches</h1>
      <p>
        Datalekken bij Peil die uw organisatie raken, zoals Peil ze u meldde, met uw eigen aantallen. U beslist zelf of u meldt bij de Autoriteit Persoonsgegevens (binnen 72 uur) en aan betrokkenen; het concept hieronder helpt daarbij. / Breaches at Peil that affect your
        organisation, as Peil reported them to you, with your own numbers. You decide whether to report to the Dutch Data Protection Authority (within 72 hours) and to the people concerned; the draft below helps.
      </p>
      <ProblemAlert problem={problem} />
      {breaches && breaches.length === 0 && <p>Geen datalekken gemeld. / No breaches reported.</p>}
      {breaches?.map((b) => {
        const f = b.current.fields;
        const o = b.current.own;
        return (
          <section key={b.id} aria-labelledby={`breach-${b.id}`}>
            <h2 id={`breach-${b.id}`}>
              Datalek nr. {b.number} / Breach no. {b.number} — {b.status === 'closed' ? 'afgesloten / closed' : 'open'}
            </h2>
            <dl>
              <dt>Omschrijving / Description</dt>
              <dd>{f.description}</dd>
              <dt>Oorzaak / Cause</dt>
              <dd>{f.cause}</dd>
              <dt>Begin / Started</dt>
              <dd>{formatDateTime(f.startedAt)}</dd>
              <dt>Ontdekt / Discovered</dt>
              <dd>{formatDateTime(f.discoveredAt)}</dd>
              <dt>Gemeld aan u / Reported to you</dt>
              <dd>
                {formatDateTime(b.notifiedAt)} (termijn / deadline {o.noticeHours} uur / hours: {formatDateTime(o.deadline)})
              </dd>
              <dt>Uw aantallen / Your numbers</dt>
              <dd>
                {o.contacts} contactpersonen / contacts, {o.responses} antwoorden / responses, {o.users} gebruikers / users; {o.categories.map((c) => categoryName(b, c)).join('; ') || '—'}
              </dd>
              <dt>Gevolgen / Consequences</dt>
              <dd>{f.consequences}</dd>
              <dt>Versleuteld / Encrypted</dt>
              <dd>{f.encrypted ? 'ja / yes' : 'nee / no'}</dd>
              <dt>Genomen maatregelen / Measures taken</dt>
              <dd>{f.measuresTaken}</dd>
              <dt>Voorgenomen maatregelen / Measures planned</dt>
              <dd>
                {f.measuresPlanned.length === 0 ? '—' : (
                  <ul>
                    {f.measuresPlanned.map((m, i) => (
                      <li key={i}>
                        {m.when}: {m.what}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
              <dt>Verwacht herstel / Expected recovery</dt>
              <dd>{f.expectedRecovery}</dd>
              <dt>Contactpunt / Contact point</dt>
              <dd>
                {f.contactPoint.name}, {f.contactPoint.email}
                {f.contactPoint.phone ? `, ${f.contactPoint.phone}` : ''}
              </dd>
            </dl>
            <h3>Berichten / Messages</h3>
            <ol>
              {b.messages.map((m) => (
                <li key={m.seq}>
                  {formatDateTime(m.sentAt)} — {KIND[m.kind]}
                  {m.content.note ? `: ${m.content.note}` : ''}
                </li>
              ))}
            </ol>
            <details>
              <summary>Concept-melding aan de AP / Draft report to the AP</summary>
              <pre style={{ whiteSpace: 'pre-wrap' }}>{b.apDraft}</pre>
            </details>
            <a className="button-link" href={`/api/v1/breaches/${b.id}/ap-draft`} download>
              Concept downloaden (Markdown) / Download the draft (Markdown)
            </a>
          </section>
        );
      })}
    </>
  );
}
