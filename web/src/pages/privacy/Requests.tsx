import { useEffect, useRef, useState } from 'react';
import { get, post, toProblem } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime, formatDay } from '../../format';
import { Link } from '../../router';
import { useSession } from '../../session';
import type { Problem } from '../../types';

type Kind = 'access' | 'rectification' | 'erasure' | 'objection' | 'portability';
interface DsRequest {
  id: string;
  kind: Kind;
  status: 'received' | 'extended' | 'done' | 'refused';
  source: 'invitation' | 'open';
  email: string | null;
  message: string | null;
  contactId: string | null;
  receivedAt: string | null;
  dueOn: string | null;
  originalDueOn: string | null;
  extensionReason: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  overdue: boolean;
}
interface ErasurePreview {
  contact: boolean;
  invitations: number;
  responses: number;
  requests: number;
  logImagesUnreadable: number;
}

const KIND: Record<Kind, string> = {
  access: 'Inzage / Access',
  rectification: 'Correctie / Rectification',
  erasure: 'Verwijdering / Erasure',
  objection: 'Bezwaar / Objection',
  portability: 'Overdracht / Portability',
};
const STATUS: Record<DsRequest['status'], string> = {
  received: 'Open',
  extended: 'Verlengd / Extended',
  done: 'Uitgevoerd / Done',
  refused: 'Afgewezen / Refused',
};

/**
 * OBLIGATIONS DSR-1, DSR-2: requests of respondents, forwarded to this organisation once confirmed
 * by email. The organisation decides (owners); admins read. From a request the owner exports the
 * person (JSON, CSV), corrects the contact (Contacts page) or erases the person everywhere, after a
 * confirmation that names what will be removed.
 */
