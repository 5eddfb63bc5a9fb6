import type { MikroORM } from '@mikro-orm/core';
import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { domainEvent, type DomainEventOf } from '../../../platform/events/domain-events';
import { BACKFILL_BATCH, recordForEachRow } from '../../../platform/outbox/in-batches';
import { handleOnce, ProcessedMessage, recordEvent } from '../../../platform/outbox/outbox';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { GuardianLink } from '../guardian/guardian-link.entity';
import { School } from '../school/school.entity';
import { User } from './user.entity';
import { userUpserted } from './user.events';

export const peopleBackfillConsumer: ConsumerDefinition<DomainEventOf<'people.backfill.requested'>> = {
  /** Queue name (after the deployment's queue prefix). */
  queue: 'users.people-backfill',
  options: { bindings: ['people.backfill.requested'] } satisfies ConsumeOptions,

  /**
   * Answers a subgraph that asks for every person (its read model of people is new): records
   * `user.upserted` for every person of every school and `guardian.linked` for every guardian link
   * (the read models of links are as new), a batch per transaction, then per school a
   * `people.backfill.completed` with the number sent, recorded after them. The completions are
   * recorded together with the request's processed id (handleOnce), so a request is answered once;
   * a crash half-way sends the batches again on the redelivery, which is harmless: the events carry
   * state, and consumers keep the latest.
   */
  handler({ orm, logger }: ConsumerRuntime) {
    return async (message: BrokerMessage<DomainEventOf<'people.backfill.requested'>>): Promise<void> => {
      const consumer = peopleBackfillConsumer.queue;
      if (await orm.em.fork().count(ProcessedMessage, { consumer, messageId: message.id })) return;
      const schools = await orm.em.fork().find(School, {}, { orderBy: { id: 'asc' } });
      const sent: Array<[string, number]> = [];
      for (const school of schools) {
        sent.push([school.id, await sendPeopleOf(orm, school.id)]);
        await sendGuardianLinksOf(orm, school.id);
      }
      await handleOnce(orm.em.fork(), consumer, message.id, async (tx) => {
        for (const [schoolId, people] of sent) {
          recordEvent(tx, domainEvent('people.backfill.completed', schoolId, { requestId: message.id, people }));
        }
      });
      const people = sent.reduce((n, [, count]) => n + count, 0);
      logger.info(
        { requestId: message.id, requestedBy: message.payload.payload.requestedBy, schools: schools.length, people },
        'people backfill sent',
      );
    };
  },
};

/** Records `user.upserted` for every person of the school, in batches; returns how many. */
const sendPeopleOf = (orm: MikroORM, schoolId: string): Promise<number> =>
  recordForEachRow(
    orm,
    schoolId,
    (tx, after) => tx.find(User, { id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: BACKFILL_BATCH }),
    (tx, user) => recordEvent(tx, userUpserted(user)),
  );

/** Records `guardian.linked` for every guardian link of the school, in batches (consumers ignore a link they have). */
const sendGuardianLinksOf = (orm: MikroORM, schoolId: string): Promise<number> =>
  recordForEachRow(
    orm,
    schoolId,
    (tx, after) => tx.find(GuardianLink, { id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: BACKFILL_BATCH }),
    (tx, link) => recordEvent(tx, domainEvent('guardian.linked', schoolId, { guardianId: link.guardian.id, studentId: link.student.id })),
  );
