import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO } from '../../platform/demo';
import { eventually } from '../../testkit/eventually';
import { codes } from '../../testkit/graphql-client';
import { testServices, uniqueName } from '../../testkit/services';
import { startStack, type Stack } from '../../testkit/stack';
import { startTestRegistry, type TestRegistry } from '../../testkit/registry';
import { feedTopic, feedsSdl, startFeedsSubgraph, type FeedsSubgraph } from '../../testkit/subscriptions/feeds-subgraph';
import { connectClient, subscribe, wsUrlOf, type TestClient } from '../../testkit/subscriptions/ws-clients';
import { queryLoad } from '../../testkit/query-load';

const USERS = readFileSync('schema/subgraphs/users.graphql', 'utf8');
const FEED = 'subscription Feed($channel: String!, $after: ID) { feedEvents(channel: $channel, after: $after) { id kind } }';

/**
 * The delivery promise with everything running at once: a compatible change published
 * to the registry reaches the gateway at its next poll while queries run and a live subscription
 * (graphql-ws, through the test-only feeds subgraph on Redis) stays open, with no failed request,
 * no lost event and no dropped subscription. MariaDB, Redis and RabbitMQ throughout.
 */
describe('registry supergraph swap under queries and a live subscription', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-live-'));
  const redisPrefix = `${uniqueName('reglive')}:`;
  let registry: TestRegistry;
  let feeds: FeedsSubgraph;
  let stack: Stack;
  let client: TestClient;
  let internalJwks: string | undefined;

  beforeAll(async () => {
    feeds = await startFeedsSubgraph({ redisUrl: testServices.redisUrl, redisPrefix, internalJwks: () => internalJwks! });
    registry = await startTestRegistry('mysql');
    const ci = await registry.clientWith(['publish'], 'ci');
    const reader = await registry.admin.createToken('gateway', ['read']);
    // Forced past the registry's served-SDL check: the users URL serves nothing, and the stack's
    // keys (that the feeds subgraph trusts) do not exist yet.
    const first = await ci.publish(
      [
        // startStack points the gateway at the real users URL (SUBGRAPH_URLS); this one is never used.
        { name: 'users', sdl: USERS.replace(/\n\s*timezone: String!/, ''), url: 'http://127.0.0.1:9/graphql' },
        { name: 'feeds', sdl: feedsSdl(), url: feeds.url },
      ],
      { force: true },
    );
    expect(first.status).toBe(201);
    stack = await startStack('mysql', {
      REGISTRY_URL: registry.url,
      REGISTRY_TOKEN: reader.body.token,
      REGISTRY_POLL_INTERVAL_MS: '200',
      USAGE_FLUSH_INTERVAL_MS: '200',
      SUPERGRAPH_CACHE_PATH: path.join(dir, 'supergraph.graphql'),
      REDIS_KEY_PREFIX: redisPrefix,
    });
    internalJwks = stack.keys.internalPublic;
  });
  afterAll(async () => {
    await client?.dispose();
    await stack.stop();
    await feeds.close();
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the change without a failed query, a lost event or a dropped subscription', async () => {
    const timezone = () => stack.gql('{ school { timezone } }', { tenant: 'demo' });
    expect(codes(await timezone())).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const emit = (kind: string) => stack.transport.bus.publish(feedTopic(DEMO.schools.demo.id, 'registry'), { kind });

    const { accessToken } = await stack.login('student@demo.test');
    client = connectClient(wsUrlOf(stack.gatewayUrl), { token: accessToken, tenant: 'demo' });
    const sub = subscribe<{ feedEvents: { kind: string } }>(client.client, FEED, { channel: 'registry', after: await emit('MARK') });
    const sent: string[] = [];
    const send = async (kind: string) => {
      sent.push(kind);
      await emit(kind);
    };
    const received = () => sub.results.map((r) => r.data?.feedEvents.kind);
    await send('before');
    await eventually(() => expect(received()).toEqual(['before']));

    const load = queryLoad(stack);
    let running = true;
    let n = 0;
    const events = (async () => {
      while (running) {
        await send(`during-${n++}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    const ci = await registry.clientWith(['publish']);
    expect((await ci.publish([{ name: 'users', sdl: USERS }], { force: true })).status).toBe(201);
    await eventually(async () => expect((await timezone()).body.data?.school?.timezone).toBe('Africa/Cairo'));
    running = false;
    const [{ failures }] = await Promise.all([load.stop(), events]);
    await send('after');

    await eventually(() => expect(received()).toEqual(sent));
    expect(n).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    expect(sub.results.every((r) => !r.errors)).toBe(true);
    expect({ completed: sub.completed, error: sub.error, closes: client.closes }).toEqual({
      completed: false,
      error: undefined,
      closes: [],
    });
  });

  it("reports the live subscription's fields as used, so removing one is breaking and names it", async () => {
    const ci = await registry.clientWith(['publish']);
    // FeedEvent.text is selected by no operation; FeedEvent.kind only by the subscription above.
    const withoutText = await ci.check([{ name: 'feeds', sdl: feedsSdl().replace(/\n\s*text: String/, '') }]);
    expect(withoutText.body.breaking).toEqual([]);
    await eventually(async () => {
      const withoutKind = await ci.check([{ name: 'feeds', sdl: feedsSdl().replace(/\n\s*kind: String!/, '') }]);
      expect(withoutKind.body.ok).toBe(false);
      expect(withoutKind.body.breaking).toEqual([
        expect.objectContaining({ path: 'FeedEvent.kind', usedBy: [expect.objectContaining({ name: 'Feed' })] }),
      ]);
    });
  });
});
