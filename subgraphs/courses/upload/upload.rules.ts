import type { CourseFileKind } from '../../../platform/storage/keys';
import { LessonKind } from '../lesson/lesson.entity';

export interface UploadRule {
  /** The storage key's kind segment (courseFileKey). */
  kind: CourseFileKind;
  /** Allowed MIME types (exact match, lowercase). */
  contentTypes: readonly string[];
  maxBytes: number;
}

const MB = 1024 * 1024;

/**
 * What may be uploaded where. Browsers and phones can play or show these types without a
 * plug-in; the caps keep one upload from filling the bucket (1 GiB also stays inside GraphQL's
 * 32-bit Int for sizeBytes).
 */
export const uploadRules = {
  [LessonKind.VIDEO]: { kind: 'video', contentTypes: ['video/mp4', 'video/webm', 'video/quicktime'], maxBytes: 1024 * MB },
  [LessonKind.DOCUMENT]: {
    kind: 'document',
    contentTypes: [
      'application/pdf',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-powerpoint',
      'application/msword',
    ],
    maxBytes: 50 * MB,
  },
  thumbnail: { kind: 'thumbnail', contentTypes: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 5 * MB },
} satisfies Record<Exclude<LessonKind, LessonKind.TEXT> | 'thumbnail', UploadRule>;

/** Presigned URLs live this long: enough to start a large upload on a slow line. */
export const UPLOAD_URL_SECONDS = 15 * 60;
/** Download links are handed out per request, so they can be short. */
export const DOWNLOAD_URL_SECONDS = 60 * 60;
