import { Entity, Index, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import { Quiz } from './quiz.entity';

/**
 * One try of a student at a quiz. `number` is unique per quiz and student, so two concurrent
 * starts cannot both take the last allowed attempt: the second insert fails on the unique key.
 */
@ObjectType()
@Entity()
@Unique({ properties: ['quiz', 'studentId', 'number'] })
export class QuizAttempt extends TenantOwned {
  [OptionalProps]?: 'startedAt';

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

  /** Set when the quiz has a time limit; a submission after it is refused. */
  @Field(() => Date, { nullable: true, description: 'Submissions after this instant are refused (server clock).' })
  @Property({ length: 3, nullable: true })
  deadline?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ length: 3, nullable: true })
  submittedAt?: Date;

  @Field(() => Float, { nullable: true, description: 'Points earned; null until submitted.' })
  @Property({ type: 'double', nullable: true })
  score?: number;

  @Field(() => Float)
  @Property({ type: 'double' })
  maxScore!: number;

  @Field(() => Boolean, {
    nullable: true,
    description: "Whether score reached the quiz's passingScore; null until submitted or without a pass mark.",
  })
  @Property({ nullable: true })
  passed?: boolean;
}
