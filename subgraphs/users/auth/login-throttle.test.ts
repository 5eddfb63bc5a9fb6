import { RateLimiterMemory } from 'rate-limiter-flexible';
import { DEMO } from '../../../platform/demo';
import { codes } from '../../../testkit/graphql-client';
import { startStack, type Stack } from '../../../testkit/stack';
import { LOGIN_THROTTLE, LoginThrottle, slowdownMs, sourceOf } from './login-throttle';

const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';

/**
 * Login throttling through the gateway, on Redis limiters (mysql) and in-process ones (sqlite):
 * the source that keeps failing on an account is refused for that account, while the right
 * password from another source still works; failures spread over accounts from one address (a
 * school behind NAT) refuse nobody. The gateway trusts one proxy here, so X-Forwarded-For names
 * the client, as a load balancer would.
 */
describe.each(['mysql', 'sqlite'] as const)('login throttling through the gateway (%s)', (dialect) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(dialect, { TRUST_PROXY: '1' }, { subgraphs: ['users'] });
  });
  afterAll(() => stack.stop());

  const login = (email: string, password: string, from: string, tenant = 'demo') =>
    stack.gql(LOGIN, { tenant, variables: { e: email, p: password }, headers: { 'x-forwarded-for': from } });

  it('refuses the source that failed 10 times on a student, with the wait; the right password from another source works', async () => {
    const [a, b] = ['203.0.113.10', '198.51.100.20'];
    for (let i = 0; i < LOGIN_THROTTLE.perAccountAndSource; i++) {
      expect(codes(await login('student@demo.test', `wrong-${i}`, a))).toEqual(['UNAUTHENTICATED']);
    }
    const refused = await login('student@demo.test', DEMO.password, a);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    const retry = refused.body.errors![0].extensions!.retryAfterSeconds as number;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(LOGIN_THROTTLE.blockSeconds);

    expect((await login('student@demo.test', DEMO.password, b)).body.data.login.accessToken).toEqual(expect.any(String));
    // Source A is refused for that student only.
    expect((await login('teacher@demo.test', DEMO.password, a)).body.data.login.accessToken).toEqual(expect.any(String));
  });

  it('does not refuse a school behind one address when 30 accounts each fail once from it', async () => {
    const school = '192.0.2.55';
    for (let i = 0; i < 30; i++) {
      expect(codes(await login(`pupil-${i}@demo.test`, 'not-my-password', school))).toEqual(['UNAUTHENTICATED']);
    }
    expect((await login('parent@demo.test', DEMO.password, school)).body.data.login.accessToken).toEqual(expect.any(String));
    // And someone who mistyped once gets in next.
    expect(codes(await login('admin@nile.test', 'typo', school, 'nile'))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await login('admin@nile.test', DEMO.password, school, 'nile'))).toEqual([]);
  });

  it('counts an IPv6 client by its /64, so hopping addresses inside it does not reset the count', async () => {
    for (let i = 1; i <= LOGIN_THROTTLE.perAccountAndSource; i++) {
      expect(codes(await login('admin@demo.test', `wrong-${i}`, `2001:db8:aa:1::${i.toString(16)}`))).toEqual(['UNAUTHENTICATED']);
    }
    expect(codes(await login('admin@demo.test', DEMO.password, '2001:db8:aa:1::ffff'))).toEqual(['RATE_LIMITED']);
    expect(codes(await login('admin@demo.test', DEMO.password, '2001:db8:aa:2::1'))).toEqual([]);
  });
});

describe('login slowdown', () => {
  const limiters = () => ({
    perAccountAndSource: new RateLimiterMemory({ points: LOGIN_THROTTLE.perAccountAndSource, duration: 900, blockDuration: 900 }),
    perAccount: new RateLimiterMemory({ points: Number.MAX_SAFE_INTEGER, duration: 900 }),
    perSource: new RateLimiterMemory({ points: Number.MAX_SAFE_INTEGER, duration: 900 }),
  });

  it('slows every attempt on an account failing from many sources, doubling up to 8 s, and never refuses', async () => {
    const waits: number[] = [];
    const throttle = new LoginThrottle(limiters(), LOGIN_THROTTLE, async (ms) => waits.push(ms));
    const account = 'school:student@demo.test';
    // 25 sources, one failure each: none reaches its own limit.
    for (let i = 0; i < 25; i++) {
      await throttle.before(account, `198.51.100.${i}`);
      await throttle.failed(account, `198.51.100.${i}`);
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000]);
    // The owner, from anywhere, is slowed (8 s at most), not refused.
    await expect(throttle.before(account, '203.0.113.7')).resolves.toBeUndefined();
    expect(waits.at(-1)).toBe(8000);
  });

  it('slows a source failing on many accounts from its 100th failure on', () => {
    expect([99, 100, 101, 102, 110].map((n) => slowdownMs(n, LOGIN_THROTTLE.perSource))).toEqual([0, 500, 1000, 2000, 8000]);
    expect(slowdownMs(10_000, LOGIN_THROTTLE.perSource)).toBe(8000);
  });

  it('keys a source by IPv4 address or IPv6 /64', () => {
    expect(sourceOf('203.0.113.10')).toBe('203.0.113.10');
    expect(sourceOf('::ffff:203.0.113.10')).toBe('203.0.113.10');
    expect(sourceOf('2001:db8:aa:1::5')).toBe('2001:db8:aa:1::/64');
    expect(sourceOf('2001:db8:aa:1:ffff:ffff:ffff:ffff')).toBe('2001:db8:aa:1::/64');
    expect(sourceOf(undefined)).toBe('unknown');
  });
});
