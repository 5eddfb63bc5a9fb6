import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER } from '../../../platform/auth/internal-context';
import { keySetFromJwks } from '../../../platform/auth/keys';
import { scopeToTenant } from '../../../platform/db/tenant';
import { DEMO } from '../../../platform/demo';
import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import { requestScope } from '../../../platform/request-context';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { codes, demoPeople, newMember, pair, publishedCourse, type Person } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { gql } from '../../../testkit/graphql-client';
import type { Stack } from '../../../testkit/stack';
import { startCodeSupergraphStack } from '../../../testkit/subscriptions/supergraph-file';
import { connectClient, subscribe, wsUrlOf, type TestClient } from '../../../testkit/subscriptions/ws-clients';
import { Contact } from '../contact/contact.entity';
import { CourseEnrollment } from '../course/course-enrollment.entity';
import { CourseInfo } from '../course/course-info.entity';
import { Notification } from '../notification/notification.entity';
import { Message } from './message.entity';

/**
 * Conversations through the gateway, on MariaDB, Redis and RabbitMQ, and in the embedded mode
 * (SQLite, in-process bus and broker): people made through users, courses and enrollments through
 * courses, and messaging's read models fed by their events (as in production, nothing arranged in
 * messaging's tables). The gateway reads a supergraph composed from the code.
 */
const SCHOOL: string = DEMO.schools.demo.id;

