import type { MikroORM } from '@mikro-orm/core';
import { Roles } from '../../platform/auth/roles';
import { scopeToTenant } from '../../platform/db/tenant';
import { DEMO } from '../../platform/demo';
import { domainEvent } from '../../platform/events/domain-events';
import type { Logger } from '../../platform/logger';
import { recordEvent } from '../../platform/outbox/outbox';
import { GuardianLink } from '../../platform/people/guardian-link.entity';
import { Locale } from './money/money';
import { Person } from '../../platform/people/person.entity';
import { Plan, PlanInterval } from './plan/plan.entity';
import { BillingProfile } from './profile/billing-profile.entity';

/** The demo courses' ids (subgraphs/courses/seed.ts; repeated here: a subgraph imports no other). */
const DEMO_MATH_COURSE = '0b8f5a2e-0000-4000-8000-000000001001';

/** Fixed ids of the demo plans, for the README's examples and tests. */
export const DEMO_PLANS = {
  mathMonthly: { id: '0b8f5a2e-0000-4000-8000-000000002001', name: 'الرياضيات — اشتراك شهري', amountPiasters: 15_000 },
  mathTerm: { id: '0b8f5a2e-0000-4000-8000-000000002002', name: 'Mathematics, Grade 8 — one term', amountPiasters: 40_000 },
  schoolYear: { id: '0b8f5a2e-0000-4000-8000-000000002003', name: 'All courses — school year', amountPiasters: 250_000 },
} as const;

/**
 * Seeds billing for the demo schools once (first start): their billing profiles, three plans of
 * the `demo` school (the math course monthly and per term, and a school-wide year; the Arabic
 * course stays free), the demo parent → student guardian link and the demo people's names (both
 * read models are fed by users' events, which went out before this service's queues existed;
 * everyone else comes with the people backfill that the app asks for once its queues are bound:
 * person/person.backfill.ts). `plan.created` goes out for each plan, so courses
 * learns that the math course is sold. A no-op when the first plan exists.
 */
export async function seedDemo(orm: MikroORM, logger: Logger): Promise<void> {
  const schoolId = DEMO.schools.demo.id;
  const em = scopeToTenant(orm.em.fork(), schoolId);
  if (await em.count(Plan, { id: DEMO_PLANS.mathMonthly.id })) return;
  await em.transactional(async (tx) => {
    tx.create(BillingProfile, {
      schoolId,
      legalName: 'مدرسة المنصة التجريبية',
      locale: Locale.AR,
      taxRegistrationNumber: '100-200-300',
      address: 'القاهرة، مصر',
    });
    const plans = [
      { ...DEMO_PLANS.mathMonthly, interval: PlanInterval.MONTH, courseId: DEMO_MATH_COURSE },
      { ...DEMO_PLANS.mathTerm, interval: PlanInterval.TERM, courseId: DEMO_MATH_COURSE },
      { ...DEMO_PLANS.schoolYear, interval: PlanInterval.YEAR, courseId: undefined },
    ];
    for (const p of plans) {
      const plan = tx.create(Plan, { ...p, schoolId });
      recordEvent(
        tx,
        domainEvent('plan.created', schoolId, {
          planId: plan.id,
          courseId: plan.courseId,
          name: plan.name,
          amountPiasters: plan.amountPiasters,
          currency: 'EGP',
          interval: plan.interval,
        }),
      );
    }
    const { demoAdmin, demoTeacher, demoStudent, demoParent } = DEMO.users;
    tx.create(GuardianLink, { schoolId, guardianId: demoParent.id, studentId: demoStudent.id });
    const people = [
      [demoAdmin, Roles.SCHOOL_ADMIN],
      [demoTeacher, Roles.TEACHER],
      [demoStudent, Roles.STUDENT],
      [demoParent, Roles.PARENT],
    ] as const;
    for (const [person, role] of people) {
      tx.create(Person, { id: person.id, schoolId, displayName: person.displayName, roles: [role], observedAt: new Date(0) });
    }
  });
  const nile = scopeToTenant(orm.em.fork(), DEMO.schools.nile.id);
  nile.create(BillingProfile, { schoolId: DEMO.schools.nile.id, legalName: DEMO.schools.nile.name, locale: Locale.EN });
  const { nileAdmin } = DEMO.users;
  nile.create(Person, {
    id: nileAdmin.id,
    schoolId: DEMO.schools.nile.id,
    displayName: nileAdmin.displayName,
    roles: [Roles.SCHOOL_ADMIN],
    observedAt: new Date(0),
  });
  await nile.flush();
  logger.info('seeded demo billing (profiles, plans)');
}
