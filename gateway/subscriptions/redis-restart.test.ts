import { DEMO } from '../../platform/demo';
import { eventually } from '../../testkit/eventually';
import { feedTopic, type FeedData } from '../../testkit/subscriptions/feeds-subgraph';
import { startFeedsStack, type FeedsStack } from '../../testkit/subscriptions/feeds-stack';
import { startRedisServer, type OwnRedis } from '../../testkit/redis-server';
import { connectClient, subscribe, type TestClient } from '../../testkit/subscriptions/ws-clients';

const FEED = 'subscription($after: ID) { feedEvents(channel: "live", after: $after) { kind actor { displayName } } }';

/**
 * A Redis restart under a live subscription, on a redis-server of this test's own: the
 * subgraph's bus reconnects and catches up from the stream, the gateway's upstream stays open,
 * and events published while Redis was down reach the client once it is back.
 */
describe('subscriptions across a Redis restart', () => {
  let redis: OwnRedis;
  let s: FeedsStack;
  let client: TestClient;

  beforeAll(async () => {
    redis = await startRedisServer();
    s = await startFeedsStack({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await client?.dispose();
    await s?.stop();
    await redis?.close();
  });

  const publish = (data: FeedData) => s.stack.transport.bus.publish(feedTopic(DEMO.schools.demo.id, 'live'), data);

  it('keeps delivering, and delivers what was published while Redis was down', async () => {
    const after = await publish({ kind: 'MARK' });
    client = connectClient(s.wsUrl, { token: await s.token({ userId: DEMO.users.demoStudent.id, roles: ['STUDENT'] }), tenant: 'demo' });
    const sub = subscribe(client.client, FEED, { after });
    await publish({ kind: 'BEFORE', actorId: DEMO.users.demoTeacher.id });
    await eventually(() => expect(sub.results.map((r) => r.data.feedEvents.kind)).toEqual(['BEFORE']));

    await redis.stop();
    // These wait in the publisher's queue until Redis answers again.
    const whileDown = [publish({ kind: 'DOWN_1' }), publish({ kind: 'DOWN_2', actorId: DEMO.users.demoTeacher.id })];
    await redis.start();
    await Promise.all(whileDown);
    await publish({ kind: 'AFTER' });

    await eventually(() => expect(sub.results.map((r) => r.data.feedEvents.kind)).toEqual(['BEFORE', 'DOWN_1', 'DOWN_2', 'AFTER']), 30_000);
    expect(sub.results[2].data.feedEvents.actor.displayName).toBe(DEMO.users.demoTeacher.displayName);
    expect(sub.completed).toBe(false);
    expect(client.closes).toEqual([]);
  });
});
