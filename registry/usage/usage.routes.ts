import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import { parseBody } from '../http/http-error';
import type { RequireScope } from '../token/auth';
import { Scope } from '../token/scopes';
import { UsageReport, type UsageService } from './usage.service';

/** Gateways report field usage with their `read` token (the same one they fetch supergraphs with). */
export function usageRoutes(orm: MikroORM, usage: UsageService, requireScope: RequireScope): Router {
  const router = Router();
  router.post('/v1/usage', requireScope(Scope.read), async (req, res) => {
    await usage.record(orm.em.fork(), parseBody(UsageReport, req.body));
    res.status(202).json({ accepted: true });
  });
  return router;
}
