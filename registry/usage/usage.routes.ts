import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import { ErrorCode } from '../../platform/errors';
import { HttpError, parseBody } from '../http/http-error';
import { principalOf, type RequireScope } from '../token/auth';
import { Scope } from '../token/scopes';
import { UsageReport, type UsageService } from './usage.service';

/**
 * Gateways report field usage with their `read` token (the same one they fetch supergraphs with);
 * the same scope reads it back per client. A partner reads its own recorded operations; an
 * operator retires one once the partner no longer sends it (the one way past the check's refusal).
 */
export function usageRoutes(orm: MikroORM, usage: UsageService, requireScope: RequireScope): Router {
  const router = Router();
  router.post('/v1/usage', requireScope(Scope.read), async (req, res) => {
    await usage.record(orm.em.fork(), parseBody(UsageReport, req.body));
    res.status(202).json({ accepted: true });
  });
  router.get('/v1/usage', requireScope(Scope.read), async (req, res) => {
    const client = typeof req.query.client === 'string' && req.query.client ? req.query.client : undefined;
    res.json({ windowDays: usage.windowDays, clients: await usage.byClient(orm.em.fork(), client) });
  });
  router.get('/v1/usage/partners', requireScope(Scope.read, Scope.partner), async (req, res) => {
    const principal = principalOf(res);
    // A partner token sees its own operations only; gateways and tooling see every partner's.
    const asked = typeof req.query.partner === 'string' && req.query.partner ? req.query.partner : undefined;
    const partner = principal.scopes.includes(Scope.partner) ? principal.name : asked;
    res.json({ operations: await usage.partnerOperations(orm.em.fork(), partner) });
  });
  router.delete('/v1/usage/partners/:partner/operations/:id', requireScope(Scope.admin), async (req, res) => {
    if (!(await usage.retirePartnerOperation(orm.em.fork(), String(req.params.partner), String(req.params.id))))
      throw new HttpError(ErrorCode.NOT_FOUND, 'No such recorded partner operation');
    res.status(204).end();
  });
  return router;
}
