import DataLoader from 'dataloader';
import type { FilterQuery } from '@mikro-orm/core';
import { countGroupedBy } from '../../../platform/db/grouped-count';
import { firstRowsGroupedBy } from '../../../platform/db/grouped-first';
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
  /** Course.enrollments' rows: of people the read model knows, of the students in the key (all when null). */
  const roster = (students: string[] | null): FilterQuery<Enrollment> => ({
    $and: [students ? { studentId: { $in: students } } : {}, { studentId: knownPeople(em, schoolOf(tenant)) }],
  });
  return {
    /**
     * The first page of Course.enrollments (rosterKey with `first`): the courses asked in one tick
     * with the same scope and page size share two queries (firstRowsGroupedBy), so a teacher's
     * courses do not cost two queries each. `first` + 1 rows per course (the extra one tells
     * whether there is a next page).
     */
    rosterFirstPage: new DataLoader<string, Enrollment[]>(async (keys) =>
      inGroups(keys, (courseIds, [students, first]) =>
        firstRowsGroupedBy(em, Enrollment, 'course', courseIds, roster(students), first! + 1, (e) => e.course.id),
      ),
    ),
    /** The total of Course.enrollments (rosterKey without `first`): one grouped count per scope. */
    rosterSize: new DataLoader<string, number>(async (keys) =>
      inGroups(keys, (courseIds, [students]) => countGroupedBy(em, Enrollment, 'course', courseIds, roster(students))),
    ),
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

/**
 * Key of Course.enrollments' loaders: the course, the students the viewer may see there (null:
 * every student, for the course's managers), and for the page its size.
 */
export const rosterKey = (courseId: string, students: string[] | null, first?: number) =>
  JSON.stringify([courseId, students, first ?? null]);

/** Runs `load` once per distinct (students, first) among rosterKeys, with their course ids, and answers in key order. */
async function inGroups<V>(
  keys: readonly string[],
  load: (courseIds: string[], scope: [string[] | null, number | null]) => Promise<V[]>,
): Promise<V[]> {
  const groups = new Map<string, { scope: [string[] | null, number | null]; at: number[]; courseIds: string[] }>();
  keys.forEach((key, i) => {
    const [courseId, students, first] = JSON.parse(key) as [string, string[] | null, number | null];
    const scopeKey = JSON.stringify([students, first]);
    const group = groups.get(scopeKey) ?? { scope: [students, first] as [string[] | null, number | null], at: [], courseIds: [] };
    groups.set(scopeKey, group);
    group.at.push(i);
    group.courseIds.push(courseId);
  });
  const answers = new Array<V>(keys.length);
  for (const group of groups.values()) {
    const values = await load(group.courseIds, group.scope);
    group.at.forEach((i, j) => (answers[i] = values[j]));
  }
  return answers;
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
