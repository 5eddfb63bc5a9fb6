import type { Viewer } from '../../platform/auth/viewer';
import type { BillingContext } from './context';

/**
 * Who may do what with a student's billing, inside one school (other schools never get here: the
 * tenant filter scopes every query). Parents are the guardians of the read model fed by users.
 * - Paying for a student: the student, and their guardians.
 * - Payments: the payer and school admins. Refunds: school admins only.
 * - A student's subscriptions: the student, their guardians, whoever paid, school admins.
 */
export const billingPolicy = {
  /** The student is the viewer, or a child the viewer follows as a parent. */
  async isSelfOrChild(ctx: BillingContext, viewer: Viewer, studentId: string): Promise<boolean> {
    if (viewer.id === studentId) return true;
    return viewer.isParent && (await ctx.loaders.childIds.load(viewer.id)).includes(studentId);
  },

  async canPayFor(ctx: BillingContext, viewer: Viewer, studentId: string): Promise<boolean> {
    if (viewer.id === studentId) return viewer.isStudent;
    return viewer.isParent && (await ctx.loaders.childIds.load(viewer.id)).includes(studentId);
  },

  canSeePayment(viewer: Viewer, payment: { payerId: string }): boolean {
    return viewer.isAdmin || payment.payerId === viewer.id;
  },

  async canSeeSubscription(ctx: BillingContext, viewer: Viewer, subscription: { studentId: string; payerId: string }): Promise<boolean> {
    return viewer.isAdmin || subscription.payerId === viewer.id || billingPolicy.isSelfOrChild(ctx, viewer, subscription.studentId);
  },
};
