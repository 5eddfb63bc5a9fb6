/** The other subgraphs' entities this subgraph references or extends: keys only (no other subgraph imported). */
import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The users subgraph's `User`, as billing knows it: the key, plus the fields billing adds
 * (`payments`, `planSubscriptions`, payment/payment.extensions.ts). Every other field of a person
 * comes from users through the gateway.
 */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}

/**
 * The courses subgraph's `Course`, as billing knows it: the key, plus `plans`
 * (plan/plan.extensions.ts). Title, teacher and the rest come from courses.
 */
@Directive('@key(fields: "id")')
@ObjectType('Course')
export class CourseRef {
  @Field(() => ID)
  id!: string;
}

export const userRef = (id: string): UserRef => Object.assign(new UserRef(), { id });
export const courseRef = (id: string): CourseRef => Object.assign(new CourseRef(), { id });
