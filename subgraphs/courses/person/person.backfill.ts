import type { MikroORM } from '@mikro-orm/core';
import { TENANT_FILTER } from '../../../platform/db/tenant';
import { domainEvent, EVERY_SCHOOL } from '../../../platform/events/domain-events';
import type { Logger } from '../../../platform/logger';
import { recordEvent } from '../../../platform/outbox/outbox';
import { Person } from '../../../platform/people/person.entity';

/** When to ask users for every person at start: `auto` when the read model is empty, `always` on every start. */
export type PeopleBackfillMode = 'auto' | 'always';

export interface PeopleBackfillOptions {
  orm: MikroORM;
  logger: Logger;
  /** Default `auto`. */
  mode?: PeopleBackfillMode;
  /**
   * While the read model stays empty after a request, ask again after each of these delays: on a
   * first deployment users may not have bound its queue yet when the request goes out, and a
   * broker drops a message no queue takes. Default [30 s, 2 min, 10 min].
   */
  retryDelaysMs?: number[];
}

export interface PeopleBackfill {
  /** Asks when the mode says so (call once the consumers are bound: the answer arrives as events). */
  start(): Promise<void>;
  stop(): void;
}

/**
 * The read model of people is filled by events from its creation on; the people that existed
 * before (an existing deployment, a fresh database, the demo seed whose events went out before
 * this service's queue existed) come from a backfill: courses records `people.backfill.requested`
 * in its outbox, users answers with `user.upserted` for every person of every school, then
 * `people.backfill.completed` per school (which the enrollment feature uses to clean up rows that
 * name nobody; see enrollment/dangling.consumer.ts). Answering twice is harmless: the events carry
 * state.
 */
export function peopleBackfill({
  orm,
  logger,
  mode = 'auto',
  retryDelaysMs = [30_000, 120_000, 600_000],
}: PeopleBackfillOptions): PeopleBackfill {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  // Every school's rows: this runs outside any request, so the tenant filter is lifted explicitly.
  const empty = async () => (await orm.em.fork().count(Person, {}, { filters: { [TENANT_FILTER]: false } })) === 0;

  const request = async (why: string) => {
    const em = orm.em.fork();
    const event = recordEvent(em, domainEvent('people.backfill.requested', EVERY_SCHOOL, { requestedBy: 'courses' }));
    await em.flush();
    logger.info({ requestId: event.id, why }, 'asked users for every person (people backfill)');
  };

  const retry = (attempt: number) => {
    const delay = retryDelaysMs[attempt];
    if (delay === undefined || stopped) return;
    timer = setTimeout(() => {
      void (async () => {
        if (stopped || !(await empty())) return;
        await request(`still no people ${delay} ms later`);
        retry(attempt + 1);
      })().catch((err) => logger.error({ err }, 'people backfill request failed'));
    }, delay);
    timer.unref();
  };

  return {
    async start() {
      const why = mode === 'always' ? 'PEOPLE_BACKFILL=always' : (await empty()) ? 'the people read model is empty' : undefined;
      if (!why) return;
      await request(why);
      retry(0);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
