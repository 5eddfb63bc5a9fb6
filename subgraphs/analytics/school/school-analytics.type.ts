import { Field, Int, ObjectType } from 'type-graphql';
import { Money } from '../payment/money';

@ObjectType({ description: "A school's figures over rolling windows (the last 7 or 30 days) and the school's calendar day." })
export class SchoolAnalytics {
  @Field(() => Int, {
    description:
      'Students who completed a lesson, submitted a quiz or attended a live session in the last 7 days (in a course they are enrolled in).',
  })
  activeStudents7d!: number;

  @Field(() => Int, { description: 'Enrollments made in the last 30 days (those removed as mistakes left out).' })
  enrollments30d!: number;

  @Field(() => Money, { description: 'Payments confirmed in the last 30 days, less the refunds made in them.' })
  revenue30d!: Money;

  @Field(() => Int, { description: "Live sessions of today (the school's time zone), held or planned; canceled ones left out." })
  liveSessionsToday!: number;
}
