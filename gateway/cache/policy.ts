import { Roles, type RoleName } from '../../platform/auth/roles';

/**
 * Who may be given an answer another caller's request produced.
 * - `ROLES`: everyone of the same school with the same set of roles (and locale) gets the same
 *   answer: the subgraph decides from the tenant and the roles only.
 * - `USER`: the answer depends on who asks (visibility through ownership or enrollment): only
 *   the same user of the same school, with the same roles, is given it.
 * A subgraph's answer marked `private` (its `@cacheControl(scope: PRIVATE)` hints) is `USER`
 * whatever the rule says.
 */
export type CacheScope = 'ROLES' | 'USER';

/**
 * Who may share what the gateway caches. How long it is kept is not said here: each subgraph
 * answer says it (`Cache-Control` from the `@cacheControl` hints of its schema, hint.ts), and an
 * answer without a max-age is not kept at all.
 */
export interface CacheRule {
  scope: CacheScope;
  /**
   * Callers holding any of these roles are neither served from the cache nor stored into it
   * (their answer depends on data the gateway hears no event about in time). Default none.
   */
  bypassRoles?: readonly RoleName[];
}

export interface TypeRule extends CacheRule {
  /**
   * The fields whose value may be cached: each must depend on nothing but the scope and data
   * whose every change sends an event mapped in `invalidation.ts`. `id` and `__typename` always may.
   */
  fields: readonly string[];
  /**
   * Fields of `fields` whose answer depends on more than the type's scope says (a list filtered by
   * who asks, on a type shared by roles): their own rule applies too wherever they are selected.
   */
  fieldRules?: Readonly<Record<string, CacheRule>>;
  /**
   * A wrapper with no data of its own (a connection, an edge): the types whose events end it. Its
   * `totalCount` and edges change when those of its nodes' type change, so an answer with its data
   * also carries their tags (a root field's connection selected for `totalCount` alone included).
   */
  endedBy?: readonly string[];
  /**
   * Fields of `fields` that no API path changes, so no event can say they did (a school's name and
   * slug are set when it is provisioned): kept for their hint's TTL only.
   */
  unchangedByApi?: readonly string[];
}

/**
 * The allow-list: what the gateway may cache, by type and field, and who may share it. Anything
 * not named here is never cached and never shared between callers (default: no caching), whatever
 * the subgraphs' hints say: a hint says how long a subgraph's data stays good and whether it
 * depends on the caller, not which events end it (invalidation.ts), which roles may share it, nor
 * which roles must bypass. The TTL comes from the hints only (see README: "TTLs").
 */
export interface CachePolicy {
  /** Object types, by name; the rule applies to the type's fields wherever they are selected. */
  types: Readonly<Record<string, TypeRule>>;
  /** Root fields of `Query`, by name: their own scope (the returned type's rule applies below). */
  rootFields: Readonly<Record<string, CacheRule>>;
}

