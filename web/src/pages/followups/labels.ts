import type { FollowUpStatus } from '../../types';

/** Issue 12: the closed loop's words, Dutch first with English beside it. */
export const STATUS_LABELS: Record<FollowUpStatus, string> = {
  open: 'Open / Open',
  in_progress: 'In behandeling / In progress',
  done: 'Afgehandeld / Done',
};
