import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { context, trace } from '@opentelemetry/api';
import { testDatabase } from '../../testkit/database';
import { eventually } from '../../testkit/eventually';
import { SpanKinds, startOtlpReceiver, type OtlpReceiver } from '../../testkit/otlp-receiver';
import { deleteRedisKeys } from '../../testkit/cleanup';
import { testServices, uniqueName } from '../../testkit/services';
import { createMemoryBroker } from '../broker/memory-broker';
import type { BrokerMessage, MessageBroker } from '../broker/message-broker';
import type { BusEvent, EventBus } from '../bus/event-bus';
import { createMemoryBus } from '../bus/memory-bus';
import { createRedisBus } from '../bus/redis-bus';
import { openDatabase } from '../db/orm';
import { ConfigError } from '../env';
import { createLogger } from '../logger';
import { OutboxMessage, outboxEntities, recordEvent, startOutboxRelay, type DomainEvent } from '../outbox/outbox';
import { activeTraceParent, TRACEPARENT, withTraceHeaders } from './propagation';
import { startTracing, tracerOf, tracingConfigFromEnv, tracingOn, type Tracing } from './tracing';

const logger = createLogger('tracing-test', 'silent');

describe('tracing settings', () => {
  const config = (env: Record<string, string>) => tracingConfigFromEnv('users', env, { exit: false });

  it('is off without an endpoint, or with the SDK disabled', () => {
    expect(config({})).toBeUndefined();
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeUndefined();
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
  });

  it('sends to <endpoint>/v1/traces, or to the traces endpoint as given, which wins', () => {
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      endpoint: 'http://collector:4318/v1/traces',
      serviceName: 'users',
      sampleRatio: 1,
    });
    expect(
      config({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp',
        OTEL_SERVICE_NAME: 'users-eu',
        TRACE_SAMPLE_RATIO: '0.25',
      }),
    ).toEqual({ endpoint: 'https://traces.example/otlp', serviceName: 'users-eu', sampleRatio: 0.25 });
  });

  it('refuses what it cannot use, naming every problem', () => {
    let error: unknown;
    try {
      config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317', TRACE_SAMPLE_RATIO: '2' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).keys.sort()).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT', 'TRACE_SAMPLE_RATIO']);
  });
});

/**
 * The in-process broker and SQLite outbox, traced: an event recorded inside a span is published
 * as that span's child, and each delivery (a retry too) continues the same trace.
 */
