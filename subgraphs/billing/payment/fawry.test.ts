import { createLogger } from '../../../platform/logger';
import {
  billingEm,
  billingService,
  postFawryNotification,
  startTestProviders,
  SUBSCRIBE,
  type TestProviders,
} from '../../../testkit/billing';
import { coursesEm, demoPeople, publishedCourse } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { Enrollment } from '../../courses/enrollment/enrollment.entity';
import { billingConfigFromEnv } from '../env';
import { createFailpoints } from '../failpoints';
import { Invoice } from '../invoice/invoice.entity';
import { createProviders } from '../providers/providers';
import { reconcilePayments } from '../settlement/reconciliation';
import { ProviderEvent } from '../settlement/provider-event.entity';
import { Payment, PaymentStatus } from './payment.entity';

/**
 * Paying with Fawry through the gateway: a reference number paid at a Fawry point and confirmed
 * by Fawry's signed V2 server notification; a card on Fawry's hosted page; a payment whose
 * notification never came, settled by reconciliation through the status API; forged
 * notifications refused.
 */
describe.each(['mysql', 'sqlite'] as const)('Fawry payments (%s)', (dialect) => {
  let providers: TestProviders;
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let course: { id: string };

  beforeAll(async () => {
    providers = await startTestProviders();
    stack = await startStack(dialect, providers.env, { subgraphs: ['users', 'courses', 'billing'] });
    people = await demoPeople(stack);
    course = await publishedCourse(people.teacher, { title: 'Biology', lessons: 1 });
  });
  afterAll(async () => {
    await stack.stop();
    await providers.close();
  });

  const newPlan = async (courseId?: string, amountPiasters = 30_075) =>
    (
      await people.admin.ok('mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', {
        i: { name: `Fawry plan ${Math.random().toString(36).slice(2, 8)}`, amountPiasters, interval: 'YEAR', courseId },
      })
    ).createPlan.id as string;
  const row = (id: string) => billingEm(stack).findOneOrFail(Payment, { id });
  const reconcile = () => {
    const config = billingConfigFromEnv({ ...providers.env, LOG_LEVEL: 'silent' });
    const logger = createLogger('test', 'silent');
    return reconcilePayments({
      orm: billingService(stack).orm(),
      logger,
      failpoint: createFailpoints(new Set(), logger),
      providers: createProviders(config),
      askAfterMs: 0,
    });
  };

  it('gives a reference number, and a signed V2 notification of its payment pays, activates, enrolls and invoices', async () => {
    const plan = await newPlan(course.id);
    const { subscribe } = await people.parent.ok(SUBSCRIBE, {
      p: plan,
      s: people.student.id,
      provider: 'FAWRY',
      method: 'FAWRY_REFERENCE',
      contact: { phone: '01098765432', email: 'adel@example.test' },
    });
    expect(subscribe).toMatchObject({ status: 'PENDING', checkoutUrl: null, fawryReferenceNumber: expect.stringMatching(/^\d{9}$/) });
    expect(new Date(subscribe.expiresAt).getTime()).toBeGreaterThan(Date.now() + 47 * 3600_000);
    const merchantRef = (await row(subscribe.id)).merchantRef;
    const order = providers.fawry.order(merchantRef);
    expect(order).toMatchObject({ referenceNumber: subscribe.fawryReferenceNumber, paymentMethod: 'PAYATFAWRY', amount: 300.75 });
    expect(order.request).toMatchObject({
      amount: 300.75,
      customerMobile: '01098765432',
      customerName: 'Adel Mahmoud',
      currencyCode: 'EGP',
    });

    // NEW first (Fawry announces the reference), then PAID.
    expect((await postFawryNotification(stack, providers.fawry.notification(merchantRef, 'NEW'))).status).toBe(200);
    expect((await row(subscribe.id)).status).toBe(PaymentStatus.PENDING);
    const paid = providers.fawry.pay(merchantRef);
    const answer = await postFawryNotification(stack, paid);
    expect([answer.status, JSON.parse(answer.text).applied]).toEqual([200, true]);
    expect(await row(subscribe.id)).toMatchObject({
      status: PaymentStatus.PAID,
      sourceType: 'PAYATFAWRY',
      providerTransactionId: subscribe.fawryReferenceNumber,
    });
    const { payment } = await people.parent.ok(
      'query($id: ID!) { payment(id: $id) { subscription { status } invoice { number pdfUrl } } }',
      { id: subscribe.id },
    );
    expect(payment.subscription.status).toBe('ACTIVE');
    expect(payment.invoice.number).toMatch(/^INV-/);
    await eventually(async () =>
      expect(await coursesEm(stack).count(Enrollment, { course: course.id, studentId: people.student.id })).toBe(1),
    );
    // Delivered again: nothing more.
    expect(JSON.parse((await postFawryNotification(stack, paid)).text).applied).toBe(false);
    expect(await billingEm(stack).count(Invoice, { payment: subscribe.id })).toBe(1);
  });

  it('takes a card on Fawry’s hosted page (express checkout link) and settles it from the notification', async () => {
    const { subscribe } = await people.student.ok(SUBSCRIBE, {
      p: await newPlan(),
      s: people.student.id,
      provider: 'FAWRY',
      method: 'CARD',
    });
    expect(subscribe.checkoutUrl).toMatch(/\/atfawry\/plugin\/checkout\//);
    const order = providers.fawry.orderOfCheckout(subscribe.checkoutUrl);
    expect(order).toMatchObject({ paymentMethod: 'CARD', amount: 300.75 });
    expect((await postFawryNotification(stack, providers.fawry.pay(order.merchantRefNum))).status).toBe(200);
    expect(await row(subscribe.id)).toMatchObject({ status: PaymentStatus.PAID, fawryReferenceNumber: order.referenceNumber });
  });

  it('refuses a notification with a wrong signature, a changed amount or a missing field, and changes nothing', async () => {
    const { subscribe } = await people.parent.ok(SUBSCRIBE, {
      p: await newPlan(),
      s: people.student.id,
      provider: 'FAWRY',
      method: 'FAWRY_REFERENCE',
    });
    const merchantRef = (await row(subscribe.id)).merchantRef;
    const genuine = providers.fawry.pay(merchantRef);
    const wrong = await postFawryNotification(stack, { ...genuine, messageSignature: 'a'.repeat(64) });
    const changed = await postFawryNotification(stack, { ...genuine, orderAmount: 1, paymentAmount: 1 });
    const { paymentMethod: _m, ...missing } = genuine;
    const incomplete = await postFawryNotification(stack, missing);
    expect([wrong.status, changed.status, incomplete.status]).toEqual([401, 401, 400]);
    // Signed correctly but for another amount than the payment's: recorded, not applied.
    const other: Record<string, unknown> = { ...genuine, orderAmount: 1, paymentAmount: 1 };
    other.messageSignature = providers.fawry.sign(other);
    expect(JSON.parse((await postFawryNotification(stack, other)).text).applied).toBe(false);
    expect(await billingEm(stack).findOneOrFail(ProviderEvent, { paymentId: subscribe.id })).toMatchObject({ outcome: 'AMOUNT_MISMATCH' });
    expect((await row(subscribe.id)).status).toBe(PaymentStatus.PENDING);
  });

  it('settles a payment whose notification never came through reconciliation with the status API, once', async () => {
    const { subscribe } = await people.parent.ok(SUBSCRIBE, {
      p: await newPlan(),
      s: people.student.id,
      provider: 'FAWRY',
      method: 'FAWRY_REFERENCE',
    });
    const merchantRef = (await row(subscribe.id)).merchantRef;
    const untouched = await reconcile();
    expect((await row(subscribe.id)).status).toBe(PaymentStatus.PENDING);
    providers.fawry.pay(merchantRef); // paid at a Fawry point; the notification is lost
    const result = await reconcile();
    expect(result.settled).toBeGreaterThanOrEqual(1);
    expect(untouched.settled).toBe(0);
    expect(await row(subscribe.id)).toMatchObject({ status: PaymentStatus.PAID });
    expect(await billingEm(stack).findOneOrFail(ProviderEvent, { paymentId: subscribe.id })).toMatchObject({
      via: 'reconciliation',
      outcome: 'APPLIED',
    });
    // The late notification is the same fact: nothing more happens.
    expect(JSON.parse((await postFawryNotification(stack, providers.fawry.notification(merchantRef, 'PAID'))).text).applied).toBe(false);
    expect(await billingEm(stack).count(Invoice, { payment: subscribe.id })).toBe(1);
  });

  it('leaves payments alone while Fawry cannot be reached, and expires a reference Fawry reports expired', async () => {
    const { subscribe } = await people.parent.ok(SUBSCRIBE, {
      p: await newPlan(),
      s: people.student.id,
      provider: 'FAWRY',
      method: 'FAWRY_REFERENCE',
    });
    const merchantRef = (await row(subscribe.id)).merchantRef;
    providers.fawry.order(merchantRef).status = 'EXPIRED';
    providers.fawry.outage = 'refuse';
    try {
      await reconcile();
      expect((await row(subscribe.id)).status).toBe(PaymentStatus.PENDING);
    } finally {
      providers.fawry.outage = false;
    }
    await reconcile();
    expect((await row(subscribe.id)).status).toBe(PaymentStatus.EXPIRED);
  });
});
