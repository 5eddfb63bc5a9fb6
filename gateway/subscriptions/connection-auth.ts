import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../platform/errors';
import { consumeOrThrow } from '../../platform/rate-limit';
import type { EdgeDeps } from '../edge/context';
import { tenantSlugOf } from '../edge/tenant';
import { CloseCodes, type CloseCode } from './close-codes';
import type { Viewer } from './principal';

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
 * (`{ authorization: "Bearer …", tenant: "<slug>" }`): per-IP limit (one point per connection
 * attempt), the school (from the payload, else the host's subdomain), the access token (bound to
 * that school), a revoked session. Throws ConnectionRefused.
 */
export function createConnectionAuthenticator(deps: EdgeDeps) {
  return async (payload: Record<string, unknown> | undefined, headers: IncomingHttpHeaders, ip: string): Promise<Viewer> => {
    try {
      await consumeOrThrow(deps.limits.perIp, ip);
      const named = typeof payload?.tenant === 'string' && payload.tenant.trim() ? payload.tenant.trim().toLowerCase() : undefined;
      const tenant = await deps.tenants(named ?? tenantSlugOf(headers, deps.tenantDomains));
      const authorization = typeof payload?.authorization === 'string' ? payload.authorization : undefined;
      // Sent once per connection: verified in full, not remembered.
      const user = await deps.verifyAccessToken(authorization, tenant, { remember: false });
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
        case ErrorCode.SERVICE_UNAVAILABLE:
          throw new ConnectionRefused(CloseCodes.tryAgainLater, message);
        default:
          throw new ConnectionRefused(CloseCodes.internalError, message);
      }
    }
  };
}
export type ConnectionAuthenticator = ReturnType<typeof createConnectionAuthenticator>;
