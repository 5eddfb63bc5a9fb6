import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayService, type GatewayService } from './app';
import { gatewayConfigFromEnv } from './env';
import { DEMO } from '../platform/demo';
import { Course } from '../subgraphs/courses/course/course.entity';
import { coursesEm, demoPeople, publishedCourse, type Person } from '../testkit/courses';
import { eventually } from '../testkit/eventually';
import { gql, request } from '../testkit/graphql-client';
import { startStack, type Stack } from '../testkit/stack';
import { connectClient, subscribe, wsUrlOf, type TestClient } from '../testkit/subscriptions/ws-clients';

const ALIASES = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: school { name }`).join(' ')} }`;
const DEEP = `{ me { ${'children { '.repeat(12)}id${' }'.repeat(12)} } }`;
const DIRECTIVES = `{ school { ${'name @skip(if: false) '.repeat(51)}} }`;
const COSTLY = '{ courses(first: 100) { edges { node { enrollments(first: 100) { edges { node { id } } } } } } }';
const TOKENS = `{ school { ${'name '.repeat(2100)}} }`;

/** The operation limits, as HTTP and subscription clients see them: code, limit, and what was found. */
const LIMITS: Array<[string, string, { code: string; limit: number; found?: number }]> = [
  ['too many aliases', ALIASES, { code: 'MAX_ALIASES_EXCEEDED', limit: 15, found: 16 }],
  ['too deep', DEEP, { code: 'MAX_DEPTH_EXCEEDED', limit: 12, found: 14 }],
  ['too many directives', DIRECTIVES, { code: 'MAX_DIRECTIVES_EXCEEDED', limit: 50, found: 51 }],
  ['too costly', COSTLY, { code: 'COST_LIMIT_EXCEEDED', limit: 5000 }],
  ['too many tokens', TOKENS, { code: 'MAX_TOKENS_EXCEEDED', limit: 2000 }],
];

