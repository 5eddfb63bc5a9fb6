/**
 * Test fixtures of the reaction tests (live-session.test.ts, reaction.test.ts): domain event
 * envelopes, the read-model rows they are about, and a direct line to a reaction consumer (a
 * redelivery, two deliveries at once, a logger whose lines the test reads). Not used by the service.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { BrokerMessage } from '../platform/broker/message-broker';
import { scopeToTenant } from '../platform/db/tenant';
import type { DomainEventOf, DomainEvents, DomainEventType } from '../platform/events/domain-events';
import { domainEventCatalog } from '../platform/events/domain-events';
import { createLogger, type Logger } from '../platform/logger';
import { GuardianLink } from '../platform/people/guardian-link.entity';
import { Contact } from '../subgraphs/messaging/contact/contact.entity';
import { CourseEnrollment } from '../subgraphs/messaging/course/course-enrollment.entity';
import { CourseInfo } from '../subgraphs/messaging/course/course-info.entity';
import { NotificationService } from '../subgraphs/messaging/notification/notification.service';
import { Notification } from '../subgraphs/messaging/notification/notification.entity';
import { Sealer } from '../subgraphs/messaging/notification/seal';
import { createHash } from 'node:crypto';
import { reactionConsumers } from '../subgraphs/messaging/reaction/reaction.feature';
import type { ReactionDeps } from '../subgraphs/messaging/reaction/reaction';

/** The seal key the test stacks run with, so a test can open what was sealed. */
export const SEAL_KEY = 'reaction-tests-seal-key-0123456789abcdef';
export const sealer = new Sealer(createHash('sha256').update(SEAL_KEY, 'utf8').digest());
export const PUBLIC_URL = 'https://school.example';

/** Environment of the test stacks: no delivery workers or scheduler, so rows stay as the reactions made them. */
export const reactionStackEnv = {
  MESSAGING_SEAL_KEY: SEAL_KEY,
  MESSAGING_PUBLIC_URL: PUBLIC_URL,
  DELIVERY_WORKERS: 'off',
  MESSAGING_SWEEP_INTERVAL_MS: '0',
  LIVE_REMINDER_MINUTES: '15',
};

export function envelope<T extends DomainEventType>(
  type: T,
  tenantId: string,
  payload: DomainEvents[T],
  occurredAt = new Date(),
): DomainEventOf<T> {
  return { id: randomUUID(), type, version: domainEventCatalog[type].version, tenantId, occurredAt: occurredAt.toISOString(), payload };
}

export const asMessage = <T>(event: DomainEventOf<any> & { payload: T }, attempt = 1): BrokerMessage<DomainEventOf<any>> => ({
  id: event.id,
  routingKey: event.type,
  payload: event,
  headers: {},
  attempt,
});

/** Lines a logger wrote (JSON, one per line). */
export function capturingLogger(): { logger: Logger; output: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('messaging-test', 'trace', stream), output: () => chunks.join('') };
}

/** The reaction consumer on `queue`, built as app.ts builds it, called directly (not through the broker). */
export function directHandler(orm: MikroORM, queue: string, logger: Logger = createLogger('messaging-test', 'silent')) {
  const deps: ReactionDeps = {
    notify: new NotificationService(sealer).notify,
    config: { liveReminderMinutes: 15, publicUrl: PUBLIC_URL },
  };
  const def = reactionConsumers(deps).find((c) => c.queue === queue);
  if (!def) throw new Error(`no reaction consumer on ${queue}`);
  return def.handler({ orm, logger });
}

export const schoolEm = (orm: MikroORM, schoolId: string): EntityManager => scopeToTenant(orm.em.fork(), schoolId);

export interface PersonRow {
  id: string;
  locale: 'AR' | 'EN';
  displayName: string;
  email?: string;
  phone?: string;
  active?: boolean;
}

export function person(displayName: string, locale: 'AR' | 'EN', extra: Partial<PersonRow> = {}): PersonRow {
  const id = randomUUID();
  return { id, locale, displayName, email: `${id.slice(0, 8)}@families.test`, ...extra };
}

/** Contacts, a course with its enrollments, and guardian links, as the read models would hold them. */
export async function arrange(
  orm: MikroORM,
  schoolId: string,
  rows: {
    people?: PersonRow[];
    course?: { id: string; title: string; teacherId?: string };
    enrolled?: Array<{ studentId: string; active?: boolean }>;
    guardians?: Array<{ guardianId: string; studentId: string }>;
  },
): Promise<void> {
  const em = schoolEm(orm, schoolId);
  const observedAt = new Date(Date.now() - 60_000);
  for (const p of rows.people ?? []) {
    em.create(Contact, {
      id: p.id,
      schoolId,
      roles: [],
      active: p.active ?? true,
      displayName: p.displayName,
      email: p.email,
      phone: p.phone,
      locale: p.locale,
      observedAt,
    });
  }
  if (rows.course) {
    em.create(CourseInfo, {
      id: rows.course.id,
      schoolId,
      title: rows.course.title,
      teacherId: rows.course.teacherId ?? randomUUID(),
      status: 'PUBLISHED',
      observedAt,
    });
    for (const e of rows.enrolled ?? []) {
      em.create(CourseEnrollment, { schoolId, courseId: rows.course.id, studentId: e.studentId, active: e.active ?? true, observedAt });
    }
  }
  for (const g of rows.guardians ?? []) em.create(GuardianLink, { schoolId, guardianId: g.guardianId, studentId: g.studentId });
  await em.flush();
}

/** The notifications of a school matching `where`, with their sealed secrets, oldest first. */
export function notificationsOf(orm: MikroORM, schoolId: string, where: Record<string, unknown> = {}): Promise<Notification[]> {
  return schoolEm(orm, schoolId).find(Notification, where, { populate: ['sealed'], orderBy: { createdAt: 'asc', id: 'asc' } });
}
