import type { Catalog } from '../translate';
import { analytics } from './analytics';
import { billing } from './billing';
import { courses } from './courses';
import { edge } from './edge';
import { messagingConversations } from './messaging-conversations';
import { messagingDelivery } from './messaging-delivery';
import { messagingNotifications } from './messaging-notifications';
import { messagingReactions } from './messaging-reactions';
import { partner } from './partner';
import { persisted } from './persisted';
import { users } from './users';

/**
 * Arabic, by the English message the code writes (`{name}` where it interpolates a value). One
 * file per area so that changes to different services do not touch the same file;
 * scripts/i18n.test.ts fails when a message of the code is missing here.
 */
export const ar: Catalog = {
  ...edge,
  ...users,
  ...courses,
  ...billing,
  ...messagingConversations,
  ...messagingNotifications,
  ...messagingDelivery,
  ...messagingReactions,
  ...analytics,
  ...persisted,
  ...partner,
};
