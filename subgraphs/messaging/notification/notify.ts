import type { EntityManager } from '@mikro-orm/core';
import type { Channel } from './notification.entity';

/** Someone to notify: a user of the school, or (invitations) an address without an account. */
export type Recipient = { userId: string } | { email: string; locale: 'AR' | 'EN'; name?: string };

export interface NotifyRequest {
  schoolId: string;
  /** Preference category; see categories.ts. */
  category: string;
  /** Template key; the school's template for (key, channel, locale), else the built-in default. */
  templateKey: string;
  recipients: Recipient[];
  /** Template variables (no secrets: they are stored). */
  variables?: Record<string, unknown>;
  /** Secret variables (tokens, codes): sealed at rest, erased once delivered, never logged. */
  secretVariables?: Record<string, string>;
  /**
   * The channels to use (an announcement's); each recipient's preference for the category can
   * still turn a channel off. Unset: the recipient's preferred channels for the category, or the
   * category's defaults.
   */
  channels?: Channel[];
  /** Send at (reminders, scheduled announcements); default now. */
  scheduledAt?: Date;
  /**
   * Identifies the source (`<event id>`, `announcement:<id>`, `live.reminder:<session id>`):
   * the same source never makes two notifications for one recipient and channel.
   */
  source: string;
  announcementId?: string;
}

/**
 * Creates the notifications of `request` in `tx` (with their delivery jobs, through the outbox,
 * so that they are queued exactly when the transaction commits) and returns how many were made.
 * Implemented in notification.service.ts.
 */
export type Notify = (tx: EntityManager, request: NotifyRequest) => Promise<number>;
