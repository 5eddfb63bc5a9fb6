import { randomUUID } from 'node:crypto';

/** A key that could escape the storage root or confuse a filesystem or S3 tool. */
export class InvalidStorageKeyError extends Error {
  constructor(key: string, reason: string) {
    super(`invalid storage key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidStorageKeyError';
  }
}

const MAX_KEY_BYTES = 1024; // S3's limit

/**
 * Refuses keys that are not plain relative paths: empty, absolute, with `.`/`..` or empty
 * segments, backslashes, NUL or other control characters. Both adapters check every key, so a
 * key that works locally also works on S3 and means the same object.
 */
export function assertSafeKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidStorageKeyError(String(key), 'empty');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new InvalidStorageKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new InvalidStorageKeyError(key, 'control character');
  if (key.includes('\\')) throw new InvalidStorageKeyError(key, 'backslash');
  if (key.startsWith('/')) throw new InvalidStorageKeyError(key, 'absolute path');
  if (key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new InvalidStorageKeyError(key, 'empty, "." or ".." path segment');
  }
}

export type CourseFileKind = 'video' | 'document' | 'thumbnail';
const KINDS: readonly CourseFileKind[] = ['video', 'document', 'thumbnail'];
const MAX_NAME_LENGTH = 100;

/**
 * Where a course file lives: `schools/{schoolId}/courses/{courseId}/{kind}/{uuid}-{safe name}`.
 * The school prefix keeps tenants apart (and lets a bucket policy or a cleanup act per school);
 * the UUID makes every upload a new object, so a re-upload never overwrites a file in use.
 */
export function courseFileKey(opts: { schoolId: string; courseId: string; kind: CourseFileKind; fileName: string }): string {
  if (!KINDS.includes(opts.kind)) throw new InvalidStorageKeyError(String(opts.kind), 'unknown course file kind');
  for (const id of [opts.schoolId, opts.courseId]) {
    if (!/^[\w-]+$/.test(id)) throw new InvalidStorageKeyError(String(id), 'ids are letters, digits, "-" and "_"');
  }
  const key = `schools/${opts.schoolId}/courses/${opts.courseId}/${opts.kind}/${randomUUID()}-${safeFileName(opts.fileName)}`;
  assertSafeKey(key);
  return key;
}

/**
 * Where a report export lives: `schools/{schoolId}/reports/{jobId}/{safe name}`. The school
 * prefix keeps tenants apart, as for course files; the job id makes the key the job's own, the
 * same on every run of it, so a job run again after a crash overwrites its earlier, unfinished
 * attempt instead of adding a file.
 */
export function reportFileKey(opts: { schoolId: string; jobId: string; fileName: string }): string {
  for (const id of [opts.schoolId, opts.jobId]) {
    if (!/^[\w-]+$/.test(id)) throw new InvalidStorageKeyError(String(id), 'ids are letters, digits, "-" and "_"');
  }
  const key = `schools/${opts.schoolId}/reports/${opts.jobId}/${safeFileName(opts.fileName)}`;
  assertSafeKey(key);
  return key;
}

/**
 * The client's file name reduced to letters (any script: Arabic names stay readable), digits,
 * `.`, `_` and `-`, at most 100 characters with the extension kept. It only makes keys readable
 * to operators; downloads get the original name through Content-Disposition.
 */
export function safeFileName(fileName: string): string {
  const cleaned = fileName
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '');
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  const base = cleaned.slice(0, cleaned.length - ext.length).slice(0, MAX_NAME_LENGTH - ext.length);
  return base ? `${base}${ext}` : `file${ext}`;
}
