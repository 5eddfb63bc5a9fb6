/** Test setup through the API (what the UI under test does not cover): people, enrollments, sessions. */
import { DEMO } from '../../../platform/demo';
import { gql } from '../../../testkit/graphql-client';

export async function call<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await gql<T>(url, query, { tenant: 'demo', token, variables });
  if (res.body.errors?.length || !res.body.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(res.body.errors)}`);
  return res.body.data;
}

export async function login(url: string, email: string, password: string = DEMO.password): Promise<{ token: string; id: string }> {
  const data = await call(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { id } } }', {
    e: email,
    p: password,
  });
  return { token: data.login.accessToken, id: data.login.user.id };
}

/**
 * A new student of the demo school, as an admin invites one (the invitation's token comes back to
 * the inviter, who passes it on) and the student accepts it with a password.
 */
export async function inviteStudent(
  url: string,
  adminToken: string,
  email: string,
  displayName: string,
  password: string,
): Promise<string> {
  const invited = await call(
    url,
    'mutation($input: InviteUserInput!) { inviteUser(input: $input) { token } }',
    { input: { email, displayName, roles: ['STUDENT'] } },
    adminToken,
  );
  const accepted = await call(url, 'mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { user { id } } }', {
    t: invited.inviteUser.token,
    p: password,
  });
  return accepted.acceptInvitation.user.id;
}

/** Enrolls a student (in a course not sold through plans); the courses subgraph learns of a new person through an event, so it may take a moment. */
export async function enroll(url: string, token: string, courseId: string, studentId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await gql(url, 'mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', {
      tenant: 'demo',
      token,
      variables: { c: courseId, s: studentId },
    });
    if (!res.body.errors?.length) return;
    // BAD_USER_INPUT while courses has not heard of the new person yet; anything else is final.
    if (res.body.errors[0].extensions?.code !== 'BAD_USER_INPUT' || Date.now() > deadline)
      throw new Error(`enroll: ${JSON.stringify(res.body.errors)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function scheduleSession(url: string, teacherToken: string, courseId: string, title: string): Promise<string> {
  const startsAt = new Date(Date.now() + 60_000).toISOString();
  const data = await call(
    url,
    'mutation($c: ID!, $input: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $input) { id } }',
    { c: courseId, input: { title, startsAt } },
    teacherToken,
  );
  return data.scheduleLiveSession.id;
}
