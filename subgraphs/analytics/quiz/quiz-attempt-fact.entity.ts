import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/** A graded quiz attempt (`id` = courses' attempt id); a fact that does not change once graded. */
@Entity()
@Index({ properties: ['schoolId', 'submittedAt'] })
export class QuizAttemptFact extends TenantOwned {
  @Property({ type: 'uuid' })
  quizId!: string;

  @Index()
  @Property({ type: 'uuid' })
  courseId!: string;

  @Property({ type: 'uuid' })
  studentId!: string;

  @Property({ type: 'double' })
  score!: number;

  @Property({ type: 'double' })
  maxScore!: number;

  @Property({ length: 3 })
  submittedAt!: Date;
}
