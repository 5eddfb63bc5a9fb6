import { createClient as createSseClient, NetworkError } from 'graphql-sse';
import { connectClient, subscribe, wsUrlOf, type Received, type TestSubscription } from './ws-clients';

/** The subscription transports of the gateway's /graphql. */
export type Transport = 'graphql-ws' | 'sse' | 'multipart';
export const TRANSPORTS: readonly Transport[] = ['graphql-ws', 'sse', 'multipart'];

/** Apollo Client's Accept header for a subscription over multipart HTTP. */
export const MULTIPART_ACCEPT = 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0",application/json';

export interface OpenSubscription<T = any> extends TestSubscription<T> {
  /** HTTP status of the answer (SSE and multipart), once known. */
  status?: number;
  /** Multipart heartbeat parts (`{}`) received. */
  heartbeats: number;
  /** Ends the subscription the way its client does (closes the connection or sends `complete`). */
  dispose(): Promise<void>;
}

export interface Subscriber {
  token?: string;
  tenant?: string;
}

/**
 * A subscription of `query` through the gateway's /graphql (`url`, its HTTP URL) over any
 * transport, as an app would open it, recording results in the order received: graphql-ws
 * (graphql-ws's client), SSE (graphql-sse's client, distinct connections mode) or multipart
 * (Apollo's protocol, read with fetch).
 */
export function subscribeOver<T = any>(
  transport: Transport,
  url: string,
  who: Subscriber,
  query: string,
  variables: Record<string, unknown> = {},
): OpenSubscription<T> {
  if (transport === 'graphql-ws') {
    const client = connectClient(wsUrlOf(url), who);
    const sub = subscribe<T>(client.client, query, variables);
    return Object.assign(sub, { heartbeats: 0, dispose: () => client.dispose() });
  }
  if (transport === 'sse') return sseSubscription(url, who, query, variables);
  return multipartSubscription(url, who, query, variables);
}

const headersOf = (who: Subscriber): Record<string, string> => ({
  // English messages, as the other test clients ask (testkit/graphql-client.ts).
  'accept-language': 'en',
  ...(who.token ? { authorization: `Bearer ${who.token}` } : {}),
  ...(who.tenant ? { 'x-tenant-id': who.tenant } : {}),
});

function sseSubscription<T>(url: string, who: Subscriber, query: string, variables: Record<string, unknown>): OpenSubscription<T> {
  const client = createSseClient({
    url,
    headers: headersOf(who),
    retryAttempts: 0,
    // The status of the answer, which graphql-sse's client does not expose otherwise.
    fetchFn: async (...args: Parameters<typeof fetch>) => {
      const res = await fetch(...args);
      sub.status = res.status;
      return res;
    },
  });
  const sub: OpenSubscription<T> = {
    results: [],
    completed: false,
    heartbeats: 0,
    stop: () => undefined,
    dispose: async () => client.dispose(),
  };
  sub.stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => void sub.results.push(result as Received<T>),
      error: (err) => {
        sub.error = err;
        // A refusal before the stream (edge checks): the JSON errors of the answer, as a result.
        const response = err instanceof NetworkError ? (err.response as Response | undefined) : undefined;
        if (response)
          void response.json().then(
            (body) => sub.results.push(body as Received<T>),
            () => undefined,
          );
      },
      complete: () => void (sub.completed = true),
    },
  );
  return sub;
}

function multipartSubscription<T>(url: string, who: Subscriber, query: string, variables: Record<string, unknown>): OpenSubscription<T> {
  const control = new AbortController();
  const sub: OpenSubscription<T> = {
    results: [],
    completed: false,
    heartbeats: 0,
    stop: () => control.abort(),
    dispose: async () => control.abort(),
  };
  void (async () => {
    const res = await fetch(url, {
      method: 'POST',
      signal: control.signal,
      headers: { ...headersOf(who), accept: MULTIPART_ACCEPT, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    sub.status = res.status;
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('multipart/mixed')) {
      // Refused before the stream: one JSON answer (the request accepts application/json).
      sub.results.push((await res.json()) as Received<T>);
      sub.completed = true;
      return;
    }
    await readMultipart(res, type, (part) => {
      if (Object.keys(part).length === 0) return void sub.heartbeats++;
      const { payload, errors } = part as { payload?: Received<T> | null; errors?: Received['errors'] };
      if (payload) return void sub.results.push(payload);
      // A transport error ending the subscription: `{ payload: null, errors }`.
      sub.results.push({ errors });
      sub.error = errors;
    });
    sub.completed = true;
  })().catch((err: unknown) => {
    if (!control.signal.aborted) sub.error = err;
  });
  return sub;
}

/**
 * The parts of a `multipart/mixed` body as they arrive, each JSON body handed to `onPart`, until
 * the closing delimiter, or until `onPart` answers false (the connection is then closed). Throws
 * when the stream ends without it (the connection was cut).
 */
export async function readMultipart(
  res: Response,
  contentType: string,
  onPart: (json: Record<string, unknown>) => boolean | void,
): Promise<void> {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const delimiter = `\r\n--${boundary}`;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let at = buffer.indexOf(delimiter); at >= 0; at = buffer.indexOf(delimiter)) {
      const part = buffer.slice(0, at);
      buffer = buffer.slice(at + delimiter.length);
      const body = part.indexOf('\r\n\r\n');
      if (body >= 0 && onPart(JSON.parse(part.slice(body + 4)) as Record<string, unknown>) === false) return;
    }
    if (buffer.startsWith('--')) return;
  }
  throw new Error('multipart stream ended without its closing delimiter');
}
