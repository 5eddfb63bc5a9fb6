import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import { Course } from '../course/course.entity';
import { SoftDeleteFilter } from '../course/soft-delete';

/** When a student (and their guardians) may see the right answers and which of theirs were right (quiz.policy.ts). */
export enum SolutionsVisibility {
  AFTER_EACH_ATTEMPT = 'AFTER_EACH_ATTEMPT',
  AFTER_LAST_ATTEMPT = 'AFTER_LAST_ATTEMPT',
  AFTER_DUE_DATE = 'AFTER_DUE_DATE',
}
registerEnumType(SolutionsVisibility, {
  name: 'SolutionsVisibility',
  description: 'When students see the solutions and which of their answers were right (their score they always see once graded).',
  valuesConfig: {
    AFTER_EACH_ATTEMPT: {
      description: 'After each graded attempt, while no other attempt of theirs runs: solutions can help with the next attempt.',
    },
    AFTER_LAST_ATTEMPT: {
      description:
        'The default: once the student has no attempt left (all maxAttempts used, or the due date passed). With unlimited attempts and no due date, never.',
    },
    AFTER_DUE_DATE: { description: 'Once dueAt has passed (no attempt can run after it).' },
  },
});

/**
 * A quiz of a course. Deleting it is a soft delete (`deletedAt`, course/soft-delete.ts): it leaves
 * every view, while its attempts stay stored. Its questions cannot change once an attempt exists
 * (updateQuiz): attempts are graded against the questions they were taken on.
 */
@ObjectType()
@Entity()
@SoftDeleteFilter()
export class Quiz extends TenantOwned {
  [OptionalProps]?: 'createdAt' | 'solutionsVisibility';

  @Field(() => ID)
  override id!: string;

  @ManyToOne(() => Course, { deleteRule: 'cascade' })
  course!: Course;

  @Field()
  @Property({ length: 200 })
  title!: string;

  @Field(() => Int, { nullable: true, description: 'Attempts allowed per student; null = unlimited.' })
  @Property({ nullable: true })
  maxAttempts?: number;

  @Field(() => Int, { nullable: true, description: 'Seconds from the start of an attempt to its deadline; null = untimed.' })
  @Property({ nullable: true })
  timeLimitSeconds?: number;

  @Field(() => Float, { nullable: true, description: "Points (out of the quiz's total) an attempt needs to pass; null = no pass mark." })
  @Property({ type: 'double', nullable: true })
  passingScore?: number;

  /** A column default too, for the quizzes made before the setting existed. */
  @Field(() => SolutionsVisibility)
  @Property({ type: 'string', length: 20, default: SolutionsVisibility.AFTER_LAST_ATTEMPT })
  solutionsVisibility: SolutionsVisibility = SolutionsVisibility.AFTER_LAST_ATTEMPT;

  @Field(() => Date, {
    nullable: true,
    description: 'No attempt starts after it and none runs past it (a running attempt ends there and is graded on its saved answers).',
  })
  @Property({ type: 'datetime', length: 3, nullable: true })
  dueAt?: Date | null;

  @Field()
  @Property({ length: 3 })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'When staff deleted it; deleted quizzes only appear in history (includeDeleted).' })
  @Property({ type: 'datetime', length: 3, nullable: true })
  deletedAt?: Date | null;

  /** The staff member who deleted it. */
  @Property({ type: 'string', length: 64, nullable: true })
  deletedBy?: string | null;
}
