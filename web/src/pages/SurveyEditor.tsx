import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../i18n';
import { surveyText } from '../surveyText';
import { post, put, toProblem } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ProblemAlert } from '../components/ProblemAlert';
import { languageName } from '../format';
import type {
  Anonymity,
  Condition,
  Lang,
  Localized,
  Problem,
  DraftQuestion,
  QuestionType,
  Survey,
  SurveyDefinition,
} from '../types';

/** OBLIGATIONS SVC-2: the survey editor (questions, conditions, pages, texts), anonymity (SVC-4) and the open link (SVC-3). */
/** @deprecated English only: use typeLabel(type), which follows the user's language. */
export const TYPE_LABELS: Record<QuestionType, string> = {
  nps: 'NPS (0–10)',
  enps: 'eNPS (0–10, employees)',
  csat: 'CSAT (1–5)',
  ces: 'CES (1–7)',
  rating: 'Rating scale',
  single: 'Single choice',
  multiple: 'Multiple choice',
  text: 'Open text',
  number: 'Number',
  date: 'Date',
};
const SCALES: Record<string, [number, number]> = { nps: [0, 10], enps: [0, 10], csat: [1, 5], ces: [1, 7] };
const OPS: Condition['op'][] = ['equals', 'oneOf', 'gte', 'lte'];
/** @deprecated English only: use anonymityLabel(mode). */
export const ANONYMITY_LABELS: Record<Anonymity, string> = {
  identified: 'Identified: answers are linked to the contact',
  confidential: 'Confidential: linked, but you see only groups of at least the minimum size, never one person’s answer',
  anonymous: 'Anonymous: no link between an answer and a contact is stored',
};

/** A question type's name in the user's language. */
export const typeLabel = (type: QuestionType): string => i18n.t(`common:questionTypes.${type}`);
/** An anonymity mode with its explanation (short: the name only), in the user's language. */
export const anonymityLabel = (a: Anonymity, short = false): string =>
  i18n.t(short ? `common:anonymityShort.${a}` : `common:anonymity.${a}`);
const TYPES = Object.keys(TYPE_LABELS) as QuestionType[];
const ANONYMITIES = Object.keys(ANONYMITY_LABELS) as Anonymity[];

const L = (nl = '', en = ''): Localized => ({ nl, en });

/** The definition while it is edited: its questions as DraftQuestions (clean() keeps each type's own fields). */
type Draft = Omit<SurveyDefinition, 'questions'> & { questions: DraftQuestion[] };

function newQuestion(type: QuestionType, existing: DraftQuestion[]): DraftQuestion {
  let n = existing.length + 1;
  while (existing.some((q) => q.id === `q${n}`)) n++;
  const base: DraftQuestion = { id: `q${n}`, type, required: false, text: L() };
  if (type === 'rating') return { ...base, min: 1, max: 5 };
  if (type === 'single' || type === 'multiple')
    return {
      ...base,
      options: [
        { value: 'a', label: L('Optie A', 'Option A') },
        { value: 'b', label: L('Optie B', 'Option B') },
      ],
    };
  if (type === 'text') return { ...base, maxLength: 5000 };
  return base;
}

/** Only the fields that belong to the question's type, and optional texts only when both languages are filled in. */
function clean(q: DraftQuestion): DraftQuestion {
  const out: DraftQuestion = { id: q.id.trim(), type: q.type, required: q.required, text: q.text };
  if (q.help && (q.help.nl || q.help.en)) out.help = q.help;
  if (q.newPage) out.newPage = true;
  if (q.showIf && q.showIf.question) out.showIf = q.showIf;
  if (q.type === 'rating') {
    out.min = q.min ?? 1;
    out.max = q.max ?? 5;
    if (q.minLabel && (q.minLabel.nl || q.minLabel.en)) out.minLabel = q.minLabel;
    if (q.maxLabel && (q.maxLabel.nl || q.maxLabel.en)) out.maxLabel = q.maxLabel;
  }
  if (q.type === 'single' || q.type === 'multiple') out.options = q.options ?? [];
  if (q.type === 'text') out.maxLength = q.maxLength ?? 5000;
  if (q.type === 'number') {
    if (q.min !== undefined && !Number.isNaN(q.min)) out.min = q.min;
    if (q.max !== undefined && !Number.isNaN(q.max)) out.max = q.max;
    if (q.integer) out.integer = true;
  }
  return out;
}

