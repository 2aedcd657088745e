import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../api';
import { i18n } from '../i18n';
import { uiText } from '../surveyText';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatNumber } from '../format';
import type {
  EmailTemplate,
  FilterOp,
  ProfileField,
  Problem,
  RenderedMail,
  Selection,
  SelectionFilter,
  SkippedBy,
} from '../types';

export function skippedText(s: SkippedBy): string {
  const parts = [
    s.alreadyInvited ? i18n.t('send:skipped.already', { count: formatNumber(s.alreadyInvited) }) : '',
    s.suppressed ? i18n.t('send:skipped.suppressed', { count: formatNumber(s.suppressed) }) : '',
    s.throttled ? i18n.t('send:skipped.throttled', { count: formatNumber(s.throttled) }) : '',
    s.notFound ? i18n.t('send:skipped.notFound', { count: formatNumber(s.notFound) }) : '',
  ].filter(Boolean);
  return parts.length ? i18n.t('send:skipped.text', { list: parts.join(', ') }) : '';
}

/** A field a selection can filter on: the contact's own fields and the profile fields. */
type Selectable = Pick<ProfileField, 'key' | 'type' | 'label' | 'options'>;

const STANDARD: Selectable[] = [
  { key: 'language', type: 'choice', label: { nl: 'Taal', en: 'Language' }, options: ['nl', 'en'] },
  {
    key: 'gender',
    type: 'choice',
    label: { nl: 'Geslacht', en: 'Gender' },
    options: ['female', 'male', 'other', 'unknown'],
  },
  { key: 'function', type: 'text', label: { nl: 'Functie', en: 'Function' } },
];

const OPS: FilterOp[] = ['eq', 'neq', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'exists', 'missing'];

