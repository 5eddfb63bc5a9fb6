import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { Roles, type RoleName } from '../../../platform/auth/roles';
import { viewerOf } from '../../../platform/auth/viewer';
import type { EventBus } from '../../../platform/bus/event-bus';
import { createMemoryBus } from '../../../platform/bus/memory-bus';
import { createRedisBus } from '../../../platform/bus/redis-bus';
import { openDatabase } from '../../../platform/db/orm';
import { scopeToTenant } from '../../../platform/db/tenant';
import { createLogger } from '../../../platform/logger';
import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import { testDatabase } from '../../../testkit/database';
import { Contact } from '../contact/contact.entity';
import type { MessagingContext } from '../context';
import { CourseEnrollment } from '../course/course-enrollment.entity';
import { CourseInfo } from '../course/course-info.entity';
import { messagingDatabase } from '../database';
import { createLoaders } from '../features';
import type { Notify, NotifyRequest } from '../notification/notify';
import { ConversationParticipant } from './conversation-participant.entity';
import { ConversationEvents, conversationTopic } from './conversation-events';
import { Conversation } from './conversation.entity';
import { ConversationService, LIMITS, preview } from './conversation.service';
import { isUuid } from '../../../platform/graphql/ids';
import { messageId } from './message-id';
import { Message } from './message.entity';

/**
 * The conversation service on its own database, with the `notify` it is handed (the notification
 * feature's, in the subgraph) replaced by a function that records its calls or fails: what this
 * service asks for, and that a message and its notifications are stored together or not at all.
 * The read models are arranged directly (this test is about conversations, not about how they are
 * fed: conversation.test.ts covers that through the whole stack).
 */
const SCHOOL = randomUUID();
const logger = createLogger('conversation-test', 'silent');