function parseConditionValue(raw: string, ref: DraftQuestion | undefined, op: Condition['op']): Condition['value'] {
  const numeric = ref && (SCALES[ref.type] || ref.type === 'rating' || ref.type === 'number');
  const one = (s: string) => (numeric && s.trim() !== '' && !Number.isNaN(Number(s)) ? Number(s) : s.trim());
  return op === 'oneOf'
    ? raw
        .split(',')
        .filter((s) => s.trim() !== '')
        .map(one)
    : one(raw);
}

/**
 * Issue 12: conditions are checked on the server when a page is sent, so a condition on a question
 * of the SAME page would never show its question. The server refuses to save it; the editor says so
 * beside the condition, before saving, and offers to start a new page at the question.
 */
/** Indexes of questions whose condition refers to a question on their own page. */
function samePageConditions(questions: DraftQuestion[]): Set<number> {
  const pageOf = new Map<string, number>();
  const out = new Set<number>();
  let page = -1;
  questions.forEach((q, i) => {
    if (i === 0 || q.newPage) page++;
    if (q.showIf?.question && pageOf.get(q.showIf.question) === page) out.add(i);
    if (!pageOf.has(q.id)) pageOf.set(q.id, page);
  });
  return out;
}

function LocalizedInputs({
  label,
  value,
  onChange,
  idBase,
  multiline,
}: {
  label: string;
  value: Localized | undefined;
  onChange: (v: Localized) => void;
  idBase: string;
  multiline?: boolean;
}) {
  const { t } = useTranslation(['editor', 'common']);
  const v = value ?? L();
  return (
    <fieldset className="text-pair">
      <legend>{label}</legend>
      {(['nl', 'en'] as const).map((lang) => (
        <div className="field" key={lang}>
          <label htmlFor={`${idBase}-${lang}`}>{t('inLanguage', { label, language: languageName(lang) })}</label>
          {multiline ? (
            <textarea
              id={`${idBase}-${lang}`}
              lang={lang}
              rows={3}
              maxLength={2000}
              value={v[lang]}
              onChange={(e) => onChange({ ...v, [lang]: e.target.value })}
            />
          ) : (
            <input
              id={`${idBase}-${lang}`}
              lang={lang}
              maxLength={2000}
              value={v[lang]}
              onChange={(e) => onChange({ ...v, [lang]: e.target.value })}
            />
          )}
        </div>
      ))}
    </fieldset>
  );
}