describe.each(['mysql', 'sqlite'] as const)('conversations (%s)', (dialect) => {
  let stack: Stack;
  const statements: string[] = [];
  let counting = false;

  let admin: Person;
  let nileAdmin: Person;
  let parent: Person;
  let child: Person;
  let teacher: Person;
  let otherTeacher: Person;
  let otherParent: Person;
  let nileTeacher: Person;
  let courseId: string;

  const messagingEm = (schoolId = SCHOOL): EntityManager =>
    scopeToTenant(stack.service<SubgraphService>('messaging').orm().em.fork(), schoolId);

  /** Waits until messaging's read models say `check` (users' and courses' outboxes drained meanwhile). */
  async function messagingKnows(what: string, check: (em: EntityManager) => Promise<boolean>, schoolId = SCHOOL) {
    await eventually(async () => {
      if (await check(messagingEm(schoolId))) return;
      await stack.service<SubgraphService>('users').outbox().drain();
      await stack.service<SubgraphService>('courses').outbox().drain();
      if (!(await check(messagingEm(schoolId)))) throw new Error(`messaging does not know ${what} yet`);
    }, 30_000);
  }
  const knowsPeople = (people: Person[], schoolId = SCHOOL) =>
    messagingKnows(
      'the people',
      async (em) => (await em.count(Contact, { id: { $in: people.map((p) => p.id) } })) === people.length,
      schoolId,
    );

  /** A new member of the nile school, invited by its admin. */
  async function nileMember(role: 'TEACHER' | 'PARENT', displayName: string): Promise<Person> {
    const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 8)}@nile.test`;
    const invite = await nileAdmin.ok('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', {
      i: { email, displayName, roles: [role] },
    });
    const accepted = await stack.gql(
      'mutation($t: String!) { acceptInvitation(token: $t, password: "a-long-password") { accessToken user { id } } }',
      { tenant: 'nile', variables: { t: invite.inviteUser.token } },
    );
    const { accessToken, user } = accepted.body.data.acceptInvitation;
    const q = (query: string, variables?: Record<string, unknown>) => stack.gql(query, { tenant: 'nile', token: accessToken, variables });
    return {
      id: user.id,
      token: accessToken,
      q,
      ok: async (query, variables) => {
        const r = await q(query, variables);
        if (r.body.errors?.length) throw new Error(JSON.stringify(r.body.errors));
        return r.body.data;
      },
    };
  }

  beforeAll(async () => {
    stack = await startCodeSupergraphStack(
      dialect,
      {},
      {
        subgraphs: ['users', 'courses', 'messaging'],
        onQuery: (service, sql) => {
          // Only the requests' own statements: relays and consumers run outside any request's scope.
          if (counting && service === 'messaging' && requestScope.get()?.requestId && !sql.includes('outbox_message')) statements.push(sql);
        },
      },
    );
    const demo = await demoPeople(stack);
    admin = demo.admin;
    nileAdmin = demo.nileAdmin;
    [parent, child, teacher, otherTeacher, otherParent] = await Promise.all([
      newMember(stack, admin, 'PARENT', 'Heba Samir'),
      newMember(stack, admin, 'STUDENT', 'Youssef Samir'),
      newMember(stack, admin, 'TEACHER', 'Karim Nabil'),
      newMember(stack, admin, 'TEACHER', 'Dina Fawzy'),
      newMember(stack, admin, 'PARENT', 'Tarek Amin'),
    ]);
    nileTeacher = await nileMember('TEACHER', 'Nile Teacher');
    await pair(child, parent);
    courseId = (await publishedCourse(teacher, { title: 'Algebra', students: [child] })).id;
    // otherTeacher teaches a course the child is not in.
    await publishedCourse(otherTeacher, { title: 'Chemistry' });

    await knowsPeople([admin, parent, child, teacher, otherTeacher, otherParent]);
    await knowsPeople([nileTeacher], DEMO.schools.nile.id);
    await messagingKnows(
      'the guardian link',
      async (em) => (await em.count(GuardianLink, { guardianId: parent.id, studentId: child.id })) === 1,
    );
    await messagingKnows(
      'the course and the enrollment',
      async (em) =>
        (await em.count(CourseInfo, { id: courseId, teacherId: teacher.id })) === 1 &&
        (await em.count(CourseEnrollment, { courseId, studentId: child.id, active: true })) === 1,
    );
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const START = `mutation($p: [ID!]!, $s: String!, $b: String!, $st: ID) {
  startConversation(participantIds: $p, subject: $s, body: $b, studentId: $st) { id subject student { id } participants { id } }
}`;
  const SEND = 'mutation($c: ID!, $b: String!) { sendMessage(conversationId: $c, body: $b) { id body sentAt sender { id displayName } } }';
  const READ = 'mutation($id: ID!) { markConversationRead(id: $id) { id unreadCount } }';
  const ONE = `query($id: ID!) { conversation(id: $id) {
  id subject unreadCount updatedAt
  participants { id displayName }
  student { id displayName }
  lastMessage { id body sender { id } }
} }`;
  const MESSAGES = `query($id: ID!, $n: Int, $after: String) { conversation(id: $id) {
  messages(first: $n, after: $after) { totalCount edges { cursor node { id body sender { displayName } } } pageInfo { hasNextPage endCursor } }
} }`;
  const LIST = `query($n: Int, $after: String) { conversations(first: $n, after: $after) {
  totalCount edges { cursor node { id subject unreadCount lastMessage { body } } } pageInfo { hasNextPage endCursor }
} }`;

  async function start(by: Person, others: Person[], subject = 'About homework', body = 'Hello', studentId?: string) {
    const data = await by.ok(START, { p: others.map((o) => o.id), s: subject, b: body, st: studentId });
    return data.startConversation.id as string;
  }

  describe('a parent and their child’s teacher', () => {
    it('start a conversation about the child, exchange messages, and see unread counts move and reset', async () => {
      const started = await parent.ok(START, {
        p: [teacher.id],
        s: '  Algebra homework  ',
        b: ' Is chapter 3 due on Monday? ',
        st: child.id,
      });
      const id = started.startConversation.id;
      expect(started.startConversation).toMatchObject({
        subject: 'Algebra homework',
        student: { id: child.id },
        participants: [{ id: parent.id }, { id: teacher.id }],
      });

      // The teacher sees it in their list, with one unread message, resolved across subgraphs.
      const seen = (await teacher.ok(ONE, { id })).conversation;
      expect(seen).toMatchObject({
        subject: 'Algebra homework',
        unreadCount: 1,
        participants: [
          { id: parent.id, displayName: 'Heba Samir' },
          { id: teacher.id, displayName: 'Karim Nabil' },
        ],
        student: { id: child.id, displayName: 'Youssef Samir' },
        lastMessage: { body: 'Is chapter 3 due on Monday?', sender: { id: parent.id } },
      });
      expect((await parent.ok(ONE, { id })).conversation.unreadCount).toBe(0);

      const reply = (await teacher.ok(SEND, { c: id, b: 'Yes, by Monday morning.' })).sendMessage;
      expect(reply).toMatchObject({ body: 'Yes, by Monday morning.', sender: { id: teacher.id, displayName: 'Karim Nabil' } });
      await teacher.ok(SEND, { c: id, b: 'Pages 40 to 45.' });
      // Writing marks what came before read for the writer; the parent has two new ones.
      expect((await teacher.ok(ONE, { id })).conversation.unreadCount).toBe(0);
      const forParent = (await parent.ok(ONE, { id })).conversation;
      expect(forParent.unreadCount).toBe(2);
      expect(forParent.lastMessage.body).toBe('Pages 40 to 45.');
      expect(new Date(forParent.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(reply.sentAt).getTime());

      expect((await parent.ok(READ, { id })).markConversationRead).toEqual({ id, unreadCount: 0 });
      expect((await parent.ok(ONE, { id })).conversation.unreadCount).toBe(0);
      await teacher.ok(SEND, { c: id, b: 'See you.' });
      expect((await parent.ok(ONE, { id })).conversation.unreadCount).toBe(1);
    });

    it('notify the other participants of each message (in the message’s transaction), never the writer', async () => {
      const id = await start(parent, [teacher], 'Absence', 'Youssef is ill today', child.id);
      const message = (await parent.ok(SEND, { c: id, b: 'He will be back on Sunday.' })).sendMessage;
      const rows = await messagingEm().find(Notification, { dedupeKey: { $like: `message:${message.id}:%` } });
      expect(rows.length).toBeGreaterThan(0);
      expect([...new Set(rows.map((r) => r.recipientId))]).toEqual([teacher.id]);
      expect(rows.every((r) => r.category === 'message' && r.templateKey === 'conversation.message')).toBe(true);
      expect(rows[0].variables).toMatchObject({ senderName: 'Heba Samir', subject: 'Absence', preview: 'He will be back on Sunday.' });
    });

    it('page the messages newest first with a keyset cursor, and the list by most recent activity', async () => {
      const id = await start(parent, [teacher], 'Paging', 'm1');
      for (const b of ['m2', 'm3', 'm4', 'm5']) await (b.endsWith('3') ? teacher : parent).ok(SEND, { c: id, b });

      const first = (await teacher.ok(MESSAGES, { id, n: 2 })).conversation.messages;
      expect(first.totalCount).toBe(5);
      expect(first.edges.map((e: { node: { body: string } }) => e.node.body)).toEqual(['m5', 'm4']);
      expect(first.pageInfo.hasNextPage).toBe(true);
      // A message written meanwhile does not shift the pages behind the cursor.
      await parent.ok(SEND, { c: id, b: 'm6' });
      const second = (await teacher.ok(MESSAGES, { id, n: 2, after: first.pageInfo.endCursor })).conversation.messages;
      expect(second.edges.map((e: { node: { body: string } }) => e.node.body)).toEqual(['m3', 'm2']);
      expect(second.edges[0].node.sender.displayName).toBe('Karim Nabil');
      const last = (await teacher.ok(MESSAGES, { id, n: 2, after: second.pageInfo.endCursor })).conversation.messages;
      expect(last.edges.map((e: { node: { body: string } }) => e.node.body)).toEqual(['m1']);
      expect(last.pageInfo.hasNextPage).toBe(false);

      // The teacher's list: this conversation first (latest activity); then older ones, paged.
      const older = await start(parent, [teacher], 'Older', 'o1');
      await parent.ok(SEND, { c: id, b: 'm7' });
      const page1 = (await teacher.ok(LIST, { n: 1 })).conversations;
      expect(page1.edges[0].node).toMatchObject({ id, subject: 'Paging', lastMessage: { body: 'm7' } });
      expect(page1.totalCount).toBeGreaterThanOrEqual(2);
      const page2 = (await teacher.ok(LIST, { n: 1, after: page1.pageInfo.endCursor })).conversations;
      expect(page2.edges[0].node.id).toBe(older);
      // Nobody else sees them in their list.
      const others = (await otherParent.ok(LIST, { n: 100 })).conversations;
      expect(others.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(id);

      const bad = await teacher.q(MESSAGES, { id, n: 2, after: 'not-a-cursor' });
      expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    });

    it('keep every message and exact counts when both write at once', async () => {
      const id = await start(parent, [teacher], 'Busy', 'start');
      await teacher.ok(READ, { id });
      const sent = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => parent.ok(SEND, { c: id, b: `p${i}` })),
        ...Array.from({ length: 4 }, (_, i) => teacher.ok(SEND, { c: id, b: `t${i}` })),
      ]);
      expect(await messagingEm().count(Message, { conversation: id })).toBe(11);
      // The conversation's last message is the newest of them all, whichever transaction committed last.
      const newest = await messagingEm().findOneOrFail(Message, { conversation: id }, { orderBy: { sentAt: 'desc', id: 'desc' } });
      const view = (await parent.ok(ONE, { id })).conversation;
      expect(view.lastMessage.id).toBe(newest.id);
      expect(sent.map((s) => s.sendMessage.id)).toContain(newest.id);
      // The teacher read up to "start" and then wrote: unread are the parent's messages after the teacher's own last one.
      const teacherMessages = await messagingEm().find(
        Message,
        { conversation: id, senderId: teacher.id },
        { orderBy: { sentAt: 'desc', id: 'desc' } },
      );
      const lastOwn = teacherMessages[0];
      const after = await messagingEm().count(Message, {
        conversation: id,
        senderId: parent.id,
        $or: [{ sentAt: { $gt: lastOwn.sentAt } }, { sentAt: lastOwn.sentAt, id: { $gt: lastOwn.id } }],
      });
      expect((await teacher.ok(ONE, { id })).conversation.unreadCount).toBe(after);
      await Promise.all([teacher.ok(READ, { id }), teacher.ok(READ, { id })]);
      expect((await teacher.ok(ONE, { id })).conversation.unreadCount).toBe(0);
    });
  });

  describe('who may start a conversation with whom', () => {
    it('a parent may write to a school admin, without a student', async () => {
      const id = await start(parent, [admin], 'Fees', 'A question about fees');
      expect((await admin.ok(ONE, { id })).conversation.unreadCount).toBe(1);
    });

    it('a teacher may write to the parents of their students, about the student', async () => {
      const id = await start(teacher, [parent], 'Progress', 'Youssef is doing well', child.id);
      expect((await parent.ok(ONE, { id })).conversation.student.id).toBe(child.id);
    });

    it('a parent cannot write to a teacher of another school: not found, as for an id that does not exist', async () => {
      const r = await parent.q(START, { p: [nileTeacher.id], s: 'Hi', b: 'Hello' });
      expect(codes(r)).toEqual(['NOT_FOUND']);
      const unknown = await parent.q(START, { p: [randomUUID()], s: 'Hi', b: 'Hello' });
      expect(codes(unknown)).toEqual(['NOT_FOUND']);
      expect(r.body.errors![0].message).toBe(unknown.body.errors![0].message);
    });

    it('a parent cannot write to a teacher who does not teach their child, nor to another parent', async () => {
      expect(codes(await parent.q(START, { p: [otherTeacher.id], s: 'Hi', b: 'Hello' }))).toEqual(['FORBIDDEN']);
      expect(codes(await parent.q(START, { p: [otherParent.id], s: 'Hi', b: 'Hello' }))).toEqual(['FORBIDDEN']);
      // One refused participant refuses the whole conversation: nothing is stored.
      const before = await messagingEm().count(Message, {});
      expect(codes(await parent.q(START, { p: [teacher.id, otherTeacher.id], s: 'Hi', b: 'Hello' }))).toEqual(['FORBIDDEN']);
      expect(await messagingEm().count(Message, {})).toBe(before);
    });

    it('refuses a conversation about a student who is not the child of every parent or the student of every teacher', async () => {
      // otherParent is not the child's guardian.
      expect(codes(await admin.q(START, { p: [otherParent.id, teacher.id], s: 'Hi', b: 'Hello', st: child.id }))).toEqual(['FORBIDDEN']);
      // otherTeacher does not teach the child.
      expect(codes(await admin.q(START, { p: [parent.id, otherTeacher.id], s: 'Hi', b: 'Hello', st: child.id }))).toEqual(['FORBIDDEN']);
      // The teacher writing about a student of theirs to a parent who is not that student's.
      expect(codes(await teacher.q(START, { p: [otherParent.id], s: 'Hi', b: 'Hello', st: child.id }))).toEqual(['FORBIDDEN']);
      // A studentId that is not a student of the school.
      expect(codes(await parent.q(START, { p: [teacher.id], s: 'Hi', b: 'Hello', st: teacher.id }))).toEqual(['NOT_FOUND']);
      // The admin, the parent and the teacher about the child: fine.
      await start(admin, [parent, teacher], 'Meeting', 'Shall we meet on Tuesday?', child.id);
    });

    it('a student cannot start conversations', async () => {
      expect(codes(await child.q(START, { p: [teacher.id], s: 'Hi', b: 'Hello' }))).toEqual(['FORBIDDEN']);
    });

    it('an anonymous caller is refused', async () => {
      const r = await stack.gql(START, { tenant: 'demo', variables: { p: [teacher.id], s: 'Hi', b: 'Hello' } });
      expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('a conversation is private to its people', () => {
    let id: string;
    beforeAll(async () => {
      id = await start(parent, [teacher], 'Private', 'Only for the teacher', child.id);
    });

    it('another parent cannot read it, write in it or mark it read (as if it did not exist)', async () => {
      expect((await otherParent.ok(ONE, { id })).conversation).toBeNull();
      expect(codes(await otherParent.q(SEND, { c: id, b: 'Let me in' }))).toEqual(['NOT_FOUND']);
      expect(codes(await otherParent.q(READ, { id }))).toEqual(['NOT_FOUND']);
      expect(await messagingEm().count(Message, { conversation: id, senderId: otherParent.id })).toBe(0);
    });

    it('another school’s admin does not find it; this school’s admin reads it but cannot write in it', async () => {
      expect((await nileAdmin.ok(ONE, { id })).conversation).toBeNull();
      expect(codes(await nileAdmin.q(SEND, { c: id, b: 'Hello' }))).toEqual(['NOT_FOUND']);
      const read = (await admin.ok(ONE, { id })).conversation;
      expect(read).toMatchObject({ id, subject: 'Private', unreadCount: 0 });
      expect(codes(await admin.q(SEND, { c: id, b: 'Hello' }))).toEqual(['FORBIDDEN']);
    });

    it('answers _entities lookups (another subgraph naming it) as conversation(id) does', async () => {
      const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(stack.keys.internal)));
      const entities = async (tenant: { id: string; slug: string }, user: { id: string; roles: string[] }) => {
        const r = await gql(
          `${stack.url('messaging')}/graphql`,
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Conversation { id subject } } }',
          {
            headers: { [INTERNAL_CONTEXT_HEADER]: await sign({ tenant, user }, 'messaging') },
            variables: {
              r: [
                { __typename: 'Conversation', id },
                { __typename: 'Conversation', id: 'not-an-id' },
              ],
            },
          },
        );
        return r.body.data._entities;
      };
      const demo = { id: SCHOOL, slug: 'demo' };
      expect(await entities(demo, { id: parent.id, roles: ['PARENT'] })).toEqual([{ id, subject: 'Private' }, null]);
      expect(await entities(demo, { id: otherParent.id, roles: ['PARENT'] })).toEqual([null, null]);
      expect(await entities(demo, { id: admin.id, roles: ['SCHOOL_ADMIN'] })).toEqual([{ id, subject: 'Private' }, null]);
      expect(await entities({ id: DEMO.schools.nile.id, slug: 'nile' }, { id: nileAdmin.id, roles: ['SCHOOL_ADMIN'] })).toEqual([
        null,
        null,
      ]);
      // Ids are case-insensitive; what is not an id names nothing.
      expect((await parent.ok(ONE, { id: id.toUpperCase() })).conversation.id).toBe(id);
      expect((await parent.ok(ONE, { id: 'not-an-id' })).conversation).toBeNull();
    });
  });

  describe('bad input', () => {
    const expectBad = async (variables: Record<string, unknown>, field: string) => {
      const r = await parent.q(START, { s: 'Subject', b: 'Body', ...variables });
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.body.errors![0].extensions?.field).toBe(field);
    };

    it('refuses a blank, whitespace-only or too long body, and a blank or too long subject', async () => {
      await expectBad({ p: [teacher.id], b: '' }, 'body');
      await expectBad({ p: [teacher.id], b: ' \n\t ' }, 'body');
      await expectBad({ p: [teacher.id], b: 'x'.repeat(4001) }, 'body');
      await expectBad({ p: [teacher.id], s: '   ' }, 'subject');
      await expectBad({ p: [teacher.id], s: 'x'.repeat(201) }, 'subject');
      // The limits themselves are fine (trimmed first).
      await start(parent, [teacher], ` ${'s'.repeat(200)} `, ` ${'b'.repeat(4000)} `);
    });

    it('refuses no participant, 11 others, a repeated id, the viewer among them, and ids that are not ids', async () => {
      await expectBad({ p: [] }, 'participantIds');
      await expectBad({ p: Array.from({ length: 11 }, () => randomUUID()) }, 'participantIds');
      await expectBad({ p: [teacher.id, teacher.id] }, 'participantIds');
      await expectBad({ p: [teacher.id, teacher.id.toUpperCase()] }, 'participantIds');
      await expectBad({ p: [parent.id, teacher.id] }, 'participantIds');
      await expectBad({ p: ['abc'] }, 'participantIds');
      await expectBad({ p: [teacher.id], st: 'abc' }, 'studentId');
    });

    it('refuses a blank or too long message to an existing conversation, and stores nothing', async () => {
      const id = await start(parent, [teacher], 'Input', 'first');
      expect(codes(await parent.q(SEND, { c: id, b: '   ' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await parent.q(SEND, { c: id, b: 'x'.repeat(4001) }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await parent.q(SEND, { c: 'abc', b: 'hello' }))).toEqual(['BAD_USER_INPUT']);
      expect(await messagingEm().count(Message, { conversation: id })).toBe(1);
    });

    it('answers in Arabic when asked', async () => {
      const r = await stack.gql(START, {
        tenant: 'demo',
        token: parent.token,
        headers: { 'accept-language': 'ar' },
        variables: { p: [teacher.id], s: 'Subject', b: '  ' },
      });
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.body.errors![0].message).toMatch(/[\u0600-\u06FF]/);
    });
  });

  describe('batching', () => {
    it('resolves participants, unread counts and last messages of a page with the same number of queries for 2 and for 8 conversations', async () => {
      const viewer = await newMember(stack, admin, 'PARENT', 'Batch Parent');
      await knowsPeople([viewer]);
      const countFor = async (n: number) => {
        statements.length = 0;
        counting = true;
        const data = await viewer.ok(
          `query($n: Int) { conversations(first: $n) { edges { node { id unreadCount participants { id } lastMessage { body } } } } }`,
          { n },
        );
        counting = false;
        expect(data.conversations.edges).toHaveLength(n);
        return statements.length;
      };
      for (let i = 0; i < 8; i++) await start(viewer, [admin], `Batch ${i}`, `hello ${i}`);
      expect(await countFor(8)).toBe(await countFor(2));
    });
  });

  describe('messageAdded over graphql-ws through the gateway', () => {
    const SUB = `subscription($c: ID!, $after: ID) { messageAdded(conversationId: $c, after: $after) { id body sentAt sender { id displayName } } }`;
    const clients: TestClient[] = [];
    const client = (person: Person) => {
      const c = connectClient(wsUrlOf(stack.gatewayUrl), { token: person.token, tenant: 'demo' });
      clients.push(c);
      return c;
    };
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.dispose()));
    });

    it('delivers each new message with its sender, and resumes after the last one received', async () => {
      const id = await start(parent, [teacher], 'Live', 'before anyone listens', child.id);
      const opening = (await teacher.ok(ONE, { id })).conversation.lastMessage.id;
      // From the opening message on: what is written while the subscription is being set up is not lost.
      const live = subscribe(client(teacher).client, SUB, { c: id, after: opening });
      const first = (await parent.ok(SEND, { c: id, b: 'one' })).sendMessage;
      await eventually(() => expect(live.results.length).toBeGreaterThanOrEqual(1));
      const second = (await parent.ok(SEND, { c: id, b: 'two' })).sendMessage;
      const third = (await teacher.ok(SEND, { c: id, b: 'three' })).sendMessage;
      await eventually(() => expect(live.results).toHaveLength(3));
      expect(live.results.map((r) => r.data?.messageAdded)).toEqual([
        { id: first.id, body: 'one', sentAt: first.sentAt, sender: { id: parent.id, displayName: 'Heba Samir' } },
        { id: second.id, body: 'two', sentAt: second.sentAt, sender: { id: parent.id, displayName: 'Heba Samir' } },
        { id: third.id, body: 'three', sentAt: third.sentAt, sender: { id: teacher.id, displayName: 'Karim Nabil' } },
      ]);
      live.stop();

      // Reconnecting with the id of the last message it got, the parent gets exactly what came after.
      const resumed = subscribe(client(parent).client, SUB, { c: id, after: first.id });
      await eventually(() => expect(resumed.results).toHaveLength(2));
      expect(resumed.results.map((r) => r.data?.messageAdded.body)).toEqual(['two', 'three']);
      const fourth = (await teacher.ok(SEND, { c: id, b: 'four' })).sendMessage;
      await eventually(() => expect(resumed.results).toHaveLength(3));
      expect(resumed.results[2].data?.messageAdded).toMatchObject({ id: fourth.id, body: 'four' });
      resumed.stop();
    });

    it('refuses a parent who is not in the conversation, and an admin who only reads it', async () => {
      const id = await start(parent, [teacher], 'Closed', 'not for you');
      const outsider = subscribe(client(otherParent).client, SUB, { c: id });
      await eventually(() => expect(outsider.error ?? outsider.completed).toBeTruthy());
      expect(outsider.results.every((r) => !r.data?.messageAdded)).toBe(true);
      const errors =
        (outsider.error as Array<{ extensions?: { code?: string } }> | undefined) ?? outsider.results.flatMap((r) => r.errors ?? []);
      expect(JSON.stringify(errors)).toContain('NOT_FOUND');

      const nile = connectClient(wsUrlOf(stack.gatewayUrl), { token: nileAdmin.token, tenant: 'nile' });
      clients.push(nile);
      const other = subscribe(nile.client, SUB, { c: id });
      await eventually(() => expect(other.error ?? other.completed).toBeTruthy());
      expect(JSON.stringify(other.error ?? other.results)).toContain('NOT_FOUND');

      await parent.ok(SEND, { c: id, b: 'still private' });
      expect(outsider.results.every((r) => !r.data?.messageAdded)).toBe(true);
      expect(other.results.every((r) => !r.data?.messageAdded)).toBe(true);
    });

    it('refuses an `after` that is not a message of this conversation', async () => {
      const id = await start(parent, [teacher], 'After', 'x');
      const elsewhere = await start(parent, [teacher], 'Elsewhere', 'y');
      const foreign = (await parent.ok(SEND, { c: elsewhere, b: 'z' })).sendMessage;
      const sub = subscribe(client(parent).client, SUB, { c: id, after: foreign.id });
      await eventually(() => expect(sub.error ?? sub.completed).toBeTruthy());
      expect(JSON.stringify(sub.error ?? sub.results)).toContain('BAD_USER_INPUT');
    });
  });
});
