import { byId, listBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { Course } from './course.entity';

/** The course feature's per-request loaders (one `IN (…)` query per tick each, through the request's tenant-scoped EntityManager). */
export function courseLoaders({ em }: LoaderContext) {
  return {
    course: byId((ids) => em.find(Course, { id: { $in: ids } })),
    teachingCourses: listBy(
      (ids) => em.find(Course, { teacherId: { $in: ids } }, { orderBy: { createdAt: 'asc' } }),
      (c) => c.teacherId,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface CoursesLoaders extends ReturnType<typeof courseLoaders> {}
}
