import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { deleteRabbitQueues } from '../../testkit/cleanup';
import { freePort, testServices, uniqueName } from '../../testkit/services';
import { eventually } from '../../testkit/eventually';
import { describeBrokerContract, TEST_RETRY_DELAYS_MS } from '../../testkit/contracts/broker';
import type { MessageBroker } from './message-broker';
import { createRabbitBroker } from './rabbit-broker';

const run = promisify(execFile);
const exchange = uniqueName('test_events');
const queues: string[] = [];
const queueName = () => {
  const name = uniqueName('q');
  queues.push(name);
  return name;
};

let admin: ChannelModel;
let adminChannel: Channel;

beforeAll(async () => {
  admin = await connect(testServices.amqpUrl);
  adminChannel = await admin.createChannel();
});

afterAll(async () => {
  await deleteRabbitQueues(queues, TEST_RETRY_DELAYS_MS, exchange);
  await admin.close();
});

/** Checks on a throwaway channel: checking a missing queue closes the channel it is asked on. */
async function inspectQueue(queue: string) {
  const channel = await admin.createChannel();
  channel.on('error', () => undefined);
  try {
    return await channel.checkQueue(queue);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

describeBrokerContract('rabbitmq', {
  create: () => createRabbitBroker({ url: testServices.amqpUrl, exchange }),
  queueName,
  readyCount: async (queue) => (await inspectQueue(queue)).messageCount,
});

/** Server-side ids of the broker's connections, found by the name it gives them. */
async function connectionPids(connectionName: string): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', ['list_connections', '-q', '--no-table-headers', 'pid', 'client_properties']);
  return stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${connectionName}"}`))
    .map((line) => line.split('\t')[0]);
}

/** Closes only this broker's connection, from the server side, as a broker restart or a network cut would. */
async function dropConnection(connectionName: string): Promise<string> {
  const [pid] = await connectionPids(connectionName);
  await run('rabbitmqctl', ['close_connection', pid, 'test: connection dropped']);
  return pid;
}

describe('rabbit broker', () => {
  const brokers: MessageBroker[] = [];
  const open = (options: { connectionName?: string; timeoutMs?: number; url?: string } = {}) => {
    const broker = createRabbitBroker({ url: testServices.amqpUrl, exchange, ...options });
    brokers.push(broker);
    return broker;
  };

  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.close()));
  });

  it('declares the retry and dead queues with a TTL that leads back to the queue only', async () => {
    const broker = open();
    const queue = queueName();
    const consumer = await broker.consume(queue, async () => undefined, {
      bindings: ['topology.check'],
      retryDelaysMs: TEST_RETRY_DELAYS_MS,
    });
    for (const delay of TEST_RETRY_DELAYS_MS) {
      // Redeclaring with the same arguments succeeds; different ones would close the channel.
      await expect(
        adminChannel.assertQueue(`${queue}.retry.${delay}`, {
          durable: true,
          messageTtl: delay,
          deadLetterExchange: '',
          deadLetterRoutingKey: queue,
        }),
      ).resolves.toMatchObject({ messageCount: 0 });
    }
    await expect(inspectQueue(`${queue}.dead`)).resolves.toMatchObject({ messageCount: 0 });
    await consumer.cancel();
  });

  it('recovers from a dropped connection without losing a confirmed message', async () => {
    const connectionName = uniqueName('conn');
    const broker = open({ connectionName });
    const queue = queueName();
    const seen = new Set<number>();
    await broker.consume<number>(queue, async (m) => void seen.add(m.payload), {
      bindings: ['recovery.tick'],
      retryDelaysMs: TEST_RETRY_DELAYS_MS,
    });

    let target = Infinity;
    const publishing = (async () => {
      let n = 0;
      // Sequential: some publishes are on the wire when the connection drops, later ones wait for the next connection.
      for (; n < target; n++) await broker.publish('recovery.tick', n);
      return n;
    })();
    await eventually(() => expect(seen.size).toBeGreaterThanOrEqual(20));
    const dropped = await dropConnection(connectionName);
    await eventually(async () => {
      const pids = await connectionPids(connectionName);
      expect(pids).toHaveLength(1);
      expect(pids[0]).not.toBe(dropped);
    });
    target = seen.size + 50;
    const published = await publishing;

    // Every confirmed message arrives, through the consumer registered again on the new connection.
    await eventually(() => expect(seen.size).toBe(published));
    expect([...seen].every((n) => n >= 0 && n < published)).toBe(true);
  });

  it('comes back after the broker cancels its consumer (queue deleted)', async () => {
    const broker = open();
    const queue = queueName();
    const seen: string[] = [];
    await broker.consume<string>(queue, async (m) => void seen.push(m.payload), {
      bindings: ['deleted.queue'],
      retryDelaysMs: TEST_RETRY_DELAYS_MS,
    });
    await adminChannel.deleteQueue(queue);
    // The consumer redeclares its queue and bindings on a fresh channel.
    await eventually(async () => expect((await inspectQueue(queue)).consumerCount).toBe(1));
    await broker.publish('deleted.queue', 'after');
    await eventually(() => expect(seen).toEqual(['after']));
  });

  it('waits for an unreachable broker, then rejects after timeoutMs', async () => {
    const broker = open({ url: `amqp://guest:guest@127.0.0.1:${await freePort()}`, timeoutMs: 300 });
    expect(await broker.ping()).toBe(false);
    await expect(broker.publish('nowhere.at.all', {})).rejects.toThrow(/timed out/);
    await expect(broker.consume(queueName(), async () => undefined, { bindings: ['x'] })).rejects.toThrow(/timed out/);
  });
});
