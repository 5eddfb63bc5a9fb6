import type { EntityName, MikroORM } from '@mikro-orm/core';
import { TENANT_FILTER } from '../../platform/db/tenant';
import { domainEvent, EVERY_SCHOOL } from '../../platform/events/domain-events';
import type { Logger } from '../../platform/logger';
import { recordEvent } from '../../platform/outbox/outbox';
import { Contact } from './contact/contact.entity';
import { CourseInfo } from './course/course-info.entity';

/** When to ask at start: `auto` when the read model is empty, `always` on every start (PEOPLE_BACKFILL). */
export type BackfillMode = 'auto' | 'always';

export interface BackfillOptions {
  orm: MikroORM;
  logger: Logger;
  /** Default `auto`. */
  mode?: BackfillMode;
  /**
   * While a read model stays empty after its request, ask again after each of these delays: on a
   * first deployment users or courses may not have bound its queue yet when the request goes out,
   * and a broker drops a message no queue takes. Default [30 s, 2 min, 10 min].
   */
  retryDelaysMs?: number[];
}

/** The pending re-asks of `requestBackfills`; `stop()` ends them (at shutdown). */
export interface BackfillRequests {
  stop(): void;
}

/**
 * The read models of people (contacts) and of courses and enrollments are filled by events from
 * their creation on; what existed before (an existing deployment, a fresh database, the demo seed
 * whose events went out before this service's queues existed) comes from a backfill: messaging
 * records `people.backfill.requested` (users answers with `user.upserted` for every person of every
 * school) when it knows no contact, and `courses.backfill.requested` (courses answers with
 * `course.upserted` and `enrollment.created` with `backfill: true`) when it knows no course. Call it
 * once the consumers are bound (`afterStart`): the answers arrive as events. Answering twice is
 * harmless: the events carry state.
 */
export async function requestBackfills({
  orm,
  logger,
  mode = 'auto',
  retryDelaysMs = [30_000, 120_000, 600_000],
}: BackfillOptions): Promise<BackfillRequests> {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  // Every school's rows: this runs outside any request, so the tenant filter is lifted explicitly.
  const empty = async (entity: EntityName<object>) =>
    (await orm.em.fork().count(entity, {}, { filters: { [TENANT_FILTER]: false } })) === 0;

  const backfills = [
    {
      model: Contact,
      request: () => domainEvent('people.backfill.requested', EVERY_SCHOOL, { requestedBy: 'messaging' }),
      what: 'asked users for every person (people backfill)',
    },
    {
      model: CourseInfo,
      request: () => domainEvent('courses.backfill.requested', EVERY_SCHOOL, { requestedBy: 'messaging' }),
      what: 'asked courses for every course and enrollment (courses backfill)',
    },
  ];

  for (const backfill of backfills) {
    const request = async (why: string) => {
      const em = orm.em.fork();
      const event = recordEvent(em, backfill.request());
      await em.flush();
      logger.info({ requestId: event.id, why }, backfill.what);
    };
    const retry = (attempt: number) => {
      const delay = retryDelaysMs[attempt];
      if (delay === undefined || stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        void (async () => {
          if (stopped || !(await empty(backfill.model))) return;
          await request(`still empty ${delay} ms later`);
          retry(attempt + 1);
        })().catch((err) => logger.error({ err }, 'backfill request failed'));
      }, delay);
      timer.unref();
      timers.add(timer);
    };
    const why = mode === 'always' ? 'PEOPLE_BACKFILL=always' : (await empty(backfill.model)) ? 'the read model is empty' : undefined;
    if (!why) continue;
    await request(why);
    retry(0);
  }

  return {
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
