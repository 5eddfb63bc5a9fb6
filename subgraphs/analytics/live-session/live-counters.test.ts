import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { Redis } from 'ioredis';
import type { BusEvent, EventBus } from '../../../platform/bus/event-bus';
import { createMemoryBus } from '../../../platform/bus/memory-bus';
import { createRedisBus } from '../../../platform/bus/redis-bus';
import { openDatabase } from '../../../platform/db/orm';
import { scopeToTenant } from '../../../platform/db/tenant';
import { LiveSessionEventKind as Kind, liveSessionTopic, type LiveSessionEventData } from '../../../platform/events/live-classroom';
import { createLogger } from '../../../platform/logger';
import { deleteRedisKeys } from '../../../testkit/cleanup';
import { testDatabase } from '../../../testkit/database';
import { eventually } from '../../../testkit/eventually';
import { testServices, uniqueName } from '../../../testkit/services';
import type { Coalescer, Compute } from '../dashboard/coalescer';
import { dashboardTopics } from '../dashboard/topics';
import { analyticsDatabase } from '../database';
import { LiveCounters } from './live-counters';
import { memoryCountersStore, redisCountersStore, type LiveCountersStore } from './live-counters.store';
import { LiveSessionFact } from './live-session-fact.entity';
import { LiveSessionStats } from './live-session-stats.entity';
import { LiveSessions } from './live-sessions';

const school = randomUUID();
const [teacher, s1, s2, s3] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const [poll1, poll2] = [randomUUID(), randomUUID()];

type Data = Omit<LiveSessionEventData, 'schoolId' | 'sessionId' | 'at'>;
const poll = (id: string) => ({ id, question: 'x² = 4, x = ?', options: ['2', '-2', '±2'], closed: false });

/** A lesson: the teacher and three students, one of whom drops out and back; chat, hands, two polls. */
const FIRST_HALF: Data[] = [
  { kind: Kind.SESSION_STARTED, actorId: teacher },
  { kind: Kind.PARTICIPANT_JOINED, actorId: teacher },
  { kind: Kind.PARTICIPANT_JOINED, actorId: s1 },
  { kind: Kind.PARTICIPANT_JOINED, actorId: s2 },
  { kind: Kind.CHAT_MESSAGE, actorId: s1, text: 'Good morning' },
  { kind: Kind.HAND_RAISED, actorId: s2 },
  { kind: Kind.HAND_LOWERED, actorId: teacher, subjectId: s2 },
];
const SECOND_HALF: Data[] = [
  { kind: Kind.PARTICIPANT_JOINED, actorId: s3 },
  { kind: Kind.PARTICIPANT_LEFT, actorId: s1 },
  { kind: Kind.PARTICIPANT_JOINED, actorId: s1 },
  { kind: Kind.REACTION, actorId: s3, text: '👍' },
  { kind: Kind.HAND_RAISED, actorId: s3 },
  { kind: Kind.HAND_RAISED, actorId: s2 },
  { kind: Kind.CHAT_MESSAGE, actorId: teacher, text: 'Poll time' },
  { kind: Kind.POLL_STARTED, actorId: teacher, poll: poll(poll1) },
  { kind: Kind.POLL_RESPONSE, actorId: s2, poll: poll(poll1) },
  { kind: Kind.POLL_RESPONSE, actorId: s3, poll: poll(poll1) },
  { kind: Kind.POLL_ENDED, actorId: teacher, poll: { ...poll(poll1), counts: [1, 0, 1], closed: true } },
  { kind: Kind.POLL_STARTED, actorId: teacher, poll: poll(poll2) },
  { kind: Kind.POLL_RESPONSE, actorId: s2, poll: poll(poll2) },
  { kind: Kind.CHAT_MESSAGE, actorId: s3, text: 'Thanks' },
  { kind: Kind.PARTICIPANT_LEFT, actorId: s2 },
];
/** What the whole lesson counts to while it runs. */
const LIVE_FIGURES = {
  inRoomNow: 3, // teacher, s1, s3
  peakInRoom: 4,
  handsRaised: 3,
  chatMessages: 3,
  pollParticipation: 2 / 3, // s2 and s3 of s1, s2, s3 (the teacher started the polls)
};

