import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import { ErrorCode } from '../../platform/errors';
import { HttpError } from '../http/http-error';
import type { RequireScope } from '../token/auth';
import { Scope } from '../token/scopes';
import { Subgraph } from './subgraph.entity';

const view = (s: Subgraph) => ({ name: s.name, url: s.url, sdlHash: s.sdlHash, versionNumber: s.versionNumber, updatedAt: s.updatedAt });

/** The published subgraphs (what the next check composes against). */
export function subgraphRoutes(orm: MikroORM, requireScope: RequireScope): Router {
  const router = Router();
  router.get('/v1/subgraphs', requireScope(Scope.read), async (_req, res) => {
    res.json({ subgraphs: (await orm.em.fork().find(Subgraph, {}, { orderBy: { name: 'asc' } })).map(view) });
  });
  router.get('/v1/subgraphs/:name', requireScope(Scope.read), async (req, res) => {
    const row = await orm.em.fork().findOne(Subgraph, { name: String(req.params.name) });
    if (!row) throw new HttpError(ErrorCode.NOT_FOUND, 'Subgraph not found');
    res.json({ ...view(row), sdl: row.sdl });
  });
  return router;
}
