import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import { Roles, type RoleName } from '../../../platform/auth/roles';
import { badInput } from '../../../platform/errors';
import type { CoursesContext } from '../context';
import { Person } from '../../../platform/people/person.entity';

/** Ids are UUIDs: anything else ("abc") names nobody, without a query. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const noun: Record<RoleName, string> = {
  [Roles.PLATFORM_ADMIN]: 'platform admin',
  [Roles.SCHOOL_ADMIN]: 'school admin',
  [Roles.TEACHER]: 'teacher',
  [Roles.STUDENT]: 'student',
  [Roles.PARENT]: 'parent',
};

/** Whether a person (or nobody) may be referenced as `role` by a new row: known, active, with that role. */
export function canBe(person: Person | null | undefined, role: RoleName): person is Person {
  return !!person && person.active && person.roles.includes(role);
}

/**
 * The person `id` names when they are an active member of the request's school (read model; the
 * tenant filter hides every other school), with `role` if given; otherwise BAD_USER_INPUT with
 * `extensions.field` = `field`, so a client can point at the argument. Unknown, foreign, malformed
 * and deactivated ids answer alike: nothing tells a caller whether another school has that id.
 */
export async function requirePerson(ctx: CoursesContext, id: string, field: string, role?: RoleName): Promise<Person> {
  const person = UUID.test(id) ? await ctx.loaders.person.load(id) : null;
  if (!person || !person.active) throw badInput(`${field} does not name an active member of this school`, field);
  if (role && !canBe(person, role)) throw badInput(`${field} does not name a ${noun[role]} of this school`, field);
  return person;
}

/** The same check inside a consumer's transaction (tenant-scoped `tx`): the person, or null. */
export async function personAs(tx: EntityManager, id: string, role: RoleName): Promise<Person | null> {
  const person = UUID.test(id) ? await tx.findOne(Person, { id }) : null;
  return canBe(person, role) ? person : null;
}

/**
 * `IN (SELECT id FROM person WHERE school_id = ?)`, as in `{ studentId: knownPeople(em, school) }`:
 * a list leaves out, in SQL (its page and its total alike), rows naming someone this school's read
 * model does not know. The tenant filter does not reach into a sub-query: the school is explicit.
 */
export function knownPeople(em: EntityManager, schoolId: string): { $in: string[] } {
  const ids = (em as SqlEntityManager).createQueryBuilder(Person, 'p').select('p.id').where({ schoolId }).getKnexQuery();
  // The SQL drivers take a knex query as an `$in` operand; MikroORM's types only know lists.
  return { $in: ids as unknown as string[] };
}
