import { DEMO } from '../../../platform/demo';
import { OutboxMessage } from '../../../platform/outbox/outbox';
import { billingEm, postPaymobCallback, startTestProviders, SUBSCRIBE, type TestProviders } from '../../../testkit/billing';
import { codes, coursesEm, demoPeople, newMember, publishedCourse, type Person } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { request } from '../../../testkit/graphql-client';
import { startStack, type Stack } from '../../../testkit/stack';
import { Enrollment, EnrollmentSource } from '../../courses/enrollment/enrollment.entity';
import { Invoice } from '../invoice/invoice.entity';
import { ProviderEvent } from '../settlement/provider-event.entity';
import { Payment, PaymentStatus } from './payment.entity';

const PAYMENT = `query($id: ID!) { payment(id: $id) { id status paidAt amount { amountPiasters } refundedAmount { amountPiasters }
  invoice { number total { amountPiasters } pdfUrl } subscription { status currentPeriodEnd plan { id } student { id } } } }`;

/**
 * Paying with Paymob through the gateway, end to end: a parent subscribes their child to a course
 * plan, pays on Paymob's checkout (the stand-in), and Paymob's signed *processed* callback reaches
 * billing through the gateway's /webhooks/paymob: the payment is PAID, the subscription ACTIVE, the
 * child enrolled in the course (courses, from `plan.subscription.activated`), an invoice issued
 * with its PDF. Forged callbacks change nothing; repeated ones change nothing more.
 */
