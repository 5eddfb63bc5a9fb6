import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../../platform/errors';
import { HttpError, parseBody } from '../http/http-error';
import { principalOf, type RequireScope } from './auth';
import { ALL_SCOPES, Scope } from './scopes';
import { tokenView, type TokenService } from './token.service';

const CreateToken = z.object({
  name: z.string().regex(/^[\w.@-]{1,100}$/, 'letters, digits and . _ @ - (up to 100)'),
  scopes: z.array(z.enum(ALL_SCOPES as [Scope, ...Scope[]])).min(1),
});

/** Token management (admin scope): create (the plaintext is in this answer only), list, revoke. */
export function tokenRoutes(orm: MikroORM, tokens: TokenService, requireScope: RequireScope): Router {
  const router = Router();
  router.post('/v1/tokens', requireScope(Scope.admin), async (req, res) => {
    const input = parseBody(CreateToken, req.body);
    if (input.scopes.includes(Scope.partner) && input.scopes.length > 1) {
      throw new HttpError(ErrorCode.BAD_USER_INPUT, 'A partner token has the partner scope only');
    }
    const { token, row } = await tokens.create(orm.em.fork(), input, principalOf(res).name);
    res.status(201).json({ ...tokenView(row), token });
  });
  router.get('/v1/tokens', requireScope(Scope.admin), async (_req, res) => {
    res.json({ tokens: (await tokens.list(orm.em.fork())).map(tokenView) });
  });
  router.delete('/v1/tokens/:id', requireScope(Scope.admin), async (req, res) => {
    if (!(await tokens.revoke(orm.em.fork(), String(req.params.id)))) throw new HttpError(ErrorCode.NOT_FOUND, 'Token not found');
    res.status(204).end();
  });
  return router;
}
