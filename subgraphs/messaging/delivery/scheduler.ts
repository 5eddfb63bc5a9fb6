import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import { periodic, type PeriodicJob } from '../../../platform/jobs';
import type { Logger } from '../../../platform/logger';
import { recordDeliveryJob } from '../notification/delivery-job';
import { DeliveryStatus, Notification } from '../notification/notification.entity';
import type { RenderedMessage } from './delivery.worker';
import { skipLocked } from '../../../platform/db/locks';
import { applyStatus } from './status';

/** Rows looked at per kind and run (oldest first); the next run takes the rest. */
const BATCH = 500;
/** Template key of a digest: its variables are `items` ({ title, body } of each item) and `count`. */
export const DIGEST_TEMPLATE = 'digest';

export interface SchedulerDeps {
  orm: MikroORM;
  logger: Logger;
  /** DELIVERY_IN_DOUBT_MS: a claim without an outcome this old gets a new job. */
  inDoubtMs: number;
  /** MESSAGING_SWEEP_INTERVAL_MS; 0 = only `run()`. */
  intervalMs: number;
  /** Renders a digest item's title when it has none stored (no secrets: digests never carry any). */
  render(em: EntityManager, notification: Notification, secrets: Record<string, string>): Promise<RenderedMessage>;
  now?: () => Date;
}

export interface RunSummary {
  queued: number;
  requeued: number;
  digests: number;
}

export interface Scheduler extends PeriodicJob {
  /** One run now (tests); resolves with what it did. Runs never overlap within a process. */
  run(): Promise<void>;
  /** Like run(), with what the run did (a call during a run waits for that run and gets its summary). */
  sweep(): Promise<RunSummary>;
}

/**
 * The messaging scheduler, every MESSAGING_SWEEP_INTERVAL_MS:
 * (a) SCHEDULED notifications (no digest) whose time has come are QUEUED with a delivery job;
 * (b) sends in doubt (claimed, no outcome, older than DELIVERY_IN_DOUBT_MS: no Twilio callback
 *     came) get a new job, and the worker makes a new attempt;
 * (c) digest items due are gathered per person and channel into one `digest` notification, sent
 *     like any other; the items are SENT with it.
 *
 * Safe with several replicas running it: (a) and (b) change each row with a conditional UPDATE
 * (`… WHERE id = ? AND status = 'SCHEDULED'`) and queue the job only when it changed one row, in
 * the same transaction (the outbox), so a row is queued once however many runs race; (c) claims a
 * person's items with `SELECT … FOR UPDATE SKIP LOCKED` and re-checks they are still SCHEDULED,
 * so an item goes into one digest. SQLite runs one transaction at a time.
 */
export function startScheduler(deps: SchedulerDeps): Scheduler {
  let last: RunSummary = { queued: 0, requeued: 0, digests: 0 };
  const work = async () => {
    last = await sweepOnce(deps);
    if (last.queued || last.requeued || last.digests) deps.logger.info(last, 'messaging scheduler run');
  };
  const job = periodic('messaging scheduler', deps.intervalMs, work, deps.logger);
  return {
    run: job.run,
    stop: job.stop,
    async sweep() {
      await job.run();
      return last;
    },
  };
}

/** Across schools (a background job): the tenant filter is lifted for the scans only; each change runs in its school's scope. */
const everySchool = { filters: { [TENANT_FILTER]: false } };

export async function sweepOnce(deps: SchedulerDeps): Promise<RunSummary> {
  const now = deps.now?.() ?? new Date();
  return {
    queued: await queueDue(deps, now),
    requeued: await requeueInDoubt(deps, now),
    digests: await sendDigests(deps, now),
  };
}

/** (a) */
async function queueDue({ orm }: SchedulerDeps, now: Date): Promise<number> {
  const due = await orm.em
    .fork()
    .find(
      Notification,
      { status: DeliveryStatus.SCHEDULED, digest: null, $or: [{ scheduledAt: null }, { scheduledAt: { $lte: now } }] },
      { ...everySchool, fields: ['id', 'schoolId', 'channel'], orderBy: { scheduledAt: 'asc', id: 'asc' }, limit: BATCH },
    );
  let queued = 0;
  for (const n of due) {
    const changed = await scopeToTenant(orm.em.fork(), n.schoolId).transactional(async (tx) => {
      const rows = await tx.nativeUpdate(Notification, { id: n.id, status: DeliveryStatus.SCHEDULED }, { status: DeliveryStatus.QUEUED });
      if (rows === 1) recordDeliveryJob(tx, n);
      return rows === 1;
    });
    if (changed) queued++;
  }
  return queued;
}

