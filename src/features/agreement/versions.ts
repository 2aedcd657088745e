import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import { isUuid, type Db, type Tx } from '../../lib/db/db.js';
import type { AgreementProposalsTable, ProposalState } from '../../lib/db/schema.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { bilingual, bilingualSubject, bilingualText } from '../../lib/i18n.js';
import type { MailMessage } from '../../lib/mail/mailer.js';
import { startTick } from '../../lib/tick.js';
import { addDutchWorkingDays, dutchDate } from '../../lib/workdays.js';
import { COLUMN_TERM, composeDocument, longDate, TERM_TEXT, termValue } from './document.js';
import type { Lang } from './document-model.js';
import { documentHash, toMarkdown } from './render.js';
import {
  applyAgreementValues,
  changeAgreement,
  contractValues,
  currentValues,
  noticeRecipients,
  readAgreement,
  type AgreementChange,
} from './service.js';

/**
 * OBLIGATIONS AGR-3: acceptance of the agreement, and new versions.
 *
 * Acceptance: an owner accepts the version in force, in one language, naming the SHA-256 of the
 * Markdown rendering it was shown (render.ts). The server renders the document again and refuses
 * (409) when the hash or the version no longer matches, so nobody accepts a text they did not see.
 * The accepted text and the owner's name are kept sealed with the customer's key.
 *
 * How a new version arises (decision):
 *  (a) the operator publishes a version (label, summary nl/en, optionally new terms) for all or
 *      chosen customers (publishVersion);
 *  (b) an operator's change of one customer's terms, dates or version label AFTER that customer's
 *      first acceptance becomes a proposed version too (changeOrPropose; contacts still apply at
 *      once: they are not terms). Before the first acceptance (onboarding) every change applies
 *      directly, and so does a published version: there is no accepted version to keep.
 * A proposal is announced by mail to the privacy contact (agreements.privacy_contact_email) or, when
 * none is set, to every active owner; the objection window starts when the mail went out (a mail
 * that could not be sent is tried again by the tick, and the window does not run meanwhile). It is
 * deemed accepted when the last day of the window (`deadline`: the customer's
 * dpaChangeObjectionWorkingDays-th Dutch working day after the announcement, Europe/Amsterdam) has
 * passed without an objection: settleAgreementVersions applies its changes and the new label. An
 * objection keeps the customer on its version until the operator withdraws the proposal for that
 * customer, or announces it again (a new proposal with a new window).
 */

type Value = string | number | boolean | null;
type Changes = Record<string, { from: Value; to: Value }>;

const STATE_TEXT: Record<ProposalState, { nl: string; en: string }> = {
  pending: { nl: 'Aangekondigd: bezwaar mogelijk', en: 'Announced: objection possible' },
  objected: {
    nl: 'Bezwaar gemaakt: uw huidige versie blijft gelden',
    en: 'Objected: your current version stays in force',
  },
  accepted: { nl: 'Aanvaard en van kracht', en: 'Accepted and in force' },
  withdrawn: { nl: 'Ingetrokken', en: 'Withdrawn' },
  reannounced: { nl: 'Opnieuw aangekondigd', en: 'Announced again' },
};

export interface Rendering {
  version: string;
  markdown: string;
  sha256: string;
}

/** The document as it is rendered now, with its hash (AGR-3, AGR-4). */
export async function currentRendering(
  ctx: AppContext,
  tx: Tx,
  tenantId: string,
  lang: Lang,
  now = new Date(),
): Promise<Rendering> {
  const doc = await composeDocument(ctx, tx, tenantId, lang, { now });
  const a = await readAgreement(tx, tenantId, ctx.env.PEIL_OPERATOR_ORGANISATION, now);
  return { version: a.version, markdown: toMarkdown(doc), sha256: documentHash(doc) };
}

export async function hasAccepted(tx: Tx): Promise<boolean> {
  return (await tx.selectFrom('agreement_acceptances').select('id').limit(1).executeTakeFirst()) !== undefined;
}

// ---------------------------------------------------------------- acceptance

export interface AcceptInput {
  version: string;
  lang: Lang;
  sha256: string;
}

