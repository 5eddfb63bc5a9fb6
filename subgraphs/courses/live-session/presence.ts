/**
 * Who is in a live session's room right now, and whose hand is up (in raising order). Rooms are
 * named `<schoolId>:<sessionId>`. Redis in production (every replica sees the same room), memory
 * in the embedded mode; business code sees only this interface.
 */
export interface Presence {
  /** Adds the user to the room; true when they were not in it yet. */
  enter(room: string, userId: string): Promise<boolean>;
  /** Removes the user (and lowers their hand); true when they were in it. */
  leave(room: string, userId: string): Promise<boolean>;
  isIn(room: string, userId: string): Promise<boolean>;
  members(room: string): Promise<string[]>;
  /** True when the hand was down. */
  raiseHand(room: string, userId: string): Promise<boolean>;
  /** True when the hand was up. */
  lowerHand(room: string, userId: string): Promise<boolean>;
  /** Raised hands, first raised first. */
  hands(room: string): Promise<string[]>;
  /** Empties the room (the session ended). */
  clear(room: string): Promise<void>;
}

export const roomOf = (schoolId: string, sessionId: string) => `${schoolId}:${sessionId}`;

/** The embedded-mode presence: one process holds every room. */
export function createMemoryPresence(): Presence {
  const rooms = new Map<string, { members: Set<string>; hands: Map<string, number> }>();
  let order = 0;
  /** The room, created on the first write; reads of a room nobody entered create nothing. */
  const room = (name: string) => {
    let r = rooms.get(name);
    if (!r) rooms.set(name, (r = { members: new Set(), hands: new Map() }));
    return r;
  };
  return {
    async enter(name, userId) {
      const r = room(name);
      const added = !r.members.has(userId);
      r.members.add(userId);
      return added;
    },
    async leave(name, userId) {
      const r = rooms.get(name);
      r?.hands.delete(userId);
      return r?.members.delete(userId) ?? false;
    },
    async isIn(name, userId) {
      return rooms.get(name)?.members.has(userId) ?? false;
    },
    async members(name) {
      return [...(rooms.get(name)?.members ?? [])];
    },
    async raiseHand(name, userId) {
      const r = room(name);
      if (r.hands.has(userId)) return false;
      r.hands.set(userId, ++order);
      return true;
    },
    async lowerHand(name, userId) {
      return rooms.get(name)?.hands.delete(userId) ?? false;
    },
    async hands(name) {
      return [...(rooms.get(name)?.hands ?? [])].sort((a, b) => a[1] - b[1]).map(([id]) => id);
    },
    async clear(name) {
      rooms.delete(name);
    },
  };
}
