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
  capturingLogger,
  directHandler,
  envelope,
  notificationsOf,
  person,
  PUBLIC_URL,
  reactionStackEnv,
  schoolEm,
  sealer,
} from '../../../testkit/messaging-reactions';

/**
 * The reactions other than live-session reminders, on the messaging subgraph with MariaDB and
 * RabbitMQ: each event published to the stack's exchange as its subgraph publishes it, the
 * notifications rows it leaves (recipients, category, channel, language, variables), that a
 * redelivery makes nothing new, and that the secrets of account messages are sealed at rest and
 * never logged.
 */
const SCHOOL = DEMO.schools.demo.id;
const NILE = DEMO.schools.nile.id;

let stack: Stack;
let orm: MikroORM;

const student = person('Mariam Adel', 'AR', { phone: '+201000000001' });
const mother = person('Heba Samir', 'AR', { phone: '+201000000002' });
const father = person('John Smith', 'EN');
const payer = person('Adel Mahmoud', 'EN');
const admin = person('Amal Hassan', 'EN');
const arabicAdmin = person('Nour Saleh', 'AR');
const loner = person('Omar Zaki', 'AR');
const courseId = randomUUID();

beforeAll(async () => {
  stack = await startStack('mysql', reactionStackEnv, { subgraphs: ['messaging'] });
  orm = stack.service<SubgraphService>('messaging').orm();
  await arrange(orm, SCHOOL, {
    people: [student, mother, father, payer, admin, arabicAdmin, loner],
    course: { id: courseId, title: 'Physics' },
    enrolled: [{ studentId: student.id }],
    guardians: [
      { guardianId: mother.id, studentId: student.id },
      { guardianId: father.id, studentId: student.id },
    ],
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const publish = async (event: { id: string; type: string }) => {
  await stack.transport.broker.publish(event.type, event, { id: event.id });
};
/** The notifications an event (source = its id) made. */
const madeBy = (eventId: string, schoolId: string = SCHOOL) => notificationsOf(orm, schoolId, { dedupeKey: { $like: `${eventId}:%` } });
const arrived = async (eventId: string, count: number) => {
  await eventually(async () => expect(await madeBy(eventId)).toHaveLength(count));
  return madeBy(eventId);
};

describe('payment.succeeded', () => {
  const payment = (tenant: string = SCHOOL) =>
    envelope('payment.succeeded', tenant, {
      paymentId: randomUUID(),
      payerId: payer.id,
      studentId: student.id,
      amountPiasters: 150_050,
      currency: 'EGP',
      provider: 'FAWRY',
      paidAt: '2026-12-07T16:30:00.000Z',
    });

  it('sends the payer a receipt in their language: the amount in pounds, the student and the provider', async () => {
    const event = payment();
    await publish(event);
    const rows = await arrived(event.id, 2);
    expect(rows.map((r) => [r.recipientId, r.category, r.templateKey, r.channel, r.locale])).toEqual(
      expect.arrayContaining([
        [payer.id, 'payment.receipt', 'payment.receipt', Channel.IN_APP, 'EN'],
        [payer.id, 'payment.receipt', 'payment.receipt', Channel.EMAIL, 'EN'],
      ]),
    );
    // Intl puts a no-break space between the currency and the amount
    expect(rows[0].variables).toMatchObject({ amount: 'EGP\u00a01,500.50', studentName: 'Mariam Adel', provider: 'Fawry' });
    expect(rows.find((r) => r.channel === Channel.EMAIL)?.address).toBe(payer.email);
    expect(rows.find((r) => r.channel === Channel.IN_APP)?.body).toBe(
      'We received EGP\u00a01,500.50 for Mariam Adel through Fawry on Monday, 7 December 2026 at 18:30. Thank you.',
    );

    // delivered again, and twice at once: nothing new
    const handle = directHandler(orm, 'messaging.payment-receipts');
    await handle(asMessage(event, 2));
    await Promise.all([handle(asMessage(event, 3)), handle(asMessage(event, 3))]);
    expect(await madeBy(event.id)).toHaveLength(2);
  });

  it('formats the amount in Arabic for an Arabic payer', async () => {
    const event = envelope('payment.succeeded', SCHOOL, { ...payment().payload, payerId: mother.id });
    await directHandler(orm, 'messaging.payment-receipts')(asMessage(event));
    const [row] = await madeBy(event.id);
    expect(row.locale).toBe('AR');
    expect(row.variables).toMatchObject({ provider: 'فوري', studentName: 'Mariam Adel' });
    expect(row.variables!.amount).toMatch(/١٬٥٠٠٫٥٠/);
  });

  it("notifies nobody for a payer of another school (the event's school scopes every read)", async () => {
    const event = payment(NILE);
    await directHandler(orm, 'messaging.payment-receipts')(asMessage(event));
    expect(await madeBy(event.id, NILE)).toEqual([]);
    expect(await madeBy(event.id, SCHOOL)).toEqual([]);
  });
});

describe('enrollment.created', () => {
  it('welcomes the student to the course by its title, but not for a backfill re-send', async () => {
    const live = envelope('enrollment.created', SCHOOL, {
      enrollmentId: randomUUID(),
      courseId,
      studentId: student.id,
      enrolledAt: new Date().toISOString(),
    });
    const backfill = envelope('enrollment.created', SCHOOL, { ...live.payload, enrollmentId: randomUUID(), backfill: true });
    await publish(backfill);
    await publish(live);
    const rows = await arrived(live.id, 2);
    expect(rows.every((r) => r.recipientId === student.id && r.category === 'enrollment' && r.templateKey === 'enrollment.welcome')).toBe(
      true,
    );
    expect(rows.find((r) => r.channel === Channel.IN_APP)?.title).toBe('أهلًا بك في «Physics»');
    // the backfill was handled (recorded) and made nothing
    await eventually(async () =>
      expect(
        await orm.em
          .fork()
          .getConnection()
          .execute('select count(*) as n from processed_message where consumer = ? and message_id = ?', [
            'messaging.enrollment-welcomes',
            backfill.id,
          ]),
      ).toEqual([{ n: 1 }]),
    );
    expect(await madeBy(backfill.id)).toEqual([]);
  });

  it('waits for a course messaging does not know yet (retried), then welcomes without its title', async () => {
    const event = envelope('enrollment.created', SCHOOL, {
      enrollmentId: randomUUID(),
      courseId: randomUUID(),
      studentId: student.id,
      enrolledAt: new Date().toISOString(),
    });
    const handle = directHandler(orm, 'messaging.enrollment-welcomes');
    await expect(handle(asMessage(event, 1))).rejects.toThrow(/not known to messaging yet/);
    expect(await madeBy(event.id)).toEqual([]);
    await handle(asMessage(event, 3));
    const rows = await madeBy(event.id);
    expect(rows.find((r) => r.channel === Channel.IN_APP)?.body).toBe('تم تسجيلك في مادة جديدة. نتمنى لك رحلة تعلّم موفقة!');
  });
});

describe('live.attendance', () => {
  it("tells an absent student's guardians (each in their language), and nobody of a present one", async () => {
    const sessionId = randomUUID();
    await schoolEm(orm, SCHOOL).insert(LiveSessionInfo, {
      id: sessionId,
      schoolId: SCHOOL,
      courseId,
      title: 'Waves',
      observedAt: new Date(),
    });
    const absent = envelope('live.attendance', SCHOOL, { sessionId, courseId, studentId: student.id, status: 'ABSENT', totalSeconds: 0 });
    const present = envelope('live.attendance', SCHOOL, {
      sessionId,
      courseId,
      studentId: student.id,
      status: 'PRESENT',
      totalSeconds: 900,
    });
    await publish(present);
    await publish(absent);

    const source = `attendance:${sessionId}:${student.id}`;
    await eventually(async () => expect(await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `${source}:%` } })).toHaveLength(3));
    const rows = await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `${source}:%` } });
    // in-app for both parents, SMS for the one with a phone; never the student
    expect(rows.map((r) => [r.recipientId, r.channel]).sort()).toEqual(
      [
        [mother.id, Channel.IN_APP],
        [mother.id, Channel.SMS],
        [father.id, Channel.IN_APP],
      ].sort(),
    );
    expect(rows.every((r) => r.category === 'attendance')).toBe(true);
    expect(rows.find((r) => r.recipientId === father.id)?.body).toBe('Mariam Adel was absent from the live session "Waves" of Physics.');
    expect(rows.find((r) => r.recipientId === mother.id && r.channel === Channel.IN_APP)?.body).toBe(
      'سُجّل غياب Mariam Adel عن حصة «Waves» المباشرة في مادة Physics.',
    );
    // the same absence reported again (the teacher changed it back and forth): no second notice
    const again = envelope('live.attendance', SCHOOL, { ...absent.payload });
    await directHandler(orm, 'messaging.attendance-notices')(asMessage(again));
    expect(await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `${source}:%` } })).toHaveLength(3);
  });

  it('names "a live session of <course>" when the session is unknown, and tells nobody about a student without guardians', async () => {
    const sessionId = randomUUID();
    await directHandler(
      orm,
      'messaging.attendance-notices',
    )(asMessage(envelope('live.attendance', SCHOOL, { sessionId, courseId, studentId: student.id, status: 'ABSENT', totalSeconds: 0 })));
    const rows = await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `attendance:${sessionId}:%` }, recipientId: father.id });
    expect(rows[0].body).toBe('Mariam Adel was absent from a live session of Physics.');

    const lonely = randomUUID();
    await directHandler(
      orm,
      'messaging.attendance-notices',
    )(
      asMessage(
        envelope('live.attendance', SCHOOL, { sessionId: lonely, courseId, studentId: loner.id, status: 'ABSENT', totalSeconds: 0 }),
      ),
    );
    expect(await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `attendance:${lonely}:%` } })).toEqual([]);
  });
});

