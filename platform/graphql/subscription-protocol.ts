/**
 * What the gateway and a subgraph say to each other about a subscription, beyond plain
 * graphql-ws (`graphql-transport-ws`): both sides import these names from here.
 *
 * The gateway shares one upstream subscription (and one per-event resolution) between every
 * client with the same operation, variables and authorization scope. For that it needs three
 * things from the subgraph that owns the root field, all carried in `extensions`:
 * - an admission per client, checked with that client's own identity
 *   (`mode: 'admit'`): may this person subscribe, and how may the feed be shared?
 * - a stream that is authorized as an admitted member but whose events are resolved as the
 *   group's principal (`mode: 'stream'`, `viewer` and `principal`), so nothing decided from one
 *   member's identity reaches the others;
 * - a cursor with every event, and `resumeAfter` when the gateway re-subscribes (subgraph or
 *   connection restart), so a resumed stream continues without a gap.
 */

/** Key of our extensions, in the subscribe payload and in each result. */
export const SUBSCRIPTION_EXTENSION = 'manassa';

/**
 * How a feed may be shared between the clients that subscribe to it:
 * - `role`: its events are the same for everyone admitted (a classroom, a course dashboard).
 *   The gateway groups clients of one school with the same roles, and both the subgraph and
 *   the other subgraphs resolve each event's fields as that school + roles with no personal
 *   identity: every member sees what anyone with those roles may see, and nothing more.
 * - `viewer`: the feed depends on who watches (my notifications); one group per person
 *   (and login session), resolved as that person.
 */
export type Sharing = 'role' | 'viewer';

/** What an admission answers for an admitted client (in `extensions[SUBSCRIPTION_EXTENSION]`). */
export interface Admission {
  sharing: Sharing;
  /**
   * True when the stream starts from a cursor the client gave (`after`): what it delivers is
   * then a function of its arguments, not of the moment it started, so a client joining an
   * existing group late must first get what the group already delivered.
   */
  replays: boolean;
}

/** The gateway's part of a subscribe message to a subgraph. */
export interface SubscribeExtension {
  mode: 'admit' | 'stream';
  /** Signed internal context of the client being admitted (admit) or of an admitted member (stream). */
  viewer: string;
  /** Signed internal context that resolves each event (stream only). */
  principal?: string;
  /** Cursor of the last event the gateway received: continue after it (stream only). */
  resumeAfter?: string;
}

/** The subgraph's part of a result (in `extensions[SUBSCRIPTION_EXTENSION]`). */
export interface ResultExtension {
  /** Answer to `mode: 'admit'`. */
  admission?: Admission;
  /** Position of this event in its stream; the gateway passes it back as `resumeAfter`. */
  cursor?: string;
}

/** Internal identity the group's per-event resolution runs as, for `role` sharing. */
export const groupPrincipalId = (roles: readonly string[]) => `group:${[...roles].sort().join('+') || 'member'}`;
