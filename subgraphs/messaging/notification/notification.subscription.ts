import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import type { BusEvent } from '../../../platform/bus/event-bus';
import { idBefore } from '../../../platform/bus/ids';
import type { SubscriptionContext } from '../../../platform/graphql/subgraph-ws';
import { badInput } from '../../../platform/errors';
import type { MessagingLoaders } from '../context';
import { ownNotification } from './notification.resolver';
import { Notification, type Channel, type DeliveryStatus } from './notification.entity';
import { notificationTopic, type NotificationEventData } from './notification-topic';
import { isUuid } from '../../../platform/graphql/ids';

/** The notification an event carries, as the type the schema serves (not a managed row). */
export function notificationFromEvent(event: BusEvent<NotificationEventData>): Notification {
  const d = event.data;
  return Object.assign(new Notification(), {
    id: d.id,
    schoolId: d.schoolId,
    recipientId: d.recipientId,
    category: d.category,
    channel: d.channel as Channel,
    status: d.status as DeliveryStatus,
    attempts: d.attempts,
    title: d.title,
    body: d.body,
    createdAt: new Date(d.createdAt),
    scheduledAt: d.scheduledAt ? new Date(d.scheduledAt) : undefined,
    deliveredAt: new Date(d.deliveredAt),
  });
}

/**
 * Where to resume: an app knows the notifications it received by their `id`, so `after` may be
 * one (of the viewer's own): the feed resumes after the event that delivered it (its
 * `providerMessageId`, which the delivery worker records from the in-app adapter's answer), or,
 * when that is not recorded yet, after the moment it was made (a repeat, never a gap). An event
 * id (`<ms>-<seq>`) is taken as is.
 */
async function resumePoint(
  ctx: SubscriptionContext<MessagingLoaders>,
  after: string | null | undefined,
): Promise<string | null | undefined> {
  if (!after || !isUuid(after)) return after;
  const own = await ownNotification(ctx, after);
  if (!own) throw badInput('`after` must be the id of one of your notifications or of an event', 'after');
  if (own.providerMessageId && /^\d+-\d+$/.test(own.providerMessageId)) return own.providerMessageId;
  return idBefore(own.createdAt);
}

/**
 * `Subscription.notificationReceived`: the viewer's own in-app notifications as they are
 * delivered (in-app.adapter.ts publishes them to the person's topic). Personal: every client
 * is fed its own person's topic only, so the gateway never shares a feed between people
 * (`sharing: 'viewer'`). With `after`, what the topic still holds after that id comes first.
 */
@Resolver()
export class NotificationSubscription {
  @Subscription(() => Notification, {
    description:
      "The viewer's in-app notifications as they arrive. With `after` (the event id of the last one received, the `id` the " +
      'subscription delivered it under), the ones still held after it are replayed first.',
    subscribe: async ({ args, context }) => {
      const ctx = context as SubscriptionContext<MessagingLoaders>;
      const viewer = viewerOf(ctx);
      const { after } = args as { after?: string | null };
      return ctx.live.topic(notificationTopic(viewer.schoolId, viewer.id), { after: await resumePoint(ctx, after), sharing: 'viewer' });
    },
  })
  notificationReceived(
    @Root() event: BusEvent<NotificationEventData>,
    @Arg('after', () => ID, { nullable: true }) _after?: string,
  ): Notification {
    return notificationFromEvent(event);
  }
}
