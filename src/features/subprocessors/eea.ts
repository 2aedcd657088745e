/**
 * OBLIGATIONS SUB-1, SUB-3: the countries of the European Economic Area (the 27 member states of the
 * EU, and Iceland, Liechtenstein and Norway), by ISO 3166-1 alpha-2 code. Whether a sub-processor is
 * inside the EEA is derived from its country with this list, never typed by hand. An adequacy
 * decision (e.g. for CH or GB) does not make a country part of the EEA: SUB-3 asks for consent
 * for every country outside it, adequacy is recorded as a safeguard.
 */
export const EEA_COUNTRIES: ReadonlySet<string> = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
]);

export function insideEea(country: string): boolean {
  return EEA_COUNTRIES.has(country.toUpperCase());
}

/** The closed vocabulary of safeguards a register entry can name; anything else goes in the note. */
export const SAFEGUARDS = [
  'dpa', // a data processing agreement (art. 28(4) GDPR) with the sub-processor
  'scc', // EU standard contractual clauses (2021/914)
  'bcr', // binding corporate rules
  'adequacy', // an adequacy decision of the European Commission for the country
  'dpf', // certified under the EU-US Data Privacy Framework
  'iso27001',
  'iso27701',
  'soc2',
  'nen7510',
] as const;
export type Safeguard = (typeof SAFEGUARDS)[number];

export const KINDS = ['hosting', 'smtp', 'ai', 'other'] as const;
export type SubprocessorKind = (typeof KINDS)[number];
