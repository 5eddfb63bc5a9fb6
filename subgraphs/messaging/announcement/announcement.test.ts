import { createHash, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { DEMO } from '../../../platform/demo';
import { scopeToTenant } from '../../../platform/db/tenant';
import { createLogger } from '../../../platform/logger';
import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { codes, demoPeople } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { Contact } from '../contact/contact.entity';
import { CourseEnrollment } from '../course/course-enrollment.entity';
import { CourseInfo } from '../course/course-info.entity';
import { Channel, DeliveryStatus, Notification } from '../notification/notification.entity';
import { NotificationService } from '../notification/notification.service';
import { Sealer } from '../notification/seal';
import { announcementFanoutConsumer, ANNOUNCEMENT_FANOUT, registerAnnouncementNotify } from './announcement.consumer';
import { Announcement } from './announcement.entity';

const demo = DEMO.schools.demo.id;
const nile = DEMO.schools.nile.id;
const SEND = `mutation($c: ID!, $k: String!, $v: JSON, $ch: [Channel!]!, $at: DateTime) {
  sendAnnouncement(courseId: $c, templateKey: $k, variables: $v, channels: $ch, scheduledAt: $at) {
    id course { id } templateKey channels scheduledAt createdAt recipientCount
  }
}`;
const LIST = `query($c: ID!, $first: Int, $after: String) {
  announcements(courseId: $c, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id recipientCount deliveries { scheduled queued sent delivered read failed canceled } } }
  }
}`;

/**
 * Announcements through the gateway: who may send one to which course, what is refused, and the
 * fan-out (through the outbox and the broker) into one notification per recipient and channel:
 * the course's active students and their guardians.
 */
describe('announcements (mysql)', () => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let orm: MikroORM;
  const em = (schoolId: string = demo) => scopeToTenant(orm.em.fork(), schoolId);

  beforeAll(async () => {
    stack = await startStack('mysql', { DELIVERY_WORKERS: 'off', MESSAGING_SWEEP_INTERVAL_MS: '0' }, { subgraphs: ['users', 'messaging'] });
    people = await demoPeople(stack);
    orm = stack.service<SubgraphService>('messaging').orm();
    // Messages are signed with the teacher's name: wait until the people backfill brought it.
    await eventually(async () => expect(await em().count(Contact, { id: people.teacher.id })).toBe(1), 60_000);
  });
  afterAll(() => stack?.stop());

  /** A course of the read model with `students` students (plus one who left), each with a guardian, one guardian shared by two. */
  async function course(opts: { teacherId?: string; schoolId?: string; students?: number; deleted?: boolean } = {}) {
    const schoolId = opts.schoolId ?? demo;
    const e = em(schoolId);
    const observedAt = new Date();
    const id = randomUUID();
    e.create(CourseInfo, {
      id,
      schoolId,
      title: 'Chemistry',
      teacherId: opts.teacherId ?? people.teacher.id,
      status: 'PUBLISHED',
      deletedAt: opts.deleted ? new Date() : undefined,
      observedAt,
    });
    const contact = (locale: 'AR' | 'EN') => {
      const c = e.create(Contact, {
        id: randomUUID(),
        schoolId,
        roles: [],
        displayName: 'Someone',
        email: `${randomUUID().slice(0, 8)}@x.test`,
        locale,
        observedAt,
      });
      return c.id;
    };
    const students = Array.from({ length: opts.students ?? 3 }, (_, i) => contact(i % 2 ? 'EN' : 'AR'));
    const gone = contact('AR');
    for (const studentId of students) e.create(CourseEnrollment, { schoolId, courseId: id, studentId, active: true, observedAt });
    e.create(CourseEnrollment, { schoolId, courseId: id, studentId: gone, active: false, observedAt });
    const shared = contact('EN');
    const guardians = [shared];
    e.create(GuardianLink, { schoolId, guardianId: shared, studentId: students[0] });
    if (students[1]) e.create(GuardianLink, { schoolId, guardianId: shared, studentId: students[1] });
    for (const studentId of students.slice(2)) {
      const g = contact('AR');
      guardians.push(g);
      e.create(GuardianLink, { schoolId, guardianId: g, studentId });
    }
    e.create(GuardianLink, { schoolId, guardianId: contact('AR'), studentId: gone });
    await e.flush();
    return { id, students, guardians, gone };
  }

  const fannedOut = (id: string) =>
    eventually(async () => {
      const a = await em().findOneOrFail(Announcement, { id }, { refresh: true });
      if (!a.fannedOutAt) throw new Error('not fanned out yet');
      return a;
    }, 30_000);

  it("lets the course's teacher announce to its students and their guardians, one notification per person and channel", async () => {
    const c = await course({ students: 3 });
    const sent = (
      await people.teacher.ok(SEND, {
        c: c.id,
        k: 'announcement.general',
        v: { title: 'Lab day', message: 'Bring your goggles <safety first>', room: 12, urgent: true },
        ch: ['IN_APP', 'EMAIL'],
      })
    ).sendAnnouncement;
    expect(sent).toMatchObject({
      course: { id: c.id },
      templateKey: 'announcement.general',
      channels: ['IN_APP', 'EMAIL'],
      scheduledAt: null,
    });
    await fannedOut(sent.id);
    const rows = await em().find(Notification, { announcementId: sent.id });
    const audience = [...c.students, ...c.guardians];
    expect(new Set(rows.map((r) => r.recipientId))).toEqual(new Set(audience));
    expect(rows).toHaveLength(audience.length * 2);
    expect(rows.every((r) => r.status === DeliveryStatus.QUEUED && r.category === 'announcement')).toBe(true);
    expect(rows.some((r) => r.recipientId === c.gone)).toBe(false);
    const inApp = rows.find((r) => r.recipientId === c.students[0] && r.channel === Channel.IN_APP)!;
    // The course title and the teacher's name come with the announcement.
    expect(inApp.title).toBe('Chemistry: Lab day');
    expect(inApp.body).toBe(`Bring your goggles <safety first>\n\n— ${DEMO.users.demoTeacher.displayName}`);

    const list = (await people.teacher.ok(LIST, { c: c.id })).announcements;
    expect(list.totalCount).toBe(1);
    expect(list.edges[0].node).toEqual({
      id: sent.id,
      recipientCount: audience.length,
      deliveries: { scheduled: 0, queued: audience.length * 2, sent: 0, delivered: 0, read: 0, failed: 0, canceled: 0 },
    });
    expect((await people.admin.ok(LIST, { c: c.id })).announcements.totalCount).toBe(1);
    expect(codes(await people.parent.q(LIST, { c: c.id }))).toEqual(['FORBIDDEN']);
  });

  it('makes nothing twice when its fan-out job runs again', async () => {
    const c = await course({ students: 2 });
    const { sendAnnouncement } = await people.admin.ok(SEND, {
      c: c.id,
      k: 'announcement.general',
      v: { title: 'T', message: 'M' },
      ch: ['EMAIL'],
    });
    await fannedOut(sendAnnouncement.id);
    const count = await em().count(Notification, { announcementId: sendAnnouncement.id });
    expect(count).toBe(2 + 1);
    // A redelivery after a crash between the batches and the final mark: the job runs whole again.
    await em().nativeUpdate(Announcement, { id: sendAnnouncement.id }, { fannedOutAt: null });
    registerAnnouncementNotify(orm, new NotificationService(new Sealer(createHash('sha256').update('x').digest())).notify);
    const handle = announcementFanoutConsumer.handler({ orm, logger: createLogger('test', 'silent') });
    const message = {
      id: randomUUID(),
      routingKey: ANNOUNCEMENT_FANOUT,
      headers: {},
      attempt: 2,
      payload: {
        id: randomUUID(),
        type: ANNOUNCEMENT_FANOUT,
        version: 1,
        tenantId: demo,
        occurredAt: new Date().toISOString(),
        payload: { announcementId: sendAnnouncement.id },
      },
    };
    await Promise.all([handle(message), handle(message)]).catch(() => handle(message));
    expect(await em().count(Notification, { announcementId: sendAnnouncement.id })).toBe(count);
    expect((await em().findOneOrFail(Announcement, { id: sendAnnouncement.id }, { refresh: true })).fannedOutAt).toBeTruthy();
  });

  it('holds the notifications of a scheduled announcement until its time', async () => {
    const c = await course({ students: 1 });
    const at = new Date(Date.now() + 2 * 3600_000);
    const { sendAnnouncement } = await people.teacher.ok(SEND, {
      c: c.id,
      k: 'announcement.general',
      v: { title: 'Later', message: 'M' },
      ch: ['PUSH', 'IN_APP'],
      at: at.toISOString(),
    });
    expect(new Date(sendAnnouncement.scheduledAt).getTime()).toBe(at.getTime());
    await fannedOut(sendAnnouncement.id);
    const rows = await em().find(Notification, { announcementId: sendAnnouncement.id });
    // Nobody has a push device: in-app only, for the student and the guardian.
    expect(rows.map((r) => [r.channel, r.status, r.scheduledAt?.getTime()])).toEqual([
      [Channel.IN_APP, DeliveryStatus.SCHEDULED, at.getTime()],
      [Channel.IN_APP, DeliveryStatus.SCHEDULED, at.getTime()],
    ]);
    // Another one, at once: the list shows each with its own counts, newest first, in pages.
    const now = (
      await people.teacher.ok(SEND, { c: c.id, k: 'announcement.general', v: { title: 'Now', message: 'M' }, ch: ['IN_APP', 'EMAIL'] })
    ).sendAnnouncement;
    await fannedOut(now.id);
    const page1 = (await people.teacher.ok(LIST, { c: c.id, first: 1 })).announcements;
    expect(page1).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(page1.edges[0].node).toMatchObject({ id: now.id, deliveries: { scheduled: 0, queued: 4 } });
    const all = (await people.admin.ok(LIST, { c: c.id })).announcements.edges.map((e: { node: unknown }) => e.node);
    expect(all).toMatchObject([
      { id: now.id, recipientCount: 2, deliveries: { scheduled: 0, queued: 4 } },
      { id: sendAnnouncement.id, recipientCount: 2, deliveries: { scheduled: 2, queued: 0 } },
    ]);
    const page2 = (await people.teacher.ok(LIST, { c: c.id, first: 1, after: page1.pageInfo.endCursor })).announcements;
    expect(page2.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([sendAnnouncement.id]);
  });

  it("refuses another teacher's course, another school's, a deleted or unknown one, and students and parents", async () => {
    const others = await course({ teacherId: randomUUID() });
    const args = { k: 'announcement.general', v: { title: 'x', message: 'y' }, ch: ['IN_APP'] };
    expect(codes(await people.teacher.q(SEND, { ...args, c: others.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await people.student.q(SEND, { ...args, c: others.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await people.parent.q(SEND, { ...args, c: others.id }))).toEqual(['FORBIDDEN']);
    // A school admin may.
    expect(codes(await people.admin.q(SEND, { ...args, c: others.id }))).toEqual([]);

    const nileCourse = await course({ schoolId: nile, teacherId: people.teacher.id });
    const deleted = await course({ deleted: true });
    for (const id of [nileCourse.id, deleted.id, randomUUID(), 'nope']) {
      expect(codes(await people.teacher.q(SEND, { ...args, c: id }))).toEqual(['NOT_FOUND']);
      expect(codes(await people.admin.q(SEND, { ...args, c: id }))).toEqual(['NOT_FOUND']);
    }
    expect(codes(await people.teacher.q(LIST, { c: nileCourse.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await stack.gql(SEND, { tenant: 'demo', variables: { ...args, c: others.id } }))).toEqual(['UNAUTHENTICATED']);
    expect(await em().count(Announcement, { courseId: { $in: [nileCourse.id, deleted.id] } })).toBe(0);
  });

  it('refuses bad variables, channels, schedules and template keys, naming the argument', async () => {
    const c = await course({ students: 1 });
    const ok = { c: c.id, k: 'announcement.general', v: { title: 'x', message: 'y' }, ch: ['IN_APP'] };
    const manyKeys = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ v: { title: { nested: true } } }, 'variables'],
      [{ v: { list: [1, 2] } }, 'variables'],
      [{ v: { empty: null } }, 'variables'],
      [{ v: ['title'] }, 'variables'],
      [{ v: 'just text' }, 'variables'],
      [{ v: manyKeys }, 'variables'],
      [{ v: { message: 'm'.repeat(2001) } }, 'variables'],
      [{ v: { 'bad key': 'x' } }, 'variables'],
      [{ ch: [] }, 'channels'],
      [{ ch: ['EMAIL', 'EMAIL'] }, 'channels'],
      [{ at: new Date(Date.now() - 10 * 60_000).toISOString() }, 'scheduledAt'],
      [{ at: new Date(Date.now() + 400 * 24 * 3600_000).toISOString() }, 'scheduledAt'],
      [{ k: 'no.such.template' }, 'templateKey'],
    ];
    for (const [change, field] of cases) {
      const r = await people.teacher.q(SEND, { ...ok, ...change });
      expect([JSON.stringify(change).slice(0, 60), codes(r), r.body.errors?.[0].extensions?.field]).toEqual([
        JSON.stringify(change).slice(0, 60),
        ['BAD_USER_INPUT'],
        field,
      ]);
    }
    expect(await em().count(Announcement, { courseId: c.id })).toBe(0);
    // The limits themselves are fine: 50 keys, 2000 characters, a schedule a few seconds late (clock skew).
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i % 2 ? 'v' : true]));
    expect(codes(await people.teacher.q(SEND, { ...ok, v: { ...fifty } }))).toEqual([]);
    expect(
      codes(await people.teacher.q(SEND, { ...ok, v: { message: 'm'.repeat(2000) }, at: new Date(Date.now() - 5000).toISOString() })),
    ).toEqual([]);
    // A school's own template key is one too.
    await people.admin.ok('mutation($i: TemplateInput!) { upsertTemplate(input: $i) { id } }', {
      i: { key: 'school.trip', locale: 'AR', subject: 'رحلة', text: '{{message}}' },
    });
    expect(codes(await people.teacher.q(SEND, { ...ok, k: 'school.trip' }))).toEqual([]);
    // In Arabic when asked.
    const ar = await stack.gql(SEND, {
      tenant: 'demo',
      token: people.teacher.token,
      variables: { ...ok, ch: [] },
      headers: { 'accept-language': 'ar' },
    });
    expect(ar.body.errors?.[0].message).toBe('يجب تحديد قناة واحدة على الأقل وخمس قنوات على الأكثر');
  });
});
