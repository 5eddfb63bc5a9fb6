import type { Feature } from '../../../platform/subgraph/feature';
import { Notification } from './notification.entity';
import { NotificationResolver, notificationReference } from './notification.resolver';
import { NotificationSubscription } from './notification.subscription';
import { NotificationPreference } from './preference/notification-preference.entity';
import { PreferenceResolver } from './preference/preference.resolver';
import { NotificationTemplate } from './template/notification-template.entity';
import { TemplateResolver } from './template/template.resolver';

/** Notifications: templates, preferences, the in-app inbox and its subscription; delivery over every channel. */
export const notificationFeature = {
  entities: [Notification, NotificationTemplate, NotificationPreference],
  resolvers: [NotificationResolver, NotificationSubscription, TemplateResolver, PreferenceResolver],
  references: { Notification: notificationReference },
} satisfies Feature;
