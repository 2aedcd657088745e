import { useEffect, useState } from 'react';
import { get, post, toProblem } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { plural } from '../format';
import type { EmailTemplate, FilterOp, ProfileField, Problem, RenderedMail, Selection, SelectionFilter, SkippedBy } from '../types';

export function skippedText(s: SkippedBy): string {
  const parts = [
    s.alreadyInvited ? `${s.alreadyInvited} already invited to this survey` : '',
    s.suppressed ? `${s.suppressed} on the suppression list` : '',
    s.throttled ? `${s.throttled} invited recently (throttling)` : '',
    s.notFound ? `${s.notFound} no longer a contact` : '',
  ].filter(Boolean);
  return parts.length ? `Skipped: ${parts.join(', ')}.` : '';
}

const STANDARD: ProfileField[] = [
  { key: 'language', type: 'choice', label: { nl: 'Taal', en: 'Language' }, options: ['nl', 'en'] },
  { key: 'gender', type: 'choice', label: { nl: 'Geslacht', en: 'Gender' }, options: ['female', 'male', 'other', 'unknown'] },
  { key: 'function', type: 'text', label: { nl: 'Functie', en: 'Function' } },
];

const OPS: { op: FilterOp; label: string }[] = [
  { op: 'eq', label: 'is' },
  { op: 'neq', label: 'is not' },
  { op: 'in', label: 'is one of (comma-separated)' },
  { op: 'notIn', label: 'is none of (comma-separated)' },
  { op: 'gt', label: 'greater / later than' },
  { op: 'gte', label: 'at least / from' },
  { op: 'lt', label: 'less / earlier than' },
  { op: 'lte', label: 'at most / until' },
  { op: 'exists', label: 'is filled in' },
  { op: 'missing', label: 'is empty' },
];

