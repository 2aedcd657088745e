import { useState, type ChangeEvent } from 'react';
import { get, post, toProblem } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime } from '../../format';
import type { AuditAnchor, AuditAnchors, AuditVerification, Problem } from '../../types';

const where = (a: AuditAnchor): string =>
  a.channel === 'download'
    ? 'gedownload / downloaded'
    : `gemaild aan ${a.sentTo === 'privacy_contact' ? 'de privacycontactpersoon / mailed to the privacy contact' : 'de eigenaren / mailed to the owners'} (${a.recipients})`;

/**
 * Issue 16 (OBLIGATIONS LOG-3): evidence the processor cannot rewrite alone. The organisation holds
 * signed heads of its audit log outside Peil (downloaded here, mailed on a schedule); this page shows
 * which went out, when and where, and checks the log against a head the organisation holds.
 */
export function EvidencePage() {
  useTitle('Bewijs / Evidence');
  const [data, setData] = useState<AuditAnchors | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useLoad(async () => setData(await get<AuditAnchors>('/api/v1/audit/anchors')), setProblem);

  async function check(e: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(e.target.files ?? []);
    if (files.length === 0) return;
    setBusy(true);
    setProblem(null);
    setResult(null);
    try {
      const heads = await Promise.all(files.map((f) => f.text()));
      setResult(await post<AuditVerification>('/api/v1/audit/verification', { heads }));
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
      e.target.value = '';
    }
  }

  const last = data?.anchors[0] ?? null;
  return (
    <>
      <h1 tabIndex={-1}>Bewijs / Evidence</h1>
      <p>
        Elke handeling met uw persoonsgegevens staat in een logboek waarin elke regel met een hash aan de vorige vastzit. Een ondertekende stand van dat logboek die u buiten Peil bewaart, kan Peil niet terugnemen:
        wie hem heeft, ziet later elke verwijderde of herschreven regel ervoor, ook als die bij de verwerker is weggehaald. / Every action on your personal data is in a log in which each entry is tied to the one before
        by a hash. A signed head of that log that you keep outside Peil cannot be taken back by Peil: whoever holds it later sees every entry before it that was removed or rewritten, also at the processor.
      </p>
      <ProblemAlert problem={problem} />
      {data && (
        <>
          <section className="card" aria-labelledby="ev-last">
            <h2 id="ev-last">Laatst verankerde stand / Last anchored head</h2>
            {last ? (
              <dl className="pairs">
                <dt>Volgnummer / Sequence number</dt>
                <dd>{last.seq}</dd>
                <dt>Hash</dt>
                <dd>
                  <code>{last.hash}</code>
                </dd>
                <dt>Ondertekend / Signed</dt>
                <dd>
                  {formatDateTime(last.signedAt)} (sleutel / key {last.keyId})
                </dd>
                <dt>Waarheen / Where</dt>
                <dd>{where(last)}</dd>
                <dt>Laatst gemaild / Last mailed</dt>
                <dd>{data.lastMailed ? `${formatDateTime(data.lastMailed.signedAt)}, ${where(data.lastMailed)}` : 'nog niet / not yet'}</dd>
              </dl>
            ) : (
              <p>Nog geen stand verstuurd of gedownload. / No head sent or downloaded yet.</p>
            )}
            <p className="muted small">
              {data.anchorDays > 0
                ? `Elke ${data.anchorDays} dagen mailt Peil de stand aan uw privacycontactpersoon (anders de eigenaren). / Every ${data.anchorDays} days Peil mails the head to your privacy contact (else the owners).`
                : 'Peil mailt de stand niet automatisch; download hem zelf. / Peil does not mail the head on a schedule; download it yourself.'}{' '}
              Huidig volgnummer / Current sequence number: {data.current.seq}.
            </p>
            <p>
              <a className="button-link" href="/api/v1/audit/head" download onClick={() => setTimeout(() => void load(), 1000)}>
                Ondertekende stand downloaden / Download the signed head
              </a>
            </p>
          </section>
          <section className="card" aria-labelledby="ev-check">
            <h2 id="ev-check">Controleren / Check</h2>
            <div className="field">
              <label htmlFor="ev-heads">Stand(en) die u bewaart (bestand of opgeslagen e-mail) / Head(s) you hold (file or saved mail)</label>
              <input id="ev-heads" type="file" multiple accept=".json,.txt,.eml,application/json,text/plain" disabled={busy} onChange={(e) => void check(e)} />
            </div>
            {result && (
              <div role="status">
                <p>
                  <strong>{result.ok ? 'In orde: er is niets verwijderd of herschreven tot en met deze stand(en). / In order: nothing up to these head(s) was removed or rewritten.' : 'Niet in orde / Not in order'}</strong>
                </p>
                {result.problem && <p>{result.problem.message}</p>}
                <ul>
                  {(result.heads ?? []).map((h) => (
                    <li key={`${h.seq}-${h.signedAt}`}>
                      {h.outcome === 'failed' ? '✗' : '✓'} {h.seq} ({formatDateTime(h.signedAt)}): {h.message}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <p className="muted small">
              Zonder Peil: de beheerder draait <code>peil audit verify --head &lt;bestand&gt;</code>; de handtekening is te controleren met de publieke sleutel in het bestand (Ed25519, sleutel {data.signingKey.keyId}). / Without
              Peil: the operator runs <code>peil audit verify --head &lt;file&gt;</code>; the signature checks with the public key in the file (Ed25519, key {data.signingKey.keyId}).
            </p>
          </section>
          <h2>Verstuurde standen / Heads sent</h2>
          {data.anchors.length === 0 ? (
            <p>Nog geen. / None yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Ondertekend / Signed</th>
                  <th scope="col">Volgnummer / Seq</th>
                  <th scope="col">Waarheen / Where</th>
                </tr>
              </thead>
              <tbody>
                {data.anchors.map((a) => (
                  <tr key={`${a.signedAt}-${a.channel}-${a.seq}`}>
                    <td>{formatDateTime(a.signedAt)}</td>
                    <td>{a.seq}</td>
                    <td>{where(a)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
