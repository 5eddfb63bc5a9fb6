import { createAccessTokenIssuer } from '../../platform/auth/access-token';
import { loadSigningKeys } from '../../platform/auth/keys';
import { publishSoon } from '../../platform/bus/event-bus';
import { createLimiter } from '../../platform/rate-limit';
import { createSubgraphService, type SubgraphRuntime, type SubgraphService } from '../../platform/subgraph/host';
import { defineSubgraph } from '../../platform/subgraph/manifest';
import { Topics, type SessionRevoked, type Transport } from '../../platform/transport';
import { AccountResolver } from './account/account.resolver';
import { AccountService } from './account/account.service';
import { CREDENTIAL_LIMITS, CredentialsService } from './account/credentials.service';
import { AuthResolver } from './auth/auth.resolver';
import { AuthService } from './auth/auth.service';
import { LOGIN_THROTTLE, LoginThrottle } from './auth/login-throttle';
import { revokedSessionsRoute } from './auth/revoked-sessions.route';
import { createPasswordHasher } from './auth/password';
import { SessionService } from './auth/session.service';
import { users } from './features';
import { usersDatabase } from './database';
import { USERS_DEFAULT_PORT, usersConfigFromEnv, type UsersConfig } from './env';
import { GuardianResolver } from './guardian/guardian.resolver';
import { GuardianService } from './guardian/guardian.service';
import { InvitationResolver } from './invitation/invitation.resolver';
import { InvitationService } from './invitation/invitation.service';
import { tenantRoute } from './school/tenant.route';
import { seedDemo } from './seed';

/**
 * The users subgraph: schools (tenants), people, guardians, invitations and authentication.
 * Serves /graphql (gateway-signed calls only), /.well-known/jwks.json (the public keys the
 * gateway verifies access tokens with) and /internal/tenants/:slug. Publishes its domain events
 * (user.upserted, guardian.linked/unlinked, and for delivery by messaging the secrets of
 * password.reset.requested, invitation.created and pairing.code.created) through the outbox and
 * answers people backfill requests. The lifecycle is the platform's subgraph host's.
 */
export function createUsersService(config: UsersConfig, shared?: Transport): SubgraphService {
  return createSubgraphService({ name: 'users', config, database: usersDatabase, parts: users, wire: wireUsers }, shared);
}

/** The subgraph's manifest (subgraphs/catalog.ts). */
export const usersSubgraph = defineSubgraph({
  name: 'users',
  defaultPort: USERS_DEFAULT_PORT,
  database: usersDatabase,
  configFromEnv: usersConfigFromEnv,
  parts: users,
  createService: createUsersService,
});

async function wireUsers({ config, orm, redis, transport, logger, app, verifyContext, onStop }: SubgraphRuntime<UsersConfig>) {
  // The database already holds the revocation (the gateway reloads it); the bus only makes it
  // immediate, so a logout waits at most a second for Redis and the event follows once it is back.
  const announceRevoked = async (sessionId: string, schoolId: string) => {
    const event: SessionRevoked = { sessionId, schoolId, at: new Date().toISOString() };
    await publishSoon(transport.bus, Topics.revokedSessions, event, 1000, (err) =>
      logger.error({ err, sessionId }, 'could not announce a revoked session'),
    );
  };
  const accessKeys = await loadSigningKeys(config.accessKeys.json, config.accessKeys.file);
  const hasher = createPasswordHasher(config.argon2);
  const sessions = new SessionService(
    createAccessTokenIssuer(accessKeys, config.accessTokenTtlSeconds),
    config.refreshTokenTtlSeconds,
    announceRevoked,
  );
  const limiter = (name: string, points: number, duration: number, blockDuration?: number) =>
    createLimiter({ name, points, duration, blockDuration }, redis, config.redisPrefix);
  const { windowSeconds: window, perAccountAndSource, blockSeconds } = LOGIN_THROTTLE;
  // Only the (account, source) pair is ever refused; the wider counts slow down (login-throttle.ts).
  const uncapped = Number.MAX_SAFE_INTEGER;
  const auth = new AuthService(
    hasher,
    sessions,
    new LoginThrottle({
      perAccountAndSource: limiter('login-account-source', perAccountAndSource, window, blockSeconds),
      perAccount: limiter('login-account', uncapped, window),
      perSource: limiter('login-source', uncapped, window),
    }),
  );
  const guardians = new GuardianService(limiter('pairing-redeem', 10, 3600));
  const credentials = new CredentialsService(
    hasher,
    sessions,
    {
      resetPerEmail: limiter('password-reset-email', CREDENTIAL_LIMITS.resetPerEmail.points, CREDENTIAL_LIMITS.resetPerEmail.duration),
      resetPerSource: limiter('password-reset-source', CREDENTIAL_LIMITS.resetPerSource.points, CREDENTIAL_LIMITS.resetPerSource.duration),
      changeFailures: limiter('password-change', CREDENTIAL_LIMITS.changeFailures.points, CREDENTIAL_LIMITS.changeFailures.duration),
    },
    logger,
    config.passwordResetTtlSeconds,
  );
  // Reset requests are recorded after their answer: let those under way finish before the database closes.
  onStop('password reset requests', () => credentials.idle());

  app.get('/.well-known/jwks.json', (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=300');
    res.json(accessKeys.jwks);
  });
  app.use(tenantRoute(orm, verifyContext));
  app.use(revokedSessionsRoute(orm, verifyContext, config.accessTokenTtlSeconds));
  return {
    resolvers: [
      new AuthResolver(auth, sessions),
      new InvitationResolver(new InvitationService(hasher, sessions)),
      new GuardianResolver(guardians),
      new AccountResolver(new AccountService(sessions), credentials),
    ],
    seed: () => seedDemo(orm, hasher, logger),
  };
}
