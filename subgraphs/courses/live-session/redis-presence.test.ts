import { Redis } from 'ioredis';
import { codes, demoPeople, publishedCourse, type Person } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { startRedisServer, type OwnRedis } from '../../../testkit/redis-server';
import { startStack, type Stack } from '../../../testkit/stack';

const ROOM = 'query($id: ID!) { liveSession(id: $id) { participants { id } raisedHands { id } } }';
const CHAT = 'mutation($id: ID!, $t: String!) { sendLiveChat(sessionId: $id, text: $t) { id } }';

/**
 * Live-room presence through Redis failures, on a redis-server of this test's own without
 * persistence (a restart loses every room, the worst case): while Redis is down the room
 * answers SERVICE_UNAVAILABLE naming Redis; once it is back nobody has to join again.
 */
describe('live-room presence across Redis losing its data', () => {
  let redis: OwnRedis;
  let stack: Stack;
  let teacher: Person;
  let student: Person;
  let id: string;

  beforeAll(async () => {
    redis = await startRedisServer({ persist: false });
    stack = await startStack('mysql', { REDIS_URL: redis.url });
    ({ teacher, student } = await demoPeople(stack));
    const course = await publishedCourse(teacher, { title: 'Presence', students: [student] });
    const { scheduleLiveSession } = await teacher.ok(
      'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
      { c: course.id, i: { title: 'Kept rooms', startsAt: new Date(Date.now() + 60_000).toISOString() } },
    );
    id = scheduleLiveSession.id;
    await teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { id } }', { id });
    for (const p of [teacher, student]) await p.ok('mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id });
    await student.ok('mutation($id: ID!) { raiseHand(sessionId: $id) { id } }', { id });
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.close();
  });

  const room = async () => {
    const { liveSession } = await teacher.ok(ROOM, { id });
    return {
      participants: liveSession.participants.map((p: { id: string }) => p.id).sort(),
      hands: liveSession.raisedHands.map((p: { id: string }) => p.id),
    };
  };

  it('answers SERVICE_UNAVAILABLE while Redis is down, and keeps everyone in the room after it restarts empty', async () => {
    const before = await room();
    expect(before).toEqual({ participants: [teacher.id, student.id].sort(), hands: [student.id] });

    await redis.stop({ kill: true });
    for (const r of [await student.q(CHAT, { id, t: 'anyone?' }), await teacher.q(ROOM, { id })]) {
      expect(r.status).toBe(200);
      expect(codes(r)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(r.body.errors![0].extensions).toMatchObject({ service: 'redis' });
    }

    await redis.start();
    // No join again: the student from the attendance record, the teacher and the hand from
    // what the subgraph had written; the first calls may still find the client reconnecting.
    await eventually(() => student.ok(CHAT, { id, t: 'still here' }));
    await teacher.ok(CHAT, { id, t: 'me too' });
    expect(await room()).toEqual(before);
  });

  it('writes the rooms back after a flush that no reconnect revealed', async () => {
    const admin = new Redis(redis.url);
    await admin.flushall();
    await admin.quit();
    await student.ok(CHAT, { id, t: 'after the flush' });
    expect(await room()).toEqual({ participants: [teacher.id, student.id].sort(), hands: [student.id] });
  });

  it('still follows leaves and ends', async () => {
    await student.ok('mutation($id: ID!) { leaveLiveSession(id: $id) { id } }', { id });
    expect(codes(await student.q(CHAT, { id, t: 'gone' }))).toEqual(['CONFLICT']);
    expect((await room()).participants).toEqual([teacher.id]);
  });
});
