import { Roles, type RoleName } from '../../platform/auth/roles';

/**
 * Who may be given an answer another caller's request produced.
 * - `ROLES`: everyone of the same school with the same set of roles (and locale) gets the same
 *   answer: the subgraph decides from the tenant and the roles only.
 * - `USER`: the answer depends on who asks (visibility through ownership or enrollment): only
 *   the same user of the same school, with the same roles, is given it.
 */
export type CacheScope = 'ROLES' | 'USER';

export interface CacheRule {
  /** Longest time (seconds) an answer is kept; the events of `invalidation.ts` end it sooner. */
  maxAge: number;
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
}

/**
 * The allow-list: what the gateway may cache, by type and field. Anything not named here is
 * never cached and never shared between callers (default: no caching). Kept in the gateway,
 * not in `@cacheControl` hints of the subgraph schemas: composition drops a directive it is not
 * told to compose (`@composeDirective` would add it, with a `@link` of our own, to every
 * subgraph SDL, the supergraph, the API schema and the partner contract), and PUBLIC/PRIVATE
 * cannot say "same roles" nor which events end an answer.
 */
export interface CachePolicy {
  /** Object types, by name; the rule applies to the type's fields wherever they are selected. */
  types: Readonly<Record<string, TypeRule>>;
  /** Root fields of `Query`, by name: their own scope and age (the returned type's rule applies below). */
  rootFields: Readonly<Record<string, CacheRule>>;
}

/**
 * What is cached when caching is on. Read from the subgraphs' resolvers and policies:
 * - `User` (users): `_entities` answers any signed-in member of the school (null to anonymous
 *   callers, a scope of its own), and display name, roles, locale and active state are visible
 *   to every member (users/user.policy.ts); each change of them records `user.upserted`. Email,
 *   phone, children and guardians depend on who asks: not listed.
 * - `Course` (courses): visible depending on who asks (drafts to their managers, archived
 *   courses to enrolled students), so `USER`; title, teacher and status changes record
 *   `course.upserted`, enrollment changes `enrollment.*` (description, subject and grade level
 *   changes record nothing: not listed). Parents see courses through courses' read model of
 *   guardian links, updated by courses' own consumer with no event after it: never cached for them.
 * - `School` (users): only its key (the school of a user or course never changes).
 */
export const DEFAULT_CACHE_POLICY: CachePolicy = {
  types: {
    User: { maxAge: 60, scope: 'ROLES', fields: ['displayName', 'roles', 'locale', 'active', 'createdAt', 'school'] },
    Course: {
      maxAge: 60,
      scope: 'USER',
      fields: ['title', 'status', 'publishedAt', 'createdAt', 'school', 'teacher'],
      bypassRoles: [Roles.PARENT],
    },
    School: { maxAge: 300, scope: 'ROLES', fields: [] },
  },
  rootFields: {
    me: { maxAge: 60, scope: 'USER' },
    user: { maxAge: 60, scope: 'ROLES' },
    course: { maxAge: 60, scope: 'USER', bypassRoles: [Roles.PARENT] },
  },
};

/** Fields every object may have cached: the key and the type name carry no data of their own. */
export const KEY_FIELDS: ReadonlySet<string> = new Set(['id', '__typename']);
