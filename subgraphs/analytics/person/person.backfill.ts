import type { MikroORM } from '@mikro-orm/core';
import { TENANT_FILTER } from '../../../platform/db/tenant';
import { domainEvent, EVERY_SCHOOL } from '../../../platform/events/domain-events';
import type { Logger } from '../../../platform/logger';
import { recordEvent } from '../../../platform/outbox/outbox';
import { Person } from '../../../platform/people/person.entity';

/** The people backfill decided on at start; `request()` asks for it when it was decided on. */
export interface PeopleBackfill {
  request(): Promise<void>;
}

/**
 * People who existed before this service's queue did come from a backfill: when the read model is
 * empty at start, analytics records `people.backfill.requested`, and users answers with
 * `user.upserted` for everyone (state events: answering twice is harmless).
 *
 * Decided here, before the consumers are bound (during `wire`); asked in `request()`, once they are
 * bound (the host's `afterStart`), or the answer could reach no queue. Deciding after the binding
 * would read a model that users' answer to another subgraph's backfill may already have begun to
 * fill, the rest of that answer having gone out before this queue existed: it would look known and
 * never be asked for.
 */
export async function planPeopleBackfill(orm: MikroORM, logger: Logger): Promise<PeopleBackfill> {
  // Every school's rows: this runs outside any request, so the tenant filter is lifted explicitly.
  const empty = (await orm.em.fork().count(Person, {}, { filters: { [TENANT_FILTER]: false } })) === 0;
  return {
    async request() {
      if (!empty) return;
      const em = orm.em.fork();
      const event = recordEvent(em, domainEvent('people.backfill.requested', EVERY_SCHOOL, { requestedBy: 'analytics' }));
      await em.flush();
      logger.info({ requestId: event.id }, 'asked users for every person (people backfill)');
    },
  };
}
