import { useState } from 'react';
import { useCan } from '../../session';
import type { Survey } from '../../types';

type Format = 'csv' | 'xlsx' | 'sav' | 'jsonl';

const FORMATS: Array<{ value: Format; label: string }> = [
  { value: 'csv', label: 'CSV voor Excel (CSV for Excel)' },
  { value: 'xlsx', label: 'Excel-werkmap (XLSX workbook)' },
  { value: 'sav', label: 'SPSS (.sav)' },
  { value: 'jsonl', label: 'JSON lines (.jsonl)' },
];

/**
 * The downloads of a survey's responses (OBLIGATIONS SVC-4, ACC-2): a small menu with the format, the
 * language of labels and question texts, contact details (only for roles that may export them, and
 * only for identified surveys: the server refuses the rest too) and a header row with the question
 * texts (CSV, XLSX).
 */
export function ExportLinks({ survey, hidden }: { survey: Survey; hidden: boolean }) {
  const can = useCan();
  const [format, setFormat] = useState<Format>('csv');
  const [lang, setLang] = useState<'nl' | 'en'>('nl');
  const [contacts, setContacts] = useState(false);
  const [texts, setTexts] = useState(false);
  // A confidential survey has no per-response export (the server refuses it too).
  if (!can('responses:export') || hidden || survey.anonymity === 'confidential') return null;
  const contactsAllowed = can('responses:export-contacts') && survey.anonymity === 'identified';
  const params = new URLSearchParams({ lang });
  if (contacts && contactsAllowed) params.set('contacts', 'true');
  if (texts && (format === 'csv' || format === 'xlsx')) params.set('header', 'texts');
  const href = `/api/v1/surveys/${survey.id}/responses.${format}?${params.toString()}`;
  return (
    <details className="export-menu">
      <summary>Antwoorden downloaden (Download responses)</summary>
      <div className="row">
        <div className="field">
          <label htmlFor="export-format">Formaat (Format)</label>
          <select id="export-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="export-lang">Taal van labels (Language of labels)</label>
          <select id="export-lang" value={lang} onChange={(e) => setLang(e.target.value as 'nl' | 'en')}>
            <option value="nl">Nederlands (Dutch)</option>
            <option value="en">Engels (English)</option>
          </select>
        </div>
        {(format === 'csv' || format === 'xlsx') && (
          <div className="field">
            <label>
              <input type="checkbox" checked={texts} onChange={(e) => setTexts(e.target.checked)} /> Vraagteksten als tweede kopregel (Question texts as a second header row)
            </label>
          </div>
        )}
        {contactsAllowed && (
          <div className="field">
            <label>
              <input type="checkbox" checked={contacts} onChange={(e) => setContacts(e.target.checked)} /> Met contactgegevens (With contact details)
            </label>
          </div>
        )}
      </div>
      <p className="hint">
        {survey.anonymity === 'anonymous'
          ? 'Anonieme enquête: alleen de vrijgegeven antwoorden, zonder tijd of taal, in willekeurige volgorde. (Anonymous survey: only the released responses, without time or language, in random order.)'
          : 'Tijden in Nederlandse tijd (Europe/Amsterdam); CSV met ; en decimale komma, zoals Excel in het Nederlands het opent. (Times in Dutch time; CSV with ; and a decimal comma, as Dutch Excel opens it.)'}
      </p>
      <a className="button-link" href={href} download>
        Downloaden (Download)
      </a>
    </details>
  );
}
