import { useState } from 'react';
import { get, post, toProblem } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime, formatDay } from '../../format';
import type { Problem } from '../../types';

interface Ending {
  status: 'active' | 'suspended' | 'ended';
  endsOn: string | null;
  reminders: Array<{ days: number; due: string; sentAt: string | null }>;
  ended: null | {
    at: string;
    by: 'operator' | 'agreement';
    choiceDeadline: string;
    returnWindowDays: number;
    choice: 'return' | 'deletion' | null;
    choiceAt: string | null;
    returnUntil: string | null;
    deletionDueAt: string | null;
    deletedAt: string | null;
  };
}

const CHOICE = { return: 'Teruggave / Return', deletion: 'Verwijdering / Deletion' } as const;

/**
 * OBLIGATIONS END-1..END-3: the end of the agreement, for owners: the end date and the reminders to
 * export, the full export (a ZIP of CSV, JSON and XLSX per table with a signed manifest), and after
 * the end the choice between return and deletion with its deadline. After the end this is the one
 * page an owner's session still reaches.
 */
export function EndingPage() {
  useTitle('Einde van de overeenkomst / End of agreement');
  const [data, setData] = useState<Ending | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const load = useLoad(async () => setData(await get<Ending>('/api/v1/ending')), setProblem);

  async function choose(choice: 'return' | 'deletion') {
    const sure = choice === 'deletion'
      ? 'Alle gegevens worden verwijderd; dit kan niet ongedaan worden gemaakt. Doorgaan? / All data will be deleted; this cannot be undone. Continue?'
      : 'Teruggave kiezen: de export blijft beschikbaar tijdens de teruggavetermijn, daarna worden de gegevens verwijderd. Doorgaan? / Choose return: the export stays available during the return window, then the data is deleted. Continue?';
    if (!window.confirm(sure)) return;
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      setData(await post<Ending>('/api/v1/ending/choice', { choice }));
      setStatus(`Keuze vastgelegd: ${CHOICE[choice]}. / Choice recorded: ${CHOICE[choice]}.`);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const e = data?.ended;
  return (
    <>
      <h1 tabIndex={-1}>Einde van de overeenkomst / End of agreement</h1>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      {data && (
        <>
          <p>
            {data.endsOn
              ? `De overeenkomst eindigt op ${formatDay(data.endsOn)} (de eerste dag zonder overeenkomst). / The agreement ends on ${formatDay(data.endsOn)} (the first day without it).`
              : 'De overeenkomst wordt automatisch verlengd; er is geen einddatum. / The agreement renews automatically; there is no end date.'}
          </p>
          {data.reminders.length > 0 && (
            <table>
              <caption>Herinneringen om te exporteren / Reminders to export</caption>
              <thead>
                <tr>
                  <th scope="col">Dagen vooraf / Days before</th>
                  <th scope="col">Op / On</th>
                  <th scope="col">Verstuurd / Sent</th>
                </tr>
              </thead>
              <tbody>
                {data.reminders.map((r) => (
                  <tr key={r.days}>
                    <td>{r.days}</td>
                    <td>{formatDay(r.due)}</td>
                    <td>{r.sentAt ? formatDateTime(r.sentAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Volledige export / Full export</h2>
          <p>
            Al uw gegevens in open formaten: per tabel CSV, JSON en XLSX, met een ondertekend manifest (rijen en SHA-256 per bestand). / All your data in open
            formats: CSV, JSON and XLSX per table, with a signed manifest (rows and SHA-256 per file).
          </p>
          <p>
            <a className="button-link" href="/api/v1/export" download>
              Volledige export downloaden (ZIP) / Download the full export (ZIP)
            </a>
          </p>
          {e && (
            <>
              <h2>Na het einde / After the end</h2>
              <p>
                Beëindigd op / Ended on {formatDateTime(e.at)}. Uiterste keuzedatum / Choice deadline: <strong>{formatDateTime(e.choiceDeadline)}</strong>. Zonder keuze
                worden de gegevens dan verwijderd. / Without a choice the data is deleted then.
              </p>
              {e.choice ? (
                <p>
                  Keuze / Choice: <strong>{CHOICE[e.choice]}</strong> ({formatDateTime(e.choiceAt!)})
                  {e.returnUntil && `. Export beschikbaar tot / Export available until ${formatDateTime(e.returnUntil)}`}
                  {e.deletionDueAt && `. Verwijdering / Deletion: ${formatDateTime(e.deletionDueAt)}`}.
                </p>
              ) : (
                <div className="actions">
                  <button type="button" disabled={busy} onClick={() => void choose('return')}>
                    Teruggave ({e.returnWindowDays} dagen) / Return ({e.returnWindowDays} days)
                  </button>{' '}
                  <button type="button" className="danger" disabled={busy} onClick={() => void choose('deletion')}>
                    Nu verwijderen / Delete now
                  </button>
                </div>
              )}
            </>
          )}
          <button type="button" className="secondary" onClick={() => void load()}>
            Vernieuwen / Refresh
          </button>
        </>
      )}
    </>
  );
}
