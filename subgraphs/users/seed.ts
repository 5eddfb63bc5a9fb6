import type { MikroORM } from '@mikro-orm/core';
import { DEMO } from '../../platform/demo';
import type { Logger } from '../../platform/logger';
import { recordEvent } from '../../platform/outbox/outbox';
import type { PasswordHasher } from './auth/password';
import { GuardianLink } from './guardian/guardian-link.entity';
import { School } from './school/school.entity';
import { Locale, Role } from './user/role';
import { User } from './user/user.entity';
import { userUpserted } from './user/user.events';

/**
 * Seeds the `demo` and `nile` schools once (first start); a no-op when `demo` exists. Records
 * `user.upserted` for each person, like any creation of a person.
 */
export async function seedDemo(orm: MikroORM, hasher: PasswordHasher, logger: Logger): Promise<void> {
  const em = orm.em.fork();
  if (await em.count(School, { slug: DEMO.schools.demo.slug })) return;
  const passwordHash = await hasher.hash(DEMO.password);
  const { demo, nile } = DEMO.schools;
  const u = DEMO.users;
  await em.transactional(async (tx) => {
    tx.create(School, { ...demo, locale: Locale.AR, timezone: 'Africa/Cairo' });
    tx.create(School, { ...nile, locale: Locale.EN, timezone: 'Africa/Cairo' });
    const person = (school: string, data: { id: string; email: string; displayName: string }, roles: Role[], locale = Locale.AR) => {
      const user = tx.create(User, { ...data, schoolId: school, roles, passwordHash, locale });
      // Whoever listens already learns of them; a subgraph started later asks for a backfill.
      recordEvent(tx, userUpserted(user));
      return user;
    };
    person(demo.id, u.demoAdmin, [Role.SCHOOL_ADMIN]);
    person(demo.id, u.demoTeacher, [Role.TEACHER]);
    const student = person(demo.id, u.demoStudent, [Role.STUDENT]);
    const parent = person(demo.id, u.demoParent, [Role.PARENT]);
    person(nile.id, u.nileAdmin, [Role.SCHOOL_ADMIN], Locale.EN);
    tx.create(GuardianLink, { schoolId: demo.id, guardian: parent, student });
  });
  logger.info('seeded demo schools (demo, nile)');
}
