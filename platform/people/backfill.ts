/**
 * The backfill of a read model fed by another subgraph's events (people, guardian links, courses):
 * what existed before the subgraph's queues did comes from a request the owner answers with events.
 * Design: docs/people-read-model.md.
 */
import type { EntityName, MikroORM } from '@mikro-orm/core';
import { TENANT_FILTER } from '../db/tenant';
import { domainEvent, EVERY_SCHOOL } from '../events/domain-events';
import type { Logger } from '../logger';
import { recordEvent, type NewDomainEvent } from '../outbox/outbox';
import { Person } from './person.entity';

/** When to ask at start: `auto` when the read model is empty, `always` on every start (PEOPLE_BACKFILL). */
export type BackfillMode = 'auto' | 'always';

/** A read model filled from a backfill: the table whose emptiness calls for it, its request, what the log says. */
export interface ReadModelBackfill {
  model: EntityName<object>;
  request: () => NewDomainEvent<unknown>;
  what: string;
}

/** Users' `user.upserted` for every person and `guardian.linked` for every link, asked for by `service`. */
export function peopleBackfill(service: string, model: EntityName<object> = Person): ReadModelBackfill {
  return {
    model,
    request: () => domainEvent('people.backfill.requested', EVERY_SCHOOL, { requestedBy: service }),
    what: 'asked users for every person (people backfill)',
  };
}

export interface BackfillPlanOptions {
  orm: MikroORM;
  logger: Logger;
  backfills: ReadModelBackfill[];
  /** Default `auto`. */
  mode?: BackfillMode;
  /**
   * While a read model stays empty after its request, ask again after each of these delays: on a
   * first deployment the owner may not have bound its queue yet when the request goes out, and a
   * broker drops a message no queue takes. Default none.
   */
  retryDelaysMs?: number[];
}

/** The backfills decided on at start: `request()` asks for them, `stop()` ends the re-asks (at shutdown). */
export interface PlannedBackfills {
  /** Records the requests decided on and schedules the re-asks; call once the consumers are bound (`afterStart`). */
  request(): Promise<void>;
  stop(): void;
}

/**
 * Decides which backfills to ask for; call it during the subgraph's `wire`, before the host binds
 * any queue, and `request()` from `afterStart`, once they are bound (no answer may reach a queue not
 * there yet). Two moments because of a race: deciding after the binding would read models that
 * events may already have begun to fill. Users' answer to another subgraph's people backfill
 * reaches this service's queues while they are being bound, one by one: the part sent before a
 * queue existed is lost (courses binds people before guardian links, billing the other way round),
 * the rest makes the people look known, and nothing would be asked for. Answering twice is
 * harmless: the events carry state.
 */
export async function planBackfills({
  orm,
  logger,
  backfills,
  mode = 'auto',
  retryDelaysMs = [],
}: BackfillPlanOptions): Promise<PlannedBackfills> {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  // Every school's rows: this runs outside any request, so the tenant filter is lifted explicitly.
  const empty = async (model: EntityName<object>) => (await orm.em.fork().count(model, {}, { filters: { [TENANT_FILTER]: false } })) === 0;

  const planned: Array<{ backfill: ReadModelBackfill; why: string }> = [];
  for (const backfill of backfills) {
    const why = mode === 'always' ? 'PEOPLE_BACKFILL=always' : (await empty(backfill.model)) ? 'the read model is empty' : undefined;
    if (why) planned.push({ backfill, why });
  }

  const ask = async (backfill: ReadModelBackfill, why: string) => {
    const em = orm.em.fork();
    const event = recordEvent(em, backfill.request());
    await em.flush();
    logger.info({ requestId: event.id, why }, backfill.what);
  };
  // A re-ask looks again: by then an empty model means the answer was lost, not yet to come.
  const retry = (backfill: ReadModelBackfill, attempt: number) => {
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
