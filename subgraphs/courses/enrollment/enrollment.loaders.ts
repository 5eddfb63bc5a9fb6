import DataLoader from 'dataloader';
import { countGroupedBy } from '../../../platform/db/grouped-count';
import { byId, listBy, oneBy, pairKey, splitPairs } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { knownPeople } from '../person/person.rules';
import { Enrollment, EnrollmentStatus } from './enrollment.entity';

/** The enrollment feature's per-request loaders (one `IN (…)` query per tick each, through the request's tenant-scoped EntityManager). */
export function enrollmentLoaders({ em, tenant }: LoaderContext) {
  const active = { $ne: EnrollmentStatus.DROPPED };
  const isActive = (e: Enrollment | null | Error) => (e instanceof Error || !e || e.status !== EnrollmentStatus.DROPPED ? e : null);
  /** Enrollments of a student, dropped ones included (the resolver filters by viewer). */
  const enrollmentsByStudent = listBy(
    (ids) => em.find(Enrollment, { studentId: { $in: ids } }, { orderBy: { createdAt: 'asc' } }),
    (e) => e.studentId,
  );
  /** The enrollment of a student in a course, by pairKey(courseId, studentId). */
  const enrollmentOf = oneBy(
    (keys) => {
      const [courses, students] = splitPairs(keys);
      return em.find(Enrollment, { course: { $in: courses }, studentId: { $in: students } });
    },
    (e) => pairKey(e.course.id, e.studentId),
  );
  return {
    enrollment: byId((ids) => em.find(Enrollment, { id: { $in: ids } })),
    enrollmentsByStudent,
    /** Active and completed (not dropped) enrollments per course, of people the read model knows (as Course.enrollments lists them). */
    enrollmentCount: new DataLoader<string, number>((ids) =>
      countGroupedBy(em, Enrollment, 'course', ids, { status: active, studentId: knownPeople(em, schoolOf(tenant)) }),
    ),
    // The two below read through the two above: a request that asks both ways runs one query, not two.
    /** Ids of the courses a student is enrolled in and not dropped from. */
    activeCourseIds: new DataLoader<string, string[]>(async (ids) =>
      (await enrollmentsByStudent.loadMany(ids)).map((list) =>
        list instanceof Error ? list : list.filter((e) => e.status !== EnrollmentStatus.DROPPED).map((e) => e.course.id),
      ),
    ),
    /** The enrollment (not dropped) that lets a student study a course, by pairKey(courseId, studentId). */
    activeEnrollmentOf: new DataLoader<string, Enrollment | null>(async (keys) => (await enrollmentOf.loadMany(keys)).map(isActive)),
    enrollmentOf,
  };
}

/** The request's school, for the sub-queries the tenant filter does not reach (it fails closed the same way). */
function schoolOf(tenant: LoaderContext['tenant']): string {
  if (!tenant) throw new Error('tenant filter used without a schoolId');
  return tenant.id;
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface CoursesLoaders extends ReturnType<typeof enrollmentLoaders> {}
}
