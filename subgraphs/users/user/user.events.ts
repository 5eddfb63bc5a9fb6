import { domainEvent } from '../../../platform/events/domain-events';
import type { User } from './user.entity';

/**
 * `user.upserted` with the person's current state, for `recordEvent` in the transaction that
 * creates the person or changes their roles, active state, name, phone or language: other
 * subgraphs keep a read model of people from it (courses: who may be enrolled or teach;
 * messaging: where and in which language messages reach them).
 */
export function userUpserted(
  user: Pick<User, 'id' | 'schoolId' | 'roles' | 'displayName' | 'deactivatedAt' | 'email' | 'phone' | 'locale'>,
) {
  return domainEvent('user.upserted', user.schoolId, {
    userId: user.id,
    roles: [...user.roles],
    active: !user.deactivatedAt,
    displayName: user.displayName,
    // Absent, not null, when the person has none: consumers read a missing field as "none".
    email: user.email ?? undefined,
    phone: user.phone ?? undefined,
    locale: user.locale,
  });
}