describe('trace context through the outbox and the in-process broker', () => {
  const db = testDatabase('sqlite', 'tracing');
  let receiver: OtlpReceiver;
  let tracing: Tracing | undefined;
  let orm: MikroORM;
  let broker: MessageBroker;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    orm = await openDatabase({
      ...db.options,
      service: 'tracing',
      entities: outboxEntities,
      migrations: { mysql: [], sqlite: [] },
      migrate: false,
      logger,
    });
    await orm.schema.createSchema();
    broker = createMemoryBroker({ logger });
  });
  afterAll(async () => {
    await tracing?.shutdown();
    await broker?.close();
    await orm?.close();
    await db.drop();
    await receiver?.close();
  });

  it('adds nothing while tracing is off', async () => {
    expect(tracingOn()).toBe(false);
    const headers = { a: '1' };
    expect(withTraceHeaders(headers)).toBe(headers);
    expect(activeTraceParent()).toBeUndefined();
    const em = orm.em.fork();
    const event = recordEvent(em, { type: 'off.recorded', tenantId: randomUUID(), payload: {} });
    await em.flush();
    expect((await orm.em.fork().findOneOrFail(OutboxMessage, event.id)).traceParent).toBeNull();
  });

  it('continues the recording span through the relay into every delivery, retries included', async () => {
    tracing = startTracing({ endpoint: `${receiver.url}/v1/traces`, serviceName: 'tracing-test', sampleRatio: 1 }, logger);
    // One registration per process: a second start (another service of `npm start`) shares it.
    expect(startTracing({ endpoint: 'http://127.0.0.1:1/v1/traces', serviceName: 'other', sampleRatio: 1 }, logger)).toBe(tracing);

    const type = `${uniqueName('ns')}.traced`;
    const deliveries: Array<{ message: BrokerMessage<DomainEvent>; activeTraceId?: string }> = [];
    await broker.consume<DomainEvent>(
      uniqueName('tracing_q'),
      async (message) => {
        deliveries.push({ message, activeTraceId: trace.getActiveSpan()?.spanContext().traceId });
        if (deliveries.length === 1) throw new Error('first delivery fails');
      },
      { bindings: [type], retryDelaysMs: [10] },
    );

    const request = tracerOf('test').startSpan('request');
    const em = orm.em.fork();
    const event = context.with(trace.setSpan(context.active(), request), () =>
      recordEvent(em, { type, tenantId: randomUUID(), payload: { n: 1 } }),
    );
    request.end();
    await em.flush();
    const { traceId, spanId } = request.spanContext();
    expect((await orm.em.fork().findOneOrFail(OutboxMessage, event.id)).traceParent).toBe(`00-${traceId}-${spanId}-01`);

    // Published long after the request's context is gone, from the stored trace context.
    const relay = startOutboxRelay({ orm, broker, logger, pollIntervalMs: 0 });
    await relay.drain();
    await relay.stop();
    await eventually(() => expect(deliveries).toHaveLength(2));
    for (const { message, activeTraceId } of deliveries) {
      expect(message.headers[TRACEPARENT]).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(activeTraceId).toBe(traceId);
    }

    await eventually(async () => {
      await tracing!.flush();
      const spans = receiver.spans.filter((s) => s.traceId === traceId);
      const publish = spans.find((s) => s.name === `${type} publish`);
      expect(publish).toMatchObject({ kind: SpanKinds.producer, scope: 'outbox', parentSpanId: spanId, service: 'tracing-test' });
      const consumers = spans.filter((s) => s.kind === SpanKinds.consumer);
      expect(consumers.map((c) => [c.parentSpanId, c.attributes['messaging.delivery.attempt']])).toEqual([
        [publish!.spanId, 1],
        [publish!.spanId, 2],
      ]);
      expect(consumers[0].attributes).toMatchObject({ 'messaging.system': 'in-memory', 'messaging.destination.name': type });
    });
  });

  const redisPrefix = `${uniqueName('tracing')}:`;
  afterAll(() => deleteRedisKeys(redisPrefix, testServices.redisUrl));

  it.each([
    ['in-process', () => createMemoryBus()],
    ['Redis', () => createRedisBus({ url: testServices.redisUrl, keyPrefix: redisPrefix, logger })],
  ] as Array<[string, () => EventBus]>)('carries the trace context with a live event on the %s bus', async (_name, create) => {
    expect(tracingOn()).toBe(true);
    const bus = create();
    try {
      const topic = uniqueName('traced');
      const seen: Array<{ event: BusEvent; activeTraceId?: string }> = [];
      await bus.subscribe(topic, (event) => void seen.push({ event, activeTraceId: trace.getActiveSpan()?.spanContext().traceId }));
      const publisher = tracerOf('test').startSpan('publisher');
      const { traceId, spanId } = publisher.spanContext();
      await context.with(trace.setSpan(context.active(), publisher), () => bus.publish(topic, { n: 1 }));
      publisher.end();
      // Published outside any span: nothing to carry, the message as without tracing.
      await bus.publish(topic, { n: 2 });

      await eventually(() => expect(seen).toHaveLength(2));
      expect(seen[0]).toMatchObject({ event: { data: { n: 1 }, traceParent: `00-${traceId}-${spanId}-01` }, activeTraceId: traceId });
      expect(seen[1].event).toEqual({ id: expect.any(String), topic, data: { n: 2 } });
      expect(seen[1].activeTraceId).toBeUndefined();
      // The stored event keeps it for replays.
      expect((await bus.history(topic)).map((e) => e.traceParent)).toEqual([`00-${traceId}-${spanId}-01`, undefined]);

      await eventually(async () => {
        await tracing!.flush();
        const delivery = receiver.spans.find((s) => s.traceId === traceId && s.name === 'bus deliver');
        expect(delivery).toMatchObject({ kind: SpanKinds.consumer, scope: 'event-bus', parentSpanId: spanId });
        expect(delivery!.attributes).toMatchObject({ 'messaging.destination.name': topic, 'messaging.message.id': seen[0].event.id });
      });
    } finally {
      await bus.close();
    }
  });
});
