import { useTranslation } from 'react-i18next';
import type { FollowUpStatus } from '../../types';

/** Issue 12: the closed loop's statuses in their order (their names: followups:status.<status>). */
export const STATUSES: readonly FollowUpStatus[] = ['open', 'in_progress', 'done'];

const ROLES = ['owner', 'admin', 'analyst', 'viewer', 'support'] as const;

/** A colleague's role in the user's language (the code itself for a role the catalogue lacks). */
export function useRoleName(): (role: string) => string {
  const { t } = useTranslation('common');
  return (role) => ((ROLES as readonly string[]).includes(role) ? t(`roles.${role as (typeof ROLES)[number]}`) : role);
}
