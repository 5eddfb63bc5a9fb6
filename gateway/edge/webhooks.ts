import { Router, type Request, type Response } from 'express';
import { ErrorCode, errorBody } from '../../platform/errors';
import type { Logger } from '../../platform/logger';

/**
 * Payment providers' callbacks reach the public host, and billing, like every subgraph, is
 * private: the gateway forwards them. They are authenticated by the providers' own signatures,
 * which billing verifies, so they skip the GraphQL edge (no tenant, no token).
 */
export const PAYMENT_WEBHOOKS = {
  paths: ['/webhooks/paymob', '/webhooks/fawry'],
  /** A provider callback is a few kB; anything past this is refused with 413 before it is forwarded. */
  limit: '64kb',
};

/** Headers that describe the body or the request, forwarded as they came. */
const FORWARDED = ['content-type', 'user-agent', 'x-request-id'];

/**
 * POST /webhooks/paymob and /webhooks/fawry, forwarded to the billing subgraph's base URL (from the
 * gateway's routing URLs) with the same path, query string (Paymob's `hmac`) and body byte for
 * byte: the app keeps these bodies raw (createHttpApp `rawBodies`), so a signature computed over
 * the bytes sent still holds. Billing's answer is returned as it is; billing unreachable is 503
 * SERVICE_UNAVAILABLE naming it, so the provider delivers again later.
 */
export function paymentWebhooks(opts: { billingBaseUrl: () => string; logger: Logger; timeoutMs?: number }): Router {
  const router = Router();
  const forward = async (req: Request, res: Response) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const headers: Record<string, string> = { 'x-forwarded-for': req.ip ?? '' };
    for (const name of FORWARDED) {
      const value = req.header(name);
      if (value) headers[name] = value;
    }
    let target: string;
    try {
      target = `${opts.billingBaseUrl()}${req.originalUrl}`;
    } catch (err) {
      opts.logger.error({ err }, 'no routing URL for billing: payment webhook not forwarded');
      res.status(503).json(errorBody(ErrorCode.SERVICE_UNAVAILABLE, 'Payments are not served here'));
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
      opts.logger.warn({ err, path: req.path }, 'billing unreachable: payment webhook not forwarded');
      res.setHeader('retry-after', '30');
      res.status(503).json({
        errors: [
          {
            message: 'Billing is unavailable; deliver again later',
            extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, serviceName: 'billing' },
          },
        ],
      });
    }
  };
  for (const path of PAYMENT_WEBHOOKS.paths) router.post(path, forward);
  return router;
}
