import type { Feature } from '../../../platform/subgraph/feature';
import { CourseLessonsResolver, EnrollmentProgressResolver, LessonCompletionResolver } from './lesson.extensions';
import { LessonCompletion } from './lesson-completion.entity';
import { Lesson } from './lesson.entity';
import { lessonLoaders } from './lesson.loaders';
import { LessonResolver } from './lesson.resolver';

/** Lessons of a course and their completion by students (Course.lessons, Enrollment.progress, Enrollment.lessonCompletions). */
export const lessonFeature = {
  entities: [Lesson, LessonCompletion],
  resolvers: [LessonResolver, CourseLessonsResolver, EnrollmentProgressResolver, LessonCompletionResolver],
  loaders: lessonLoaders,
} satisfies Feature;