/** Errors tell the truth: what failed, where, and with a code a client can act on. */
describe('gateway errors', () => {
  let stack: Stack;
  let admin: Person;
  let teacher: Person;
  let student: Person;
  beforeAll(async () => {
    stack = await startStack('sqlite');
    ({ admin, teacher, student } = await demoPeople(stack));
  });
  afterAll(() => stack.stop());

  const metrics = async () => (await request(stack.gatewayUrl.replace(/\/graphql$/, '/metrics'), { method: 'GET' })).text;

  describe('data a subgraph got wrong', () => {
    it('reports a null for a non-null field in `errors`, with its path and a code, not only in extensions', async () => {
      const course = await publishedCourse(teacher, { title: 'Broken row' });
      // A row naming a person users does not know (written behind the service's back): users
      // resolves the reference to null, and Course.teacher is non-null.
      await coursesEm(stack).nativeUpdate(Course, { id: course.id }, { teacherId: randomUUID() });

      const r = await admin.q('query($id: ID!) { course(id: $id) { title teacher { displayName } } }', { id: course.id });
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain('valueCompletion');
      expect(r.body.data).toEqual({ course: null });
      expect(r.body.errors).toEqual([
        {
          message: 'Cannot return null for non-nullable field User.displayName.',
          path: ['course', 'teacher', 'displayName'],
          extensions: { code: 'SUBGRAPH_INVALID_RESPONSE' },
        },
      ]);
    });
  });

  describe("a subgraph's own errors", () => {
    it.each([
      [
        'NOT_FOUND',
        () => admin.q('mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', { c: randomUUID(), s: student.id }),
      ],
      ['FORBIDDEN', () => student.q('mutation { createCourse(input: { title: "Mine" }) { id } }')],
      ['BAD_USER_INPUT', () => teacher.q('mutation { createCourse(input: { title: "" }) { id } }')],
    ])('keeps %s, its message and the serviceName', async (code, send) => {
      const r = await send();
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors![0]).toMatchObject({ extensions: { code, serviceName: 'courses' } });
      expect(r.body.errors![0].message).not.toBe('Internal server error');
    });
  });

  describe('operation limits', () => {
    it.each(LIMITS)('refuses an operation %s over HTTP with its own code and the limit', async (_name, query, expected) => {
      const r = await stack.gql(query, { tenant: 'demo', token: admin.token });
      expect(r.status).toBe(400);
      expect(r.body.data).toBeUndefined();
      expect(r.body.errors).toHaveLength(1);
      const [error] = r.body.errors!;
      // The cost armor found is an estimate; the parser stops counting tokens at the limit.
      if (expected.code === 'COST_LIMIT_EXCEEDED') expect(error.extensions).toEqual({ ...expected, found: expect.any(Number) });
      else expect(error.extensions).toEqual(expected);
      expect(error.message).toContain(String(expected.limit));
      expect(error.message).not.toMatch(/Syntax Error/);
    });

    describe('over WebSocket', () => {
      let client: TestClient;
      beforeAll(() => {
        client = connectClient(wsUrlOf(stack.gatewayUrl), { token: admin.token, tenant: 'demo' });
      });
      afterAll(() => client.dispose());

      it.each(LIMITS)('refuses a subscription %s with the same code and limit', async (_name, query, expected) => {
        const subscription = query.replace(/^\{/, 'subscription {');
        const sub = subscribe(client.client, subscription);
        await eventually(() => expect(sub.error).toBeDefined());
        const errors = sub.error as Array<{ message: string; extensions?: Record<string, unknown> }>;
        expect(errors.map((e) => e.extensions?.code)).toContain(expected.code);
        const error = errors.find((e) => e.extensions?.code === expected.code)!;
        expect(error.extensions).toMatchObject({ limit: expected.limit });
      });

      it('gives graphql-js parse and validation errors the HTTP codes', async () => {
        const broken = subscribe(client.client, 'subscription { liveSessionEvents(');
        const unknown = subscribe(client.client, 'subscription { nope }');
        await eventually(() => expect(broken.error && unknown.error).toBeDefined());
        expect((broken.error as Array<{ extensions?: { code?: string } }>)[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
        expect((unknown.error as Array<{ extensions?: { code?: string } }>)[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      });
    });
  });

  /** A second gateway whose courses subgraph and access-token keys are a server the test scripts. */
  describe('a subgraph that answers with an HTTP error', () => {
    let answer = { status: 500, body: 'upstream exploded at /srv/courses', type: 'text/plain' };
    let fake: http.Server;
    let fakeUrl: string;
    let gateway: GatewayService;
    let url: string;
    beforeAll(async () => {
      fake = http.createServer((_req, res) => res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body));
      await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
      fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
      gateway = createGatewayService(
        gatewayConfigFromEnv({
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          HOST: '127.0.0.1',
          PORT: '0',
          INTERNAL_SIGNING_KEYS: stack.keys.internal,
          SUBGRAPH_URLS: `users=${stack.url('users')}/graphql,courses=${fakeUrl}/graphql`,
          ACCESS_TOKEN_JWKS_URL: `${fakeUrl}/jwks`,
        }),
        stack.transport,
      );
      url = (await gateway.start()).url;
    });
    afterAll(async () => {
      await gateway.stop();
      await new Promise((resolve) => fake.close(resolve));
    });

    it('masks a 500 as INTERNAL_SERVER_ERROR with serviceName and path, nothing of the answer or the URL', async () => {
      answer = { status: 500, body: 'upstream exploded at /srv/courses', type: 'text/plain' };
      const r = await gql(url, '{ school { name } catalog { edges { node { title } } } }', { tenant: 'demo' });
      expect(r.body).toEqual({
        data: null,
        errors: [
          { message: 'Internal server error', path: ['catalog'], extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'courses' } },
        ],
      });
    });

    it("does not pass a subgraph's 401 off as the client's", async () => {
      answer = { status: 401, body: JSON.stringify({ errors: [{ message: 'no' }] }), type: 'application/json' };
      const r = await gql(url, '{ catalog { edges { node { title } } } }', { tenant: 'demo' });
      expect(r.body.errors).toEqual([
        { message: 'Internal server error', path: ['catalog'], extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'courses' } },
      ]);
      expect(JSON.stringify(r.body)).not.toContain(fakeUrl);
    });

    it('takes a 503 for unavailability', async () => {
      answer = { status: 503, body: 'overloaded', type: 'text/plain' };
      const r = await gql(url, '{ catalog { edges { node { title } } } }', { tenant: 'demo' });
      expect(r.body.errors).toEqual([
        expect.objectContaining({
          path: ['catalog'],
          extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', serviceName: 'courses' }),
        }),
      ]);
    });

    it('answers SERVICE_UNAVAILABLE (503), not UNAUTHENTICATED, when the access-token keys cannot be fetched', async () => {
      answer = { status: 503, body: 'overloaded', type: 'text/plain' };
      const res = await request(url, {
        headers: { 'content-type': 'application/json', 'x-tenant-id': 'demo', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({ query: '{ school { name } }' }),
      });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(JSON.parse(res.text).errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', serviceName: 'users' }) }),
      ]);
    });
  });

  // From here on subgraphs are stopped: these run last, in this order.
  describe('a subgraph that cannot be reached', () => {
    beforeAll(() => stack.service('courses').stop());

    it('answers SERVICE_UNAVAILABLE with serviceName on the fields it owns, and keeps the rest', async () => {
      const r = await teacher.q('query($id: ID!) { me { displayName } course(id: $id) { title } }', { id: randomUUID() });
      expect(r.status).toBe(200);
      expect(r.body.data).toEqual({ me: { displayName: DEMO.users.demoTeacher.displayName }, course: null });
      expect(r.body.errors).toEqual([
        {
          message: 'The courses service is unavailable; try again shortly',
          path: ['course'],
          extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'courses', retryAfterSeconds: 5 },
        },
      ]);
    });

    it('names the field of an entity it could not fetch', async () => {
      // teachingCourses is non-null: GraphQL's null propagation then nulls `me`; the error says why.
      const r = await teacher.q('{ me { displayName teachingCourses { title } } }');
      expect(r.body.errors).toEqual([
        expect.objectContaining({
          path: ['me', 'teachingCourses'],
          extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', serviceName: 'courses' }),
        }),
      ]);
    });

    it('gives a mutation the same answer', async () => {
      const r = await teacher.q('mutation { createCourse(input: { title: "Offline" }) { id } }');
      expect(r.body.data).toBeNull();
      expect(r.body.errors).toEqual([
        expect.objectContaining({ path: ['createCourse'], extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }) }),
      ]);
    });
  });

  describe('the school directory cannot be reached', () => {
    beforeAll(() => stack.service('users').stop());

    it('answers SERVICE_UNAVAILABLE with HTTP 503 and Retry-After for a school not yet known', async () => {
      // A slug this gateway never looked up: nothing cached to fall back on.
      const res = await request(stack.gatewayUrl, {
        headers: { 'content-type': 'application/json', 'x-tenant-id': 'delta' },
        body: JSON.stringify({ query: '{ school { name } }' }),
      });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(JSON.parse(res.text)).toEqual({
        errors: [
          {
            message: 'The school directory is unavailable; try again shortly',
            extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'users', retryAfterSeconds: 5 },
          },
        ],
      });
    });
  });

  it('counts errors under the codes clients saw, by subgraph when one is named', async () => {
    const text = await metrics();
    const count = (labels: string, atLeast = 1) => {
      const match = new RegExp(`graphql_errors_total\\{${labels},service="gateway"\\} (\\d+)`).exec(text);
      expect(`${labels} ${match?.[1] ?? 'absent'}`).toMatch(new RegExp(`^${labels} \\d+$`));
      expect(Number(match![1])).toBeGreaterThanOrEqual(atLeast);
    };
    count('code="SUBGRAPH_INVALID_RESPONSE"');
    count('code="NOT_FOUND",subgraph="courses"');
    count('code="SERVICE_UNAVAILABLE",subgraph="courses"');
    count('code="SERVICE_UNAVAILABLE",subgraph="users"');
    // HTTP and WebSocket refusals alike.
    for (const [, , { code }] of LIMITS) count(`code="${code}"`, 2);
    expect(text).not.toMatch(/graphql_errors_total\{code="INTERNAL_SERVER_ERROR"/);
  });
});
