import type { AppContext } from '../../context.js';
import { Db } from '../../lib/db/db.js';
import type { Lang } from '../../lib/db/schema.js';
import type { SurveyDefinition } from '../surveys/definition.js';

/**
 * What a respondent's post needs to know about its invitation (the survey's definition, to check the
 * answers), looked up in micro-batches like the writer writes: posts that arrive within a few
 * milliseconds share one transaction with one statement per tenant, so the hot path does not pay a
 * transaction per request. An invitation's survey never changes, so that mapping is cached; a
 * survey's definition and status are cached for a second (status is checked again by the writer's
 * statement, and definitions change only in their texts once a survey has responses).
 */
export interface InvitationInfo {
  surveyId: string;
  /** The invitation's language; null when answered from the survey cache (the form carries the language). */
  language: Lang | null;
  responded: boolean;
  orgName: string;
  def: SurveyDefinition;
  surveyOpen: boolean;
  /** DSR-1: an anonymous survey's pages link to the customer's request page, not the invitation's. */
  anonymous: boolean;
}

interface SurveyInfo {
  def: SurveyDefinition;
  status: string;
  anonymous: boolean;
  orgName: string;
  tenantActive: boolean;
  at: number;
}

const SURVEY_TTL_MS = 1000;
const MAX_CACHED = 100_000;

interface Waiting {
  tenantId: string;
  invitationId: string;
  resolve: (v: InvitationInfo | null) => void;
  reject: (e: unknown) => void;
}

/** Every look-up of this process, so that a suspension (AGR-6) can forget a customer's cached surveys. */
const lookups = new Set<WeakRef<InvitationLookup>>();

/** OBLIGATIONS AGR-6: forgets the cached surveys of a customer that was suspended or resumed. */
export function forgetTenantLookups(tenantId: string): void {
  for (const ref of lookups) {
    const l = ref.deref();
    if (l) l.forgetTenant(tenantId);
    else lookups.delete(ref);
  }
}

export class InvitationLookup {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly surveys = new Map<string, SurveyInfo>();

  constructor(
    private readonly ctx: AppContext,
    private readonly windowMs: number,
  ) {
    lookups.add(new WeakRef(this));
  }

  forgetTenant(tenantId: string): void {
    for (const k of this.surveys.keys()) if (k.startsWith(`${tenantId}/`)) this.surveys.delete(k);
  }

  /**
   * The invitation's survey and whether it was answered. A link that names its survey (every link
   * sent since links carry it; the MAC covers it) is answered from the survey cache without the
   * database: `responded` is then unknown (false), and the writer's statement, which stores an
   * invitation's response only once, is what refuses a second answer.
   */
  load(tenantId: string, invitationId: string, surveyId?: string): Promise<InvitationInfo | null> {
    if (surveyId) {
      const s = this.surveys.get(`${tenantId}/${surveyId}`);
      if (s && Date.now() - s.at <= SURVEY_TTL_MS) {
        return Promise.resolve(
          s.tenantActive
            ? {
                surveyId,
                language: null,
                responded: false,
                orgName: s.orgName,
                def: s.def,
                surveyOpen: s.status === 'open',
                anonymous: s.anonymous,
              }
            : null,
        );
      }
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ tenantId, invitationId, resolve, reject });
      if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.windowMs);
    });
  }

  /** Forgets a survey's cached definition (after an edit in this process). */
  forget(tenantId: string, surveyId: string): void {
    this.surveys.delete(`${tenantId}/${surveyId}`);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const batch = this.queue.splice(0);
    if (batch.length === 0) return;
    try {
      const byTenant = new Map<string, Waiting[]>();
      for (const w of batch) byTenant.set(w.tenantId, [...(byTenant.get(w.tenantId) ?? []), w]);
      const out = new Map<Waiting, InvitationInfo | null>();
      const [first] = byTenant.keys();
      await this.ctx.db.tenant(first!, async (tx) => {
        for (const [tenantId, ws] of byTenant) {
          if (tenantId !== first) await Db.switchTenant(tx, tenantId);
          const rows = await tx
            .selectFrom('invitations')
            .select(['id', 'survey_id', 'language', 'responded_at'])
            .where('id', 'in', [...new Set(ws.map((w) => w.invitationId))])
            .execute();
          const now = Date.now();
          const missing = [...new Set(rows.map((r) => r.survey_id))].filter((id) => {
            const s = this.surveys.get(`${tenantId}/${id}`);
            return !s || now - s.at > SURVEY_TTL_MS;
          });
          if (missing.length) {
            const surveys = await tx
              .selectFrom('surveys as s')
              .innerJoin('tenants as t', 't.id', 's.tenant_id')
              .select(['s.id', 's.definition', 's.status', 's.anonymity', 't.name', 't.status as tenant_status'])
              .where('s.id', 'in', missing)
              .execute();
            if (this.surveys.size > MAX_CACHED) this.surveys.clear();
            for (const s of surveys)
              this.surveys.set(`${tenantId}/${s.id}`, {
                def: s.definition as SurveyDefinition,
                status: s.status,
                anonymous: s.anonymity === 'anonymous',
                orgName: s.name,
                tenantActive: s.tenant_status === 'active',
                at: now,
              });
          }
          const byId = new Map(rows.map((r) => [r.id, r]));
          for (const w of ws) {
            const r = byId.get(w.invitationId);
            const s = r ? this.surveys.get(`${tenantId}/${r.survey_id}`) : undefined;
            out.set(
              w,
              r && s && s.tenantActive
                ? {
                    surveyId: r.survey_id,
                    language: r.language,
                    responded: r.responded_at !== null,
                    orgName: s.orgName,
                    def: s.def,
                    surveyOpen: s.status === 'open',
                    anonymous: s.anonymous,
                  }
                : null,
            );
          }
        }
      });
      for (const w of batch) w.resolve(out.get(w) ?? null);
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
