import { z } from 'zod';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { Lang } from '../../lib/db/schema.js';
import type { Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode, type ProblemItem } from '../../lib/errors.js';
import { escapeHtml } from '../../lib/html.js';
import { translate, translator } from '../../lib/i18n.js';
import type { MailMessage } from '../../lib/mail/mailer.js';
import { signedRowToken } from '../../lib/tokens.js';
import { surveySize, type SurveyDefinition, type SurveySize } from '../surveys/definition.js';

export type TemplateKind = 'invitation' | 'reminder';

/** The placeholders a template may use, Dutch and English names for the same value. */
export const PLACEHOLDERS = {
  voornaam: 'firstName',
  first_name: 'firstName',
  achternaam: 'lastName',
  last_name: 'lastName',
  naam: 'name',
  name: 'name',
  organisatie: 'organisation',
  organisation: 'organisation',
  vragenlijst: 'survey',
  survey: 'survey',
  omvang: 'length',
  length: 'length',
  duur: 'duration',
  duration: 'duration',
  link: 'link',
  afmelden: 'unsubscribe',
  unsubscribe: 'unsubscribe',
} as const;
type Slot = (typeof PLACEHOLDERS)[keyof typeof PLACEHOLDERS];

const PLACEHOLDER = /\{([^{}\s]{1,40})\}/g;

const localizedText = (max: number) =>
  z.object({ nl: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) });
export const templateInput = z
  .object({
    kind: z.enum(['invitation', 'reminder']),
    name: z.string().trim().min(1).max(200),
    subject: localizedText(300).describe('Subject per language; placeholders allowed'),
    body: localizedText(10_000).describe(
      'Plain-text body per language; paragraphs separated by an empty line; placeholders such as {voornaam}/{first_name}, {link}, {afmelden}/{unsubscribe}',
    ),
    isDefault: z.boolean().default(false).describe('Used when a distribution names no template'),
  })
  .meta({
    examples: [
      {
        kind: 'invitation',
        name: 'Standaard',
        subject: { nl: '{organisatie} hoort graag je mening', en: '{organisation} would like your opinion' },
        body: {
          nl: 'Beste {voornaam},\n\nWil je {vragenlijst} invullen?\n\n{link}',
          en: 'Dear {first_name},\n\nWould you fill in {survey}?\n\n{link}',
        },
        isDefault: true,
      },
    ],
  });
export type TemplateInput = z.infer<typeof templateInput>;

/** Unknown placeholders, with a JSON pointer to the text that holds them (refused at save). */
export function checkPlaceholders(t: { subject: Record<Lang, string>; body: Record<Lang, string> }): ProblemItem[] {
  const problems: ProblemItem[] = [];
  for (const part of ['subject', 'body'] as const) {
    for (const lang of ['nl', 'en'] as const) {
      for (const m of t[part][lang].matchAll(PLACEHOLDER)) {
        if (!(m[1]! in PLACEHOLDERS))
          problems.push({
            pointer: `/${part}/${lang}`,
            reason: `unknown placeholder {${m[1]}}; known: ${Object.keys(PLACEHOLDERS)
              .map((k) => `{${k}}`)
              .join(', ')}`,
            value: m[0],
          });
      }
    }
  }
  return problems;
}

export function assertPlaceholders(t: { subject: Record<Lang, string>; body: Record<Lang, string> }): void {
  const problems = checkPlaceholders(t);
  if (problems.length)
    throw new AppError(ErrorCode.VALIDATION, 'The template uses unknown placeholders.', { errors: problems });
}

export interface MailTexts {
  subject: Record<Lang, string>;
  body: Record<Lang, string>;
  /** The survey's size, for {omvang}/{length}, {duur}/{duration} and the button's text (one question if unknown). */
  size?: SurveySize;
}

export interface Recipient {
  email: string;
  firstName: string | null;
  infix: string | null;
  lastName: string | null;
}

export interface MailContext {
  lang: Lang;
  organisation: string;
  survey: string;
  link: string;
  unsubscribeLink: string;
  /** OBLIGATIONS DSR-1: the respondent's request page (access, correction, erasure, objection, portability). */
  requestLink: string;
}

/** The mail's own texts (greeting fallback, button, unsubscribe line): `mails:survey.*` in the shared catalogues (issue 14). */
const ui = (lang: Lang, key: 'sir' | 'cta' | 'ctaMany' | 'unsubscribe'): string =>
  translator(lang)(`mails:survey.${key}`);

/** Texts when no template is chosen and none is the default: the survey definition's invitation texts. */
export function definitionTexts(def: SurveyDefinition, kind: TemplateKind): MailTexts {
  const size = surveySize(def);
  if (kind === 'invitation') return { ...def.invitation, size };
  return {
    subject: {
      nl: translate('nl', { key: 'mails:survey.reminderSubject', params: { subject: def.invitation.subject.nl } }),
      en: translate('en', { key: 'mails:survey.reminderSubject', params: { subject: def.invitation.subject.en } }),
    },
    body: def.invitation.body,
    size,
  };
}

/**
 * What {omvang}/{length} and {duur}/{duration} say: "één korte vraag" / "zeven vragen", "minder dan een
 * minuut" / "ongeveer 3 minuten" (ICU plurals in `mails:survey.length` and `mails:survey.duration`).
 */
export function sizeTexts(size: SurveySize | undefined, lang: Lang): { length: string; duration: string } {
  const { questions, minutes } = size ?? { questions: 1, minutes: 1 };
  return {
    length: translate(lang, { key: 'mails:survey.length', params: { questions } }),
    duration: translate(lang, { key: 'mails:survey.duration', params: { minutes: Math.max(1, minutes) } }),
  };
}

