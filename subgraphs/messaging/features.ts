import { outboxEntities } from '../../platform/outbox/outbox';
import { assemble } from '../../platform/subgraph/feature';
import { announcementFeature } from './announcement/announcement.feature';
import { contactFeature } from './contact/contact.feature';
import { conversationFeature } from './conversation/conversation.feature';
import type { MessagingLoaders } from './context';
import { courseFeature } from './course/course.feature';
import { deviceFeature } from './device/device.feature';
import { guardianFeature } from './guardian/guardian.feature';
import { notificationFeature } from './notification/notification.feature';
import { reactionFeature } from './reaction/reaction.feature';

/** The messaging subgraph, feature by feature (parents first); its schema, entities, loaders and consumers come from here. */
export const features = [
  contactFeature,
  courseFeature,
  guardianFeature,
  notificationFeature,
  announcementFeature,
  conversationFeature,
  reactionFeature,
  deviceFeature,
] as const;

export const messaging = assemble(features);

/** Every table of the subgraph: its features' and the outbox's. */
export const entities = [...messaging.entities, ...outboxEntities];

/** Per-request loaders; typed so that a loader a feature declares (context.ts) but none provides fails to compile. */
export const createLoaders: (...args: Parameters<typeof messaging.createLoaders>) => MessagingLoaders = messaging.createLoaders;
