import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../../platform/errors';
import { sha256 } from '../../platform/secrets';
import { HttpError, parseBody } from '../http/http-error';
import { principalOf, type RequireScope } from '../token/auth';
import { Scope } from '../token/scopes';
import { liveKeyView, partnerKeyView, type PartnerKeyService } from './partner-key.service';

const name = z.string().regex(/^[\w.@-]{1,100}$/, 'letters, digits and . _ @ - (up to 100)');
const IssueKey = z.object({
  partner: name,
  /** The school's slug, as in X-Tenant-ID. */
  school: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a school slug (lowercase letters, digits and -)'),
  ratePerMinute: z.number().int().min(1).max(1_000_000).optional(),
});

/**
 * Partner API keys for the gateway: operators issue, list and revoke them (admin scope), gateways
 * read the live ones (read scope, hashes only) at every poll, so a revocation takes effect within
 * one poll interval.
 */
export function partnerKeyRoutes(orm: MikroORM, keys: PartnerKeyService, requireScope: RequireScope): Router {
  const router = Router();
  router.post('/v1/partner-keys', requireScope(Scope.admin), async (req, res) => {
    const input = parseBody(IssueKey, req.body);
    const { key, row } = await keys.issue(orm.em.fork(), input, principalOf(res).name);
    res.status(201).json({ ...partnerKeyView(row), key });
  });
  router.get('/v1/partner-keys', requireScope(Scope.admin), async (req, res) => {
    const partner = typeof req.query.partner === 'string' ? req.query.partner : undefined;
    res.json({ keys: (await keys.list(orm.em.fork(), partner)).map(partnerKeyView) });
  });
  router.delete('/v1/partner-keys/:id', requireScope(Scope.admin), async (req, res) => {
    if (!(await keys.revoke(orm.em.fork(), String(req.params.id)))) throw new HttpError(ErrorCode.NOT_FOUND, 'Partner key not found');
    res.status(204).end();
  });
  // The gateway's view, with an ETag so an unchanged set costs a 304.
  router.get('/v1/partner-keys/live', requireScope(Scope.read), async (req, res) => {
    const live = (await keys.live(orm.em.fork())).map(liveKeyView);
    const etag = `"${sha256(JSON.stringify(live))}"`;
    res.set({ etag, 'cache-control': 'no-cache' });
    if (req.header('if-none-match') === etag) return void res.status(304).end();
    res.json({ keys: live });
  });
  return router;
}
