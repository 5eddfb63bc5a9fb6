import { OutboxMessage } from '../../../platform/outbox/outbox';
import { billingEm, billingService, postPaymobCallback, startTestProviders, SUBSCRIBE, type TestProviders } from '../../../testkit/billing';
import { codes, coursesEm, demoPeople, publishedCourse } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { Enrollment, EnrollmentStatus } from '../../courses/enrollment/enrollment.entity';
import { expireSubscriptions } from './expiry';
import { PlanSubscription, PlanSubscriptionStatus } from './plan-subscription.entity';

const DAY = 24 * 3600_000;
const CANCEL = 'mutation($id: ID!) { cancelPlanSubscription(id: $id) { status canceledAt currentPeriodEnd } }';

/**
 * A subscription lives for its paid periods: renewals extend it, the end of a period (after the
 * grace days) expires it and courses drops the enrollment it bought, keeping its history;
 * cancellation stops the renewals and keeps the paid period.
 */
describe.each(['mysql', 'sqlite'] as const)('subscription expiry and cancellation (%s)', (dialect) => {
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

  const plan = async (courseId: string | undefined, interval = 'MONTH') =>
    (
      await people.admin.ok('mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', {
        i: { name: `Sub ${Math.random().toString(36).slice(2, 8)}`, amountPiasters: 9_900, interval, courseId },
      })
    ).createPlan.id as string;
  /** Subscribes and pays (Paymob card); the subscription's id. */
  const pay = async (planId: string) => {
    const { subscribe } = await people.parent.ok(SUBSCRIBE, { p: planId, s: people.student.id, provider: 'PAYMOB', method: 'CARD' });
    const callback = providers.paymob.pay(providers.paymob.intentionOf(subscribe.checkoutUrl).orderId);
    expect((await postPaymobCallback(stack, callback)).status).toBe(200);
    const { payment } = await people.parent.ok('query($id: ID!) { payment(id: $id) { subscription { id currentPeriodEnd } } }', {
      id: subscribe.id,
    });
    return payment.subscription as { id: string; currentPeriodEnd: string };
  };
  const subscription = (id: string) => billingEm(stack).findOneOrFail(PlanSubscription, { id });
  /** The paid period ends `daysAgo` days ago. */
  const endPeriod = (id: string, daysAgo: number) =>
    billingEm(stack).nativeUpdate(PlanSubscription, { id }, { currentPeriodEnd: new Date(Date.now() - daysAgo * DAY) });
  const enrollment = (courseId: string) => coursesEm(stack).findOne(Enrollment, { course: courseId, studentId: people.student.id });
  const orm = () => billingService(stack).orm();

  it('keeps the student through the grace days, then expires the subscription and courses drops the enrollment', async () => {
    const course = await publishedCourse(people.teacher, { title: 'History', lessons: 2 });
    const sub = await pay(await plan(course.id));
    await eventually(async () => expect((await enrollment(course.id))?.status).toBe(EnrollmentStatus.ACTIVE));
    await people.student.ok('mutation($l: ID!) { completeLesson(lessonId: $l) { id } }', { l: course.lessonIds[0] });

    await endPeriod(sub.id, 1);
    expect(await expireSubscriptions(orm(), 3 * DAY)).toBeGreaterThanOrEqual(1);
    expect((await subscription(sub.id)).status).toBe(PlanSubscriptionStatus.PAST_DUE);
    expect((await enrollment(course.id))?.status).toBe(EnrollmentStatus.ACTIVE);

    await expireSubscriptions(orm(), 0);
    expect((await subscription(sub.id)).status).toBe(PlanSubscriptionStatus.EXPIRED);
    const expired = (await billingEm(stack).find(OutboxMessage, { type: 'plan.subscription.expired' })).map((m) => JSON.parse(m.payload));
    expect(expired).toContainEqual(expect.objectContaining({ subscriptionId: sub.id, courseId: course.id, studentId: people.student.id }));
    await eventually(async () => expect((await enrollment(course.id))?.status).toBe(EnrollmentStatus.DROPPED));

    // Paying again starts a new period and brings the student back, progress kept.
    const renewed = await pay((await subscription(sub.id)).plan.id);
    expect(renewed.id).toBe(sub.id);
    expect((await subscription(sub.id)).status).toBe(PlanSubscriptionStatus.ACTIVE);
    await eventually(async () => expect((await enrollment(course.id))?.status).toBe(EnrollmentStatus.ACTIVE));
    const progress = await people.student.ok('{ me { enrollments { progress course { id } } } }');
    expect(progress.me.enrollments).toContainEqual({ progress: 0.5, course: { id: course.id } });
  });

  it('extends the period when a renewal is paid while it runs', async () => {
    const planId = await plan(undefined, 'YEAR');
    const first = await pay(planId);
    const second = await pay(planId);
    const gained = new Date(second.currentPeriodEnd).getTime() - new Date(first.currentPeriodEnd).getTime();
    expect(gained).toBeGreaterThanOrEqual(365 * DAY);
  });

  it('cancels: a paid subscription keeps its access to the end of the period, a pending one ends at once', async () => {
    const course = await publishedCourse(people.teacher, { title: 'Music' });
    const sub = await pay(await plan(course.id));
    await eventually(async () => expect((await enrollment(course.id))?.status).toBe(EnrollmentStatus.ACTIVE));
    expect(codes(await people.teacher.q(CANCEL, { id: sub.id }))).toEqual(['NOT_FOUND']);
    const { cancelPlanSubscription } = await people.parent.ok(CANCEL, { id: sub.id });
    expect(cancelPlanSubscription).toMatchObject({
      status: 'CANCELED',
      canceledAt: expect.any(String),
      currentPeriodEnd: sub.currentPeriodEnd,
    });
    expect((await people.parent.ok(CANCEL, { id: sub.id })).cancelPlanSubscription.status).toBe('CANCELED');
    await expireSubscriptions(orm(), 3 * DAY);
    expect((await enrollment(course.id))?.status).toBe(EnrollmentStatus.ACTIVE);

    await endPeriod(sub.id, 0);
    await expireSubscriptions(orm(), 3 * DAY);
    expect((await subscription(sub.id)).status).toBe(PlanSubscriptionStatus.EXPIRED);
    await eventually(async () => expect((await enrollment(course.id))?.status).toBe(EnrollmentStatus.DROPPED));

    const pendingPlan = await plan(undefined);
    const { subscribe } = await people.parent.ok(SUBSCRIBE, { p: pendingPlan, s: people.student.id, provider: 'PAYMOB', method: 'CARD' });
    const { payment } = await people.parent.ok('query($id: ID!) { payment(id: $id) { subscription { id } } }', { id: subscribe.id });
    expect((await people.admin.ok(CANCEL, { id: payment.subscription.id })).cancelPlanSubscription.status).toBe('CANCELED');
  });

  it('refuses to cancel a one-time purchase', async () => {
    const sub = await pay(await plan(undefined, 'ONE_TIME'));
    expect(sub.currentPeriodEnd).toBeNull();
    expect(codes(await people.parent.q(CANCEL, { id: sub.id }))).toEqual(['CONFLICT']);
    await expireSubscriptions(orm(), 0);
    expect((await subscription(sub.id)).status).toBe(PlanSubscriptionStatus.ACTIVE);
  });
});