/**
 * What may be cached when caching is on. Read from the subgraphs' resolvers and policies:
 * - `User` (users): `_entities` answers any signed-in member of the school (null to anonymous
 *   callers, a scope of its own), and display name, roles, locale and active state are visible
 *   to every member (users/user.policy.ts); each change of them records `user.upserted`. Email,
 *   phone, children and guardians depend on who asks: not listed (nor hinted).
 * - `Course` (courses): visible depending on who asks (drafts to their managers, archived
 *   courses to enrolled students), so `USER` (and hinted PRIVATE); title, teacher and status
 *   changes record `course.upserted`, enrollment changes `enrollment.*` (description, subject
 *   and grade level changes record nothing: not listed). Parents see courses through courses'
 *   read model of guardian links, updated by courses' own consumer with no event after it:
 *   never cached for them.
 * - `User.teachingCourses` (courses): the courses of a teacher the caller may see: `USER`,
 *   never for parents (courses' guardian read model again), whatever `User`'s own rule says.
 * - `courses` (root field): what the caller may see (admins all; teachers their own and the
 *   published; students also the archived ones they are enrolled in): `USER`, not parents.
 * - `Course.lessons`, `Lesson` title/kind/position/duration: every add, edit and reorder records
 *   `lesson.upserted`, a delete `lesson.deleted`. File, content and `completed` are not listed
 *   (an upload records nothing; `completed` and the content depend on who asks).
 * - `Course.liveSessions`, `LiveSession` title/times/status: changed only by scheduling,
 *   rescheduling, starting, ending and canceling, each recording its `live.session.*` event (no
 *   edit of a title exists); attendance, participants and polls are not listed.
 * - `Course.enrollments` (its teacher and admins see every enrollment, students their own),
 *   `Enrollment` status/progress/dates/student: `enrollment.created|dropped|removed` (staff, a
 *   plan subscription activated or expired), `lesson.completed`, and a lesson added or deleted
 *   (progress is completed over all lessons; adding one reopens COMPLETED enrollments). The roster
 *   also leaves out people courses' read model does not know yet: a person is known before any
 *   enrollment of theirs can be made, so only a lost and rebuilt read model changes it unheard
 *   (the hints' TTL bounds that).
 * - The connections and edges of both lists (`totalCount`, `edges`, `node`, `cursor`): ended by
 *   their nodes' events. `pageInfo` is not listed: `PageInfo` is shared by every subgraph, most of
 *   which do not declare `@cacheControl`, so its fields carry no hint.
 * - `School` (users): its key (the school of a user or course never changes), `name` and `slug`,
 *   public to everyone of the school (the anonymous `school` query answers them) and changed by no
 *   API path: schools are provisioned, and the gateway's tenant directory keeps them an hour
 *   anyway. A change made outside the API is seen within its hint's 60 s. A mutation that changes
 *   them must record an event mapped in invalidation.ts and leave `unchangedByApi`.
 */
const USER_NOT_PARENTS: CacheRule = { scope: 'USER', bypassRoles: [Roles.PARENT] };

export const DEFAULT_CACHE_POLICY: CachePolicy = {
  types: {
    User: {
      scope: 'ROLES',
      fields: ['displayName', 'roles', 'locale', 'active', 'createdAt', 'school', 'teachingCourses'],
      fieldRules: { teachingCourses: USER_NOT_PARENTS },
    },
    Course: {
      ...USER_NOT_PARENTS,
      fields: ['title', 'status', 'publishedAt', 'createdAt', 'school', 'teacher', 'lessons', 'liveSessions', 'enrollments'],
    },
    CourseConnection: { ...USER_NOT_PARENTS, fields: ['edges', 'totalCount'], endedBy: ['Course'] },
    CourseEdge: { ...USER_NOT_PARENTS, fields: ['node', 'cursor'], endedBy: ['Course'] },
    Lesson: { ...USER_NOT_PARENTS, fields: ['title', 'kind', 'position', 'durationSeconds'] },
    LiveSession: { ...USER_NOT_PARENTS, fields: ['title', 'startsAt', 'endsAt', 'status'] },
    Enrollment: { ...USER_NOT_PARENTS, fields: ['status', 'progress', 'completedAt', 'enrolledAt', 'student'] },
    EnrollmentConnection: { ...USER_NOT_PARENTS, fields: ['edges', 'totalCount'], endedBy: ['Enrollment'] },
    EnrollmentEdge: { ...USER_NOT_PARENTS, fields: ['node', 'cursor'], endedBy: ['Enrollment'] },
    School: { scope: 'ROLES', fields: ['name', 'slug'], unchangedByApi: ['name', 'slug'] },
  },
  rootFields: {
    me: { scope: 'USER' },
    user: { scope: 'ROLES' },
    school: { scope: 'ROLES' },
    course: USER_NOT_PARENTS,
    courses: USER_NOT_PARENTS,
  },
};

/** Fields every object may have cached: the key and the type name carry no data of their own. */
export const KEY_FIELDS: ReadonlySet<string> = new Set(['id', '__typename']);
