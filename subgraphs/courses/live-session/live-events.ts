import { message } from '../../../platform/i18n/message';
import { BusUnavailableError, publishSoon, type EventBus } from '../../../platform/bus/event-bus';
import type { Logger } from '../../../platform/logger';
import { redisUnavailable } from '../../../platform/redis';
import { liveSessionTopic, type LiveSessionEventData } from './live-event';
import { liveSessionEventFromBus, type LiveSessionEventView } from './live-session-event.type';
import type { LiveSession } from './live-session.entity';

/** What the services say about a session; the session's ids and the time are added on publishing. */
export type SessionEvent = Omit<LiveSessionEventData, 'at' | 'schoolId' | 'sessionId'>;

/** How long an announcement holds its request up while the bus is away; it is delivered later. */
const ANNOUNCE_WAIT_MS = 1000;

/**
 * Writes classroom events to the session's bus topic (format: live-event.ts). Two ways, for
 * what the bus being away means to each caller:
 * - `publish`/`publishTo`: a person's classroom action (chat, hand, poll) whose only effect is the
 *   event. Refused with SERVICE_UNAVAILABLE (`service: 'redis'`) at once when the bus is not
 *   connected (call `assertAvailable` before writing anything else), so it is never appended
 *   after the person was told it failed.
 * - `announce`: an event that follows a committed change (the session started, someone joined).
 *   It waits a moment, then stays queued in the bus and is delivered once Redis is back.
 */
export class LiveEvents {
  constructor(private readonly bus: EventBus) {}

  /** Throws SERVICE_UNAVAILABLE when an event could not be published now. */
  assertAvailable(): void {
    if (!this.bus.available()) throw redisUnavailable(message('Live classroom features'));
  }

  async publish(event: Omit<LiveSessionEventData, 'at'>): Promise<LiveSessionEventView> {
    this.assertAvailable();
    const data: LiveSessionEventData = { ...event, at: new Date().toISOString() };
    const topic = liveSessionTopic(event.schoolId, event.sessionId);
    let id: string;
    try {
      id = await this.bus.publish(topic, data);
    } catch (err) {
      // Redis went away after the check: the event is still queued and may be delivered later.
      if (err instanceof BusUnavailableError) throw redisUnavailable(message('Live classroom features'));
      throw err;
    }
    // The bus stores a JSON copy; answer with the same (undefined fields dropped) to match subscribers.
    return liveSessionEventFromBus({ id, topic, data: JSON.parse(JSON.stringify(data)) });
  }

  /** publish() to the topic of `session`. */
  publishTo(session: Pick<LiveSession, 'schoolId' | 'id'>, event: SessionEvent): Promise<LiveSessionEventView> {
    return this.publish({ ...event, schoolId: session.schoolId, sessionId: session.id });
  }

  /** Publishes an event that follows a committed change; never fails the request (see the class). */
  async announce(session: Pick<LiveSession, 'schoolId' | 'id'>, event: SessionEvent, logger: Logger, requestId?: string): Promise<void> {
    const data: LiveSessionEventData = { ...event, schoolId: session.schoolId, sessionId: session.id, at: new Date().toISOString() };
    await publishSoon(this.bus, liveSessionTopic(session.schoolId, session.id), data, ANNOUNCE_WAIT_MS, (err) =>
      logger.warn({ err, sessionId: session.id, kind: event.kind, requestId }, 'could not publish a live event'),
    );
  }
}
