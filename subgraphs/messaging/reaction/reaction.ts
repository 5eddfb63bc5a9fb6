import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { BrokerMessage } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { DomainEventOf, DomainEventType } from '../../../platform/events/domain-events';
import type { Logger } from '../../../platform/logger';
import { handleOnce } from '../../../platform/outbox/outbox';
import type { ConsumerDefinition } from '../../../platform/subgraph/feature';
import type { MessagingConfig } from '../env';
import type { Notify } from '../notification/notify';

/**
 * What every reaction needs besides the ORM and logger the host gives a consumer: the `notify`
 * function (built when the service starts) and the settings it reads.
 */
export interface ReactionDeps {
  notify: Notify;
  config: Pick<MessagingConfig, 'liveReminderMinutes' | 'publicUrl'>;
}

/** What one event's handling may use, inside its `handleOnce` transaction. */
export interface ReactionContext {
  message: BrokerMessage;
  logger: Logger;
  orm: MikroORM;
}

/**
 * A consumer of the domain events `types` on its own queue (`messaging.<name>`), applying each
 * event once: `handle` runs in the event's school (tenant filter on) inside `handleOnce`'s
 * transaction, so the notifications it makes (and their delivery jobs, through the outbox) are
 * committed with the record that the event was handled, or not at all (a failure is retried by the
 * broker). The payloads carry secrets: the log line names the event by id and type only.
 */
export function reaction<T extends DomainEventType>(
  queue: string,
  types: readonly T[],
  handle: (tx: EntityManager, event: DomainEventOf<T>, ctx: ReactionContext) => Promise<void>,
): ConsumerDefinition<DomainEventOf<T>> {
  return {
    queue,
    options: { bindings: [...types] },
    handler:
      ({ orm, logger }) =>
      async (message: BrokerMessage<DomainEventOf<T>>): Promise<void> => {
        const event = message.payload;
        const em = scopeToTenant(orm.em.fork(), event.tenantId);
        const applied = await handleOnce(em, queue, message.id, (tx) => handle(tx, event, { message, logger, orm }));
        logger.debug({ queue, eventId: event.id, type: event.type, schoolId: event.tenantId, applied }, 'reaction handled');
      },
  };
}

/**
 * Narrows an event of a consumer's several types to one (the envelope's `type` is a plain string
 * to the compiler, so it does not narrow the payload by itself).
 */
export const isEvent = <T extends DomainEventType>(event: { type: string }, type: T): event is DomainEventOf<T> => event.type === type;