/** (b): the claim is released (no `claimedAt`), so the job's worker makes a new attempt instead of waiting again. */
async function requeueInDoubt({ orm, inDoubtMs }: SchedulerDeps, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - inDoubtMs);
  const stuck = await orm.em
    .fork()
    .find(
      Notification,
      { status: DeliveryStatus.QUEUED, claimedAt: { $lte: cutoff } },
      { ...everySchool, fields: ['id', 'schoolId', 'channel'], orderBy: { claimedAt: 'asc', id: 'asc' }, limit: BATCH },
    );
  let requeued = 0;
  for (const n of stuck) {
    const changed = await scopeToTenant(orm.em.fork(), n.schoolId).transactional(async (tx) => {
      const rows = await tx.nativeUpdate(
        Notification,
        { id: n.id, status: DeliveryStatus.QUEUED, claimedAt: { $lte: cutoff } },
        { claimedAt: null },
      );
      if (rows === 1) recordDeliveryJob(tx, n);
      return rows === 1;
    });
    if (changed) requeued++;
  }
  return requeued;
}

/** (c) */
async function sendDigests(deps: SchedulerDeps, now: Date): Promise<number> {
  const { orm, logger } = deps;
  const due = await orm.em
    .fork()
    .find(
      Notification,
      { status: DeliveryStatus.SCHEDULED, digest: { $ne: null }, scheduledAt: { $lte: now }, recipientId: { $ne: null } },
      { ...everySchool, fields: ['id', 'schoolId', 'recipientId', 'channel'], orderBy: { scheduledAt: 'asc', id: 'asc' }, limit: BATCH },
    );
  const groups = new Map<string, { schoolId: string; ids: string[] }>();
  for (const n of due) {
    const group = `${n.schoolId}/${n.recipientId}/${n.channel}`;
    if (!groups.has(group)) groups.set(group, { schoolId: n.schoolId, ids: [] });
    groups.get(group)!.ids.push(n.id);
  }
  let digests = 0;
  for (const { schoolId, ids } of groups.values()) {
    try {
      if (await sendDigest(deps, schoolId, ids, now)) digests++;
    } catch (err) {
      logger.error({ err, schoolId, items: ids.length }, 'digest failed; its items wait for the next run');
    }
  }
  return digests;
}

async function sendDigest(deps: SchedulerDeps, schoolId: string, ids: string[], now: Date): Promise<boolean> {
  return scopeToTenant(deps.orm.em.fork(), schoolId).transactional(async (tx) => {
    const items = await tx.find(
      Notification,
      { id: { $in: ids }, status: DeliveryStatus.SCHEDULED, digest: { $ne: null } },
      { ...skipLocked(tx), orderBy: { scheduledAt: 'asc', id: 'asc' } },
    );
    if (!items.length) return false;
    // The digest template lists `items` ({ title, body }, oldest first); an item's rendered text
    // is kept when it has one (in-app), else rendered now, without secrets (digests carry none).
    const entries: Array<{ title: string; body: string }> = [];
    for (const item of items) {
      const rendered = item.title && item.body ? undefined : await deps.render(tx, item, {});
      entries.push({ title: item.title ?? rendered!.subject, body: item.body ?? rendered!.text });
    }
    const head = items[0];
    const digest = tx.create(Notification, {
      schoolId,
      recipientId: head.recipientId,
      category: 'digest',
      templateKey: DIGEST_TEMPLATE,
      channel: head.channel,
      locale: head.locale,
      variables: { items: entries, count: entries.length },
      status: DeliveryStatus.QUEUED,
      // One digest per first item: a replayed run cannot make a second one for the same items.
      dedupeKey: `digest:${head.id}`,
    });
    for (const item of items) {
      applyStatus(item, DeliveryStatus.SENT, now);
      item.error = undefined;
    }
    await tx.flush();
    recordDeliveryJob(tx, digest);
    return true;
  });
}
