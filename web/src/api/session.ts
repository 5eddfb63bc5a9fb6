/**
 * Who is signed in, to which school: the access token lives in memory only; the refresh token is an
 * httpOnly cookie that the gateway's /auth routes set and rotate (web/README.md, "Sign-in"), so
 * script on the page never sees it. A reload restores the session through POST /auth/refresh.
 *
 * Refreshes are serialized across the tabs of a browser with a Web Lock: refresh tokens rotate and
 * presenting a used one revokes the whole family, so two tabs refreshing at once must not both send
 * the same cookie (the second one, once it holds the lock, sends the cookie the first one got).
 */
import { apiErrorOf, ApiError, postJson } from './errors';

export type Role = 'PLATFORM_ADMIN' | 'SCHOOL_ADMIN' | 'TEACHER' | 'STUDENT' | 'PARENT';

export interface SessionUser {
  id: string;
  displayName: string;
  roles: Role[];
  locale: 'AR' | 'EN';
}

export interface Session {
  tenant: string;
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  user: SessionUser;
}

const TENANT_KEY = 'manassa.school';
/** Refresh this long before the access token expires. */
const EARLY_MS = 30_000;

let current: Session | null = null;
let refreshing: Promise<Session | null> | null = null;
const listeners = new Set<() => void>();

function set(next: Session | null) {
  current = next;
  if (next) localStorage.setItem(TENANT_KEY, next.tenant);
  for (const l of listeners) l();
}

/** For useSyncExternalStore. */
export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export const getSession = (): Session | null => current;

/** The school last signed in to on this browser (not a secret: the slug is in every URL it uses). */
export const lastTenant = (): string | null => localStorage.getItem(TENANT_KEY);

async function authCall(path: string, tenant: string, body?: unknown): Promise<Session | null> {
  // JSON makes a cross-site form post impossible without a CORS preflight; the cookie is also SameSite=Strict.
  const { status, json } = await postJson(`/auth/${path}`, { 'x-tenant-id': tenant }, body ?? {});
  if (status === 204) return null;
  if (status < 200 || status >= 300) throw apiErrorOf(json, status);
  const { accessToken, accessTokenExpiresAt, user } = json as { accessToken: string; accessTokenExpiresAt: string; user: SessionUser };
  return { tenant, accessToken, expiresAt: Date.parse(accessTokenExpiresAt), user };
}

function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  return navigator.locks ? (navigator.locks.request('manassa-refresh', fn) as Promise<T>) : fn();
}

export async function signIn(tenant: string, email: string, password: string): Promise<Session> {
  const session = (await authCall('login', tenant, { email, password }))!;
  set(session);
  return session;
}

/** A new access token from the refresh cookie; null (and signed out) when there is no valid cookie. */
export function refresh(tenant = current?.tenant ?? lastTenant()): Promise<Session | null> {
  if (!tenant) return Promise.resolve(null);
  refreshing ??= withRefreshLock(() => authCall('refresh', tenant))
    .then(
      (s) => (set(s), s),
      (err: ApiError) => {
        // A network failure keeps what we have (the token may still be valid); a refusal signs out.
        if (err.code !== 'NETWORK_ERROR' && err.code !== 'SERVICE_UNAVAILABLE') set(null);
        throw err;
      },
    )
    .finally(() => (refreshing = null));
  return refreshing;
}

/** A valid access token for the next call, refreshed first when it is about to expire. */
export async function freshToken(): Promise<string | null> {
  if (current && current.expiresAt - Date.now() > EARLY_MS) return current.accessToken;
  if (!current) return null;
  return (await refresh())?.accessToken ?? null;
}

export async function signOut(): Promise<void> {
  const tenant = current?.tenant;
  set(null);
  if (tenant) await authCall('logout', tenant).catch(() => undefined);
}
