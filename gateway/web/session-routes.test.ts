import type { IncomingHttpHeaders } from 'node:http';
import { DEMO } from '../../platform/demo';
import { request } from '../../testkit/graphql-client';
import { startStack, type Stack } from '../../testkit/stack';
import { PASSWORD_MAX, SESSION_BODY_LIMIT_BYTES } from './session-routes';

const PARTNER_APP = 'https://app.partner.example';
const DEMO_COOKIE = 'manassa_rt_demo';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: any;
  /** Set-Cookie of the demo school's refresh cookie, if the answer has one. */
  setCookie?: string;
}

/**
 * The browser's sign-in routes (POST /auth/login, /auth/refresh, /auth/logout) end to end: a
 * gateway on the users subgraph (embedded SQLite), requests as web/src/api/session.ts sends them.
 */
describe('web sign-in routes', () => {
  let stack: Stack;
  let base: string;

  beforeAll(async () => {
    // One trusted proxy: X-Forwarded-Proto says whether the browser used https.
    stack = await startStack('sqlite', { CORS_ORIGINS: PARTNER_APP, TRUST_PROXY: '1' }, { subgraphs: ['users'] });
    base = new URL(stack.gatewayUrl).origin;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = async (
    path: string,
    opts: { body?: unknown; raw?: string; tenant?: string; cookie?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'accept-language': 'en',
      'x-tenant-id': opts.tenant ?? 'demo',
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...opts.headers,
    };
    const res = await request(`${base}/auth/${path}`, { headers, body: opts.raw ?? JSON.stringify(opts.body ?? {}) });
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    let body: unknown;
    try {
      body = res.text ? JSON.parse(res.text) : undefined;
    } catch {
      body = undefined;
    }
    return { ...res, body, setCookie: cookies.find((c) => c.startsWith(`${DEMO_COOKIE}=`)) };
  };
  const login = (email: string = DEMO.users.demoStudent.email, password: string = DEMO.password, extra: Parameters<typeof post>[1] = {}) =>
    post('login', { body: { email, password }, ...extra });
  /** `name=value` of a Set-Cookie, to send back. */
  const pair = (setCookie: string | undefined) => setCookie!.split(';')[0];
  const valueOf = (setCookie: string | undefined) => decodeURIComponent(pair(setCookie).split('=')[1]);
  const cleared = (setCookie: string | undefined) => !!setCookie && /Expires=Thu, 01 Jan 1970/.test(setCookie);
  const code = (a: Answer) => a.body?.errors?.[0]?.extensions?.code;

  it('signs in: the access token in the body, the refresh token only in an HttpOnly SameSite=Strict cookie on /auth', async () => {
    const res = await login();
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      accessTokenExpiresAt: expect.any(String),
      user: {
        id: DEMO.users.demoStudent.id,
        displayName: DEMO.users.demoStudent.displayName,
        roles: ['STUDENT'],
        locale: expect.any(String),
      },
    });
    const attributes = res.setCookie!.split(';').map((a) => a.trim());
    expect(attributes).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/auth', `Max-Age=${7 * 24 * 3600}`, expect.stringMatching(/^Expires=/)]),
    );
    // Plain http outside production.
    expect(attributes).not.toContain('Secure');
    const token = valueOf(res.setCookie);
    expect(token).toMatch(/^rt_/);
    expect(res.text).not.toContain(token);

    const me = await stack.gql('{ me { id displayName } }', { tenant: 'demo', token: res.body.accessToken });
    expect(me.body).toEqual({ data: { me: { id: DEMO.users.demoStudent.id, displayName: DEMO.users.demoStudent.displayName } } });
  });

  it('marks the cookie Secure when the browser came over https (through the trusted proxy)', async () => {
    const res = await login(undefined, undefined, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    expect(res.setCookie!.split(';').map((a) => a.trim())).toContain('Secure');
    // Its Origin is then the https one.
    const own = await post('logout', {
      cookie: pair(res.setCookie),
      headers: { 'x-forwarded-proto': 'https', origin: base.replace('http:', 'https:') },
    });
    expect(own.status).toBe(204);
    expect(own.setCookie).toMatch(/Secure/);
  });

  it('rotates on refresh; the old cookie then fails and revokes the session, so the new one fails too', async () => {
    const first = await login();
    const refreshed = await post('refresh', { cookie: pair(first.setCookie) });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({ accessToken: expect.any(String), accessTokenExpiresAt: expect.any(String), user: expect.any(Object) });
    expect(refreshed.body.accessToken).not.toBe(first.body.accessToken);
    expect(valueOf(refreshed.setCookie)).not.toBe(valueOf(first.setCookie));
    expect(refreshed.setCookie).toMatch(/HttpOnly/);
    expect(refreshed.text).not.toContain(valueOf(refreshed.setCookie));
    const me = await stack.gql('{ me { id } }', { tenant: 'demo', token: refreshed.body.accessToken });
    expect(me.body.data).toEqual({ me: { id: DEMO.users.demoStudent.id } });

    const reused = await post('refresh', { cookie: pair(first.setCookie) });
    expect(reused.status).toBe(401);
    expect(code(reused)).toBe('UNAUTHENTICATED');
    expect(cleared(reused.setCookie)).toBe(true);

    const next = await post('refresh', { cookie: pair(refreshed.setCookie) });
    expect(next.status).toBe(401);
    expect(code(next)).toBe('UNAUTHENTICATED');
  });

  it('answers 401 and clears the cookie on a refresh without a cookie or with an unknown one', async () => {
    const none = await post('refresh');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(cleared(none.setCookie)).toBe(true);

    const unknown = await post('refresh', { cookie: `${DEMO_COOKIE}=rt_nonsense` });
    expect(unknown.status).toBe(401);
    expect(cleared(unknown.setCookie)).toBe(true);
  });

  it('signs out: clears the cookie and revokes the session; also answers 204 without a cookie', async () => {
    const session = await login();
    const out = await post('logout', { cookie: pair(session.setCookie) });
    expect(out.status).toBe(204);
    expect(cleared(out.setCookie)).toBe(true);
    expect(out.setCookie).toMatch(/Path=\/auth/);
    const after = await post('refresh', { cookie: pair(session.setCookie) });
    expect(after.status).toBe(401);

    const anonymous = await post('logout');
    expect(anonymous.status).toBe(204);
  });

  it('refuses a wrong password with 401, in Arabic when asked', async () => {
    const en = await login(DEMO.users.demoTeacher.email, 'not-the-password');
    expect(en.status).toBe(401);
    // As /graphql reports it: the code, and the service that refused.
    expect(en.body).toEqual({
      errors: [{ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED', serviceName: 'users' } }],
    });
    expect(en.setCookie).toBeUndefined();

    const ar = await login(DEMO.users.demoTeacher.email, 'not-the-password', { headers: { 'accept-language': 'ar' } });
    expect(ar.status).toBe(401);
    expect(ar.body.errors[0]).toMatchObject({
      message: 'البريد الإلكتروني أو كلمة المرور غير صحيحة',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(ar.headers['content-language']).toBe('ar');
  });

  it("answers 429 RATE_LIMITED with Retry-After once a source keeps failing on one account (users' login throttle)", async () => {
    // A source of its own (through the trusted proxy), so no other test shares its count.
    const from = { headers: { 'x-forwarded-for': '203.0.113.7' } };
    let res: Answer | undefined;
    for (let i = 0; i < 11 && res?.status !== 429; i++) res = await login(DEMO.users.demoParent.email, 'wrong-password', from);
    expect(res!.status).toBe(429);
    expect(code(res!)).toBe('RATE_LIMITED');
    expect(Number(res!.headers['retry-after'])).toBeGreaterThan(0);
    // Refused for that source only.
    expect((await login(DEMO.users.demoParent.email)).status).toBe(200);
  });

  it('checks the credentials given: present, and within their bounds', async () => {
    const blank = await post('login', { body: { email: ' ', password: 'x' }, headers: { 'accept-language': 'ar' } });
    expect(blank.status).toBe(400);
    expect(blank.body.errors[0]).toEqual({ message: 'يجب ألا يكون email فارغًا', extensions: { code: 'BAD_USER_INPUT', field: 'email' } });
    const long = await login(DEMO.users.demoTeacher.email, 'x'.repeat(PASSWORD_MAX + 1));
    expect(long.status).toBe(400);
    expect(long.body.errors[0]).toEqual({
      message: `password must be at most ${PASSWORD_MAX} characters`,
      extensions: { code: 'BAD_USER_INPUT', field: 'password' },
    });
  });

  it('accepts only JSON bodies (415), so that no cross-site form or simple request reaches the cookie', async () => {
    const form = await post('login', { raw: 'email=a%40b.c&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const text = await post('logout', { raw: '{}', headers: { 'content-type': 'text/plain' } });
    const multipart = await post('refresh', { raw: '', headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    for (const res of [form, text, multipart]) {
      expect(res.status).toBe(415);
      expect(code(res)).toBe('BAD_REQUEST');
      expect(res.setCookie).toBeUndefined();
    }
    // An empty JSON body is fine (refresh and logout need none).
    expect((await post('logout', { raw: '' })).status).toBe(204);
  });

  it('refuses a foreign Origin (403) and accepts its own and the configured CORS origins', async () => {
    const session = await login();
    const foreign = await post('refresh', { cookie: pair(session.setCookie), headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(code(foreign)).toBe('FORBIDDEN');
    expect(foreign.setCookie).toBeUndefined();
    expect((await post('logout', { headers: { origin: 'null' } })).status).toBe(403);

    const own = await post('refresh', { cookie: pair(session.setCookie), headers: { origin: base } });
    expect(own.status).toBe(200);
    const configured = await post('refresh', { cookie: pair(own.setCookie), headers: { origin: PARTNER_APP } });
    expect(configured.status).toBe(200);
  });

  it("refuses a school's cookie for another school", async () => {
    const demo = await login();
    const token = valueOf(demo.setCookie);
    // Each school reads its own cookie only.
    const otherName = await post('refresh', { tenant: 'nile', cookie: pair(demo.setCookie) });
    expect(otherName.status).toBe(401);
    // The demo token under nile's name: users does not know it in that school.
    const renamed = await post('refresh', { tenant: 'nile', cookie: `manassa_rt_nile=${encodeURIComponent(token)}` });
    expect(renamed.status).toBe(401);
    expect(code(renamed)).toBe('UNAUTHENTICATED');
    expect(renamed.headers['set-cookie']?.some((c) => c.startsWith('manassa_rt_nile=;'))).toBe(true);
    // And the demo session is unharmed.
    expect((await post('refresh', { cookie: pair(demo.setCookie) })).status).toBe(200);
  });

  it('names the school as /graphql does: X-Tenant-ID or the host, an unknown one refused the same way', async () => {
    const byHost = await post('login', {
      body: { email: DEMO.users.nileAdmin.email, password: DEMO.password },
      tenant: '',
      headers: { host: `nile.localhost:${new URL(base).port}` },
    });
    expect(byHost.status).toBe(200);
    expect(byHost.headers['set-cookie']?.some((c) => c.startsWith('manassa_rt_nile='))).toBe(true);

    const unknown = await post('login', { body: { email: 'a@b.c', password: 'x' }, tenant: 'no-such-school' });
    const graphql = await stack.gql('{ me { id } }', { tenant: 'no-such-school' });
    expect(unknown.status).toBe(graphql.status);
    expect(unknown.body.errors).toEqual(graphql.body.errors);
    expect(code(unknown)).toBe('TENANT_NOT_FOUND');
  });

  it('refuses an oversized body', async () => {
    const big = await post('login', { body: { email: 'a@b.c', password: 'x', padding: 'x'.repeat(SESSION_BODY_LIMIT_BYTES) } });
    expect(big.status).toBe(413);
    expect(code(big)).toBe('PAYLOAD_TOO_LARGE');
    // Beyond the gateway's BODY_LIMIT the parser refuses it before the route, with the same answer.
    const huge = await post('login', {
      raw: JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'accept-language': 'ar' },
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ errors: [{ message: 'نص الطلب أكبر من المسموح', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    const malformed = await post('login', { raw: '{"email":' });
    expect(malformed.status).toBe(400);
    expect(code(malformed)).toBe('BAD_REQUEST');
  });

  // Last: stops the users subgraph.
  it('answers 503 SERVICE_UNAVAILABLE, with Retry-After, while users is down', async () => {
    const session = await login();
    await stack.service('users').stop();
    const res = await login();
    expect(res.status).toBe(503);
    expect(code(res)).toBe('SERVICE_UNAVAILABLE');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    const refreshed = await post('refresh', { cookie: pair(session.setCookie) });
    expect(refreshed.status).toBe(503);
    // The cookie is kept: the token is still good once users is back.
    expect(refreshed.setCookie).toBeUndefined();
  });
});
