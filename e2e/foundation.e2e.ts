import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { onMysqlServer } from '../platform/db/orm';
import { DEMO } from '../platform/demo';
import { codes, gql, request } from '../testkit/graphql-client';
import { testKeys } from '../testkit/keys';
import { testServices, uniqueName } from '../testkit/services';
import { listening, productionEnv, removeProductionData, startProcess, STARTED, type RunningProcess } from './support/process';

const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id } } }';
const ME = '{ me { displayName roles school { slug } } }';

/** The quickstart as a newcomer runs it: `npm start` (compiled), embedded mode, fresh data folder. */
describe('npm start (embedded mode, real process)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'manassa-start-'));
  const env = { DATA_DIR: dataDir, PORT: '0', NODE_ENV: 'development' };
  let app: RunningProcess;
  beforeAll(async () => {
    app = await startProcess('scripts/start.js', env, STARTED);
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the school, logs the teacher in and answers me, by header and by subdomain', async () => {
    expect((await gql(app.url, '{ school { name } }', { tenant: 'demo' })).body.data).toEqual({ school: { name: DEMO.schools.demo.name } });
    const login = await gql(app.url, LOGIN, { tenant: 'demo', variables: { e: 'teacher@demo.test', p: DEMO.password } });
    const token = login.body.data.login.accessToken;
    expect((await gql(app.url, ME, { tenant: 'demo', token })).body.data.me).toEqual({
      displayName: DEMO.users.demoTeacher.displayName,
      roles: ['TEACHER'],
      school: { slug: 'demo' },
    });
    expect((await gql(app.url, ME, { token, headers: { host: 'demo.localhost' } })).body.data.me.school.slug).toBe('demo');
  });

  it('prints a sample query and stops cleanly on SIGTERM; a restart keeps the data and seeds nothing twice', async () => {
    expect(app.output()).toMatch(/curl -s http:\/\/localhost:\d+\/graphql/);
    const invite = await gql(app.url, LOGIN, { tenant: 'demo', variables: { e: 'admin@demo.test', p: DEMO.password } });
    const admin = invite.body.data.login.accessToken;
    const before = await gql(app.url, '{ users(first: 100) { totalCount } }', { tenant: 'demo', token: admin });
    expect(await app.stop()).toBe(0);
    app = await startProcess('scripts/start.js', env, STARTED);
    const again = await gql(app.url, LOGIN, { tenant: 'demo', variables: { e: 'admin@demo.test', p: DEMO.password } });
    const after = await gql(app.url, '{ users(first: 100) { totalCount } }', { tenant: 'demo', token: again.body.data.login.accessToken });
    expect(after.body.data.users.totalCount).toBe(before.body.data.users.totalCount);
  });
});

/**
 * Production mode: each service its own process, on MariaDB, Redis and RabbitMQ, configured only
 * through environment variables, as in k8s.
 */
