import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import { GraphQLError } from 'graphql';
import { INTERNAL_CONTEXT_HEADER } from '../../platform/auth/internal-context';
import { createMemoryBus } from '../../platform/bus/memory-bus';
import { DEMO } from '../../platform/demo';
import { createLogger } from '../../platform/logger';
import { Topics } from '../../platform/transport';
import type { SubgraphService } from '../../platform/subgraph/host';
import { RefreshToken } from '../../subgraphs/users/auth/refresh-token.entity';
import { eventually } from '../../testkit/eventually';
import { codes, gql, request } from '../../testkit/graphql-client';
import { startRedisServer, type OwnRedis } from '../../testkit/redis-server';
import { uniqueName } from '../../testkit/services';
import { startStack, type Stack } from '../../testkit/stack';
import { createGatewayService, type GatewayService } from '../app';
import { gatewayConfigFromEnv } from '../env';
import { trackRevokedSessions, type RevokedSessionRecord } from './revoked-sessions';
import { TENANT_FILTER } from '../../platform/db/tenant';

const ME = '{ me { id } }';

/**
 * Revocations outlive Redis: the users database is their record. On a redis-server of this
 * test's own without persistence (a restart loses everything, like a flush), gateways started
 * after the loss, or while Redis is down, still refuse the tokens of revoked sessions.
 */
describe('revoked sessions, durably', () => {
  let redis: OwnRedis;
  let stack: Stack;
  const gateways: GatewayService[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ persist: false });
    stack = await startStack('mysql', { REDIS_URL: redis.url }, { subgraphs: ['users'] });
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await stack?.stop();
    await redis?.close();
  });

  /** Another gateway on the same subgraphs, with its own bus and limiter connections to the own Redis. */
  const startGateway = async () => {
    const gateway = createGatewayService(
      gatewayConfigFromEnv({
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
        HOST: '127.0.0.1',
        PORT: '0',
        INTERNAL_SIGNING_KEYS: stack.keys.internal,
        SUBGRAPH_URLS: `users=${stack.url('users')}/graphql`,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `${uniqueName('gw')}:`,
      }),
    );
    gateways.push(gateway);
    return (await gateway.start()).url;
  };
  const me = (url: string, token: string) => gql(url, ME, { tenant: 'demo', token });
  const logout = (refreshToken: string) =>
    stack.gql('mutation($t: String!) { logout(refreshToken: $t) }', { tenant: 'demo', variables: { t: refreshToken } });

  it('refuses a revoked session on a gateway started after Redis lost its data', async () => {
    const session = await stack.login(DEMO.users.demoStudent.email);
    const other = await stack.login(DEMO.users.demoTeacher.email);
    expect((await me(stack.gatewayUrl, session.accessToken)).body.data.me.id).toBe(session.userId);
    expect((await logout(session.refreshToken)).body.data.logout).toBe(true);
    await eventually(async () => expect(codes(await me(stack.gatewayUrl, session.accessToken))).toEqual(['UNAUTHENTICATED']));

    const admin = new Redis(redis.url);
    await admin.flushall();
    await admin.quit();
    const url = await startGateway();

    const refused = await me(url, session.accessToken);
    expect(refused.status).toBe(401);
    expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
    expect((await me(url, other.accessToken)).body.data.me.id).toBe(other.userId);
  });

  it('starts while Redis is down, and learns what the bus missed once Redis is back', async () => {
    const session = await stack.login(DEMO.users.demoParent.email);
    await redis.stop({ kill: true });
    const url = await startGateway();
    // Queries, limits and the last known state without Redis.
    expect((await me(url, session.accessToken)).body.data.me.id).toBe(session.userId);

    // A revocation whose announcement never reached the bus (only the database has it).
    const users = stack.service<SubgraphService>('users').orm().em.fork();
    await users.nativeUpdate(
      RefreshToken,
      { familyId: decodeJwt(session.accessToken).sid as string },
      { revokedAt: new Date() },
      { filters: { [TENANT_FILTER]: false } },
    );
    await redis.start();

    // Both the new gateway (its subscription only now comes up) and the running one (its
    // subscription resumed) fill the gap from the database.
    for (const gatewayUrl of [url, stack.gatewayUrl]) {
      await eventually(async () => expect(codes(await me(gatewayUrl, session.accessToken))).toEqual(['UNAUTHENTICATED']));
    }
  });

  it('serves the list to the gateway only', async () => {
    const res = await request(`${stack.url('users')}/internal/sessions/revoked`, { method: 'GET' });
    expect(res.status).toBe(401);
    const forged = await request(`${stack.url('users')}/internal/sessions/revoked`, {
      method: 'GET',
      headers: { [INTERNAL_CONTEXT_HEADER]: 'not-a-token' },
    });
    expect(forged.status).toBe(401);
  });
});

describe('the revoked-session tracker', () => {
  it('fails closed until the users database answered, then follows both sources', async () => {
    const bus = createMemoryBus();
    const users: { answer?: RevokedSessionRecord[] } = {};
    const tracker = trackRevokedSessions({
      bus,
      load: async () => {
        if (!users.answer) throw new Error('users unreachable');
        return users.answer;
      },
      logger: createLogger('test'),
      startWaitMs: 50,
    });
    const learned: string[] = [];
    tracker.onRevoked((sid) => learned.push(sid));
    await tracker.start();
    expect(tracker.loaded).toBe(false);
    const unavailable = (() => {
      try {
        return tracker.has('s-1');
      } catch (err) {
        return err instanceof GraphQLError && err.extensions;
      }
    })();
    expect(unavailable).toMatchObject({ code: 'SERVICE_UNAVAILABLE', serviceName: 'users', retryAfterSeconds: 5 });
    expect(tracker.has(undefined)).toBe(false);

    // Retried in the background until users answers; expired records are ignored.
    users.answer = [
      { sessionId: 's-1', tokensValidUntil: new Date(Date.now() + 60_000).toISOString() },
      { sessionId: 's-old', tokensValidUntil: new Date(Date.now() - 1000).toISOString() },
    ];
    await eventually(() => expect(tracker.loaded).toBe(true));
    expect([tracker.has('s-1'), tracker.has('s-old'), tracker.has('s-2')]).toEqual([true, false, false]);

    await bus.publish(Topics.revokedSessions, { sessionId: 's-2', schoolId: 'x', at: new Date().toISOString() });
    await eventually(() => expect(tracker.has('s-2')).toBe(true));
    // Listeners (open subscriptions of the session are closed) hear of each session once, whichever source told first.
    expect(learned).toEqual(['s-1', 's-2']);
    await tracker.stop();
    await bus.close();
  });
});
