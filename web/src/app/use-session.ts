import { useSyncExternalStore } from 'react';
import { connectionState, subscribeConnectionState } from '../api/live';
import { getSession, subscribeSession, type Role, type Session } from '../api/session';

export const useSession = (): Session | null => useSyncExternalStore(subscribeSession, getSession);
export const useConnectionState = () => useSyncExternalStore(subscribeConnectionState, connectionState);

/** Where each role starts. */
export function homeOf(roles: Role[]): string {
  if (roles.includes('TEACHER') || roles.includes('SCHOOL_ADMIN')) return '/teacher';
  if (roles.includes('STUDENT')) return '/student';
  if (roles.includes('PARENT')) return '/parent';
  return '/signin';
}
