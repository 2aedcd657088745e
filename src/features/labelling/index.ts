// Public API of the labelling feature (issue 5): the pure core, with no database and no HTTP.
// OBLIGATIONS AI-2 (standard labels, corrections kept and used), AI-3 (redaction before text leaves
// the system), AI-5 (a built-in labeller that needs no external service).
export {
  SENTIMENTS,
  CUSTOMER_LABEL_IDS,
  EMPLOYEE_LABEL_IDS,
  CUSTOMER_EXPERIENCE,
  EMPLOYEE_EXPERIENCE,
  TAXONOMIES,
  getTaxonomy,
  isLabelOf,
  isSentiment,
  type Label,
  type Sentiment,
  type Taxonomy,
  type TaxonomyId,
} from './taxonomies.js';
export {
  redact,
  findPii,
  isValidBsn,
  PII_TYPES,
  type PiiType,
  type PiiSpan,
  type RedactOptions,
  type RedactResult,
} from './redact.js';
export {
  createLabeller,
  DEFAULT_PARAMS,
  type Example,
  type Labeller,
  type LabellerOptions,
  type LabelResult,
  type ModelParams,
  type ModelParamsInput,
} from './labeller.js';
export { runLineCommand, type LineCommandOptions } from './cli.js';
export { detectLanguage, type Lang } from './text.js';
export {
  labelLines,
  redactLines,
  labelStream,
  redactStream,
  readLines,
  writeLines,
  type RedactLinesOptions,
} from './lines.js';