/** An owner's digital acceptance of the version in force (AGR-3). Run in a transaction of that customer. */
export async function acceptAgreement(
  ctx: AppContext,
  tx: Tx,
  tenantId: string,
  input: AcceptInput,
  user: { id: string; name: string },
  actor: Actor,
  now = new Date(),
): Promise<string> {
  const r = await currentRendering(ctx, tx, tenantId, input.lang, now);
  if (input.version !== r.version) {
    throw new AppError(
      ErrorCode.CONFLICT,
      { key: 'problems:agreement.staleVersion', params: { version: input.version, current: r.version } },
      { extra: { version: r.version } },
    );
  }
  if (input.sha256.toLowerCase() !== r.sha256) {
    throw new AppError(ErrorCode.CONFLICT, { key: 'problems:agreement.textChanged' }, { extra: { sha256: r.sha256 } });
  }
  const keys = await ctx.keyring.forTenant(tenantId, tx);
  const id = randomUUID();
  await tx
    .insertInto('agreement_acceptances')
    .values({
      tenant_id: tenantId,
      id,
      version: r.version,
      lang: input.lang,
      sha256: r.sha256,
      accepted_by: user.id,
      accepted_at: now,
      evidence_enc: keys.sealJson({ name: user.name, text: r.markdown }),
    })
    .execute();
  await audit(tx, tenantId, actor, {
    action: AuditAction.AGREEMENT_ACCEPTED,
    subject: { kind: 'agreement', id: tenantId },
    details: { acceptance: id, version: r.version, lang: input.lang, sha256: r.sha256 },
  });
  return id;
}

