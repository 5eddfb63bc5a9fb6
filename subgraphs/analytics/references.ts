/** The other subgraphs' entities this subgraph extends: keys only (no other subgraph imported). */
import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The courses subgraph's `Course`: analytics adds `analytics`. */
@Directive('@key(fields: "id")')
@ObjectType('Course')
export class CourseRef {
  @Field(() => ID)
  id!: string;
}

/** The users subgraph's `School`: analytics adds `analytics`. */
@Directive('@key(fields: "id")')
@ObjectType('School')
export class SchoolRef {
  @Field(() => ID)
  id!: string;
}

/** The courses subgraph's `LiveSession`: analytics adds `analytics`. */
@Directive('@key(fields: "id")')
@ObjectType('LiveSession')
export class LiveSessionRef {
  @Field(() => ID)
  id!: string;
}

export const courseRef = (id: string): CourseRef => Object.assign(new CourseRef(), { id });
export const schoolRef = (id: string): SchoolRef => Object.assign(new SchoolRef(), { id });
export const liveSessionRef = (id: string): LiveSessionRef => Object.assign(new LiveSessionRef(), { id });
