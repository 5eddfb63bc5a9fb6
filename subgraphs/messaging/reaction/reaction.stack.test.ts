import type { MikroORM } from '@mikro-orm/core';
import { DEMO } from '../../../platform/demo';
import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { demoPeople, newMember, pair, type Person } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { DEMO_COURSES } from '../../courses/seed';
import { Contact } from '../contact/contact.entity';
import { CourseEnrollment } from '../course/course-enrollment.entity';
import { DeliveryStatus } from '../notification/notification.entity';
import { notificationsOf, reactionStackEnv, schoolEm } from '../../../testkit/messaging-reactions';

/**
 * Live-session reminders end to end: users, courses and messaging with MariaDB and RabbitMQ; the
 * demo teacher schedules, moves and cancels a session of the demo math course through the
 * gateway, and the demo student and a parent who paired with them through users (known to
 * messaging through its read models) get reminders that follow. On the way, the parent's
 * invitation and the student's pairing code (users' events) are delivered by the reactions.
 */
const SCHOOL = DEMO.schools.demo.id;
const MINUTE = 60_000;
const student = DEMO.users.demoStudent.id;
let parent: string;

let stack: Stack;
let orm: MikroORM;
let teacher: Person;

beforeAll(async () => {
  stack = await startStack('mysql', reactionStackEnv, { subgraphs: ['users', 'courses', 'messaging'] });
  orm = stack.service<SubgraphService>('messaging').orm();
  const people = await demoPeople(stack);
  teacher = people.teacher;
  // A parent invited and paired now: the link reaches messaging as users' guardian.linked.
  const newParent = await newMember(stack, people.admin, 'PARENT', 'Layla Hamed');
  parent = newParent.id;
  await pair(people.student, newParent);
  // messaging's read models have the student, the parent, the enrollment (backfills at start) and the link
  await eventually(async () => {
    const em = schoolEm(orm, SCHOOL);
    expect(await em.count(Contact, { id: { $in: [student, parent] } })).toBe(2);
    expect(await em.count(CourseEnrollment, { courseId: DEMO_COURSES.math.id, studentId: student, active: true })).toBe(1);
    expect(await em.count(GuardianLink, { guardianId: parent, studentId: student })).toBe(1);
    // The seeded guardian of the demo student, sent again by users' answer to the people backfill.
    expect(await em.count(GuardianLink, { guardianId: DEMO.users.demoParent.id, studentId: student })).toBe(1);
  }, 45_000);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const reminders = (sessionId: string, status: DeliveryStatus) =>
  notificationsOf(orm, SCHOOL, { category: 'live.reminder', dedupeKey: { $like: `live.reminder:${sessionId}:%` }, status });

it("users' invitation and pairing code reach the invitee and the student through the reactions", async () => {
  await eventually(async () => {
    const invitations = await notificationsOf(orm, SCHOOL, { templateKey: 'account.invitation', address: { $like: 'layla.hamed.%' } });
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toMatchObject({ recipientId: null, category: 'account' });
    expect(invitations[0].sealed).toBeTruthy();
  });
  await eventually(async () => {
    const codes = await notificationsOf(orm, SCHOOL, { templateKey: 'account.pairing-code', recipientId: student });
    expect(codes.map((c) => c.channel).sort()).toEqual(['EMAIL', 'IN_APP']);
  });
});

it('a session scheduled, moved and canceled through the gateway schedules, moves and cancels its reminders', async () => {
  const startsAt = new Date(Date.now() + 3 * 60 * MINUTE);
  const { scheduleLiveSession } = await teacher.ok(
    'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
    { c: DEMO_COURSES.math.id, i: { title: 'Linear equations, live', startsAt: startsAt.toISOString() } },
  );
  const sessionId: string = scheduleLiveSession.id;
  await eventually(async () => {
    const rows = await reminders(sessionId, DeliveryStatus.SCHEDULED);
    expect(new Set(rows.map((r) => r.recipientId))).toEqual(new Set([student, parent, DEMO.users.demoParent.id]));
  });
  const first = await reminders(sessionId, DeliveryStatus.SCHEDULED);
  expect(first.every((r) => r.scheduledAt?.getTime() === startsAt.getTime() - 15 * MINUTE)).toBe(true);

  const moved = new Date(Date.now() + 6 * 60 * MINUTE);
  await teacher.ok('mutation($id: ID!, $s: DateTime!) { rescheduleLiveSession(id: $id, startsAt: $s) { id } }', {
    id: sessionId,
    s: moved.toISOString(),
  });
  await eventually(async () => {
    expect(await reminders(sessionId, DeliveryStatus.CANCELED)).toHaveLength(first.length);
    const now = await reminders(sessionId, DeliveryStatus.SCHEDULED);
    expect(now).toHaveLength(first.length);
    expect(now.every((r) => r.scheduledAt?.getTime() === moved.getTime() - 15 * MINUTE)).toBe(true);
  });
  // both heard that it moved
  const notices = await notificationsOf(orm, SCHOOL, { category: 'live.schedule', templateKey: 'live.rescheduled' });
  expect(new Set(notices.map((n) => n.recipientId))).toEqual(new Set([student, parent, DEMO.users.demoParent.id]));

  await teacher.ok('mutation($id: ID!) { cancelLiveSession(id: $id, reason: "Exam week") { id } }', { id: sessionId });
  await eventually(async () => {
    expect(await reminders(sessionId, DeliveryStatus.SCHEDULED)).toEqual([]);
    expect(await reminders(sessionId, DeliveryStatus.CANCELED)).toHaveLength(2 * first.length);
  });
  await eventually(async () => {
    const canceled = await notificationsOf(orm, SCHOOL, { category: 'live.schedule', templateKey: 'live.canceled' });
    expect(new Set(canceled.map((n) => n.recipientId))).toEqual(new Set([student, parent, DEMO.users.demoParent.id]));
  });
});
