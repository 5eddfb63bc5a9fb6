import { INTERNAL_TOKEN_TTL_SECONDS } from '../../platform/auth/internal-context';

/** A signature (in flight or done) and the time until which it may be handed out again. */
export interface ReusedToken {
  token: Promise<string>;
  until: number;
}

/** Where reused tokens live: a Map its owner bounds, or a WeakMap whose entries die with their key (a request). */
export interface TokenStore<K> {
  get(key: K): ReusedToken | undefined;
  set(key: K, entry: ReusedToken): void;
  delete(key: K): void;
}

/**
 * Half a token's lifetime: the last caller to get a token still has the other half for the
 * subgraph to receive and check it.
 */
export const TOKEN_REUSE_MS = (INTERNAL_TOKEN_TTL_SECONDS * 1000) / 2;

/**
 * The token stored under `key` while it may be reused, else a new signature. The promise is
 * stored, not the token: callers asking while it is being signed share that one signature.
 */
export function reuseOrSign<K>(store: TokenStore<K>, key: K, sign: () => Promise<string>, reuseMs = TOKEN_REUSE_MS): Promise<string> {
  const now = Date.now();
  const hit = store.get(key);
  if (hit && hit.until > now) return hit.token;
  const entry: ReusedToken = { token: sign(), until: now + reuseMs };
  // A failure must not be handed out for the rest of the window: the next caller signs again.
  // Registered before any caller awaits the token, so the entry is gone when they see the error.
  entry.token.catch(() => {
    if (store.get(key) === entry) store.delete(key);
  });
  store.set(key, entry);
  return entry.token;
}

/**
 * A TokenStore of at most `max` entries that drops the least recently used first: under more
 * identities than it holds, the callers who keep calling keep their tokens and one-off callers
 * make room.
 */
export class LruTokens<K> implements TokenStore<K> {
  private readonly entries = new Map<K, ReusedToken>();

  constructor(
    /** Entries kept at most. */
    readonly max: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): ReusedToken | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // A Map iterates in insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: K, entry: ReusedToken): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
