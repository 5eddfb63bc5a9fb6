/**
 * The classroom as this page holds it: the room (who is in, whose hand is up, the polls) from the
 * `ClassroomSession` snapshot, kept current by the live events, and the log (chat, reactions,
 * notices) from the events alone: chat is only in the event stream (live-event.ts), which the page
 * replays from its start on entry, so a reload shows the chat so far.
 *
 * Events are applied once each, by id, in stream order: a replay after a reconnect or a snapshot
 * taken while events were arriving never shows one twice nor out of order. A snapshot may be older
 * than events already applied; the page asks for a new one after each event that changes the room,
 * so the two agree again once the room is quiet.
 */
import type { ClassroomEventsSubscription, ClassroomSessionQuery, LiveSessionStatus } from '../../gql/graphql';

export type RoomEvent = ClassroomEventsSubscription['liveSessionEvents'];
type Snapshot = NonNullable<ClassroomSessionQuery['liveSession']>;
export interface Person {
  id: string;
  displayName: string;
}

export interface PollState {
  id: string;
  question: string;
  options: string[];
  closed: boolean;
  /** Per option: managers at any time, everyone once closed (the server decides); null when hidden. */
  counts: number[] | null;
  myVote: number | null;
  /** Who voted, from POLL_RESPONSE events: a live total everyone may see. */
  voters: string[];
}

/** What the log shows: chat, reactions and a few notices. */
export type LogKind = 'CHAT_MESSAGE' | 'REACTION' | 'SESSION_STARTED' | 'SESSION_ENDED' | 'POLL_STARTED' | 'POLL_ENDED';
export interface LogEntry {
  id: string;
  kind: LogKind;
  at: string;
  text: string | null;
  actor: Person | null;
}

export interface RoomState {
  /** Ids of the events applied, to apply each once. */
  applied: Set<string>;
  /** The last event applied (stream order). */
  last: string | null;
  log: LogEntry[];
  status: LiveSessionStatus | null;
  participants: Person[];
  hands: Person[];
  polls: PollState[];
}

export const emptyRoom = (): RoomState => ({
  applied: new Set(),
  last: null,
  log: [],
  status: null,
  participants: [],
  hands: [],
  polls: [],
});

export type RoomAction =
  { type: 'event'; event: RoomEvent } | { type: 'snapshot'; session: Snapshot } | { type: 'voted'; pollId: string; option: number };

const LOGGED = new Set<string>(['CHAT_MESSAGE', 'REACTION', 'SESSION_STARTED', 'SESSION_ENDED', 'POLL_STARTED', 'POLL_ENDED']);

/** Stream ids `<ms>-<seq>` in order (both parts numeric: '9-0' < '10-0'). */
export function compareEventIds(a: string, b: string): number {
  const [am, as = 0] = a.split('-').map(Number);
  const [bm, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

const without = (people: Person[], id: string | undefined) => people.filter((p) => p.id !== id);
const withPerson = (people: Person[], person: Person | null) =>
  !person || people.some((p) => p.id === person.id) ? people : [...people, person];

function applyEvent(room: RoomState, event: RoomEvent): RoomState {
  if (room.applied.has(event.id)) return room;
  const applied = new Set(room.applied).add(event.id);
  const next: RoomState = { ...room, applied, last: room.last && compareEventIds(room.last, event.id) > 0 ? room.last : event.id };
  if (LOGGED.has(event.kind)) {
    const entry: LogEntry = {
      id: event.id,
      kind: event.kind as LogKind,
      at: event.at,
      text: event.text ?? event.poll?.question ?? null,
      actor: event.actor,
    };
    // In stream order even if an event ever arrived late: insert before the first later one.
    const at = room.log.findIndex((e) => compareEventIds(e.id, event.id) > 0);
    next.log = at < 0 ? [...room.log, entry] : [...room.log.slice(0, at), entry, ...room.log.slice(at)];
  }
  const actor = event.actor;
  switch (event.kind) {
    case 'SESSION_STARTED':
      next.status = 'LIVE';
      break;
    case 'SESSION_ENDED':
      next.status = 'ENDED';
      next.participants = [];
      next.hands = [];
      break;
    case 'PARTICIPANT_JOINED':
      next.participants = withPerson(room.participants, actor);
      break;
    case 'PARTICIPANT_LEFT':
      next.participants = without(room.participants, actor?.id);
      next.hands = without(room.hands, actor?.id);
      break;
    case 'HAND_RAISED':
      next.hands = withPerson(room.hands, actor);
      break;
    case 'HAND_LOWERED':
      next.hands = without(room.hands, (event.subject ?? actor)?.id);
      break;
    case 'POLL_STARTED':
    case 'POLL_RESPONSE':
    case 'POLL_ENDED':
      if (event.poll) next.polls = applyPollEvent(room.polls, event);
      break;
  }
  return next;
}

function applyPollEvent(polls: PollState[], event: RoomEvent): PollState[] {
  const p = event.poll!;
  const known = polls.find((x) => x.id === p.id);
  const base: PollState = known ?? {
    id: p.id,
    question: p.question,
    options: p.options,
    closed: false,
    counts: null,
    myVote: null,
    voters: [],
  };
  const updated: PollState = {
    ...base,
    closed: base.closed || p.closed,
    counts: p.counts ?? base.counts,
    voters:
      event.kind === 'POLL_RESPONSE' && event.actor && !base.voters.includes(event.actor.id)
        ? [...base.voters, event.actor.id]
        : base.voters,
  };
  return known ? polls.map((x) => (x.id === p.id ? updated : x)) : [...polls, updated];
}

function applySnapshot(room: RoomState, s: Snapshot): RoomState {
  const polls = s.polls.map((p): PollState => {
    const known = room.polls.find((x) => x.id === p.id);
    const closed = p.closed || !!known?.closed;
    return {
      id: p.id,
      question: p.question,
      options: p.options,
      closed,
      counts: p.counts ?? known?.counts ?? null,
      myVote: p.myVote ?? known?.myVote ?? null,
      voters: known?.voters ?? [],
    };
  });
  // A poll an event announced after this snapshot was read stays.
  for (const p of room.polls) if (!polls.some((x) => x.id === p.id)) polls.push(p);
  return {
    ...room,
    // The session only moves forward (SCHEDULED → LIVE → ENDED): an older snapshot does not undo an event.
    status:
      room.status === 'ENDED' || room.status === 'CANCELED'
        ? room.status
        : room.status === 'LIVE' && s.status === 'SCHEDULED'
          ? 'LIVE'
          : s.status,
    participants: s.participants,
    hands: s.raisedHands,
    polls,
  };
}

export function roomReducer(room: RoomState, action: RoomAction): RoomState {
  switch (action.type) {
    case 'event':
      return applyEvent(room, action.event);
    case 'snapshot':
      return applySnapshot(room, action.session);
    case 'voted':
      return { ...room, polls: room.polls.map((p) => (p.id === action.pollId ? { ...p, myVote: action.option } : p)) };
  }
}

/** Event kinds after which the snapshot (and the teacher's attendance) is read again. */
export const CHANGES_ROOM = new Set<string>([
  'SESSION_STARTED',
  'SESSION_ENDED',
  'PARTICIPANT_JOINED',
  'PARTICIPANT_LEFT',
  'HAND_RAISED',
  'HAND_LOWERED',
  'POLL_STARTED',
  'POLL_RESPONSE',
  'POLL_ENDED',
]);
