import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { applyLatest } from '../../../platform/db/latest-state';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import { handleOnce } from '../../../platform/outbox/outbox';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { Contact } from './contact.entity';

/**
 * `user.upserted` applied to the contacts, once per message (handleOnce, as consumer `queue`), in
 * the event's school; live changes and a people backfill's answers alike. Events carry the whole
 * state, so only their order matters (applyLatest).
 */
export const contactsConsumer: ConsumerDefinition<DomainEventOf<'user.upserted'>> = {
  queue: 'messaging.contacts',
  options: { bindings: ['user.upserted'] } satisfies ConsumeOptions,

  handler({ orm }: ConsumerRuntime) {
    return async (message: BrokerMessage<DomainEventOf<'user.upserted'>>): Promise<void> => {
      const event = message.payload;
      const { userId, roles, active, displayName, email, phone, locale } = event.payload;
      const observedAt = new Date(event.occurredAt);
      const em = scopeToTenant(orm.em.fork(), event.tenantId);
      // A field the event leaves out is one the person does not have (state, not a delta); an
      // event from before users sent languages reads as the platform's default, Arabic.
      const state = { roles: [...roles], active, displayName, email, phone, locale: locale === 'EN' ? ('EN' as const) : ('AR' as const) };
      await handleOnce(em, contactsConsumer.queue, message.id, (tx) =>
        applyLatest(tx, Contact, { id: userId, schoolId: event.tenantId }, observedAt, state),
      );
    };
  },
};
