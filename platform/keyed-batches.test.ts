import { keyedBatches } from './keyed-batches';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('keyedBatches', () => {
  it("sends a turn's items of a key as one batch, and those added while it is out as the next, in order", async () => {
    const sent: Array<[string, number[]]> = [];
    const out: Array<() => void> = [];
    const add = keyedBatches<number>(async (key, batch) => {
      sent.push([key, batch]);
      await new Promise<void>((resolve) => out.push(resolve));
    });
    add('a', 1);
    add('b', 10);
    add('a', 2);
    expect(sent).toEqual([]);
    await turn();
    expect(sent).toEqual([
      ['a', [1, 2]],
      ['b', [10]],
    ]);
    // a's batch is out: what is added for a waits for it; b is not held by a.
    add('a', 3);
    add('a', 4);
    await turn();
    expect(sent).toHaveLength(2);
    out.shift()!();
    await turn();
    expect(sent.at(-1)).toEqual(['a', [3, 4]]);
  });

  it('goes on with the next batch of a key whose send failed', async () => {
    const sent: number[][] = [];
    const add = keyedBatches<number>(async (_key, batch) => {
      sent.push(batch);
      await turn();
      if (batch.includes(1)) throw new Error('store down');
    });
    add('a', 1);
    await turn();
    // Added while the batch that fails is out.
    add('a', 2);
    for (let i = 0; i < 3; i++) await turn();
    expect(sent).toEqual([[1], [2]]);
  });
});
