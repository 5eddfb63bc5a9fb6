import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import { domainEvent } from '../../../platform/events/domain-events';
import type { Logger } from '../../../platform/logger';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { Failpoint } from '../failpoints';
import { ensureInvoiceSequence, issueInvoice } from '../invoice/invoice.issue';
import { Payment, PaymentStatus, STATUS_RANK } from '../payment/payment.entity';
import { periodEnd, Plan } from '../plan/plan.entity';
import type { ProviderUpdate } from '../providers/provider';
import { PlanSubscription, PlanSubscriptionStatus } from '../subscription/plan-subscription.entity';
import { retryOnDeadlock, writeLock } from '../../../platform/db/locks';
import { ProviderEvent, type ProviderEventOutcome } from './provider-event.entity';

export interface SettlementDeps {
  orm: MikroORM;
  logger: Logger;
  failpoint: Failpoint;
}

/**
 * What a settlement did. `duplicate`: this very statement was applied before (the same callback
 * again). `stale`: an older or equal state (a late PENDING after PAID). `notice`: recorded
 * without effect (refund echoes). `mismatch`: the amount or currency differs from the payment's
 * (recorded, nothing changed, logged for a person to look at). `unknown`: no payment of ours.
 */
export type SettlementResult =
  { status: 'applied' | 'duplicate' | 'stale' | 'notice' | 'mismatch'; paymentId: string } | { status: 'unknown'; paymentId?: undefined };

/** A settlement that found its event key taken: everything it did is rolled back. */
class AlreadyApplied extends Error {}

const TARGET: Record<'PAID' | 'FAILED' | 'EXPIRED' | 'PENDING', PaymentStatus> = {
  PAID: PaymentStatus.PAID,
  FAILED: PaymentStatus.FAILED,
  EXPIRED: PaymentStatus.EXPIRED,
  PENDING: PaymentStatus.PENDING,
};

/**
 * The one path by which a provider's word changes a payment, for webhooks and reconciliation
 * alike: in ONE transaction, under the payment's row lock, it records the event under its unique
 * key and applies the change (monotonic statuses), and on PAID also activates the subscription
 * for its period, issues the invoice with the school's next number, and records
 * `payment.succeeded`, `plan.subscription.activated` and `invoice.issued` in the outbox. A crash
 * anywhere before the commit leaves nothing; the provider's retry then does it all once.
 */
export async function settle(deps: SettlementDeps, update: ProviderUpdate): Promise<SettlementResult> {
  // Callbacks name no school: the payment is found across schools by what the provider signed,
  // and everything after runs scoped to the payment's school.
  const found = await deps.orm.em
    .fork()
    .findOne(Payment, { provider: update.provider, ...update.match }, { filters: { [TENANT_FILTER]: false } });
  if (!found) return { status: 'unknown' };
  const schoolId = found.schoolId;
  await ensureInvoiceSequence(scopeToTenant(deps.orm.em.fork(), schoolId), schoolId);

  return retryOnDeadlock(async () => {
    const em = scopeToTenant(deps.orm.em.fork(), schoolId);
    try {
      return await em.transactional(async (tx) => {
        const payment = await tx.findOneOrFail(Payment, { id: found.id }, { ...writeLock(tx), refresh: true });
        const outcome = judge(payment, update);
        try {
          await tx.insert(ProviderEvent, {
            id: randomUUID(),
            schoolId,
            provider: update.provider,
            eventKey: `${update.transactionId}:${update.outcome}`.slice(0, 120),
            paymentId: payment.id,
            outcome,
            via: update.via,
            payload: update.raw,
            receivedAt: new Date(),
          });
        } catch (err) {
          if (err instanceof UniqueConstraintViolationException) throw new AlreadyApplied();
          throw err;
        }
        if (outcome === 'APPLIED') await apply(tx, payment, update);
        if (outcome === 'AMOUNT_MISMATCH') {
          deps.logger.error(
            { paymentId: payment.id, provider: update.provider, expected: payment.amountPiasters, reported: update.amountPiasters },
            'provider reported another amount than the payment: not applied',
          );
        }
        await tx.flush();
        await deps.failpoint('settlement.before-commit');
        return { status: RESULT[outcome], paymentId: payment.id } as const;
      });
    } catch (err) {
      if (err instanceof AlreadyApplied) return { status: 'duplicate', paymentId: found.id } as const;
      throw err;
    }
  });
}

const RESULT: Record<ProviderEventOutcome, 'applied' | 'stale' | 'notice' | 'mismatch'> = {
  APPLIED: 'applied',
  STALE: 'stale',
  NOTICE: 'notice',
  AMOUNT_MISMATCH: 'mismatch',
};

