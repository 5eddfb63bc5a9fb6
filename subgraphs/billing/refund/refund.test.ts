import { OutboxMessage } from '../../../platform/outbox/outbox';
import {
  billingEm,
  postFawryNotification,
  postPaymobCallback,
  startTestProviders,
  SUBSCRIBE,
  type TestProviders,
} from '../../../testkit/billing';
import { codes, coursesEm, demoPeople, publishedCourse } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { Enrollment, EnrollmentStatus } from '../../courses/enrollment/enrollment.entity';
import { Payment, PaymentStatus } from '../payment/payment.entity';
import { Refund } from './refund.entity';

const REFUND =
  'mutation($p: ID!, $a: Int!, $r: String) { refundPayment(paymentId: $p, amountPiasters: $a, reason: $r) { status refundedAmount { amountPiasters } } }';

/**
 * Refunds (school admins): any number of partial refunds up to what was paid and never more, also
 * when asked at once; a whole card payment on its own day is voided; a full refund ends the
 * subscription and the enrollment it bought; kiosk payments are refused; a provider that cannot be
 * reached leaves the payment as it was.
 */
describe.each(['mysql', 'sqlite'] as const)('refunds (%s)', (dialect) => {
  let providers: TestProviders;
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;

  beforeAll(async () => {
    providers = await startTestProviders();
    stack = await startStack(dialect, providers.env, { subgraphs: ['users', 'courses', 'billing'] });
    people = await demoPeople(stack);
  });
  afterAll(async () => {
    await stack.stop();
    await providers.close();
  });

  /** A paid Paymob payment of 100.00 EGP for a new plan (of `courseId` when given). */
  const paidPayment = async (opts: { courseId?: string; sourceType?: 'card' | 'wallet' | 'aggregator' } = {}) => {
    const { createPlan } = await people.admin.ok('mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', {
      i: {
        name: `Refundable ${Math.random().toString(36).slice(2, 8)}`,
        amountPiasters: 10_000,
        interval: 'MONTH',
        courseId: opts.courseId,
      },
    });
    const method = opts.sourceType === 'wallet' ? 'WALLET' : 'CARD';
    const { subscribe } = await people.parent.ok(SUBSCRIBE, { p: createPlan.id, s: people.student.id, provider: 'PAYMOB', method });
    const orderId = providers.paymob.intentionOf(subscribe.checkoutUrl).orderId;
    expect((await postPaymobCallback(stack, providers.paymob.pay(orderId, { sourceType: opts.sourceType ?? 'card' }))).status).toBe(200);
    return subscribe.id as string;
  };
  const row = (id: string) => billingEm(stack).findOneOrFail(Payment, { id });

  it('refunds in parts up to the paid amount and never more', async () => {
    const id = await paidPayment({ sourceType: 'wallet' });
    expect((await people.admin.ok(REFUND, { p: id, a: 3_000, r: 'Two weeks missed' })).refundPayment).toEqual({
      status: 'PARTIALLY_REFUNDED',
      refundedAmount: { amountPiasters: 3_000 },
    });
    expect((await people.admin.ok(REFUND, { p: id, a: 2_000 })).refundPayment.refundedAmount.amountPiasters).toBe(5_000);
    const tooMuch = await people.admin.q(REFUND, { p: id, a: 5_001 });
    expect(codes(tooMuch)).toEqual(['CONFLICT']);
    expect((await people.admin.ok(REFUND, { p: id, a: 5_000 })).refundPayment).toEqual({
      status: 'REFUNDED',
      refundedAmount: { amountPiasters: 10_000 },
    });
    expect(codes(await people.admin.q(REFUND, { p: id, a: 1 }))).toEqual(['CONFLICT']);
    const transaction = providers.paymob.transactions.get(Number((await row(id)).providerTransactionId))!;
    expect(transaction.refundedCents).toBe(10_000);
    const events = (await billingEm(stack).find(OutboxMessage, { type: 'payment.refunded' }, { orderBy: { sequence: 'asc' } }))
      .map((m) => JSON.parse(m.payload))
      .filter((p) => p.paymentId === id);
    expect(events.map((e) => [e.amountPiasters, e.refundedPiasters, e.full])).toEqual([
      [3_000, 3_000, false],
      [2_000, 5_000, false],
      [5_000, 10_000, true],
    ]);
  });

  it('refuses one of two refunds asked at once that together exceed the paid amount', async () => {
    const id = await paidPayment({ sourceType: 'wallet' });
    const results = await Promise.all([people.admin.q(REFUND, { p: id, a: 6_000 }), people.admin.q(REFUND, { p: id, a: 6_000 })]);
    expect(results.map(codes).sort()).toEqual([[], ['CONFLICT']]);
    expect(await row(id)).toMatchObject({ status: PaymentStatus.PARTIALLY_REFUNDED, refundedPiasters: 6_000, reservedRefundPiasters: 0 });
    expect(providers.paymob.transactions.get(Number((await row(id)).providerTransactionId))!.refundedCents).toBe(6_000);
  });

  it('voids a whole card payment on its own day, and ends the subscription and enrollment it bought', async () => {
    const course = await publishedCourse(people.teacher, { title: 'Geography' });
    const id = await paidPayment({ courseId: course.id });
    await eventually(async () =>
      expect((await coursesEm(stack).findOne(Enrollment, { course: course.id, studentId: people.student.id }))?.status).toBe(
        EnrollmentStatus.ACTIVE,
      ),
    );
    const before = providers.paymob.requests.length;
    await people.admin.ok(REFUND, { p: id, a: 10_000, r: 'Enrolled by mistake' });
    expect(providers.paymob.requests.slice(before).map((r) => r.path)).toEqual(['/api/acceptance/void_refund/void']);
    expect(await billingEm(stack).findOneOrFail(Refund, { payment: id })).toMatchObject({ status: 'SUCCEEDED', kind: 'VOID' });
    const { payment } = await people.parent.ok('query($id: ID!) { payment(id: $id) { status subscription { status } } }', { id });
    expect(payment).toEqual({ status: 'REFUNDED', subscription: { status: 'EXPIRED' } });
    await eventually(async () =>
      expect((await coursesEm(stack).findOne(Enrollment, { course: course.id, studentId: people.student.id }))?.status).toBe(
        EnrollmentStatus.DROPPED,
      ),
    );
  });

  it('refuses kiosk payments, non-admins, unpaid payments, and keeps the payment as it was when Paymob is down', async () => {
    const kiosk = await paidPayment({ sourceType: 'aggregator' });
    expect(codes(await people.admin.q(REFUND, { p: kiosk, a: 100 }))).toEqual(['BAD_USER_INPUT']);
    const id = await paidPayment({ sourceType: 'wallet' });
    expect(codes(await people.parent.q(REFUND, { p: id, a: 100 }))).toEqual(['FORBIDDEN']);
    expect(codes(await people.teacher.q(REFUND, { p: id, a: 100 }))).toEqual(['FORBIDDEN']);
    expect(codes(await people.nileAdmin.q(REFUND, { p: id, a: 100 }))).toEqual(['NOT_FOUND']);
    expect(codes(await people.admin.q(REFUND, { p: id, a: 0 }))).toEqual(['BAD_USER_INPUT']);

    providers.paymob.outage = 'refuse';
    try {
      const r = await people.admin.q(REFUND, { p: id, a: 100 });
      expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'paymob' });
    } finally {
      providers.paymob.outage = false;
    }
    expect(await row(id)).toMatchObject({ status: PaymentStatus.PAID, refundedPiasters: 0, reservedRefundPiasters: 0 });
    expect(await billingEm(stack).findOneOrFail(Refund, { payment: id })).toMatchObject({ status: 'FAILED' });
    expect((await people.admin.ok(REFUND, { p: id, a: 100 })).refundPayment.status).toBe('PARTIALLY_REFUNDED');
  });

  it('refunds a Fawry payment through Fawry’s refund API', async () => {
    const { createPlan } = await people.admin.ok('mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', {
      i: { name: 'Fawry refundable', amountPiasters: 5_050, interval: 'ONE_TIME' },
    });
    const { subscribe } = await people.parent.ok(SUBSCRIBE, {
      p: createPlan.id,
      s: people.student.id,
      provider: 'FAWRY',
      method: 'FAWRY_REFERENCE',
    });
    const merchantRef = (await row(subscribe.id)).merchantRef;
    expect((await postFawryNotification(stack, providers.fawry.pay(merchantRef))).status).toBe(200);
    await people.admin.ok(REFUND, { p: subscribe.id, a: 1_025, r: 'Partial' });
    expect(providers.fawry.order(merchantRef)).toMatchObject({ status: 'PARTIAL_REFUNDED', refunded: 10.25 });
  });
});
