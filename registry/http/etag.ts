import type { Request, Response } from 'express';

/**
 * Answers a schema document with a strong ETag (its SHA-256), or 304 when the client already
 * has it: gateways and partners poll, and most polls change nothing, so a lazy `body` is only
 * loaded when it is sent.
 */
export async function sendDocument(
  req: Request,
  res: Response,
  hash: string,
  body: string | (() => Promise<string>),
  headers: Record<string, string> = {},
): Promise<void> {
  res.set({ etag: `"${hash}"`, 'cache-control': 'no-cache', ...headers });
  if (matchesEtag(req, hash)) {
    res.status(304).end();
    return;
  }
  res.type('text/plain; charset=utf-8').send(typeof body === 'string' ? body : await body());
}

/** True when the request's If-None-Match names this document (weak or strong, or `*`). */
function matchesEtag(req: Request, hash: string): boolean {
  const given = (req.header('if-none-match') ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  return given.includes(`"${hash}"`) || given.includes('*');
}