describe('quiz.submitted', () => {
  it("tells the student's guardians the score, formatted for each", async () => {
    const event = envelope('quiz.submitted', SCHOOL, {
      attemptId: randomUUID(),
      quizId: randomUUID(),
      courseId,
      studentId: student.id,
      score: 17,
      maxScore: 20,
      submittedAt: new Date().toISOString(),
    });
    await publish(event);
    const rows = await arrived(event.id, 4); // in-app + email, two parents
    expect(new Set(rows.map((r) => r.recipientId))).toEqual(new Set([mother.id, father.id]));
    expect(rows.every((r) => r.category === 'quiz.result')).toBe(true);
    expect(rows.find((r) => r.recipientId === father.id)?.variables).toMatchObject({
      score: '17',
      maxScore: '20',
      percent: '85%',
      courseTitle: 'Physics',
    });
    expect(rows.find((r) => r.recipientId === mother.id)?.variables).toMatchObject({ score: '١٧', maxScore: '٢٠' });
  });
});

describe('account messages and their secrets', () => {
  const token = `tok_${randomUUID().replace(/-/g, '')}`;

  it("invitation.created: an email to the invitee in the inviter's language, the token and link sealed", async () => {
    const invitationId = randomUUID();
    const event = envelope('invitation.created', SCHOOL, {
      invitationId,
      email: 'New.Teacher@School.test',
      displayName: 'Samira Nour',
      roles: ['TEACHER'],
      token,
      invitedById: admin.id,
      expiresAt: '2026-12-14T10:00:00.000Z',
    });
    const { logger, output } = capturingLogger();
    await directHandler(orm, 'messaging.invitations', logger)(asMessage(event));
    const [row, ...more] = await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `invitation:${invitationId}:%` } });
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      recipientId: null,
      address: 'New.Teacher@School.test',
      channel: Channel.EMAIL,
      category: 'account',
      templateKey: 'account.invitation',
      locale: 'EN',
      status: DeliveryStatus.QUEUED,
    });
    expect(row.variables).toMatchObject({ name: 'Samira Nour', inviterName: 'Amal Hassan' });
    expect(JSON.stringify(row.variables)).not.toContain(token);
    expect(row.sealed).toBeTruthy();
    expect(row.sealed).not.toContain(token);
    expect(sealer.unseal(row.sealed!)).toEqual({ token, link: `${PUBLIC_URL}/invitation?token=${token}` });
    // the log names the event, never its secret
    expect(output()).toContain(event.id);
    expect(output()).not.toContain(token);
  });

  it("invitation.created from an Arabic inviter is in Arabic; an unknown inviter's is in Arabic too", async () => {
    for (const invitedById of [arabicAdmin.id, randomUUID()]) {
      const invitationId = randomUUID();
      const event = envelope('invitation.created', SCHOOL, {
        invitationId,
        email: `${invitationId.slice(0, 6)}@school.test`,
        displayName: 'Samira',
        roles: ['PARENT'],
        token,
        invitedById,
        expiresAt: '2026-12-14T10:00:00.000Z',
      });
      await directHandler(orm, 'messaging.invitations')(asMessage(event));
      const rows = await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `invitation:${invitationId}:%` } });
      expect(rows.map((r) => r.locale)).toEqual(['AR']);
    }
  });

  it('an invitation.created handled after its revocation (a retried delivery) sends nothing', async () => {
    const invitationId = randomUUID();
    const revoked = envelope('invitation.revoked', SCHOOL, { invitationId, revokedById: admin.id, revokedAt: new Date().toISOString() });
    await directHandler(orm, 'messaging.invitations')(asMessage(revoked));
    const created = envelope('invitation.created', SCHOOL, {
      invitationId,
      email: `${invitationId.slice(0, 6)}@school.test`,
      displayName: 'Late',
      roles: ['PARENT'],
      token,
      invitedById: admin.id,
      expiresAt: '2026-12-14T10:00:00.000Z',
    });
    await directHandler(orm, 'messaging.invitations')(asMessage(created));
    expect(await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `invitation:${invitationId}:%` } })).toEqual([]);
    // Another invitation is not affected.
    const other = randomUUID();
    await directHandler(
      orm,
      'messaging.invitations',
    )(asMessage({ ...created, id: randomUUID(), payload: { ...created.payload, invitationId: other } }));
    expect(await notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `invitation:${other}:%` } })).toHaveLength(1);
  });

  it('invitation.revoked cancels its email not yet claimed and erases the sealed token; a claimed one goes on', async () => {
    const pending = randomUUID();
    const claimed = randomUUID();
    for (const invitationId of [pending, claimed]) {
      await publish(
        envelope('invitation.created', SCHOOL, {
          invitationId,
          email: `${invitationId.slice(0, 6)}@school.test`,
          displayName: 'Samira',
          roles: ['PARENT'],
          token,
          invitedById: admin.id,
          expiresAt: '2026-12-14T10:00:00.000Z',
        }),
      );
    }
    const invitationRows = (id: string) => notificationsOf(orm, SCHOOL, { dedupeKey: { $like: `invitation:${id}:%` } });
    await eventually(async () => expect((await invitationRows(pending)).length + (await invitationRows(claimed)).length).toBe(2));
    // a worker has claimed the second one: it is on its way
    await schoolEm(orm, SCHOOL).nativeUpdate(Notification, { dedupeKey: { $like: `invitation:${claimed}:%` } }, { claimedAt: new Date() });

    const revocations = [pending, claimed].map((invitationId) =>
      envelope('invitation.revoked', SCHOOL, { invitationId, revokedById: admin.id, revokedAt: new Date().toISOString() }),
    );
    for (const revocation of revocations) await publish(revocation);
    await eventually(async () => expect((await invitationRows(pending))[0].status).toBe(DeliveryStatus.CANCELED));
    expect((await invitationRows(pending))[0].sealed).toBeFalsy();
    // once the revocation of the claimed one has been handled too, it is as it was
    await eventually(async () =>
      expect(
        await orm.em
          .fork()
          .getConnection()
          .execute('select count(*) as n from processed_message where consumer = ? and message_id in (?, ?)', [
            'messaging.invitations',
            ...revocations.map((r) => r.id),
          ]),
      ).toEqual([{ n: 2 }]),
    );
    const [going] = await invitationRows(claimed);
    expect(going.status).toBe(DeliveryStatus.QUEUED);
    expect(going.sealed).toBeTruthy();
  });

  it('pairing.code.created: the student in-app (without the code) and by email (code sealed)', async () => {
    const code = 'PAIR-7Q4K-93XZ';
    const event = envelope('pairing.code.created', SCHOOL, {
      studentId: student.id,
      createdById: student.id,
      code,
      expiresAt: '2026-12-08T10:00:00.000Z',
    });
    const { logger, output } = capturingLogger();
    await directHandler(orm, 'messaging.pairing-codes', logger)(asMessage(event));
    const rows = await madeBy(event.id);
    expect(rows.map((r) => r.channel).sort()).toEqual([Channel.EMAIL, Channel.IN_APP]);
    expect(rows.every((r) => r.recipientId === student.id && r.category === 'account' && r.locale === 'AR')).toBe(true);
    const inApp = rows.find((r) => r.channel === Channel.IN_APP)!;
    const email = rows.find((r) => r.channel === Channel.EMAIL)!;
    expect(`${inApp.title} ${inApp.body}`).not.toContain(code);
    expect(inApp.sealed).toBeFalsy();
    expect(email.sealed).not.toContain(code);
    expect(sealer.unseal(email.sealed!)).toEqual({ code });
    expect(JSON.stringify(rows.map((r) => r.variables))).not.toContain(code);
    expect(output()).toContain(event.id);
    expect(output()).not.toContain(code);
  });

  it('password.reset.requested: an email to the address of the event, the token and link sealed, never logged', async () => {
    const event = envelope('password.reset.requested', SCHOOL, {
      userId: father.id,
      email: 'john@families.test',
      token,
      expiresAt: '2026-12-07T18:00:00.000Z',
      locale: 'en',
    });
    const { logger, output } = capturingLogger();
    await directHandler(orm, 'messaging.passwords', logger)(asMessage(event));
    const [row, ...more] = await madeBy(event.id);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      address: 'john@families.test',
      channel: Channel.EMAIL,
      category: 'account',
      templateKey: 'account.password-reset',
      locale: 'EN',
    });
    expect(sealer.unseal(row.sealed!)).toEqual({ token, link: `${PUBLIC_URL}/reset-password?token=${token}` });
    expect(row.sealed).not.toContain(token);
    expect(output()).toContain(event.id);
    expect(output()).not.toContain(token);

    // through the broker as well, once
    const viaBroker = envelope('password.reset.requested', SCHOOL, { ...event.payload, locale: 'AR' });
    await publish(viaBroker);
    const [arabic] = await arrived(viaBroker.id, 1);
    expect(arabic.locale).toBe('AR');
  });

  it('password.changed: a security notice to the person, by email (essential), whatever their preferences', async () => {
    const event = envelope('password.changed', SCHOOL, { userId: mother.id, via: 'RESET', changedAt: '2026-12-07T16:30:00.000Z' });
    await publish(event);
    const [row] = await arrived(event.id, 1);
    expect(row).toMatchObject({ recipientId: mother.id, channel: Channel.EMAIL, category: 'account', locale: 'AR' });
    expect(row.variables).toMatchObject({ when: 'الاثنين، ٧ ديسمبر ٢٠٢٦ في ٦:٣٠ م' });
  });
});
