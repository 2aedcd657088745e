import { createContext, useContext } from 'react';
import type { Me } from './types';

export interface Session {
  me: Me;
  /** Reloads /auth/me (after a role change, for example). */
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

/** Whether the signed-in user's role allows a permission such as `contacts:read`. */
export function useCan(): (permission: string) => boolean {
  const { me } = useSession();
  return (p) => me.permissions?.includes(p) ?? false;
}

/** A one-time message for the next page (e.g. "Set-up complete" on the sign-in page). */
let flash: string | null = null;
export function setFlash(message: string): void {
  flash = message;
}
export function takeFlash(): string | null {
  const m = flash;
  flash = null;
  return m;
}
