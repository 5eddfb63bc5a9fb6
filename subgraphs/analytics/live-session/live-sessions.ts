import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { BusEvent, EventBus, Unsubscribe } from '../../../platform/bus/event-bus';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import { LiveSessionEventKind, liveSessionTopic, type LiveSessionEventData } from '../../../platform/events/live-classroom';
import { message } from '../../../platform/i18n/message';
import type { Logger } from '../../../platform/logger';
import { redisUnavailable } from '../../../platform/redis';
import type { Coalescer } from '../dashboard/coalescer';
import { dashboardTopics } from '../dashboard/topics';
import { LiveCounters, noFigures } from './live-counters';
import type { LiveCountersStore } from './live-counters.store';
import { LiveSessionFact } from './live-session-fact.entity';
import { LiveSessionStats } from './live-session-stats.entity';
import { LiveSessionAnalytics } from './live-session-analytics.type';

export interface LiveSessionsOptions {
  orm: MikroORM;
  bus: EventBus;
  store: LiveCountersStore;
  coalescer: Coalescer;
  logger: Logger;
  /**
   * How long after analytics hears that a session ended (`live.session.ended`) its watcher waits
   * for the SESSION_ENDED classroom event before it saves the figures as they are (a stream that
   * lost its end). Default 30000 ms.
   */
  endGraceMs?: number;
  /** How long a query waits for a watcher it just started to catch up with the stream. Default 2000 ms. */
  catchUpWaitMs?: number;
  /** How far back start-up looks for ended sessions whose final figures were never saved. Default 2 days. */
  recentEndMs?: number;
}

/** One running session's counting. */
interface Watch {
  schoolId: string;
  sessionId: string;
  counters: LiveCounters;
  /** Settles once the stream as it was at the start has been counted. */
  ready: Promise<void>;
  unsubscribe?: Unsubscribe;
  /** Set once the end is known without the SESSION_ENDED event seen yet. */
  grace?: NodeJS.Timeout;
  saving?: Promise<void>;
  /** Counted events not saved yet. */
  dirty: boolean;
  closed: boolean;
  finishing?: Promise<void>;
}

/**
 * The live classroom figures (`LiveSession.analytics`, `Subscription.liveSessionAnalytics`): a
 * watcher per running session counts its classroom stream (courses' bus topic, read-only here)
 * into LiveCounters and sends the figures through the dashboards' coalescer.
 *
 * - Started when a session's facts say it started and has not ended (the consumers' change of a
 *   `sessionId`), for every such session at start-up, and by a query of a running session this
 *   process does not watch yet (another replica had the start event).
 * - The counters are kept with their last event id (LiveCountersStore: Redis in production) and
 *   a watcher resumes after it, so a restart's replay counts nothing twice.
 * - At SESSION_ENDED (or, failing it, a while after `live.session.ended`) the final figures are
 *   saved (LiveSessionStats), the kept counters dropped and the watcher stopped.
 */
