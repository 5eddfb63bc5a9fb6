import type { Request, Response } from 'express';

/**
 * Answers a schema document with a strong ETag (its SHA-256), or 304 when the client already
 * has it: gateways and partners poll, and most polls change nothing.
 */
export function sendDocument(req: Request, res: Response, body: string, hash: string, headers: Record<string, string> = {}): void {
  const etag = `"${hash}"`;
  res.set({ etag, 'cache-control': 'no-cache', ...headers });
  if (matchesEtag(req, hash)) {
    res.status(304).end();
    return;
  }
  res.type('text/plain; charset=utf-8').send(body);
}

/** True when the request's If-None-Match names this document (weak or strong, or `*`). */
export function matchesEtag(req: Request, hash: string): boolean {
  const given = (req.header('if-none-match') ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  return given.includes(`"${hash}"`) || given.includes('*');
}
