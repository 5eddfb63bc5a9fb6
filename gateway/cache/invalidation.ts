import type { DomainEvents, DomainEventType } from '../../platform/events/domain-events';

/**
 * An entity an event changed (or whose visibility it changed), by supergraph type and id; without
 * an id, every entity of the type (an event that changes many at once, unnamed).
 */
export interface ChangedEntity {
  type: string;
  id?: string;
}

type Mapping = { [T in DomainEventType]?: (payload: DomainEvents[T]) => Array<ChangedEntity | undefined> };

const course = (courseId: string | undefined): ChangedEntity | undefined => (courseId ? { type: 'Course', id: courseId } : undefined);
const user = (userId: string): ChangedEntity => ({ type: 'User', id: userId });
const lesson = (lessonId: string | undefined): ChangedEntity | undefined => (lessonId ? { type: 'Lesson', id: lessonId } : undefined);
const liveSession = (sessionId: string): ChangedEntity => ({ type: 'LiveSession', id: sessionId });
const enrollment = (enrollmentId: string): ChangedEntity => ({ type: 'Enrollment', id: enrollmentId });
/** Progress is completed over all lessons: a lesson added or deleted changes every enrollment of its course (and reopens or completes some). */
const everyEnrollment: ChangedEntity = { type: 'Enrollment' };

/**
 * The domain events that change what the cache may hold (policy.ts), and the entities each one
 * ends: every cached answer about them in the event's school, and every cached list of their
 * type. An event not listed here changes nothing cached; a type added to the policy needs the
 * events that change its allowed fields here (cache.test.ts checks that each type has some).
 */
export const INVALIDATING_EVENTS: Mapping = {
  'user.upserted': (p) => [user(p.userId)],
  'course.upserted': (p) => [course(p.courseId)],
  'course.deleted': (p) => [course(p.courseId)],
  'lesson.upserted': (p) => [course(p.courseId), lesson(p.lessonId), everyEnrollment],
  'lesson.deleted': (p) => [course(p.courseId), lesson(p.lessonId), everyEnrollment],
  'lesson.completed': (p) => [enrollment(p.enrollmentId)],
  'quiz.deleted': (p) => [course(p.courseId)],
  // Who sees an archived course: its enrolled students; and the course's roster.
  'enrollment.created': (p) => [course(p.courseId), user(p.studentId), enrollment(p.enrollmentId)],
  'enrollment.dropped': (p) => [course(p.courseId), user(p.studentId), enrollment(p.enrollmentId)],
  'enrollment.removed': (p) => [course(p.courseId), user(p.studentId), enrollment(p.enrollmentId)],
  'live.session.scheduled': (p) => [liveSession(p.sessionId)],
  'live.session.rescheduled': (p) => [liveSession(p.sessionId)],
  'live.session.started': (p) => [liveSession(p.sessionId)],
  'live.session.ended': (p) => [liveSession(p.sessionId)],
  'live.session.canceled': (p) => [liveSession(p.sessionId)],
  'guardian.linked': (p) => [user(p.guardianId), user(p.studentId)],
  'guardian.unlinked': (p) => [user(p.guardianId), user(p.studentId)],
};

/** The entities an event of `type` changed; none for an event the cache does not follow. */
export function changedBy(type: string, payload: unknown): ChangedEntity[] {
  const map = INVALIDATING_EVENTS[type as DomainEventType] as ((p: unknown) => Array<ChangedEntity | undefined>) | undefined;
  if (!map || typeof payload !== 'object' || payload === null) return [];
  return map(payload).filter((e): e is ChangedEntity => !!e && (e.id === undefined || typeof e.id === 'string'));
}

/** The types an invalidating event can end cached answers of. */
export function invalidatedTypes(): Set<string> {
  const types = new Set<string>();
  const sample = new Proxy({}, { get: () => 'x' });
  for (const map of Object.values(INVALIDATING_EVENTS)) {
    for (const changed of (map as (p: unknown) => Array<ChangedEntity | undefined>)(sample)) if (changed) types.add(changed.type);
  }
  return types;
}
