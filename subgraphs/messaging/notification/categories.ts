import { Channel } from './notification.entity';

/**
 * The notification categories people set preferences for (`setNotificationPreference`), with the
 * channels used when a person has not chosen. `essential` ones (an invitation, a reset link, a
 * pairing code) are what an account needs: sent whatever the preferences say, at once, by email
 * (or SMS when there is no email).
 */
export const CATEGORIES = {
  announcement: { channels: [Channel.IN_APP, Channel.EMAIL, Channel.PUSH], essential: false },
  message: { channels: [Channel.IN_APP, Channel.PUSH], essential: false },
  'live.reminder': { channels: [Channel.IN_APP, Channel.PUSH, Channel.WHATSAPP], essential: false },
  'live.schedule': { channels: [Channel.IN_APP, Channel.PUSH, Channel.EMAIL], essential: false },
  attendance: { channels: [Channel.IN_APP, Channel.SMS], essential: false },
  'quiz.result': { channels: [Channel.IN_APP, Channel.EMAIL], essential: false },
  enrollment: { channels: [Channel.IN_APP, Channel.EMAIL], essential: false },
  'payment.receipt': { channels: [Channel.IN_APP, Channel.EMAIL], essential: false },
  account: { channels: [Channel.EMAIL], essential: true },
} as const satisfies Record<string, { channels: readonly Channel[]; essential: boolean }>;

export type Category = keyof typeof CATEGORIES;

export const isCategory = (name: string): name is Category => Object.hasOwn(CATEGORIES, name);
