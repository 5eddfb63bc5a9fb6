/** The other subgraphs' entities this subgraph references: keys only (no feature of this subgraph imported). */
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { cacheHint } from '../../platform/graphql/cache-control';

/**
 * The users subgraph's `User`, as this subgraph knows it: the key only, plus the fields
 * user/user.resolver.ts adds. The gateway fetches every other field of a user from users.
 */
@Directive('@key(fields: "id")')
// `_entities` fetches of a User (for teachingCourses) may be kept: each field says whether, with its own hint.
@Directive(cacheHint(60, 'PRIVATE'))
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}

/** The users subgraph's `School`: a reference only (this subgraph cannot resolve one). */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('School')
export class SchoolRef {
  @Field(() => ID)
  id!: string;
}

export const userRef = (id: string): UserRef => Object.assign(new UserRef(), { id });
export const schoolRef = (id: string): SchoolRef => Object.assign(new SchoolRef(), { id });
