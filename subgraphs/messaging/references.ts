/** The other subgraphs' entities this subgraph references or extends: keys only (no other subgraph imported). */
import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The users subgraph's `User`, as messaging knows it: the key only. Names, roles and the rest
 * come from users through the gateway (`Message.sender`, `Conversation.participants`).
 */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}

export const userRef = (id: string): UserRef => Object.assign(new UserRef(), { id });

/** The courses subgraph's `Course`, as messaging knows it: the key only (`Announcement.course`). */
@Directive('@key(fields: "id")')
@ObjectType('Course')
export class CourseRef {
  @Field(() => ID)
  id!: string;
}

export const courseRef = (id: string): CourseRef => Object.assign(new CourseRef(), { id });
