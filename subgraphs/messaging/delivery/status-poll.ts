import type { MikroORM } from '@mikro-orm/core';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import type { Logger } from '../../../platform/logger';
import type { ChannelAdapter } from '../channels/channel';
import { Channel, DeliveryStatus, Notification } from '../notification/notification.entity';
import { writeLock } from '../../../platform/db/locks';
import { applyStatus, fromTwilioStatus } from './status';

/** Messages asked about per run (oldest first); the next run takes the rest. */
const BATCH = 200;
/** Provider calls at once. */
const CONCURRENCY = 5;
/** A message is followed this long after it went out; past it, what we know stays. */
const FOLLOW_MS = 24 * 3600_000;

export interface StatusPollDeps {
  orm: MikroORM;
  logger: Logger;
  adapters: Partial<Record<Channel, ChannelAdapter>>;
  /** DELIVERY_STATUS_POLL_AFTER_MS: how old a report must be missing (and how often to ask again). */
  afterMs: number;
  now?: () => Date;
}

/**
 * Twilio posts each status change once and does not retry a callback that failed, so one that
 * came while this service was down (killed, deploying) is lost, and its message would stay SENT
 * for ever. This asks Twilio about messages still SENT (or WhatsApp ones DELIVERED, whose read
 * receipt may follow) `afterMs` after they went out, at most once per `afterMs` each, for a day,
 * and applies the answer forward only, as a callback would (status.ts). Every school's rows:
 * it runs outside any request. Returns how many moved.
 */
export async function pollStatuses(deps: StatusPollDeps): Promise<number> {
  if (deps.afterMs <= 0) return 0;
  const channels = (Object.keys(deps.adapters) as Channel[]).filter((c) => deps.adapters[c]?.fetchStatus);
  if (!channels.length) return 0;
  const now = (deps.now ?? (() => new Date()))();
  const due = new Date(now.getTime() - deps.afterMs);
  const rows = await deps.orm.em.fork().find(
    Notification,
    {
      channel: { $in: channels },
      providerMessageId: { $ne: null },
      $or: [{ status: DeliveryStatus.SENT }, { status: DeliveryStatus.DELIVERED, channel: Channel.WHATSAPP }],
      sentAt: { $gte: new Date(now.getTime() - FOLLOW_MS), $lte: due },
      $and: [{ $or: [{ statusCheckedAt: null }, { statusCheckedAt: { $lte: due } }] }],
    },
    {
      filters: { [TENANT_FILTER]: false },
      orderBy: { sentAt: 'asc' },
      limit: BATCH,
      fields: ['id', 'schoolId', 'channel', 'providerMessageId'],
    },
  );
  let moved = 0;
  const queue = [...rows];
  const poll = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      let report: ReturnType<typeof fromTwilioStatus>;
      try {
        const answer = await deps.adapters[row.channel]!.fetchStatus!(row.providerMessageId!);
        report = answer && fromTwilioStatus(answer.providerStatus, answer.errorCode);
      } catch (err) {
        deps.logger.warn({ err, notificationId: row.id, channel: row.channel }, 'could not ask the provider about a message status');
        continue;
      }
      const id = row.id;
      const changed = await scopeToTenant(deps.orm.em.fork(), row.schoolId).transactional(async (tx) => {
        const n = await tx.findOne(Notification, { id }, writeLock(tx));
        if (!n) return false;
        n.statusCheckedAt = now;
        return report ? applyStatus(n, report.status, now, report.error) : false;
      });
      if (changed) moved++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, poll));
  if (moved) deps.logger.info({ moved, asked: rows.length }, 'message statuses caught up from the provider');
  return moved;
}