/** Filters on standard fields and on the profile fields (GET /api/v1/profile-fields; an empty list when that fails). */
export function SelectionBuilder({ value, onChange }: { value: Selection; onChange: (s: Selection) => void }) {
  const { t } = useTranslation(['send', 'common']);
  const [profile, setProfile] = useState<ProfileField[]>([]);
  useEffect(() => {
    get<{ fields: ProfileField[] }>('/api/v1/profile-fields')
      .then((r) => setProfile(r.fields))
      .catch(() => setProfile([]));
  }, []);
  const fields: { field: string; def: Selectable }[] = [
    ...STANDARD.map((d) => ({ field: d.key, def: d })),
    ...profile.map((d) => ({ field: `profile.${d.key}`, def: d })),
  ];
  const [custom, setCustom] = useState('');

  const set = (i: number, f: SelectionFilter) =>
    onChange({ ...value, filters: value.filters.map((x, j) => (j === i ? f : x)) });
  const typeOf = (field: string) => fields.find((f) => f.field === field)?.def.type ?? 'text';
  const parse = (field: string, op: FilterOp, raw: string): SelectionFilter['value'] => {
    if (op === 'exists' || op === 'missing') return undefined;
    const one = (v: string): string | number =>
      typeOf(field) === 'number' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v.trim();
    return op === 'in' || op === 'notIn'
      ? raw
          .split(',')
          .map(one)
          .filter((v) => v !== '')
      : one(raw);
  };
  const shown = (v: SelectionFilter['value']) => (Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v));

  return (
    <fieldset className="picker">
      <legend>{t('sel.legend')}</legend>
      <div className="field">
        <label htmlFor="sel-match">{t('sel.which')}</label>
        <select
          id="sel-match"
          value={value.match}
          onChange={(e) => onChange({ ...value, match: e.currentTarget.value as 'all' | 'any' })}
        >
          <option value="all">{t('sel.all')}</option>
          <option value="any">{t('sel.any')}</option>
        </select>
      </div>
      {value.filters.length === 0 && <p className="hint">{t('sel.none')}</p>}
      <ol className="checklist">
        {value.filters.map((f, i) => (
          <li key={i} className="actions-row">
            <label>
              <span className="visually-hidden">{t('sel.field', { n: i + 1 })}</span>
              <select value={f.field} onChange={(e) => set(i, { ...f, field: e.currentTarget.value })}>
                {fields.map((x) => (
                  <option key={x.field} value={x.field}>
                    {uiText(x.def.label)}
                  </option>
                ))}
                {!fields.some((x) => x.field === f.field) && <option value={f.field}>{f.field}</option>}
              </select>
            </label>
            <label>
              <span className="visually-hidden">{t('sel.comparison', { n: i + 1 })}</span>
              <select
                value={f.op}
                onChange={(e) => {
                  const op = e.currentTarget.value as FilterOp;
                  set(i, { ...f, op, value: parse(f.field, op, shown(f.value)) });
                }}
              >
                {OPS.map((o) => (
                  <option key={o} value={o}>
                    {t(`ops.${o}`)}
                  </option>
                ))}
              </select>
            </label>
            {f.op !== 'exists' && f.op !== 'missing' && (
              <label>
                <span className="visually-hidden">{t('sel.value', { n: i + 1 })}</span>
                <input
                  type={typeOf(f.field) === 'date' && f.op !== 'in' && f.op !== 'notIn' ? 'date' : 'text'}
                  value={shown(f.value)}
                  onChange={(e) => set(i, { ...f, value: parse(f.field, f.op, e.currentTarget.value) })}
                />
              </label>
            )}
            <button
              type="button"
              className="button-quiet"
              onClick={() => onChange({ ...value, filters: value.filters.filter((_, j) => j !== i) })}
            >
              {t('sel.remove', { n: i + 1 })}
            </button>
          </li>
        ))}
      </ol>
      <div className="actions-row">
        <button
          type="button"
          className="button-quiet"
          onClick={() =>
            onChange({ ...value, filters: [...value.filters, { field: 'language', op: 'eq', value: 'nl' }] })
          }
        >
          {t('sel.add')}
        </button>
        <label>
          {t('sel.other')}{' '}
          <input
            value={custom}
            onChange={(e) => setCustom(e.currentTarget.value)}
            pattern="[a-z0-9_]{1,64}"
            size={16}
          />
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
          {t('sel.addOn')}
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
  const { t } = useTranslation(['send', 'common']);
  const [templates, setTemplates] = useState<EmailTemplate[]>([]);
  useEffect(() => {
    get<{ templates: EmailTemplate[] }>('/api/v1/email-templates')
      .then((r) => setTemplates(r.templates))
      .catch(() => setTemplates([]));
  }, []);
  const of = (kind: string) => templates.filter((x) => x.kind === kind);
  return (
    <fieldset>
      <legend>{t('opts.legend')}</legend>
      <div className="field">
        <label htmlFor="send-at">{t('opts.sendAt')}</label>
        <input
          id="send-at"
          type="datetime-local"
          value={value.sendAt}
          onChange={(e) => onChange({ ...value, sendAt: e.currentTarget.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="rem-max">{t('opts.reminders')}</label>
        <input
          id="rem-max"
          type="number"
          min={0}
          max={5}
          value={value.remindersMax}
          onChange={(e) => onChange({ ...value, remindersMax: Number(e.currentTarget.value) })}
        />
      </div>
      {value.remindersMax > 0 && (
        <div className="field">
          <label htmlFor="rem-days">{t('opts.days')}</label>
          <input
            id="rem-days"
            type="number"
            min={1}
            max={90}
            value={value.intervalDays}
            onChange={(e) => onChange({ ...value, intervalDays: Number(e.currentTarget.value) })}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor="tpl-inv">{t('opts.invitation')}</label>
        <select
          id="tpl-inv"
          value={value.templateId}
          onChange={(e) => onChange({ ...value, templateId: e.currentTarget.value })}
        >
          <option value="">{t('opts.defaultInvitation')}</option>
          {of('invitation').map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
              {x.isDefault ? t('opts.default') : ''}
            </option>
          ))}
        </select>
      </div>
      {value.remindersMax > 0 && (
        <div className="field">
          <label htmlFor="tpl-rem">{t('opts.reminder')}</label>
          <select
            id="tpl-rem"
            value={value.reminderTemplateId}
            onChange={(e) => onChange({ ...value, reminderTemplateId: e.currentTarget.value })}
          >
            <option value="">{t('opts.defaultReminder')}</option>
            {of('reminder').map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
                {x.isDefault ? t('opts.default') : ''}
              </option>
            ))}
          </select>
        </div>
      )}
    </fieldset>
  );
}

/** The invitation as a sample contact would get it, and a test mail to the signed-in user's own address. */
export function MailPreview({
  surveyId,
  templateId,
  kind = 'invitation',
  subject,
  body,
}: {
  surveyId: string;
  templateId?: string;
  kind?: 'invitation' | 'reminder';
  subject?: { nl: string; en: string };
  body?: { nl: string; en: string };
}) {
  const { t } = useTranslation(['send', 'common']);
  const [lang, setLang] = useState<'nl' | 'en'>('nl');
  const [mail, setMail] = useState<RenderedMail | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const input = {
    surveyId,
    kind,
    language: lang,
    ...(templateId ? { templateId } : {}),
    ...(subject && body ? { subject, body } : {}),
  };
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
      setStatus(r.ok ? t('preview.sent', { to: r.to }) : t('preview.notAccepted', { to: r.to }));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  return (
    <section aria-label={t('preview.region')} className="mail-preview">
      <ProblemAlert problem={problem} />
      <div className="actions-row">
        <label>
          {t('preview.language')}{' '}
          <select value={lang} onChange={(e) => setLang(e.currentTarget.value as 'nl' | 'en')}>
            <option value="nl">{t('common:languageNames.nl')}</option>
            <option value="en">{t('common:languageNames.en')}</option>
          </select>
        </label>
        <button type="button" className="button-quiet" onClick={() => void show()}>
          {t('preview.show')}
        </button>
        <button type="button" className="button-quiet" onClick={() => void testSend()}>
          {t('preview.test')}
        </button>
      </div>
      <p role="status" className="status-line">
        {status}
      </p>
      {mail && (
        <div className="card">
          <p>
            <strong>{t('preview.subject')}</strong> {mail.subject}
          </p>
          <pre className="mail-text">{mail.text}</pre>
          <p className="hint">
            {t('preview.links', {
              count: Object.keys(mail.headers).length,
              list: Object.keys(mail.headers).join(', '),
            })}
          </p>
        </div>
      )}
    </section>
  );
}
