import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { Router } from 'express';
import type { InternalContextVerifier } from '../../../platform/auth/internal-context';
import type { AttendanceFact, EnrollmentFact, LiveSessionFact, QuizAttemptFact } from '../../../platform/events/facts';
import { factsRoute, type FactSource } from '../../../platform/events/facts-stream';
import type { Logger } from '../../../platform/logger';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { DELETED_FILTER } from '../course/soft-delete';
import { Enrollment, EnrollmentStatus, REMOVED_FILTER } from '../enrollment/enrollment.entity';
import { LessonCompletion } from '../lesson/lesson-completion.entity';
import { EnrollmentProgressResolver } from '../lesson/lesson.extensions';
import { lessonLoaders } from '../lesson/lesson.loaders';
import { Attendance } from '../live-session/attendance.entity';
import { LiveSession, LiveSessionStatus } from '../live-session/live-session.entity';
import { QuizAttempt } from '../quiz/quiz-attempt.entity';

/*
 * Courses' side of the facts export (platform/events/facts.ts): what it knows of learning, as
 * every stored row. Deleted courses, lessons and quizzes and removed enrollments are included (the
 * soft-delete and removal filters are lifted; the tenant filter never is): a course says it was
 * deleted, an enrollment that it was removed, and the activity recorded under them did happen.
 */

/** Keyset page options: the next `limit` rows by id, every stored row of the school. */
const page = (limit: number) => ({
  orderBy: { id: 'asc' } as const,
  limit,
  filters: { [DELETED_FILTER]: false, [REMOVED_FILTER]: false },
});
const iso = (at: Date) => at.toISOString();

const courses: FactSource<Course> = {
  page: (em, after, limit) => em.find(Course, { id: { $gt: after } }, { ...page(limit), exclude: ['description'] }),
  facts: (_em, rows) =>
    rows.map((c) => ({
      fact: 'course',
      schoolId: c.schoolId,
      courseId: c.id,
      teacherId: c.teacherId,
      title: c.title,
      status: c.status,
      deleted: c.deletedAt != null,
    })),
};

const enrollmentState = (e: Enrollment): EnrollmentFact['state'] =>
  e.removedAt ? 'REMOVED' : e.status === EnrollmentStatus.DROPPED ? 'DROPPED' : 'ACTIVE';

/**
 * `Enrollment.progress` itself (lesson/lesson.extensions.ts), so the export can never drift from
 * what courses shows: run with the lesson loaders (all it reads) on the page's fork, and all of a
 * page's enrollments asking in the same tick, each loader makes one query per page. Its filters
 * are a request's, so an enrollment courses no longer shows (removed, or in a deleted course) gets
 * the progress courses gives it: 0.
 */
async function progressOf(em: EntityManager, rows: Enrollment[]): Promise<number[]> {
  const base = { em, requestId: 'facts-export' };
  const ctx = { ...base, loaders: lessonLoaders(base) } as unknown as CoursesContext;
  const resolver = new EnrollmentProgressResolver();
  return Promise.all(rows.map((e) => resolver.progress(e, ctx)));
}

const enrollments: FactSource<Enrollment> = {
  page: (em, after, limit) => em.find(Enrollment, { id: { $gt: after } }, page(limit)),
  async facts(em, rows) {
    const progress = await progressOf(em, rows);
    return rows.map((e, i): EnrollmentFact => ({
      fact: 'enrollment',
      schoolId: e.schoolId,
      enrollmentId: e.id,
      courseId: e.course.id,
      studentId: e.studentId,
      enrolledAt: iso(e.createdAt),
      state: enrollmentState(e),
      progress: progress[i],
    }));
  },
};

const lessonCompletions: FactSource<LessonCompletion> = {
  // The enrollment (joined) names the student and the course.
  page: (em, after, limit) => em.find(LessonCompletion, { id: { $gt: after } }, { ...page(limit), populate: ['enrollment'] }),
  facts: (_em, rows) =>
    rows.map((c) => ({
      fact: 'lessonCompletion',
      schoolId: c.schoolId,
      courseId: c.enrollment.course.id,
      lessonId: c.lesson.id,
      studentId: c.enrollment.studentId,
      completedAt: iso(c.completedAt),
    })),
};

/**
 * Graded attempts only (score and submission time are set in one transaction, attempt-grading.ts):
 * one still running has neither, nor has one past its deadline until something reads it (this
 * read-only export does not grade it).
 */
const quizAttempts: FactSource<QuizAttempt> = {
  page: (em, after, limit) =>
    em.find(QuizAttempt, { id: { $gt: after }, score: { $ne: null }, submittedAt: { $ne: null } }, { ...page(limit), populate: ['quiz'] }),
  facts: (_em, rows) =>
    rows.map((a): QuizAttemptFact => ({
      fact: 'quizAttempt',
      schoolId: a.schoolId,
      attemptId: a.id,
      quizId: a.quiz.id,
      courseId: a.quiz.course.id,
      studentId: a.studentId,
      score: a.score!,
      maxScore: a.maxScore,
      submittedAt: iso(a.submittedAt!),
    })),
};

const liveSessions: FactSource<LiveSession> = {
  page: (em, after, limit) => em.find(LiveSession, { id: { $gt: after } }, page(limit)),
  facts: (_em, rows) =>
    rows.map((s): LiveSessionFact => ({
      fact: 'liveSession',
      schoolId: s.schoolId,
      sessionId: s.id,
      courseId: s.course.id,
      startsAt: iso(s.startsAt),
      ...(s.startedAt ? { startedAt: iso(s.startedAt) } : {}),
      ...(s.endedAt ? { endedAt: iso(s.endedAt) } : {}),
      ...(s.canceledAt ? { canceledAt: iso(s.canceledAt) } : {}),
    })),
};

/** Settled attendance only: a live session's records change until it ends (then absentees are added). */
const attendance: FactSource<Attendance> = {
  page: (em, after, limit) =>
    em.find(Attendance, { id: { $gt: after }, session: { status: LiveSessionStatus.ENDED } }, { ...page(limit), populate: ['session'] }),
  facts: (_em, rows) =>
    rows.map((a): AttendanceFact => ({
      fact: 'attendance',
      schoolId: a.schoolId,
      sessionId: a.session.id,
      courseId: a.session.course.id,
      studentId: a.studentId,
      status: a.status,
      totalSeconds: a.totalSeconds,
      ...(a.firstJoinedAt ? { firstJoinedAt: iso(a.firstJoinedAt) } : {}),
    })),
};

/**
 * The schools with facts here: every fact hangs off a course, so those with a course (deleted
 * ones too). Across every school, so with no filter (the QueryBuilder applies none unless asked).
 */
async function schoolsWithCourses(orm: MikroORM): Promise<string[]> {
  const rows = await (orm.em.fork() as SqlEntityManager)
    .createQueryBuilder(Course, 'c')
    .select('c.schoolId', true)
    .orderBy({ schoolId: 'asc' })
    .execute<Array<{ schoolId: string }>>('all', true);
  return rows.map((r) => r.schoolId);
}

export interface CoursesFactsOptions {
  orm: MikroORM;
  verify: InternalContextVerifier;
  logger: Logger;
  /** Rows per query. Default the platform's (1000). */
  pageSize?: number;
}

/** GET /internal/facts on courses (platform/events/facts-stream.ts `factsRoute`). */
export function coursesFactsRoute(opts: CoursesFactsOptions): Router {
  return factsRoute({
    ...opts,
    schools: () => schoolsWithCourses(opts.orm),
    sources: [courses, enrollments, lessonCompletions, quizAttempts, liveSessions, attendance],
  });
}