export function RequestsPage() {
  useTitle('Verzoeken / Requests');
  const { me } = useSession();
  const owner = me?.permissions?.includes('requests:manage') ?? false;
  const [list, setList] = useState<DsRequest[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState<Record<string, string>>({});
  const [erasing, setErasing] = useState<{ request: DsRequest; preview: ErasurePreview } | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const eraseTitle = useRef<HTMLHeadingElement>(null);
  // The confirmation appears above the list: take the keyboard and the screen reader there.
  useEffect(() => {
    if (erasing) eraseTitle.current?.focus();
  }, [erasing]);
  const load = useLoad(async () => setList((await get<{ requests: DsRequest[] }>('/api/v1/requests')).requests), setProblem);

  async function act(what: () => Promise<unknown>, done: string) {
    setBusy(true);
    setProblem(null);
    setMissing(null);
    setStatus('');
    try {
      await what();
      setStatus(done);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  /** An extension or a refusal needs a reason (the respondent is told it): said by the field, not by the server. */
  function withReason(r: DsRequest, what: (reason: string) => Promise<unknown>, done: string) {
    const given = reason[r.id]?.trim() ?? '';
    if (!given) {
      setMissing(r.id);
      document.getElementById(`reason-${r.id}`)?.focus();
      return;
    }
    void act(() => what(given), done);
  }

  async function askErase(r: DsRequest) {
    setProblem(null);
    try {
      setErasing({ request: r, preview: await get<ErasurePreview>(`/api/v1/contacts/${r.contactId}/erasure`) });
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>Verzoeken / Requests</h1>
      <p>
        Verzoeken van betrokkenen (inzage, correctie, verwijdering, bezwaar, overdracht), doorgestuurd nadat de betrokkene ze per e-mail bevestigde. U beslist als verwerkingsverantwoordelijke; Peil voert uit. Termijn: één maand na ontvangst, eenmaal te verlengen met twee maanden (met reden; de betrokkene krijgt bericht). /
        Requests of data subjects, forwarded once confirmed by email. You decide as the controller; Peil carries out. Due one month after receipt, extendable once by two months (with a reason the data subject is told).
      </p>
      <p>
        Anonieme vragenlijsten: antwoorden zijn aan niemand gekoppeld en kunnen niet per persoon gevonden of gewist worden. Vertrouwelijke: Peil kent de koppeling (wissen werkt), de export toont alleen het aantal antwoorden, niet de inhoud. /
        Anonymous surveys: answers are linked to nobody and cannot be found or erased per person. Confidential: Peil keeps the link (erasure works); the export shows the number of answers, not their content.
      </p>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      {erasing && (
        <section aria-labelledby="erase-title" className="card">
          <h2 id="erase-title" tabIndex={-1} ref={eraseTitle}>Persoon wissen? / Erase this person?</h2>
          <p>
            Dit verwijdert definitief / This removes for good: {erasing.preview.contact ? 'het contact / the contact, ' : ''}
            {erasing.preview.invitations} uitnodiging(en) / invitation(s), {erasing.preview.responses} gekoppelde antwoord(en) met labels / linked answer(s) with labels, {erasing.preview.requests} verzoek(en) (adres) / request(s) (address), e-mail in de outbox / outbox mail, opgeslagen API-antwoorden / stored API answers, webhookleveringen / webhook deliveries; {erasing.preview.logImagesUnreadable} beeld(en) in het logboek worden onleesbaar / image(s) in the log become unreadable. Het adres blijft geblokkeerd (alleen een vingerafdruk). / The address stays suppressed (a fingerprint only). Niet terug te draaien. / Cannot be undone.
          </p>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => void act(async () => { await post(`/api/v1/contacts/${erasing.request.contactId}/erasure`); setErasing(null); }, 'De persoon is gewist. / The person was erased.')}
          >
            Ja, wis deze persoon overal / Yes, erase this person everywhere
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setErasing(null)}>
            Annuleren / Cancel
          </button>
        </section>
      )}
      {list && list.length === 0 && <p>Geen verzoeken. / No requests.</p>}
      {list && list.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Soort / Kind</th>
              <th scope="col">Van / From</th>
              <th scope="col">Ontvangen / Received</th>
              <th scope="col">Uiterlijk / Due</th>
              <th scope="col">Status</th>
              {owner && <th scope="col">Acties / Actions</th>}
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id}>
                <td>
                  {KIND[r.kind]}
                  {r.message && <div className="hint">{r.message}</div>}
                </td>
                <td>
                  {r.email ?? '(gewist / erased)'}
                  <div className="hint">{r.contactId ? 'Contact gevonden / Contact found' : 'Geen contact met dit adres / No contact with this address'}</div>
                </td>
                <td>{r.receivedAt ? formatDateTime(r.receivedAt) : ''}</td>
                <td>
                  {r.dueOn ? formatDay(r.dueOn) : ''}
                  {r.overdue && <strong> — te laat / overdue</strong>}
                  {r.extensionReason && <div className="hint">Verlengd: / Extended: {r.extensionReason}</div>}
                </td>
                <td>
                  {STATUS[r.status]}
                  {r.decisionReason && <div className="hint">{r.decisionReason}</div>}
                </td>
                {owner && (
                  <td>
                    {r.contactId && r.email && (
                      <p>
                        <a href={`/api/v1/contacts/${r.contactId}/export?format=json`} download>Exporteren JSON / Export JSON</a> ·{' '}
                        <a href={`/api/v1/contacts/${r.contactId}/export?format=csv`} download>Exporteren CSV (ZIP) / Export CSV (ZIP)</a> ·{' '}
                        <Link to="/app/contacts">Corrigeren / Correct</Link> ·{' '}
                        <button type="button" className="danger" onClick={() => void askErase(r)}>Wissen… / Erase…</button>
                      </p>
                    )}
                    {(r.status === 'received' || r.status === 'extended') && (
                      <>
                        <label htmlFor={`reason-${r.id}`}>Reden / Reason</label>
                        <input
                          id={`reason-${r.id}`}
                          maxLength={2000}
                          value={reason[r.id] ?? ''}
                          aria-invalid={missing === r.id ? true : undefined}
                          aria-describedby={missing === r.id ? `reason-${r.id}-err` : undefined}
                          onChange={(e) => setReason({ ...reason, [r.id]: e.target.value })}
                        />
                        {missing === r.id && (
                          <p className="field-error" id={`reason-${r.id}-err`}>
                            Geef een reden op; de betrokkene krijgt die te lezen. / Give a reason; the data subject is told it.
                          </p>
                        )}
                        <button type="button" disabled={busy} onClick={() => void act(() => post(`/api/v1/requests/${r.id}/decision`, { decision: 'done', reason: reason[r.id] || undefined }), 'Vastgelegd: uitgevoerd. / Recorded: done.')}>Uitgevoerd / Done</button>{' '}
                        <button type="button" className="secondary" disabled={busy} onClick={() => withReason(r, (why) => post(`/api/v1/requests/${r.id}/decision`, { decision: 'refused', reason: why }), 'Vastgelegd: afgewezen. / Recorded: refused.')}>Afwijzen / Refuse</button>{' '}
                        {r.status === 'received' && (
                          <button type="button" className="secondary" disabled={busy} onClick={() => withReason(r, (why) => post(`/api/v1/requests/${r.id}/extension`, { reason: why }), 'Termijn verlengd. / Due date extended.')}>Verlengen (+2 mnd) / Extend (+2 mo)</button>
                        )}
                      </>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
