import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import { message } from '../../../platform/i18n/message';
import type { Logger } from '../../../platform/logger';
import { redisUnavailable } from '../../../platform/redis';
import { Attendance } from './attendance.entity';
import { LiveSessionStatus } from './live-session.entity';
import { roomOf, type Presence } from './presence';
import { TENANT_FILTER } from '../../../platform/db/tenant';

/** A student's stay in a LIVE session's room as the database records it (attendance). */
export interface RecordedStay {
  room: string;
  userId: string;
  /** The stay is open (joined, not left). */
  inRoom: boolean;
}

export interface RedisPresenceOptions {
  /** Prefix of every key (the deployment's REDIS_KEY_PREFIX). Default 'manassa:'. */
  keyPrefix?: string;
  /** Rooms untouched this long disappear, so a session that never ended leaves no litter. Default 86400 s. */
  ttlSeconds?: number;
  /** The database's view of who is in which room (recordedStays); unset = only this instance's own record. */
  recorded?: () => Promise<RecordedStay[]>;
  logger?: Logger;
}

interface MirrorRoom {
  members: Set<string>;
  /** User → raise time (the hands' score in Redis). */
  hands: Map<string, number>;
  touched: number;
}

/**
 * Presence in Redis, shared by every replica of the subgraph: a set of members and a sorted set
 * of raised hands (score = raise time) per room. Each write renews the room's expiry.
 *
 * Redis failing is a coded answer, and Redis losing its data is repaired:
 * - While the client is not connected, or a command fails, every call throws SERVICE_UNAVAILABLE
 *   (`service: 'redis'`) at once; nothing waits for reconnect attempts.
 * - A Redis restart with its append-only file (as deployed) keeps the rooms. One that comes back
 *   without them (no persistence, failover to a replica that lagged, a flush) is detected by a
 *   marker key that is written once and never expires: when it is gone, the rooms are written
 *   back, so nobody who had joined has to join again. What is written back: the students whose
 *   attendance stay is open (the database decides for them), and whatever else this instance
 *   had written itself (teachers and admins in the room, raised hands with their order), kept
 *   in a mirror of its successful writes. With several replicas each adds what it wrote; one that
 *   missed a leave handled by another may bring back that teacher or hand (students are always
 *   as the database says). A write-back runs when the client reconnects, and when someone is
 *   not found in a room (a flush without a reconnect).
 */
