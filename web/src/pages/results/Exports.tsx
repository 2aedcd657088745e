import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../session';
import type { Survey } from '../../types';

type Format = 'csv' | 'xlsx' | 'sav' | 'jsonl';

const FORMATS: Format[] = ['csv', 'xlsx', 'sav', 'jsonl'];

/**
 * The downloads of a survey's responses (OBLIGATIONS SVC-4, ACC-2): a small menu with the format, the
 * language of labels and question texts, contact details (only for roles that may export them, and
 * only for identified surveys: the server refuses the rest too) and a header row with the question
 * texts (CSV, XLSX).
 */
export function ExportLinks({ survey, hidden }: { survey: Survey; hidden: boolean }) {
  const { t } = useTranslation(['results', 'common']);
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
      <summary>{t('export.summary')}</summary>
      <div className="row">
        <div className="field">
          <label htmlFor="export-format">{t('export.format')}</label>
          <select id="export-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`export.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="export-lang">{t('export.lang')}</label>
          <select id="export-lang" value={lang} onChange={(e) => setLang(e.target.value as 'nl' | 'en')}>
            <option value="nl">{t('common:languageNames.nl')}</option>
            <option value="en">{t('common:languageNames.en')}</option>
          </select>
        </div>
        {(format === 'csv' || format === 'xlsx') && (
          <div className="field">
            <label>
              <input type="checkbox" checked={texts} onChange={(e) => setTexts(e.target.checked)} /> {t('export.texts')}
            </label>
          </div>
        )}
        {contactsAllowed && (
          <div className="field">
            <label>
              <input type="checkbox" checked={contacts} onChange={(e) => setContacts(e.target.checked)} />{' '}
              {t('export.contacts')}
            </label>
          </div>
        )}
      </div>
      <p className="hint">{survey.anonymity === 'anonymous' ? t('export.anonymous') : t('export.times')}</p>
      <a className="button-link" href={href} download>
        {t('export.download')}
      </a>
    </details>
  );
}
