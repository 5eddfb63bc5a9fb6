import { eventually } from '../../testkit/eventually';
import { describeEventBusContract } from '../../testkit/contracts/bus';
import type { BusEvent } from './event-bus';
import { createMemoryBus } from './memory-bus';

describeEventBusContract('memory', { create: (opts) => createMemoryBus(opts) });

describe('memory bus', () => {
  it('keeps exactly maxLen events per topic', async () => {
    const bus = createMemoryBus({ maxLen: 3 });
    for (let i = 0; i < 10; i++) await bus.publish('t', i);
    expect((await bus.history('t')).map((e) => e.data)).toEqual([7, 8, 9]);
    await bus.close();
  });

  it('calls handlers asynchronously, after publish returns', async () => {
    const bus = createMemoryBus();
    const seen: BusEvent[] = [];
    await bus.subscribe('t', (e) => void seen.push(e));
    const published = bus.publish('t', 1);
    expect(seen).toHaveLength(0);
    await published;
    await eventually(() => expect(seen).toHaveLength(1));
    await bus.close();
  });
});
