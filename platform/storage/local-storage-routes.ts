import { create as contentDisposition } from 'content-disposition';
import { Router, type Request, type Response } from 'express';
import { errorBody, ErrorCode } from '../errors';
import { assertSafeKey, InvalidStorageKeyError } from './keys';
import { UploadLengthError, type LocalStorage } from './local-storage';

function refuse(res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json(errorBody(code, message));
}

/** The key from the path, or undefined after answering 400 (traversal attempts end here). */
function keyOf(req: Request, res: Response): string | undefined {
  const key = (req.params.key as unknown as string[]).join('/');
  try {
    assertSafeKey(key);
    return key;
  } catch (err) {
    if (!(err instanceof InvalidStorageKeyError)) throw err;
    refuse(res, 400, ErrorCode.BAD_REQUEST, err.message);
    return undefined;
  }
}

const queryOf = (req: Request) => new URL(req.originalUrl, 'http://local').searchParams;

/**
 * The HTTP side of the local storage, mounted by the owning service at the storage's `baseUrl`:
 * `PUT /<key>` stores an upload, `GET /<key>` serves a download (with Range support, for video
 * seeking), both only with a valid, unexpired signature. Like S3, an upload whose Content-Type or
 * Content-Length differs from the signed ones is refused with 403.
 */
export function localStorageRoutes(storage: LocalStorage): Router {
  const router = Router();

  router.put('/*key', async (req, res) => {
    const key = keyOf(req, res);
    if (key === undefined) return;
    const grant = storage.verifyUpload(key, queryOf(req));
    if ('denied' in grant) return refuse(res, 403, ErrorCode.FORBIDDEN, grant.denied);
    if (req.get('content-type') !== grant.contentType)
      return refuse(res, 403, ErrorCode.FORBIDDEN, 'Content-Type differs from the signed one');
    const length = req.get('content-length');
    if (length === undefined) return refuse(res, 411, ErrorCode.BAD_REQUEST, 'Content-Length required');
    if (Number(length) !== grant.size) return refuse(res, 403, ErrorCode.FORBIDDEN, 'Content-Length differs from the signed size');
    try {
      await storage.save(key, req, grant);
    } catch (err) {
      if (err instanceof UploadLengthError) return refuse(res, 400, ErrorCode.BAD_REQUEST, err.message);
      throw err;
    }
    res.status(200).end();
  });

  router.get('/*key', async (req, res, next) => {
    const key = keyOf(req, res);
    if (key === undefined) return;
    const grant = storage.verifyDownload(key, queryOf(req));
    if ('denied' in grant) return refuse(res, 403, ErrorCode.FORBIDDEN, grant.denied);
    const found = await storage.head(key);
    if (!found) return refuse(res, 404, ErrorCode.NOT_FOUND, 'No file at this key');
    res.setHeader('Content-Type', found.contentType);
    // Files come from users and are served from the service's own origin: never sniffed into
    // HTML, and sandboxed should one be HTML anyway.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
    res.setHeader('Cache-Control', 'private');
    // The URL's own name wins over the one stored with the object (putStream), as on S3.
    const fileName = grant.fileName ?? found.fileName;
    if (fileName) res.setHeader('Content-Disposition', contentDisposition(fileName));
    res.sendFile(storage.objectPath(key), { dotfiles: 'allow', cacheControl: false }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });

  return router;
}
