/**
 * The live classroom event format: what the courses subgraph writes to the event bus for every
 * classroom action, and what `Subscription.liveSessionEvents` serves. One bus topic (a capped
 * Redis Stream in production) per session; the bus assigns each event its stream id, which
 * clients pass back as `after` to resume without a gap.
 *
 * Who writes what (live-session.service.ts, classroom.service.ts), always after the database
 * change committed:
 *   SESSION_STARTED / SESSION_ENDED    actor = teacher or admin who started / ended it
 *   PARTICIPANT_JOINED / _LEFT         actor = the participant; only when presence changed
 *   HAND_RAISED / HAND_LOWERED         actor = who acted; subjectId = whose hand, when a teacher
 *                                      lowered a student's hand
 *   CHAT_MESSAGE                       actor = sender, text = the message (1–1000 characters)
 *   REACTION                           actor = sender, text = one emoji
 *   POLL_STARTED / POLL_RESPONSE       poll without counts (POLL_RESPONSE: actor = the voter)
 *   POLL_ENDED                         poll with final counts
 * Chat lives only here (the stream keeps the newest 10 000 events of a session): it is not
 * copied to the database, so it is gone once the stream is trimmed or expires.
 */
export enum LiveSessionEventKind {
  SESSION_STARTED = 'SESSION_STARTED',
  SESSION_ENDED = 'SESSION_ENDED',
  PARTICIPANT_JOINED = 'PARTICIPANT_JOINED',
  PARTICIPANT_LEFT = 'PARTICIPANT_LEFT',
  HAND_RAISED = 'HAND_RAISED',
  HAND_LOWERED = 'HAND_LOWERED',
  CHAT_MESSAGE = 'CHAT_MESSAGE',
  POLL_STARTED = 'POLL_STARTED',
  POLL_RESPONSE = 'POLL_RESPONSE',
  POLL_ENDED = 'POLL_ENDED',
  REACTION = 'REACTION',
}

/** Bus topic of one session. The school id is part of it so no two tenants ever share a topic. */
export const liveSessionTopic = (schoolId: string, sessionId: string) => `live:${schoolId}:session:${sessionId}`;

/** The data of one bus event (the bus adds `id`, the stream position). */
export interface LiveSessionEventData {
  kind: LiveSessionEventKind;
  schoolId: string;
  sessionId: string;
  /** The user who acted (joined, chatted, voted…); absent for system events. */
  actorId?: string;
  /** The participant the event is about, when someone else acted (a teacher lowering a student's hand). */
  subjectId?: string;
  /** ISO-8601 UTC. */
  at: string;
  /** Chat text or reaction emoji. */
  text?: string;
  /** For POLL_* events. Vote counts are included only in POLL_ENDED (live results stay hidden). */
  poll?: { id: string; question: string; options: string[]; counts?: number[]; closed: boolean };
}
