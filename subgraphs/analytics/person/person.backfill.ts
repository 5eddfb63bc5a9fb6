import type { MikroORM } from '@mikro-orm/core';
import { TENANT_FILTER } from '../../../platform/db/tenant';
import { domainEvent, EVERY_SCHOOL } from '../../../platform/events/domain-events';
import type { Logger } from '../../../platform/logger';
import { recordEvent } from '../../../platform/outbox/outbox';
import { Person } from '../../../platform/people/person.entity';

/**
 * People who existed before this service's queue did come from a backfill: when the read model is
 * empty at start, analytics records `people.backfill.requested`, and users answers with
 * `user.upserted` for everyone (state events: answering twice is harmless). Run once the
 * consumers are bound (the host's `afterStart`), or the answer could reach no queue.
 */
export async function requestPeopleBackfill(orm: MikroORM, logger: Logger): Promise<void> {
  // Every school's rows: this runs outside any request, so the tenant filter is lifted explicitly.
  if ((await orm.em.fork().count(Person, {}, { filters: { [TENANT_FILTER]: false } })) > 0) return;
  const em = orm.em.fork();
  const event = recordEvent(em, domainEvent('people.backfill.requested', EVERY_SCHOOL, { requestedBy: 'analytics' }));
  await em.flush();
  logger.info({ requestId: event.id }, 'asked users for every person (people backfill)');
}
