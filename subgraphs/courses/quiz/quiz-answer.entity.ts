import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import { IntListType } from '../../../platform/db/columns';
import { Question } from './question.entity';
import { QuizAttempt } from './quiz-attempt.entity';

/**
 * What a student answered to one question of an attempt: saved while the attempt runs
 * (saveQuizAnswer, or with the submission), graded when the attempt closes (`correct` and
 * `pointsAwarded` are null until then).
 */
@ObjectType('QuizAnswer')
@Entity()
@Unique({ properties: ['attempt', 'question'] })
export class QuizAnswer extends TenantOwned {
  @Field(() => ID)
  override id!: string;

  @ManyToOne(() => QuizAttempt, { deleteRule: 'cascade' })
  attempt!: QuizAttempt;

  @ManyToOne(() => Question, { deleteRule: 'cascade' })
  question!: Question;

  @Field(() => [Int], { nullable: true })
  @Property({ type: IntListType, nullable: true })
  choices?: number[] | null;

  @Field(() => Boolean, { nullable: true })
  @Property({ nullable: true })
  booleanValue?: boolean;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  numericValue?: number;

  @Field(() => String, { nullable: true })
  @Property({ length: 500, nullable: true })
  text?: string;

  /** Shown through the resolver (graded results follow the same rule as solutions); null until graded. */
  @Property({ type: 'boolean', nullable: true })
  correct?: boolean | null;

  @Property({ type: 'double', nullable: true })
  pointsAwarded?: number | null;
}
