import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DEMO } from '../../platform/demo';
import { eventually } from '../../testkit/eventually';
import { codes } from '../../testkit/graphql-client';
import { metric } from '../../testkit/metrics';
import { startFeedsStack, type FeedsStack } from '../../testkit/subscriptions/feeds-stack';
import { connectClient, subscribe, type TestClient, type TestSubscription } from '../../testkit/subscriptions/ws-clients';

const FEED = 'subscription Feed($channel: String!) { feedEvents(channel: $channel) { id kind } }';
const REQUESTS_PER_MINUTE = 40;

/**
 * Per-school limits end to end (gateway on MariaDB-backed users and the real Redis): a school at
 * its subscription limit is refused RATE_LIMITED on subscribe, with the wait, while another
 * school subscribes; a completed subscription or a closed socket frees its slot; a school over its
 * request rate gets 429 with Retry-After while another school's requests succeed.
 */
describe('per-school limits', () => {
  let s: FeedsStack;
  let redis: Redis;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    s = await startFeedsStack({
      env: { SCHOOL_MAX_SUBSCRIPTIONS: '2', SCHOOL_REQUESTS_PER_MINUTE: String(REQUESTS_PER_MINUTE) },
    });
    redis = new Redis(s.redisUrl);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(async () => {
    redis?.disconnect();
    await s?.stop();
  });

  const open = async (school: 'demo' | 'nile') => {
    const client = connectClient(s.wsUrl, { token: await s.token({ userId: randomUUID(), roles: ['STUDENT'], school }), tenant: school });
    clients.push(client);
    return client;
  };
  const members = () => metric(s.gatewayBase, 'subscription_members');
  /** Subscribes and waits until the gateway holds `expected` subscribers (this one admitted). */
  const follow = async (client: TestClient, expected: number): Promise<TestSubscription> => {
    const sub = subscribe(client.client, FEED, { channel: 'limits' });
    await eventually(async () => expect(await members()).toBe(expected));
    expect(sub.completed).toBe(false);
    return sub;
  };
  /** Subscribes and waits for the refusal. */
  const refused = async (client: TestClient) => {
    const sub = subscribe(client.client, FEED, { channel: 'limits' });
    await eventually(() => expect(sub.completed).toBe(true));
    expect(sub.results).toHaveLength(1);
    return sub.results[0].errors?.[0];
  };
  /** This gateway's count of the school's slots in Redis. */
  const counted = async (school: 'demo' | 'nile') => {
    const fields = await redis.hgetall(`${s.redisPrefix}school-subs:${DEMO.schools[school].id}`);
    return Object.values(fields).reduce((sum, n) => sum + Number(n), 0);
  };

  it('refuses a subscription over the school’s limit, with the wait, while another school subscribes', async () => {
    await eventually(async () => expect(await members()).toBe(0));
    const first = await follow(await open('demo'), 1);
    const second = await follow(await open('demo'), 2);
    expect(await refused(await open('demo'))).toMatchObject({
      message: 'This school has reached its limit of 2 live subscriptions',
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 30 },
    });
    expect([first.completed, second.completed]).toEqual([false, false]);
    expect(await counted('demo')).toBe(2);

    // Nile has slots of its own.
    const nile = await follow(await open('nile'), 3);
    expect(nile.results).toEqual([]);
    expect(await counted('nile')).toBe(1);
  });

  it('frees a slot when a subscription is completed and when its socket closes', async () => {
    await eventually(async () => expect(await members()).toBe(0));
    await eventually(async () => expect(await counted('demo')).toBe(0));
    const a = await open('demo');
    const completing = await follow(a, 1);
    const closing = await open('demo');
    await follow(closing, 2);
    expect((await refused(await open('demo')))?.extensions?.code).toBe('RATE_LIMITED');

    completing.stop();
    await eventually(async () => expect(await counted('demo')).toBe(1));
    await follow(await open('demo'), 2);

    await closing.dispose();
    await eventually(async () => expect(await counted('demo')).toBe(1));
    // The same socket subscribes again once a slot is free.
    await follow(a, 2);
    expect((await refused(await open('demo')))?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('answers a school over its request rate 429 with Retry-After, while another school’s requests succeed', async () => {
    const school = (tenant: string) => s.stack.gql('{ school { slug } }', { tenant });
    let refused: Awaited<ReturnType<typeof school>> | undefined;
    // The subscribe messages above counted too: whatever is left of nile's minute, then refused.
    for (let i = 0; i <= REQUESTS_PER_MINUTE && !refused; i++) {
      const res = await school('nile');
      if (res.status !== 200) refused = res;
      else expect(res.body.data.school.slug).toBe('nile');
    }
    expect(refused?.status).toBe(429);
    expect(codes(refused!)).toEqual(['RATE_LIMITED']);
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused!.body.errors?.[0].extensions?.retryAfterSeconds).toBe(Number(refused!.headers['retry-after']));

    const demo = await school('demo');
    expect(demo.status).toBe(200);
    expect(demo.body.data.school.slug).toBe('demo');
    // In the school's language when asked: translated like every refusal of the edge.
    const ar = await s.stack.gql('{ school { slug } }', { tenant: 'nile', headers: { 'accept-language': 'ar' } });
    expect(ar.body.errors?.[0].message).toMatch(/^أرسلت هذه المدرسة طلبات كثيرة جدًا/);
    // A subscribe message is a request of the school too.
    const sub = subscribe((await open('nile')).client, FEED, { channel: 'limits' });
    await eventually(() => expect(sub.error).toBeDefined());
    expect((sub.error as Array<{ extensions: { code: string; retryAfterSeconds: number } }>)[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
  });
});
