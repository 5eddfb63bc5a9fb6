import { randomInt, randomUUID } from 'node:crypto';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { Fact } from '../../../platform/events/facts';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { expectFactsRefusals, expectSchoolsApart, sortedFacts, startFactsExport, type FactsExport } from '../../../testkit/facts';
import { Payment, PaymentMethod, PaymentProvider, PaymentStatus } from '../payment/payment.entity';
import { Plan, PlanInterval } from '../plan/plan.entity';
import { Refund, type RefundStatus } from '../refund/refund.entity';
import { PlanSubscription } from '../subscription/plan-subscription.entity';
import { billingFactsRoute } from './facts.route';

const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 9, minute, 0, 456));
const iso = (minute: number) => at(minute).toISOString();

/**
 * Arranges, in a school of its own, payments in every status and refunds in every status;
 * returns the facts expected of them, written out by hand: the paid ones (refunded since or not)
 * and the successful refunds.
 */
async function arrangeSchool(service: SubgraphService, schoolId: string): Promise<Fact[]> {
  const em = scopeToTenant(service.orm().em.fork(), schoolId);
  const [student, payer] = [randomUUID(), randomUUID()];
  const plan = em.create(Plan, { schoolId, name: 'Monthly', amountPiasters: 50_000, interval: PlanInterval.MONTH });
  const subscription = em.create(PlanSubscription, { schoolId, plan, studentId: student, payerId: payer });
  const pay = (status: PaymentStatus, amountPiasters: number, paidMinute?: number, provider = PaymentProvider.PAYMOB) =>
    em.create(Payment, {
      schoolId,
      subscription,
      planId: plan.id,
      studentId: student,
      payerId: payer,
      amountPiasters,
      provider,
      method: provider === PaymentProvider.FAWRY ? PaymentMethod.FAWRY_REFERENCE : PaymentMethod.CARD,
      merchantRef: String(randomInt(1e9, 1e10)) + String(randomInt(1e9, 1e10)),
      status,
      paidAt: paidMinute === undefined ? undefined : at(paidMinute),
    });
  const paid = pay(PaymentStatus.PAID, 50_000, 1);
  const partly = pay(PaymentStatus.PARTIALLY_REFUNDED, 40_000, 2);
  const refunded = pay(PaymentStatus.REFUNDED, 30_000, 3);
  const fawry = pay(PaymentStatus.PAID, 20_000, 4, PaymentProvider.FAWRY);
  pay(PaymentStatus.PENDING, 10_000);
  pay(PaymentStatus.FAILED, 10_000);
  pay(PaymentStatus.EXPIRED, 10_000);
  const refund = (payment: Payment, amountPiasters: number, status: RefundStatus, minute: number) =>
    em.create(Refund, {
      schoolId,
      payment,
      amountPiasters,
      status,
      kind: 'REFUND',
      requestedBy: randomUUID(),
      createdAt: at(minute - 1),
      updatedAt: at(minute),
    });
  const r1 = refund(partly, 15_000, 'SUCCEEDED', 10);
  const r2 = refund(refunded, 30_000, 'SUCCEEDED', 11);
  refund(refunded, 5_000, 'FAILED', 12);
  refund(partly, 5_000, 'PENDING', 13);
  await em.flush();

  const paymentFact = (p: Payment, minute: number): Fact => ({
    fact: 'payment',
    schoolId,
    paymentId: p.id,
    payerId: payer,
    studentId: student,
    amountPiasters: p.amountPiasters,
    provider: p.provider,
    paidAt: iso(minute),
  });
  const refundFact = (r: Refund, minute: number): Fact => ({
    fact: 'refund',
    schoolId,
    refundId: r.id,
    paymentId: r.payment.id,
    amountPiasters: r.amountPiasters,
    refundedAt: iso(minute),
  });
  return [
    paymentFact(paid, 1),
    paymentFact(partly, 2),
    paymentFact(refunded, 3),
    paymentFact(fawry, 4),
    refundFact(r1, 10),
    refundFact(r2, 11),
  ];
}

describe.each(['mysql', 'sqlite'] as const)('billing facts export (%s)', (dialect) => {
  const schoolA = randomUUID();
  const schoolB = randomUUID();
  let fx: FactsExport;
  let expectedA: Fact[];
  let expectedB: Fact[];
  beforeAll(async () => {
    fx = await startFactsExport(dialect, 'billing', billingFactsRoute);
    expectedA = await arrangeSchool(fx.service, schoolA);
    expectedB = await arrangeSchool(fx.service, schoolB);
  });
  afterAll(() => fx?.close());

  it("exports one school's paid payments and successful refunds, a page at a time, in id order", async () => {
    const facts = await fx.read(fx.smallUrl, schoolA);
    expect(sortedFacts(facts)).toEqual(sortedFacts(expectedA));
    const ids = (kind: 'payment' | 'refund') =>
      facts.flatMap((f) =>
        f.fact === 'payment' && kind === 'payment' ? [f.paymentId] : f.fact === 'refund' && kind === 'refund' ? [f.refundId] : [],
      );
    expect(facts.map((f) => f.fact)).toEqual([...ids('payment').map(() => 'payment'), ...ids('refund').map(() => 'refund')]);
    expect(ids('payment')).toEqual([...ids('payment')].sort());
    expect(ids('refund')).toEqual([...ids('refund')].sort());
  });

  it("answers only the school asked for, and every school's facts without one", async () => {
    const all = await expectSchoolsApart(fx, { [schoolA]: expectedA, [schoolB]: expectedB });
    const schools = all.map((f) => f.schoolId).filter((s, i, list) => s !== list[i - 1]);
    expect(schools).toEqual([...new Set(schools)].sort());
  });

  it('is served by the running subgraph', async () => {
    expect(sortedFacts(await fx.read(fx.stack.url('billing'), schoolA))).toEqual(sortedFacts(expectedA));
  });

  it('refuses a call not signed for billing (401), one made for a person or a school (403), and a bad school (400)', async () => {
    await expectFactsRefusals(fx, { subgraph: 'billing', otherAudience: 'courses', school: schoolA, badQueries: ['?school=1%20or%201=1'] });
  });
});