describe('separate processes on MariaDB, Redis and RabbitMQ', () => {
  const prefix = uniqueName('e2e');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'manassa-prod-'));
  let users: RunningProcess;
  let gateway: RunningProcess;
  beforeAll(async () => {
    const keys = await testKeys();
    const shared = productionEnv(prefix, dataDir);
    users = await startProcess(
      'subgraphs/users/index.js',
      { ...shared, USERS_PORT: '0', SEED_DEMO: '1', ACCESS_TOKEN_SIGNING_KEYS: keys.access, INTERNAL_JWKS: keys.internalPublic },
      listening('users'),
    );
    gateway = await startProcess(
      'gateway/index.js',
      { ...shared, PORT: '0', INTERNAL_SIGNING_KEYS: keys.internal, SUBGRAPH_URLS: `users=${users.url}/graphql` },
      listening('gateway'),
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await users?.stop();
    await removeProductionData(prefix, dataDir);
  });

  it('logs in, rotates refresh tokens and revokes the family on reuse', async () => {
    const login = await gql(gateway.url, LOGIN, { tenant: 'demo', variables: { e: 'student@demo.test', p: DEMO.password } });
    const first = login.body.data.login;
    const REFRESH = 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }';
    const second = (await gql(gateway.url, REFRESH, { tenant: 'demo', variables: { t: first.refreshToken } })).body.data.refreshToken;
    expect(codes(await gql(gateway.url, REFRESH, { tenant: 'demo', variables: { t: first.refreshToken } }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(gateway.url, REFRESH, { tenant: 'demo', variables: { t: second.refreshToken } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('isolates tenants and hides introspection and error details in production', async () => {
    const admin = (await gql(gateway.url, LOGIN, { tenant: 'demo', variables: { e: 'admin@demo.test', p: DEMO.password } })).body.data.login
      .accessToken;
    const nile = await gql(gateway.url, 'query($id: ID!) { user(id: $id) { id } }', {
      tenant: 'demo',
      token: admin,
      variables: { id: DEMO.users.nileAdmin.id },
    });
    expect(nile.body.data.user).toBeNull();
    expect(codes(await gql(gateway.url, ME, { tenant: 'nile', token: admin }))).toEqual(['UNAUTHENTICATED']);
    const introspection = await gql(gateway.url, '{ __schema { types { name } } }', { tenant: 'demo' });
    expect(codes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const typo = await gql(gateway.url, '{ school { nam } }', { tenant: 'demo' });
    expect(typo.body.errors![0].message).not.toMatch(/Did you mean/);
  });

  it('refuses direct subgraph calls and survives bad input', async () => {
    const direct = await request(`${users.url}/graphql`, {
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ school { name } }"}',
    });
    expect(direct.status).toBe(401);
    for (const body of ['{"query":', JSON.stringify({ query: '{ school {' }), 'x'.repeat(2_000_000)]) {
      const res = await request(gateway.url, { headers: { 'content-type': 'application/json', 'x-tenant-id': 'demo' }, body });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(JSON.parse(res.text).errors[0].extensions.code).toMatch(/^[A-Z_]+$/);
    }
    expect((await gql(gateway.url, '{ school { slug } }', { tenant: 'demo' })).body.data.school.slug).toBe('demo');
  });

  it('exits 0 on SIGTERM', async () => {
    expect(await gateway.stop()).toBe(0);
    expect(await users.stop()).toBe(0);
  });
});

/** The same `npm start` with the three URLs set uses MariaDB, Redis and RabbitMQ instead. */
describe('npm start with DATABASE_URL, REDIS_URL and AMQP_URL', () => {
  const prefix = uniqueName('start');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'manassa-start-prod-'));
  let app: RunningProcess;
  beforeAll(async () => {
    app = await startProcess(
      'scripts/start.js',
      // As a developer would run it: demo data on, services on their default interfaces.
      { ...withoutHost(productionEnv(prefix, dataDir)), NODE_ENV: 'development', PORT: '0' },
      STARTED,
    );
  });
  afterAll(async () => {
    await app?.stop();
    await removeProductionData(prefix, dataDir);
  });

  it('stores in MariaDB and announces revocations on Redis', async () => {
    expect(app.output()).toMatch(/\[database: MySQL at \S+, live bus: Redis at \S+, broker: RabbitMQ at \S+\]/);
    const login = await gql(app.url, LOGIN, { tenant: 'demo', variables: { e: 'parent@demo.test', p: DEMO.password } });
    await gql(app.url, 'mutation($t: String!) { logout(refreshToken: $t) }', {
      tenant: 'demo',
      variables: { t: login.body.data.login.refreshToken },
    });
    const [rows] = await onMysqlServer(testServices.mysqlUrl, (conn) =>
      conn.query(`select count(*) as n from \`${prefix}_users\`.refresh_token where revoked_at is not null`),
    );
    expect((rows as Array<{ n: number }>)[0].n).toBeGreaterThanOrEqual(1);
    const redis = new Redis(testServices.redisUrl);
    expect(await redis.xlen(`${prefix}:bus:auth.sessions.revoked`)).toBe(1);
    await redis.quit();
  });
});

function withoutHost(env: Record<string, string>): Record<string, string> {
  const { HOST: _host, ...rest } = env;
  return rest;
}