function slotValues(r: Recipient, c: MailContext, size: SurveySize | undefined): Record<Slot, string> {
  const full = [r.firstName, r.infix, r.lastName].filter((x) => x && x.trim()).join(' ');
  return {
    firstName: r.firstName ?? ui(c.lang, 'sir'),
    lastName: [r.infix, r.lastName].filter((x) => x && x.trim()).join(' '),
    // The walking skeleton's {naam} greeted by first name; a full name is used only without one.
    name: r.firstName ?? (full || ui(c.lang, 'sir')),
    organisation: c.organisation,
    survey: c.survey,
    link: c.link,
    unsubscribe: c.unsubscribeLink,
    ...sizeTexts(size, c.lang),
  };
}

const fill = (text: string, values: Record<Slot, string>, wrap: (slot: Slot, v: string) => string): string =>
  text.replace(PLACEHOLDER, (whole, name: string) =>
    name in PLACEHOLDERS
      ? wrap(PLACEHOLDERS[name as keyof typeof PLACEHOLDERS], values[PLACEHOLDERS[name as keyof typeof PLACEHOLDERS]])
      : whole,
  );

/**
 * One mail from a template: placeholders filled in (HTML-escaped in the HTML part), the answer button,
 * and always a visible unsubscribe link (DSR-3) plus the RFC 8058 one-click headers, and the link to
 * the respondent's request page (DSR-1).
 */
export function composeMail(texts: MailTexts, r: Recipient, c: MailContext): MailMessage {
  const values = slotValues(r, c, texts.size);
  const t = {
    cta: ui(c.lang, (texts.size?.questions ?? 1) > 1 ? 'ctaMany' : 'cta'),
    unsubscribe: ui(c.lang, 'unsubscribe'),
  };
  const privacy = translator(c.lang)('respondent:requestLink');
  const subject = fill(texts.subject[c.lang], values, (_s, v) => v).replace(/[\r\n]+/g, ' ');
  const bodyText = fill(texts.body[c.lang], values, (_s, v) => v);
  const hasLink = /\{link\}/.test(texts.body[c.lang]);
  const hasUnsub = /\{(afmelden|unsubscribe)\}/.test(texts.body[c.lang]);
  const text = `${bodyText}${hasLink ? '' : `\n\n${t.cta}:\n${c.link}`}\n\n${hasUnsub ? '' : `${t.unsubscribe}: ${c.unsubscribeLink}\n`}${privacy}: ${c.requestLink}\n`;
  const para = texts.body[c.lang].split(/\n{2,}/).map((p) => {
    const inner = fill(escapeHtml(p), values, (slot, v) =>
      slot === 'link' || slot === 'unsubscribe' ? `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>` : escapeHtml(v),
    );
    return `<p>${inner.replace(/\n/g, '<br>')}</p>`;
  });
  const button = `<p><a href="${escapeHtml(c.link)}" style="display:inline-block;background:#0b5cad;color:#fff;padding:12px 20px;border-radius:8px;text-decoration:none">${escapeHtml(t.cta)}</a></p>`;
  const footer = `<p style="font-size:12px;color:#555">${escapeHtml(c.link)}</p><p style="font-size:12px;color:#555"><a href="${escapeHtml(c.unsubscribeLink)}">${escapeHtml(t.unsubscribe)}</a></p><p style="font-size:12px;color:#555"><a href="${escapeHtml(c.requestLink)}">${escapeHtml(privacy)}</a></p>`;
  const html = `<!doctype html><html lang="${c.lang}"><body style="font-family:system-ui,sans-serif;line-height:1.5">${para.join('')}${button}${footer}</body></html>`;
  return {
    to: r.email,
    subject,
    text,
    html,
    headers: { 'List-Unsubscribe': `<${c.unsubscribeLink}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

// ------------------------------------------------------------------ unsubscribe tokens

/**
 * The unsubscribe token has the respondent link's form (tenant + invitation + MAC), but its MAC is
 * taken over a distinct domain prefix, so neither token can be derived from the other.
 */
const UNSUBSCRIBE_DOMAIN = Buffer.from('peil/unsubscribe\0');
export const unsubscribeMac = (keys: Pick<TenantKeys, 'tokenMac'>) => (body: Buffer) =>
  keys.tokenMac(Buffer.concat([UNSUBSCRIBE_DOMAIN, body]));

export function unsubscribeLink(
  baseUrl: string,
  tenantId: string,
  invitationId: string,
  keys: Pick<TenantKeys, 'tokenMac'>,
): string {
  return `${baseUrl}/u/${signedRowToken(tenantId, invitationId, unsubscribeMac(keys))}`;
}

// ------------------------------------------------------------------ loading templates

/** The texts for a distribution: its chosen template, else the customer's default, else the survey's own. */
export async function templateTexts(
  tx: Tx,
  kind: TemplateKind,
  templateId: string | null,
  def: SurveyDefinition,
): Promise<MailTexts> {
  let q = tx.selectFrom('email_templates').select(['subject', 'body']).where('kind', '=', kind);
  q = templateId ? q.where('id', '=', templateId) : q.where('is_default', '=', true);
  const row = await q.executeTakeFirst();
  if (row)
    return {
      subject: row.subject as Record<Lang, string>,
      body: row.body as Record<Lang, string>,
      size: surveySize(def),
    };
  if (templateId) return templateTexts(tx, kind, null, def);
  return definitionTexts(def, kind);
}

export function recipientOf(
  keys: TenantKeys,
  row: { email_enc: Buffer; first_name_enc: Buffer | null; infix_enc: Buffer | null; last_name_enc: Buffer | null },
): Recipient {
  return {
    email: keys.open(row.email_enc),
    firstName: keys.open(row.first_name_enc),
    infix: keys.open(row.infix_enc),
    lastName: keys.open(row.last_name_enc),
  };
}
