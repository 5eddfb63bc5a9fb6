import type { Feature } from '../../../platform/subgraph/feature';
import { LessonCompletion } from './lesson-completion.entity';
import { Lesson } from './lesson.entity';
import { lessonLoaders } from './lesson.loaders';
import { LessonResolver } from './lesson.resolver';

/** Lessons of a course and their completion by students. */
export const lessonFeature = {
  entities: [Lesson, LessonCompletion],
  resolvers: [LessonResolver],
  loaders: lessonLoaders,
} satisfies Feature;
