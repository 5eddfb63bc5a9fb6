import type { MikroORM } from '@mikro-orm/core';
import { Router, type Request, type Response } from 'express';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import { errorBody, ErrorCode } from '../../../platform/errors';
import type { Logger } from '../../../platform/logger';
import { TWILIO_STATUS_PATH } from '../channels/twilio/twilio-client';
import { verifyTwilioSignature } from '../channels/twilio/twilio-signature';
import type { MessagingConfig } from '../env';
import { Channel, Notification } from '../notification/notification.entity';
import { writeLock } from '../../../platform/db/locks';
import { applyStatus, fromTwilioStatus } from './status';

/** The paths whose bodies the HTTP app keeps raw (createHttpApp `rawBodies`): the signature covers the parameters as sent. */
export const TWILIO_WEBHOOK_PATHS = [TWILIO_STATUS_PATH];

export interface TwilioStatusDeps {
  orm: MikroORM;
  logger: Logger;
  config: Pick<MessagingConfig, 'publicUrl' | 'twilio'>;
}

/** `<notification id>:<attempt>`, the idempotency key the worker put in the callback URL. */
const KEY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):\d{1,6}$/i;

/** The form parameters as Twilio's validator takes them: a repeated name becomes a list. */
function formParams(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = params[name];
    params[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * `POST /webhooks/twilio/status`: Twilio's report of where a message stands (sent, delivered,
 * read, failed/undelivered with `ErrorCode`). Public (the gateway forwards the public path and
 * query unchanged); the `X-Twilio-Signature` is its authentication, checked before anything else
 * over the URL Twilio called (`MESSAGING_PUBLIC_URL` + path and query) and every parameter that
 * arrived (Twilio adds parameters without notice). Missing or wrong: 403, nothing read or changed.
 *
 * A verified report finds its notification by the `key` of the URL (so a send whose outcome the
 * worker never recorded, *in doubt*, is settled here and gets its `providerMessageId`), else by
 * `MessageSid`; it is applied forward only (status.ts): callbacks come repeated and out of order,
 * and a late `sent` after `delivered` changes nothing. Answered 204 at once, also for a message
 * we do not know (logged): anything else makes Twilio call again.
 */
export function twilioStatusRoutes(deps: TwilioStatusDeps): Router {
  const router = Router();
  const { orm, logger } = deps;

  router.post(TWILIO_STATUS_PATH, async (req: Request, res: Response) => {
    const twilio = deps.config.twilio;
    const signature = req.header('x-twilio-signature');
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const params = formParams(body);
    const url = `${deps.config.publicUrl}${req.originalUrl}`;
    if (!twilio || !signature || !verifyTwilioSignature({ url, params, signature, authToken: twilio.authToken })) {
      logger.warn({ ip: req.ip, signed: !!signature, configured: !!twilio, bytes: body.length }, 'Twilio status callback refused');
      res.status(403).json(errorBody(ErrorCode.FORBIDDEN, 'The callback was refused'));
      return;
    }
    const sid = first(params.MessageSid) ?? first(params.SmsSid);
    const messageStatus = first(params.MessageStatus) ?? first(params.SmsStatus);
    const report = fromTwilioStatus(messageStatus, first(params.ErrorCode));
    const key = typeof req.query.key === 'string' ? KEY.exec(req.query.key) : null;
    try {
      if (!report) {
        logger.info({ sid, messageStatus }, 'Twilio status callback with a status we do not track: ignored');
      } else {
        const applied = await apply({ id: key?.[1]?.toLowerCase(), sid, report, to: first(params.To) });
        if (applied === 'unknown')
          logger.warn({ sid, key: req.query.key, messageStatus }, 'Twilio status callback for no notification of ours');
      }
      res.status(204).end();
    } catch (err) {
      logger.error({ err, sid }, 'Twilio status callback failed');
      // Twilio calls again on 5xx; applying a status is idempotent.
      res.status(503).json(errorBody(ErrorCode.SERVICE_UNAVAILABLE, 'Could not process the callback now'));
    }
  });

  /** Finds the notification (across schools: a callback names none) and moves it in its school's scope. */
  const apply = async (update: {
    id?: string;
    sid?: string;
    report: NonNullable<ReturnType<typeof fromTwilioStatus>>;
    to?: string;
  }): Promise<'applied' | 'unchanged' | 'unknown'> => {
    const where = update.id ? { id: update.id } : update.sid ? { providerMessageId: update.sid } : undefined;
    if (!where) return 'unknown';
    const found = await orm.em
      .fork()
      .findOne(Notification, where, { filters: { [TENANT_FILTER]: false }, fields: ['id', 'schoolId', 'channel'] });
    if (!found || (found.channel !== Channel.SMS && found.channel !== Channel.WHATSAPP)) return 'unknown';
    const em = scopeToTenant(orm.em.fork(), found.schoolId);
    return em.transactional(async (tx) => {
      const n = await tx.findOneOrFail(Notification, { id: found.id }, { ...writeLock(tx), populate: ['sealed'] });
      // The first id Twilio gives is the message's; an in-doubt send learns it here.
      if (update.sid && !n.providerMessageId) n.providerMessageId = update.sid.slice(0, 200);
      if (update.to && !n.address) n.address = update.to.replace(/^whatsapp:/, '').slice(0, 400);
      const moved = applyStatus(n, update.report.status, new Date(), update.report.error);
      return moved ? 'applied' : 'unchanged';
    });
  };

  return router;
}
