import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import { EnumColumn, IntListType, StringListType } from '../../../platform/db/columns';
import { Quiz } from './quiz.entity';

export enum QuestionKind {
  SINGLE_CHOICE = 'SINGLE_CHOICE',
  MULTIPLE_CHOICE = 'MULTIPLE_CHOICE',
  TRUE_FALSE = 'TRUE_FALSE',
  NUMERIC = 'NUMERIC',
  SHORT_ANSWER = 'SHORT_ANSWER',
}
registerEnumType(QuestionKind, {
  name: 'QuestionKind',
  valuesConfig: {
    SINGLE_CHOICE: { description: 'Exactly one option is right; answer with `choices: [i]`.' },
    MULTIPLE_CHOICE: { description: 'All-or-nothing: the chosen set must equal the right set; answer with `choices`.' },
    TRUE_FALSE: { description: 'Answer with `booleanValue`.' },
    NUMERIC: { description: 'Right within ± tolerance; answer with `numericValue`.' },
    SHORT_ANSWER: { description: 'Matches an accepted answer ignoring case, spaces and Arabic diacritics; answer with `text`.' },
  },
});

/**
 * A quiz question with its solution. The solution columns carry no @Field: they reach clients
 * only through `solution`, whose resolver decides who may see them (quiz.policy.ts).
 */
@ObjectType()
@Entity()
export class Question extends TenantOwned {
  [OptionalProps]?: 'points';

  @Field(() => ID)
  override id!: string;

  @ManyToOne(() => Quiz, { deleteRule: 'cascade' })
  quiz!: Quiz;

  /** 1-based, in the order the questions were given. */
  @Field(() => Int)
  @Property()
  position!: number;

  @Field(() => QuestionKind)
  @EnumColumn()
  kind!: QuestionKind;

  @Field()
  @Property({ type: 'text' })
  prompt!: string;

  /** Choice texts of SINGLE_CHOICE and MULTIPLE_CHOICE questions (indexes are 0-based). */
  @Field(() => [String], { nullable: true })
  @Property({ type: StringListType, nullable: true })
  options?: string[] | null;

  @Field(() => Float)
  @Property({ type: 'double' })
  points: number = 1;

  @Property({ type: IntListType, nullable: true })
  correctChoices?: number[] | null;

  @Property({ nullable: true })
  correctBoolean?: boolean;

  @Property({ type: 'double', nullable: true })
  correctNumber?: number;

  @Property({ type: 'double', nullable: true })
  tolerance?: number;

  @Property({ type: StringListType, nullable: true })
  acceptedAnswers?: string[] | null;
}
