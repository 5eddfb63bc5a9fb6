import type { EntityName, MikroORM } from '@mikro-orm/core';
import { TENANT_FILTER } from '../../platform/db/tenant';
import { domainEvent, EVERY_SCHOOL } from '../../platform/events/domain-events';
import type { Logger } from '../../platform/logger';
import { recordEvent, type NewDomainEvent } from '../../platform/outbox/outbox';
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

/** A read model filled from a backfill: the request that fills it, and what the log says. */
interface Backfill {
  model: EntityName<object>;
  request: () => NewDomainEvent<unknown>;
  what: string;
}

const BACKFILLS: Backfill[] = [
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

/** The backfills decided on at start: `request()` asks for them, `stop()` ends the re-asks (at shutdown). */
export interface BackfillRequests {
  /** Records the requests decided on and schedules the re-asks; call once the consumers are bound (`afterStart`). */
  request(): Promise<void>;
  stop(): void;
}

/**
 * The read models of people (contacts) and of courses and enrollments are filled by events from
 * their creation on; what existed before (an existing deployment, a fresh database, the demo seed
 * whose events went out before this service's queues existed) comes from a backfill: messaging
 * records `people.backfill.requested` (users answers with `user.upserted` for every person of every
 * school and `guardian.linked` for every link) when it knows no contact, and
 * `courses.backfill.requested` (courses answers with `course.upserted` and `enrollment.created` with
 * `backfill: true`) when it knows no course. Answering twice is harmless: the events carry state.
 *
 * Two moments, because of a race: which read models are empty is decided here, before the
 * consumers are bound (during `wire`); the requests go out in `request()`, after they are bound, so
 * that no answer reaches a queue not there yet. Deciding after the binding would read models that
 * events may already have started to fill: users' answer to another subgraph's backfill (courses
 * asks for one at its own start) lands in the contacts queue, bound first, while the guardian-links
 * queue is still being declared; the contacts look complete, nothing is asked for, and the links
 * sent before that queue existed never come.
 */
export async function planBackfills({
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

  const planned: Array<{ backfill: Backfill; why: string }> = [];
  for (const backfill of BACKFILLS) {
    const why = mode === 'always' ? 'PEOPLE_BACKFILL=always' : (await empty(backfill.model)) ? 'the read model is empty' : undefined;
    if (why) planned.push({ backfill, why });
  }

  const ask = async (backfill: Backfill, why: string) => {
    const em = orm.em.fork();
    const event = recordEvent(em, backfill.request());
    await em.flush();
    logger.info({ requestId: event.id, why }, backfill.what);
  };
  const retry = (backfill: Backfill, attempt: number) => {
    const delay = retryDelaysMs[attempt];
    if (delay === undefined || stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void (async () => {
        if (stopped || !(await empty(backfill.model))) return;
        await ask(backfill, `still empty ${delay} ms later`);
        retry(backfill, attempt + 1);
      })().catch((err) => logger.error({ err }, 'backfill request failed'));
    }, delay);
    timer.unref();
    timers.add(timer);
  };

  return {
    async request() {
      for (const { backfill, why } of planned) {
        if (stopped) return;
        await ask(backfill, why);
        retry(backfill, 0);
      }
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
