import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { ProcessedMessage } from './processed-message.entity';

/**
 * Idempotent consumer: runs `fn` in a transaction that also records `(consumer, messageId)`, and
 * returns false without running it when that message was already applied. Ack the delivery after
 * it resolves (either way); when `fn` throws, nothing is recorded and a redelivery runs it again.
 *
 * The id is inserted first, so it claims the message: a concurrent delivery of the same message
 * waits on that row's lock (MySQL) or on the single connection (SQLite) until this transaction
 * ends, then sees the key taken. Inside `fn` use only `tx`.
 */
export async function handleOnce<T extends EntityManager>(
  em: T,
  consumer: string,
  messageId: string,
  fn: (tx: T) => Promise<void>,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    try {
      await tx.insert(ProcessedMessage, { consumer, messageId, processedAt: new Date() });
    } catch (err) {
      // Only this insert's violation means "seen before"; one raised by fn is fn's failure.
      if (err instanceof UniqueConstraintViolationException) return false;
      throw err;
    }
    await fn(tx);
    return true;
  });
}
