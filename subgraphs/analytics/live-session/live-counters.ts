import { compareIds, ZERO_ID } from '../../../platform/bus/ids';
import type { BusEvent } from '../../../platform/bus/event-bus';
import { LiveSessionEventKind as Kind, type LiveSessionEventData } from '../../../platform/events/live-classroom';
import { LiveSessionAnalytics } from './live-session-analytics.type';

/** The counters of one session as stored (JSON): what a watcher resumes from. */
export interface LiveCountersState {
  /** The last classroom event counted: anything at or before it is counted already. */
  lastEventId: string;
  inRoom: string[];
  peakInRoom: number;
  handsRaised: number;
  chatMessages: number;
  /** Everyone who joined at least once. */
  joined: string[];
  /** Whoever started a poll (left out of the participation share). */
  pollStarters: string[];
  /** Everyone who answered at least one poll. */
  voters: string[];
  /** Polls seen (any POLL_* event): participation is null until there is one. */
  polls: string[];
  /** SESSION_ENDED was counted. */
  ended: boolean;
}

/**
 * A live session's classroom figures, counted from its bus topic (platform/events/live-classroom.ts).
 * Each event counts once: an event at or before the last one counted (a replay after a restart,
 * a duplicate) changes nothing, so the counters are a function of the stream alone.
 */
export class LiveCounters {
  lastEventId = ZERO_ID;
  ended = false;
  peakInRoom = 0;
  handsRaised = 0;
  chatMessages = 0;
  private readonly inRoom = new Set<string>();
  private readonly joined = new Set<string>();
  private readonly pollStarters = new Set<string>();
  private readonly voters = new Set<string>();
  private readonly polls = new Set<string>();

  static from(state: LiveCountersState): LiveCounters {
    const counters = new LiveCounters();
    Object.assign(counters, {
      lastEventId: state.lastEventId,
      ended: state.ended,
      peakInRoom: state.peakInRoom,
      handsRaised: state.handsRaised,
      chatMessages: state.chatMessages,
    });
    const fill = (set: Set<string>, values: string[]) => values.forEach((v) => set.add(v));
    fill(counters.inRoom, state.inRoom);
    fill(counters.joined, state.joined);
    fill(counters.pollStarters, state.pollStarters);
    fill(counters.voters, state.voters);
    fill(counters.polls, state.polls);
    return counters;
  }

  state(): LiveCountersState {
    return {
      lastEventId: this.lastEventId,
      inRoom: [...this.inRoom],
      peakInRoom: this.peakInRoom,
      handsRaised: this.handsRaised,
      chatMessages: this.chatMessages,
      joined: [...this.joined],
      pollStarters: [...this.pollStarters],
      voters: [...this.voters],
      polls: [...this.polls],
      ended: this.ended,
    };
  }

  /** Counts one classroom event; false when it was counted already. */
  apply(event: BusEvent<LiveSessionEventData>): boolean {
    if (compareIds(event.id, this.lastEventId) <= 0) return false;
    this.lastEventId = event.id;
    const { kind, actorId, poll } = event.data;
    switch (kind) {
      case Kind.PARTICIPANT_JOINED:
        if (!actorId) break;
        this.inRoom.add(actorId);
        this.joined.add(actorId);
        this.peakInRoom = Math.max(this.peakInRoom, this.inRoom.size);
        break;
      case Kind.PARTICIPANT_LEFT:
        if (actorId) this.inRoom.delete(actorId);
        break;
      case Kind.HAND_RAISED:
        this.handsRaised++;
        break;
      case Kind.CHAT_MESSAGE:
        this.chatMessages++;
        break;
      case Kind.POLL_STARTED:
        if (poll) this.polls.add(poll.id);
        if (actorId) this.pollStarters.add(actorId);
        break;
      case Kind.POLL_RESPONSE:
        if (poll) this.polls.add(poll.id);
        if (actorId) this.voters.add(actorId);
        break;
      case Kind.POLL_ENDED:
        if (poll) this.polls.add(poll.id);
        break;
      case Kind.SESSION_ENDED:
        // The room is emptied without a PARTICIPANT_LEFT per person (courses clears its presence).
        this.inRoom.clear();
        this.ended = true;
        break;
      default:
        break;
    }
    return true;
  }

  /** People who joined at least once. */
  participants(): number {
    return this.joined.size;
  }

  figures(): LiveSessionAnalytics {
    return Object.assign(new LiveSessionAnalytics(), {
      inRoomNow: this.inRoom.size,
      peakInRoom: this.peakInRoom,
      handsRaised: this.handsRaised,
      chatMessages: this.chatMessages,
      pollParticipation: this.pollParticipation(),
    });
  }

  /** Distinct voters ÷ distinct people who joined, both without whoever started polls; null before any poll. */
  private pollParticipation(): number | null {
    if (this.polls.size === 0) return null;
    const counted = (set: Set<string>) => [...set].filter((id) => !this.pollStarters.has(id)).length;
    const participants = counted(this.joined);
    if (participants === 0) return 0;
    return Math.min(1, counted(this.voters) / participants);
  }
}

/** The figures of a session nothing was counted of (not started, or not heard of yet). */
export const noFigures = (): LiveSessionAnalytics => new LiveCounters().figures();
