import type { Channel, DeliveryStatus } from './notification.entity';

/** The bus topic of one person's in-app notifications (one stream per person, so `after` resumes exactly theirs). */
export const notificationTopic = (schoolId: string, userId: string) => `messaging:notifications:${schoolId}:${userId}`;

/**
 * What goes on the topic: the in-app notification as the app lists it, so that a subscriber needs
 * no database read per event. Dates as ISO strings (the bus keeps JSON).
 */
export interface NotificationEventData {
  id: string;
  schoolId: string;
  recipientId: string;
  category: string;
  channel: Channel;
  status: DeliveryStatus;
  attempts: number;
  title?: string;
  body?: string;
  createdAt: string;
  scheduledAt?: string;
  deliveredAt: string;
}
