import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import { parseBody } from '../http/http-error';
import type { RequireScope } from '../token/auth';
import { Scope } from '../token/scopes';
import { ClientName, PersistedQueryManifest, type PersistedOperationService } from './persisted.service';

/**
 * Trusted documents: a first-party app's build publishes its operations (`publish` scope, like a
 * subgraph's CI); gateways read them (`read` scope) to enforce the list of trusted-only clients.
 */
export function persistedRoutes(orm: MikroORM, persisted: PersistedOperationService, requireScope: RequireScope): Router {
  const router = Router();
  router.put('/v1/persisted/:client/:version', requireScope(Scope.publish), async (req, res) => {
    const client = parseBody(ClientName, req.params.client);
    const version = parseBody(ClientName, req.params.version);
    const manifest = parseBody(PersistedQueryManifest, req.body);
    const result = await persisted.publish(orm.em.fork(), client, version, manifest);
    if (result.problems.length) {
      res.status(422).json({ ok: false, client, version, problems: result.problems });
      return;
    }
    res.status(201).json({ ok: true, client, version, operations: result.stored });
  });
  router.get('/v1/persisted/:client', requireScope(Scope.read), async (req, res) => {
    const client = parseBody(ClientName, req.params.client);
    res.json({ client, operations: await persisted.list(orm.em.fork(), client) });
  });
  return router;
}
