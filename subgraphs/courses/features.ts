import { outboxEntities } from '../../platform/outbox/outbox';
import { assemble } from '../../platform/subgraph/feature';
import type { CoursesLoaders } from './context';
import { courseFeature } from './course/course.feature';
import { enrollmentFeature } from './enrollment/enrollment.feature';
import { guardianFeature } from './guardian/guardian.feature';
import { lessonFeature } from './lesson/lesson.feature';
import { personFeature } from './person/person.feature';
import { coursePlanFeature } from './plan/plan.feature';
import { liveSessionFeature } from './live-session/live-session.feature';
import { quizFeature } from './quiz/quiz.feature';
import { uploadFeature } from './upload/upload.feature';
import { userFeature } from './user/user.feature';

/** The courses subgraph, feature by feature (parents first); its schema, entities, loaders and consumers come from here. */
export const features = [
  personFeature,
  courseFeature,
  lessonFeature,
  uploadFeature,
  enrollmentFeature,
  quizFeature,
  liveSessionFeature,
  guardianFeature,
  coursePlanFeature,
  userFeature,
] as const;

export const courses = assemble(features);

/** Every table of the subgraph: its features' and the outbox's. */
export const entities = [...courses.entities, ...outboxEntities];

/** Per-request loaders; typed so that a loader a feature declares (context.ts) but none provides fails to compile. */
export const createLoaders: (...args: Parameters<typeof courses.createLoaders>) => CoursesLoaders = courses.createLoaders;