describe.each(['mysql', 'sqlite'] as const)('ConversationService (%s)', (dialect) => {
  const db = testDatabase(dialect, 'messaging');
  let orm: MikroORM;
  let bus: EventBus;
  const calls: NotifyRequest[] = [];
  let failNotify = false;
  const notify: Notify = async (_tx, request) => {
    if (failNotify) throw new Error('notifications are broken');
    calls.push(request);
    return request.recipients.length;
  };
  let service: ConversationService;

  const parent = { id: randomUUID(), roles: [Roles.PARENT] as RoleName[] };
  const teacher = { id: randomUUID(), roles: [Roles.TEACHER] as RoleName[] };
  const child = randomUUID();
  const contexts = (person: { id: string; roles: RoleName[] }): MessagingContext => {
    const base = { em: scopeToTenant(orm.em.fork(), SCHOOL), tenant: { id: SCHOOL, slug: 'test' }, user: person, requestId: randomUUID() };
    return { ...base, loaders: createLoaders(base) };
  };
  const as = (person: { id: string; roles: RoleName[] }) => {
    const ctx = contexts(person);
    return { ctx, viewer: viewerOf(ctx) };
  };
  const count = async () => {
    const em = scopeToTenant(orm.em.fork(), SCHOOL);
    return {
      conversations: await em.count(Conversation, {}),
      participants: await em.count(ConversationParticipant, {}),
      messages: await em.count(Message, {}),
    };
  };

  beforeAll(async () => {
    orm = await openDatabase({ ...messagingDatabase, ...db.options });
    bus = createMemoryBus();
    service = new ConversationService(notify, new ConversationEvents(bus, logger));
    const em = scopeToTenant(orm.em.fork(), SCHOOL);
    const observedAt = new Date();
    em.create(Contact, { id: parent.id, schoolId: SCHOOL, roles: parent.roles, displayName: 'Heba Samir', observedAt });
    em.create(Contact, { id: teacher.id, schoolId: SCHOOL, roles: teacher.roles, displayName: 'Karim Nabil', observedAt });
    em.create(Contact, { id: child, schoolId: SCHOOL, roles: [Roles.STUDENT], displayName: 'Youssef', observedAt });
    const courseId = randomUUID();
    em.create(CourseInfo, { id: courseId, schoolId: SCHOOL, title: 'Algebra', teacherId: teacher.id, status: 'PUBLISHED', observedAt });
    em.create(CourseEnrollment, { schoolId: SCHOOL, courseId, studentId: child, active: true, observedAt });
    em.create(GuardianLink, { schoolId: SCHOOL, guardianId: parent.id, studentId: child });
    await em.flush();
  });
  afterAll(async () => {
    await bus?.close();
    await orm?.close();
    await db.drop();
  });
  beforeEach(() => {
    calls.length = 0;
    failNotify = false;
  });

  it('asks to notify the others of every message, with the sender, the subject and a one-line preview', async () => {
    const { ctx, viewer } = as(parent);
    const conversation = await service.start(ctx, viewer, {
      participantIds: [teacher.id],
      subject: ' Homework ',
      body: 'Is it due\n\non Monday?',
      studentId: child,
    });
    const opening = await scopeToTenant(orm.em.fork(), SCHOOL).findOneOrFail(Message, { conversation: conversation.id });
    expect(calls).toEqual([
      {
        schoolId: SCHOOL,
        category: 'message',
        templateKey: 'conversation.message',
        recipients: [{ userId: teacher.id }],
        variables: { senderName: 'Heba Samir', subject: 'Homework', preview: 'Is it due on Monday?' },
        source: `message:${opening.id}`,
      },
    ]);

    const reply = as(teacher);
    const message = await service.send(reply.ctx, reply.viewer, conversation.id, 'x'.repeat(300));
    expect(calls[1]).toMatchObject({ recipients: [{ userId: parent.id }], source: `message:${message.id}` });
    expect(calls[1].variables!.preview).toHaveLength(LIMITS.preview);
    expect(String(calls[1].variables!.preview).endsWith('…')).toBe(true);
  });

  it('stores nothing when notifying fails: the message and its notifications go together', async () => {
    const before = await count();
    failNotify = true;
    const { ctx, viewer } = as(parent);
    await expect(service.start(ctx, viewer, { participantIds: [teacher.id], subject: 'Lost', body: 'never stored' })).rejects.toThrow(
      'notifications are broken',
    );
    expect(await count()).toEqual(before);

    failNotify = false;
    const conversation = await service.start(as(parent).ctx, viewer, { participantIds: [teacher.id], subject: 'Kept', body: 'stored' });
    const after = await count();
    failNotify = true;
    const reply = as(teacher);
    await expect(service.send(reply.ctx, reply.viewer, conversation.id, 'never stored')).rejects.toThrow('notifications are broken');
    expect(await count()).toEqual(after);
    const stored = await scopeToTenant(orm.em.fork(), SCHOOL).findOneOrFail(Conversation, { id: conversation.id });
    const opening = await scopeToTenant(orm.em.fork(), SCHOOL).findOneOrFail(Message, { conversation: conversation.id });
    expect(stored.lastMessageId).toBe(opening.id);
  });

  it('announces each message on its conversation’s topic after the commit, and keeps the event id on the message', async () => {
    const { ctx, viewer } = as(parent);
    const conversation = await service.start(ctx, viewer, { participantIds: [teacher.id], subject: 'Live', body: 'first' });
    const reply = as(teacher);
    const message = await service.send(reply.ctx, reply.viewer, conversation.id, 'second');
    const events = await bus.history<{ messageId: string; body: string; senderId: string }>(conversationTopic(SCHOOL, conversation.id));
    expect(events.map((e) => [e.data.body, e.data.senderId])).toEqual([
      ['first', parent.id],
      ['second', teacher.id],
    ]);
    const stored = await scopeToTenant(orm.em.fork(), SCHOOL).findOneOrFail(Message, { id: message.id });
    expect(stored.eventId).toBe(events[1].id);
  });

  it('still stores and answers a message when the event bus cannot be reached (it is announced later or not at all)', async () => {
    const unreachable = createRedisBus({ url: 'redis://127.0.0.1:1', publishTimeoutMs: 200, logger });
    try {
      const offline = new ConversationService(notify, new ConversationEvents(unreachable, logger));
      const { ctx, viewer } = as(parent);
      const conversation = await offline.start(ctx, viewer, { participantIds: [teacher.id], subject: 'Offline', body: 'stored anyway' });
      const reply = as(teacher);
      const message = await offline.send(reply.ctx, reply.viewer, conversation.id, 'also stored');
      const stored = await scopeToTenant(orm.em.fork(), SCHOOL).find(
        Message,
        { conversation: conversation.id },
        { orderBy: { sentAt: 'asc', id: 'asc' } },
      );
      expect(stored.map((m) => m.body)).toEqual(['stored anyway', 'also stored']);
      expect(stored[1].id).toBe(message.id);
      expect(stored.every((m) => m.eventId == null)).toBe(true);
      expect(calls).toHaveLength(2);
    } finally {
      await unreachable.close();
    }
  });
});

describe('message ids', () => {
  it('are UUIDs of version 7 that sort in the order they were made, within one millisecond and when the clock steps back', () => {
    const now = Date.now();
    const ids = [
      ...Array.from({ length: 5000 }, () => messageId(now)),
      ...Array.from({ length: 10 }, (_, i) => messageId(now - 1000 * i)),
      messageId(now + 5000),
    ];
    expect(ids.every(isUuid)).toBe(true);
    expect(ids.every((id) => id[14] === '7' && '89ab'.includes(id[19]))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The time is readable from the id (its first 48 bits).
    expect(parseInt(ids.at(-1)!.replace(/-/g, '').slice(0, 12), 16)).toBe(now + 5000);
  });
});

describe('preview', () => {
  it('is one line of at most 140 characters', () => {
    expect(preview('a\n\n b\tc')).toBe('a b c');
    expect(preview('y'.repeat(140))).toBe('y'.repeat(140));
    expect(preview(`${'y'.repeat(138)} zzz`)).toBe(`${'y'.repeat(138)}…`);
  });
});
