import { measureStatements, securityMeasuresIn } from '../security/measures.js';
import { registerAnnex } from '../register/service.js';
import { applicableSubprocessors, processingLocation } from '../subprocessors/service.js';
import type { AnnexProvider, DocSection, Lang } from './document-model.js';

/**
 * OBLIGATIONS AGR-4: the annexes of the agreement, each an AnnexProvider (document-model.ts) that
 * reads live state inside the customer's transaction. Nothing here is a fixed text about what the
 * system does: each line is derived from a record or the configuration.
 */

const L = <T>(lang: Lang, nl: T, en: T): T => (lang === 'nl' ? nl : en);

const SAFEGUARD_TEXT: Record<string, { nl: string; en: string }> = {
  dpa: { nl: 'verwerkersovereenkomst', en: 'processing agreement' },
  scc: { nl: 'modelcontractbepalingen (SCC)', en: 'standard contractual clauses (SCC)' },
  bcr: { nl: 'bindende bedrijfsvoorschriften (BCR)', en: 'binding corporate rules (BCR)' },
  adequacy: { nl: 'adequaatheidsbesluit', en: 'adequacy decision' },
  dpf: { nl: 'EU-VS Data Privacy Framework', en: 'EU-US Data Privacy Framework' },
  iso27001: { nl: 'ISO 27001', en: 'ISO 27001' },
  iso27701: { nl: 'ISO 27701', en: 'ISO 27701' },
  soc2: { nl: 'SOC 2', en: 'SOC 2' },
  nen7510: { nl: 'NEN 7510', en: 'NEN 7510' },
};

/** Annex 2: the sub-processors that apply to this customer (SUB-1, SUB-3), and where data is processed (SUB-4). */
export const subprocessorsAnnex: AnnexProvider = async (tx, _tenantId, lang, ctx) => {
  const entries = await applicableSubprocessors(tx);
  const where = processingLocation(ctx.env);
  const blocks: DocSection['blocks'] = [
    {
      kind: 'paragraph',
      text: L(
        lang,
        `Opslag en verwerking vinden plaats in ${where.location} (${where.country}, ${where.insideEea ? 'binnen' : 'buiten'} de EER). Verwerker schakelt voor deze Verwerkingsverantwoordelijke de onderstaande sub-verwerkers in.`,
        `Storage and processing take place in ${where.location} (${where.country}, ${where.insideEea ? 'inside' : 'outside'} the EEA). The processor engages the sub-processors below for this controller.`,
      ),
    },
  ];
  if (entries.length === 0) {
    blocks.push({
      kind: 'paragraph',
      text: L(lang, 'Er zijn geen sub-verwerkers ingeschakeld.', 'No sub-processors are engaged.'),
    });
  } else {
    blocks.push({
      kind: 'table',
      head: L(
        lang,
        ['Naam', 'Dienst', 'Locatie', 'Land', 'EER', 'Waarborgen', 'Status'],
        ['Name', 'Service', 'Location', 'Country', 'EEA', 'Safeguards', 'Status'],
      ),
      rows: entries.map((e) => [
        e.name,
        e.service,
        e.location,
        e.country,
        e.insideEea ? L(lang, 'binnen', 'inside') : L(lang, 'buiten', 'outside'),
        e.safeguards.map((s) => SAFEGUARD_TEXT[s]?.[lang] ?? s).join(', ') || '–',
        e.status === 'applied'
          ? L(lang, 'ingeschakeld', 'engaged')
          : L(lang, 'niet gebruikt: wacht op uw toestemming', 'not used: awaiting your consent'),
      ]),
    });
  }
  return { id: 'annex-2', title: L(lang, 'Bijlage 2 – Sub-verwerkers', 'Annex 2 – Sub-processors'), blocks };
};

/** Annex 3: the security measures in force (SEC-4), as stated by measureStatements. */
export const measuresAnnex: AnnexProvider = async (tx, tenantId, lang, ctx) => {
  const m = await securityMeasuresIn(ctx, tx, tenantId);
  const blocks: DocSection['blocks'] = [
    {
      kind: 'paragraph',
      text: L(
        lang,
        'De volgende technische en organisatorische maatregelen zijn voor deze klant van kracht, zoals ingesteld in het systeem.',
        'The following technical and organisational measures are in force for this customer, as configured in the system.',
      ),
    },
  ];
  for (const group of measureStatements(m)) {
    blocks.push({ kind: 'subheading', text: group.heading[lang] });
    blocks.push({ kind: 'list', items: group.items.map((i) => i[lang]) });
  }
  return {
    id: 'annex-3',
    title: L(lang, 'Bijlage 3 – Beveiligingsmaatregelen', 'Annex 3 – Security measures'),
    blocks,
  };
};

/**
 * Annex 1: the register of processing (REG-1..3, features/register/), derived from what is stored
 * and kept by the customer. Called through a function so the import is read at call time.
 */
export const registerAnnexProvider: AnnexProvider = (tx, tenantId, lang) => registerAnnex(tx, tenantId, lang);

/** The annexes in order. */
export const DEFAULT_ANNEXES: AnnexProvider[] = [registerAnnexProvider, subprocessorsAnnex, measuresAnnex];
