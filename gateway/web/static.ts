import path from 'node:path';
import compression from 'compression';
import express, { Router, type Request, type Response } from 'express';

/**
 * The page's Content-Security-Policy: everything from this origin only. `connect-src 'self'` also
 * covers ws:/wss: to the same host and port (CSP Level 3; Chromium since 71, Firefox, Safari 16),
 * which is how the app reaches graphql-ws on /graphql. No inline script or style: the Vite build
 * emits none (React sets styles through the CSSOM, which style-src does not govern).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const HTML_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  // Revalidated on every load (ETag, Last-Modified): a new build reaches the browser at once.
  'Cache-Control': 'no-cache',
};

/** Paths of the API and the probes: never answered with the app, whatever the request accepts. */
const NOT_APP = /^\/(?:graphql|auth|healthz|readyz|metrics|webhooks)(?:\/|$)/;

const NOT_BUILT = 'The web app is not built: run `npm run build` (it writes dist/web), or point WEB_DIR at a build.\n';

/**
 * The web app (web/, built by Vite into `dir`) at `/`: hashed `/assets/*` cached for a year,
 * index.html revalidated, and index.html for any other page a browser asks for (GET/HEAD with
 * Accept: text/html), so that a reload of /classroom/123 works: the app's router takes it from
 * there. The directory is read per request, so a rebuild needs no restart and a gateway started
 * before the build answers once it exists.
 */
export function webApp(opts: { dir: string }): Router {
  const index = path.join(opts.dir, 'index.html');
  const router = Router();
  // brotli or gzip for clients that accept it: the app's script is ~500 KB as built, ~145 KB
  // gzipped. Only this router's answers: /graphql keeps its own encoding choices.
  router.use(compression());

  router.use(
    '/assets',
    express.static(path.join(opts.dir, 'assets'), {
      index: false,
      redirect: false,
      fallthrough: true,
      // Names carry a content hash: a new build has new names.
      maxAge: 365 * 24 * 3600 * 1000,
      immutable: true,
      setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
    // A missing asset is a plain 404, never index.html (a script tag would get HTML back).
    (_req: Request, res: Response) => void res.status(404).type('text/plain').send('Not found\n'),
  );

  const sendIndex = (_req: Request, res: Response) => {
    res.sendFile(index, { headers: HTML_HEADERS, cacheControl: false, dotfiles: 'deny' }, (err?: NodeJS.ErrnoException) => {
      if (!err || res.headersSent) return;
      const missing = err.code === 'ENOENT' || err.code === 'ENOTDIR';
      res
        .status(missing ? 404 : 500)
        .type('text/plain')
        .send(missing ? NOT_BUILT : 'Internal server error\n');
    });
  };
  router.get(['/', '/index.html'], sendIndex);

  // Other files of the build's root (favicon, robots.txt): not hashed, so revalidated.
  router.use(
    express.static(opts.dir, {
      index: false,
      redirect: false,
      fallthrough: true,
      cacheControl: false,
      setHeaders: (res) => {
        res.setHeader('Cache-Control', 'no-cache');
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    }),
  );

  // The app's own routes, on reload or from a link.
  router.get(/.*/, (req, res, next) => {
    if (NOT_APP.test(req.path) || !(req.header('accept') ?? '').includes('text/html')) return next();
    sendIndex(req, res);
  });
  return router;
}
