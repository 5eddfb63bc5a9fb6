import { domainEvent } from '../../../platform/events/domain-events';
import type { User } from './user.entity';

/**
 * `user.upserted` with the person's current state, for `recordEvent` in the transaction that
 * creates the person or changes their roles, active state or name: other subgraphs keep a read
 * model of people from it (courses: who may be enrolled or teach).
 */
export function userUpserted(user: Pick<User, 'id' | 'schoolId' | 'roles' | 'displayName' | 'deactivatedAt'>) {
  return domainEvent('user.upserted', user.schoolId, {
    userId: user.id,
    roles: [...user.roles],
    active: !user.deactivatedAt,
    displayName: user.displayName,
  });
}