export class LiveSessions {
  private readonly watches = new Map<string, Watch>();
  private readonly reacting = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly opts: LiveSessionsOptions) {}

  /** A session's facts changed (a consumer committed them); never throws. */
  changed = (schoolId: string, sessionId: string): void => {
    const reaction = this.react(schoolId, sessionId)
      .catch((err: unknown) => this.opts.logger.warn({ err, schoolId, sessionId }, 'could not follow a live session'))
      .finally(() => this.reacting.delete(reaction));
    this.reacting.add(reaction);
  };

  /**
   * Start-up: watches every session that is running, and every one ended lately whose final
   * figures were never saved (a stop between its end and their saving).
   */
  async resume(): Promise<void> {
    const em = this.opts.orm.em.fork();
    const every = { filters: { [TENANT_FILTER]: false } };
    const running = await em.find(LiveSessionFact, { startedAt: { $ne: null }, endedAt: null, canceledAt: null }, every);
    for (const s of running) this.watch(s.schoolId, s.id);
    const since = new Date(Date.now() - (this.opts.recentEndMs ?? 2 * 86_400_000));
    const ended = await em.find(LiveSessionFact, { startedAt: { $ne: null }, endedAt: { $gte: since }, canceledAt: null }, every);
    if (ended.length === 0) return;
    const saved = new Set(
      (await em.find(LiveSessionStats, { id: { $in: ended.map((s) => s.id) } }, { ...every, fields: ['id'] })).map((s) => s.id),
    );
    for (const s of ended.filter((e) => !saved.has(e.id))) this.ending(this.watch(s.schoolId, s.id));
  }

  /** A session's figures now: its watcher's, else the saved final ones, else the kept counters, else zeros. */
  async figures(schoolId: string, session: LiveSessionFact | null, stats?: LiveSessionStats | null): Promise<LiveSessionAnalytics> {
    if (!session) return noFigures();
    let watch = this.watches.get(key(schoolId, session.id));
    if (!watch && !stats && session.startedAt && !session.endedAt && !session.canceledAt && !this.stopped)
      watch = this.watch(schoolId, session.id);
    if (watch) {
      await within(watch.ready, this.opts.catchUpWaitMs ?? 2000);
      return watch.counters.figures();
    }
    return this.stored(schoolId, session.id, stats);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.reacting]);
    await Promise.all(
      [...this.watches.values()].map(async (w) => {
        w.closed = true;
        clearTimeout(w.grace);
        // A subscription still waiting for the bus unsubscribes itself once it settles (closed).
        await within(w.ready, 1000);
        await w.unsubscribe?.().catch(() => undefined);
        await w.saving;
        await w.finishing;
      }),
    );
    this.watches.clear();
  }

  private async react(schoolId: string, sessionId: string): Promise<void> {
    if (this.stopped) return;
    const em = this.em(schoolId);
    const session = await em.findOne(LiveSessionFact, { id: sessionId });
    if (!session?.startedAt || session.canceledAt || this.stopped) return;
    if (!session.endedAt) {
      this.watch(schoolId, sessionId);
      return;
    }
    if ((await em.count(LiveSessionStats, { id: sessionId })) || this.stopped) return;
    // Ended: count what is left of its stream (this process may not have watched it) until its end event.
    this.ending(this.watch(schoolId, sessionId));
  }

  private watch(schoolId: string, sessionId: string): Watch {
    const existing = this.watches.get(key(schoolId, sessionId));
    if (existing) return existing;
    const w: Watch = { schoolId, sessionId, counters: new LiveCounters(), ready: Promise.resolve(), dirty: false, closed: false };
    this.watches.set(key(schoolId, sessionId), w);
    w.ready = (async () => {
      const kept = await this.opts.store.load(schoolId, sessionId).catch((err: unknown) => {
        // The stream is the truth: counting it from its start again gives the same figures.
        this.opts.logger.warn({ err, schoolId, sessionId }, 'could not read the kept live counters; counting the stream again');
        return undefined;
      });
      if (kept) w.counters = LiveCounters.from(kept);
      const unsubscribe = await this.opts.bus.subscribe<LiveSessionEventData>(
        liveSessionTopic(schoolId, sessionId),
        (event) => this.count(w, event),
        { after: w.counters.lastEventId },
      );
      if (w.closed) await unsubscribe();
      else w.unsubscribe = unsubscribe;
      if (w.counters.ended) void this.finish(w);
    })();
    w.ready.catch((err: unknown) => {
      this.opts.logger.warn({ err, schoolId, sessionId }, 'could not follow a live session');
      if (this.watches.get(key(schoolId, sessionId)) === w) this.watches.delete(key(schoolId, sessionId));
    });
    return w;
  }

  private count(w: Watch, event: BusEvent<LiveSessionEventData>): void {
    if (w.closed || !w.counters.apply(event)) return;
    this.save(w);
    this.publish(w.schoolId, w.sessionId);
    if (event.data.kind === LiveSessionEventKind.SESSION_ENDED) void this.finish(w);
  }

  /** Keeps the counters, one write at a time, the newest state each time. */
  private save(w: Watch): void {
    w.dirty = true;
    if (w.saving) return;
    w.saving = (async () => {
      while (w.dirty) {
        w.dirty = false;
        try {
          await this.opts.store.save(w.schoolId, w.sessionId, w.counters.state());
        } catch (err) {
          // The next event saves again; until then a restart recounts a little more of the stream.
          this.opts.logger.warn({ err, sessionId: w.sessionId }, 'could not keep the live counters');
          break;
        }
      }
      w.saving = undefined;
    })();
  }

  private ending(w: Watch): void {
    if (w.grace || w.finishing || this.stopped) return;
    w.grace = setTimeout(() => void this.finish(w), this.opts.endGraceMs ?? 30_000);
  }

  /** Saves the final figures and stops the watcher, once. */
  private finish(w: Watch): Promise<void> {
    w.finishing ??= (async () => {
      w.closed = true;
      clearTimeout(w.grace);
      await w.ready.catch(() => undefined);
      await w.unsubscribe?.();
      await w.saving;
      if (this.stopped) return;
      const { schoolId, sessionId, counters } = w;
      const figures = counters.figures();
      await this.em(schoolId).upsert(LiveSessionStats, {
        id: sessionId,
        schoolId,
        peakInRoom: figures.peakInRoom,
        handsRaised: figures.handsRaised,
        chatMessages: figures.chatMessages,
        pollParticipation: figures.pollParticipation ?? null,
        participants: counters.participants(),
        lastEventId: counters.lastEventId,
        computedAt: new Date(),
      });
      if (this.watches.get(key(schoolId, sessionId)) === w) this.watches.delete(key(schoolId, sessionId));
      await this.opts.store.remove(schoolId, sessionId);
      this.publish(schoolId, sessionId);
    })().catch((err: unknown) => {
      this.opts.logger.warn({ err, sessionId: w.sessionId }, "could not save a live session's final figures");
      if (this.watches.get(key(w.schoolId, w.sessionId)) === w) this.watches.delete(key(w.schoolId, w.sessionId));
    });
    return w.finishing;
  }

  private publish(schoolId: string, sessionId: string): void {
    this.opts.coalescer.changed(dashboardTopics.session(schoolId, sessionId), () => this.current(schoolId, sessionId));
  }

  /** What a dashboard update sends: computed when it is sent. */
  private async current(schoolId: string, sessionId: string): Promise<LiveSessionAnalytics> {
    const watch = this.watches.get(key(schoolId, sessionId));
    return watch ? watch.counters.figures() : this.stored(schoolId, sessionId);
  }

  private async stored(schoolId: string, sessionId: string, stats?: LiveSessionStats | null): Promise<LiveSessionAnalytics> {
    const final = stats ?? (await this.em(schoolId).findOne(LiveSessionStats, { id: sessionId }));
    if (final) return finalFigures(final);
    const kept = await this.opts.store.load(schoolId, sessionId).catch((err: unknown) => {
      this.opts.logger.warn({ err, sessionId }, 'could not read the kept live counters');
      throw redisUnavailable(message('Live classroom features'));
    });
    return kept ? LiveCounters.from(kept).figures() : noFigures();
  }

  private em(schoolId: string): EntityManager {
    return scopeToTenant(this.opts.orm.em.fork(), schoolId);
  }
}

const key = (schoolId: string, sessionId: string) => `${schoolId}:${sessionId}`;

/** An ended session's saved figures: nobody is in its room any more. */
function finalFigures(stats: LiveSessionStats): LiveSessionAnalytics {
  return Object.assign(new LiveSessionAnalytics(), {
    inRoomNow: 0,
    peakInRoom: stats.peakInRoom,
    handsRaised: stats.handsRaised,
    chatMessages: stats.chatMessages,
    pollParticipation: stats.pollParticipation ?? null,
  });
}

/** Waits for `promise` at most `ms`; its failure is someone else's to report. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
