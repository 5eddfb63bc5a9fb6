import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { Router, type Request } from 'express';
import { ErrorCode } from '../../platform/errors';
import { sha256 } from '../../platform/secrets';
import { sendDocument } from '../http/etag';
import { HttpError } from '../http/http-error';
import type { RequireScope } from '../token/auth';
import { Scope } from '../token/scopes';
import { SchemaChange } from './schema-change.entity';
import { latestVersion, type VersionFields } from './latest-version';
import { SchemaVersion } from './schema-version.entity';
import { changeView, versionSummary } from './version.view';

const PARTS = { supergraph: 'supergraphSdl', api: 'apiSdl', contract: 'contractSdl' } as const;
/** What a version summary leaves out. */
const DOCUMENTS = Object.values(PARTS);

/**
 * Delivery and history: the latest supergraph (gateways; ETag), the latest partner contract
 * (partners; ETag), and every version with its changelog and its three documents.
 */
export function versionRoutes(orm: MikroORM, requireScope: RequireScope): Router {
  const router = Router();

  router.get('/v1/supergraph', requireScope(Scope.read), async (req, res) => {
    // Hash first: a poll that changes nothing never loads the document (versions are immutable).
    const head = await latestVersion(orm.em.fork(), { fields: ['id', 'hash'] });
    if (!head) throw new HttpError(ErrorCode.NOT_FOUND, 'Nothing has been published yet');
    const sdl = async () => (await orm.em.fork().findOneOrFail(SchemaVersion, head.id, { fields: ['supergraphSdl'] })).supergraphSdl;
    await sendDocument(req, res, head.hash, sdl, { 'x-schema-version': head.id });
  });

  router.get('/v1/contracts/partner', requireScope(Scope.partner, Scope.read), async (req, res) => {
    const head = await latestVersion(orm.em.fork(), { fields: ['id', 'contractSdl', 'contractHash'] });
    if (!head?.contractSdl) throw new HttpError(ErrorCode.NOT_FOUND, 'No partner contract has been published yet');
    await sendDocument(req, res, head.contractHash!, head.contractSdl, { 'x-schema-version': head.id });
  });

  router.get('/v1/versions', requireScope(Scope.read), async (req, res) => {
    const limit = Math.min(Number(req.query.limit) || 20, 200);
    const before = Number(req.query.before) || undefined;
    const em = orm.em.fork();
    const versions = await em.find(SchemaVersion, before ? { number: { $lt: before } } : {}, {
      orderBy: { number: 'desc' },
      limit,
      exclude: DOCUMENTS,
    });
    const changes = await em.find(SchemaChange, { versionId: { $in: versions.map((v) => v.id) } }, { orderBy: { position: 'asc' } });
    res.json({
      versions: versions.map((v) => ({ ...versionSummary(v), changes: changes.filter((c) => c.versionId === v.id).map(changeView) })),
    });
  });

  router.get('/v1/versions/:id', requireScope(Scope.read), async (req, res) => {
    const em = orm.em.fork();
    const version = await findVersion(em, req, { exclude: DOCUMENTS });
    const changes = await em.find(SchemaChange, { versionId: version.id }, { orderBy: { position: 'asc' } });
    res.json({
      ...versionSummary(version),
      changes: changes.map(changeView),
      documents: Object.fromEntries(Object.keys(PARTS).map((p) => [p, `/v1/versions/${version.id}/${p}`])),
    });
  });

  router.get('/v1/versions/:id/:part', requireScope(Scope.read), async (req, res) => {
    const field = PARTS[String(req.params.part) as keyof typeof PARTS];
    if (!field) throw new HttpError(ErrorCode.NOT_FOUND, 'Documents are supergraph, api and contract');
    const text = (await findVersion(orm.em.fork(), req, { fields: ['id', field] }))[field];
    if (!text) throw new HttpError(ErrorCode.NOT_FOUND, 'This version has no partner contract');
    await sendDocument(req, res, sha256(text), text);
  });
  return router;
}

/** By id, or by number (`/v1/versions/12`), since people read numbers off the history. */
async function findVersion(em: EntityManager, req: Request, load: VersionFields): Promise<SchemaVersion> {
  const key = String(req.params.id);
  const version = await em.findOne(SchemaVersion, /^\d+$/.test(key) ? { number: Number(key) } : { id: key }, load as object);
  if (!version) throw new HttpError(ErrorCode.NOT_FOUND, 'Version not found');
  return version;
}