/** What the update does to this payment (nothing yet written). */
function judge(payment: Payment, update: ProviderUpdate): ProviderEventOutcome {
  if (update.outcome === 'REFUND_NOTICE') return 'NOTICE';
  if (update.amountPiasters !== payment.amountPiasters || update.currency !== payment.currency) return 'AMOUNT_MISMATCH';
  return STATUS_RANK[TARGET[update.outcome]] > STATUS_RANK[payment.status] ? 'APPLIED' : 'STALE';
}

async function apply(tx: EntityManager, payment: Payment, update: ProviderUpdate): Promise<void> {
  const now = new Date();
  const target = TARGET[update.outcome as keyof typeof TARGET];
  payment.status = target;
  payment.providerTransactionId = update.transactionId;
  payment.sourceType = update.sourceType?.slice(0, 40) ?? payment.sourceType;
  if (update.referenceNumber) payment.fawryReferenceNumber ??= update.referenceNumber;
  const subscription = await tx.findOneOrFail(PlanSubscription, { id: payment.subscription.id }, { ...writeLock(tx), refresh: true });
  const plan = await tx.findOneOrFail(Plan, { id: subscription.plan.id });
  const base = {
    paymentId: payment.id,
    payerId: payment.payerId,
    studentId: payment.studentId,
    planId: plan.id,
    subscriptionId: subscription.id,
    amountPiasters: payment.amountPiasters,
    currency: 'EGP' as const,
    provider: payment.provider,
  };

  if (target !== PaymentStatus.PAID) {
    payment.failureReason = `${payment.provider} reported ${update.outcome}`;
    recordEvent(
      tx,
      domainEvent('payment.failed', payment.schoolId, { ...base, status: target as 'FAILED' | 'EXPIRED', failedAt: now.toISOString() }),
    );
    return;
  }

  payment.paidAt = now;
  // A renewal paid while the period runs extends it; otherwise the new period starts now.
  const running =
    subscription.currentPeriodEnd && subscription.currentPeriodEnd > now && subscription.status !== PlanSubscriptionStatus.EXPIRED;
  const start = running ? subscription.currentPeriodEnd! : now;
  const end = periodEnd(plan.interval, start);
  Object.assign(subscription, {
    status: PlanSubscriptionStatus.ACTIVE,
    currentPeriodEnd: end,
    activatedAt: subscription.activatedAt ?? now,
    payerId: payment.payerId,
    canceledAt: undefined,
    expiredAt: undefined,
  });
  recordEvent(tx, domainEvent('payment.succeeded', payment.schoolId, { ...base, paidAt: now.toISOString() }));
  recordEvent(
    tx,
    domainEvent('plan.subscription.activated', payment.schoolId, {
      subscriptionId: subscription.id,
      planId: plan.id,
      courseId: plan.courseId,
      studentId: payment.studentId,
      payerId: payment.payerId,
      activatedAt: now.toISOString(),
      currentPeriodEnd: end?.toISOString(),
    }),
  );
  await issueInvoice(tx, payment, { description: plan.name, periodStart: start, periodEnd: end, issuedAt: now });
}

/**
 * Ends a payment that no provider will settle any more: its checkout link or reference expired
 * with no word from the provider (EXPIRED), or its checkout was never made (FAILED: the provider
 * was unreachable, or the process died before it answered). Only a PENDING payment changes; a
 * provider's later PAID still applies (statuses only move forward).
 */
export async function expirePayment(
  deps: SettlementDeps,
  payment: Pick<Payment, 'id' | 'schoolId'>,
  status: PaymentStatus.EXPIRED | PaymentStatus.FAILED,
  reason: string,
): Promise<boolean> {
  return retryOnDeadlock(() =>
    scopeToTenant(deps.orm.em.fork(), payment.schoolId).transactional(async (tx) => {
      const locked = await tx.findOneOrFail(Payment, { id: payment.id }, { ...writeLock(tx), refresh: true });
      if (locked.status !== PaymentStatus.PENDING) return false;
      locked.status = status;
      locked.failureReason = reason;
      recordEvent(
        tx,
        domainEvent('payment.failed', locked.schoolId, {
          paymentId: locked.id,
          payerId: locked.payerId,
          studentId: locked.studentId,
          planId: locked.planId,
          subscriptionId: locked.subscription.id,
          amountPiasters: locked.amountPiasters,
          currency: 'EGP',
          provider: locked.provider,
          status,
          failedAt: new Date().toISOString(),
        }),
      );
      return true;
    }),
  );
}