/** Filters on standard fields and on the profile fields (GET /api/v1/profile-fields; an empty list when that fails). */
export function SelectionBuilder({ value, onChange }: { value: Selection; onChange: (s: Selection) => void }) {
  const [profile, setProfile] = useState<ProfileField[]>([]);
  useEffect(() => {
    get<{ fields: ProfileField[] }>('/api/v1/profile-fields')
      .then((r) => setProfile(r.fields))
      .catch(() => setProfile([]));
  }, []);
  const fields: { field: string; def: ProfileField }[] = [
    ...STANDARD.map((d) => ({ field: d.key, def: d })),
    ...profile.map((d) => ({ field: `profile.${d.key}`, def: d })),
  ];
  const [custom, setCustom] = useState('');

  const set = (i: number, f: SelectionFilter) => onChange({ ...value, filters: value.filters.map((x, j) => (j === i ? f : x)) });
  const typeOf = (field: string) => fields.find((f) => f.field === field)?.def.type ?? 'text';
  const parse = (field: string, op: FilterOp, raw: string): SelectionFilter['value'] => {
    if (op === 'exists' || op === 'missing') return undefined;
    const one = (v: string): string | number => (typeOf(field) === 'number' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v.trim());
    return op === 'in' || op === 'notIn' ? raw.split(',').map(one).filter((v) => v !== '') : one(raw);
  };
  const shown = (v: SelectionFilter['value']) => (Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v));

  return (
    <fieldset className="picker">
      <legend>Select contacts by their fields</legend>
      <div className="field">
        <label htmlFor="sel-match">Which contacts?</label>
        <select id="sel-match" value={value.match} onChange={(e) => onChange({ ...value, match: e.currentTarget.value as 'all' | 'any' })}>
          <option value="all">Contacts matching every condition</option>
          <option value="any">Contacts matching at least one condition</option>
        </select>
      </div>
      {value.filters.length === 0 && <p className="hint">No conditions: every contact.</p>}
      <ol className="checklist">
        {value.filters.map((f, i) => (
          <li key={i} className="actions-row">
            <label>
              <span className="visually-hidden">Field of condition {i + 1}</span>
              <select value={f.field} onChange={(e) => set(i, { ...f, field: e.currentTarget.value })}>
                {fields.map((x) => (
                  <option key={x.field} value={x.field}>
                    {x.def.label.en}
                  </option>
                ))}
                {!fields.some((x) => x.field === f.field) && <option value={f.field}>{f.field}</option>}
              </select>
            </label>
            <label>
              <span className="visually-hidden">Comparison of condition {i + 1}</span>
              <select value={f.op} onChange={(e) => { const op = e.currentTarget.value as FilterOp; set(i, { ...f, op, value: parse(f.field, op, shown(f.value)) }); }}>
                {OPS.map((o) => (
                  <option key={o.op} value={o.op}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            {f.op !== 'exists' && f.op !== 'missing' && (
              <label>
                <span className="visually-hidden">Value of condition {i + 1}</span>
                <input
                  type={typeOf(f.field) === 'date' && f.op !== 'in' && f.op !== 'notIn' ? 'date' : 'text'}
                  value={shown(f.value)}
                  onChange={(e) => set(i, { ...f, value: parse(f.field, f.op, e.currentTarget.value) })}
                />
              </label>
            )}
            <button type="button" className="button-quiet" onClick={() => onChange({ ...value, filters: value.filters.filter((_, j) => j !== i) })}>
              Remove condition {i + 1}
            </button>
          </li>
        ))}
      </ol>
      <div className="actions-row">
        <button type="button" className="button-quiet" onClick={() => onChange({ ...value, filters: [...value.filters, { field: 'language', op: 'eq', value: 'nl' }] })}>
          Add a condition
        </button>
        <label>
          Other profile field (key){' '}
          <input value={custom} onChange={(e) => setCustom(e.currentTarget.value)} pattern="[a-z0-9_]{1,64}" size={16} />
        </label>
        <button
          type="button"
          className="button-quiet"
          disabled={!/^[a-z0-9_]{1,64}$/.test(custom)}
          onClick={() => {
            onChange({ ...value, filters: [...value.filters, { field: `profile.${custom}`, op: 'exists' }] });
            setCustom('');
          }}
        >
          Add condition on this field
        </button>
      </div>
    </fieldset>
  );
}

export interface SendOptionsValue {
  sendAt: string;
  remindersMax: number;
  intervalDays: number;
  templateId: string;
  reminderTemplateId: string;
}

export function SendOptions({ value, onChange }: { value: SendOptionsValue; onChange: (v: SendOptionsValue) => void }) {
  const [templates, setTemplates] = useState<EmailTemplate[]>([]);
  useEffect(() => {
    get<{ templates: EmailTemplate[] }>('/api/v1/email-templates')
      .then((r) => setTemplates(r.templates))
      .catch(() => setTemplates([]));
  }, []);
  const of = (kind: string) => templates.filter((t) => t.kind === kind);
  return (
    <fieldset>
      <legend>When and how</legend>
      <div className="field">
        <label htmlFor="send-at">Send at (leave empty to send now)</label>
        <input id="send-at" type="datetime-local" value={value.sendAt} onChange={(e) => onChange({ ...value, sendAt: e.currentTarget.value })} />
      </div>
      <div className="field">
        <label htmlFor="rem-max">Reminders to contacts who have not answered (0–5)</label>
        <input id="rem-max" type="number" min={0} max={5} value={value.remindersMax} onChange={(e) => onChange({ ...value, remindersMax: Number(e.currentTarget.value) })} />
      </div>
      {value.remindersMax > 0 && (
        <div className="field">
          <label htmlFor="rem-days">Days between mails (at least 1)</label>
          <input id="rem-days" type="number" min={1} max={90} value={value.intervalDays} onChange={(e) => onChange({ ...value, intervalDays: Number(e.currentTarget.value) })} />
        </div>
      )}
      <div className="field">
        <label htmlFor="tpl-inv">Invitation text</label>
        <select id="tpl-inv" value={value.templateId} onChange={(e) => onChange({ ...value, templateId: e.currentTarget.value })}>
          <option value="">Default template (or the survey's own text)</option>
          {of('invitation').map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
              {t.isDefault ? ' (default)' : ''}
            </option>
          ))}
        </select>
      </div>
      {value.remindersMax > 0 && (
        <div className="field">
          <label htmlFor="tpl-rem">Reminder text</label>
          <select id="tpl-rem" value={value.reminderTemplateId} onChange={(e) => onChange({ ...value, reminderTemplateId: e.currentTarget.value })}>
            <option value="">Default reminder template (or the survey's own text)</option>
            {of('reminder').map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
                {t.isDefault ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </div>
      )}
    </fieldset>
  );
}

/** The invitation as a sample contact would get it, and a test mail to the signed-in user's own address. */
export function MailPreview({ surveyId, templateId, kind = 'invitation', subject, body }: { surveyId: string; templateId?: string; kind?: 'invitation' | 'reminder'; subject?: { nl: string; en: string }; body?: { nl: string; en: string } }) {
  const [lang, setLang] = useState<'nl' | 'en'>('nl');
  const [mail, setMail] = useState<RenderedMail | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const input = { surveyId, kind, language: lang, ...(templateId ? { templateId } : {}), ...(subject && body ? { subject, body } : {}) };
  async function show() {
    setProblem(null);
    try {
      setMail(await post<RenderedMail>('/api/v1/email-templates/preview', input));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  async function testSend() {
    setProblem(null);
    setStatus('');
    try {
      const r = await post<{ to: string; ok: boolean }>('/api/v1/email-templates/test-send', input);
      setStatus(r.ok ? `A test mail was sent to ${r.to}.` : `The test mail to ${r.to} was not accepted.`);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  return (
    <section aria-label="Mail preview" className="mail-preview">
      <ProblemAlert problem={problem} />
      <div className="actions-row">
        <label>
          Language{' '}
          <select value={lang} onChange={(e) => setLang(e.currentTarget.value as 'nl' | 'en')}>
            <option value="nl">Dutch</option>
            <option value="en">English</option>
          </select>
        </label>
        <button type="button" className="button-quiet" onClick={() => void show()}>
          Preview the mail
        </button>
        <button type="button" className="button-quiet" onClick={() => void testSend()}>
          Send me a test mail
        </button>
      </div>
      <p role="status" className="status-line">
        {status}
      </p>
      {mail && (
        <div className="card">
          <p>
            <strong>Subject:</strong> {mail.subject}
          </p>
          <pre className="mail-text">{mail.text}</pre>
          <p className="hint">Links in a preview are examples; the real mail has each contact's personal link and unsubscribe link. {plural(Object.keys(mail.headers).length, 'header')}: {Object.keys(mail.headers).join(', ')}.</p>
        </div>
      )}
    </section>
  );
}
