import { useState } from 'react';
import { get, patch, put, toProblem } from '../../api';
import { useLoad } from '../../components/useLoad';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useTitle } from '../../components/useTitle';
import { formatDateTime } from '../../format';
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
  categories: Array<{ code: string; label: Bilingual; special: boolean; inRegister: boolean; derivedFrom: Source[]; note: string | null }>;
  dataSubjects: Item[];
  purposes: Item[];
  operations: Item[];
  retention: {
    contacts: { inactiveMonths: number | null };
    surveys: Array<{ surveyId: string; name: string; status: string; closedAt: string | null; monthsAfterClose: number | null; dueAt: string | null; erasedAt: string | null }>;
    logMonths: number;
  };
  special: { allowed: boolean; categories: string[]; freeText: Array<{ surveyId: string; name: string; texts: number; bsn: number; iban: number; health: number }>; scanComplete: boolean };
  drift: Array<{ category: string; label: Bilingual; special: boolean; source: Source }>;
}
interface Vocabulary {
  categories: Array<{ code: string; label: Bilingual; special: boolean }>;
  dataSubjects: Array<{ code: string; label: Bilingual }>;
  purposes: Array<{ code: string; label: Bilingual }>;
  operations: Array<{ code: string; label: Bilingual }>;
}

const both = (l: Bilingual) => (l.nl === l.en ? l.nl : `${l.nl} / ${l.en}`);

function sourceText(s: Source): string {
  switch (s.kind) {
    case 'built_in':
      return both(s.label);
    case 'profile_field':
      return `Profielveld / Profile field ${s.label.nl} (${s.id})`;
    case 'question':
      return `Vraag / Question ${s.id} – ${s.surveyName ?? ''}`;
  }
}

/**
 * OBLIGATIONS REG-1..REG-4: the register of processing (Annex 1 of the agreement). Categories of
 * personal data with drift flags, data subjects, purposes, operations, retention per survey and for
 * contacts, special categories and counts of free text that looks like a BSN, IBAN or health data.
 * Owners edit; admins read.
 */
