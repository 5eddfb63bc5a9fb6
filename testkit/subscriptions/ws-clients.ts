import type { GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received<T = any> {
  data?: T;
  errors?: GraphQLFormattedError[];
}

/** A graphql-ws client as an app would open it, recording how its connection ended. */
export interface TestClient {
  client: Client;
  /** Close events of its connection (code and reason), in order. */
  closes: Array<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

export interface TestSubscription<T = any> {
  results: Received<T>[];
  completed: boolean;
  /** What the sink's `error` got: GraphQL errors, or the close event of a lost connection. */
  error?: unknown;
  stop(): void;
}

/** `graphql-transport-ws` client of the gateway; `connection_init` carries `{ authorization, tenant }`. */
export function connectClient(wsUrl: string, opts: { token?: string; tenant?: string } = {}): TestClient {
  const closes: TestClient['closes'] = [];
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.tenant ? { tenant: opts.tenant } : {}) },
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: unknown };
        closes.push({ code, reason: String(reason) });
      },
    },
  });
  return { client, closes, dispose: async () => client.dispose() };
}

export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): TestSubscription<T> {
  const sub: TestSubscription<T> = { results: [], completed: false, stop: () => undefined };
  sub.stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => void sub.results.push(result as Received<T>),
      error: (err) => void (sub.error = err),
      complete: () => void (sub.completed = true),
    },
  );
  return sub;
}

/** The gateway's WebSocket URL for its HTTP /graphql URL. */
export const wsUrlOf = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');
