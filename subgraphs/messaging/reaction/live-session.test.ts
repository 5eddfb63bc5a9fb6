import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { DEMO } from '../../../platform/demo';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { Channel, DeliveryStatus, Notification } from '../notification/notification.entity';
import { LiveSessionInfo } from './live-session-info.entity';
import {
  arrange,
  asMessage,
  directHandler,
  envelope,
  notificationsOf,
  person,
  reactionStackEnv,
  schoolEm,
  type PersonRow,
} from '../../../testkit/messaging-reactions';

/**
 * The live-session reactions (live-session.consumer.ts) on the messaging subgraph with MariaDB and
 * RabbitMQ: events published to the stack's exchange as courses publishes them, the notifications
 * rows they leave.
 */
const SCHOOL = DEMO.schools.demo.id;
const QUEUE = 'messaging.live-sessions';
const MINUTE = 60_000;

let stack: Stack;
let orm: MikroORM;

// A course with two students: one followed by two parents (Arabic and English), one by nobody; a
// dropped student and a student of another course hear nothing.
const student = person('Mariam Adel', 'AR', { phone: '+201000000001' });
const loneStudent = person('Youssef Nabil', 'EN');
const mother = person('Heba Samir', 'AR');
const father = person('Adel Mahmoud', 'EN');
const dropped = person('Karim Ali', 'AR');
const otherStudent = person('Salma Fathy', 'AR');
const courseId = randomUUID();
const otherCourseId = randomUUID();

