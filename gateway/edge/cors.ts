import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for /graphql: the `cors` middleware, skipped for requests that carry no Origin header
 * (servers, apps, benchmarks: most of the traffic), for which it would only add `Vary: Origin`
 * after a round of option resolution on every request. Same headers either way.
 */
export function graphqlCors(origins: string[]): RequestHandler {
  const full = cors({ origin: origins, credentials: false, maxAge: 600 });
  return (req, res, next) => {
    if (req.headers.origin === undefined && req.method !== 'OPTIONS') {
      res.vary('Origin');
      return next();
    }
    return full(req, res, next);
  };
}
