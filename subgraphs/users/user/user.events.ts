import { domainEvent } from '../../../platform/events/domain-events';
import type { User } from './user.entity';

/**
 * `user.upserted` with the person's current state, for `recordEvent` in the transaction that
 * creates the person or changes their roles, active state or name: other subgraphs keep a read
 * model of people from it (courses: who may be enrolled or teach). `active` is always true so far:
 * there is no deactivation yet; the one that comes must record this event too.
 */
export function userUpserted(user: Pick<User, 'id' | 'schoolId' | 'roles' | 'displayName'>) {
  return domainEvent('user.upserted', user.schoolId, {
    userId: user.id,
    roles: [...user.roles],
    active: true,
    displayName: user.displayName,
  });
}
