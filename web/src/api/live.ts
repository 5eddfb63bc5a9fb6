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
/**
 * This client pings every KEEP_ALIVE_MS (graphql-ws `ping`, answered with `pong`): the gateway's own
 * pings are WebSocket control frames, which the browser answers without telling the page, so a
 * quiet room would otherwise look silent. No message for SILENCE_MS means the link is dead even if
 * TCP has not noticed.
 */
const KEEP_ALIVE_MS = 4_000;
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
    // terminate(), not socket.close(): on a dead link the closing handshake would never complete.
    silence = setTimeout(() => client?.terminate(), SILENCE_MS);
  };
  client = createClient({
    url: socketUrl(),
    lazy: true,
    connectionParams: async () => ({
      authorization: `Bearer ${(await freshToken()) ?? ''}`,
      tenant: getSession()?.tenant ?? '',
    }),
    keepAlive: KEEP_ALIVE_MS,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // 0.5 s, 1 s, 2 s, then every 3 s (plus up to 0.5 s of jitter so a classroom does not reconnect in step);
    // at once (after the jitter alone) when the device says its network is back.
    retryWait: (retries) =>
      new Promise<void>((resolve) => {
        const jitter = Math.random() * 500;
        const timer = setTimeout(resolve, Math.min(500 * 2 ** retries, 3000) + jitter);
        waitingToRetry = () => (clearTimeout(timer), setTimeout(resolve, jitter));
      }).finally(() => (waitingToRetry = undefined)),
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
      // Every message received, pongs included (`ping`/`pong` events also fire for the ones this client sends).
      message: watch,
      closed: (event) => {
        clearTimeout(silence);
        socket = undefined;
        // 1000: the lazy client closed a socket no subscription uses any more; the next one is a first connection, not a reconnect.
        if ((event as CloseEvent | undefined)?.code === 1000) {
          everConnected = false;
          setState('connecting');
        } else if (everConnected) setState('reconnecting');
      },
    },
  });
  // The device says it lost its network: drop the socket now (a dead one may take SILENCE_MS to
  // notice) and reconnect, which resumes every feed after its last event, once it can.
  dropOnOffline = () => socket && client?.terminate();
  return client;
}

let dropOnOffline = (): void => undefined;
let waitingToRetry: (() => void) | undefined;
addEventListener('offline', () => dropOnOffline());
addEventListener('online', () => waitingToRetry?.());

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

// For subscriptions without resume (live figures that are each a full value): api/live-values.ts.
export { liveClient };
