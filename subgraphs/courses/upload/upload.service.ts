import { badInput, notFound } from '../../../platform/errors';
import type { Logger } from '../../../platform/logger';
import { courseFileKey } from '../../../platform/storage/keys';
import type { FileStorage } from '../../../platform/storage/storage';
import type { CoursesContext } from '../context';
import type { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { LessonKind, type Lesson } from '../lesson/lesson.entity';
import type { LessonService } from '../lesson/lesson.service';
import { viewerOf } from '../../../platform/auth/viewer';
import { DOWNLOAD_URL_SECONDS, UPLOAD_URL_SECONDS, uploadRules, type UploadRule } from './upload.rules';
import type { FileUpload } from './upload.type';

/**
 * Lesson files and course thumbnails go straight between the client and the storage with
 * presigned URLs: request an upload, PUT the file, then attach it. Attaching checks what actually
 * arrived (size, type) before the lesson or course points at it.
 */
export class UploadService {
  constructor(
    private readonly storage: FileStorage,
    private readonly lessons: LessonService,
    private readonly logger: Logger,
  ) {}

  async requestLessonUpload(
    ctx: CoursesContext,
    lessonId: string,
    fileName: string,
    contentType: string,
    sizeBytes: number,
  ): Promise<FileUpload> {
    const lesson = await this.lessons.managedLesson(ctx, viewerOf(ctx), lessonId);
    return this.presign(lesson.schoolId, lesson.course.id, lessonRule(lesson), fileName, contentType, sizeBytes);
  }

  async attachLessonFile(ctx: CoursesContext, lessonId: string, key: string): Promise<Lesson> {
    const lesson = await this.lessons.managedLesson(ctx, viewerOf(ctx), lessonId);
    const stored = await this.verify(key, lesson.schoolId, lesson.course.id, lessonRule(lesson));
    const previous = lesson.fileKey;
    Object.assign(lesson, { fileKey: key, fileName: shownName(key), fileContentType: stored.contentType, fileSizeBytes: stored.size });
    await ctx.em.flush();
    if (previous && previous !== key) await this.discard(previous);
    return lesson;
  }

  async requestThumbnailUpload(
    ctx: CoursesContext,
    courseId: string,
    fileName: string,
    contentType: string,
    sizeBytes: number,
  ): Promise<FileUpload> {
    const course = await coursePolicy.manageable(ctx, viewerOf(ctx), courseId);
    return this.presign(course.schoolId, course.id, uploadRules.thumbnail, fileName, contentType, sizeBytes);
  }

  async attachThumbnail(ctx: CoursesContext, courseId: string, key: string): Promise<Course> {
    const course = await coursePolicy.manageable(ctx, viewerOf(ctx), courseId);
    await this.verify(key, course.schoolId, course.id, uploadRules.thumbnail);
    const previous = course.thumbnailKey;
    course.thumbnailKey = key;
    await ctx.em.flush();
    if (previous && previous !== key) await this.discard(previous);
    return course;
  }

  /** A short-lived download link; the caller has checked who may have it. */
  async downloadUrl(key: string, fileName?: string): Promise<string> {
    return (await this.storage.presignDownload(key, { expiresInSeconds: DOWNLOAD_URL_SECONDS, fileName })).url;
  }

  private async presign(
    schoolId: string,
    courseId: string,
    rule: UploadRule,
    fileName: string,
    contentType: string,
    sizeBytes: number,
  ): Promise<FileUpload> {
    const type = contentType.trim().toLowerCase();
    if (!rule.contentTypes.includes(type)) throw badInput(`contentType must be one of ${rule.contentTypes.join(', ')}`, 'contentType');
    if (!Number.isInteger(sizeBytes) || sizeBytes < 1) throw badInput('sizeBytes must be a positive number of bytes', 'sizeBytes');
    const key = courseFileKey({ schoolId, courseId, kind: rule.kind, fileName });
    // The storage signs the URL for exactly sizeBytes and refuses more than maxBytes (PAYLOAD_TOO_LARGE).
    const upload = await this.storage.presignUpload(key, {
      contentType: type,
      size: sizeBytes,
      maxBytes: rule.maxBytes,
      expiresInSeconds: UPLOAD_URL_SECONDS,
    });
    return {
      key,
      url: upload.url,
      method: upload.method,
      headers: Object.entries(upload.headers).map(([name, value]) => ({ name, value })),
      expiresAt: upload.expiresAt,
    };
  }

  /** The object at `key`, if it is a file of this kind of this course (so of this school) and obeys `rule`. */
  private async verify(key: string, schoolId: string, courseId: string, rule: UploadRule) {
    const prefix = `schools/${schoolId}/courses/${courseId}/${rule.kind}/`;
    if (!key.startsWith(prefix) || key.slice(prefix.length).includes('/')) throw badInput('key is not an upload for this item', 'key');
    const stored = await this.storage.head(key);
    if (!stored) throw notFound('Upload');
    if (stored.size > rule.maxBytes || !rule.contentTypes.includes(stored.contentType.toLowerCase())) {
      await this.storage.delete(key);
      throw badInput('The uploaded file is too large or of a type not allowed here', 'key');
    }
    return stored;
  }

  /** The replaced file is no longer referenced; a failed delete only leaves an orphan behind. */
  private async discard(key: string): Promise<void> {
    await this.storage.delete(key).catch((err: unknown) => this.logger.warn({ err, key }, 'could not delete a replaced file'));
  }
}

function lessonRule(lesson: Lesson): UploadRule {
  if (lesson.kind === LessonKind.TEXT) throw badInput('TEXT lessons have no file', 'lessonId');
  return uploadRules[lesson.kind];
}

/** The name shown for a file: the last key segment without courseFileKey's `<uuid>-` prefix. */
function shownName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).replace(/^[0-9a-f-]{36}-/, '');
}
