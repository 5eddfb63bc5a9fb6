import type { EntityManager } from '@mikro-orm/core';
import { OutboxMessage, ProcessedMessage } from '../platform/outbox/outbox';
import type { SubgraphService } from '../platform/subgraph/host';
import { eventually } from './eventually';
import type { Stack } from './stack';

/**
 * Resolves once `service` has applied every event users sent in answer to its people backfill
 * requests so far, so that none of them is left to land later (a test that then wipes the read
 * models). Counting people is not enough: a second answer (the demo seed asks too) may still be on
 * its way. Users records its answer after the request (outbox sequence numbers only grow in one
 * process), and marks the request processed after its last event.
 */
export async function peopleBackfillApplied(stack: Stack, service: string, timeoutMs = 60_000): Promise<void> {
  const own = () => stack.service<SubgraphService>(service).orm().em.fork();
  const users = () => stack.service<SubgraphService>('users').orm().em.fork();
  await eventually(
    async () => {
      const requests = await own().find(OutboxMessage, { type: 'people.backfill.requested' }, { orderBy: { sequence: 'asc' } });
      if (!requests.length || requests.some((r) => r.status !== 'published')) throw new Error(`${service} has not asked yet`);
      const answered = await users().count(ProcessedMessage, {
        consumer: 'users.people-backfill',
        messageId: { $in: requests.map((r) => r.id) },
      });
      if (answered < requests.length) throw new Error(`users answered ${answered} of ${requests.length} requests`);
      const answers = await users().find(OutboxMessage, {
        type: { $in: ['user.upserted', 'guardian.linked'] },
        sequence: { $gt: requests[0].sequence },
      });
      if (answers.some((a) => a.status !== 'published')) throw new Error('users has not sent its whole answer yet');
      const queues = [`${service}.people`, `${service}.guardian-links`];
      const applied = await own().count(ProcessedMessage, { consumer: { $in: queues }, messageId: { $in: answers.map((a) => a.id) } });
      if (applied < answers.length) throw new Error(`${service} applied ${applied} of ${answers.length} events of the answer`);
    },
    timeoutMs,
    50,
  );
}

/** The people backfill requests a service has recorded in its outbox (school and payload each). */
export async function backfillRequests(orm: { em: { fork(): EntityManager } }): Promise<Array<{ tenantId: string; payload: unknown }>> {
  const rows = await orm.em.fork().find(OutboxMessage, { type: 'people.backfill.requested' });
  return rows.map((r) => ({ tenantId: r.tenantId, payload: JSON.parse(r.payload) as unknown }));
}
