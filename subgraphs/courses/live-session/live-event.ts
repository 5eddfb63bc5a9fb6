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
export { LiveSessionEventKind, liveSessionTopic, type LiveSessionEventData } from '../../../platform/events/live-classroom';
