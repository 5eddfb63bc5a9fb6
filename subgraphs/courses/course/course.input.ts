import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { NotBlank } from '../../../platform/graphql/validation';

@InputType()
export class CreateCourseInput {
  @Field()
  @Length(1, 200)
  @NotBlank()
  title!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(10_000)
  description?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100)
  subject?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(50)
  gradeLevel?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'School admins only: the teacher who runs the course (an active teacher of the school). Default: the caller.',
  })
  @IsOptional()
  teacherId?: string;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
export class UpdateCourseInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @NotBlank()
  title?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(10_000)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100)
  subject?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(50)
  gradeLevel?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'School admins only: hand the course to another teacher (an active teacher of the school).',
  })
  @IsOptional()
  teacherId?: string;
}
