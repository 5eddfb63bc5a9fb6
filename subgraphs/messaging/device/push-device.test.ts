import { TENANT_FILTER } from '../../../platform/db/tenant';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { startStack, type Stack } from '../../../testkit/stack';
import { PushDevice } from './push-device.entity';

const REGISTER = 'mutation($t: String!, $p: String!) { registerPushDevice(token: $t, platform: $p) }';
const UNREGISTER = 'mutation($t: String!) { unregisterPushDevice(token: $t) }';

/**
 * `registerPushDevice` / `unregisterPushDevice` through the gateway (MariaDB): one row per school
 * and token, moved to whoever registers it last, even when registrations race; only signed-in
 * people, only their own devices, only valid platforms and tokens.
 */
describe('push devices (mysql)', () => {
  let stack: Stack;
  let student: { accessToken: string; userId: string };
  let parent: { accessToken: string; userId: string };
  let nileAdmin: { accessToken: string; userId: string };

  beforeAll(async () => {
    stack = await startStack('mysql', {}, { subgraphs: ['users', 'messaging'] });
    [student, parent, nileAdmin] = await Promise.all([
      stack.login('student@demo.test'),
      stack.login('parent@demo.test'),
      stack.login('admin@nile.test', 'nile'),
    ]);
  });
  afterAll(() => stack?.stop());

  const devices = (token: string) =>
    stack
      .service<SubgraphService>('messaging')
      .orm()
      .em.fork()
      .find(PushDevice, { token }, { filters: { [TENANT_FILTER]: false }, orderBy: { schoolId: 'asc' } });
  const as = (who: { accessToken: string }, query: string, variables: Record<string, unknown>, tenant = 'demo') =>
    stack.gql(query, { tenant, token: who.accessToken, variables });
  const token = (label: string) => `${label}:${Math.random().toString(36).slice(2)}-APA91b${'x'.repeat(140)}`;

  it('registers a device, once per token, refreshing it on every start', async () => {
    const t = token('phone');
    const first = await as(student, REGISTER, { t, p: 'android' });
    expect(first.body).toEqual({ data: { registerPushDevice: true } });
    const [row] = await devices(t);
    expect(row).toMatchObject({ userId: student.userId, platform: 'android' });
    expect((await as(student, REGISTER, { t, p: 'ANDROID' })).body.data).toEqual({ registerPushDevice: true });
    const again = await devices(t);
    expect(again).toHaveLength(1);
    expect(again[0].id).toBe(row.id);
    expect(again[0].lastSeenAt.getTime()).toBeGreaterThanOrEqual(row.lastSeenAt.getTime());
  });

  it('moves a token to whoever registers it last, also when registrations race', async () => {
    const t = token('shared-tablet');
    await as(student, REGISTER, { t, p: 'ios' });
    await as(parent, REGISTER, { t, p: 'ios' });
    expect((await devices(t)).map((d) => d.userId)).toEqual([parent.userId]);

    const raced = token('raced');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => as(i % 2 ? parent : student, REGISTER, { t: raced, p: i % 2 ? 'web' : 'android' })),
    );
    expect(answers.map((a) => a.body)).toEqual(answers.map(() => ({ data: { registerPushDevice: true } })));
    const rows = await devices(raced);
    expect(rows).toHaveLength(1);
    expect([student.userId, parent.userId]).toContain(rows[0].userId);
  });

  it('keeps schools apart: the same token in another school is another row, untouched by this one', async () => {
    const t = token('two-schools');
    await as(student, REGISTER, { t, p: 'android' });
    await as(nileAdmin, REGISTER, { t, p: 'web' }, 'nile');
    const rows = await devices(t);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.userId).sort()).toEqual([student.userId, nileAdmin.userId].sort());
    // Unregistering in demo leaves nile's.
    expect((await as(student, UNREGISTER, { t })).body.data).toEqual({ unregisterPushDevice: true });
    expect((await devices(t)).map((r) => r.userId)).toEqual([nileAdmin.userId]);
  });

  it('unregisters only the caller’s own device', async () => {
    const t = token('parents-phone');
    await as(parent, REGISTER, { t, p: 'ios' });
    expect((await as(student, UNREGISTER, { t })).body.data).toEqual({ unregisterPushDevice: false });
    expect(await devices(t)).toHaveLength(1);
    expect((await as(parent, UNREGISTER, { t })).body.data).toEqual({ unregisterPushDevice: true });
    expect(await devices(t)).toHaveLength(0);
    expect((await as(parent, UNREGISTER, { t })).body.data).toEqual({ unregisterPushDevice: false });
  });

  it('refuses anonymous callers, unknown platforms and bad tokens, storing nothing', async () => {
    const t = token('refused');
    const anonymous = await stack.gql(REGISTER, { tenant: 'demo', variables: { t, p: 'android' } });
    expect(anonymous.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const cases: Array<[string, string, string]> = [
      [t, 'symbian', 'platform must be ios, android or web'],
      ['', 'android', 'token must be 1 to 4096 characters without spaces'],
      ['   ', 'android', 'token must be 1 to 4096 characters without spaces'],
      ['a b', 'android', 'token must be 1 to 4096 characters without spaces'],
      ['x'.repeat(4097), 'android', 'token must be 1 to 4096 characters without spaces'],
    ];
    for (const [tok, p, message] of cases) {
      const answer = await as(student, REGISTER, { t: tok, p });
      expect(answer.body.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect(await devices(t)).toHaveLength(0);
    // The longest token the column holds is fine.
    const longest = 'y'.repeat(4096);
    expect((await as(student, REGISTER, { t: longest, p: 'web' })).body.data).toEqual({ registerPushDevice: true });
    expect(await devices(longest)).toHaveLength(1);
  });

  it('answers in Arabic when asked', async () => {
    const answer = await stack.gql(REGISTER, {
      tenant: 'demo',
      token: student.accessToken,
      variables: { t: token('ar'), p: 'nokia' },
      headers: { 'accept-language': 'ar' },
    });
    expect(answer.body.errors?.[0].message).toBe('يجب أن تكون المنصة ios أو android أو web');
  });
});
