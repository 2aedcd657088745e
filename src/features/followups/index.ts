// Public surface of the follow-ups feature (issue 12, OBLIGATIONS SVC-4: the closed loop).
// The results page reads followUpSummary; the sweep and the routes stay inside the feature.
export { followUpSummary, followUpSweep, triggers, DEFAULT_DUE_HOURS, type FollowUpSummary, type AlertTrigger } from './service.js';
