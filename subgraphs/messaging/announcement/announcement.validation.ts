import { badInput } from '../../../platform/errors';
import { Channel } from '../notification/notification.entity';

export const VARIABLE_LIMITS = { keys: 50, keyLength: 64, stringLength: 2000 } as const;
/** A variable name Handlebars reads as a plain path (`{{title}}`), not as a path expression or helper call. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** How far ahead an announcement may be scheduled, and how far behind "now" a clock may be. */
export const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 3600_000;
export const SCHEDULE_SLACK_MS = 60_000;

export type AnnouncementVariables = Record<string, string | number | boolean>;

/** The sender's template variables: a flat object of at most 50 short names with string, number or boolean values. */
export function announcementVariables(value: unknown): AnnouncementVariables {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badInput('variables must be a JSON object', 'variables');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > VARIABLE_LIMITS.keys) throw badInput('variables may have at most 50 keys', 'variables');
  for (const [name, v] of entries) {
    if (name.length > VARIABLE_LIMITS.keyLength || !VARIABLE_NAME.test(name)) {
      throw badInput('variables names must be letters, digits or "_", at most 64 characters', 'variables');
    }
    if (typeof v === 'string') {
      if (v.length > VARIABLE_LIMITS.stringLength) throw badInput('variables values must be at most 2000 characters', 'variables');
    } else if (!(typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
      throw badInput('variables values must be strings, numbers or booleans', 'variables');
    }
  }
  return Object.fromEntries(entries) as AnnouncementVariables;
}

/** 1 to 5 channels, each once. */
export function announcementChannels(channels: Channel[]): Channel[] {
  if (channels.length < 1 || channels.length > Object.keys(Channel).length)
    throw badInput('channels must name 1 to 5 channels', 'channels');
  if (new Set(channels).size !== channels.length) throw badInput('channels must not repeat a channel', 'channels');
  return channels;
}

/** Not in the past (a minute of slack for clocks), at most a year ahead. */
export function announcementSchedule(scheduledAt: Date | null | undefined, now = new Date()): Date | undefined {
  if (!scheduledAt) return undefined;
  if (Number.isNaN(scheduledAt.getTime())) throw badInput('scheduledAt must be a date', 'scheduledAt');
  if (scheduledAt.getTime() < now.getTime() - SCHEDULE_SLACK_MS) throw badInput('scheduledAt must not be in the past', 'scheduledAt');
  if (scheduledAt.getTime() > now.getTime() + MAX_SCHEDULE_AHEAD_MS)
    throw badInput('scheduledAt must be at most a year ahead', 'scheduledAt');
  return scheduledAt;
}
