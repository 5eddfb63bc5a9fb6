import type { Request } from 'express';

/**
 * Whether a request's body is declared JSON. A page of another site can only send a "simple"
 * request without a CORS preflight (text/plain, form encodings), so requiring JSON keeps
 * cross-site forms and fetches from reaching the cookie routes at all. The header is read as sent:
 * `req.is()` answers null for an empty body, and the routes accept an empty JSON body.
 */
export function declaresJson(req: Request): boolean {
  const type = (req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json';
}

/**
 * Whether the request's Origin (when the browser sent one) is the gateway's own origin as the
 * browser sees it (scheme and host honour TRUST_PROXY), or one of the configured CORS origins.
 * `Origin: null` (sandboxed frames, some redirects) is never allowed.
 */
export function originAllowed(req: Request, allowed: string[]): boolean {
  const origin = req.header('origin');
  if (origin === undefined) return true;
  const own = req.host ? `${req.protocol}://${req.host}`.toLowerCase() : undefined;
  const presented = origin.trim().toLowerCase();
  return presented === own || allowed.some((o) => o.toLowerCase() === presented);
}
