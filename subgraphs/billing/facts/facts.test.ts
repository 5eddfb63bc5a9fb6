import { randomInt, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  createInternalContextSigner,
  createInternalContextVerifier,
  INTERNAL_CONTEXT_HEADER,
} from '../../../platform/auth/internal-context';
import { keySetFromJwks } from '../../../platform/auth/keys';
import { scopeToTenant } from '../../../platform/db/tenant';
import { FACTS_PATH, type Fact } from '../../../platform/events/facts';
import { readFacts } from '../../../platform/events/facts-stream';
import { createLogger } from '../../../platform/logger';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { startStack, type Stack } from '../../../testkit/stack';
import { Payment, PaymentMethod, PaymentProvider, PaymentStatus } from '../payment/payment.entity';
import { Plan, PlanInterval } from '../plan/plan.entity';
import { Refund, type RefundStatus } from '../refund/refund.entity';
import { PlanSubscription } from '../subscription/plan-subscription.entity';
import { billingFactsRoute } from './facts.route';

const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 9, minute, 0, 456));
const iso = (minute: number) => at(minute).toISOString();
/** Facts in a stable order, to compare exports as sets. */
const sorted = (facts: Fact[]) => facts.map((f) => JSON.stringify(f)).sort();
const readAll = async (iterable: AsyncIterable<Fact>) => {
  const facts: Fact[] = [];
  for await (const fact of iterable) facts.push(fact);
  return facts;
};

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
  let stack: Stack;
  let expectedA: Fact[];
  let expectedB: Fact[];
  let sign: ReturnType<typeof createInternalContextSigner>;
  /** The route again with pages of 2 rows, on a server of the test's own, over the same database. */
  let small: Server;
  let smallUrl: string;
  beforeAll(async () => {
    stack = await startStack(dialect, {}, { subgraphs: ['billing'] });
    const service = stack.service<SubgraphService>('billing');
    sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(stack.keys.internal)));
    const verify = createInternalContextVerifier(JSON.parse(stack.keys.internalPublic), 'billing');
    const app = express().use(billingFactsRoute({ orm: service.orm(), verify, logger: createLogger('test', 'silent'), pageSize: 2 }));
    small = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => small.once('listening', resolve));
    smallUrl = `http://127.0.0.1:${(small.address() as AddressInfo).port}`;
    expectedA = await arrangeSchool(service, schoolA);
    expectedB = await arrangeSchool(service, schoolB);
  });
  afterAll(async () => {
    small?.closeAllConnections();
    await new Promise((resolve) => small?.close(resolve));
    await stack?.stop();
  });
  const read = (url: string, school?: string) => readFacts({ url, service: 'billing', sign, school });

  it("exports one school's paid payments and successful refunds, a page at a time, in id order", async () => {
    const facts = await readAll(read(smallUrl, schoolA));
    expect(sorted(facts)).toEqual(sorted(expectedA));
    const ids = (kind: 'payment' | 'refund') =>
      facts.flatMap((f) =>
        f.fact === 'payment' && kind === 'payment' ? [f.paymentId] : f.fact === 'refund' && kind === 'refund' ? [f.refundId] : [],
      );
    expect(facts.map((f) => f.fact)).toEqual([...ids('payment').map(() => 'payment'), ...ids('refund').map(() => 'refund')]);
    expect(ids('payment')).toEqual([...ids('payment')].sort());
    expect(ids('refund')).toEqual([...ids('refund')].sort());
  });

  it("answers only the school asked for, and every school's facts without one", async () => {
    const onlyB = await readAll(read(smallUrl, schoolB));
    expect(sorted(onlyB)).toEqual(sorted(expectedB));
    expect(onlyB.every((f) => f.schoolId === schoolB)).toBe(true);
    expect(await readAll(read(smallUrl, randomUUID()))).toEqual([]);

    const all = await readAll(read(smallUrl));
    expect(sorted(all.filter((f) => f.schoolId === schoolA))).toEqual(sorted(expectedA));
    expect(sorted(all.filter((f) => f.schoolId === schoolB))).toEqual(sorted(expectedB));
    const schools = all.map((f) => f.schoolId).filter((s, i, list) => s !== list[i - 1]);
    expect(schools).toEqual([...new Set(schools)].sort());
  });

  it('is served by the running subgraph', async () => {
    expect(sorted(await readAll(read(stack.url('billing'), schoolA)))).toEqual(sorted(expectedA));
  });

  it('refuses a call not signed for billing (401), one made for a person or a school (403), and a bad school (400)', async () => {
    const url = `${stack.url('billing')}${FACTS_PATH}`;
    const call = async (headers: Record<string, string>, query = '') => {
      const res = await fetch(`${url}${query}`, { headers });
      return {
        status: res.status,
        code: ((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code,
      };
    };
    const signed = async (ctx: Parameters<typeof sign>[0], audience = 'billing') => ({
      [INTERNAL_CONTEXT_HEADER]: await sign(ctx, audience),
    });
    expect(await call({})).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await call(await signed({}, 'courses'))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    const tenant = { id: schoolA, slug: 'a' };
    expect(await call(await signed({ tenant, user: { id: randomUUID(), roles: ['SCHOOL_ADMIN'] } }))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await call(await signed({ user: { id: randomUUID(), roles: ['PLATFORM_ADMIN'] } }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await call(await signed({ tenant }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await call(await signed({}), '?school=1%20or%201=1')).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
  });
});
