import { createGatewayService, type GatewayService } from '../../gateway/app';
import { gatewayConfigFromEnv } from '../../gateway/env';
import { createUsersService, type UsersService } from '../../subgraphs/users/app';
import { usersConfigFromEnv } from '../../subgraphs/users/env';
import { createMessaging, type Messaging } from '../messaging';
import { testDatabase, type TestDialect } from './database';
import { gql, type GqlOptions } from './graphql-client';
import { testKeys } from './keys';
import { testServices, uniqueName } from './services';

export interface Stack {
  gatewayUrl: string;
  usersUrl: string;
  users: UsersService;
  gateway: GatewayService;
  keys: Awaited<ReturnType<typeof testKeys>>;
  messaging: Messaging;
  gql: <T = any>(query: string, opts?: GqlOptions) => ReturnType<typeof gql<T>>;
  /** Logs in a seeded demo user (password manassa-demo) and returns the tokens. */
  login(email: string, tenant?: string): Promise<{ accessToken: string; refreshToken: string; userId: string }>;
  stop(): Promise<void>;
}

/**
 * The users subgraph and the gateway in this process, on free ports, with their own database
 * (MariaDB or SQLite), fresh keys and the demo data. With `dialect: 'mysql'` rate limits use the
 * real Redis as in production.
 */
export async function startStack(dialect: TestDialect, env: Record<string, string> = {}): Promise<Stack> {
  const keys = await testKeys();
  const db = testDatabase(dialect, 'users');
  const common = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    ...db.env,
    ...(dialect === 'mysql' ? { REDIS_URL: testServices.redisUrl, AMQP_URL: testServices.amqpUrl, REDIS_KEY_PREFIX: `${uniqueName('test')}:` } : {}),
    ...env,
  };
  const messaging = createMessaging({ redisUrl: common.REDIS_URL, amqpUrl: common.AMQP_URL, redisPrefix: common.REDIS_KEY_PREFIX, name: 'test' });
  const users = createUsersService({
    ...usersConfigFromEnv({ ...common, USERS_PORT: '0', ACCESS_TOKEN_SIGNING_KEYS: keys.access, INTERNAL_JWKS: keys.internalPublic, SEED_DEMO: '1', ARGON2_MEMORY_KIB: '8192', ...env }),
    database: { ...usersConfigFromEnv(common).database, ...db.options },
  }, messaging);
  const usersStarted = await users.start();
  const gateway = createGatewayService(
    gatewayConfigFromEnv({ ...common, PORT: '0', INTERNAL_SIGNING_KEYS: keys.internal, SUBGRAPH_URLS: `users=${usersStarted.url}/graphql` }),
    messaging,
  );
  const { url: gatewayUrl } = await gateway.start();
  const stack: Stack = {
    gatewayUrl,
    usersUrl: usersStarted.url,
    users,
    gateway,
    keys,
    messaging,
    gql: (query, opts) => gql(gatewayUrl, query, opts),
    async login(email, tenant = 'demo') {
      const r = await gql(gatewayUrl, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id } } }', {
        tenant,
        variables: { e: email, p: 'manassa-demo' },
      });
      if (!r.body.data?.login) throw new Error(`login failed: ${JSON.stringify(r.body.errors)}`);
      const l = r.body.data.login;
      return { accessToken: l.accessToken, refreshToken: l.refreshToken, userId: l.user.id };
    },
    async stop() {
      await gateway.stop();
      await users.stop();
      await messaging.close();
      await db.drop();
    },
  };
  return stack;
}
