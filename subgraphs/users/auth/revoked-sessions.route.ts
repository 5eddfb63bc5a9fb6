import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import type { InternalContextVerifier } from '../../../platform/auth/internal-context';
import { requireInternalContext } from '../../../platform/graphql/subgraph-server';
import { RefreshToken } from './refresh-token.entity';
import { TENANT_FILTER } from '../../../platform/db/tenant';

/** Clock difference tolerated between this service and the gateway. */
const CLOCK_MARGIN_MS = 60_000;

/**
 * GET /internal/sessions/revoked → { sessions: [{ sessionId, tokensValidUntil }] }: every login
 * session revoked recently enough that access tokens of it may still be alive (no token is
 * issued after the revocation, so none outlives `revokedAt` + the access-token lifetime). The
 * database is the record of revocations; the gateway reads this at start and whenever the event
 * bus may have missed some (Redis keeps no durable copy). Gateway-signed calls only, like /graphql.
 * Across every school on purpose: the gateway checks tokens of all of them.
 */
export function revokedSessionsRoute(orm: MikroORM, verify: InternalContextVerifier, accessTokenTtlSeconds: number): Router {
  const router = Router();
  const lifetimeMs = accessTokenTtlSeconds * 1000 + CLOCK_MARGIN_MS;
  router.get('/internal/sessions/revoked', requireInternalContext(verify), async (_req, res) => {
    const since = new Date(Date.now() - lifetimeMs);
    // Every token of a family carries its revocation; the newest one per family counts.
    const rows = await orm.em
      .fork()
      .find(RefreshToken, { revokedAt: { $gt: since } }, { filters: { [TENANT_FILTER]: false }, fields: ['familyId', 'revokedAt'] });
    const newest = new Map<string, number>();
    for (const row of rows) newest.set(row.familyId, Math.max(newest.get(row.familyId) ?? 0, row.revokedAt!.getTime()));
    res.json({
      sessions: [...newest].map(([sessionId, revokedAt]) => ({
        sessionId,
        tokensValidUntil: new Date(revokedAt + lifetimeMs).toISOString(),
      })),
    });
  });
  return router;
}
