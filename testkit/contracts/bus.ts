import { eventually } from '../eventually';
import { uniqueName } from '../services';
import type { BusEvent, EventBus } from '../../platform/bus/event-bus';
import { compareIds } from '../../platform/bus/ids';

/** What the shared suite needs from an adapter's test file. */
export interface BusHarness {
  /** A fresh bus; the suite closes every bus it creates. */
  create(opts?: { maxLen?: number }): EventBus;
  /** Upstream subscriptions this process holds for the topic, for adapters that have any. */
  upstreams?(topic: string): Promise<number>;
}

function collector<T = unknown>() {
  const events: BusEvent<T>[] = [];
  return { events, handler: (event: BusEvent<T>) => void events.push(event), data: () => events.map((e) => e.data) };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * The EventBus contract, run against every adapter: ordering, replay, no gap and no duplicate
 * between replay and live, shared upstream, unsubscribe, capped length, failing handlers.
 */
export function describeEventBusContract(name: string, harness: BusHarness): void {
  describe(`EventBus contract: ${name}`, () => {
    const opened: EventBus[] = [];
    const open = (opts?: { maxLen?: number }) => {
      const bus = harness.create(opts);
      opened.push(bus);
      return bus;
    };
    let bus: EventBus;

    beforeAll(() => {
      bus = open();
    });

    afterAll(async () => {
      await Promise.all(opened.map((b) => b.close()));
    });

    it('delivers events in publish order with increasing ids', async () => {
      const topic = uniqueName('order');
      const seen = collector<number>();
      await bus.subscribe(topic, seen.handler);
      const ids = await Promise.all(range(30).map((i) => bus.publish(topic, i)));
      await eventually(() => expect(seen.events).toHaveLength(30));
      expect(seen.data()).toEqual(range(30));
      expect(seen.events.map((e) => e.id)).toEqual(ids);
      expect(seen.events.every((e) => e.topic === topic)).toBe(true);
      for (let i = 1; i < ids.length; i++) expect(compareIds(ids[i], ids[i - 1])).toBeGreaterThan(0);
    });

    it('delivers a JSON copy of the data', async () => {
      const topic = uniqueName('json');
      const seen = collector();
      await bus.subscribe(topic, seen.handler);
      const data = { at: new Date(0), nested: { list: [1, 'two'] }, missing: undefined };
      await bus.publish(topic, data);
      await eventually(() => expect(seen.events).toHaveLength(1));
      expect(seen.data()).toEqual([{ at: '1970-01-01T00:00:00.000Z', nested: { list: [1, 'two'] } }]);
    });

    it('answers history after an id, oldest first, bounded by limit', async () => {
      const topic = uniqueName('history');
      const ids: string[] = [];
      for (const i of range(6)) ids.push(await bus.publish(topic, i));
      expect((await bus.history(topic)).map((e) => e.data)).toEqual(range(6));
      expect((await bus.history(topic, { after: ids[1] })).map((e) => e.data)).toEqual([2, 3, 4, 5]);
      expect((await bus.history(topic, { after: ids[1], limit: 2 })).map((e) => e.id)).toEqual([ids[2], ids[3]]);
      expect(await bus.history(topic, { after: ids[5] })).toEqual([]);
      expect(await bus.history(uniqueName('empty'))).toEqual([]);
    });

    it('replays the events after `after`, then continues live', async () => {
      const topic = uniqueName('replay');
      const ids: string[] = [];
      for (const i of range(5)) ids.push(await bus.publish(topic, i));
      const seen = collector<number>();
      await bus.subscribe(topic, seen.handler, { after: ids[1] });
      await bus.publish(topic, 5);
      await eventually(() => expect(seen.data()).toEqual([2, 3, 4, 5]));
    });

    it('replays more events than one read returns', async () => {
      const topic = uniqueName('long');
      const ids = await Promise.all(range(1_234).map((i) => bus.publish(topic, i)));
      const seen = collector<number>();
      await bus.subscribe(topic, seen.handler, { after: '0-0' });
      await eventually(() => expect(seen.events).toHaveLength(1_234));
      expect(seen.events.map((e) => e.id)).toEqual(ids);
    });

    it('starts at the newest event when no `after` is given', async () => {
      const topic = uniqueName('live');
      await bus.publish(topic, 'before');
      const seen = collector();
      await bus.subscribe(topic, seen.handler);
      await bus.publish(topic, 'after');
      await eventually(() => expect(seen.data()).toEqual(['after']));
    });

    it('has no gap and no duplicate between replay and live while publishing concurrently', async () => {
      const topic = uniqueName('race');
      const first = await bus.publish(topic, -1);
      const publishing = (async () => {
        const ids: string[] = [];
        for (const i of range(300)) {
          ids.push(await bus.publish(topic, i));
          // Lets the subscriptions below interleave with the publishes (the in-memory publish never waits).
          if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        return ids;
      })();
      const early = collector<number>();
      const late = collector<number>();
      await bus.subscribe(topic, early.handler, { after: first });
      await eventually(() => expect(early.events.length).toBeGreaterThanOrEqual(50));
      await bus.subscribe(topic, late.handler, { after: first });
      const ids = await publishing;
      await eventually(() => expect(early.events).toHaveLength(300));
      await eventually(() => expect(late.events).toHaveLength(300));
      expect(early.events.map((e) => e.id)).toEqual(ids);
      expect(late.events.map((e) => e.id)).toEqual(ids);
    });

    it('gives local subscribers with different `after` values exactly their own missing events', async () => {
      const topic = uniqueName('positions');
      const ids: string[] = [];
      for (const i of range(6)) ids.push(await bus.publish(topic, i));
      const subscribers = [undefined, ids[0], ids[3], ids[5]].map((after) => ({ after, seen: collector<number>() }));
      await Promise.all(subscribers.map((s) => bus.subscribe(topic, s.seen.handler, { after: s.after })));
      await bus.publish(topic, 6);
      await eventually(() => expect(subscribers.map((s) => s.seen.data())).toEqual([[6], [1, 2, 3, 4, 5, 6], [4, 5, 6], [6]]));
    });

    it('shares one upstream between local subscribers and stops delivering after unsubscribe', async () => {
      const topic = uniqueName('shared');
      const seen = [collector(), collector(), collector()];
      const unsubscribes = await Promise.all(seen.map((s) => bus.subscribe(topic, s.handler)));
      if (harness.upstreams) expect(await harness.upstreams(topic)).toBe(1);

      await bus.publish(topic, 'all');
      await eventually(() => expect(seen.map((s) => s.data())).toEqual([['all'], ['all'], ['all']]));

      await unsubscribes[0]();
      await unsubscribes[1]();
      if (harness.upstreams) expect(await harness.upstreams(topic)).toBe(1);
      await bus.publish(topic, 'last one');
      await eventually(() => expect(seen[2].data()).toEqual(['all', 'last one']));
      // The same dispatch would have reached the others before this point.
      expect(seen[0].data()).toEqual(['all']);
      expect(seen[1].data()).toEqual(['all']);

      await unsubscribes[2]();
      await unsubscribes[2]();
      if (harness.upstreams) expect(await harness.upstreams(topic)).toBe(0);

      // A new subscriber after the release gets a fresh upstream.
      const again = collector();
      await bus.subscribe(topic, again.handler);
      if (harness.upstreams) expect(await harness.upstreams(topic)).toBe(1);
      await bus.publish(topic, 'again');
      await eventually(() => expect(again.data()).toEqual(['again']));
    });

    it('caps the stream length, keeping the newest events', async () => {
      const capped = open({ maxLen: 10 });
      const topic = uniqueName('capped');
      const ids = await Promise.all(range(250).map((i) => capped.publish(topic, i)));
      const held = await capped.history(topic);
      // Redis trims whole stream nodes (`MAXLEN ~`): at least maxLen remain, never everything.
      expect(held.length).toBeGreaterThanOrEqual(10);
      expect(held.length).toBeLessThan(250);
      expect(held.map((e) => e.id)).toEqual(ids.slice(-held.length));
    });

    it('keeps delivering to everyone when a handler throws or rejects', async () => {
      const topic = uniqueName('throwing');
      let thrown = 0;
      let rejected = 0;
      const healthy = collector();
      await bus.subscribe(topic, () => {
        thrown++;
        throw new Error('handler bug');
      });
      await bus.subscribe(topic, async () => {
        rejected++;
        throw new Error('async handler bug');
      });
      await bus.subscribe(topic, healthy.handler);
      await bus.publish(topic, 1);
      await bus.publish(topic, 2);
      await eventually(() => expect(healthy.data()).toEqual([1, 2]));
      expect([thrown, rejected]).toEqual([2, 2]);
    });

    it('rejects a malformed `after`', async () => {
      await expect(bus.subscribe(uniqueName('bad'), () => undefined, { after: 'not-an-id' })).rejects.toThrow(TypeError);
      await expect(bus.history(uniqueName('bad'), { after: '12-x' })).rejects.toThrow(TypeError);
    });

    it('answers ping, and refuses work once closed', async () => {
      const own = open();
      expect(await own.ping()).toBe(true);
      await own.close();
      expect(await own.ping()).toBe(false);
      await expect(own.publish(uniqueName('closed'), 1)).rejects.toThrow('closed');
    });
  });
}
