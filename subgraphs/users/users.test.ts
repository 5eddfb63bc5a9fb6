import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';
import { DEMO } from '../../platform/demo';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER } from '../../platform/auth/internal-context';
import { keySetFromJwks } from '../../platform/auth/keys';
import { eventually } from '../../testkit/eventually';
import { codes, gql } from '../../testkit/graphql-client';
import { startStack, type Stack } from '../../testkit/stack';

/**
 * The users subgraph through the gateway, on both storage modes: MariaDB + Redis (production)
 * and SQLite + in-memory limits (embedded).
 */
describe.each(['mysql', 'sqlite'] as const)('users through the gateway (%s)', (dialect) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(dialect);
  });
  afterAll(() => stack.stop());

  const ME = '{ me { id displayName roles email school { slug } } }';

  it('serves the school anonymously, by header and by subdomain', async () => {
    const byHeader = await stack.gql('{ school { name slug locale timezone } }', { tenant: 'demo' });
    expect(byHeader.body.data.school).toEqual({ name: DEMO.schools.demo.name, slug: 'demo', locale: 'AR', timezone: 'Africa/Cairo' });
    const byHost = await stack.gql('{ school { slug } }', { headers: { host: 'nile.localhost' } });
    expect(byHost.body.data.school.slug).toBe('nile');
  });

  it('logs in and answers `me` with the token, through the header and the subdomain', async () => {
    const { accessToken } = await stack.login('teacher@demo.test');
    const viaHeader = await stack.gql(ME, { tenant: 'demo', token: accessToken });
    expect(viaHeader.body.data.me).toMatchObject({
      displayName: DEMO.users.demoTeacher.displayName,
      roles: ['TEACHER'],
      school: { slug: 'demo' },
    });
    const viaHost = await stack.gql(ME, { token: accessToken, headers: { host: 'demo.localhost' } });
    expect(viaHost.body.data.me.id).toBe(DEMO.users.demoTeacher.id);
  });

  it('answers an unknown email and a wrong password the same way', async () => {
    const login = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
    const unknown = await stack.gql(login, { tenant: 'demo', variables: { e: 'nobody@demo.test', p: 'whatever-1' } });
    const wrong = await stack.gql(login, { tenant: 'demo', variables: { e: 'student@demo.test', p: 'whatever-1' } });
    expect(codes(unknown)).toEqual(['UNAUTHENTICATED']);
    expect(unknown.body.errors![0].message).toBe(wrong.body.errors![0].message);
    expect(codes(wrong)).toEqual(codes(unknown));
  });

  it('refuses the source that keeps failing on an account, even with the right password (more in auth/login-throttle.test.ts)', async () => {
    const login = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
    const results = [];
    for (let i = 0; i < 11; i++)
      results.push(await stack.gql(login, { tenant: 'nile', variables: { e: 'admin@nile.test', p: `wrong-${i}` } }));
    expect(results.slice(0, 10).flatMap(codes)).toEqual(Array(10).fill('UNAUTHENTICATED'));
    expect(codes(results[10])).toEqual(['RATE_LIMITED']);
    const right = await stack.gql(login, { tenant: 'nile', variables: { e: 'admin@nile.test', p: DEMO.password } });
    expect(codes(right)).toEqual(['RATE_LIMITED']);
    expect(right.body.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
  });

  describe('refresh tokens', () => {
    const REFRESH = 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }';

    it('rotates; reusing an old token fails and revokes the newer one too', async () => {
      const first = await stack.login('student@demo.test');
      const second = await stack.gql(REFRESH, { tenant: 'demo', variables: { t: first.refreshToken } });
      const newer = second.body.data.refreshToken.refreshToken;
      expect(newer).not.toBe(first.refreshToken);
      const reuse = await stack.gql(REFRESH, { tenant: 'demo', variables: { t: first.refreshToken } });
      expect(codes(reuse)).toEqual(['UNAUTHENTICATED']);
      const afterTheft = await stack.gql(REFRESH, { tenant: 'demo', variables: { t: newer } });
      expect(codes(afterTheft)).toEqual(['UNAUTHENTICATED']);
    });

    it('lets exactly one of two concurrent refreshes win, and then revokes the family', async () => {
      const { refreshToken } = await stack.login('student@demo.test');
      const both = await Promise.all([0, 1].map(() => stack.gql(REFRESH, { tenant: 'demo', variables: { t: refreshToken } })));
      const winners = both.filter((r) => r.body.data?.refreshToken);
      expect(winners).toHaveLength(1);
      const again = await stack.gql(REFRESH, { tenant: 'demo', variables: { t: winners[0].body.data.refreshToken.refreshToken } });
      expect(codes(again)).toEqual(['UNAUTHENTICATED']);
    });

    it('after logout the access token of that session is refused too', async () => {
      const { accessToken, refreshToken } = await stack.login('parent@demo.test');
      expect((await stack.gql(ME, { tenant: 'demo', token: accessToken })).body.data.me.id).toBe(DEMO.users.demoParent.id);
      await stack.gql('mutation($t: String!) { logout(refreshToken: $t) }', { tenant: 'demo', variables: { t: refreshToken } });
      await eventually(async () => expect(codes(await stack.gql(ME, { tenant: 'demo', token: accessToken }))).toEqual(['UNAUTHENTICATED']));
      const other = await stack.login('parent@demo.test'); // a new session is unaffected
      expect((await stack.gql(ME, { tenant: 'demo', token: other.accessToken })).body.data.me.id).toBe(DEMO.users.demoParent.id);
    });

    it('refuses a refresh token on another school, and after logout', async () => {
      const { refreshToken } = await stack.login('student@demo.test');
      expect(codes(await stack.gql(REFRESH, { tenant: 'nile', variables: { t: refreshToken } }))).toEqual(['UNAUTHENTICATED']);
      const out = await stack.gql('mutation($t: String!) { logout(refreshToken: $t) }', { tenant: 'demo', variables: { t: refreshToken } });
      expect(out.body.data.logout).toBe(true);
      expect(codes(await stack.gql(REFRESH, { tenant: 'demo', variables: { t: refreshToken } }))).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('tenant isolation', () => {
    it('a demo admin cannot read or list a nile user, and a demo token is refused on nile', async () => {
      const admin = await stack.login('admin@demo.test');
      const byId = await stack.gql('query($id: ID!) { user(id: $id) { id displayName } }', {
        tenant: 'demo',
        token: admin.accessToken,
        variables: { id: DEMO.users.nileAdmin.id },
      });
      expect(byId.body.data.user).toBeNull();
      const list = await stack.gql('{ users(first: 100) { totalCount edges { node { id } } } }', {
        tenant: 'demo',
        token: admin.accessToken,
      });
      const ids = list.body.data.users.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(ids).toContain(DEMO.users.demoStudent.id);
      expect(ids).not.toContain(DEMO.users.nileAdmin.id);
      const crossed = await stack.gql(ME, { tenant: 'nile', token: admin.accessToken });
      expect(crossed.status).toBe(401);
      expect(codes(crossed)).toEqual(['UNAUTHENTICATED']);
    });

    it('resolves `_entities` references only inside the tenant', async () => {
      const admin = await stack.login('admin@demo.test');
      const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(stack.keys.internal)));
      const token = await sign(
        { tenant: { id: DEMO.schools.demo.id, slug: 'demo' }, user: { id: admin.userId, roles: ['SCHOOL_ADMIN'] } },
        'users',
      );
      const r = await gql(
        `${stack.url('users')}/graphql`,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id displayName } } }',
        {
          headers: { [INTERNAL_CONTEXT_HEADER]: token },
          variables: {
            r: [
              { __typename: 'User', id: DEMO.users.demoStudent.id },
              { __typename: 'User', id: DEMO.users.nileAdmin.id },
            ],
          },
        },
      );
      expect(r.body.data._entities).toEqual([{ id: DEMO.users.demoStudent.id, displayName: DEMO.users.demoStudent.displayName }, null]);
    });
  });

  describe('field authorization', () => {
    it('hides contact details and children from other students, shows them to admins and guardians', async () => {
      const student = await stack.login('student@demo.test');
      const parent = await stack.login('parent@demo.test');
      const admin = await stack.login('admin@demo.test');
      const q = 'query($id: ID!) { user(id: $id) { displayName email children { id } } }';
      const asStudent = await stack.gql(q, { tenant: 'demo', token: student.accessToken, variables: { id: DEMO.users.demoParent.id } });
      expect(asStudent.body.data.user).toBeNull(); // children is non-null and forbidden → the user is nulled
      expect(codes(asStudent)).toEqual(['FORBIDDEN']);
      const contact = await stack.gql('query($id: ID!) { user(id: $id) { email } }', {
        tenant: 'demo',
        token: student.accessToken,
        variables: { id: DEMO.users.demoParent.id },
      });
      expect(contact.body.data.user.email).toBeNull();
      const asParent = await stack.gql(q, { tenant: 'demo', token: parent.accessToken, variables: { id: DEMO.users.demoParent.id } });
      expect(asParent.body.data.user.children).toEqual([{ id: DEMO.users.demoStudent.id }]);
      const childContact = await stack.gql('query($id: ID!) { user(id: $id) { email guardians { id } } }', {
        tenant: 'demo',
        token: parent.accessToken,
        variables: { id: DEMO.users.demoStudent.id },
      });
      expect(childContact.body.data.user).toEqual({ email: DEMO.users.demoStudent.email, guardians: [{ id: DEMO.users.demoParent.id }] });
      const asAdmin = await stack.gql(q, { tenant: 'demo', token: admin.accessToken, variables: { id: DEMO.users.demoParent.id } });
      expect(asAdmin.body.data.user.email).toBe(DEMO.users.demoParent.email);
    });

    it('lets only admins and teachers list people, filtered by role and paginated', async () => {
      const student = await stack.login('student@demo.test');
      expect(codes(await stack.gql('{ users { totalCount } }', { tenant: 'demo', token: student.accessToken }))).toEqual(['FORBIDDEN']);
      const teacher = await stack.login('teacher@demo.test');
      const q =
        'query($after: String) { users(role: STUDENT, first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id roles } } } }';
      const page = await stack.gql(q, { tenant: 'demo', token: teacher.accessToken });
      expect(page.body.data.users.totalCount).toBeGreaterThanOrEqual(1);
      expect(page.body.data.users.edges.every((e: { node: { roles: string[] } }) => e.node.roles.includes('STUDENT'))).toBe(true);
      const bad = await stack.gql(q.replace('first: 1,', 'first: 101,'), { tenant: 'demo', token: teacher.accessToken });
      expect(bad.body.errors).toEqual([expect.objectContaining({ message: '`first` must be between 0 and 100' })]);
      expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
      // Far over the limit, the gateway's cost analysis refuses before any subgraph is called.
      const costly = await stack.gql(q.replace('first: 1,', 'first: 1000,'), { tenant: 'demo', token: teacher.accessToken });
      expect(codes(costly)).toEqual(['COST_LIMIT_EXCEEDED']);
      expect(costly.body.errors![0].message).toMatch(/too costly/);
      const badCursor = await stack.gql(q, { tenant: 'demo', token: teacher.accessToken, variables: { after: 'not-a-cursor' } });
      expect(codes(badCursor)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('invitations and pairing', () => {
    it('an admin invites a teacher who accepts and signs in; the token works once', async () => {
      const admin = await stack.login('admin@demo.test');
      const invite = await stack.gql('mutation($i: InviteUserInput!) { inviteUser(input: $i) { id token roles expiresAt } }', {
        tenant: 'demo',
        token: admin.accessToken,
        variables: { i: { email: `New.Teacher.${dialect}@demo.test`, displayName: 'Sara Nabil', roles: ['TEACHER'] } },
      });
      const token = invite.body.data.inviteUser.token;
      expect(token).toMatch(/^inv_/);
      const accept =
        'mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { accessToken user { displayName email roles } } }';
      const weak = await stack.gql(accept, { tenant: 'demo', variables: { t: token, p: 'short' } });
      expect(codes(weak)).toEqual(['BAD_USER_INPUT']);
      const ok = await stack.gql(accept, { tenant: 'demo', variables: { t: token, p: 'a-strong-password' } });
      expect(ok.body.data.acceptInvitation.user).toEqual({
        displayName: 'Sara Nabil',
        email: `new.teacher.${dialect}@demo.test`,
        roles: ['TEACHER'],
      });
      const twice = await stack.gql(accept, { tenant: 'demo', variables: { t: token, p: 'a-strong-password' } });
      expect(codes(twice)).toEqual(['NOT_FOUND']);
      const dup = await stack.gql('mutation($i: InviteUserInput!) { inviteUser(input: $i) { id } }', {
        tenant: 'demo',
        token: admin.accessToken,
        variables: { i: { email: `new.teacher.${dialect}@demo.test`, displayName: 'Again', roles: ['TEACHER'] } },
      });
      expect(codes(dup)).toEqual(['CONFLICT']);
    });

    it('refuses invitations from non-admins and with bad input, changing nothing', async () => {
      const teacher = await stack.login('teacher@demo.test');
      const m = 'mutation($i: InviteUserInput!) { inviteUser(input: $i) { id } }';
      const i = { email: 'x@demo.test', displayName: 'X', roles: ['STUDENT'] };
      expect(codes(await stack.gql(m, { tenant: 'demo', token: teacher.accessToken, variables: { i } }))).toEqual(['FORBIDDEN']);
      const admin = await stack.login('admin@demo.test');
      const bad = await stack.gql(m, {
        tenant: 'demo',
        token: admin.accessToken,
        variables: { i: { ...i, email: 'not-an-email', roles: [] } },
      });
      expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
      expect(bad.body.errors![0].message).toMatch(/email/);
      const grant = await stack.gql(m, { tenant: 'demo', token: admin.accessToken, variables: { i: { ...i, roles: ['PLATFORM_ADMIN'] } } });
      expect(codes(grant)).toEqual(['FORBIDDEN']);
    });

    it('a student creates a pairing code and a parent redeems it once', async () => {
      const admin = await stack.login('admin@demo.test');
      const invite = await stack.gql('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', {
        tenant: 'demo',
        token: admin.accessToken,
        variables: { i: { email: `parent2.${dialect}@demo.test`, displayName: 'Hoda', roles: ['PARENT'] } },
      });
      const accepted = await stack.gql(
        'mutation($t: String!) { acceptInvitation(token: $t, password: "parent-password") { accessToken } }',
        {
          tenant: 'demo',
          variables: { t: invite.body.data.inviteUser.token },
        },
      );
      const parentToken = accepted.body.data.acceptInvitation.accessToken;
      const student = await stack.login('student@demo.test');
      const other = await stack.gql('mutation($id: ID!) { createPairingCode(studentId: $id) { code } }', {
        tenant: 'demo',
        token: student.accessToken,
        variables: { id: DEMO.users.demoTeacher.id },
      });
      expect(codes(other)).toEqual(['FORBIDDEN']);
      const created = await stack.gql('mutation($id: ID!) { createPairingCode(studentId: $id) { code expiresAt student { id } } }', {
        tenant: 'demo',
        token: student.accessToken,
        variables: { id: student.userId },
      });
      const code = created.body.data.createPairingCode.code;
      expect(code).toMatch(/^[A-Z2-9]{8}$/);
      const pair = 'mutation($c: String!) { pairWithCode(code: $c) { id } }';
      expect(codes(await stack.gql(pair, { tenant: 'demo', token: student.accessToken, variables: { c: code } }))).toEqual(['FORBIDDEN']);
      const paired = await stack.gql(pair, { tenant: 'demo', token: parentToken, variables: { c: code.toLowerCase() } });
      expect(paired.body.data.pairWithCode.id).toBe(student.userId);
      expect(codes(await stack.gql(pair, { tenant: 'demo', token: parentToken, variables: { c: code } }))).toEqual(['BAD_USER_INPUT']);
      const children = await stack.gql('{ me { children { id } } }', { tenant: 'demo', token: parentToken });
      expect(children.body.data.me.children).toEqual([{ id: student.userId }]);
    });
  });

  describe('forged and misplaced tokens', () => {
    async function forge(alg: 'EdDSA' | 'none', claims: Record<string, unknown>, opts: { expired?: boolean } = {}) {
      const base = { tid: DEMO.schools.demo.id, roles: ['SCHOOL_ADMIN'], ...claims };
      if (alg === 'none') {
        const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        return `${enc({ alg: 'none', typ: 'at+jwt' })}.${enc({ ...base, sub: DEMO.users.demoAdmin.id, iss: 'el-manassa/users', aud: 'el-manassa', iat: now, exp: now + 600 })}.`;
      }
      const { privateKey } = await generateKeyPair('EdDSA');
      const key = claims.useRealKey ? await importJWK(JSON.parse(stack.keys.access).keys[0] as JWK, 'EdDSA') : privateKey;
      const kid = JSON.parse(stack.keys.access).keys[0].kid;
      const jwt = new SignJWT(base)
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
        .setIssuer('el-manassa/users')
        .setAudience('el-manassa')
        .setSubject(DEMO.users.demoAdmin.id);
      const now = Math.floor(Date.now() / 1000);
      jwt.setIssuedAt(opts.expired ? now - 3600 : now).setExpirationTime(opts.expired ? now - 60 : now + 600);
      return jwt.sign(key);
    }

    it.each([
      ['alg none', () => forge('none', {})],
      ['a key that is not ours', () => forge('EdDSA', {})],
      ['an expired token', () => forge('EdDSA', { useRealKey: true }, { expired: true })],
      ['another school', () => forge('EdDSA', { useRealKey: true, tid: DEMO.schools.nile.id })],
      ['garbage', async () => 'not.a.jwt'],
    ])('refuses %s with UNAUTHENTICATED', async (_name, make) => {
      const r = await stack.gql(ME, { tenant: 'demo', token: await make() });
      expect(r.status).toBe(401);
      expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    });

    it('accepts a token signed with our key (the forgeries above fail for their flaw only)', async () => {
      const r = await stack.gql(ME, { tenant: 'demo', token: await forge('EdDSA', { useRealKey: true }) });
      expect(r.body.data.me.id).toBe(DEMO.users.demoAdmin.id);
    });
  });
});
