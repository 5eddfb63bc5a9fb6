import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { DEMO } from '../../platform/demo';
import { eventually } from '../../testkit/eventually';
import { feedTopic } from '../../testkit/subscriptions/feeds-subgraph';
import { startFeedsStack, type FeedsStack } from '../../testkit/subscriptions/feeds-stack';
import type { Received } from '../../testkit/subscriptions/ws-clients';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const FEED = 'subscription Feed($channel: String!) { feedEvents(channel: $channel) { kind } }';
const UNLISTED = 'subscription Other($channel: String!) { feedEvents(channel: $channel) { kind text } }';

/**
 * Trusted documents over graphql-ws: a client marked trusted-only (TRUSTED_ONLY_CLIENTS, its list
 * from TRUSTED_DOCUMENTS_DIR here, the registry's in production) names itself on the upgrade
 * request (`apollographql-client-name`) and may subscribe only to its registered operations, in
 * full or by hash / documentId alone; anything else is refused with the HTTP side's code. Other
 * clients subscribe to anything valid.
 */
describe('trusted documents over graphql-ws', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'trusted-ws-'));
  let s: FeedsStack;
  const disposers: Array<() => unknown> = [];

  beforeAll(async () => {
    writeFileSync(
      path.join(dir, 'web.json'),
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256(FEED), name: 'Feed', type: 'subscription', body: FEED }],
      }),
    );
    s = await startFeedsStack({ env: { TRUSTED_ONLY_CLIENTS: 'web', TRUSTED_DOCUMENTS_DIR: dir } });
  });
  afterEach(async () => {
    await Promise.all(disposers.splice(0).map((dispose) => dispose()));
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A graphql-ws client whose upgrade request names the app, as Apollo Client's headers do over HTTP. */
  const connect = async (app?: string) => {
    const headers = app ? { 'apollographql-client-name': app, 'apollographql-client-version': '1.0.0' } : {};
    const token = await s.token({ userId: randomUUID(), roles: ['STUDENT'] });
    const client = createClient({
      url: s.wsUrl,
      retryAttempts: 0,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers });
        }
      },
      connectionParams: { authorization: `Bearer ${token}`, tenant: 'demo' },
    });
    disposers.push(() => client.dispose());
    return client;
  };
  const follow = (client: ReturnType<typeof createClient>, payload: Record<string, unknown>) => {
    const sub: { results: Received[]; error?: unknown } = { results: [] };
    client.subscribe(payload as never, {
      next: (r) => void sub.results.push(r as Received),
      error: (err) => void (sub.error = err),
      complete: () => undefined,
    });
    return sub;
  };
  /** Publishes on the channel until the subscription sees an event (it is admitted some time after subscribing). */
  const delivered = async (sub: { results: Received[]; error?: unknown }, channel: string) => {
    await eventually(
      async () => {
        expect(sub.error).toBeUndefined();
        await s.stack.transport.bus.publish(feedTopic(DEMO.schools.demo.id, channel), { kind: 'PING' });
        expect(sub.results.length).toBeGreaterThan(0);
      },
      15_000,
      100,
    );
    expect(sub.results[0]).toEqual({ data: { feedEvents: expect.objectContaining({ kind: 'PING' }) } });
  };
  const refusedCode = async (sub: { error?: unknown }) => {
    await eventually(() => expect(sub.error).toBeDefined());
    return (sub.error as Array<{ extensions?: { code?: string } }>)[0]?.extensions?.code;
  };

  it('lets a trusted-only client subscribe to a registered operation in full, by hash alone and by documentId', async () => {
    const client = await connect('web');
    const full = follow(client, { query: FEED, variables: { channel: 'trusted-full' } });
    const byHash = follow(client, {
      query: '',
      variables: { channel: 'trusted-hash' },
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(FEED) } },
    });
    const byDocumentId = follow(client, { query: '', documentId: `sha256:${sha256(FEED)}`, variables: { channel: 'trusted-doc' } });
    await delivered(full, 'trusted-full');
    await delivered(byHash, 'trusted-hash');
    await delivered(byDocumentId, 'trusted-doc');
  });

  it('refuses a trusted-only client any other subscription with PERSISTED_QUERY_NOT_IN_LIST', async () => {
    const client = await connect('web');
    const refused = [
      follow(client, { query: UNLISTED, variables: { channel: 'x' } }),
      follow(client, {
        query: UNLISTED,
        variables: { channel: 'x' },
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(FEED) } },
      }),
      follow(client, {
        query: '',
        variables: { channel: 'x' },
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(UNLISTED) } },
      }),
      follow(client, { query: '', documentId: 'sha256:nope', variables: { channel: 'x' } }),
      follow(client, { query: '', variables: { channel: 'x' } }),
    ];
    for (const sub of refused) expect(await refusedCode(sub)).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    // The connection stays usable for what is registered.
    const ok = follow(client, { query: FEED, variables: { channel: 'trusted-after' } });
    await delivered(ok, 'trusted-after');
  });

  it('leaves other clients free to subscribe to any valid operation', async () => {
    for (const app of ['ops-dashboard', undefined]) {
      const sub = follow(await connect(app), { query: UNLISTED, variables: { channel: `open-${app ?? 'anonymous'}` } });
      await delivered(sub, `open-${app ?? 'anonymous'}`);
    }
  });
});
