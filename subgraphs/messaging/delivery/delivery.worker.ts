/**
 * The channel workers: one broker consumer per channel (queue `messaging.deliver.<channel>`)
 * that sends the notifications `notify` and the scheduler queued, through the channel's adapter.
 *
 * Exactly once, as far as the providers allow. The broker delivers a job at least once (a
 * redelivery after a worker died, a republish of the outbox row), and a worker can die between
 * the provider's answer and our commit. The notification row is the truth, and a send goes
 * through three steps:
 *
 * 1. CLAIM, in a short transaction with the row locked (`SELECT … FOR UPDATE`; SQLite runs one
 *    transaction at a time). A notification no longer QUEUED (SENT, DELIVERED, READ, FAILED,
 *    CANCELED, or SCHEDULED again) is done: the job is acked and nothing is sent, so a job
 *    delivered twice sends once. A claim with no outcome (QUEUED, `claimedAt` set) younger than
 *    DELIVERY_IN_DOUBT_MS is *in doubt*: the previous worker died during the provider call and
 *    we cannot know whether the provider took it.
 *      - SMS and WhatsApp are not sent again: Twilio's status callback carries the attempt's key
 *        (`?key=` in its URL) and settles it (twilio-status.routes.ts); if none comes within
 *        the in-doubt time, the scheduler queues a new job and the claim below is made afresh.
 *      - Email, push and in-app are sent again with the SAME key: it is the email's Message-ID
 *        and the push collapse id, so mail clients and devices show the message once. (A
 *        duplicate job arriving while the first worker is still alive and sending looks the
 *        same; it is resent under the same key too, and shown once for the same reason.)
 *    Otherwise: attempts + 1, `sendingKey = <id>:<attempts>`, `claimedAt = now`, committed
 *    before the provider is called, so the key survives a crash.
 * 2. ADDRESS and RENDER, outside any transaction: email and phone from the Contact read model
 *    (or the address stored with a notification to someone without an account), every push
 *    device of the person; the template rendered with the sealed secrets unsealed in memory.
 * 3. SEND through the adapter, then record the OUTCOME in a second transaction, forward only
 *    (status.ts, so a Twilio callback that came first is not undone): SENT (DELIVERED for
 *    in-app) with the provider's id, the address and the time, the sealed secrets erased; a
 *    permanent refusal FAILED with its error, at once; a retryable one leaves it QUEUED with its
 *    error and the claim released, and throws so that the broker retries after its delay; on
 *    the last attempt FAILED, and the broker dead-letters the job.
 *
 * Not `handleOnce`: its transaction would span the provider call; the claim above is the
 * idempotency record instead. Rendered bodies, addresses' secrets and tokens are never logged.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { Counter, type Registry } from 'prom-client';
import type { BrokerMessage } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { Logger } from '../../../platform/logger';
import type { DomainEvent } from '../../../platform/outbox/outbox';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { ProviderError, type ChannelAdapter, type OutgoingMessage, type SendResult } from '../channels/channel';
import { Contact } from '../contact/contact.entity';
import { PushDevice } from '../device/push-device.entity';
import type { MessagingConfig } from '../env';
import { deliveryRoutingKey, type DeliveryJob } from '../notification/delivery-job';
import { Channel, DeliveryStatus, Notification } from '../notification/notification.entity';
import { writeLock } from '../../../platform/db/locks';
import { applyStatus } from './status';

/** What the template engine gives a worker for one notification (notification/template/render.ts). */
export interface RenderedMessage {
  subject: string;
  text: string;
  html?: string;
  whatsappTemplate?: OutgoingMessage['whatsappTemplate'];
}

export interface DeliveryDeps {
  delivery: MessagingConfig['delivery'];
  /** The configured adapters by channel; a channel without one fails its notifications ("channel not configured"). */
  adapters: Partial<Record<Channel, ChannelAdapter>>;
  /** Renders the school's template (or the built-in one) with the variables and the unsealed secrets. */
  render(em: EntityManager, notification: Notification, secrets: Record<string, string>): Promise<RenderedMessage>;
  /** WhatsApp Content SIDs by template key and language (`TWILIO_WHATSAPP_TEMPLATES`): such keys are sent as approved templates. */
  whatsappTemplates?: Record<string, Record<string, string>>;
  /** Opens `Notification.sealed` (notification/seal.ts). */
  unseal(sealed: string): Record<string, string> | Promise<Record<string, string>>;
  logger: Logger;
  /** The service's metrics registry: `messaging_deliveries_total{channel,outcome}` is counted there when given. */
  registry?: Registry;
  /** The clock (tests move it); default the system's. */
  now?: () => Date;
}