/** The text an owner accepted (evidence), decrypted. */
export async function acceptedText(
  ctx: AppContext,
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<{ version: string; lang: Lang; sha256: string; text: string }> {
  if (!isUuid(id)) throw AppError.notFound('acceptance');
  const row = await tx
    .selectFrom('agreement_acceptances')
    .select(['version', 'lang', 'sha256', 'evidence_enc'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw AppError.notFound('acceptance');
  const keys = await ctx.keyring.forTenant(tenantId, tx);
  return {
    version: row.version,
    lang: row.lang,
    sha256: row.sha256,
    text: keys.openJson<{ text: string }>(row.evidence_enc).text,
  };
}

// ---------------------------------------------------------------- proposals

function nextVersion(v: string): string {
  const m = /^(.*?)(\d+)$/.exec(v);
  const next = m ? `${m[1]}${Number(m[2]) + 1}` : `${v}.1`;
  return next.slice(0, 40);
}

export interface ProposalInput {
  origin: 'release' | 'terms';
  releaseId?: string;
  toVersion?: string | undefined;
  /** Agreement columns → new values (contractValues); the version label is set from toVersion. */
  values: Record<string, unknown>;
  summary?: { nl: string; en: string } | undefined;
}

/** Records a proposed version for one customer; null when it would change nothing. Announced by notifyPending after the commit. */
export async function proposeVersion(
  tx: Tx,
  tenantId: string,
  input: ProposalInput,
  actor: Actor,
  now = new Date(),
): Promise<string | null> {
  const values = { ...input.values };
  delete values.version;
  const current = await currentValues(tx, tenantId, [
    ...Object.keys(values),
    'version',
    'dpa_change_objection_working_days',
  ]);
  const changes: Changes = {};
  for (const [col, to] of Object.entries(values))
    if (current[col] !== to) changes[col] = { from: current[col] as Value, to: to as Value };
  if (Object.keys(changes).length === 0 && (input.toVersion === undefined || input.toVersion === current.version))
    return null;
  const latest = await tx
    .selectFrom('agreement_proposals')
    .select('to_version')
    .where('state', '=', 'pending')
    .orderBy('proposed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const toVersion = input.toVersion ?? nextVersion(latest?.to_version ?? String(current.version));
  changes.version = { from: current.version as string, to: toVersion };
  const id = randomUUID();
  // The terms by name (a preset's name is not a term: its terms are listed one by one).
  const named = Object.keys(changes)
    .filter((c) => c !== 'version' && COLUMN_TERM[c])
    .map((c) => TERM_TEXT[COLUMN_TERM[c]!]);
  const summary = input.summary ?? {
    nl: named.length ? `Gewijzigde afspraken: ${named.map((x) => x.nl).join(', ')}.` : `Nieuwe versie ${toVersion}.`,
    en: named.length ? `Changed terms: ${named.map((x) => x.en).join(', ')}.` : `New version ${toVersion}.`,
  };
  await tx
    .insertInto('agreement_proposals')
    .values({
      tenant_id: tenantId,
      id,
      release_id: input.releaseId ?? id,
      origin: input.origin,
      from_version: String(current.version),
      to_version: toVersion,
      changes: JSON.stringify(changes),
      summary_nl: summary.nl,
      summary_en: summary.en,
      working_days: Number(current.dpa_change_objection_working_days),
      proposed_at: now,
      proposed_by: actor.id,
    })
    .execute();
  await audit(tx, tenantId, actor, {
    action: AuditAction.AGREEMENT_VERSION_PROPOSED,
    subject: { kind: 'agreement_proposal', id },
    details: {
      origin: input.origin,
      from: String(current.version),
      to: toVersion,
      changed: Object.keys(changes)
        .filter((c) => c !== 'version')
        .map((c) => COLUMN_TERM[c] ?? c),
    },
  });
  return id;
}

/**
 * PUT /operator/tenants/:id/agreement: before the customer's first acceptance the change applies at
 * once (AGR-1/2); afterwards contacts apply at once and the rest becomes a proposed version.
 */
export async function changeOrPropose(
  tx: Tx,
  tenantId: string,
  change: AgreementChange,
  actor: Actor,
  now = new Date(),
): Promise<{ proposal: string | null }> {
  if (!(await hasAccepted(tx))) {
    await changeAgreement(tx, tenantId, change, actor);
    return { proposal: null };
  }
  if (change.contacts) await changeAgreement(tx, tenantId, { contacts: change.contacts }, actor);
  const values = contractValues(change);
  const toVersion = change.version;
  delete values.version;
  return { proposal: await proposeVersion(tx, tenantId, { origin: 'terms', values, toVersion }, actor, now) };
}

export interface PublishInput {
  version: string;
  summary: { nl: string; en: string };
  tenants: 'all' | string[];
  /** New terms for every customer named (optional: a version may change only the text). */
  values?: Record<string, unknown>;
}

export type PublishOutcome = {
  tenantId: string;
  slug: string;
  outcome: 'announced' | 'applied' | 'unchanged';
  proposal: string | null;
};

/** (a) The operator publishes a version for all or chosen customers; each gets its own proposal (or, before its first acceptance, the change at once). */
export async function publishVersion(
  ctx: AppContext,
  input: PublishInput,
  actor: Actor,
  now = new Date(),
): Promise<{ releaseId: string; customers: PublishOutcome[] }> {
  const all = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select(['id', 'slug']).orderBy('created_at').execute(),
  );
  let targets = all;
  if (input.tenants !== 'all') {
    const wanted = input.tenants;
    const problems = wanted.map((id, i) => ({ id, i })).filter((x) => !all.some((t) => t.id === x.id));
    if (problems.length)
      throw new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:agreement.unknownCustomer' },
        {
          errors: problems.map((p) => ({ pointer: `/tenants/${p.i}`, reason: 'no such customer', value: p.id })),
        },
      );
    targets = all.filter((t) => wanted.includes(t.id));
  }
  const releaseId = randomUUID();
  const customers: PublishOutcome[] = [];
  for (const t of targets) {
    const r = await ctx.db.tenant(t.id, async (tx): Promise<PublishOutcome> => {
      if (!(await hasAccepted(tx))) {
        const values = { ...(input.values ?? {}), version: input.version };
        const before = await currentValues(tx, t.id, Object.keys(values));
        await applyAgreementValues(tx, t.id, actor, values, 'release');
        const after = await currentValues(tx, t.id, Object.keys(values));
        return {
          tenantId: t.id,
          slug: t.slug,
          outcome: Object.keys(values).every((c) => before[c] === after[c]) ? 'unchanged' : 'applied',
          proposal: null,
        };
      }
      const id = await proposeVersion(
        tx,
        t.id,
        { origin: 'release', releaseId, toVersion: input.version, values: input.values ?? {}, summary: input.summary },
        actor,
        now,
      );
      return { tenantId: t.id, slug: t.slug, outcome: id ? 'announced' : 'unchanged', proposal: id };
    });
    customers.push(r);
  }
  for (const c of customers) if (c.proposal) await notifyPending(ctx, c.tenantId, now);
  return { releaseId, customers };
}

// ---------------------------------------------------------------- announcement

/** The changes in the order of the document's terms table (jsonb keeps its own key order). */
const COLUMN_ORDER = [
  'version',
  'start_date',
  'term_months',
  'renewal_months',
  'notice_months',
  ...Object.keys(COLUMN_TERM),
];
function ordered(changes: Changes): Array<[string, Changes[string]]> {
  return Object.entries(changes)
    .filter(([col]) => COLUMN_TERM[col])
    .sort(([x], [y]) => COLUMN_ORDER.indexOf(x) - COLUMN_ORDER.indexOf(y));
}

function changeLines(changes: Changes, lang: Lang): string[] {
  return ordered(changes).map(([col, c]) => {
    const key = COLUMN_TERM[col]!;
    return `${TERM_TEXT[key][lang]}: ${termValue(key, c.from, lang)} → ${termValue(key, c.to, lang)}`;
  });
}

function composeAnnouncement(
  p: {
    from_version: string;
    to_version: string;
    summary_nl: string;
    summary_en: string;
    changes: Changes;
    working_days: number;
  },
  controller: string,
  deadline: string,
  to: string,
  baseUrl: string,
): MailMessage {
  const link = `${baseUrl}/app/privacy/document`;
  const lines = bilingual((t, lang) => [
    t('mails:agreementVersion.intro', { controller, from: p.from_version, to: p.to_version }),
    '',
    lang === 'nl' ? p.summary_nl : p.summary_en,
    ...changeLines(p.changes, lang).map((l) => `- ${l}`),
    '',
    t('mails:agreementVersion.deadline', { deadline: longDate(deadline, lang, true), days: p.working_days }),
    link,
  ]);
  return {
    to,
    subject: bilingualSubject('mails:agreementVersion.subject', undefined, ` (${p.to_version})`),
    text: bilingualText(lines),
  };
}

/**
 * Mails every proposal of this customer that has not been announced yet, and starts its window:
 * announced_at and the deadline are set when the mail went out. Mail is sent outside any
 * transaction (the outbox writes in one of its own).
 */
export async function notifyPending(ctx: AppContext, tenantId: string, now = new Date()): Promise<number> {
  const work = await ctx.db.tenant(tenantId, async (tx) => {
    const proposals = await tx
      .selectFrom('agreement_proposals')
      .select([...PROPOSAL_COLUMNS])
      .where('state', '=', 'pending')
      .where('announced_at', 'is', null)
      .orderBy('proposed_at')
      .execute();
    if (proposals.length === 0) return null;
    const tenant = await tx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow();
    const r = await noticeRecipients(tx, tenantId);
    return {
      proposals,
      to: r.emails,
      notified: r.to === 'privacy_contact' ? ('privacy_contact' as const) : ('owners' as const),
      controller: tenant.name,
    };
  });
  if (!work) return 0;
  let announced = 0;
  for (const p of work.proposals) {
    const deadline = addDutchWorkingDays(dutchDate(now), p.working_days);
    let sent = 0;
    for (const to of work.to) {
      const res = await ctx.mailer.send(
        tenantId,
        'agreement-version',
        composeAnnouncement({ ...p, changes: p.changes as Changes }, work.controller, deadline, to, ctx.env.baseUrl),
      );
      if (res.ok) sent++;
    }
    if (sent === 0) continue;
    const marked = await ctx.db.tenant(tenantId, async (tx) => {
      const r = await tx
        .updateTable('agreement_proposals')
        .set({ announced_at: now, deadline, notified: work.notified, recipients: sent })
        .where('id', '=', p.id)
        .where('announced_at', 'is', null)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await audit(
        tx,
        tenantId,
        { kind: 'system', id: null },
        {
          action: AuditAction.AGREEMENT_VERSION_ANNOUNCED,
          subject: { kind: 'agreement_proposal', id: p.id },
          details: { to: work.notified, recipients: sent, deadline, workingDays: p.working_days },
        },
      );
      return true;
    });
    if (marked) announced++;
  }
  return announced;
}

// ---------------------------------------------------------------- objection and settlement

/** The customer objects (owner): recorded, and the proposal is not applied for this customer. */
export async function objectTo(
  ctx: AppContext,
  tx: Tx,
  tenantId: string,
  proposalId: string,
  reason: string,
  userId: string,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  if (!isUuid(proposalId)) throw AppError.notFound('announcement');
  const p = await tx
    .selectFrom('agreement_proposals')
    .select(['state', deadlineText])
    .where('id', '=', proposalId)
    .forUpdate()
    .executeTakeFirst();
  if (!p) throw AppError.notFound('announcement');
  if (p.state !== 'pending')
    throw new AppError(ErrorCode.CONFLICT, { key: 'problems:agreement.objectionClosed', params: { state: p.state } });
  if (p.deadline && dutchDate(now) > p.deadline)
    throw new AppError(ErrorCode.CONFLICT, {
      key: 'problems:agreement.objectionPeriodEnded',
      params: { deadline: p.deadline },
    });
  const keys = await ctx.keyring.forTenant(tenantId, tx);
  await tx
    .updateTable('agreement_proposals')
    .set({ state: 'objected', objected_at: now, objected_by: userId, objection_enc: keys.seal(reason) })
    .where('id', '=', proposalId)
    .execute();
  await audit(tx, tenantId, actor, {
    action: AuditAction.AGREEMENT_VERSION_OBJECTED,
    subject: { kind: 'agreement_proposal', id: proposalId },
    details: {},
  });
}

/**
 * Deems accepted every announced proposal whose last day to object has passed (Amsterdam date of
 * `now` after the deadline) and applies it: its terms and its version label, with an
 * agreement.changed row (via 'version') and agreement.version_accepted, in one transaction per
 * customer. The tick calls it; tests call it with any `now`.
 */
export async function settleAgreementVersions(
  db: Db,
  now = new Date(),
): Promise<Array<{ tenantId: string; proposal: string; version: string }>> {
  const today = dutchDate(now);
  const tenants = await db.global((tx) => tx.selectFrom('tenants').select('id').orderBy('created_at').execute());
  const settled: Array<{ tenantId: string; proposal: string; version: string }> = [];
  for (const { id: tenantId } of tenants) {
    const done = await db.tenant(tenantId, async (tx) => {
      const due = await tx
        .selectFrom('agreement_proposals')
        .select(['id', 'to_version', 'changes', 'announced_at'])
        .where('state', '=', 'pending')
        .where('announced_at', 'is not', null)
        .where('deadline', '<', today)
        .orderBy('announced_at')
        .orderBy('proposed_at')
        .forUpdate()
        .execute();
      const out: typeof settled = [];
      for (const p of due) {
        const changes = p.changes as Changes;
        const values = Object.fromEntries(Object.entries(changes).map(([col, c]) => [col, c.to]));
        const actor: Actor = { kind: 'system', id: null };
        await applyAgreementValues(tx, tenantId, actor, values, 'version');
        await tx
          .updateTable('agreement_proposals')
          .set({ state: 'accepted', settled_at: now })
          .where('id', '=', p.id)
          .execute();
        await audit(tx, tenantId, actor, {
          action: AuditAction.AGREEMENT_VERSION_ACCEPTED,
          subject: { kind: 'agreement_proposal', id: p.id },
          details: { version: p.to_version, deemed: true },
        });
        out.push({ tenantId, proposal: p.id, version: p.to_version });
      }
      return out;
    });
    settled.push(...done);
  }
  return settled;
}

/** The operator resolves an objection: withdraw the proposal for this customer, or announce it again (a new window). */
export async function resolveProposal(
  ctx: AppContext,
  tenantId: string,
  proposalId: string,
  action: 'withdraw' | 'reannounce',
  actor: Actor,
  now = new Date(),
): Promise<string | null> {
  if (!isUuid(proposalId)) throw AppError.notFound('announcement');
  const next = await ctx.db.tenant(tenantId, async (tx) => {
    const p = await tx
      .selectFrom('agreement_proposals')
      .select([...PROPOSAL_COLUMNS])
      .where('id', '=', proposalId)
      .forUpdate()
      .executeTakeFirst();
    if (!p) throw AppError.notFound('announcement');
    if (action === 'withdraw') {
      if (p.state !== 'pending' && p.state !== 'objected')
        throw new AppError(ErrorCode.CONFLICT, {
          key: 'problems:agreement.cannotWithdraw',
          params: { state: p.state },
        });
      await tx
        .updateTable('agreement_proposals')
        .set({ state: 'withdrawn', resolved_at: now, resolved_by: actor.id })
        .where('id', '=', proposalId)
        .execute();
      await audit(tx, tenantId, actor, {
        action: AuditAction.AGREEMENT_VERSION_WITHDRAWN,
        subject: { kind: 'agreement_proposal', id: proposalId },
        details: { version: p.to_version, objected: p.state === 'objected' },
      });
      return null;
    }
    if (p.state !== 'objected')
      throw new AppError(ErrorCode.CONFLICT, {
        key: 'problems:agreement.cannotReannounce',
        params: { state: p.state },
      });
    const values = Object.fromEntries(Object.entries(p.changes as Changes).map(([col, c]) => [col, c.to]));
    const id = await proposeVersion(
      tx,
      tenantId,
      {
        origin: p.origin,
        releaseId: p.release_id,
        toVersion: p.to_version,
        values,
        summary: { nl: p.summary_nl, en: p.summary_en },
      },
      actor,
      now,
    );
    if (id) await tx.updateTable('agreement_proposals').set({ previous_id: proposalId }).where('id', '=', id).execute();
    await tx
      .updateTable('agreement_proposals')
      .set({ state: 'reannounced', resolved_at: now, resolved_by: actor.id })
      .where('id', '=', proposalId)
      .execute();
    await audit(tx, tenantId, actor, {
      action: AuditAction.AGREEMENT_VERSION_REANNOUNCED,
      subject: { kind: 'agreement_proposal', id: proposalId },
      details: { version: p.to_version, next: id },
    });
    return id;
  });
  if (next) await notifyPending(ctx, tenantId, now);
  return next;
}

// ---------------------------------------------------------------- reading

export interface ProposalView {
  id: string;
  releaseId: string;
  previousId: string | null;
  origin: 'release' | 'terms';
  fromVersion: string;
  toVersion: string;
  summary: { nl: string; en: string };
  changes: Array<{
    term: string;
    label: { nl: string; en: string };
    from: { nl: string; en: string };
    to: { nl: string; en: string };
  }>;
  proposedAt: string;
  announcedAt: string | null;
  notified: 'privacy_contact' | 'owners' | null;
  workingDays: number;
  /** The last day to object (Europe/Amsterdam); null until the announcement went out. */
  deadline: string | null;
  state: ProposalState;
  stateText: { nl: string; en: string };
  settledAt: string | null;
  objection: { at: string; by: string | null; reason: string } | null;
  resolvedAt: string | null;
}

type ProposalRow = Omit<Selectable<AgreementProposalsTable>, 'deadline'> & { deadline: string | null };

function proposalView(p: ProposalRow, open: (b: Buffer) => string): ProposalView {
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: p.id,
    releaseId: p.release_id,
    previousId: p.previous_id,
    origin: p.origin,
    fromVersion: p.from_version,
    toVersion: p.to_version,
    summary: { nl: p.summary_nl, en: p.summary_en },
    changes: ordered(p.changes as Changes).map(([col, c]) => {
      const key = COLUMN_TERM[col]!;
      return {
        term: key,
        label: { nl: TERM_TEXT[key].nl, en: TERM_TEXT[key].en },
        from: { nl: termValue(key, c.from, 'nl'), en: termValue(key, c.from, 'en') },
        to: { nl: termValue(key, c.to, 'nl'), en: termValue(key, c.to, 'en') },
      };
    }),
    proposedAt: iso(p.proposed_at)!,
    announcedAt: iso(p.announced_at),
    notified: p.notified,
    workingDays: p.working_days,
    deadline: p.deadline,
    state: p.state,
    stateText: STATE_TEXT[p.state],
    settledAt: iso(p.settled_at),
    objection: p.objected_at
      ? { at: iso(p.objected_at)!, by: p.objected_by, reason: p.objection_enc ? open(p.objection_enc) : '' }
      : null,
    resolvedAt: iso(p.resolved_at),
  };
}

const PROPOSAL_COLUMNS = [
  'tenant_id',
  'id',
  'release_id',
  'previous_id',
  'origin',
  'from_version',
  'to_version',
  'changes',
  'summary_nl',
  'summary_en',
  'working_days',
  'proposed_at',
  'proposed_by',
  'announced_at',
  'notified',
  'recipients',
  'state',
  'settled_at',
  'objected_at',
  'objected_by',
  'objection_enc',
  'resolved_at',
  'resolved_by',
] as const;
/** Dates are selected ::text: pg would turn a date into a local-time Date. */
const deadlineText = sql<string | null>`deadline::text`.as('deadline');

async function proposalRows(tx: Tx): Promise<ProposalRow[]> {
  return tx
    .selectFrom('agreement_proposals')
    .select([...PROPOSAL_COLUMNS, deadlineText])
    .orderBy('proposed_at', 'desc')
    .orderBy('id')
    .execute();
}

export interface VersionsView {
  version: string;
  /** An owner accepted the version in force digitally. */
  accepted: boolean;
  /** The version in force came from an announcement that was deemed accepted (no objection in time). */
  deemedAccepted: boolean;
  acceptances: Array<{
    id: string;
    version: string;
    lang: Lang;
    sha256: string;
    acceptedAt: string;
    acceptedBy: { id: string; name: string };
  }>;
  announcements: ProposalView[];
}

/** The customer's history: acceptances and announcements, newest first. */
export async function listVersions(ctx: AppContext, tx: Tx, tenantId: string): Promise<VersionsView> {
  const keys = await ctx.keyring.forTenant(tenantId, tx);
  const version = String((await currentValues(tx, tenantId, ['version'])).version);
  const acceptances = await tx
    .selectFrom('agreement_acceptances')
    .select(['id', 'version', 'lang', 'sha256', 'accepted_at', 'accepted_by', 'evidence_enc'])
    .orderBy('accepted_at', 'desc')
    .orderBy('id')
    .execute();
  const rows = await proposalRows(tx);
  return {
    version,
    accepted: acceptances.some((a) => a.version === version),
    deemedAccepted: rows.some((p) => p.state === 'accepted' && p.to_version === version),
    acceptances: acceptances.map((a) => ({
      id: a.id,
      version: a.version,
      lang: a.lang,
      sha256: a.sha256,
      acceptedAt: new Date(a.accepted_at).toISOString(),
      acceptedBy: { id: a.accepted_by, name: keys.openJson<{ name: string }>(a.evidence_enc).name },
    })),
    announcements: rows.map((p) => proposalView(p, (b) => keys.open(b))),
  };
}

/** The operator's overview: every customer's announcements with their state (one transaction per customer). */
export async function operatorAnnouncements(
  ctx: AppContext,
): Promise<Array<ProposalView & { tenant: { id: string; name: string; slug: string } }>> {
  const tenants = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select(['id', 'name', 'slug']).orderBy('created_at').execute(),
  );
  const out: Array<ProposalView & { tenant: { id: string; name: string; slug: string } }> = [];
  for (const t of tenants) {
    const rows = await ctx.db.tenant(t.id, async (tx) => {
      const list = await proposalRows(tx);
      if (list.length === 0) return [];
      const keys = await ctx.keyring.forTenant(t.id, tx).catch(() => null);
      return list.map((p) => proposalView(p, (b) => (keys ? keys.open(b) : '(erased)')));
    });
    out.push(...rows.map((r) => ({ ...r, tenant: t })));
  }
  return out;
}

// ---------------------------------------------------------------- the tick

/** Announces what is unannounced and settles what is due, for every customer. */
export async function agreementTick(ctx: AppContext, now = new Date()): Promise<void> {
  const tenants = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select('id').where('status', '=', 'active').execute(),
  );
  for (const t of tenants) await notifyPending(ctx, t.id, now);
  await settleAgreementVersions(ctx.db, now);
}

/** At start and every `seconds` (0: never); returns the stop function, which waits for a running tick. */
export function startAgreementTick(ctx: AppContext, seconds: number): () => Promise<void> {
  return startTick('[agreement] version tick', seconds, () => agreementTick(ctx), { db: ctx.db });
}
