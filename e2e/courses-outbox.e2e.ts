import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER } from '../platform/auth/internal-context';
import { keySetFromJwks } from '../platform/auth/keys';
import { publishOptions } from '../platform/broker/rabbit-codec';
import { DEMO } from '../platform/demo';
import type { DomainEventOf } from '../platform/events/domain-events';
import { eventually } from '../testkit/eventually';
import { gql, type GqlResult } from '../testkit/graphql-client';
import { testKeys } from '../testkit/keys';
import { testServices, uniqueName } from '../testkit/services';
import { DEMO_COURSES } from '../subgraphs/courses/seed';
import { listening, productionEnv, removeProductionData, startProcess, type RunningProcess } from './support/process';

/**
 * The courses subgraph as its own process on MariaDB, Redis and RabbitMQ, killed with SIGKILL
 * after a change committed and before its domain event was published: the next process publishes it.
 */
describe('courses outbox across a killed process', () => {
  const prefix = uniqueName('e2e_courses');
  const watchQueue = `${prefix}.watch`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'manassa-courses-'));
  let keys: Awaited<ReturnType<typeof testKeys>>;
  let courses: RunningProcess | undefined;
  let amqp: ChannelModel;
  let channel: Channel;
  const seen: Array<{ id: string; payload: { enrollmentId: string } }> = [];

  const env = (relayPollMs: string) => ({
    ...productionEnv(prefix, dataDir),
    COURSES_PORT: '0',
    SEED_DEMO: '1',
    INTERNAL_JWKS: keys.internalPublic,
    OUTBOX_POLL_INTERVAL_MS: relayPollMs,
  });
  const start = (relayPollMs: string) => startProcess('subgraphs/courses/index.js', env(relayPollMs), listening('courses'));

  beforeAll(async () => {
    keys = await testKeys();
    amqp = await connect(testServices.amqpUrl);
    channel = await amqp.createChannel();
    await channel.assertExchange('manassa.events', 'topic', { durable: true });
    await channel.assertQueue(watchQueue, { durable: false, autoDelete: true });
    await channel.bindQueue(watchQueue, 'manassa.events', 'enrollment.created');
    await channel.consume(watchQueue, (m) => m && seen.push(JSON.parse(m.content.toString())), { noAck: true });
  });
  afterAll(async () => {
    await courses?.stop();
    await channel.deleteQueue(watchQueue);
    await amqp.close();
    await removeProductionData(prefix, dataDir);
  });

  it('publishes an enrollment committed just before SIGKILL once a new process runs', async () => {
    // The first process never publishes on its own (relay polling off): the kill lands between commit and publish.
    courses = await start('0');
    const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(keys.internal)));
    const token = await sign(
      { tenant: { id: DEMO.schools.demo.id, slug: 'demo' }, user: { id: DEMO.users.demoTeacher.id, roles: ['TEACHER'] } },
      'courses',
    );
    const studentId = randomUUID();
    // Courses enrolls only people users told it of (user.upserted): tell it of this student as users would.
    const upserted: DomainEventOf<'user.upserted'> = {
      id: randomUUID(),
      type: 'user.upserted',
      version: 1,
      tenantId: DEMO.schools.demo.id,
      occurredAt: new Date().toISOString(),
      payload: { userId: studentId, roles: ['STUDENT'], active: true },
    };
    channel.publish('manassa.events', upserted.type, Buffer.from(JSON.stringify(upserted)), publishOptions(upserted.id, {}, 1));
    let enrolled: GqlResult | undefined;
    await eventually(async () => {
      enrolled = await gql(`${courses!.url}/graphql`, 'mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id status } }', {
        headers: { [INTERNAL_CONTEXT_HEADER]: token },
        variables: { c: DEMO_COURSES.arabic.id, s: studentId },
      });
      expect(enrolled.body.errors).toBeUndefined();
    });
    if (!enrolled) throw new Error('not enrolled');
    const enrollmentId = enrolled.body.data.enroll.id;
    expect(enrolled.body.data.enroll.status).toBe('ACTIVE');

    courses.proc.kill('SIGKILL');
    await new Promise((resolve) => courses!.proc.once('exit', resolve));
    expect(seen.filter((e) => e.payload.enrollmentId === enrollmentId)).toEqual([]);

    courses = await start('100');
    await eventually(() => expect(seen.filter((e) => e.payload.enrollmentId === enrollmentId)).toHaveLength(1), 30_000);
    expect(seen.find((e) => e.payload.enrollmentId === enrollmentId)).toMatchObject({
      type: 'enrollment.created',
      tenantId: DEMO.schools.demo.id,
      payload: { enrollmentId, courseId: DEMO_COURSES.arabic.id, studentId },
    });
  });
});
