import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { optionalViewer, viewerOf } from '../../../platform/auth/viewer';
import { notFound } from '../../../platform/errors';
import { ConnectionType, type Connection } from '../../../platform/graphql/connection';
import type { MessagingContext } from '../context';
import { UserRef, userRef } from '../references';
import { paginateNewestFirst } from './newest-first';
import { Channel, DeliveryStatus, Notification } from './notification.entity';

@ArgsType()
class NotificationsArgs {
  @Field(() => Int, { nullable: true })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only those not marked read yet.' })
  unreadOnly?: boolean;
}

const NotificationConnection = ConnectionType(Notification);

/** What a person's in-app inbox holds: their in-app notifications that went out (not those still waiting for their time). */
const LISTED = [DeliveryStatus.QUEUED, DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ];
/** Statuses a read mark moves to READ (forward only; a failed one stays failed). */
const UNREAD = [DeliveryStatus.QUEUED, DeliveryStatus.SENT, DeliveryStatus.DELIVERED];

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** The viewer's own notification `id`, or null: another person's (or school's) is not found, never shown. */
export async function ownNotification(ctx: MessagingContext, id: string): Promise<Notification | null> {
  const viewer = optionalViewer(ctx);
  if (!viewer || !isUuid(id)) return null;
  return ctx.em.findOne(Notification, { id: id.toLowerCase(), recipientId: viewer.id });
}

/**
 * A person's in-app notifications: listed newest first, marked read one by one or all at once.
 * Everything is the viewer's own: the recipient is the only one who reads a notification, school
 * admins included (delivery figures of an announcement are counts, see Announcement.deliveries).
 */
@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized()
  @Query(() => NotificationConnection, { description: "The viewer's in-app notifications, newest first." })
  async notifications(@Args() args: NotificationsArgs, @Ctx() ctx: MessagingContext): Promise<Connection<Notification>> {
    const viewer = viewerOf(ctx);
    const where: FilterQuery<Notification> = {
      recipientId: viewer.id,
      channel: Channel.IN_APP,
      status: { $in: LISTED },
      ...(args.unreadOnly ? { readAt: null } : {}),
    };
    return paginateNewestFirst(ctx.em, Notification, where, args);
  }

  @Authorized()
  @Mutation(() => Notification, { description: 'Marks one of the viewer’s notifications read (again: no change).' })
  async markNotificationRead(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext): Promise<Notification> {
    const notification = await ownNotification(ctx, id);
    if (!notification) throw notFound('Notification');
    if (!notification.readAt) {
      notification.readAt = new Date();
      if (UNREAD.includes(notification.status)) notification.status = DeliveryStatus.READ;
      await ctx.em.flush();
    }
    return notification;
  }

  @Authorized()
  @Mutation(() => Int, { description: 'Marks every in-app notification of the viewer read; answers how many were unread.' })
  async markAllNotificationsRead(@Ctx() ctx: MessagingContext): Promise<number> {
    const viewer = viewerOf(ctx);
    const readAt = new Date();
    const where = { recipientId: viewer.id, channel: Channel.IN_APP, readAt: null };
    const [moved, rest] = await ctx.em.transactional(async (tx) => [
      await tx.nativeUpdate(
        Notification,
        { ...where, status: { $in: UNREAD } },
        { readAt, status: DeliveryStatus.READ, updatedAt: readAt },
      ),
      // A failed or still waiting one is read too, but keeps its status.
      await tx.nativeUpdate(Notification, where, { readAt, updatedAt: readAt }),
    ]);
    return moved + rest;
  }

  @FieldResolver(() => UserRef, { description: 'Whom it is for.' })
  recipient(@Root() notification: Notification): UserRef {
    return userRef(notification.recipientId!);
  }
}

/** `_entities` lookups of a Notification: only its recipient gets it; anyone else gets null. */
export const notificationReference = {
  __resolveReference: (ref: { id: string }, ctx: MessagingContext) => ownNotification(ctx, ref.id),
};
