import { IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { NotBlank } from '../../../platform/graphql/validation';
import { LessonKind } from './lesson.entity';

/** Twelve hours: longer is a typo, not a lesson. */
export const MAX_LESSON_SECONDS = 12 * 3600;
export const MAX_LESSON_TEXT = 100_000;

@InputType()
export class AddLessonInput {
  @Field()
  @Length(1, 200)
  @NotBlank()
  title!: string;

  @Field(() => LessonKind)
  kind!: LessonKind;

  @Field(() => Int, { nullable: true, description: 'Expected study time; 0 to 43200.' })
  @IsOptional()
  @Min(0)
  @Max(MAX_LESSON_SECONDS)
  durationSeconds?: number;

  @Field(() => String, { nullable: true, description: 'Required for TEXT lessons (Markdown); an optional note for the others.' })
  @IsOptional()
  @MaxLength(MAX_LESSON_TEXT)
  content?: string;
}

@InputType({ description: 'Only the fields given change; null clears durationSeconds or content.' })
export class UpdateLessonInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @NotBlank()
  title?: string;

  @Field(() => LessonKind, { nullable: true })
  @IsOptional()
  kind?: LessonKind;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(MAX_LESSON_SECONDS)
  durationSeconds?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_LESSON_TEXT)
  content?: string | null;
}
