import type { EventBus } from '../../../platform/bus/event-bus';
import { liveSessionTopic, type LiveSessionEventData } from './live-event';
import { liveSessionEventFromBus, type LiveSessionEventView } from './live-session-event.type';
import type { LiveSession } from './live-session.entity';

/** What the services say about a session; the session's ids and the time are added on publishing. */
export type SessionEvent = Omit<LiveSessionEventData, 'at' | 'schoolId' | 'sessionId'>;

/** Writes classroom events to the session's bus topic (format: live-event.ts). */
export class LiveEvents {
  constructor(private readonly bus: EventBus) {}

  async publish(event: Omit<LiveSessionEventData, 'at'>): Promise<LiveSessionEventView> {
    const data: LiveSessionEventData = { ...event, at: new Date().toISOString() };
    const topic = liveSessionTopic(event.schoolId, event.sessionId);
    const id = await this.bus.publish(topic, data);
    // The bus stores a JSON copy; answer with the same (undefined fields dropped) to match subscribers.
    return liveSessionEventFromBus({ id, topic, data: JSON.parse(JSON.stringify(data)) });
  }

  /** publish() to the topic of `session`. */
  publishTo(session: Pick<LiveSession, 'schoolId' | 'id'>, event: SessionEvent): Promise<LiveSessionEventView> {
    return this.publish({ ...event, schoolId: session.schoolId, sessionId: session.id });
  }
}
