import type { EntityManager } from '@mikro-orm/core';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import { DeliveryStatus, Notification } from '../notification/notification.entity';
import { formatDateTime, formatTime, type Locale } from './format';
import { LiveSessionInfo } from './live-session-info.entity';
import { isEvent, reaction, type ReactionDeps } from './reaction';
import { writeLock } from '../../../platform/db/locks';
import { courseRecipients } from '../course/audience';
import { courseTitle, notifyInTheirLanguage } from './recipients';

type LiveEvent = DomainEventOf<'live.session.scheduled' | 'live.session.rescheduled' | 'live.session.canceled' | 'live.session.started'>;

/**
 * The source of a session's reminders for one start time, as one event set it. The dedupe keys
 * notify derives from it (`<source>:<recipient>:<channel>`) all begin with `live.reminder:<session>:`,
 * which is how the session's pending reminders are found to cancel them. The event id keeps a
 * session moved away and back to the same time from colliding with its canceled reminders.
 */
const reminderSource = (sessionId: string, startsAt: Date, eventId: string) =>
  `live.reminder:${sessionId}:${startsAt.toISOString()}:${eventId}`;

/**
 * Every reminder of the session not yet on its way is CANCELED, in one UPDATE: those waiting
 * (SCHEDULED) and those queued that no worker has claimed (the worker skips a row that is no
 * longer QUEUED); one a worker has claimed is being sent. Returns how many.
 */
export function cancelReminders(tx: EntityManager, schoolId: string, sessionId: string): Promise<number> {
  return tx.nativeUpdate(
    Notification,
    {
      schoolId,
      category: 'live.reminder',
      dedupeKey: { $like: `live.reminder:${sessionId}:%` },
      $or: [{ status: DeliveryStatus.SCHEDULED }, { status: DeliveryStatus.QUEUED, claimedAt: null }],
    },
    { status: DeliveryStatus.CANCELED, sealed: null, updatedAt: new Date() },
  );
}

/**
 * Applies the event to the session's read model (row locked, so two events of one session apply
 * one after the other) and returns it, or undefined when the row already reflects a later event:
 * a late retry must neither move the session back nor schedule reminders for an old time.
 */
async function observe(tx: EntityManager, event: LiveEvent): Promise<LiveSessionInfo | undefined> {
  const { sessionId, courseId } = event.payload;
  const at = new Date(event.occurredAt);
  const info = await tx.findOne(LiveSessionInfo, { id: sessionId }, writeLock(tx));
  if (info && info.observedAt > at) return undefined;
  const state: Partial<LiveSessionInfo> = { courseId, observedAt: at };
  if ('title' in event.payload) state.title = event.payload.title;
  if (isEvent(event, 'live.session.scheduled') || isEvent(event, 'live.session.rescheduled')) {
    state.startsAt = new Date(event.payload.startsAt);
  }
  if (isEvent(event, 'live.session.canceled')) state.canceledAt = new Date(event.payload.canceledAt);
  if (isEvent(event, 'live.session.started')) state.startedAt = new Date(event.payload.startedAt);
  if (info) return Object.assign(info, state);
  return tx.create(LiveSessionInfo, { id: sessionId, schoolId: event.tenantId, ...state } as LiveSessionInfo);
}

/**
 * `live.session.*` → reminders and notices to the course's students and their guardians:
 * - scheduled: a reminder `liveReminderMinutes` before the start (SCHEDULED until then), or at
 *   once when that moment has passed but the start has not;
 * - rescheduled: the pending reminders CANCELED, new ones for the new start, and a notice;
 * - canceled: the pending reminders CANCELED, and a notice;
 * - started: the reminders still pending CANCELED (none after the start).
 * One queue for the family, so one session's events mostly arrive in order; `observe` handles
 * the rest.
 */
export const liveSessionConsumer = ({ notify, config }: ReactionDeps) => {
  const scheduleReminders = async (tx: EntityManager, info: LiveSessionInfo, eventId: string, course: string | undefined) => {
    const now = new Date();
    if (!info.startsAt || info.startedAt || info.canceledAt || info.startsAt <= now) return 0;
    const remindAt = new Date(info.startsAt.getTime() - config.liveReminderMinutes * 60_000);
    const startsAt = info.startsAt;
    return notifyInTheirLanguage(
      notify,
      tx,
      {
        schoolId: info.schoolId,
        category: 'live.reminder',
        templateKey: 'live.reminder',
        source: reminderSource(info.id, startsAt, eventId),
        scheduledAt: remindAt > now ? remindAt : undefined,
      },
      await courseRecipients(tx, info.courseId),
      (locale) => ({ ...names(info, course, locale), startsAt: formatTime(startsAt, locale), sessionId: info.id }),
    );
  };

  return reaction(
    'messaging.live-sessions',
    ['live.session.scheduled', 'live.session.rescheduled', 'live.session.canceled', 'live.session.started'],
    async (tx, event) => {
      const { sessionId, courseId } = event.payload;
      if (event.type === 'live.session.started') {
        // Whatever else arrived out of order, no reminder goes out after the start.
        await cancelReminders(tx, event.tenantId, sessionId);
        await observe(tx, event);
        return;
      }
      const info = await observe(tx, event);
      if (!info) return;
      const course = await courseTitle(tx, courseId);
      if (event.type === 'live.session.scheduled') {
        await scheduleReminders(tx, info, event.id, course);
        return;
      }
      await cancelReminders(tx, event.tenantId, sessionId);
      if (isEvent(event, 'live.session.rescheduled')) {
        const p = event.payload;
        await scheduleReminders(tx, info, event.id, course);
        await notifyInTheirLanguage(
          notify,
          tx,
          { schoolId: event.tenantId, category: 'live.schedule', templateKey: 'live.rescheduled', source: event.id },
          await courseRecipients(tx, courseId),
          (locale) => ({
            ...names(info, course, locale),
            startsAt: formatDateTime(p.startsAt, locale),
            previousStartsAt: formatDateTime(p.previousStartsAt, locale),
            sessionId,
          }),
        );
      } else if (isEvent(event, 'live.session.canceled')) {
        const p = event.payload;
        await notifyInTheirLanguage(
          notify,
          tx,
          { schoolId: event.tenantId, category: 'live.schedule', templateKey: 'live.canceled', source: event.id },
          await courseRecipients(tx, courseId),
          (locale) => ({ ...names(info, course, locale), startsAt: formatDateTime(p.startsAt, locale), reason: p.reason, sessionId }),
        );
      }
    },
  );
};

/** The session's and course's names as a message shows them (a course messaging does not know yet: a neutral word). */
function names(info: LiveSessionInfo, course: string | undefined, locale: Locale) {
  return { sessionTitle: info.title ?? '', courseTitle: course ?? (locale === 'AR' ? 'المادة' : 'your course') };
}
