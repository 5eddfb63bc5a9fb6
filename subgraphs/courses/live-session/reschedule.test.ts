import { startStack, type Stack } from '../../../testkit/stack';
import { codes, coursesEvents, demoPeople, newMember, publishedCourse, type Person } from '../../../testkit/courses';

const SCHEDULE = `mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) {
  id title status startsAt endsAt } }`;
const RESCHEDULE = `mutation($id: ID!, $startsAt: DateTime!, $endsAt: DateTime) {
  rescheduleLiveSession(id: $id, startsAt: $startsAt, endsAt: $endsAt) { id status startsAt endsAt } }`;
const RESCHEDULE_KEEPING_END = `mutation($id: ID!, $startsAt: DateTime!) {
  rescheduleLiveSession(id: $id, startsAt: $startsAt) { id status startsAt endsAt } }`;
const CANCEL = 'mutation($id: ID!, $reason: String) { cancelLiveSession(id: $id, reason: $reason) { id status canceledAt cancelReason } }';

/** Minutes from when this file was loaded (one fixed origin, so that expected and given times agree). */
const origin = Math.floor(Date.now() / 1000) * 1000;
const at = (minutes: number) => new Date(origin + minutes * 60_000).toISOString();

describe.each(['mysql', 'sqlite'] as const)('rescheduling and canceling live sessions (%s)', (dialect) => {
  let stack: Stack;
  let teacher: Person;
  let student: Person;
  let course: { id: string };
  beforeAll(async () => {
    stack = await startStack(dialect);
    const people = await demoPeople(stack);
    teacher = people.teacher;
    student = await newMember(stack, people.admin, 'STUDENT', 'Session Watcher');
    course = await publishedCourse(teacher, { title: 'Moving classes', students: [student] });
  });
  afterAll(() => stack.stop());

  const schedule = async (title: string, startsAt: string, endsAt?: string) =>
    (await teacher.ok(SCHEDULE, { c: course.id, i: { title, startsAt, endsAt } })).scheduleLiveSession;

  it('moves a scheduled session, keeping its planned duration unless told otherwise, and records the move', async () => {
    const session = await schedule('Algebra', at(60), at(105));
    const { rescheduleLiveSession: moved } = await teacher.ok(RESCHEDULE_KEEPING_END, { id: session.id, startsAt: at(120) });
    expect(moved).toEqual({ id: session.id, status: 'SCHEDULED', startsAt: at(120), endsAt: at(165) });
    const { rescheduleLiveSession: again } = await teacher.ok(RESCHEDULE, { id: session.id, startsAt: at(180), endsAt: at(240) });
    expect(again).toMatchObject({ startsAt: at(180), endsAt: at(240) });
    const { rescheduleLiveSession: open } = await teacher.ok(RESCHEDULE, { id: session.id, startsAt: at(200), endsAt: null });
    expect(open).toMatchObject({ startsAt: at(200), endsAt: null });

    expect(codes(await teacher.q(RESCHEDULE, { id: session.id, startsAt: at(-5) }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await teacher.q(RESCHEDULE, { id: session.id, startsAt: at(60), endsAt: at(30) }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await student.q(RESCHEDULE, { id: session.id, startsAt: at(60) }))).toEqual(['FORBIDDEN']);

    const events = (await coursesEvents(stack, 'live.session.rescheduled')).filter((e) => e.sessionId === session.id);
    expect(events[0]).toEqual({
      sessionId: session.id,
      courseId: course.id,
      title: 'Algebra',
      startsAt: at(120),
      endsAt: at(165),
      previousStartsAt: at(60),
      previousEndsAt: at(105),
    });
    expect(events).toHaveLength(3);
    expect(events[2]).not.toHaveProperty('endsAt');
  });

  it('cancels a scheduled session with its reason: it can no longer be started, joined or moved', async () => {
    const session = await schedule('Geometry', at(30));
    expect(codes(await student.q(CANCEL, { id: session.id }))).toEqual(['FORBIDDEN']);
    const { cancelLiveSession: canceled } = await teacher.ok(CANCEL, { id: session.id, reason: '  Teacher is ill  ' });
    expect(canceled).toMatchObject({ status: 'CANCELED', cancelReason: 'Teacher is ill', canceledAt: expect.any(String) });
    // Canceling again changes nothing.
    expect((await teacher.ok(CANCEL, { id: session.id, reason: 'Other' })).cancelLiveSession).toEqual(canceled);

    expect(codes(await teacher.q('mutation($id: ID!) { startLiveSession(id: $id) { id } }', { id: session.id }))).toEqual(['CONFLICT']);
    expect(codes(await student.q('mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id: session.id }))).toEqual(['CONFLICT']);
    expect(codes(await teacher.q(RESCHEDULE, { id: session.id, startsAt: at(60) }))).toEqual(['CONFLICT']);

    const sessions = `query($c: ID!) { course(id: $c) {
      upcoming: liveSessions(upcoming: true) { id } past: liveSessions(upcoming: false) { id status cancelReason } } }`;
    const seen = (await student.ok(sessions, { c: course.id })).course;
    expect(seen.upcoming.map((s: { id: string }) => s.id)).not.toContain(session.id);
    expect(seen.past).toContainEqual({ id: session.id, status: 'CANCELED', cancelReason: 'Teacher is ill' });

    expect((await coursesEvents(stack, 'live.session.canceled')).filter((e) => e.sessionId === session.id)).toEqual([
      {
        sessionId: session.id,
        courseId: course.id,
        title: 'Geometry',
        startsAt: at(30),
        reason: 'Teacher is ill',
        canceledAt: canceled.canceledAt,
      },
    ]);
  });

  it('ends a live session rather than canceling or moving it', async () => {
    const session = await schedule('Live now', at(5));
    await teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { id } }', { id: session.id });
    expect(codes(await teacher.q(CANCEL, { id: session.id }))).toEqual(['CONFLICT']);
    expect(codes(await teacher.q(RESCHEDULE, { id: session.id, startsAt: at(60) }))).toEqual(['CONFLICT']);
    await teacher.ok('mutation($id: ID!) { endLiveSession(id: $id) { id } }', { id: session.id });
    expect(codes(await teacher.q(CANCEL, { id: session.id }))).toEqual(['CONFLICT']);
  });
});
