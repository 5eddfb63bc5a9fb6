import { byId, listBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { includingDeleted } from '../course/soft-delete';
import { LessonCompletion } from './lesson-completion.entity';
import { Lesson } from './lesson.entity';

/**
 * The lesson feature's per-request loaders (one `IN (…)` query per tick each, through the request's
 * tenant-scoped EntityManager). Deleted lessons, and with them their completions, are left out
 * (course/soft-delete.ts) except by the `…IncludingDeleted` loaders of history views.
 */
export function lessonLoaders({ em }: LoaderContext) {
  return {
    lesson: byId((ids) => em.find(Lesson, { id: { $in: ids } })),
    lessonIncludingDeleted: byId((ids) => em.find(Lesson, { id: { $in: ids } }, includingDeleted())),
    lessonsByCourse: listBy(
      (ids) => em.find(Lesson, { course: { $in: ids } }, { orderBy: { position: 'asc', createdAt: 'asc' } }),
      (l) => l.course.id,
    ),
    /** The lesson completions of an enrollment (of lessons not deleted). */
    completionsByEnrollment: listBy(
      (ids) => em.find(LessonCompletion, { enrollment: { $in: ids } }),
      (c) => c.enrollment.id,
    ),
    /** Every lesson completion of an enrollment, deleted lessons' too, oldest first (its history). */
    completionsByEnrollmentIncludingDeleted: listBy(
      (ids) => em.find(LessonCompletion, { enrollment: { $in: ids } }, { ...includingDeleted(), orderBy: { completedAt: 'asc' } }),
      (c) => c.enrollment.id,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface CoursesLoaders extends ReturnType<typeof lessonLoaders> {}
}
