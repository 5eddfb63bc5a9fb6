import { domainEvent } from '../../../platform/events/domain-events';
import type { Course } from './course.entity';

/**
 * `course.upserted` with the course's current state, for `recordEvent` in the transaction that
 * creates the course or changes its title, teacher or status: other subgraphs keep a read model of
 * courses from it (messaging: what to call the course in messages, who teaches it).
 */
export function courseUpserted(course: Pick<Course, 'id' | 'schoolId' | 'title' | 'teacherId' | 'status'>) {
  return domainEvent('course.upserted', course.schoolId, {
    courseId: course.id,
    title: course.title,
    teacherId: course.teacherId,
    status: course.status,
  });
}
