/**
 * The users subgraph's people and guardian links as the subgraphs that reference them keep them
 * (courses, billing): the tables (person.entity.ts, guardian-link.entity.ts), their consumers and
 * their loaders, the same in every subgraph but for the queue names. Design and backfill:
 * docs/people-read-model.md.
 */
import type { BrokerMessage } from '../broker/message-broker';
import { applyLatest } from '../db/latest-state';
import { scopeToTenant } from '../db/tenant';
import type { DomainEventOf } from '../events/domain-events';
import { byId, idsBy } from '../graphql/loaders';
import { handleOnce } from '../outbox/outbox';
import type { ConsumerDefinition, LoaderContext } from '../subgraph/feature';
import { GuardianLink } from './guardian-link.entity';
import { Person } from './person.entity';

/**
 * `user.upserted` applied to the people of `service` (queue `<service>.people`), once per message
 * (handleOnce, as consumer `queue`), in the event's school. Events carry the whole state, so only
 * their order matters (applyLatest).
 */
export function peopleConsumer(service: string): ConsumerDefinition<DomainEventOf<'user.upserted'>> {
  const queue = `${service}.people`;
  return {
    queue,
    options: { bindings: ['user.upserted'] },
    handler:
      ({ orm }) =>
      async (message: BrokerMessage<DomainEventOf<'user.upserted'>>): Promise<void> => {
        const event = message.payload;
        const { userId, roles, active, displayName } = event.payload;
        const observedAt = new Date(event.occurredAt);
        const em = scopeToTenant(orm.em.fork(), event.tenantId);
        await handleOnce(em, queue, message.id, (tx) =>
          applyLatest(tx, Person, { id: userId, schoolId: event.tenantId }, observedAt, { roles: [...roles], active, displayName }),
        );
      },
  };
}

type GuardianEvent = DomainEventOf<'guardian.linked' | 'guardian.unlinked'>;

/** `guardian.linked` / `guardian.unlinked` applied to the links of `service` (queue `<service>.guardian-links`), once. */
export function guardianLinksConsumer(service: string): ConsumerDefinition<GuardianEvent> {
  const queue = `${service}.guardian-links`;
  return {
    queue,
    options: { bindings: ['guardian.linked', 'guardian.unlinked'] },
    handler:
      ({ orm }) =>
      async (message: BrokerMessage<GuardianEvent>): Promise<void> => {
        const event = message.payload;
        const { guardianId, studentId } = event.payload;
        const em = scopeToTenant(orm.em.fork(), event.tenantId);
        await handleOnce(em, queue, message.id, async (tx) => {
          const existing = await tx.findOne(GuardianLink, { guardianId, studentId });
          if (event.type === 'guardian.linked' && !existing) {
            tx.create(GuardianLink, { schoolId: event.tenantId, guardianId, studentId, linkedAt: new Date(event.occurredAt) });
          } else if (event.type === 'guardian.unlinked' && existing) {
            tx.remove(existing);
          }
        });
      },
  };
}

/** Per-request loaders of the people read model (through the request's tenant-scoped EntityManager). */
export function personLoaders({ em }: LoaderContext) {
  return {
    /** A person of the request's school, by user id; null for anyone else. */
    person: byId((ids) => em.find(Person, { id: { $in: ids } })),
  };
}

/** Per-request loaders of the guardian links read model. */
export function guardianLoaders({ em }: LoaderContext) {
  return {
    /** Student ids a guardian follows. */
    childIds: idsBy(
      (ids) => em.find(GuardianLink, { guardianId: { $in: ids } }),
      (l) => l.guardianId,
      (l) => l.studentId,
    ),
  };
}
