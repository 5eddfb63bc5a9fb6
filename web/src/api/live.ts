/**
 * Subscriptions over graphql-ws (graphql-transport-ws) on /graphql, with the connection_init
 * payload of API.md: `{ authorization: "Bearer <token>", tenant: "<slug>" }`, read afresh at every
 * (re)connection so a reconnect after a refresh uses the new token.
 *
 * The client reconnects for ever (a classroom outlives a flaky network) and `liveFeed` resumes each
 * subscription with `after` = the last event it delivered, so a dropped connection misses nothing and
 * repeats nothing. `connectionState` drives the "connection lost / back" banner.
 */
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../gql/graphql';
import { ApiError } from './errors';
import { freshToken, getSession, subscribeSession } from './session';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

let client: Client | null = null;
let clientKey = '';
let state: ConnectionState = 'connecting';
const stateListeners = new Set<() => void>();
/** The server pings every few seconds; no message for this long means the link is dead even if TCP has not noticed. */
const SILENCE_MS = 12_000;

function setState(next: ConnectionState) {
  if (next === state) return;
  state = next;
  for (const l of stateListeners) l();
}
export const connectionState = (): ConnectionState => state;
export function subscribeConnectionState(listener: () => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

function socketUrl(): string {
  const url = new URL('/graphql', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** One client per signed-in user and school; replaced when either changes. */
function liveClient(): Client {
  const session = getSession();
  const key = session ? `${session.tenant}:${session.user.id}` : '';
  if (client && key === clientKey) return client;
  client?.dispose();
  clientKey = key;
  let everConnected = false;
  let silence: ReturnType<typeof setTimeout> | undefined;
  let socket: WebSocket | undefined;
  const watch = () => {
    clearTimeout(silence);
    silence = setTimeout(() => socket?.close(4408, 'Silent connection'), SILENCE_MS);
  };
  client = createClient({
    url: socketUrl(),
    lazy: true,
    connectionParams: async () => ({
      authorization: `Bearer ${(await freshToken()) ?? ''}`,
      tenant: getSession()?.tenant ?? '',
    }),
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // 0.5 s, 1 s, 2 s, then every 3 s (plus up to 0.5 s of jitter so a classroom does not reconnect in step).
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 3000) + Math.random() * 500)),
    on: {
      connecting: () => setState(everConnected ? 'reconnecting' : 'connecting'),
      opened: (s) => {
        socket = s as WebSocket;
        watch();
      },
      connected: () => {
        everConnected = true;
        setState('connected');
      },
      message: watch,
      ping: watch,
      closed: () => {
        clearTimeout(silence);
        if (everConnected) setState('reconnecting');
      },
    },
  });
  return client;
}

// Signing out or switching users drops the socket.
subscribeSession(() => {
  const session = getSession();
  if (!session && client) {
    client.dispose();
    client = null;
    clientKey = '';
  }
});

export interface FeedOptions<E> {
  /** Resume after this event id (one the page already holds, e.g. from a reload). */
  after?: string | null;
  onEvent: (event: E) => void;
  onError?: (error: ApiError) => void;
}

/**
 * A resumable subscription: `document` must take an `after: ID` variable and return events with an
 * `id` (a stream position). Returns the function that ends it.
 */
export function liveFeed<R, V extends Record<string, unknown>, E extends { id: string }>(
  document: TypedDocumentString<R, V>,
  variables: V,
  pick: (data: R) => E,
  { after = null, onEvent, onError }: FeedOptions<E>,
): () => void {
  const seen = new Set<string>();
  // graphql-ws sends this same payload object again when it resubscribes after a reconnect; moving
  // `after` forward in it makes the server replay exactly what this page has not had yet.
  const payload = { query: document.toString(), variables: { ...variables, after } as Record<string, unknown> };
  return liveClient().subscribe<R>(payload, {
    next: (result) => {
      if (result.errors?.length) {
        const e = result.errors[0] as { message: string; extensions?: { code?: string } };
        onError?.(new ApiError(e.message, e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
        return;
      }
      if (!result.data) return;
      const event = pick(result.data as R);
      if (seen.has(event.id)) return;
      seen.add(event.id);
      payload.variables.after = event.id;
      onEvent(event);
    },
    error: (err) => {
      const e = Array.isArray(err) ? err[0] : err;
      const code = (e as { extensions?: { code?: string } })?.extensions?.code ?? 'SERVICE_UNAVAILABLE';
      onError?.(new ApiError((e as Error)?.message ?? 'Subscription failed', code));
    },
    complete: () => undefined,
  });
}
