import { DEMO } from '../../../platform/demo';
import { subgraphContextFactory } from '../../../platform/graphql/subgraph-server';
import { OutboxMessage } from '../../../platform/outbox/outbox';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { createLoaders } from '../features';
import { codes, coursesEm, coursesService, demoPeople, newMember, pair, publishedCourse, type Person } from '../../../testkit/courses';
import { Attendance } from './attendance.entity';
import { LiveSessionEventKind as Kind, liveSessionTopic, type LiveSessionEventData } from './live-event';
import { LiveSession } from './live-session.entity';
import { canWatchSession } from './live-session.policy';
import { PollVote } from './poll-vote.entity';

const SCHEDULE = 'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id status startsAt } }';
const inAMinute = () => new Date(Date.now() + 60_000).toISOString();

describe.each(['mysql', 'sqlite'] as const)('live sessions (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let early: Person;
  let late: Person;
  let absent: Person;
  let excused: Person;
  let course: { id: string };
  beforeAll(async () => {
    stack = await startStack(dialect);
    people = await demoPeople(stack);
    [early, late, absent, excused] = await Promise.all(
      ['Early Bird', 'Late Comer', 'Never There', 'Doctor Visit'].map((n) => newMember(stack, people.admin, 'STUDENT', n)),
    );
    course = await publishedCourse(people.teacher, { title: 'Live algebra', students: [early, late, absent, excused] });
  });
  afterAll(() => stack.stop());

  const events = async (schoolId: string, sessionId: string) =>
    (await stack.transport.bus.history<LiveSessionEventData>(liveSessionTopic(schoolId, sessionId))).map((e) => e.data);

  it('refuses to schedule with bad input, creating nothing', async () => {
    const { teacher, student } = people;
    const before = await coursesEm(stack).count(LiveSession, {});
    const past = await teacher.q(SCHEDULE, {
      c: course.id,
      i: { title: 'Yesterday', startsAt: new Date(Date.now() - 3600_000).toISOString() },
    });
    expect(codes(past)).toEqual(['BAD_USER_INPUT']);
    const backwards = await teacher.q(SCHEDULE, {
      c: course.id,
      i: { title: 'Backwards', startsAt: inAMinute(), endsAt: new Date().toISOString() },
    });
    expect(codes(backwards)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await teacher.q(SCHEDULE, { c: course.id, i: { title: '  ', startsAt: inAMinute() } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await student.q(SCHEDULE, { c: course.id, i: { title: 'Mine', startsAt: inAMinute() } }))).toEqual(['FORBIDDEN']);
    expect(
      codes(await teacher.q(SCHEDULE, { c: '0b8f5a2e-0000-4000-8000-00000000beef', i: { title: 'Lost', startsAt: inAMinute() } })),
    ).toEqual(['NOT_FOUND']);
    expect(await coursesEm(stack).count(LiveSession, {})).toBe(before);
  });

  it('records attendance: PRESENT, LATE after the grace period, stays added up, ABSENT at the end, EXCUSED kept', async () => {
    const { teacher } = people;
    const scheduled = await teacher.ok(SCHEDULE, { c: course.id, i: { title: 'Equations live', startsAt: inAMinute() } });
    const id = scheduled.scheduleLiveSession.id;
    expect(codes(await early.q('mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id }))).toEqual(['CONFLICT']); // not started
    await teacher.ok('mutation($id: ID!, $s: ID!) { excuseAttendance(sessionId: $id, studentId: $s) { status } }', { id, s: excused.id });
    const started = await teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { status startedAt } }', { id });
    expect(started.startLiveSession.status).toBe('LIVE');

    const join = 'mutation($id: ID!) { joinLiveSession(id: $id) { status participants { displayName } } }';
    await early.ok(join, { id });
    await early.ok(join, { id }); // a second join while in the room changes nothing
    // Move the session's start 10 minutes back: the next first join is past the 5-minute grace period.
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await coursesEm(stack).nativeUpdate(LiveSession, { id }, { startsAt: tenMinutesAgo, startedAt: tenMinutesAgo });
    const joined = await late.ok(join, { id });
    expect(joined.joinLiveSession.participants.map((p: { displayName: string }) => p.displayName).sort()).toEqual([
      'Early Bird',
      'Late Comer',
    ]);
    await excused.ok(join, { id });

    // The early student has been in the room two minutes; leaving adds that stay.
    await coursesEm(stack).nativeUpdate(Attendance, { session: id, studentId: early.id }, { joinedAt: new Date(Date.now() - 120_000) });
    await early.ok('mutation($id: ID!) { leaveLiveSession(id: $id) { id } }', { id });
    await early.ok('mutation($id: ID!) { leaveLiveSession(id: $id) { id } }', { id });

    const ended = await teacher.ok(
      'mutation($id: ID!) { endLiveSession(id: $id) { status endedAt participants { id } attendance { student { displayName } status firstJoinedAt totalSeconds } } }',
      { id },
    );
    expect(ended.endLiveSession.status).toBe('ENDED');
    expect(ended.endLiveSession.participants).toEqual([]);
    const byName = Object.fromEntries(
      ended.endLiveSession.attendance.map((a: { student: { displayName: string } }) => [a.student.displayName, a]),
    );
    expect(byName['Early Bird']).toMatchObject({ status: 'PRESENT', firstJoinedAt: expect.any(String) });
    expect(byName['Early Bird'].totalSeconds).toBeGreaterThanOrEqual(120);
    expect(byName['Late Comer']).toMatchObject({ status: 'LATE', firstJoinedAt: expect.any(String) });
    expect(byName['Never There']).toEqual({
      student: { displayName: 'Never There' },
      status: 'ABSENT',
      firstJoinedAt: null,
      totalSeconds: 0,
    });
    expect(byName['Doctor Visit']).toMatchObject({ status: 'EXCUSED', firstJoinedAt: expect.any(String) });

    const outbox = await coursesService(stack)
      .orm()
      .em.fork()
      .find(OutboxMessage, { type: { $in: ['live.session.started', 'live.session.ended', 'live.attendance'] } });
    const attendanceEvents = outbox
      .filter((m) => m.type === 'live.attendance' && JSON.parse(m.payload).sessionId === id)
      .map((m) => JSON.parse(m.payload));
    expect(attendanceEvents.map((p) => [p.studentId, p.status]).sort()).toEqual(
      [
        [early.id, 'PRESENT'],
        [late.id, 'LATE'],
        [absent.id, 'ABSENT'],
        [excused.id, 'EXCUSED'],
      ].sort(),
    );
    const again = await teacher.ok('mutation($id: ID!) { endLiveSession(id: $id) { status } }', { id });
    expect(again.endLiveSession.status).toBe('ENDED');
    expect(codes(await early.q(join, { id }))).toEqual(['CONFLICT']);
  });

  describe('in the room', () => {
    let id: string;
    beforeAll(async () => {
      const scheduled = await people.teacher.ok(SCHEDULE, { c: course.id, i: { title: 'Polls and hands', startsAt: inAMinute() } });
      id = scheduled.scheduleLiveSession.id;
      await people.teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { id } }', { id });
      for (const p of [people.teacher, early, late]) await p.ok('mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id });
    });

    it('chats, raises and lowers hands, each answered with the live event', async () => {
      const chat = await early.ok(
        'mutation($id: ID!) { sendLiveChat(sessionId: $id, text: " Hello, class ") { id kind text at actor { displayName } session { id } } }',
        { id },
      );
      expect(chat.sendLiveChat).toMatchObject({
        kind: 'CHAT_MESSAGE',
        text: 'Hello, class',
        actor: { displayName: 'Early Bird' },
        session: { id },
      });
      expect(chat.sendLiveChat.id).toMatch(/^\d+-\d+$/);
      expect(codes(await early.q('mutation($id: ID!) { sendLiveChat(sessionId: $id, text: "   ") { id } }', { id }))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(
        codes(
          await early.q('mutation($id: ID!, $t: String!) { sendLiveChat(sessionId: $id, text: $t) { id } }', { id, t: 'x'.repeat(1001) }),
        ),
      ).toEqual(['BAD_USER_INPUT']);
      expect(codes(await absent.q('mutation($id: ID!) { sendLiveChat(sessionId: $id, text: "hi") { id } }', { id }))).toEqual(['CONFLICT']); // not in the room
      expect(codes(await people.parent.q('mutation($id: ID!) { sendLiveChat(sessionId: $id, text: "hi") { id } }', { id }))).toEqual([
        'FORBIDDEN',
      ]);
      const reaction = await late.ok('mutation($id: ID!) { sendReaction(sessionId: $id, emoji: "👍🏽") { kind text } }', { id });
      expect(reaction.sendReaction).toEqual({ kind: 'REACTION', text: '👍🏽' });
      expect(codes(await late.q('mutation($id: ID!) { sendReaction(sessionId: $id, emoji: "nice") { id } }', { id }))).toEqual([
        'BAD_USER_INPUT',
      ]);

      await early.ok('mutation($id: ID!) { raiseHand(sessionId: $id) { kind } }', { id });
      await late.ok('mutation($id: ID!) { raiseHand(sessionId: $id) { kind } }', { id });
      expect(codes(await early.q('mutation($id: ID!) { raiseHand(sessionId: $id) { kind } }', { id }))).toEqual(['CONFLICT']);
      const hands = await people.teacher.ok('query($id: ID!) { liveSession(id: $id) { raisedHands { displayName } } }', { id });
      expect(hands.liveSession.raisedHands.map((u: { displayName: string }) => u.displayName)).toEqual(['Early Bird', 'Late Comer']);
      expect(
        codes(await early.q('mutation($id: ID!, $u: ID!) { lowerHand(sessionId: $id, userId: $u) { kind } }', { id, u: late.id })),
      ).toEqual(['FORBIDDEN']);
      const lowered = await people.teacher.ok(
        'mutation($id: ID!, $u: ID!) { lowerHand(sessionId: $id, userId: $u) { kind actor { id } subject { displayName } } }',
        { id, u: early.id },
      );
      expect(lowered.lowerHand).toEqual({ kind: 'HAND_LOWERED', actor: { id: people.teacher.id }, subject: { displayName: 'Early Bird' } });
      await late.ok('mutation($id: ID!) { lowerHand(sessionId: $id) { kind } }', { id });
      expect(codes(await late.q('mutation($id: ID!) { lowerHand(sessionId: $id) { kind } }', { id }))).toEqual(['CONFLICT']);
    });

    it('runs a poll: one vote per student, options in range, counts hidden from students until it ends', async () => {
      const { teacher } = people;
      const started = await teacher.ok(
        'mutation($id: ID!) { startPoll(sessionId: $id, question: "Ready?", options: ["Yes", "No", "Almost"]) { id closed counts } }',
        { id },
      );
      const pollId = started.startPoll.id;
      expect(started.startPoll).toEqual({ id: pollId, closed: false, counts: [0, 0, 0] });
      expect(
        codes(await early.q('mutation($id: ID!) { startPoll(sessionId: $id, question: "Mine?", options: ["a", "b"]) { id } }', { id })),
      ).toEqual(['FORBIDDEN']);
      expect(
        codes(await teacher.q('mutation($id: ID!) { startPoll(sessionId: $id, question: "One?", options: ["a"]) { id } }', { id })),
      ).toEqual(['BAD_USER_INPUT']);

      const vote = 'mutation($p: ID!, $o: Int!) { votePoll(pollId: $p, option: $o) { myVote counts closed } }';
      expect((await early.ok(vote, { p: pollId, o: 0 })).votePoll).toEqual({ myVote: 0, counts: null, closed: false });
      expect(codes(await early.q(vote, { p: pollId, o: 1 }))).toEqual(['CONFLICT']);
      expect(codes(await late.q(vote, { p: pollId, o: 3 }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await late.q(vote, { p: pollId, o: -1 }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await teacher.q(vote, { p: pollId, o: 0 }))).toEqual(['FORBIDDEN']);
      expect(codes(await late.q(vote, { p: '0b8f5a2e-0000-4000-8000-00000000beef', o: 0 }))).toEqual(['NOT_FOUND']);
      await late.ok(vote, { p: pollId, o: 2 });
      expect(await coursesEm(stack).count(PollVote, { poll: pollId })).toBe(2);

      const ended = await teacher.ok('mutation($p: ID!) { endPoll(pollId: $p) { closed counts } }', { p: pollId });
      expect(ended.endPoll).toEqual({ closed: true, counts: [1, 0, 1] });
      const seen = await late.ok('query($id: ID!) { liveSession(id: $id) { polls { question counts myVote } } }', { id });
      expect(seen.liveSession.polls).toEqual([{ question: 'Ready?', counts: [1, 0, 1], myVote: 2 }]);
      expect(codes(await absent.q(vote, { p: pollId, o: 0 }))).toEqual(['CONFLICT']);
    });

    it('writes each action to the session stream in the live-event format, in order', async () => {
      const written = await events(DEMO.schools.demo.id, id);
      expect(written.every((e) => e.schoolId === DEMO.schools.demo.id && e.sessionId === id && !Number.isNaN(Date.parse(e.at)))).toBe(true);
      expect(written.map((e) => e.kind)).toEqual([
        Kind.SESSION_STARTED,
        Kind.PARTICIPANT_JOINED,
        Kind.PARTICIPANT_JOINED,
        Kind.PARTICIPANT_JOINED,
        Kind.CHAT_MESSAGE,
        Kind.REACTION,
        Kind.HAND_RAISED,
        Kind.HAND_RAISED,
        Kind.HAND_LOWERED,
        Kind.HAND_LOWERED,
        Kind.POLL_STARTED,
        Kind.POLL_RESPONSE,
        Kind.POLL_RESPONSE,
        Kind.POLL_ENDED,
      ]);
      expect(written.find((e) => e.kind === Kind.POLL_RESPONSE)!.poll).toEqual({
        id: expect.any(String),
        question: 'Ready?',
        options: ['Yes', 'No', 'Almost'],
        closed: false,
      });
      expect(written.find((e) => e.kind === Kind.POLL_ENDED)!.poll!.counts).toEqual([1, 0, 1]);
      expect(written.find((e) => e.kind === Kind.CHAT_MESSAGE)).toMatchObject({ actorId: early.id, text: 'Hello, class' });
    });

    it('lets the teacher, admins, enrolled students and their guardians watch, and nobody else', async () => {
      const parentOfEarly = await newMember(stack, people.admin, 'PARENT', 'Parent Early');
      await pair(early, parentOfEarly);
      const ctxFor = (
        user: Person | undefined,
        roles: string[],
        tenant: { id: string; slug: string } = { id: DEMO.schools.demo.id, slug: 'demo' },
      ) =>
        subgraphContextFactory({ orm: coursesService(stack).orm(), createLoaders })({
          tenant,
          user: user && { id: user.id, roles },
          requestId: 'test',
        });
      const watch = (user: Person | undefined, roles: string[], tenant?: { id: string; slug: string }) =>
        canWatchSession(ctxFor(user, roles, tenant), id);
      expect(await watch(people.teacher, ['TEACHER'])).toBe(true);
      expect(await watch(people.admin, ['SCHOOL_ADMIN'])).toBe(true);
      expect(await watch(early, ['STUDENT'])).toBe(true);
      // The link arrives from users as a domain event.
      await eventually(async () => expect(await watch(parentOfEarly, ['PARENT'])).toBe(true));
      expect(await watch(people.student, ['STUDENT'])).toBe(false); // not enrolled in this course
      expect(await watch(people.parent, ['PARENT'])).toBe(false); // their child is not enrolled here
      expect(await watch(undefined, [])).toBe(false);
      expect(await watch(people.nileAdmin, ['SCHOOL_ADMIN'], { id: DEMO.schools.nile.id, slug: 'nile' })).toBe(false);
    });
  });
});
