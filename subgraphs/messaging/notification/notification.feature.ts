import type { Feature } from '../../../platform/subgraph/feature';
import { Notification } from './notification.entity';

/** Notifications: templates, preferences, announcements and their delivery over every channel. */
export const notificationFeature = {
  entities: [Notification],
} satisfies Feature;
