import type { CookieOptions, Request, Response } from 'express';

/** Every cookie of the browser's sign-in lives under this path: sent to POST /auth/* only, never to /graphql or the page. */
export const COOKIE_PATH = '/auth';

/** One cookie per school, so that signing in to a second school on the same host does not sign out of the first. */
export const refreshCookieName = (schoolSlug: string) => `manassa_rt_${schoolSlug}`;

export interface RefreshCookieOptions {
  /** Lifetime of the cookie: the refresh token's (users' REFRESH_TOKEN_TTL_SECONDS). */
  maxAgeSeconds: number;
  /** Production: always Secure, even when TLS ends at a proxy the gateway is not told to trust. */
  production: boolean;
}

/**
 * The refresh token's cookie: out of reach of script (HttpOnly), never sent by another site
 * (SameSite=Strict), only to the /auth routes, Secure over https (req.secure honours TRUST_PROXY)
 * and in production.
 */
export function refreshCookie(opts: RefreshCookieOptions) {
  const attributes = (req: Request): CookieOptions => ({
    httpOnly: true,
    sameSite: 'strict',
    path: COOKIE_PATH,
    secure: opts.production || req.secure,
  });
  return {
    /** The token the browser sent for this school, if any. */
    read(req: Request, schoolSlug: string): string | undefined {
      return cookieValue(req.header('cookie'), refreshCookieName(schoolSlug));
    },
    set(req: Request, res: Response, schoolSlug: string, token: string) {
      res.cookie(refreshCookieName(schoolSlug), token, { ...attributes(req), maxAge: opts.maxAgeSeconds * 1000 });
    },
    clear(req: Request, res: Response, schoolSlug: string) {
      res.clearCookie(refreshCookieName(schoolSlug), attributes(req));
    },
  };
}
export type RefreshCookie = ReturnType<typeof refreshCookie>;

/** The value of cookie `name` in a Cookie header (RFC 6265 §5.4; the first one wins, as browsers send the most specific first). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not ours (res.cookie encodes): use as is.
    }
    return value || undefined;
  }
  return undefined;
}
