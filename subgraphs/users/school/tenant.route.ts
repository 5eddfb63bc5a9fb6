import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import type { InternalContextVerifier } from '../../../platform/auth/internal-context';
import { ErrorCode, errorBody } from '../../../platform/errors';
import { requireInternalContext } from '../../../platform/graphql/subgraph-server';
import { School, SLUG_PATTERN } from './school.entity';

/**
 * GET /internal/tenants/:slug → { id, slug, name, locale, timezone }: how the gateway turns a
 * subdomain or X-Tenant-ID into a school id. Gateway-signed calls only, like /graphql.
 */
export function tenantRoute(orm: MikroORM, verify: InternalContextVerifier): Router {
  const router = Router();
  router.get('/internal/tenants/:slug', requireInternalContext(verify), async (req, res) => {
    const slug = String(req.params.slug).toLowerCase();
    if (!SLUG_PATTERN.test(slug)) {
      res.status(400).json(errorBody(ErrorCode.BAD_REQUEST, 'Invalid school slug'));
      return;
    }
    const school = await orm.em.fork().findOne(School, { slug });
    if (!school) {
      res.status(404).json(errorBody(ErrorCode.TENANT_NOT_FOUND, `Unknown school "${slug}"`));
      return;
    }
    const { id, name, locale, timezone } = school;
    res.json({ id, slug: school.slug, name, locale, timezone });
  });
  return router;
}