export function RegisterPage() {
  useTitle('Register');
  const { me } = useSession();
  const owner = me?.permissions?.includes('register:manage') ?? false;
  const [reg, setReg] = useState<Register | null>(null);
  const [vocab, setVocab] = useState<Vocabulary | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [months, setMonths] = useState<Record<string, string>>({});
  useLoad(async () => {
    const [r, v] = await Promise.all([get<Register>('/api/v1/register'), get<Vocabulary>('/api/v1/register/vocabulary')]);
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
  const add = (kind: Kind, code: string) => run(() => patch<Register>('/api/v1/register', { add: [{ kind, code }] }), 'Opgenomen in het register. / Added to the register.');
  const remove = (kind: Kind, code: string) => run(() => patch<Register>('/api/v1/register', { remove: [{ kind, code }] }), 'Uit het register gehaald. / Removed from the register.');
  const monthsOf = (key: string, current: number | null) => months[key] ?? (current === null ? '' : String(current));
  const parseMonths = (v: string) => (v.trim() === '' ? null : Number(v));
  const saveRetention = (body: object) => run(() => put<Register>('/api/v1/register/retention', body), 'Bewaartermijn opgeslagen. / Retention saved.');

  function itemList(title: string, kind: Exclude<Kind, 'category'>, items: Item[], options: Array<{ code: string; label: Bilingual }>) {
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
                <button type="button" className="button-secondary button-small" disabled={busy} onClick={() => void remove(kind, i.code)} aria-label={`Verwijderen / Remove ${i.label.nl}`}>
                  Verwijderen / Remove
                </button>
              )}
            </li>
          ))}
        </ul>
        {owner && missing.length > 0 && (
          <label>
            Toevoegen / Add{' '}
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
      <h1 tabIndex={-1}>Register van verwerkingen / Register of processing</h1>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      {reg && vocab && (
        <>
          {reg.drift.length > 0 ? (
            <section aria-labelledby="drift">
              <h2 id="drift">Afwijkingen / Drift</h2>
              <p>
                Peil slaat gegevens op van categorieën die het register niet noemt. / Peil stores data of categories the register does not list.
              </p>
              <ul>
                {reg.drift.map((d, i) => (
                  <li key={`${d.category}-${i}`}>
                    <strong>{both(d.label)}</strong> ({d.category}){d.special ? ' – bijzonder persoonsgegeven / special category' : ''} – {sourceText(d.source)}{' '}
                    {owner && (
                      <button type="button" disabled={busy} onClick={() => void add('category', d.category)}>
                        Opnemen / Add to register
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          ) : (
            <p>Het register dekt alles wat Peil opslaat. / The register covers everything Peil stores.</p>
          )}

          <section>
            <h2>Categorieën persoonsgegevens / Categories of personal data</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Categorie / Category</th>
                  <th scope="col">Code</th>
                  <th scope="col">Waar opgeslagen / Where stored</th>
                  <th scope="col">In register</th>
                </tr>
              </thead>
              <tbody>
                {reg.categories.map((c) => (
                  <tr key={c.code}>
                    <td>
                      {both(c.label)}
                      {c.special && <div>Bijzonder / Special</div>}
                    </td>
                    <td>{c.code}</td>
                    <td>{c.derivedFrom.length ? c.derivedFrom.map(sourceText).join('; ') : '—'}</td>
                    <td>
                      {c.inRegister ? 'ja / yes' : 'nee – afwijking / no – drift'}
                      {owner && c.inRegister && c.derivedFrom.length === 0 && (
                        <div>
                          <button type="button" className="button-secondary button-small" disabled={busy} onClick={() => void remove('category', c.code)} aria-label={`Verwijderen / Remove ${c.label.nl}`}>
                            Verwijderen / Remove
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
                Categorie toevoegen / Add a category{' '}
                <select value="" disabled={busy} onChange={(e) => e.target.value && void add('category', e.target.value)}>
                  <option value="">—</option>
                  {vocab.categories
                    .filter((v) => !reg.categories.some((c) => c.code === v.code && c.inRegister) && (!v.special || reg.special.allowed))
                    .map((v) => (
                      <option key={v.code} value={v.code}>
                        {both(v.label)}
                      </option>
                    ))}
                </select>
              </label>
            )}
          </section>

          {itemList('Betrokkenen / Data subjects', 'subject', reg.dataSubjects, vocab.dataSubjects)}
          {itemList('Doeleinden / Purposes', 'purpose', reg.purposes, vocab.purposes)}
          {itemList('Verwerkingshandelingen / Processing operations', 'operation', reg.operations, vocab.operations)}

          <section>
            <h2>Bewaartermijnen / Retention</h2>
            <p>
              Na de termijn wist Peil de persoonsgegevens; scores en totalen blijven. / After the period Peil erases the personal data; scores and totals stay.
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Gegevens / Data set</th>
                  <th scope="col">Maanden / Months</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>Contacten zonder activiteit / Contacts without activity</td>
                  <td>
                    <input
                      type="number"
                      min={1}
                      max={120}
                      aria-label="Maanden contacten / Months for contacts"
                      disabled={!owner || busy}
                      value={monthsOf('contacts', reg.retention.contacts.inactiveMonths)}
                      onChange={(e) => setMonths({ ...months, contacts: e.target.value })}
                    />
                    {owner && (
                      <button type="button" disabled={busy} onClick={() => void saveRetention({ contacts: { inactiveMonths: parseMonths(monthsOf('contacts', reg.retention.contacts.inactiveMonths)) } })}>
                        Opslaan / Save
                      </button>
                    )}
                  </td>
                  <td>{reg.retention.contacts.inactiveMonths === null ? 'bewaard / kept' : 'automatisch gewist / erased automatically'}</td>
                </tr>
                {reg.retention.surveys.map((s) => (
                  <tr key={s.surveyId}>
                    <td>Enquête / Survey {s.name}</td>
                    <td>
                      {s.erasedAt ? (
                        String(s.monthsAfterClose ?? '')
                      ) : (
                        <>
                          <input
                            type="number"
                            min={1}
                            max={120}
                            aria-label={`Maanden na sluiten / Months after closing: ${s.name}`}
                            disabled={!owner || busy}
                            value={monthsOf(s.surveyId, s.monthsAfterClose)}
                            onChange={(e) => setMonths({ ...months, [s.surveyId]: e.target.value })}
                          />
                          {owner && (
                            <button type="button" disabled={busy} onClick={() => void saveRetention({ surveys: [{ surveyId: s.surveyId, monthsAfterClose: parseMonths(monthsOf(s.surveyId, s.monthsAfterClose)) }] })}>
                              Opslaan / Save
                            </button>
                          )}
                        </>
                      )}
                    </td>
                    <td>
                      {s.erasedAt
                        ? `gewist / erased ${formatDateTime(s.erasedAt)}`
                        : s.dueAt
                          ? `wordt gewist / to be erased ${formatDateTime(s.dueAt)}`
                          : s.status === 'closed'
                            ? 'gesloten, bewaard / closed, kept'
                            : 'open (termijn loopt na sluiten / period runs after closing)'}
                    </td>
                  </tr>
                ))}
                <tr>
                  <td>Logboek / Log</td>
                  <td>{reg.retention.logMonths}</td>
                  <td>volgens de verwerkersovereenkomst / as agreed in the processing agreement</td>
                </tr>
              </tbody>
            </table>
          </section>

          <section>
            <h2>Bijzondere persoonsgegevens / Special categories</h2>
            <p>
              {reg.special.allowed
                ? 'De verwerkersovereenkomst staat bijzondere persoonsgegevens toe. / The processing agreement allows special categories.'
                : 'De verwerkersovereenkomst staat geen bijzondere persoonsgegevens toe; Peil weigert velden en vragen die erom vragen. / The processing agreement does not allow special categories; Peil refuses fields and questions that ask for them.'}
            </p>
            {reg.special.categories.length > 0 && <p>In gebruik / In use: {reg.special.categories.join(', ')}</p>}
            <h3>Open antwoorden / Free-text answers</h3>
            <p>Aantallen, nooit de teksten. / Counts, never the texts.</p>
            {reg.special.freeText.length === 0 ? (
              <p>Nog geen open antwoorden. / No free-text answers yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Enquête / Survey</th>
                    <th scope="col">Met tekst / With text</th>
                    <th scope="col">BSN</th>
                    <th scope="col">IBAN</th>
                    <th scope="col">Gezondheid / Health</th>
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
            {!reg.special.scanComplete && <p>Nog niet alle antwoorden zijn gecontroleerd. / Not all answers have been checked yet.</p>}
          </section>
        </>
      )}
    </>
  );
}
