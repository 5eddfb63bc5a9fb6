import { eventually } from '../eventually';
import { uniqueName } from '../services';
import type { BrokerMessage, MessageBroker } from '../../platform/broker/message-broker';

/** Every queue in the suite uses these, so an adapter's test file knows what to clean up. */
export const TEST_RETRY_DELAYS_MS = [50, 100];

/** What the shared suite needs from an adapter's test file. */
export interface BrokerHarness {
  /** A fresh broker; the suite closes every broker it creates. */
  create(): MessageBroker;
  /** A queue name no one else uses (the harness may record it for cleanup). */
  queueName(): string;
  /** Messages waiting in the queue, not delivered yet, for adapters that can tell. */
  readyCount?(queue: string): Promise<number>;
}

/** A promise the test resolves when it chooses: holds handlers in flight. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * The MessageBroker contract, run against every adapter: routing, a copy per queue, retries on
 * the same id, dead letters, prefetch, cancel. Routing keys start with a fresh word per test, as
 * the tests of one file share an exchange.
 */
export function describeBrokerContract(name: string, harness: BrokerHarness): void {
  describe(`MessageBroker contract: ${name}`, () => {
    const opened: MessageBroker[] = [];
    const open = () => {
      const created = harness.create();
      opened.push(created);
      return created;
    };
    let broker: MessageBroker;
    let ns: string;
    const consume = <T>(queue: string, handler: (m: BrokerMessage<T>) => Promise<void>, bindings: string[], prefetch?: number) =>
      broker.consume(queue, handler, { bindings, prefetch, retryDelaysMs: TEST_RETRY_DELAYS_MS });

    beforeAll(() => {
      broker = open();
    });

    beforeEach(() => {
      ns = uniqueName('ns');
    });

    afterAll(async () => {
      await Promise.all(opened.map((b) => b.close()));
    });

    it('delivers payload, routing key, headers and attempt 1, under a generated or given id', async () => {
      const queue = harness.queueName();
      const seen: BrokerMessage[] = [];
      await consume(queue, async (m) => void seen.push(m), [`${ns}.#`]);
      const generated = await broker.publish(`${ns}.course.published`, { courseId: 7 });
      const given = await broker.publish(`${ns}.course.archived`, [1, 2], { id: 'outbox-42', headers: { tenant: 'school-1' } });
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      expect(given).toBe('outbox-42');
      await eventually(() => expect(seen).toHaveLength(2));
      expect(seen).toEqual([
        { id: generated, routingKey: `${ns}.course.published`, payload: { courseId: 7 }, headers: {}, attempt: 1 },
        { id: 'outbox-42', routingKey: `${ns}.course.archived`, payload: [1, 2], headers: { tenant: 'school-1' }, attempt: 1 },
      ]);
    });

    it('routes by pattern: `*` is one word, `#` any number', async () => {
      const single = harness.queueName();
      const multi = harness.queueName();
      const one: string[] = [];
      const many: string[] = [];
      await consume(single, async (m) => void one.push(m.routingKey), [`${ns}.enrollment.*`]);
      await consume(multi, async (m) => void many.push(m.routingKey), [`${ns}.billing.#`]);
      for (const key of ['payment.succeeded', 'enrollment.created.late', 'billing', 'billing.invoice.paid', 'enrollment.created']) {
        await broker.publish(`${ns}.${key}`, {});
      }
      // Per-queue order: a wrongly routed earlier message would be seen before the last one.
      await eventually(() => expect(one).toEqual([`${ns}.enrollment.created`]));
      await eventually(() => expect(many).toEqual([`${ns}.billing`, `${ns}.billing.invoice.paid`]));
    });

    it('gives each bound queue its own copy, and retries one queue without redelivering to the other', async () => {
      const flaky = harness.queueName();
      const steady = harness.queueName();
      const key = `${ns}.lesson.completed`;
      const flakySeen: string[] = [];
      const steadySeen: string[] = [];
      await consume<string>(
        flaky,
        async (m) => {
          flakySeen.push(`${m.payload}#${m.attempt}`);
          if (m.attempt === 1) throw new Error('first attempt fails');
        },
        [key],
      );
      await consume<string>(steady, async (m) => void steadySeen.push(m.payload), [key]);

      await broker.publish(key, 'lesson');
      await eventually(() => expect(flakySeen).toEqual(['lesson#1', 'lesson#2']));
      await broker.publish(key, 'sentinel');
      await eventually(() => expect(steadySeen).toEqual(['lesson', 'sentinel']));
    });

    it('retries a failing handler with the same id until it succeeds', async () => {
      const queue = harness.queueName();
      const calls: BrokerMessage[] = [];
      await consume(
        queue,
        async (m) => {
          calls.push(m);
          if (m.attempt < 3) throw new Error(`attempt ${m.attempt} fails`);
        },
        [`${ns}.quiz.*`],
      );
      const id = await broker.publish(`${ns}.quiz.submitted`, { score: 9 }, { headers: { tenant: 'school-2' } });
      await eventually(() => expect(calls).toHaveLength(3));
      expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
      for (const call of calls) {
        expect(call).toEqual({
          id,
          routingKey: `${ns}.quiz.submitted`,
          payload: { score: 9 },
          headers: { tenant: 'school-2' },
          attempt: call.attempt,
        });
      }
      expect(await broker.deadLetters(queue)).toEqual([]);
    });

    it('dead-letters a message once its retries are exhausted, and keeps it there', async () => {
      const queue = harness.queueName();
      const attempts: number[] = [];
      await consume(
        queue,
        async (m) => {
          attempts.push(m.attempt);
          throw new Error('always broken');
        },
        [`${ns}.payment.*`],
      );
      const first = await broker.publish(`${ns}.payment.failed`, { amountPiasters: 500 }, { headers: { tenant: 'school-3' } });
      await eventually(async () => expect(await broker.deadLetters(queue)).toHaveLength(1));
      const second = await broker.publish(`${ns}.payment.failed`, { amountPiasters: 700 });
      await eventually(async () => expect(await broker.deadLetters(queue)).toHaveLength(2));
      expect(attempts).toEqual([1, 2, 3, 1, 2, 3]);

      const dead = await broker.deadLetters(queue);
      expect(dead[0]).toEqual({
        id: first,
        routingKey: `${ns}.payment.failed`,
        payload: { amountPiasters: 500 },
        headers: { tenant: 'school-3', 'x-error': 'Error: always broken' },
        attempt: 3,
      });
      expect(dead[1].id).toBe(second);
      expect((await broker.deadLetters(queue, 1)).map((m) => m.id)).toEqual([first]);
    });

    it('keeps at most `prefetch` deliveries in flight', async () => {
      const queue = harness.queueName();
      const key = `${ns}.report.requested`;
      const held = gate();
      let active = 0;
      let most = 0;
      const done: number[] = [];
      await consume<number>(
        queue,
        async (m) => {
          active++;
          most = Math.max(most, active);
          await held.opened;
          active--;
          done.push(m.payload);
        },
        [key],
        2,
      );
      for (let i = 0; i < 6; i++) await broker.publish(key, i);
      await eventually(() => expect(active).toBe(2));
      if (harness.readyCount) await eventually(async () => expect(await harness.readyCount!(queue)).toBe(4));
      expect(active).toBe(2);
      held.open();
      await eventually(() => expect(done).toHaveLength(6));
      expect(most).toBe(2);
      expect([...done].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('cancel waits for the handlers in flight; the queue keeps what arrives meanwhile', async () => {
      const queue = harness.queueName();
      const key = `${ns}.notification.queued`;
      const held = gate();
      const log: string[] = [];
      const consumer = await consume<number>(
        queue,
        async (m) => {
          log.push(`start ${m.payload}`);
          await held.opened;
          log.push(`end ${m.payload}`);
        },
        [key],
        1,
      );
      await broker.publish(key, 1);
      await eventually(() => expect(log).toEqual(['start 1']));

      const cancelled = consumer.cancel().then(() => log.push('cancelled'));
      await broker.publish(key, 2);
      held.open();
      await cancelled;
      expect(log).toEqual(['start 1', 'end 1', 'cancelled']);

      const later: number[] = [];
      const next = await consume<number>(queue, async (m) => void later.push(m.payload), [key]);
      await eventually(() => expect(later).toEqual([2]));
      await next.cancel();
    });

    it('answers ping, and refuses work once closed', async () => {
      const own = open();
      await eventually(async () => expect(await own.ping()).toBe(true));
      await own.close();
      expect(await own.ping()).toBe(false);
      await expect(own.publish(`${ns}.closed`, {})).rejects.toThrow('closed');
    });
  });
}