/** The queue of one channel's worker (before the deployment's queue prefix). */
export const deliveryQueue = (channel: Channel): string => `messaging.deliver.${channel.toLowerCase().replace('_', '-')}`;

/** The job envelope as the outbox relay publishes it. */
type DeliveryMessage = BrokerMessage<DomainEvent<DeliveryJob>>;

/** One consumer per channel, with the retry delays and concurrency of DELIVERY_*. */
export function deliveryConsumers(deps: DeliveryDeps): ConsumerDefinition<DomainEvent<DeliveryJob>>[] {
  const counter = deliveriesCounter(deps.registry);
  return Object.values(Channel).map((channel) => ({
    queue: deliveryQueue(channel),
    options: {
      bindings: [deliveryRoutingKey(channel)],
      prefetch: deps.delivery.concurrency,
      retryDelaysMs: deps.delivery.retryDelaysMs,
    },
    handler: ({ orm }: ConsumerRuntime) => {
      const worker = channelWorker(channel, orm, deps);
      return async (message: DeliveryMessage) => {
        const outcome = await worker(message).catch((err: unknown) => {
          counter?.inc({ channel, outcome: 'error' });
          throw err;
        });
        counter?.inc({ channel, outcome });
      };
    },
  }));
}

const METRIC = 'messaging_deliveries_total';

function deliveriesCounter(registry?: Registry): Counter<'channel' | 'outcome'> | undefined {
  if (!registry) return undefined;
  return (
    (registry.getSingleMetric(METRIC) as Counter<'channel' | 'outcome'> | undefined) ??
    new Counter({
      name: METRIC,
      help: 'Notification deliveries by channel and outcome (sent, failed, skipped, in-doubt, error = retried)',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    })
  );
}

/** What the worker did with one job (the metric's `outcome`). */
export type DeliveryOutcome = 'sent' | 'failed' | 'skipped' | 'in-doubt';

type Claim =
  | { kind: 'skip'; outcome: DeliveryOutcome; why: string }
  | {
      kind: 'send';
      key: string;
      notification: Notification;
      secrets?: string;
      /** An earlier attempt claimed then (its worker died) and was never settled: ask the provider first. */
      doubtSince?: Date;
    };

/** Failures after which the provider may still have taken the message (no answer, or no check possible). */
const UNCERTAIN_CODES = new Set(['NETWORK', 'UNCERTAIN']);

/** SMS and WhatsApp are settled by Twilio's callback when in doubt; the rest are resent under the same key. */
const SETTLED_BY_CALLBACK = new Set([Channel.SMS, Channel.WHATSAPP]);

const errorText = (err: unknown): string => {
  if (err instanceof ProviderError) return `${err.code ?? 'ERROR'}: ${err.message}`.slice(0, 1000);
  return (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 1000);
};

/** Erases the sealed secrets: nothing will send this notification again. */
const eraseSealed = (n: Notification) => {
  (n as { sealed?: string | null }).sealed = null;
};