export function createRedisPresence(redis: Redis, opts: RedisPresenceOptions = {}): Presence {
  const keyPrefix = opts.keyPrefix ?? 'manassa:';
  const prefix = `${keyPrefix}presence:`;
  const ttl = opts.ttlSeconds ?? 86_400;
  const members = (room: string) => `${prefix}${room}:members`;
  const hands = (room: string) => `${prefix}${room}:hands`;
  /** Exists as long as Redis kept what was written; its value names the generation of the data. */
  const marker = `${prefix}kept`;
  const mirror = new Map<string, MirrorRoom>();
  /** The generation this instance has written its mirror into. */
  let contributed: string | null = null;
  let restoring: Promise<boolean> | undefined;
  let lastPrune = Date.now();

  const mirrorRoom = (room: string) => {
    let r = mirror.get(room);
    if (!r) mirror.set(room, (r = { members: new Set(), hands: new Map(), touched: 0 }));
    r.touched = Date.now();
    if (r.touched - lastPrune > 60_000) {
      lastPrune = r.touched;
      for (const [name, other] of mirror) if (other.touched < r.touched - ttl * 1000) mirror.delete(name);
    }
    return r;
  };

  /** Runs a command, or answers SERVICE_UNAVAILABLE when Redis cannot. */
  const call = async <T>(command: () => Promise<T>): Promise<T> => {
    if (redis.status !== 'ready') throw redisUnavailable(message('Live classroom features'));
    try {
      return await command();
    } catch (err) {
      opts.logger?.warn({ err }, 'presence: Redis command failed');
      throw redisUnavailable(message('Live classroom features'));
    }
  };

  /** Runs `first` and renews the room's expiry after it (EXPIRE on a key not yet created does nothing). */
  const thenTouch = async (room: string, first: ReturnType<Redis['multi']>) => {
    const results = (await first.expire(members(room), ttl).expire(hands(room), ttl).exec())!;
    if (results[0][0]) throw results[0][0];
    return results[0][1];
  };

  /**
   * Writes the rooms back when Redis lost them (a new generation), or adds this instance's own
   * record to a generation another replica restored. True when something was written.
   */
  const restore = (): Promise<boolean> =>
    (restoring ??= (async () => {
      const generation = await redis.get(marker);
      if (generation !== null && generation === contributed) return false;
      const lost = generation === null;
      if (!lost && mirror.size === 0) {
        contributed = generation;
        return false;
      }
      const rooms = new Map<string, { members: Set<string>; hands: Map<string, number> }>();
      for (const [room, r] of mirror) rooms.set(room, { members: new Set(r.members), hands: new Map(r.hands) });
      for (const stay of opts.recorded ? await opts.recorded() : []) {
        let r = rooms.get(stay.room);
        if (!r && stay.inRoom && lost) rooms.set(stay.room, (r = { members: new Set(), hands: new Map() }));
        if (!r) continue;
        if (stay.inRoom && lost) r.members.add(stay.userId);
        if (!stay.inRoom) {
          r.members.delete(stay.userId);
          r.hands.delete(stay.userId);
        }
      }
      // Only additions: a join or leave running meanwhile is never undone by this, and replicas
      // restoring at once add up to the same rooms.
      const write = redis.multi();
      for (const [room, r] of rooms) {
        if (r.members.size > 0) write.sadd(members(room), ...r.members);
        if (r.hands.size > 0) write.zadd(hands(room), 'NX', ...[...r.hands].flatMap(([userId, at]) => [at, userId]));
        write.expire(members(room), ttl).expire(hands(room), ttl);
      }
      // The marker last, so that a write-back that failed half-way is tried again.
      if (lost) write.set(marker, randomUUID(), 'NX');
      await write.exec();
      contributed = lost ? await redis.get(marker) : generation;
      if (lost && rooms.size > 0) opts.logger?.warn({ rooms: rooms.size }, 'presence: Redis had lost the rooms; written back');
      return rooms.size > 0;
    })().finally(() => (restoring = undefined)));

  const restoreInBackground = () =>
    void restore().catch((err: unknown) => opts.logger?.warn({ err }, 'presence: could not write the rooms back'));
  redis.on('ready', restoreInBackground);
  if (redis.status === 'ready') restoreInBackground();

  return {
    async enter(room, userId) {
      const added = await call(() => thenTouch(room, redis.multi().sadd(members(room), userId)));
      mirrorRoom(room).members.add(userId);
      return added === 1;
    },
    async leave(room, userId) {
      const results = await call(async () => (await redis.multi().zrem(hands(room), userId).srem(members(room), userId).exec())!);
      const r = mirror.get(room);
      r?.members.delete(userId);
      r?.hands.delete(userId);
      return results[1][1] === 1;
    },
    async isIn(room, userId) {
      const isIn = () => call(async () => (await redis.sismember(members(room), userId)) === 1);
      if (await isIn()) return true;
      // Not there: perhaps Redis lost the room without this client reconnecting (a flush).
      return (await call(restore)) && (await isIn());
    },
    async members(room) {
      const list = await call(() => redis.smembers(members(room)));
      if (list.length > 0 || !(await call(restore))) return list;
      return call(() => redis.smembers(members(room)));
    },
    async raiseHand(room, userId) {
      const at = Date.now();
      const raised = (await call(() => thenTouch(room, redis.multi().zadd(hands(room), 'NX', at, userId)))) === 1;
      if (raised) mirrorRoom(room).hands.set(userId, at);
      return raised;
    },
    async lowerHand(room, userId) {
      const lowered = await call(() => redis.zrem(hands(room), userId));
      mirror.get(room)?.hands.delete(userId);
      return lowered === 1;
    },
    async hands(room) {
      return call(() => redis.zrange(hands(room), 0, -1));
    },
    async clear(room) {
      // The session ended: never written back, whatever happens to the Redis call.
      mirror.delete(room);
      await call(() => redis.del(members(room), hands(room)));
    },
  };
}

/** Students in the rooms of LIVE sessions, every school at once (presence is repaired for all). */
export async function recordedStays(orm: MikroORM): Promise<RecordedStay[]> {
  const rows = await orm.em
    .fork()
    .find(
      Attendance,
      { session: { status: LiveSessionStatus.LIVE }, firstJoinedAt: { $ne: null } },
      { filters: { [TENANT_FILTER]: false }, fields: ['schoolId', 'studentId', 'joinedAt', 'session'] },
    );
  return rows.map((a) => ({ room: roomOf(a.schoolId, a.session.id), userId: a.studentId, inRoom: !!a.joinedAt }));
}
