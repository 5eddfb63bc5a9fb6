/**
 * Items gathered per key and handed to `send` as one batch: those added in the same turn of the
 * event loop (they go once its I/O callbacks have run, on setImmediate), or while the key's
 * previous batch is still out, go together, in the order they were added. One batch per key is
 * out at a time, so under load a key's batches grow instead of multiplying: a class of thousands
 * connecting at once costs Redis a call per turn for its school, not one per student.
 *
 * `send` settles every item of its batch itself (each carries its own callbacks), whatever
 * happens; a rejection of `send` is ignored.
 */
export function keyedBatches<T>(send: (key: string, batch: T[]) => Promise<void>): (key: string, item: T) => void {
  const keys = new Map<string, { waiting: T[]; sending: boolean }>();
  const flush = (key: string) => {
    const entry = keys.get(key);
    if (!entry || entry.sending) return;
    if (entry.waiting.length === 0) {
      keys.delete(key);
      return;
    }
    const batch = entry.waiting;
    entry.waiting = [];
    entry.sending = true;
    void send(key, batch)
      .catch(() => undefined)
      .finally(() => {
        entry.sending = false;
        flush(key);
      });
  };
  return (key, item) => {
    let entry = keys.get(key);
    if (!entry) keys.set(key, (entry = { waiting: [], sending: false }));
    entry.waiting.push(item);
    // The first of a turn schedules the batch; while one is out, the next goes when it is back.
    if (!entry.sending && entry.waiting.length === 1) setImmediate(flush, key);
  };
}