function channelWorker(channel: Channel, orm: MikroORM, deps: DeliveryDeps) {
  const now = deps.now ?? (() => new Date());
  const { logger } = deps;
  const adapter = deps.adapters[channel];

  /** Step 1: the claim (see the header). */
  const claim = (em: EntityManager, id: string): Promise<Claim> =>
    em.transactional(async (tx) => {
      const n = await tx.findOne(Notification, { id }, { ...writeLock(tx), populate: ['sealed'] });
      if (!n) return { kind: 'skip', outcome: 'skipped', why: 'no such notification' };
      if (n.status !== DeliveryStatus.QUEUED) return { kind: 'skip', outcome: 'skipped', why: `already ${n.status}` };
      if (n.channel !== channel) return { kind: 'skip', outcome: 'skipped', why: `a ${n.channel} notification on the ${channel} queue` };
      if (!adapter) {
        applyStatus(n, DeliveryStatus.FAILED, now(), 'NOT_CONFIGURED: channel not configured');
        eraseSealed(n);
        return { kind: 'skip', outcome: 'failed', why: 'channel not configured' };
      }
      const inDoubt = n.claimedAt && n.sendingKey && now().getTime() - n.claimedAt.getTime() < deps.delivery.inDoubtMs;
      if (inDoubt) {
        if (SETTLED_BY_CALLBACK.has(channel))
          return { kind: 'skip', outcome: 'in-doubt', why: 'in doubt: waiting for the status callback' };
        return { kind: 'send', key: n.sendingKey!, notification: n, secrets: n.sealed };
      }
      // An earlier attempt without an outcome (its worker died, its check failed): the provider may have taken it.
      const doubtSince = n.unsettledSince ?? undefined;
      n.attempts += 1;
      n.sendingKey = `${n.id}:${n.attempts}`;
      n.claimedAt = now();
      n.unsettledSince ??= n.claimedAt;
      return { kind: 'send', key: n.sendingKey, notification: n, secrets: n.sealed, doubtSince };
    });

  /** Step 2: where it goes. A notification with nowhere to go fails at once (permanent). */
  const targets = async (em: EntityManager, n: Notification): Promise<Array<{ to: string; device?: PushDevice }>> => {
    if (channel === Channel.IN_APP) return [{ to: n.recipientId ?? '' }];
    if (channel === Channel.PUSH) {
      const devices = n.recipientId ? await em.find(PushDevice, { userId: n.recipientId }, { orderBy: { lastSeenAt: 'desc' } }) : [];
      if (!devices.length) throw new ProviderError('no push device registered', true, 'NO_DEVICE');
      return devices.map((device) => ({ to: device.token, device }));
    }
    const contact = n.recipientId ? await em.findOne(Contact, { id: n.recipientId }) : null;
    const address = channel === Channel.EMAIL ? (contact?.email ?? n.address) : (contact?.phone ?? n.address);
    if (!address) throw new ProviderError(`no ${channel === Channel.EMAIL ? 'email address' : 'phone number'}`, true, 'NO_ADDRESS');
    return [{ to: address }];
  };

  /** Step 3: one send per target; push succeeds when one device took it, and unregistered devices are dropped. */
  const send = async (
    em: EntityManager,
    n: Notification,
    key: string,
    rendered: RenderedMessage,
    doubtSince?: Date,
  ): Promise<{ result: SendResult; address?: string }> => {
    const list = await targets(em, n);
    let failure: ProviderError | Error | undefined;
    let sent: { result: SendResult; address?: string } | undefined;
    for (const target of list) {
      const message: OutgoingMessage = {
        notificationId: n.id,
        idempotencyKey: key,
        to: target.to,
        locale: n.locale,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        whatsappTemplate: rendered.whatsappTemplate,
        data: { notificationId: n.id, category: n.category },
      };
      try {
        // Twilio may have taken the earlier attempt (no callback came): that message stands, none is added.
        const earlier =
          doubtSince && adapter!.findSent
            ? await adapter!.findSent(message, doubtSince).catch((err: unknown) => {
                // Not knowing is not "no": the attempt stays unsettled and is checked again.
                throw new ProviderError(`could not check an earlier attempt: ${(err as Error).message}`, false, 'UNCERTAIN');
              })
            : undefined;
        if (earlier) logger.info({ notificationId: n.id, channel, key }, 'a send in doubt had reached the provider: not sent again');
        const result = earlier ?? (await adapter!.send(message));
        sent ??= { result, address: channel === Channel.IN_APP ? undefined : target.to.slice(0, 400) };
      } catch (err) {
        if (target.device && err instanceof ProviderError && err.code === 'UNREGISTERED') {
          await em.nativeDelete(PushDevice, { id: target.device.id });
          logger.info({ notificationId: n.id, deviceId: target.device.id }, 'push device unregistered at FCM: dropped');
        }
        // A retryable failure of one device outweighs a permanent one of another: retrying may reach it.
        if (!(failure instanceof ProviderError && !failure.permanent)) failure = err as Error;
      }
    }
    if (sent) return sent;
    throw failure ?? new ProviderError('nothing to send to', true, 'NO_ADDRESS');
  };

  /** Step 3, second transaction: the outcome, forward only. */
  const recordSent = (
    em: EntityManager,
    id: string,
    key: string,
    sent: { result: SendResult; address?: string },
    rendered: RenderedMessage,
  ) =>
    em.transactional(async (tx) => {
      const n = await tx.findOne(Notification, { id }, { ...writeLock(tx), populate: ['sealed'] });
      if (!n) return;
      if (sent.result.providerMessageId && (n.sendingKey === key || !n.providerMessageId))
        n.providerMessageId = sent.result.providerMessageId;
      if (sent.address) n.address = sent.address;
      if (channel === Channel.IN_APP) {
        n.title ??= rendered.subject.slice(0, 300);
        n.body ??= rendered.text;
      }
      const to = sent.result.status === 'DELIVERED' || channel === Channel.IN_APP ? DeliveryStatus.DELIVERED : DeliveryStatus.SENT;
      if (applyStatus(n, to, now())) n.error = undefined;
      eraseSealed(n);
    });

  const recordFailure = (em: EntityManager, id: string, key: string, err: unknown, final: boolean) =>
    em.transactional(async (tx) => {
      const n = await tx.findOne(Notification, { id }, { ...writeLock(tx), populate: ['sealed'] });
      // Settled meanwhile (a callback of an earlier attempt): that outcome stands.
      if (!n || n.status !== DeliveryStatus.QUEUED) return;
      const text = errorText(err);
      n.error = text;
      if (final) {
        applyStatus(n, DeliveryStatus.FAILED, now(), text);
        eraseSealed(n);
      } else if (n.sendingKey === key) {
        // The retry makes a new attempt, not an in-doubt one...
        (n as { claimedAt?: Date | null }).claimedAt = null;
        // ...which need not ask the provider first when the provider itself answered no.
        if (err instanceof ProviderError && !UNCERTAIN_CODES.has(err.code ?? '')) {
          (n as { unsettledSince?: Date | null }).unsettledSince = null;
        }
      }
    });

  /**
   * The approved WhatsApp template of the notification's key and language, if one is configured,
   * with its variables as strings (Twilio's ContentVariables); otherwise free text is sent.
   */
  const whatsappTemplate = (n: Notification, secrets: Record<string, string>): RenderedMessage['whatsappTemplate'] => {
    const contentSid = channel === Channel.WHATSAPP ? deps.whatsappTemplates?.[n.templateKey]?.[n.locale.toLowerCase()] : undefined;
    if (!contentSid) return undefined;
    const variables: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...(n.variables ?? {}), ...secrets })) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') variables[name] = String(value);
    }
    return { contentSid, variables };
  };

  /**
   * Notifications this process is sending now. When the broker connection drops, RabbitMQ hands
   * the unacked jobs out again while their first handlers are still running here: such a copy is
   * acked at once, since the handler under way records the outcome (or schedules its own retry).
   * Without this the copy would find the claim in doubt and resend an email or push.
   */
  const sending = new Set<string>();

  return async (message: DeliveryMessage): Promise<DeliveryOutcome> => {
    const schoolId = message.payload?.tenantId;
    const id = message.payload?.payload?.notificationId;
    if (typeof schoolId !== 'string' || typeof id !== 'string') {
      logger.warn({ messageId: message.id, routingKey: message.routingKey }, 'delivery job without a school or notification id: dropped');
      return 'skipped';
    }
    if (sending.has(id)) {
      logger.debug({ notificationId: id, channel }, 'delivery job: already being sent by this process');
      return 'skipped';
    }
    sending.add(id);
    try {
      return await deliver(message, schoolId, id);
    } finally {
      sending.delete(id);
    }
  };

  async function deliver(message: DeliveryMessage, schoolId: string, id: string): Promise<DeliveryOutcome> {
    const em = () => scopeToTenant(orm.em.fork(), schoolId);
    const claimed = await claim(em(), id);
    if (claimed.kind === 'skip') {
      logger.debug({ notificationId: id, channel, why: claimed.why }, 'delivery job: nothing to send');
      if (claimed.outcome === 'failed') logger.warn({ notificationId: id, channel }, 'notification FAILED: channel not configured');
      return claimed.outcome;
    }
    const { key, notification } = claimed;
    const lastTry = message.attempt > deps.delivery.retryDelaysMs.length;
    let sent: { result: SendResult; address?: string };
    let rendered: RenderedMessage;
    try {
      const secrets = claimed.secrets ? await deps.unseal(claimed.secrets) : {};
      rendered = { ...(await deps.render(em(), notification, secrets)) };
      rendered.whatsappTemplate ??= whatsappTemplate(notification, secrets);
      sent = await send(em(), notification, key, rendered, claimed.doubtSince);
    } catch (err) {
      const permanent = err instanceof ProviderError && err.permanent;
      await recordFailure(em(), id, key, err, permanent || lastTry);
      const log = { notificationId: id, channel, key, attempt: message.attempt, error: errorText(err) };
      if (permanent) {
        logger.warn(log, 'notification FAILED: the provider refused it');
        return 'failed';
      }
      logger.warn(log, lastTry ? 'notification FAILED: retries exhausted' : 'send failed; the broker retries it');
      throw err;
    }
    await recordSent(em(), id, key, sent, rendered);
    logger.debug({ notificationId: id, channel, key, providerMessageId: sent.result.providerMessageId }, 'notification sent');
    return 'sent';
  }
}
