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
