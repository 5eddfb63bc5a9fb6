import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * The stored aggregate of one course (`id` = the course id): recomputed from the facts of that
 * course in the transaction that changed them (course-stats.ts), so it always equals what the
 * facts say, whatever order they came in. Time-window figures (students active in the last 7
 * days) depend on the clock and are counted when read.
 */
@Entity()
export class CourseStats extends TenantOwned {
  [OptionalProps]?:
    'enrolled' | 'progressSum' | 'completed' | 'quizzesTaken' | 'quizScoreSum' | 'attendanceMarks' | 'attended' | 'computedAt';

  /** Students with an active enrollment. */
  @Property()
  enrolled: number = 0;

  /** Sum of their progress (0..1 each): the average is `progressSum / enrolled`. */
  @Property({ type: 'double' })
  progressSum: number = 0;

  /** Of them, those who completed every lesson. */
  @Property()
  completed: number = 0;

  /** Quizzes taken by enrolled students (their best attempt each). */
  @Property()
  quizzesTaken: number = 0;

  /** Sum of those best scores as a share of the quiz's maximum (0..1 each). */
  @Property({ type: 'double' })
  quizScoreSum: number = 0;

  /** Settled attendances of enrolled students in ended sessions, excused ones left out. */
  @Property()
  attendanceMarks: number = 0;

  /** Of them, PRESENT or LATE. */
  @Property()
  attended: number = 0;

  @Property({ length: 3 })
  computedAt: Date = new Date();
}
