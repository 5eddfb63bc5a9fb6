/**
 * The live classroom event contract: what the courses subgraph writes to the event bus for every
 * classroom action (one topic per session, a capped Redis Stream in production), and what any
 * other service reading a classroom (analytics' live counters) relies on. Here rather than in
 * courses because services never import each other (DESIGN.md "Layers"); courses re-exports it
 * from subgraphs/courses/live-session/live-event.ts, which says who writes which kind.
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
