import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import { parseBody } from '../http/http-error';
import { principalOf, type RequireScope } from '../token/auth';
import { Scope } from '../token/scopes';
import { ClientName, ClientSettings, PersistedQueryManifest, type PersistedOperationService } from './persisted.service';

/**
 * Trusted documents: a first-party app's build publishes its operations (`publish` scope, like a
 * subgraph's CI); an operator marks clients trusted-only (`admin`); gateways read both (`read`
 * scope) and refuse a trusted-only client anything not in its list.
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
    const em = orm.em.fork();
    const [trustedOnly, operations] = await Promise.all([persisted.trustedOnly(em, client), persisted.list(em, client)]);
    res.json({ client, trustedOnly, operations });
  });
  // Which clients gateways hold to their lists: an operator's decision (admin), not an app build's.
  router.put('/v1/persisted/:client', requireScope(Scope.admin), async (req, res) => {
    const client = parseBody(ClientName, req.params.client);
    const { trustedOnly } = parseBody(ClientSettings, req.body);
    res.json(await persisted.setTrustedOnly(orm.em.fork(), client, trustedOnly, principalOf(res).name));
  });
  // `?trustedOnly=true`: what gateways poll, one small indexed read.
  router.get('/v1/persisted', requireScope(Scope.read), async (req, res) => {
    res.json({ clients: await persisted.clients(orm.em.fork(), { trustedOnly: req.query.trustedOnly === 'true' }) });
  });
  return router;
}
