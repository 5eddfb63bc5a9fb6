import type { ClientRequest } from 'node:http';
import diagnostics from 'node:diagnostics_channel';
import { propagation, trace } from '@opentelemetry/api';
import { TEACHER_DASHBOARD } from '../../bench/queries';
import { demoPeople, newMember, publishedCourse, type Person } from '../../testkit/courses';
import { eventually } from '../../testkit/eventually';
import { SpanKinds, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../testkit/otlp-receiver';
import { startStack, type Stack } from '../../testkit/stack';
import { createLogger } from '../logger';
import { startTracing, tracingConfigFromEnv, tracingOn, type Tracing } from './tracing';

/**
 * Traces end to end, against a stand-in OTLP collector on loopback: a federated query is one
 * trace from the gateway's request through each subgraph fetch into the subgraphs' own server
 * spans; an enrollment is one trace from the mutation through the outbox relay to every consumer
 * of its event through RabbitMQ's message headers. Off, nothing is
 * registered nor sent; on, nothing goes anywhere but the configured endpoint, and a collector
 * that is down costs the requests nothing.
 */
describe('traces', () => {
  // The production adapters (RabbitMQ headers, Redis); the in-process broker's propagation is in
  // tracing.test.ts. One registration per process: @apollo/gateway keeps the tracer it first got.
  const dialect = 'mysql';
  const logger = createLogger('tracing-test', 'silent');
  let stack: Stack;
  let receiver: OtlpReceiver;
  let decoy: OtlpReceiver;
  let tracing: Tracing | undefined;
  let teacher: Person;
  let admin: Person;
  /** Every HTTP request this process makes (node:http), with where it went and its trace header. */
  const outgoing: Array<{ host: string; path: string; traceparent?: string }> = [];
  const onRequest = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    const traceparent = request.getHeader('traceparent');
    outgoing.push({ host: String(request.getHeader('host')), path: request.path, traceparent: traceparent as string | undefined });
  };

  beforeAll(async () => {
    [receiver, decoy] = await Promise.all([startOtlpReceiver(), startOtlpReceiver()]);
    // Analytics learns from the events here: no first rebuild from the exports (billing is not started).
    stack = await startStack(dialect, { ANALYTICS_INITIAL_REBUILD: 'off' }, { subgraphs: ['users', 'courses', 'messaging', 'analytics'] });
    ({ teacher, admin } = await demoPeople(stack));
    diagnostics.subscribe('http.client.request.start', onRequest);
  });
  afterAll(async () => {
    diagnostics.unsubscribe('http.client.request.start', onRequest);
    await tracing?.shutdown();
    await stack?.stop();
    await Promise.all([receiver?.close(), decoy?.close()]);
  });

  const traceOf = (operationName: string): ReceivedSpan[] => {
    const request = receiver.spans.find((s) => s.name === 'gateway.request' && s.attributes['graphql.operation.name'] === operationName);
    if (!request) throw new Error(`no gateway.request span of ${operationName} yet`);
    return receiver.spans.filter((s) => s.traceId === request.traceId);
  };
  const one = (spans: ReceivedSpan[], what: string, test: (s: ReceivedSpan) => boolean): ReceivedSpan => {
    const found = spans.filter(test);
    if (found.length !== 1) throw new Error(`${found.length} spans of ${what} in ${JSON.stringify(spans.map((s) => s.name))}`);
    return found[0];
  };

  it('registers nothing and sends nothing while no endpoint is configured', async () => {
    // Other OTLP settings alone, or an endpoint with the SDK disabled, do not turn it on.
    expect(tracingConfigFromEnv('gateway', { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=x', OTEL_SERVICE_NAME: 'gw' })).toBeUndefined();
    expect(tracingConfigFromEnv('gateway', { OTEL_EXPORTER_OTLP_ENDPOINT: decoy.url, OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(startTracing(tracingConfigFromEnv('gateway', {}), logger)).toBeUndefined();
    expect(tracingOn()).toBe(false);

    const data = await teacher.ok(TEACHER_DASHBOARD);
    expect(data.me.teachingCourses.length).toBeGreaterThan(0);

    // The API's no-op implementations: no provider, no propagator.
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toBe('00000000000000000000000000000000');
    expect(propagation.fields()).toEqual([]);
    expect(outgoing.filter((r) => r.traceparent)).toEqual([]);
    expect(receiver.posts + decoy.posts).toBe(0);
  });

  it('traces a federated query: the gateway request, each subgraph fetch and the subgraph server span under it', async () => {
    // The traces endpoint wins over the general one (the decoy), as the OTLP spec has it.
    tracing = startTracing(
      tracingConfigFromEnv('el-manassa', {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
        OTEL_EXPORTER_OTLP_ENDPOINT: decoy.url,
      }),
      logger,
    );
    expect(tracingOn()).toBe(true);
    await teacher.ok(TEACHER_DASHBOARD);

    await eventually(
      async () => {
        await tracing!.flush();
        const spans = traceOf('TeacherDashboard');
        const root = one(spans, 'the root', (s) => s.parentSpanId === '');
        expect(root).toMatchObject({ scope: 'gateway', kind: SpanKinds.server, name: 'POST /graphql', service: 'el-manassa' });
        const fetches = spans.filter((s) => s.name === 'gateway.fetch');
        expect(new Set(fetches.map((f) => f.attributes.service))).toEqual(new Set(['users', 'courses']));
        for (const fetch of fetches) {
          // The subgraph continued the trace from the fetch's traceparent header.
          const server = one(spans, `${String(fetch.attributes.service)}'s server span`, (s) => s.parentSpanId === fetch.spanId);
          expect(server).toMatchObject({ scope: fetch.attributes.service, kind: SpanKinds.server, name: 'POST /graphql' });
        }
      },
      15_000,
      100,
    );
  });

  it('traces an enrollment: the mutation, the outbox relay and each consumer of its event', async () => {
    const student = await newMember(stack, admin, 'STUDENT', 'Traced Student');
    const course = await publishedCourse(teacher, { title: 'Traced' });
    await teacher.ok('mutation TraceEnroll($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', {
      c: course.id,
      s: student.id,
    });

    await eventually(
      async () => {
        await tracing!.flush();
        const spans = traceOf('TraceEnroll');
        const fetch = one(spans, 'the enroll fetch', (s) => s.name === 'gateway.fetch' && s.attributes.service === 'courses');
        const mutation = one(spans, "courses' server span", (s) => s.parentSpanId === fetch.spanId);
        expect(mutation).toMatchObject({ scope: 'courses', kind: SpanKinds.server });
        // Recorded with the row in the mutation's transaction, published by the relay later.
        const publish = one(spans, 'the relay publish', (s) => s.name === 'enrollment.created publish');
        expect(publish).toMatchObject({ scope: 'outbox', kind: SpanKinds.producer, parentSpanId: mutation.spanId });
        const consumers = spans.filter((s) => s.kind === SpanKinds.consumer && s.parentSpanId === publish.spanId);
        const queues = consumers.map((c) => String(c.attributes['messaging.consumer.group.name']).replace(/^.*?\.(?=[a-z]+\.)/, ''));
        expect(queues).toEqual(expect.arrayContaining(['messaging.enrollment-welcomes', 'messaging.courses', 'analytics.courses']));
        for (const consumer of consumers) {
          expect(consumer.attributes).toMatchObject({
            'messaging.destination.name': 'enrollment.created',
            'messaging.operation.type': 'process',
          });
        }
      },
      30_000,
      100,
    );
  });

  it('never sends spans anywhere but the configured endpoint, not even where it redirects', async () => {
    const before = receiver.posts;
    receiver.answerWith(307, `${decoy.url}/v1/traces`);
    try {
      await teacher.ok(TEACHER_DASHBOARD);
      await tracing!.flush();
      await eventually(() => expect(receiver.posts).toBeGreaterThan(before));
    } finally {
      receiver.answerWith(200);
    }
    expect(decoy.posts).toBe(0);
    const exports = outgoing.filter((r) => r.path === '/v1/traces');
    expect(exports.length).toBeGreaterThan(0);
    expect(new Set(exports.map((r) => r.host))).toEqual(new Set([new URL(receiver.url).host]));
  });

  it('serves requests as usual while the collector is down', async () => {
    await receiver.close();
    const data = await teacher.ok(TEACHER_DASHBOARD);
    expect(data.me.teachingCourses.length).toBeGreaterThan(0);
    const student = await newMember(stack, admin, 'STUDENT', 'Untraced Student');
    const course = await publishedCourse(teacher, { title: 'Collector down', students: [student] });
    expect(course.id).toBeTruthy();
    // The failed export is logged (diag), never thrown at a request nor at the caller of flush.
    await expect(tracing!.flush()).resolves.toBeUndefined();
    expect(decoy.posts).toBe(0);
  });
});
