import { randomUUID } from 'node:crypto';
import { domainEvent, domainEventCatalog, type PaymentSucceeded, type QuizSubmitted } from './domain-events';

describe('domain event catalog', () => {
  const school = randomUUID();
  const quiz: QuizSubmitted = {
    attemptId: randomUUID(),
    quizId: randomUUID(),
    courseId: randomUUID(),
    studentId: randomUUID(),
    score: 7.5,
    maxScore: 10,
    submittedAt: '2026-03-01T09:30:00.000Z',
  };

  it('lists every event the services publish, each with a version and a description', () => {
    expect(Object.keys(domainEventCatalog).sort()).toEqual([
      'course.deleted',
      'course.upserted',
      'courses.backfill.completed',
      'courses.backfill.requested',
      'enrollment.created',
      'enrollment.dropped',
      'enrollment.removed',
      'guardian.linked',
      'guardian.unlinked',
      'invitation.created',
      'invitation.revoked',
      'invoice.issued',
      'lesson.completed',
      'lesson.deleted',
      'lesson.upserted',
      'live.attendance',
      'live.session.canceled',
      'live.session.ended',
      'live.session.rescheduled',
      'live.session.scheduled',
      'live.session.started',
      'pairing.code.created',
      'password.changed',
      'password.reset.requested',
      'payment.failed',
      'payment.refunded',
      'payment.succeeded',
      'people.backfill.completed',
      'people.backfill.requested',
      'plan.archived',
      'plan.created',
      'plan.subscription.activated',
      'plan.subscription.expired',
      'quiz.deleted',
      'quiz.submitted',
      'report.requested',
      'user.upserted',
    ]);
    for (const entry of Object.values(domainEventCatalog)) {
      expect(Number.isInteger(entry.version) && entry.version >= 1).toBe(true);
      expect(entry.description).toMatch(/\.$/);
    }
  });

  it('builds the input of recordEvent at the catalog version', () => {
    expect(domainEvent('quiz.submitted', school, quiz)).toEqual({ type: 'quiz.submitted', version: 1, tenantId: school, payload: quiz });
  });

  it('refuses unknown types and mismatched payloads at compile time', () => {
    // @ts-expect-error not in the catalog
    expect(() => domainEvent('no.such.event', school, {})).toThrow(TypeError);
    const { score: _score, ...withoutScore } = quiz;
    // @ts-expect-error the payload of quiz.submitted needs a score
    expect(domainEvent('quiz.submitted', school, withoutScore).type).toBe('quiz.submitted');
    const payment: PaymentSucceeded = {
      paymentId: randomUUID(),
      payerId: randomUUID(),
      studentId: randomUUID(),
      amountPiasters: 15_000,
      currency: 'EGP',
      provider: 'PAYMOB',
      paidAt: '2026-03-01T09:30:00.000Z',
    };
    // @ts-expect-error amounts are integer piasters, never a formatted string
    expect(domainEvent('payment.succeeded', school, { ...payment, amountPiasters: '150.00' }).version).toBe(1);
  });
});
