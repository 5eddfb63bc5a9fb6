import { byId, listBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { LessonCompletion } from './lesson-completion.entity';
import { Lesson } from './lesson.entity';

/** The lesson feature's per-request loaders (one `IN (…)` query per tick each, through the request's tenant-scoped EntityManager). */
export function lessonLoaders({ em }: LoaderContext) {
  return {
    lesson: byId((ids) => em.find(Lesson, { id: { $in: ids } })),
    lessonsByCourse: listBy(
      (ids) => em.find(Lesson, { course: { $in: ids } }, { orderBy: { position: 'asc', createdAt: 'asc' } }),
      (l) => l.course.id,
    ),
    /** The lesson completions of an enrollment. */
    completionsByEnrollment: listBy(
      (ids) => em.find(LessonCompletion, { enrollment: { $in: ids } }),
      (c) => c.enrollment.id,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface CoursesLoaders extends ReturnType<typeof lessonLoaders> {}
}
