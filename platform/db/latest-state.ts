import type { EntityClass, EntityManager, FilterQuery, RequiredEntityData } from '@mikro-orm/core';

/** A row of a read model kept from state events: the `occurredAt` of the event it reflects. */
export interface ObservedRow {
  id: string;
  schoolId: string;
  observedAt: Date;
}

/**
 * Applies a state event to a read model's row: `state` replaces what the row says unless the row
 * already reflects a newer event (a retried delivery overtaken by a newer change, a live change
 * overtaken by a backfill), and a missing row is created (with `created`, the fields only a new
 * row needs). Two first events of one row at once: the loser's insert fails on the key, and its
 * retry finds the row. Use inside the consumer's `handleOnce` transaction.
 */
export async function applyLatest<T extends ObservedRow>(
  tx: EntityManager,
  entity: EntityClass<T>,
  key: Pick<T, 'id' | 'schoolId'>,
  observedAt: Date,
  state: Partial<T>,
  created: Partial<T> = {},
): Promise<void> {
  const row = await tx.findOne(entity, { id: key.id } as FilterQuery<T>);
  if (row && row.observedAt > observedAt) return;
  if (row) Object.assign(row, state, { observedAt });
  else tx.create(entity, { ...created, ...state, ...key, observedAt } as unknown as RequiredEntityData<T>);
}
