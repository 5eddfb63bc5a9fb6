import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '../../platform/errors';
import { consumeOrThrow } from '../../platform/rate-limit';
import type { AccessTokenVerifier } from '../edge/access-token';
import { tenantSlugOf, type TenantResolver } from '../edge/tenant';
import { CloseCodes, type CloseCode } from './close-codes';
import type { Viewer } from './principal';

export interface ConnectionAuthDeps {
  tenants: TenantResolver;
  verifyAccessToken: AccessTokenVerifier;
  tenantDomains: string[];
  revokedSessions: { has(sessionId: string | undefined): boolean };
  /** One point per connection attempt, by client address. */
  perIp: RateLimiterAbstract;
}

/** A connection_init the gateway refuses, with the close code to answer it with. */
export class ConnectionRefused extends Error {
  constructor(
    readonly close: CloseCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The edge checks of an HTTP request, for a WebSocket's `connection_init`
 * (`{ authorization: "Bearer …", tenant: "<slug>" }`): per-IP limit, the school (from the
 * payload, else the host's subdomain), the access token (bound to that school), a revoked
 * session. Throws ConnectionRefused.
 */
export function createConnectionAuthenticator(deps: ConnectionAuthDeps) {
  return async (payload: Record<string, unknown> | undefined, req: IncomingMessage, ip: string): Promise<Viewer> => {
    try {
      await consumeOrThrow(deps.perIp, ip);
      const named = typeof payload?.tenant === 'string' && payload.tenant.trim() ? payload.tenant.trim().toLowerCase() : undefined;
      const tenant = await deps.tenants(named ?? tenantSlugOf(req.headers, deps.tenantDomains));
      const authorization = typeof payload?.authorization === 'string' ? payload.authorization : undefined;
      const user = await deps.verifyAccessToken(authorization, tenant);
      if (user && deps.revokedSessions.has(user.sessionId))
        throw new ConnectionRefused(CloseCodes.sessionRevoked, 'Session has ended; sign in again');
      return { tenant, user, ip };
    } catch (err) {
      if (err instanceof ConnectionRefused) throw err;
      const code = err instanceof GraphQLError ? err.extensions.code : undefined;
      const message = err instanceof GraphQLError ? err.message : 'Internal server error';
      switch (code) {
        case ErrorCode.UNAUTHENTICATED:
          throw new ConnectionRefused(CloseCodes.unauthorized, message);
        case ErrorCode.RATE_LIMITED:
          throw new ConnectionRefused(CloseCodes.rateLimited, message);
        case ErrorCode.TENANT_REQUIRED:
        case ErrorCode.TENANT_NOT_FOUND:
          throw new ConnectionRefused(CloseCodes.badRequest, message);
        default:
          throw new ConnectionRefused(CloseCodes.internalError, message);
      }
    }
  };
}
export type ConnectionAuthenticator = ReturnType<typeof createConnectionAuthenticator>;
