import { IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { NotBlank } from '../../../platform/graphql/validation';

@InputType()
export class ScheduleLiveSessionInput {
  @Field()
  @Length(1, 200)
  @NotBlank()
  title!: string;

  @Field({ description: 'In the future.' })
  startsAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Planned end, after startsAt.' })
  @IsOptional()
  endsAt?: Date;
}
