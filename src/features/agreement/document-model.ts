import type { AppContext } from '../../context.js';
import type { Tx } from '../../lib/db/db.js';

/**
 * OBLIGATIONS AGR-4: the agreement as a structured document, composed from live state
 * (document.ts) and rendered to Markdown, HTML and PDF (render.ts). Every renderer walks the same
 * model, so the three formats say the same thing; the Markdown is what an acceptance hashes (AGR-3).
 *
 * Text in the model is plain text (no markup): each renderer escapes it for its own format.
 */
export type Lang = 'nl' | 'en';

export type DocBlock =
  /** A paragraph of plain text. */
  | { kind: 'paragraph'; text: string }
  /** A bulleted list. */
  | { kind: 'list'; items: string[] }
  /** A table: a header row and rows of the same width. */
  | { kind: 'table'; head: string[]; rows: string[][] }
  /** A heading inside a section (one level below the section's title). */
  | { kind: 'subheading'; text: string };

/**
 * One article or annex: a stable id (for anchors, e.g. 'art-5' or 'annex-2'), its title, and its
 * blocks in order. This is all an annex provider returns.
 */
export interface DocSection {
  id: string;
  title: string;
  blocks: DocBlock[];
}

export interface AgreementDocument {
  lang: Lang;
  /** e.g. "Verwerkersovereenkomst Klant B.V. – Peil". */
  title: string;
  /** The version label and the parties in one line. */
  subtitle: string;
  /** Parties, the terms table, then the articles. */
  sections: DocSection[];
  /** Annex 1 (register of processing), 2 (sub-processors), 3 (security measures), in order. */
  annexes: DocSection[];
}

/**
 * Produces one annex for one customer in one language, inside a transaction of that customer
 * (row-level security holds; never open a second transaction inside it). `ctx` gives the
 * configuration (env) for what the configuration implies; a provider that only reads tables may
 * ignore it. The title it returns is used as is (e.g. "Bijlage 1 – Register van verwerkingen").
 */
export type AnnexProvider = (tx: Tx, tenantId: string, lang: Lang, ctx: AppContext) => Promise<DocSection>;
