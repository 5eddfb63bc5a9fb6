import { Entity, Index, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import { Quiz } from './quiz.entity';

/**
 * One try of a student at a quiz. `number` is unique per quiz and student, so two concurrent
 * starts cannot both take the last allowed attempt: the second insert fails on the unique key.
 *
 * Answers are saved one by one while it runs (saveQuizAnswer) and graded when it closes: on
 * submission, or, for one whose deadline passed, the first time anything reads or touches it
 * (attempt-grading.ts), on what was saved by then (`timedOut`).
 */
@ObjectType()
@Entity()
@Unique({ properties: ['quiz', 'studentId', 'number'] })
export class QuizAttempt extends TenantOwned {
  [OptionalProps]?: 'startedAt' | 'timedOut';

  @Field(() => ID)
  override id!: string;

  @ManyToOne(() => Quiz, { deleteRule: 'cascade' })
  quiz!: Quiz;

  @Index()
  @Property({ type: 'uuid' })
  studentId!: string;

  @Field(() => Int, { description: '1 for the first attempt of this student at this quiz.' })
  @Property()
  number!: number;

  @Field()
  @Property({ length: 3 })
  startedAt: Date = new Date();

  /** Start + the quiz's time limit, and never after its due date; a submission after it is refused. */
  @Field(() => Date, {
    nullable: true,
    description: 'Answers and submissions after this instant are refused (server clock); the attempt is then graded on its saved answers.',
  })
  @Property({ length: 3, nullable: true })
  deadline?: Date;

  @Field(() => Date, { nullable: true, description: 'When it was graded: its submission, or its deadline when it timed out.' })
  @Property({ length: 3, nullable: true })
  submittedAt?: Date;

  /** Closed by its deadline rather than submitted: graded on the answers saved by then. */
  @Field({ description: 'Ended by its deadline and graded on the answers saved by then (status EXPIRED).' })
  @Property({ default: false })
  timedOut: boolean = false;

  @Field(() => Date, { nullable: true, description: 'When an answer was last saved (saveQuizAnswer).' })
  @Property({ length: 3, nullable: true })
  lastSavedAt?: Date;

  @Field(() => Float, { nullable: true, description: 'Points earned; null until graded.' })
  @Property({ type: 'double', nullable: true })
  score?: number;

  @Field(() => Float)
  @Property({ type: 'double' })
  maxScore!: number;

  @Field(() => Boolean, {
    nullable: true,
    description: "Whether score reached the quiz's passingScore; null until graded or without a pass mark.",
  })
  @Property({ nullable: true })
  passed?: boolean;
}