beforeAll(async () => {
  stack = await startStack('mysql', reactionStackEnv, { subgraphs: ['messaging'] });
  orm = stack.service<SubgraphService>('messaging').orm();
  await arrange(orm, SCHOOL, {
    people: [student, loneStudent, mother, father, dropped, otherStudent],
    course: { id: courseId, title: 'Physics' },
    enrolled: [{ studentId: student.id }, { studentId: loneStudent.id }, { studentId: dropped.id, active: false }],
    guardians: [
      { guardianId: mother.id, studentId: student.id },
      { guardianId: father.id, studentId: student.id },
      { guardianId: randomUUID(), studentId: otherStudent.id },
    ],
  });
  await arrange(orm, SCHOOL, { course: { id: otherCourseId, title: 'Chemistry' }, enrolled: [{ studentId: otherStudent.id }] });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const publish = async (event: { id: string; type: string }) => {
  await stack.transport.broker.publish(event.type, event, { id: event.id });
};

/** The session's reminders: their dedupe keys begin with `live.reminder:<session>:`. */
const reminders = (sessionId: string, status?: DeliveryStatus) =>
  notificationsOf(orm, SCHOOL, {
    category: 'live.reminder',
    dedupeKey: { $like: `live.reminder:${sessionId}:%` },
    ...(status ? { status } : {}),
  });

const recipients = (rows: Notification[]) => [...new Set(rows.map((r) => r.recipientId))].sort();
const ids = (...people: PersonRow[]) => people.map((p) => p.id).sort();
const audience = ids(student, loneStudent, mother, father);

function scheduled(sessionId: string, startsAt: Date, occurredAt = new Date()) {
  return envelope('live.session.scheduled', SCHOOL, { sessionId, courseId, title: 'Waves', startsAt: startsAt.toISOString() }, occurredAt);
}

describe('live.session.scheduled', () => {
  it('schedules a reminder before the start for the active students and their guardians, in their languages', async () => {
    const sessionId = randomUUID();
    const startsAt = new Date(Date.now() + 3 * 60 * MINUTE);
    await publish(scheduled(sessionId, startsAt));

    // in-app for everyone, WhatsApp for the student with a phone (push: nobody has a device)
    await eventually(async () => expect(await reminders(sessionId)).toHaveLength(5));
    const rows = await reminders(sessionId);
    expect(recipients(rows)).toEqual(audience);
    expect(rows.every((r) => r.status === DeliveryStatus.SCHEDULED)).toBe(true);
    expect(rows.every((r) => r.scheduledAt?.getTime() === startsAt.getTime() - 15 * MINUTE)).toBe(true);
    expect(rows.filter((r) => r.channel === Channel.WHATSAPP).map((r) => r.recipientId)).toEqual([student.id]);
    expect(rows.filter((r) => r.recipientId === dropped.id || r.recipientId === otherStudent.id)).toEqual([]);

    const ar = rows.find((r) => r.recipientId === mother.id)!;
    const en = rows.find((r) => r.recipientId === father.id)!;
    expect([ar.locale, en.locale]).toEqual(['AR', 'EN']);
    // Cairo time, in each language's digits
    expect(en.variables).toMatchObject({ sessionTitle: 'Waves', courseTitle: 'Physics' });
    expect(en.body).toContain('Waves');
    expect(ar.body).toMatch(/[٠-٩]/);
    expect(ar.body).not.toMatch(/[0-9]/);

    // the session is kept in the read model
    const info = await schoolEm(orm, SCHOOL).findOneOrFail(LiveSessionInfo, { id: sessionId });
    expect(info).toMatchObject({ courseId, title: 'Waves' });
    expect(info.startsAt?.getTime()).toBe(startsAt.getTime());
  });

  it('reminds at once when the reminder moment has passed but the start has not, and not at all after the start', async () => {
    const soon = randomUUID();
    const past = randomUUID();
    await publish(scheduled(soon, new Date(Date.now() + 5 * MINUTE)));
    await publish(scheduled(past, new Date(Date.now() - MINUTE)));

    await eventually(async () => expect(await reminders(soon)).toHaveLength(5));
    const rows = await reminders(soon);
    expect(rows.every((r) => r.status === DeliveryStatus.QUEUED && !r.scheduledAt)).toBe(true);
    await eventually(async () => expect(await schoolEm(orm, SCHOOL).count(LiveSessionInfo, { id: past })).toBe(1));
    expect(await reminders(past)).toEqual([]);
  });

  it('makes nothing new when the same event is delivered again, or twice at once', async () => {
    const sessionId = randomUUID();
    const event = scheduled(sessionId, new Date(Date.now() + 2 * 60 * MINUTE));
    await publish(event);
    await eventually(async () => expect(await reminders(sessionId)).toHaveLength(5));

    const handle = directHandler(orm, QUEUE);
    await handle(asMessage(event, 2));
    await Promise.all([handle(asMessage(event, 3)), handle(asMessage(event, 3))]);
    expect(await reminders(sessionId)).toHaveLength(5);
  });

  it('keeps the reminders of one school away from another school with the same course id', async () => {
    const sessionId = randomUUID();
    const other = envelope('live.session.scheduled', DEMO.schools.nile.id, {
      sessionId,
      courseId,
      title: 'Waves',
      startsAt: new Date(Date.now() + 60 * MINUTE).toISOString(),
    });
    await directHandler(orm, QUEUE)(asMessage(other));
    // The course and its students are the demo school's: the other school has no audience.
    expect(await notificationsOf(orm, DEMO.schools.nile.id, { category: 'live.reminder' })).toEqual([]);
    expect(await reminders(sessionId)).toEqual([]);
  });
});

describe('live.session.rescheduled', () => {
  it('cancels the pending reminders, schedules new ones at the new time and tells the same people', async () => {
    const sessionId = randomUUID();
    const first = new Date(Date.now() + 3 * 60 * MINUTE);
    const moved = new Date(Date.now() + 5 * 60 * MINUTE);
    await publish(scheduled(sessionId, first));
    await eventually(async () => expect(await reminders(sessionId)).toHaveLength(5));

    const event = envelope('live.session.rescheduled', SCHOOL, {
      sessionId,
      courseId,
      title: 'Waves',
      startsAt: moved.toISOString(),
      previousStartsAt: first.toISOString(),
    });
    await publish(event);
    await eventually(async () => expect(await reminders(sessionId, DeliveryStatus.CANCELED)).toHaveLength(5));
    await eventually(async () => expect(await reminders(sessionId, DeliveryStatus.SCHEDULED)).toHaveLength(5));

    const fresh = await reminders(sessionId, DeliveryStatus.SCHEDULED);
    expect(recipients(fresh)).toEqual(audience);
    expect(fresh.every((r) => r.scheduledAt?.getTime() === moved.getTime() - 15 * MINUTE)).toBe(true);
    expect(fresh.every((r) => r.dedupeKey.includes(moved.toISOString()))).toBe(true);

    const notices = await notificationsOf(orm, SCHOOL, { category: 'live.schedule', dedupeKey: { $like: `${event.id}:%` } });
    expect(recipients(notices)).toEqual(audience);
    expect(notices.every((n) => n.templateKey === 'live.rescheduled' && n.status === DeliveryStatus.QUEUED)).toBe(true);
    // in-app and email (the default channels of live.schedule; push needs a device)
    expect(new Set(notices.map((n) => n.channel))).toEqual(new Set([Channel.IN_APP, Channel.EMAIL]));

    // delivered again: nothing canceled twice, nothing made twice
    await directHandler(orm, QUEUE)(asMessage(event, 2));
    expect(await reminders(sessionId)).toHaveLength(10);
    expect(await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `${event.id}:%` } })).toHaveLength(notices.length);
  });

  it('ignores a scheduling older than what the session already reflects (a late retry)', async () => {
    const sessionId = randomUUID();
    const moved = new Date(Date.now() + 4 * 60 * MINUTE);
    const old = scheduled(sessionId, new Date(Date.now() + 2 * 60 * MINUTE), new Date(Date.now() - 10 * MINUTE));
    const reschedule = envelope('live.session.rescheduled', SCHOOL, {
      sessionId,
      courseId,
      title: 'Waves (moved)',
      startsAt: moved.toISOString(),
      previousStartsAt: old.payload.startsAt,
    });
    const handle = directHandler(orm, QUEUE);
    await handle(asMessage(reschedule));
    await handle(asMessage(old));

    const rows = await reminders(sessionId);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.status === DeliveryStatus.SCHEDULED && r.scheduledAt?.getTime() === moved.getTime() - 15 * MINUTE)).toBe(
      true,
    );
    expect((await schoolEm(orm, SCHOOL).findOneOrFail(LiveSessionInfo, { id: sessionId })).title).toBe('Waves (moved)');
  });
});

