import { Router, type Request, type Response } from 'express';
import { errorBody, ErrorCode } from '../../../platform/errors';
import type { Logger } from '../../../platform/logger';
import type { BillingConfig } from '../env';
import type { Failpoint } from '../failpoints';
import { verifyNotification } from '../providers/fawry/fawry-signature';
import { fawryUpdate, type FawryNotification } from '../providers/fawry/fawry.gateway';
import { MissingSignedField, verifyPaymobHmac } from '../providers/paymob/paymob-hmac';
import { paymobUpdate, type PaymobTransaction } from '../providers/paymob/paymob.gateway';
import type { ProviderUpdate } from '../providers/provider';
import { settle, type SettlementDeps } from '../settlement/settlement';
import { FAWRY_NOTIFICATION_FIELDS } from '../providers/fawry/fawry-signature';

/** The paths whose bodies the HTTP app keeps raw (createHttpApp `rawBodies`). */
export const WEBHOOK_PATHS = ['/webhooks/paymob', '/webhooks/fawry'];

interface WebhookDeps extends SettlementDeps {
  config: Pick<BillingConfig, 'paymob' | 'fawry'>;
  logger: Logger;
  failpoint: Failpoint;
}

/** A refusal: logged (never stored: unverified input is not ours to keep) and answered with a coded JSON error. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const bodyText = (req: Request): string => (Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new Refusal(400, ErrorCode.BAD_REQUEST, 'body is not a JSON object');
}

/**
 * The providers' server-to-server callbacks, public (the gateway forwards them from the public
 * host; they carry no gateway context, their signature is their authentication):
 * - `POST /webhooks/paymob`: Paymob's *transaction processed* callback, `{type, obj}` with
 *   `?hmac=` = HMAC-SHA512 over the 20 documented fields of `obj`.
 * - `POST /webhooks/fawry`: Fawry's V2 server notification, signed by `messageSignature`.
 *
 * Signatures are checked in constant time before anything else; an unsigned, mis-signed or
 * incomplete request is refused (401/400) and logged, and changes nothing. A verified one is
 * settled in one transaction (settlement.ts): a repeated or concurrent delivery of the same
 * callback is a no-op answered 200, as is a late PENDING after PAID. The answer follows the
 * commit at once; rendering the invoice PDF happens later, from the outbox.
 */
export function webhookRoutes(deps: WebhookDeps): Router {
  const router = Router();

  const handle =
    (provider: 'paymob' | 'fawry', verify: (req: Request, text: string) => ProviderUpdate | 'ignored') =>
    async (req: Request, res: Response) => {
      const text = bodyText(req);
      try {
        const update = verify(req, text);
        if (update === 'ignored') {
          res.status(200).json({ received: true, applied: false });
          return;
        }
        const result = await settle(deps, update);
        if (result.status === 'unknown') {
          deps.logger.warn(
            { provider, match: update.match, transactionId: update.transactionId },
            'verified callback for no payment of ours',
          );
          res.status(404).json(errorBody(ErrorCode.NOT_FOUND, 'No such payment'));
          return;
        }
        if (result.status !== 'applied')
          deps.logger.info({ provider, ...result, outcome: update.outcome }, `callback ${result.status}: nothing changed`);
        await deps.failpoint('webhook.after-commit');
        res.status(200).json({ received: true, applied: result.status === 'applied' });
      } catch (err) {
        if (err instanceof Refusal) {
          deps.logger.warn({ provider, reason: err.message, ip: req.ip, bytes: text.length }, 'webhook refused');
          // Answered to the provider, not to people: the reason stays in English, in `extensions.reason`.
          res
            .status(err.status)
            .json({ errors: [{ message: 'The callback was refused', extensions: { code: err.code, reason: err.message } }] });
          return;
        }
        deps.logger.error({ err, provider }, 'webhook failed');
        // 5xx: the provider delivers it again later; the settlement is idempotent.
        res.status(503).json(errorBody(ErrorCode.SERVICE_UNAVAILABLE, 'Could not process the callback now'));
      }
    };

  router.post(
    '/webhooks/paymob',
    handle('paymob', (req, text) => {
      const config = deps.config.paymob;
      if (!config) throw new Refusal(503, ErrorCode.SERVICE_UNAVAILABLE, 'Paymob is not configured here');
      const hmac = typeof req.query.hmac === 'string' ? req.query.hmac : undefined;
      if (!hmac) throw new Refusal(401, ErrorCode.UNAUTHENTICATED, 'missing hmac');
      const body = parseJson(text);
      // Only transaction callbacks move payments; others (saved-card tokens…) have their own
      // signature scheme and are acknowledged without effect.
      if (body.type !== 'TRANSACTION') return 'ignored';
      const obj = body.obj as PaymobTransaction | undefined;
      if (!obj || typeof obj !== 'object') throw new Refusal(400, ErrorCode.BAD_REQUEST, 'missing obj');
      try {
        if (!verifyPaymobHmac(obj, hmac, config.hmacSecret)) throw new Refusal(401, ErrorCode.UNAUTHENTICATED, 'hmac does not match');
      } catch (err) {
        if (err instanceof MissingSignedField) throw new Refusal(400, ErrorCode.BAD_REQUEST, err.message);
        throw err;
      }
      return paymobUpdate(obj, text);
    }),
  );

  router.post(
    '/webhooks/fawry',
    handle('fawry', (_req, text) => {
      const config = deps.config.fawry;
      if (!config) throw new Refusal(503, ErrorCode.SERVICE_UNAVAILABLE, 'Fawry is not configured here');
      const body = parseJson(text) as unknown as FawryNotification & Record<string, unknown>;
      const missing = [...FAWRY_NOTIFICATION_FIELDS, 'messageSignature'].filter(
        (f) => body[f] === undefined || body[f] === null || body[f] === '',
      );
      if (missing.length) throw new Refusal(400, ErrorCode.BAD_REQUEST, `missing ${missing.join(', ')}`);
      let valid: boolean;
      try {
        valid = verifyNotification(body, config.secureKey);
      } catch {
        throw new Refusal(400, ErrorCode.BAD_REQUEST, 'an amount is not a number');
      }
      if (!valid) throw new Refusal(401, ErrorCode.UNAUTHENTICATED, 'messageSignature does not match');
      return fawryUpdate(body, text);
    }),
  );

  return router;
}