describe.each(['mysql', 'sqlite'] as const)('Paymob payments (%s)', (dialect) => {
  let providers: TestProviders;
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let course: { id: string };
  let planId: string;

  beforeAll(async () => {
    providers = await startTestProviders();
    stack = await startStack(
      dialect,
      { ...providers.env, BILLING_PUBLIC_URL: 'https://pay.manassa.test' },
      { subgraphs: ['users', 'courses', 'billing'] },
    );
    people = await demoPeople(stack);
    course = await publishedCourse(people.teacher, { title: 'Chemistry', lessons: 1 });
    const created = await people.admin.ok('mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', {
      i: { name: 'Chemistry — monthly', amountPiasters: 25_050, interval: 'MONTH', courseId: course.id },
    });
    planId = created.createPlan.id;
  });
  afterAll(async () => {
    await stack.stop();
    await providers.close();
  });

  /** A new pending Paymob card payment of `payer` for `student` (a new plan each time, so each gets its own subscription). */
  const pendingPayment = async (payer: Person = people.parent, student: string = people.student.id, plan = planId) => {
    const { subscribe } = await payer.ok(SUBSCRIBE, {
      p: plan,
      s: student,
      provider: 'PAYMOB',
      method: 'CARD',
      contact: { phone: '01012345678' },
    });
    return { ...subscribe, orderId: providers.paymob.intentionOf(subscribe.checkoutUrl).orderId };
  };
  const newPlan = async (amountPiasters = 10_000) =>
    (
      await people.admin.ok('mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', {
        i: { name: `Plan ${Math.random().toString(36).slice(2, 8)}`, amountPiasters, interval: 'TERM' },
      })
    ).createPlan.id as string;
  const row = (id: string) => billingEm(stack).findOneOrFail(Payment, { id });

  it('takes a parent from subscribe to a paid, active, enrolled subscription with an invoice PDF', async () => {
    const payment = await pendingPayment();
    expect(payment).toMatchObject({
      status: 'PENDING',
      provider: 'PAYMOB',
      method: 'CARD',
      amount: { amountPiasters: 25_050, currency: 'EGP' },
    });
    const checkout = new URL(payment.checkoutUrl);
    expect(checkout.pathname).toBe('/unifiedcheckout/');
    expect(checkout.searchParams.get('publicKey')).toBe('egy_pk_test_billing');
    const intention = providers.paymob.intentionOf(payment.checkoutUrl);
    expect(intention.body).toMatchObject({
      amount: 25_050,
      currency: 'EGP',
      payment_methods: [4097558],
      notification_url: 'https://pay.manassa.test/webhooks/paymob',
      billing_data: { first_name: 'Adel', last_name: 'Mahmoud', phone_number: '01012345678' },
    });

    // Sent pretty-printed: the gateway forwards the bytes as they are, and billing keeps them.
    const callback = providers.paymob.pay(payment.orderId);
    const raw = JSON.stringify(callback.body, null, 2);
    const answer = await postPaymobCallback(stack, callback, { body: raw });
    expect(answer.status).toBe(200);
    expect((await billingEm(stack).findOneOrFail(ProviderEvent, { paymentId: payment.id })).payload).toBe(raw);
    const { payment: paid } = await people.parent.ok(PAYMENT, { id: payment.id });
    expect(paid).toMatchObject({
      status: 'PAID',
      amount: { amountPiasters: 25_050 },
      refundedAmount: { amountPiasters: 0 },
      subscription: { status: 'ACTIVE', plan: { id: planId }, student: { id: people.student.id } },
      invoice: { number: expect.stringMatching(/^INV-\d{6}$/), total: { amountPiasters: 25_050 } },
    });
    expect(new Date(paid.subscription.currentPeriodEnd).getTime()).toBeGreaterThan(Date.now() + 27 * 24 * 3600_000);

    // Courses enrolls the child from plan.subscription.activated.
    await eventually(async () =>
      expect(await coursesEm(stack).findOne(Enrollment, { course: course.id, studentId: people.student.id })).toMatchObject({
        source: EnrollmentSource.SUBSCRIPTION,
        status: 'ACTIVE',
      }),
    );
    const enrolled = await people.parent.ok('query($id: ID!) { user(id: $id) { enrollments { course { id } } } }', {
      id: people.student.id,
    });
    expect(enrolled.user.enrollments).toContainEqual({ course: { id: course.id } });

    const pdf = await fetch(paid.invoice.pdfUrl);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    // The PDF was rendered from invoice.issued (the queue), not only on demand.
    await eventually(async () =>
      expect((await billingEm(stack).findOneOrFail(Invoice, { payment: payment.id })).pdfKey).toMatch(/invoices\/INV-\d{6}\.pdf$/),
    );
  });

  it('refuses a forged callback (wrong HMAC, changed amount, missing field, no HMAC) and changes nothing', async () => {
    const payment = await pendingPayment(people.parent, people.student.id, await newPlan());
    const genuine = providers.paymob.pay(payment.orderId);
    const wrongHmac = await postPaymobCallback(stack, genuine, { hmac: 'f'.repeat(128) });
    const changedAmount = { ...genuine, body: { ...genuine.body, obj: { ...genuine.body.obj, amount_cents: 100 } } };
    const tampered = await postPaymobCallback(stack, changedAmount);
    const { source_data: _dropped, ...withoutSource } = genuine.body.obj;
    const missing = await postPaymobCallback(stack, { ...genuine, body: { ...genuine.body, obj: withoutSource } });
    const unsigned = await postPaymobCallback(stack, genuine, { hmac: null });
    expect([wrongHmac.status, tampered.status, missing.status, unsigned.status]).toEqual([401, 401, 400, 401]);
    expect(JSON.parse(missing.text).errors[0]).toMatchObject({
      extensions: { code: 'BAD_REQUEST', reason: expect.stringMatching(/source_data/) },
    });
    expect((await row(payment.id)).status).toBe(PaymentStatus.PENDING);
    expect(await billingEm(stack).count(ProviderEvent, { paymentId: payment.id })).toBe(0);

    // The genuine one still works afterwards.
    expect((await postPaymobCallback(stack, genuine)).status).toBe(200);
    expect((await row(payment.id)).status).toBe(PaymentStatus.PAID);
  });

  it('applies the same valid callback once, sent five times in a row and five times at once', async () => {
    for (const mode of ['sequential', 'concurrent'] as const) {
      const payment = await pendingPayment(people.parent, people.student.id, await newPlan(12_345));
      const callback = providers.paymob.pay(payment.orderId);
      const answers =
        mode === 'sequential'
          ? await (async () => {
              const out = [];
              for (let i = 0; i < 5; i++) out.push(await postPaymobCallback(stack, callback));
              return out;
            })()
          : await Promise.all(Array.from({ length: 5 }, () => postPaymobCallback(stack, callback)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(answers.filter((a) => JSON.parse(a.text).applied)).toHaveLength(1);
      const em = billingEm(stack);
      expect(await em.count(Payment, { subscription: (await row(payment.id)).subscription.id, status: PaymentStatus.PAID })).toBe(1);
      expect(await em.count(Invoice, { payment: payment.id })).toBe(1);
      expect(await em.count(ProviderEvent, { paymentId: payment.id })).toBe(1);
      const succeeded = (await billingEm(stack).find(OutboxMessage, { type: 'payment.succeeded' })).filter(
        (m) => JSON.parse(m.payload).paymentId === payment.id,
      );
      expect({ mode, succeeded: succeeded.length }).toEqual({ mode, succeeded: 1 });
    }
  });

  it('keeps a payment PAID when a late PENDING arrives, and lets a declined attempt be followed by a paid one', async () => {
    const payment = await pendingPayment(people.parent, people.student.id, await newPlan());
    const declined = providers.paymob.pay(payment.orderId, { success: false });
    expect((await postPaymobCallback(stack, declined)).status).toBe(200);
    expect((await row(payment.id)).status).toBe(PaymentStatus.FAILED);
    const failedEvents = (await billingEm(stack).find(OutboxMessage, { type: 'payment.failed' })).filter(
      (m) => JSON.parse(m.payload).paymentId === payment.id,
    );
    expect(failedEvents).toHaveLength(1);

    const paid = providers.paymob.pay(payment.orderId);
    expect((await postPaymobCallback(stack, paid)).status).toBe(200);
    const late = providers.paymob.pay(payment.orderId, { pending: true });
    expect((await postPaymobCallback(stack, late)).status).toBe(200);
    expect(JSON.parse((await postPaymobCallback(stack, declined)).text)).toMatchObject({ applied: false });
    expect((await row(payment.id)).status).toBe(PaymentStatus.PAID);
  });

  it('answers 404 to a verified callback for an order billing does not know, and 413 to an oversized body', async () => {
    const stranger = providers.paymob.pay((await pendingPayment(people.parent, people.student.id, await newPlan())).orderId);
    const unknown = { ...stranger.body, obj: { ...stranger.body.obj, order: { id: 1 } } };
    expect((await postPaymobCallback(stack, { body: unknown, hmac: providers.paymob.sign(unknown.obj) })).status).toBe(404);
    const huge = await request(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/webhooks/paymob?hmac=x`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(100_000) }),
      fresh: true,
    });
    expect(huge.status).toBe(413);
  });

  it('lets only the student and their guardians pay, and shows payments to their payer and school admins', async () => {
    const otherParent = await newMember(stack, people.admin, 'PARENT', 'Someone Else');
    const forbidden = await otherParent.q(SUBSCRIBE, { p: planId, s: people.student.id, provider: 'PAYMOB', method: 'CARD' });
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
    expect(codes(await people.teacher.q(SUBSCRIBE, { p: planId, s: people.student.id, provider: 'PAYMOB', method: 'CARD' }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(
      codes(await people.parent.q(SUBSCRIBE, { p: planId, s: people.student.id, provider: 'PAYMOB', method: 'FAWRY_REFERENCE' })),
    ).toEqual(['BAD_USER_INPUT']);

    // The student pays for themselves.
    const own = await pendingPayment(people.student, people.student.id, await newPlan());
    expect(own.status).toBe('PENDING');
    const byAdmin = await people.admin.ok('query($id: ID!) { payment(id: $id) { id } }', { id: own.id });
    expect(byAdmin.payment).toEqual({ id: own.id });
    for (const outsider of [people.teacher, otherParent, people.parent]) {
      expect((await outsider.ok('query($id: ID!) { payment(id: $id) { id } }', { id: own.id })).payment).toBeNull();
    }
    expect((await people.nileAdmin.ok('query($id: ID!) { payment(id: $id) { id } }', { id: own.id })).payment).toBeNull();

    const parentsPayments = await people.admin.ok('query($id: ID!) { user(id: $id) { payments(first: 100) { totalCount } } }', {
      id: people.parent.id,
    });
    expect(parentsPayments.user.payments.totalCount).toBeGreaterThan(0);
    expect(
      codes(await people.teacher.q('query($id: ID!) { user(id: $id) { payments { totalCount } } }', { id: people.parent.id })),
    ).toEqual(['FORBIDDEN']);
    const mine = await people.student.ok('{ me { planSubscriptions { status plan { id } payer { id } } } }');
    expect(mine.me.planSubscriptions).toContainEqual({ status: 'ACTIVE', plan: { id: planId }, payer: { id: people.parent.id } });
    const childs = await people.parent.ok('{ me { children { planSubscriptions { plan { id } } } } }');
    expect(childs.me.children[0].planSubscriptions).toContainEqual({ plan: { id: planId } });
  });

  it('answers SERVICE_UNAVAILABLE naming Paymob when it cannot be reached or fails, and marks the payment FAILED', async () => {
    const plan = await newPlan();
    for (const outage of ['refuse', 503] as const) {
      providers.paymob.outage = outage;
      try {
        const r = await people.parent.q(SUBSCRIBE, { p: plan, s: people.student.id, provider: 'PAYMOB', method: 'CARD' });
        expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'paymob' } });
      } finally {
        providers.paymob.outage = false;
      }
    }
    const failed = await billingEm(stack).find(Payment, { planId: plan });
    expect(failed.map((p) => p.status)).toEqual([PaymentStatus.FAILED, PaymentStatus.FAILED]);
    // Up again: the same request works.
    expect((await pendingPayment(people.parent, people.student.id, plan)).status).toBe('PENDING');
  });

  it('numbers fifty concurrent payments of one school consecutively, without a gap or a duplicate', async () => {
    const plans = await Promise.all(Array.from({ length: 50 }, (_, i) => newPlan(1_000 + i)));
    const payments = await Promise.all(plans.map((plan) => pendingPayment(people.parent, people.student.id, plan)));
    const answers = await Promise.all(payments.map((p) => postPaymobCallback(stack, providers.paymob.pay(p.orderId))));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const invoices = await billingEm(stack).find(Invoice, { payment: { $in: payments.map((p) => p.id) } });
    const numbers = invoices.map((i) => i.sequence).sort((a, b) => a - b);
    expect(numbers).toHaveLength(50);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => numbers[0] + i));
    expect(new Set(invoices.map((i) => i.number)).size).toBe(50);
    // And the school's whole series has no gap either.
    const all = (await billingEm(stack).find(Invoice, {}, { orderBy: { sequence: 'asc' } })).map((i) => i.sequence);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(DEMO.schools.demo.id).toBe(invoices[0].schoolId);
  });
});
