import type { Feature } from '../../../platform/subgraph/feature';
import { CourseThumbnailResolver, LessonFileResolver, UploadResolver } from './upload.resolver';

/** Course and lesson files through presigned upload and download URLs. */
export const uploadFeature = {
  resolvers: [CourseThumbnailResolver, LessonFileResolver, UploadResolver],
} satisfies Feature;