function QuestionEditor({
  q,
  index,
  earlier,
  locked,
  onChange,
  onMove,
  onRemove,
  count,
  conditionError,
  lang,
}: {
  q: DraftQuestion;
  index: number;
  earlier: DraftQuestion[];
  locked: boolean;
  lang: Lang;
  onChange: (q: DraftQuestion) => void;
  onMove: (d: -1 | 1) => void;
  onRemove: () => void;
  count: number;
  conditionError?: string | undefined;
}) {
  const { t } = useTranslation(['editor', 'common']);
  const idb = `q${index}`;
  const ref = earlier.find((e) => e.id === q.showIf?.question);
  const [condText, setCondText] = useState(
    q.showIf ? (Array.isArray(q.showIf.value) ? q.showIf.value.join(',') : String(q.showIf.value)) : '',
  );
  const setCond = (c: Partial<Condition> | null, text = condText) => {
    if (c === null) return onChange({ ...q, showIf: undefined });
    const next = { question: q.showIf?.question ?? '', op: q.showIf?.op ?? 'equals', ...c } as Condition;
    const r = earlier.find((e) => e.id === next.question);
    onChange({ ...q, showIf: { ...next, value: parseConditionValue(text, r, next.op) } });
  };
  return (
    <li className="card question-editor">
      <h3>
        {index + 1}. {typeLabel(q.type)}{' '}
        {q.newPage && index > 0 ? <span className="muted">{t('q.newPage')}</span> : null}
      </h3>
      <div className="row">
        <div className="field">
          <label htmlFor={`${idb}-id`}>{t('q.id')}</label>
          <input
            id={`${idb}-id`}
            value={q.id}
            disabled={locked}
            pattern="[a-z][a-z0-9_]{0,39}"
            onChange={(e) => onChange({ ...q, id: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${idb}-type`}>{t('q.type')}</label>
          <select
            id={`${idb}-type`}
            value={q.type}
            disabled={locked}
            onChange={(e) =>
              onChange({
                ...newQuestion(e.target.value as QuestionType, []),
                id: q.id,
                text: q.text,
                required: q.required,
                ...(q.newPage ? { newPage: true } : {}),
                ...(q.showIf ? { showIf: q.showIf } : {}),
              })
            }
          >
            {TYPES.map((k) => (
              <option key={k} value={k}>
                {typeLabel(k)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label className="choice">
        <input type="checkbox" checked={q.required} onChange={(e) => onChange({ ...q, required: e.target.checked })} />{' '}
        {t('q.required')}
      </label>
      {index > 0 && (
        <label className="choice">
          <input
            type="checkbox"
            checked={!!q.newPage}
            disabled={locked}
            onChange={(e) => onChange({ ...q, newPage: e.target.checked || undefined })}
          />{' '}
          {t('q.startsPage')}
        </label>
      )}
      <LocalizedInputs
        label={t('q.question')}
        idBase={`${idb}-text`}
        value={q.text}
        onChange={(text) => onChange({ ...q, text })}
      />
      {q.type === 'rating' && (
        <>
          <div className="row">
            <div className="field">
              <label htmlFor={`${idb}-min`}>{t('q.lowest')}</label>
              <input
                id={`${idb}-min`}
                type="number"
                min={0}
                max={9}
                disabled={locked}
                value={q.min ?? 1}
                onChange={(e) => onChange({ ...q, min: Number(e.target.value) })}
              />
            </div>
            <div className="field">
              <label htmlFor={`${idb}-max`}>{t('q.highest')}</label>
              <input
                id={`${idb}-max`}
                type="number"
                min={1}
                max={10}
                disabled={locked}
                value={q.max ?? 5}
                onChange={(e) => onChange({ ...q, max: Number(e.target.value) })}
              />
            </div>
          </div>
          <LocalizedInputs
            label={t('q.lowestLabel')}
            idBase={`${idb}-minl`}
            value={q.minLabel}
            onChange={(minLabel) => onChange({ ...q, minLabel })}
          />
          <LocalizedInputs
            label={t('q.highestLabel')}
            idBase={`${idb}-maxl`}
            value={q.maxLabel}
            onChange={(maxLabel) => onChange({ ...q, maxLabel })}
          />
        </>
      )}
      {(q.type === 'single' || q.type === 'multiple') && (
        <fieldset>
          <legend>{t('q.options')}</legend>
          <ol>
            {(q.options ?? []).map((o, i) => (
              <li key={i} className="row">
                <div className="field">
                  <label htmlFor={`${idb}-o${i}-v`}>{t('q.storedValue')}</label>
                  <input
                    id={`${idb}-o${i}-v`}
                    value={o.value}
                    disabled={locked}
                    onChange={(e) =>
                      onChange({
                        ...q,
                        options: q.options!.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)),
                      })
                    }
                  />
                </div>
                {(['nl', 'en'] as const).map((lang) => (
                  <div className="field" key={lang}>
                    <label htmlFor={`${idb}-o${i}-${lang}`}>
                      {t('q.optionLabel', { language: languageName(lang) })}
                    </label>
                    <input
                      id={`${idb}-o${i}-${lang}`}
                      lang={lang}
                      value={o.label[lang]}
                      onChange={(e) =>
                        onChange({
                          ...q,
                          options: q.options!.map((x, j) =>
                            j === i ? { ...x, label: { ...x.label, [lang]: e.target.value } } : x,
                          ),
                        })
                      }
                    />
                  </div>
                ))}
                {!locked && (
                  <button
                    type="button"
                    className="button-secondary"
                    onClick={() => onChange({ ...q, options: q.options!.filter((_, j) => j !== i) })}
                  >
                    {t('q.removeOption', { n: i + 1 })}
                  </button>
                )}
              </li>
            ))}
          </ol>
          {!locked && (
            <button
              type="button"
              className="button-secondary"
              onClick={() =>
                onChange({
                  ...q,
                  options: [...(q.options ?? []), { value: `o${(q.options?.length ?? 0) + 1}`, label: L() }],
                })
              }
            >
              {t('q.addOption')}
            </button>
          )}
        </fieldset>
      )}
      {q.type === 'number' && (
        <div className="row">
          <div className="field">
            <label htmlFor={`${idb}-nmin`}>{t('q.min')}</label>
            <input
              id={`${idb}-nmin`}
              type="number"
              disabled={locked}
              value={q.min ?? ''}
              onChange={(e) => onChange({ ...q, min: e.target.value === '' ? undefined : Number(e.target.value) })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${idb}-nmax`}>{t('q.max')}</label>
            <input
              id={`${idb}-nmax`}
              type="number"
              disabled={locked}
              value={q.max ?? ''}
              onChange={(e) => onChange({ ...q, max: e.target.value === '' ? undefined : Number(e.target.value) })}
            />
          </div>
          <label className="choice">
            <input
              type="checkbox"
              checked={!!q.integer}
              disabled={locked}
              onChange={(e) => onChange({ ...q, integer: e.target.checked || undefined })}
            />{' '}
            {t('q.integer')}
          </label>
        </div>
      )}
      {earlier.length > 0 && (
        <fieldset>
          <legend>{t('q.condition')}</legend>
          <div className="row">
            <div className="field">
              <label htmlFor={`${idb}-cq`}>{t('q.earlier')}</label>
              <select
                id={`${idb}-cq`}
                value={q.showIf?.question ?? ''}
                disabled={locked}
                aria-invalid={conditionError ? true : undefined}
                aria-describedby={conditionError ? `${idb}-cq-error` : undefined}
                onChange={(e) => (e.target.value ? setCond({ question: e.target.value }) : setCond(null))}
              >
                <option value="">{t('q.always')}</option>
                {earlier.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.id}: {surveyText(e.text, lang)}
                  </option>
                ))}
              </select>
            </div>
            {q.showIf && (
              <>
                <div className="field">
                  <label htmlFor={`${idb}-cop`}>{t('q.comparison')}</label>
                  <select
                    id={`${idb}-cop`}
                    value={q.showIf.op}
                    disabled={locked}
                    onChange={(e) => setCond({ op: e.target.value as Condition['op'] })}
                  >
                    {OPS.map((k) => (
                      <option key={k} value={k}>
                        {t(`ops.${k}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={`${idb}-cv`}>{q.showIf.op === 'oneOf' ? t('q.values') : t('q.value')}</label>
                  <input
                    id={`${idb}-cv`}
                    value={condText}
                    disabled={locked}
                    aria-describedby={`${idb}-cv-hint`}
                    onChange={(e) => {
                      setCondText(e.target.value);
                      setCond({}, e.target.value);
                    }}
                  />
                  <p className="hint" id={`${idb}-cv-hint`}>
                    {ref?.options
                      ? t('q.optionsHint', { options: ref.options.map((o) => o.value).join(', ') })
                      : ref && SCALES[ref.type]
                        ? t('q.rangeHint', { min: SCALES[ref.type]![0], max: SCALES[ref.type]![1] })
                        : ref?.type === 'rating'
                          ? t('q.rangeHint', { min: ref.min ?? 1, max: ref.max ?? 5 })
                          : ''}
                  </p>
                </div>
              </>
            )}
          </div>
          {conditionError && (
            <div className="condition-problem">
              <p className="field-error" id={`${idb}-cq-error`}>
                {conditionError === 'same-page' ? t('q.samePage') : conditionError}
              </p>
              {conditionError === 'same-page' && !locked && !q.newPage && (
                <button type="button" className="button-secondary" onClick={() => onChange({ ...q, newPage: true })}>
                  {t('q.newPageHere')}
                </button>
              )}
            </div>
          )}
        </fieldset>
      )}
      {!locked && (
        <div className="actions-row">
          <button type="button" className="button-secondary" disabled={index === 0} onClick={() => onMove(-1)}>
            {t('q.moveUp')}
          </button>
          <button type="button" className="button-secondary" disabled={index === count - 1} onClick={() => onMove(1)}>
            {t('q.moveDown')}
          </button>
          <button type="button" className="button-danger" onClick={onRemove}>
            {t('q.remove')}
          </button>
        </div>
      )}
    </li>
  );
}

/**
 * `onSaved` gets what to tell the user too: opening or closing changes the survey's status, which gives
 * the editor a new key (a fresh draft), so the page keeps that message and hands it back as `notice`.
 */
export function SurveyEditor({
  survey,
  onSaved,
  notice,
}: {
  survey: Survey;
  onSaved: (s: Survey, message: string) => void;
  notice?: string | null;
}) {
  const { t } = useTranslation(['editor', 'common']);
  const [def, setDef] = useState<Draft>(() => structuredClone(survey.definition));
  const [anonymity, setAnonymity] = useState<Anonymity>(survey.anonymity);
  const [minGroupSize, setMinGroupSize] = useState(survey.minGroupSize);
  const [addType, setAddType] = useState<QuestionType>('single');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState<string | null>(notice ?? null);
  const [busy, setBusy] = useState(false);
  const [closing, setClosing] = useState(false);
  const locked = survey.responses > 0;
  // Same-page conditions: found here as the definition changes, and as the server names them (pointer).
  const samePage = samePageConditions(def.questions);
  const serverCondition = new Map<number, string>();
  for (const e of problem?.errors ?? []) {
    const m = /^\/body\/definition\/questions\/(\d+)\/showIf\/question$/.exec(e.pointer ?? '');
    if (m) serverCondition.set(Number(m[1]), /same page/.test(e.reason) ? 'same-page' : e.reason);
  }
  // A same-page problem the server named is gone once the question starts a new page (the check above).
  const conditionErrorOf = (i: number): string | undefined =>
    samePage.has(i) ? 'same-page' : serverCondition.get(i) === 'same-page' ? undefined : serverCondition.get(i);

  const setQ = (i: number, q: DraftQuestion) =>
    setDef({ ...def, questions: def.questions.map((x, j) => (j === i ? q : x)) });
  const move = (i: number, d: -1 | 1) => {
    const qs = [...def.questions];
    [qs[i], qs[i + d]] = [qs[i + d]!, qs[i]!];
    setDef({ ...def, questions: qs });
  };

  async function run(what: string, fn: () => Promise<Survey>) {
    setBusy(true);
    setProblem(null);
    setSaved(null);
    try {
      const s = await fn();
      onSaved(s, what);
      setSaved(what);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const save = () =>
    run(t('saved'), () =>
      put<Survey>(`/api/v1/surveys/${survey.id}`, {
        definition: { ...def, questions: def.questions.map(clean) },
        ...(locked ? {} : { anonymity }),
        minGroupSize,
      }),
    );

  return (
    <section aria-labelledby="editor-heading">
      <h2 id="editor-heading">{t('heading')}</h2>
      {locked && <p className="notice">{t('locked', { count: survey.responses })}</p>}
      <div className="actions-row">
        <a className="button-link" href={`/s/preview/${survey.id}?lang=nl`} target="_blank" rel="noopener">
          {t('previewNl')}
        </a>
        <a className="button-link" href={`/s/preview/${survey.id}?lang=en`} target="_blank" rel="noopener">
          {t('previewEn')}
        </a>
        {survey.status !== 'open' ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => run(t('opened'), () => post<Survey>(`/api/v1/surveys/${survey.id}/open`))}
          >
            {t('open')}
          </button>
        ) : (
          <button
            type="button"
            className="button-secondary"
            disabled={busy}
            // Issue 14: closing stops every link at once; asked first in the app's own dialog.
            onClick={() => setClosing(true)}
          >
            {t('close')}
          </button>
        )}
      </div>
      <ConfirmDialog
        open={closing}
        title={t('closeTitle', { name: survey.name })}
        confirmLabel={t('closeYes')}
        busy={busy}
        onConfirm={() => {
          setClosing(false);
          void run(t('closed'), () => post<Survey>(`/api/v1/surveys/${survey.id}/close`));
        }}
        onCancel={() => setClosing(false)}
      >
        <p>{t('closeBody')}</p>
      </ConfirmDialog>
      <ProblemAlert problem={problem} heading={t('notSaved')} />
      {saved && (
        <p role="status" className="status-line">
          {saved}
        </p>
      )}

      <fieldset className="card">
        <legend>{t('anonymity')}</legend>
        {ANONYMITIES.map((a) => (
          <label className="choice" key={a}>
            <input
              type="radio"
              name="anonymity"
              value={a}
              checked={anonymity === a}
              disabled={locked}
              onChange={() => setAnonymity(a)}
            />{' '}
            {anonymityLabel(a)}
          </label>
        ))}
        <div className="field">
          <label htmlFor="min-group">{t('minGroup')}</label>
          <p className="hint" id="min-group-hint">
            {locked ? t('minGroupLocked', { min: survey.minGroupSize }) : t('minGroupHint')}
          </p>
          {/* OBLIGATIONS SVC-4: never below 3; never lowered once there are responses (the server refuses it too). */}
          <input
            id="min-group"
            type="number"
            min={locked ? survey.minGroupSize : 3}
            max={1000}
            aria-describedby="min-group-hint"
            value={minGroupSize}
            onChange={(e) => setMinGroupSize(Number(e.target.value))}
          />
        </div>
      </fieldset>

      <OpenLink survey={survey} onSaved={(s) => onSaved(s, '')} />

      <ol className="questions">
        {def.questions.map((q, i) => (
          <QuestionEditor
            key={i}
            lang={survey.defaultLanguage}
            q={q}
            index={i}
            count={def.questions.length}
            conditionError={conditionErrorOf(i)}
            earlier={def.questions.slice(0, i)}
            locked={locked}
            onChange={(nq) => setQ(i, nq)}
            onMove={(d) => move(i, d)}
            onRemove={() => setDef({ ...def, questions: def.questions.filter((_, j) => j !== i) })}
          />
        ))}
      </ol>
      {!locked && (
        <div className="row">
          <div className="field">
            <label htmlFor="add-type">{t('addType')}</label>
            <select id="add-type" value={addType} onChange={(e) => setAddType(e.target.value as QuestionType)}>
              {TYPES.map((k) => (
                <option key={k} value={k}>
                  {typeLabel(k)}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            className="button-secondary"
            onClick={() => setDef({ ...def, questions: [...def.questions, newQuestion(addType, def.questions)] })}
          >
            {t('add')}
          </button>
        </div>
      )}
      <LocalizedInputs
        label={t('invSubject')}
        idBase="inv-subject"
        value={def.invitation.subject}
        onChange={(subject) => setDef({ ...def, invitation: { ...def.invitation, subject } })}
      />
      <LocalizedInputs
        label={t('invBody')}
        idBase="inv-body"
        multiline
        value={def.invitation.body}
        onChange={(body) => setDef({ ...def, invitation: { ...def.invitation, body } })}
      />
      <LocalizedInputs
        label={t('thanks')}
        idBase="thanks"
        value={def.thanks}
        onChange={(thanks) => setDef({ ...def, thanks })}
      />
      <button type="button" disabled={busy} onClick={save}>
        {busy ? t('common:actions.saving') : t('save')}
      </button>
    </section>
  );
}

function OpenLink({ survey, onSaved }: { survey: Survey; onSaved: (s: Survey) => void }) {
  const { t } = useTranslation(['editor', 'common']);
  const [problem, setProblem] = useState<Problem | null>(null);
  async function change(enabled: boolean, oncePerBrowser: boolean) {
    setProblem(null);
    try {
      const openLink = await put<Survey['openLink']>(`/api/v1/surveys/${survey.id}/open-link`, {
        enabled,
        oncePerBrowser,
      });
      onSaved({ ...survey, openLink });
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  const l = survey.openLink;
  return (
    <fieldset className="card">
      <legend>{t('openLink.legend')}</legend>
      <p className="hint">{t('openLink.hint')}</p>
      <ProblemAlert problem={problem} />
      <label className="choice">
        <input type="checkbox" checked={l.enabled} onChange={(e) => void change(e.target.checked, l.oncePerBrowser)} />{' '}
        {t('openLink.on')}
      </label>
      <label className="choice">
        <input type="checkbox" checked={l.oncePerBrowser} onChange={(e) => void change(l.enabled, e.target.checked)} />{' '}
        {t('openLink.once')}
      </label>
      {l.url && (
        <p>
          {t('openLink.link')}{' '}
          <a href={l.url} target="_blank" rel="noopener">
            <code>{l.url}</code>
          </a>
        </p>
      )}
    </fieldset>
  );
}
