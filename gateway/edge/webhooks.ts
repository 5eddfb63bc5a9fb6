import { Router, type Request, type Response } from 'express';
import { ErrorCode, errorBody } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { message } from '../../platform/i18n/message';

/**
 * Providers' callbacks reach the public host, and every subgraph is private: the gateway forwards
 * them to the subgraph that owns them. They are authenticated by the providers' own signatures,
 * which the subgraph verifies, so they skip the GraphQL edge (no tenant, no token).
 */
export const PROVIDER_WEBHOOKS = {
  /** Path → the subgraph (catalog name) it is forwarded to, and what is not served without that subgraph. */
  routes: {
    '/webhooks/paymob': { subgraph: 'billing', missing: message('Payments are not served here') },
    '/webhooks/fawry': { subgraph: 'billing', missing: message('Payments are not served here') },
    '/webhooks/twilio/status': { subgraph: 'messaging', missing: message('Message status callbacks are not served here') },
  } as Record<string, { subgraph: string; missing: string }>,
  get paths(): string[] {
    return Object.keys(this.routes);
  },
  /** A provider callback is a few kB; anything past this is refused with 413 before it is forwarded. */
  limit: '64kb',
};

/**
 * Headers not forwarded: hop-by-hop ones (RFC 9110 §7.6.1) and those describing this connection
 * or a body encoding the raw-body parser already undid (it inflates gzip), which fetch sets
 * again for the body it sends. Every other header goes on as it came: a provider may sign one
 * (`X-Twilio-Signature`, `X-Twilio-Webhooks-Signature-Settings`) or the subgraph may log it.
 */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
  'content-encoding',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
]);

/**
 * POST to each path of PROVIDER_WEBHOOKS, forwarded to its subgraph's base URL (from the gateway's
 * routing URLs) with the same path, query string (Paymob's `hmac`) and body byte for byte: the app
 * keeps these bodies raw (createHttpApp `rawBodies`), so a signature computed over the bytes sent
 * still holds. Twilio signs the public URL it called: the path and query string stay the same,
 * and the host and scheme the gateway was called on go along as `X-Forwarded-Host` /
 * `X-Forwarded-Proto` (the subgraph checks against its configured public URL). The subgraph's
 * answer is returned as it is; the subgraph unreachable is 503 SERVICE_UNAVAILABLE naming it,
 * so the provider delivers again later.
 */
export function providerWebhooks(opts: { baseUrlOf: (subgraph: string) => string; logger: Logger; timeoutMs?: number }): Router {
  const router = Router();
  const forwardTo =
    ({ subgraph, missing }: { subgraph: string; missing: string }) =>
    async (req: Request, res: Response) => {
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || NOT_FORWARDED.has(name)) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      // From what this gateway trusts (TRUST_PROXY), not what the caller claims.
      headers.set('x-forwarded-for', req.ip ?? '');
      headers.set('x-forwarded-host', req.get('host') ?? '');
      headers.set('x-forwarded-proto', req.protocol);
      let target: string;
      try {
        target = `${opts.baseUrlOf(subgraph)}${req.originalUrl}`;
      } catch (err) {
        opts.logger.error({ err, subgraph }, 'no routing URL for the subgraph: provider webhook not forwarded');
        res.status(503).json(errorBody(ErrorCode.SERVICE_UNAVAILABLE, missing));
        return;
      }
      try {
        const answer = await fetch(target, {
          method: 'POST',
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
        });
        const content = Buffer.from(await answer.arrayBuffer());
        res.status(answer.status);
        const type = answer.headers.get('content-type');
        if (type) res.setHeader('content-type', type);
        res.send(content);
      } catch (err) {
        opts.logger.warn({ err, path: req.path, subgraph }, 'subgraph unreachable: provider webhook not forwarded');
        res.setHeader('retry-after', '30');
        res.status(503).json({
          errors: [
            {
              message: `${subgraph.charAt(0).toUpperCase()}${subgraph.slice(1)} is unavailable; deliver again later`,
              extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, serviceName: subgraph },
            },
          ],
        });
      }
    };
  for (const [path, route] of Object.entries(PROVIDER_WEBHOOKS.routes)) router.post(path, forwardTo(route));
  return router;
}