const events = (data: Data[], sessionId: string, firstMs = 1_700_000_000_000): BusEvent<LiveSessionEventData>[] =>
  data.map((d, i) => ({
    id: `${firstMs + i}-0`,
    topic: liveSessionTopic(school, sessionId),
    data: { ...d, schoolId: school, sessionId, at: new Date(firstMs + i).toISOString() },
  }));

describe('live classroom counters', () => {
  it('counts people in the room, its peak, hands, chat and poll participation', () => {
    const counters = new LiveCounters();
    const stream = events([...FIRST_HALF, ...SECOND_HALF], 's');
    expect(counters.figures()).toEqual({ inRoomNow: 0, peakInRoom: 0, handsRaised: 0, chatMessages: 0, pollParticipation: null });
    for (const e of stream.slice(0, FIRST_HALF.length)) counters.apply(e);
    // No poll yet: participation is unknown, not zero.
    expect(counters.figures()).toEqual({ inRoomNow: 3, peakInRoom: 3, handsRaised: 1, chatMessages: 1, pollParticipation: null });
    for (const e of stream.slice(FIRST_HALF.length)) counters.apply(e);
    expect(counters.figures()).toEqual(LIVE_FIGURES);
    expect(counters.participants()).toBe(4);
  });

  it('counts each event once: a replay, whole or from the middle, changes nothing', () => {
    const stream = events([...FIRST_HALF, ...SECOND_HALF], 's');
    const once = new LiveCounters();
    stream.forEach((e) => once.apply(e));
    const twice = new LiveCounters();
    expect(stream.map((e) => twice.apply(e)).every(Boolean)).toBe(true);
    expect(stream.map((e) => twice.apply(e)).some(Boolean)).toBe(false);
    stream.slice(5).forEach((e) => twice.apply(e));
    expect(twice.figures()).toEqual(once.figures());
    // Resumed from the kept state (JSON, as stored) after a restart at any point: the same figures.
    for (let cut = 0; cut <= stream.length; cut++) {
      const before = new LiveCounters();
      stream.slice(0, cut).forEach((e) => before.apply(e));
      const resumed = LiveCounters.from(JSON.parse(JSON.stringify(before.state())));
      stream.forEach((e) => resumed.apply(e));
      expect(resumed.figures()).toEqual(once.figures());
    }
  });

  it('empties the room at the end of the session, keeping what was counted', () => {
    const counters = new LiveCounters();
    events([...FIRST_HALF, ...SECOND_HALF, { kind: Kind.SESSION_ENDED, actorId: teacher }], 's').forEach((e) => counters.apply(e));
    expect(counters.figures()).toEqual({ ...LIVE_FIGURES, inRoomNow: 0 });
    expect(counters.ended).toBe(true);
  });
});

/**
 * Watchers of running sessions, on the production adapters (MariaDB, Redis Streams, counters kept
 * in Redis) and the embedded ones (SQLite, in-process bus, counters in memory): a restart resumes
 * after the last event counted, the end saves the final figures.
 */
