import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { NotBlank } from '../../../platform/graphql/validation';
import { QuestionKind } from './question.entity';
import { SolutionsVisibility } from './quiz.entity';

@InputType({
  description:
    'One question with its solution. Choice questions give `options` and `correctChoices` (0-based; exactly one for SINGLE_CHOICE); TRUE_FALSE gives `correctBoolean`; NUMERIC gives `correctNumber` and optionally `tolerance`; SHORT_ANSWER gives `acceptedAnswers`.',
})
export class QuestionInput {
  @Field(() => QuestionKind)
  kind!: QuestionKind;

  @Field()
  @Length(1, 2000)
  @NotBlank()
  prompt!: string;

  @Field(() => Float, { nullable: true, description: 'Default 1.' })
  @IsOptional()
  @Min(0.01)
  @Max(1000)
  points?: number;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @MaxLength(500, { each: true })
  options?: string[];

  @Field(() => [Int], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  correctChoices?: number[];

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  correctBoolean?: boolean;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  correctNumber?: number;

  @Field(() => Float, { nullable: true, description: 'Accepted distance from correctNumber; default 0 (exact).' })
  @IsOptional()
  @Min(0)
  tolerance?: number;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @MaxLength(500, { each: true })
  acceptedAnswers?: string[];
}

@InputType()
export class CreateQuizInput {
  @Field()
  @Length(1, 200)
  @NotBlank()
  title!: string;

  @Field(() => Int, { nullable: true, description: 'Attempts per student; omitted = unlimited.' })
  @IsOptional()
  @Min(1)
  @Max(100)
  maxAttempts?: number;

  @Field(() => Int, { nullable: true, description: 'Seconds per attempt (10 to 86400); omitted = untimed.' })
  @IsOptional()
  @Min(10)
  @Max(86_400)
  timeLimitSeconds?: number;

  @Field(() => Float, { nullable: true, description: "Points needed to pass, at most the questions' total; omitted = no pass mark." })
  @IsOptional()
  @Min(0)
  passingScore?: number;

  @Field(() => SolutionsVisibility, { nullable: true, description: 'When students see the solutions; default AFTER_LAST_ATTEMPT.' })
  @IsOptional()
  solutionsVisibility?: SolutionsVisibility;

  @Field(() => Date, { nullable: true, description: 'In the future; required by AFTER_DUE_DATE. No attempt starts or runs after it.' })
  @IsOptional()
  dueAt?: Date;

  @Field(() => [QuestionInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  questions!: QuestionInput[];
}

@InputType({
  description:
    'Only the fields given change; null clears maxAttempts, timeLimitSeconds, passingScore and dueAt. Settings apply to attempts started from now on (a running attempt keeps its deadline, unless the new dueAt comes first); questions cannot change once an attempt exists.',
})
export class UpdateQuizInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @NotBlank()
  title?: string;

  @Field(() => Int, { nullable: true, description: 'null = unlimited.' })
  @IsOptional()
  @Min(1)
  @Max(100)
  maxAttempts?: number | null;

  @Field(() => Int, { nullable: true, description: 'null = untimed.' })
  @IsOptional()
  @Min(10)
  @Max(86_400)
  timeLimitSeconds?: number | null;

  @Field(() => Float, { nullable: true, description: 'null = no pass mark. Graded attempts keep their `passed`.' })
  @IsOptional()
  @Min(0)
  passingScore?: number | null;

  @Field(() => SolutionsVisibility, { nullable: true })
  @IsOptional()
  solutionsVisibility?: SolutionsVisibility;

  @Field(() => Date, { nullable: true, description: 'In the future; null = none (not with AFTER_DUE_DATE).' })
  @IsOptional()
  dueAt?: Date | null;

  @Field(() => [QuestionInput], {
    nullable: true,
    description: 'Replaces every question (with its solution). CONFLICT once anyone has started an attempt: create a new quiz instead.',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  questions?: QuestionInput[];
}

@InputType({ description: 'The answer to one question, in the field its kind uses (see QuestionKind).' })
export class AnswerInput {
  @Field(() => ID)
  questionId!: string;

  @Field(() => [Int], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  choices?: number[];

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  booleanValue?: boolean;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  numericValue?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  text?: string;
}
