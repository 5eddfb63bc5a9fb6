import { idsBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { CoursePlan } from './course-plan.entity';

/** The plan feature's per-request loaders (through the request's tenant-scoped EntityManager). */
export function coursePlanLoaders({ em }: LoaderContext) {
  return {
    /** Ids of billing's active plans selling each course (read model); none for a free course. */
    planIdsByCourse: idsBy(
      (ids) => em.find(CoursePlan, { courseId: { $in: ids } }),
      (p) => p.courseId,
      (p) => p.planId,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface CoursesLoaders extends ReturnType<typeof coursePlanLoaders> {}
}
