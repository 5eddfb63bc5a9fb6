import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { viewerOf } from '../../../../platform/auth/viewer';
import { badInput } from '../../../../platform/errors';
import type { MessagingContext } from '../../context';
import { CATEGORIES, isCategory } from '../categories';
import type { Channel } from '../notification.entity';
import { NotificationFrequency, NotificationPreference } from './notification-preference.entity';

/** The preference `userId` would have for `category` without a row: the category's default channels, at once. */
export function defaultPreference(schoolId: string, userId: string, category: keyof typeof CATEGORIES): NotificationPreference {
  return Object.assign(new NotificationPreference(), {
    schoolId,
    userId,
    category,
    channels: [...CATEGORIES[category].channels],
    frequency: NotificationFrequency.IMMEDIATELY,
  });
}

/** Each person sets their own preferences; nobody sets another's. */
export class PreferenceService {
  /** Every category, with the viewer's choice or the default, in the order of categories.ts. */
  async list(ctx: MessagingContext): Promise<NotificationPreference[]> {
    const viewer = viewerOf(ctx);
    const saved = await ctx.em.find(NotificationPreference, { userId: viewer.id });
    const byCategory = new Map(saved.map((p) => [p.category, p]));
    return (Object.keys(CATEGORIES) as (keyof typeof CATEGORIES)[]).map(
      (category) => byCategory.get(category) ?? defaultPreference(viewer.schoolId, viewer.id, category),
    );
  }

  /**
   * Sets the viewer's preference for `category`; an essential category (the account's messages)
   * cannot be turned off. Concurrent calls end as one row, the last write winning.
   */
  async set(
    ctx: MessagingContext,
    category: string,
    channels: Channel[],
    frequency: NotificationFrequency,
  ): Promise<NotificationPreference> {
    const viewer = viewerOf(ctx);
    if (!isCategory(category)) throw badInput(`Unknown notification category "${category}"`, 'category');
    if (CATEGORIES[category].essential && frequency === NotificationFrequency.NEVER) {
      throw badInput('Account notifications are essential and cannot be turned off', 'frequency');
    }
    const unique = { schoolId: viewer.schoolId, userId: viewer.id, category };
    const values = { channels: [...new Set(channels)], frequency, updatedAt: new Date() };
    try {
      await ctx.em.insert(NotificationPreference, { ...unique, ...values, id: randomUUID(), createdAt: values.updatedAt });
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      // StringListType: nativeUpdate converts the list through the property's type.
      await ctx.em.nativeUpdate(NotificationPreference, unique, values);
    }
    return ctx.em.findOneOrFail(NotificationPreference, unique, { refresh: true });
  }
}
