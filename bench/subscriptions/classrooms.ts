/**
 * The classrooms of the subscription benchmarks (run.ts, ../admissions.ts): the demo teacher's
 * published courses with their live sessions started, and one enrolled student per subscriber.
 */
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../platform/db/orm';
import { scopeToTenant } from '../../platform/db/tenant';
import { DEMO } from '../../platform/demo';
import { Course } from '../../subgraphs/courses/course/course.entity';
import { coursesDatabase } from '../../subgraphs/courses/database';
import { Enrollment } from '../../subgraphs/courses/enrollment/enrollment.entity';
import { LiveSession } from '../../subgraphs/courses/live-session/live-session.entity';

/** The school every benchmark classroom belongs to. */
export const BENCH_SCHOOL = DEMO.schools.demo;

/** A GraphQL call as the demo teacher (through the gateway or straight to courses): its data, or throws on errors. */
export type TeacherCall = (query: string, variables?: Record<string, unknown>) => Promise<any>;

/**
 * `courses` published courses of the demo teacher with `sessions` live sessions started between
 * them (session s in course s % courses), made as the apps make them; the session ids, in order.
 */
export async function arrangeClassrooms(call: TeacherCall, sessions: number, courses: number): Promise<string[]> {
  const sessionIds: string[] = [];
  for (let c = 0; c < courses; c++) {
    const { createCourse } = await call('mutation($i: CreateCourseInput!) { createCourse(input: $i) { id } }', {
      i: { title: `Bench course ${c + 1}` },
    });
    await call('mutation($id: ID!) { publishCourse(id: $id) { id } }', { id: createCourse.id });
    for (let s = c; s < sessions; s += courses) {
      const { scheduleLiveSession } = await call(
        'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
        { c: createCourse.id, i: { title: `Session ${s + 1}`, startsAt: new Date(Date.now() + 60_000).toISOString() } },
      );
      await call('mutation($id: ID!) { startLiveSession(id: $id) { id } }', { id: scheduleLiveSession.id });
      sessionIds[s] = scheduleLiveSession.id;
    }
  }
  return sessionIds;
}

/**
 * `subscribers` students, spread evenly over the sessions (student i in session i % sessions),
 * each enrolled in the course of theirs. Written to the courses database of `dataDir` directly:
 * ten thousand `enroll` calls would only slow the setup.
 */
export async function enrollStudents(
  dataDir: string,
  sessionIds: string[],
  subscribers: number,
): Promise<Array<{ id: string; sessionId: string }>> {
  const orm = await openDatabase({ ...coursesDatabase, dataDir, migrate: false });
  try {
    const em = scopeToTenant(orm.em.fork(), BENCH_SCHOOL.id);
    const sessions = await em.find(LiveSession, { id: { $in: sessionIds } });
    const courseOf = new Map(sessions.map((s) => [s.id, s.course.id]));
    const students = Array.from({ length: subscribers }, (_, i) => ({ id: randomUUID(), sessionId: sessionIds[i % sessionIds.length] }));
    for (const s of students)
      em.create(Enrollment, { schoolId: BENCH_SCHOOL.id, course: em.getReference(Course, courseOf.get(s.sessionId)!), studentId: s.id });
    await em.flush();
    return students;
  } finally {
    await orm.close();
  }
}