describe.each(['mysql', 'sqlite'] as const)('live session watchers (%s)', (dialect) => {
  const logger = createLogger('live-sessions-test');
  const db = testDatabase(dialect, 'analytics');
  const prefix = `${uniqueName('live')}:`;
  let orm: MikroORM;
  let bus: EventBus;
  let redis: Redis | undefined;
  let store: LiveCountersStore;
  const running: LiveSessions[] = [];
  /** What the sessions asked the coalescer to send, newest compute per topic. */
  const sent = new Map<string, Compute>();
  const coalescer: Coalescer = { changed: (topic, compute) => void sent.set(topic, compute), stop: async () => undefined };

  beforeAll(async () => {
    orm = await openDatabase({ ...analyticsDatabase, ...db.options, logger });
    if (dialect === 'mysql') {
      bus = createRedisBus({ url: testServices.redisUrl, keyPrefix: prefix, logger });
      redis = new Redis(testServices.redisUrl);
      store = redisCountersStore(redis, { keyPrefix: prefix });
    } else {
      bus = createMemoryBus();
      store = memoryCountersStore();
    }
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await bus.close();
    await redis?.quit();
    if (dialect === 'mysql') await deleteRedisKeys(prefix, testServices.redisUrl);
    await orm.close();
    await db.drop();
  });

  const em = () => scopeToTenant(orm.em.fork(), school);
  const sessions = (overrides: { store?: LiveCountersStore; endGraceMs?: number } = {}) => {
    const s = new LiveSessions({ orm, bus, store: overrides.store ?? store, coalescer, logger, endGraceMs: overrides.endGraceMs });
    running.push(s);
    return s;
  };
  async function startedSession(): Promise<LiveSessionFact> {
    const now = new Date();
    const session = em().create(LiveSessionFact, {
      schoolId: school,
      courseId: randomUUID(),
      startsAt: now,
      startsAtObservedAt: now,
      startedAt: now,
    });
    await em().persistAndFlush(session);
    return session;
  }
  const publish = async (sessionId: string, data: Data[]) => {
    for (const d of data)
      await bus.publish(liveSessionTopic(school, sessionId), { ...d, schoolId: school, sessionId, at: new Date().toISOString() });
  };
  const figuresOf = (s: LiveSessions, session: LiveSessionFact) => s.figures(school, session);

  it('counts a running session live, resumes after a restart without counting twice, and recounts the same from scratch', async () => {
    const session = await startedSession();
    await publish(session.id, FIRST_HALF);
    const first = sessions();
    first.changed(school, session.id);
    await eventually(async () => expect((await figuresOf(first, session)).chatMessages).toBe(1));
    expect(await figuresOf(first, session)).toEqual({
      inRoomNow: 3,
      peakInRoom: 3,
      handsRaised: 1,
      chatMessages: 1,
      pollParticipation: null,
    });
    // Dashboards hear of it, with the figures computed when sent.
    expect(await sent.get(dashboardTopics.session(school, session.id))!()).toMatchObject({ chatMessages: 1 });
    await eventually(async () => expect((await store.load(school, session.id))?.chatMessages).toBe(1));

    // A restart: the events published while nobody watched are counted once the next one resumes.
    await first.stop();
    await publish(session.id, SECOND_HALF);
    const second = sessions();
    await second.resume();
    await eventually(async () => expect(await figuresOf(second, session)).toEqual(LIVE_FIGURES));
    await eventually(async () => expect((await store.load(school, session.id))?.chatMessages).toBe(3));

    // Nothing kept (a new store): the whole stream counted again gives the same figures.
    const fresh = sessions({ store: memoryCountersStore() });
    expect(await figuresOf(fresh, session)).toEqual(LIVE_FIGURES);

    // A stale state written late (a slower replica) does not overwrite a further one in production.
    if (dialect === 'mysql') {
      const early = new LiveCounters();
      events(FIRST_HALF, session.id, 1).forEach((e) => early.apply(e));
      await store.save(school, session.id, early.state());
      expect((await store.load(school, session.id))?.chatMessages).toBe(3);
    }
  });

  it('saves the final figures at the end of the session and answers them once the stream is gone', async () => {
    const session = await startedSession();
    const watcher = sessions();
    watcher.changed(school, session.id);
    await publish(session.id, [...FIRST_HALF, ...SECOND_HALF, { kind: Kind.SESSION_ENDED, actorId: teacher }]);
    await eventually(async () => expect(await em().findOne(LiveSessionStats, { id: session.id })).not.toBeNull());
    const stats = (await em().findOne(LiveSessionStats, { id: session.id }))!;
    expect(stats).toMatchObject({ peakInRoom: 4, handsRaised: 3, chatMessages: 3, participants: 4 });
    expect(stats.pollParticipation).toBeCloseTo(2 / 3);
    expect(await store.load(school, session.id)).toBeUndefined();

    session.endedAt = new Date();
    const final = { ...LIVE_FIGURES, inRoomNow: 0 };
    expect(await figuresOf(watcher, session)).toEqual(final);
    expect(await sent.get(dashboardTopics.session(school, session.id))!()).toEqual(final);
    // Another process (nothing watched, nothing kept) answers the saved figures.
    expect(await figuresOf(sessions({ store: memoryCountersStore() }), session)).toEqual(final);
  });

  it("saves what it counted when the session's end is known but its stream never says so", async () => {
    const session = await startedSession();
    await publish(session.id, FIRST_HALF);
    await em().nativeUpdate(LiveSessionFact, { id: session.id }, { endedAt: new Date() });
    const watcher = sessions({ endGraceMs: 200 });
    watcher.changed(school, session.id);
    await eventually(async () =>
      expect(await em().findOne(LiveSessionStats, { id: session.id })).toMatchObject({ chatMessages: 1, peakInRoom: 3 }),
    );
  });
});
