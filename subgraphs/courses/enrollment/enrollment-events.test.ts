import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { DEFAULT_RETRY_DELAYS_MS } from '../../../platform/broker/delivery-policy';
import type { BrokerMessage, Consumer } from '../../../platform/broker/message-broker';
import { deadQueue, retryQueue } from '../../../platform/broker/rabbit-codec';
import { DEMO } from '../../../platform/demo';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import { createLogger } from '../../../platform/logger';
import { OutboxMessage, ProcessedMessage, type DomainEvent } from '../../../platform/outbox/outbox';
import { eventually } from '../../../testkit/eventually';
import { testServices, uniqueName } from '../../../testkit/services';
import { startStack, type Stack } from '../../../testkit/stack';
import { coursesEm, coursesService, demoPeople, newMember, publishedCourse, type Person } from '../../../testkit/courses';
import { Enrollment, EnrollmentSource } from './enrollment.entity';
import type { PlanSubscriptionActivated } from '../../../platform/events/domain-events';
import { subscriptionEnrollmentConsumer } from './subscription.consumer';

/**
 * Domain events leave through the transactional outbox: an event committed with its change is
 * published even when the process dies before publishing it, and a consumer applies a message
 * that arrives twice only once.
 */
describe.each(['mysql', 'sqlite'] as const)('enrollment events (%s)', (dialect) => {
  const testQueue = uniqueName('courses_events_test');
  let stack: Stack;
  let consumer: Consumer;
  let teacher: Person;
  let admin: Person;
  const received: Array<BrokerMessage<DomainEventOf<'enrollment.created'>>> = [];
  beforeAll(async () => {
    // The courses relay publishes only when drained: the process "dies" before any publish.
    stack = await startStack(dialect, { OUTBOX_POLL_INTERVAL_MS: '0' });
    consumer = await stack.transport.broker.consume<DomainEventOf<'enrollment.created'>>(testQueue, async (m) => void received.push(m), {
      bindings: ['enrollment.created'],
    });
    ({ teacher, admin } = await demoPeople(stack));
  });
  afterAll(async () => {
    await consumer.cancel();
    await stack.stop();
    if (dialect === 'mysql') {
      const connection = await connect(testServices.amqpUrl);
      const channel = await connection.createChannel();
      for (const name of [testQueue, deadQueue(testQueue), ...DEFAULT_RETRY_DELAYS_MS.map((d) => retryQueue(testQueue, d))])
        await channel.deleteQueue(name);
      await connection.close();
    }
  });

  const pendingEnrollmentEvent = async (enrollmentId: string) => {
    const rows = await coursesService(stack).orm().em.fork().find(OutboxMessage, { type: 'enrollment.created' });
    return rows.find((r) => JSON.parse(r.payload).enrollmentId === enrollmentId)!;
  };

  it('publishes an event committed before a crash once the service is back, under the same id', async () => {
    const student = await newMember(stack, admin, 'STUDENT', 'Crash Test');
    const course = await publishedCourse(teacher, { title: 'Outbox' });
    const { enroll } = await teacher.ok('mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', {
      c: course.id,
      s: student.id,
    });
    const row = await pendingEnrollmentEvent(enroll.id);
    expect(row.status).toBe('pending');
    expect(received.map((m) => m.id)).not.toContain(row.id);

    // The process goes away with the event committed but unpublished; a new one takes over.
    await stack.restart('courses', { OUTBOX_POLL_INTERVAL_MS: '20' });
    await eventually(() => expect(received.map((m) => m.id)).toContain(row.id));
    const delivered = received.find((m) => m.id === row.id)!;
    expect(delivered.routingKey).toBe('enrollment.created');
    expect(delivered.payload).toMatchObject({
      id: row.id,
      type: 'enrollment.created',
      version: 1,
      tenantId: DEMO.schools.demo.id,
      payload: { enrollmentId: enroll.id, courseId: course.id, studentId: student.id },
    });
    await eventually(async () => expect((await pendingEnrollmentEvent(enroll.id)).status).toBe('published'));
  });

  it('enrolls a student from a billing subscription once, however often the event is delivered', async () => {
    const student = await newMember(stack, admin, 'STUDENT', 'Paid Up');
    const course = await publishedCourse(teacher, { title: 'Premium' });
    const event: DomainEvent<PlanSubscriptionActivated> = {
      id: randomUUID(),
      type: 'plan.subscription.activated',
      version: 1,
      tenantId: DEMO.schools.demo.id,
      occurredAt: new Date().toISOString(),
      payload: {
        subscriptionId: randomUUID(),
        planId: randomUUID(),
        courseId: course.id,
        studentId: student.id,
        payerId: student.id,
        activatedAt: new Date().toISOString(),
      },
    };
    await stack.transport.broker.publish(event.type, event, { id: event.id });
    const enrollmentOf = () => coursesEm(stack).findOne(Enrollment, { course: course.id, studentId: student.id });
    await eventually(async () =>
      expect(await enrollmentOf()).toMatchObject({ source: EnrollmentSource.SUBSCRIPTION, sourceRef: event.payload.subscriptionId }),
    );

    // Redeliveries of the same message (a lost ack, a relay that republished) reach the handler again.
    const handle = subscriptionEnrollmentConsumer.handler({ orm: coursesService(stack).orm(), logger: createLogger('test') });
    const message: BrokerMessage<DomainEvent<PlanSubscriptionActivated>> = {
      id: event.id,
      routingKey: event.type,
      payload: event,
      headers: {},
      attempt: 2,
    };
    await handle(message);
    await handle(message);
    const enrollment = (await enrollmentOf())!;
    const recorded = (await coursesService(stack).orm().em.fork().find(OutboxMessage, { type: 'enrollment.created' })).filter(
      (r) => JSON.parse(r.payload).enrollmentId === enrollment.id,
    );
    expect(recorded).toHaveLength(1);
    expect(
      await coursesService(stack)
        .orm()
        .em.fork()
        .count(ProcessedMessage, { consumer: subscriptionEnrollmentConsumer.queue, messageId: event.id }),
    ).toBe(1);
    // The enrollment.created it caused goes out through the outbox in turn.
    await eventually(() => expect(received.map((m) => m.id)).toContain(recorded[0].id));
  });

  it('ignores a subscription for a course that takes no enrollments, without failing the delivery', async () => {
    const handle = subscriptionEnrollmentConsumer.handler({ orm: coursesService(stack).orm(), logger: createLogger('test') });
    const course = await publishedCourse(teacher, { title: 'Closing' });
    await teacher.ok('mutation($id: ID!) { archiveCourse(id: $id) { id } }', { id: course.id });
    const studentId = randomUUID();
    const payload: PlanSubscriptionActivated = {
      subscriptionId: randomUUID(),
      planId: randomUUID(),
      courseId: course.id,
      studentId,
      payerId: studentId,
      activatedAt: new Date().toISOString(),
    };
    const event = {
      id: randomUUID(),
      type: 'plan.subscription.activated',
      version: 1,
      tenantId: DEMO.schools.demo.id,
      occurredAt: new Date().toISOString(),
      payload,
    };
    await handle({ id: event.id, routingKey: event.type, payload: event, headers: {}, attempt: 1 });
    expect(await coursesEm(stack).count(Enrollment, { studentId })).toBe(0);
  });
});
