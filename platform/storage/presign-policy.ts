import { appError, badInput, ErrorCode } from '../errors';
import { assertSafeKey } from './keys';
import type { PresignDownloadOptions, PresignUploadOptions, PutStreamOptions } from './storage';

export const DEFAULT_EXPIRES_IN_SECONDS = 900;
const MAX_EXPIRES_IN_SECONDS = 604_800;
/** `type/subtype` only: parameters would have to be matched byte for byte by every client. */
const CONTENT_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/;
/** A stored object's type may carry parameters (`text/csv; charset=utf-8`): no client has to match it. */
const STORED_CONTENT_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(?:\s*;\s*[\w!#$&^.+-]+=[\w!#$&^.+-]+)*$/;

function expiresIn(seconds = DEFAULT_EXPIRES_IN_SECONDS): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_EXPIRES_IN_SECONDS) {
    throw new RangeError(`expiresInSeconds must be a whole number from 1 to ${MAX_EXPIRES_IN_SECONDS}`);
  }
  return seconds;
}

/**
 * What both adapters check before signing an upload. The size and content type come from the
 * client, so their errors are client errors with a stable code.
 */
export function uploadPolicy(key: string, opts: PresignUploadOptions): { expiresInSeconds: number } {
  assertSafeKey(key);
  if (!CONTENT_TYPE.test(opts.contentType)) throw badInput('contentType must look like type/subtype', 'contentType');
  if (!Number.isSafeInteger(opts.size) || opts.size < 0) throw badInput('size must be a whole number of bytes', 'size');
  if (opts.size > opts.maxBytes) {
    throw appError(ErrorCode.PAYLOAD_TOO_LARGE, `The file is larger than the ${opts.maxBytes} bytes allowed`, { maxBytes: opts.maxBytes });
  }
  return { expiresInSeconds: expiresIn(opts.expiresInSeconds) };
}

export function downloadPolicy(key: string, opts: PresignDownloadOptions): { expiresInSeconds: number } {
  assertSafeKey(key);
  return { expiresInSeconds: expiresIn(opts.expiresInSeconds) };
}

/** What both adapters check before a server-side write: the key, and a content type that is one header value. */
export function putPolicy(key: string, opts: PutStreamOptions): void {
  assertSafeKey(key);
  if (!STORED_CONTENT_TYPE.test(opts.contentType))
    throw new RangeError(`content type ${JSON.stringify(opts.contentType)} is not type/subtype[; name=value]`);
}
