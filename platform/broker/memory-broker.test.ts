import { uniqueName } from '../../testkit/services';
import { eventually } from '../../testkit/eventually';
import { describeBrokerContract } from '../../testkit/contracts/broker';
import { createMemoryBroker } from './memory-broker';

describeBrokerContract('memory', { create: () => createMemoryBroker(), queueName: () => uniqueName('q') });

describe('memory broker', () => {
  it('shares a queue between competing consumers', async () => {
    const broker = createMemoryBroker();
    const seen: Array<[string, number]> = [];
    for (const who of ['a', 'b']) {
      await broker.consume<number>('jobs', async (m) => void seen.push([who, m.payload]), { bindings: ['job.*'], prefetch: 1 });
    }
    for (let i = 0; i < 4; i++) await broker.publish('job.run', i);
    await eventually(() => expect(seen).toHaveLength(4));
    expect(new Set(seen.map(([who]) => who))).toEqual(new Set(['a', 'b']));
    expect(seen.map(([, n]) => n).sort()).toEqual([0, 1, 2, 3]);
    await broker.close();
  });
});
