import type { MikroORM } from '@mikro-orm/core';
import Redis from 'ioredis';
import { createInternalContextVerifier } from '../../platform/auth/internal-context';
import { loadPublicJwks, loadSigningKeys } from '../../platform/auth/keys';
import { openDatabase } from '../../platform/db/orm';
import { createHttpApp, listen, type RunningServer } from '../../platform/http';
import { createLogger } from '../../platform/logger';
import { createMetrics } from '../../platform/metrics';
import { createTransport, Topics, type Transport, type SessionRevoked } from '../../platform/transport';
import { createLimiter } from '../../platform/rate-limit';
import { Shutdown, type Service } from '../../platform/service';
import { mountSubgraph } from '../../platform/graphql/subgraph-server';
import { startOutboxRelay } from '../../platform/outbox/outbox';
import { createAccessTokenIssuer } from '../../platform/auth/access-token';
import { AuthResolver } from './auth/auth.resolver';
import { AuthService } from './auth/auth.service';
import { createPasswordHasher } from './auth/password';
import { SessionService } from './auth/session.service';
import { createLoaders } from './context';
import { usersDatabase } from './database';
import type { UsersConfig } from './env';
import { GuardianResolver } from './guardian/guardian.resolver';
import { GuardianService } from './guardian/guardian.service';
import { InvitationResolver } from './invitation/invitation.resolver';
import { InvitationService } from './invitation/invitation.service';
import { tenantRoute } from './school/tenant.route';
import { buildUsersSchema } from './schema';
import { seedDemo } from './seed';

export interface UsersService extends Service {
  /** Available after start(); tests use it to arrange data. */
  orm(): MikroORM;
}

/**
 * The users subgraph: schools (tenants), people, guardians, invitations and authentication.
 * Serves /graphql (gateway-signed calls only), /.well-known/jwks.json (the public keys the
 * gateway verifies access tokens with) and /internal/tenants/:slug. Publishes its domain events
 * (guardian.linked) through the outbox.
 */
export function createUsersService(
  config: UsersConfig & { database: { dbName?: string; sqlitePath?: string } },
  /** Shared transport (embedded mode); by default the service opens its own from the config. */
  shared?: Transport,
): UsersService {
  const logger = createLogger('users');
  const metrics = createMetrics('users');
  const shutdown = new Shutdown(logger);
  let orm: MikroORM | undefined;
  let server: RunningServer | undefined;

  return {
    name: 'users',
    orm: () => orm!,
    async start() {
      orm = await openDatabase({ ...usersDatabase, ...config.database, logger });
      shutdown.add('data', 'database', () => orm!.close());
      const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 }) : undefined;
      if (redis) shutdown.add('data', 'redis', () => redis.quit());

      const transport =
        shared ??
        createTransport({ redisUrl: config.redisUrl, amqpUrl: config.amqpUrl, redisPrefix: config.redisPrefix, name: 'users', logger });
      if (!shared) shutdown.add('data', 'transport', () => transport.close());
      const announceRevoked = async (sessionId: string, schoolId: string) => {
        const event: SessionRevoked = { sessionId, schoolId, at: new Date().toISOString() };
        await transport.bus
          .publish(Topics.revokedSessions, event)
          .catch((err) => logger.error({ err, sessionId }, 'could not announce a revoked session'));
      };
      const accessKeys = await loadSigningKeys(config.accessKeys.json, config.accessKeys.file);
      const verifyContext = createInternalContextVerifier(loadPublicJwks(config.internalKeys.json, config.internalKeys.file), 'users');
      const hasher = createPasswordHasher(config.argon2);
      const sessions = new SessionService(
        createAccessTokenIssuer(accessKeys, config.accessTokenTtlSeconds),
        config.refreshTokenTtlSeconds,
        announceRevoked,
      );
      const auth = new AuthService(hasher, sessions, {
        perAccount: createLimiter(
          { name: 'login-account', points: 5, duration: 15 * 60, blockDuration: 15 * 60 },
          redis,
          config.redisPrefix,
        ),
        perIp: createLimiter({ name: 'login-ip', points: 50, duration: 15 * 60, blockDuration: 15 * 60 }, redis, config.redisPrefix),
      });
      const guardians = new GuardianService(
        createLimiter({ name: 'pairing-redeem', points: 10, duration: 3600 }, redis, config.redisPrefix),
      );
      const schema = await buildUsersSchema([
        new AuthResolver(auth, sessions),
        new InvitationResolver(new InvitationService(hasher, sessions)),
        new GuardianResolver(guardians),
      ]);

      const app = createHttpApp({
        name: 'users',
        logger,
        metrics,
        ready: async () => (await orm!.isConnected()) && (!redis || redis.status === 'ready'),
      });
      app.get('/.well-known/jwks.json', (_req, res) => {
        res.setHeader('cache-control', 'public, max-age=300');
        res.json(accessKeys.jwks);
      });
      app.use(tenantRoute(orm, verifyContext));
      const apollo = await mountSubgraph({
        name: 'users',
        app,
        schema,
        orm,
        verifyContext,
        logger,
        production: config.production,
        createLoaders,
      });
      shutdown.add('http', 'apollo', () => apollo.stop());
      if (config.seedDemo) await seedDemo(orm, hasher, logger);
      const relay = startOutboxRelay({ orm, broker: transport.broker, logger });
      shutdown.add('workers', 'outbox relay', () => relay.stop());

      server = await listen(app, config.port, config.host);
      shutdown.add('http', 'http server', () => server!.close());
      return { url: server.url, port: server.port };
    },
    stop: () => shutdown.run(),
  };
}