describe('live.session.canceled and live.session.started', () => {
  it('a cancellation cancels the reminders and sends a notice with the reason', async () => {
    const sessionId = randomUUID();
    const startsAt = new Date(Date.now() + 3 * 60 * MINUTE);
    await publish(scheduled(sessionId, startsAt));
    await eventually(async () => expect(await reminders(sessionId)).toHaveLength(5));

    const event = envelope('live.session.canceled', SCHOOL, {
      sessionId,
      courseId,
      title: 'Waves',
      startsAt: startsAt.toISOString(),
      reason: 'Teacher is ill',
      canceledAt: new Date().toISOString(),
    });
    await publish(event);
    await eventually(async () => expect(await reminders(sessionId, DeliveryStatus.CANCELED)).toHaveLength(5));
    const notices = await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `${event.id}:%` } });
    expect(recipients(notices)).toEqual(audience);
    expect(notices.every((n) => n.category === 'live.schedule' && n.templateKey === 'live.canceled')).toBe(true);
    expect(notices.find((n) => n.recipientId === father.id && n.channel === Channel.IN_APP)?.body).toContain('Teacher is ill');

    // a scheduling of the session that comes after its cancellation schedules nothing
    await directHandler(orm, QUEUE)(asMessage(scheduled(sessionId, startsAt, new Date(Date.now() - MINUTE))));
    expect(await reminders(sessionId, DeliveryStatus.SCHEDULED)).toEqual([]);
  });

  it('a cancellation also cancels reminders already queued that no worker has claimed; a claimed one goes on', async () => {
    const sessionId = randomUUID();
    const startsAt = new Date(Date.now() + 5 * MINUTE);
    await publish(scheduled(sessionId, startsAt));
    await eventually(async () => expect(await reminders(sessionId, DeliveryStatus.QUEUED)).toHaveLength(5));
    const [claimed] = await reminders(sessionId, DeliveryStatus.QUEUED);
    await schoolEm(orm, SCHOOL).nativeUpdate(Notification, { id: claimed.id }, { claimedAt: new Date() });

    const canceled = envelope('live.session.canceled', SCHOOL, {
      sessionId,
      courseId,
      title: 'Waves',
      startsAt: startsAt.toISOString(),
      canceledAt: new Date().toISOString(),
    });
    await publish(canceled);
    await eventually(async () => expect(await reminders(sessionId, DeliveryStatus.CANCELED)).toHaveLength(4));
    expect((await reminders(sessionId, DeliveryStatus.QUEUED)).map((r) => r.id)).toEqual([claimed.id]);
  });

  it('a reschedule and a cancellation handled at once leave no reminder waiting, whichever goes first', async () => {
    const sessionId = randomUUID();
    const startsAt = new Date(Date.now() + 3 * 60 * MINUTE);
    const handle = directHandler(orm, QUEUE);
    await handle(asMessage(scheduled(sessionId, startsAt, new Date(Date.now() - 2 * MINUTE))));
    expect(await reminders(sessionId, DeliveryStatus.SCHEDULED)).toHaveLength(5);

    const moved = envelope(
      'live.session.rescheduled',
      SCHOOL,
      {
        sessionId,
        courseId,
        title: 'Waves',
        startsAt: new Date(Date.now() + 4 * 60 * MINUTE).toISOString(),
        previousStartsAt: startsAt.toISOString(),
      },
      new Date(Date.now() - MINUTE),
    );
    const canceled = envelope('live.session.canceled', SCHOOL, {
      sessionId,
      courseId,
      title: 'Waves',
      startsAt: startsAt.toISOString(),
      canceledAt: new Date().toISOString(),
    });
    await Promise.all([handle(asMessage(canceled)), handle(asMessage(moved))]);
    expect(await reminders(sessionId, DeliveryStatus.SCHEDULED)).toEqual([]);
    expect((await schoolEm(orm, SCHOOL).findOneOrFail(LiveSessionInfo, { id: sessionId })).canceledAt).toBeTruthy();
  });

  it('the start cancels the reminders still waiting, and none is scheduled after it', async () => {
    const sessionId = randomUUID();
    const startsAt = new Date(Date.now() + 60 * MINUTE);
    await publish(scheduled(sessionId, startsAt));
    await eventually(async () => expect(await reminders(sessionId)).toHaveLength(5));

    const started = envelope('live.session.started', SCHOOL, { sessionId, courseId, startedAt: new Date().toISOString() });
    await publish(started);
    await eventually(async () => expect(await reminders(sessionId, DeliveryStatus.CANCELED)).toHaveLength(5));
    // no notice for a start
    expect(await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `${started.id}:%` } })).toEqual([]);

    // a reschedule that arrives late (it happened before the start) makes no reminder either
    await directHandler(
      orm,
      QUEUE,
    )(
      asMessage(
        envelope(
          'live.session.rescheduled',
          SCHOOL,
          { sessionId, courseId, title: 'Waves', startsAt: startsAt.toISOString(), previousStartsAt: startsAt.toISOString() },
          new Date(Date.now() - 5 * MINUTE),
        ),
      ),
    );
    expect(await reminders(sessionId, DeliveryStatus.SCHEDULED)).toEqual([]);
  });
});
