import { IsOptional, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { NotBlank } from '../../../platform/graphql/validation';
import { PlanInterval } from './plan.entity';

/** 1,000,000 EGP: far above any school fee, far below Paymob's and MySQL's integer limits. */
export const MAX_PRICE_PIASTERS = 100_000_000;

@InputType()
export class CreatePlanInput {
  @Field()
  @Length(1, 200)
  @NotBlank()
  name!: string;

  @Field(() => Int, { description: 'Price per interval in piasters (EGP × 100), at least 100 (1 EGP).' })
  @Min(100)
  @Max(MAX_PRICE_PIASTERS)
  amountPiasters!: number;

  @Field(() => PlanInterval)
  interval!: PlanInterval;

  @Field(() => ID, { nullable: true, description: 'The course the plan sells; none for a school-wide plan.' })
  @IsOptional()
  courseId?: string;
}
