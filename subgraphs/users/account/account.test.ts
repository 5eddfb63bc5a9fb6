import { DEMO } from '../../../platform/demo';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { DomainEvents, DomainEventType } from '../../../platform/events/domain-events';
import { OutboxMessage } from '../../../platform/outbox/outbox';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { eventually } from '../../../testkit/eventually';
import { codes, type GqlResult } from '../../../testkit/graphql-client';
import { uniqueName } from '../../../testkit/services';
import { startStack, type Stack } from '../../../testkit/stack';
import { User } from '../user/user.entity';
import { PasswordReset } from './password-reset.entity';

const PASSWORD = 'first-password-1';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id } } }';
const REFRESH = 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }';
const ME = '{ me { id displayName phone locale active roles } }';
const REQUEST_RESET = 'mutation($e: String!) { requestPasswordReset(email: $e) }';
const RESET =
  'mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) { accessToken refreshToken user { id email } } }';

interface Member {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * What people manage about their account and what school admins manage about people's, through
 * the gateway, on MariaDB + Redis + RabbitMQ and on SQLite with the in-process adapters. Secrets
 * meant for delivery (reset tokens, invitation tokens, pairing codes) are read where they leave
 * the system: the domain events in the users outbox.
 */
describe.each(['mysql', 'sqlite'] as const)('accounts through the gateway (%s)', (dialect) => {
  let stack: Stack;
  let admin: { accessToken: string };
  beforeAll(async () => {
    stack = await startStack(dialect, {}, { subgraphs: ['users'] });
    admin = await stack.login(DEMO.users.demoAdmin.email);
  });
  afterAll(() => stack.stop());

  const users = () => stack.service<SubgraphService>('users');
  const usersEm = () => scopeToTenant(users().orm().em.fork(), DEMO.schools.demo.id);
  const as = (token: string, query: string, variables?: Record<string, unknown>) => stack.gql(query, { tenant: 'demo', token, variables });
  const anonymous = (query: string, variables?: Record<string, unknown>) => stack.gql(query, { tenant: 'demo', variables });
  const message = (r: GqlResult) => r.body.errors?.[0]?.message;

  /** The payloads of the events of `type` recorded so far (in the users outbox), oldest first. */
  async function events<T extends DomainEventType>(type: T): Promise<DomainEvents[T][]> {
    const rows = await users()
      .orm()
      .em.fork()
      .find(OutboxMessage, { type }, { orderBy: { sequence: 'asc' } });
    return rows.map((r) => JSON.parse(r.payload) as DomainEvents[T]);
  }

  /** A new member of the demo school: invited by the admin, accepted with PASSWORD (signed in). */
  async function member(roles: string[] = ['STUDENT'], displayName = 'New Member'): Promise<Member> {
    const email = `${uniqueName('member')}@demo.test`;
    const invite = await as(admin.accessToken, 'mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', {
      i: { email, displayName, roles },
    });
    const accepted = await anonymous(
      'mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { accessToken refreshToken user { id } } }',
      { t: invite.body.data.inviteUser.token, p: PASSWORD },
    );
    const { accessToken, refreshToken, user } = accepted.body.data.acceptInvitation;
    return { id: user.id, email, accessToken, refreshToken };
  }

  const login = (email: string, password: string) => anonymous(LOGIN, { e: email, p: password });
  /** Whether the gateway still takes this access token (a revoked session's are refused once it learns of it). */
  const works = async (token: string) => codes(await as(token, ME)).length === 0;

  describe('updateMe', () => {
    it('changes name, phone (normalised to E.164) and language; they reach other subgraphs as user.upserted', async () => {
      const me = await member();
      // Accepting the invitation told the other subgraphs of the person, with the email they were invited at.
      expect((await events('user.upserted')).filter((e) => e.userId === me.id)).toEqual([
        { userId: me.id, roles: ['STUDENT'], active: true, displayName: 'New Member', email: me.email, locale: 'AR' },
      ]);
      const r = await as(me.accessToken, 'mutation($i: UpdateMeInput!) { updateMe(input: $i) { id displayName phone locale } }', {
        i: { displayName: '  Salma Nabil  ', phone: '0100 123 4567', locale: 'EN' },
      });
      expect(r.body.data.updateMe).toEqual({ id: me.id, displayName: 'Salma Nabil', phone: '+201001234567', locale: 'EN' });
      expect((await events('user.upserted')).filter((e) => e.userId === me.id).at(-1)).toEqual({
        userId: me.id,
        roles: ['STUDENT'],
        active: true,
        displayName: 'Salma Nabil',
        email: me.email,
        phone: '+201001234567',
        locale: 'EN',
      });
      // Fields left out stay; the phone can be removed.
      const cleared = await as(me.accessToken, 'mutation { updateMe(input: { phone: null }) { displayName phone locale } }');
      expect(cleared.body.data.updateMe).toEqual({ displayName: 'Salma Nabil', phone: null, locale: 'EN' });
      expect((await events('user.upserted')).filter((e) => e.userId === me.id).at(-1)).toEqual({
        userId: me.id,
        roles: ['STUDENT'],
        active: true,
        displayName: 'Salma Nabil',
        email: me.email,
        locale: 'EN',
      });
    });

    it('tells other subgraphs of a change of phone alone, or of language alone, and of nothing when nothing changed', async () => {
      const me = await member();
      const mine = async () => (await events('user.upserted')).filter((e) => e.userId === me.id);
      const update = (i: Record<string, unknown>) =>
        as(me.accessToken, 'mutation($i: UpdateMeInput!) { updateMe(input: $i) { id } }', { i });
      expect(await mine()).toHaveLength(1);

      await update({ phone: '+20 100 765 4321' });
      expect(await mine()).toHaveLength(2);
      expect((await mine()).at(-1)).toMatchObject({ phone: '+201007654321', locale: 'AR', displayName: 'New Member' });

      await update({ locale: 'EN' });
      expect(await mine()).toHaveLength(3);
      expect((await mine()).at(-1)).toMatchObject({ phone: '+201007654321', locale: 'EN' });

      // The same values written another way (the phone as typed locally) change nothing: no event.
      await update({ phone: '01007654321', locale: 'EN', displayName: 'New Member' });
      await update({});
      expect(await mine()).toHaveLength(3);
      // A refused update records nothing either.
      expect(codes(await update({ phone: '12345', locale: 'AR' }))).toEqual(['BAD_USER_INPUT']);
      expect(await mine()).toHaveLength(3);
    });

    it('puts a new language in the next access token, not the current one', async () => {
      const me = await member();
      expect(claims(me.accessToken).loc).toBe('ar');
      await as(me.accessToken, 'mutation { updateMe(input: { locale: EN }) { locale } }');
      const next = await anonymous(REFRESH, { t: me.refreshToken });
      expect(claims(next.body.data.refreshToken.accessToken).loc).toBe('en');
    });

    it('refuses a blank name, a long one and a phone number that is none, naming the field, changing nothing', async () => {
      const me = await member();
      const update = (i: Record<string, unknown>) =>
        as(me.accessToken, 'mutation($i: UpdateMeInput!) { updateMe(input: $i) { id } }', { i });
      for (const [i, field] of [
        [{ displayName: '   ' }, 'displayName'],
        [{ displayName: 'x'.repeat(201) }, 'displayName'],
        [{ phone: '12345' }, 'phone'],
        [{ phone: 'call me maybe' }, 'phone'],
      ] as const) {
        const r = await update(i);
        expect(codes(r)).toEqual(['BAD_USER_INPUT']);
        expect(r.body.errors![0].extensions!.field).toBe(field);
      }
      expect((await as(me.accessToken, ME)).body.data.me).toMatchObject({ displayName: 'New Member', phone: null });
      // In the caller's language, with the same code.
      const arabic = await stack.gql('mutation { updateMe(input: { phone: "12345" }) { id } }', {
        tenant: 'demo',
        token: me.accessToken,
        headers: { 'accept-language': 'ar' },
      });
      expect(codes(arabic)).toEqual(['BAD_USER_INPUT']);
      expect(message(arabic)).toMatch(/رقم هاتف/);
      expect(codes(await anonymous('mutation { updateMe(input: { locale: EN }) { id } }'))).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('changePassword', () => {
    const CHANGE = 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';

    it('needs the current password, keeps this session and ends every other one', async () => {
      const me = await member();
      const other = (await login(me.email, PASSWORD)).body.data.login;
      expect(await works(other.accessToken)).toBe(true);

      const wrong = await as(me.accessToken, CHANGE, { c: 'not-my-password', n: 'second-password-2' });
      expect(codes(wrong)).toEqual(['BAD_USER_INPUT']);
      expect(wrong.body.errors![0].extensions!.field).toBe('currentPassword');
      const weak = await as(me.accessToken, CHANGE, { c: PASSWORD, n: 'short' });
      expect(codes(weak)).toEqual(['BAD_USER_INPUT']);
      expect(weak.body.errors![0].extensions!.field).toBe('newPassword');

      expect((await as(me.accessToken, CHANGE, { c: PASSWORD, n: 'second-password-2' })).body.data.changePassword).toBe(true);
      await eventually(async () => expect(await works(other.accessToken)).toBe(false));
      expect(codes(await anonymous(REFRESH, { t: other.refreshToken }))).toEqual(['UNAUTHENTICATED']);
      // The session that changed it goes on, refresh included.
      expect(await works(me.accessToken)).toBe(true);
      expect(codes(await anonymous(REFRESH, { t: me.refreshToken }))).toEqual([]);
      expect(codes(await login(me.email, PASSWORD))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await login(me.email, 'second-password-2'))).toEqual([]);
      expect((await events('password.changed')).filter((e) => e.userId === me.id).map((e) => e.via)).toEqual(['CHANGE']);
    });

    it('refuses for a while after 5 wrong current passwords, even the right one', async () => {
      const me = await member();
      for (let i = 0; i < 5; i++)
        expect(codes(await as(me.accessToken, CHANGE, { c: `wrong-${i}-pass`, n: 'second-password-2' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await as(me.accessToken, CHANGE, { c: PASSWORD, n: 'second-password-2' }))).toEqual(['RATE_LIMITED']);
    });
  });

  describe('password reset', () => {
    /** Asks for a reset of `email` and returns the token once the event that delivers it is recorded. */
    async function requestToken(email: string): Promise<string> {
      const before = (await events('password.reset.requested')).length;
      expect((await anonymous(REQUEST_RESET, { e: email })).body.data.requestPasswordReset).toBe(true);
      let token = '';
      await eventually(async () => {
        const sent = (await events('password.reset.requested')).slice(before);
        expect(sent).toHaveLength(1);
        token = sent[0].token;
      });
      return token;
    }

    it('sends a single-use token: it works once, signs in, and ends every earlier session', async () => {
      const me = await member();
      const token = await requestToken(me.email.toUpperCase());
      expect(token).toMatch(/^pwr_[\w-]{43}$/);
      const sent = (await events('password.reset.requested')).at(-1)!;
      expect(sent).toMatchObject({ userId: me.id, email: me.email, locale: 'AR' });
      expect(Date.parse(sent.expiresAt) - Date.now()).toBeGreaterThan(29 * 60_000);
      expect(Date.parse(sent.expiresAt) - Date.now()).toBeLessThanOrEqual(30 * 60_000);
      // Stored hashed only.
      const rows = await usersEm().find(PasswordReset, { userId: me.id });
      expect(rows.map((r) => r.tokenHash)).not.toContain(token);

      const reset = await anonymous(RESET, { t: token, p: 'after-reset-pass' });
      expect(reset.body.data.resetPassword.user).toEqual({ id: me.id, email: me.email });
      expect(await works(reset.body.data.resetPassword.accessToken)).toBe(true);
      await eventually(async () => expect(await works(me.accessToken)).toBe(false));
      expect(codes(await anonymous(REFRESH, { t: me.refreshToken }))).toEqual(['UNAUTHENTICATED']);

      const again = await anonymous(RESET, { t: token, p: 'another-password' });
      expect(codes(again)).toEqual(['BAD_USER_INPUT']);
      expect(again.body.errors![0].extensions!.field).toBe('token');
      expect(codes(await login(me.email, 'another-password'))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await login(me.email, 'after-reset-pass'))).toEqual([]);
      expect((await events('password.changed')).filter((e) => e.userId === me.id).map((e) => e.via)).toEqual(['RESET']);
    });

    it('refuses an expired token with TOKEN_EXPIRED, and one superseded by a newer request', async () => {
      const me = await member();
      const first = await requestToken(me.email);
      const second = await requestToken(me.email);
      expect(codes(await anonymous(RESET, { t: first, p: 'after-reset-pass' }))).toEqual(['BAD_USER_INPUT']);
      // 30 minutes later.
      await usersEm().nativeUpdate(PasswordReset, { userId: me.id, usedAt: null }, { expiresAt: new Date(Date.now() - 1000) });
      const expired = await anonymous(RESET, { t: second, p: 'after-reset-pass' });
      expect(codes(expired)).toEqual(['TOKEN_EXPIRED']);
      expect(message(expired)).toBe('Reset token has expired; request a new one');
      expect(codes(await login(me.email, PASSWORD))).toEqual([]);
    });

    it('answers true for an unknown email and sends nothing; a made-up token and a weak password are refused', async () => {
      const before = await events('password.reset.requested');
      expect((await anonymous(REQUEST_RESET, { e: 'nobody-here@demo.test' })).body.data.requestPasswordReset).toBe(true);
      // A known account's request, made after, is recorded: the unknown one's would be before it.
      const me = await member();
      await requestToken(me.email);
      const after = await events('password.reset.requested');
      expect(after.slice(before.length).map((e) => e.email)).toEqual([me.email]);
      expect(codes(await anonymous(REQUEST_RESET, { e: 'not an email' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await anonymous(RESET, { t: 'pwr_made-up', p: 'after-reset-pass' }))).toEqual(['BAD_USER_INPUT']);
      const weak = await anonymous(RESET, { t: 'pwr_made-up', p: 'short' });
      expect(weak.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    });

    it('limits requests per email, whether the account exists or not', async () => {
      for (const email of ['limit-me@demo.test', (await member()).email]) {
        for (let i = 0; i < 5; i++) expect(codes(await anonymous(REQUEST_RESET, { e: email }))).toEqual([]);
        const limited = await anonymous(REQUEST_RESET, { e: email });
        expect(codes(limited)).toEqual(['RATE_LIMITED']);
        expect(limited.body.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
      }
    });
  });

  describe('deactivation and roles (HTTP; subscriptions in deactivation.test.ts)', () => {
    const DEACTIVATE = 'mutation($id: ID!) { deactivateUser(id: $id) { id active } }';
    const SET_ROLES = 'mutation($id: ID!, $r: [Role!]!) { setUserRoles(id: $id, roles: $r) { id roles } }';

    it('deactivation ends every session of the person, refuses their login and refresh, and tells other subgraphs', async () => {
      const me = await member(['TEACHER']);
      const second = (await login(me.email, PASSWORD)).body.data.login;
      const r = await as(admin.accessToken, DEACTIVATE, { id: me.id });
      expect(r.body.data.deactivateUser).toEqual({ id: me.id, active: false });
      await eventually(async () => expect([await works(me.accessToken), await works(second.accessToken)]).toEqual([false, false]));
      expect(codes(await anonymous(REFRESH, { t: second.refreshToken }))).toEqual(['UNAUTHENTICATED']);
      // A wrong password answers as always; only the right one learns of the deactivation.
      expect(message(await login(me.email, 'wrong-password'))).toBe('Invalid email or password');
      const refused = await login(me.email, PASSWORD);
      expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
      expect(message(refused)).toBe('This account has been deactivated; contact your school');
      expect((await events('user.upserted')).filter((e) => e.userId === me.id).at(-1)).toMatchObject({ active: false, roles: ['TEACHER'] });
      // No reset either: nothing is sent.
      const resets = (await events('password.reset.requested')).length;
      expect((await anonymous(REQUEST_RESET, { e: me.email })).body.data.requestPasswordReset).toBe(true);
      expect((await as(admin.accessToken, DEACTIVATE, { id: me.id })).body.data.deactivateUser.active).toBe(false); // idempotent

      const back = await as(admin.accessToken, 'mutation($id: ID!) { reactivateUser(id: $id) { active } }', { id: me.id });
      expect(back.body.data.reactivateUser.active).toBe(true);
      expect(codes(await login(me.email, PASSWORD))).toEqual([]);
      expect((await events('user.upserted')).filter((e) => e.userId === me.id).at(-1)).toMatchObject({ active: true });
      expect((await events('password.reset.requested')).slice(resets)).toEqual([]);
    });

    it('is for school admins, never on oneself', async () => {
      const target = await member();
      const teacher = await stack.login(DEMO.users.demoTeacher.email);
      expect(codes(await as(teacher.accessToken, DEACTIVATE, { id: target.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await as(admin.accessToken, DEACTIVATE, { id: DEMO.users.demoAdmin.id }))).toEqual(['BAD_USER_INPUT']);
      // Another school's person is nobody here.
      expect(codes(await as(admin.accessToken, DEACTIVATE, { id: DEMO.users.nileAdmin.id }))).toEqual(['NOT_FOUND']);
      expect(await works(target.accessToken)).toBe(true);
    });

    it('roles: a role taken away ends the sessions at once, a role granted applies from the next token', async () => {
      const me = await member(['TEACHER']);
      const granted = await as(admin.accessToken, SET_ROLES, { id: me.id, r: ['TEACHER', 'PARENT'] });
      expect(granted.body.data.setUserRoles.roles.sort()).toEqual(['PARENT', 'TEACHER']);
      expect(await works(me.accessToken)).toBe(true);
      const refreshed = (await anonymous(REFRESH, { t: me.refreshToken })).body.data.refreshToken;
      expect((claims(refreshed.accessToken).roles as string[]).sort()).toEqual(['PARENT', 'TEACHER']);

      expect((await as(admin.accessToken, SET_ROLES, { id: me.id, r: ['PARENT'] })).body.data.setUserRoles.roles).toEqual(['PARENT']);
      await eventually(async () => expect(await works(refreshed.accessToken)).toBe(false));
      expect(codes(await anonymous(REFRESH, { t: refreshed.refreshToken }))).toEqual(['UNAUTHENTICATED']);
      expect((await events('user.upserted')).filter((e) => e.userId === me.id).at(-1)).toMatchObject({ roles: ['PARENT'], active: true });
    });

    it('roles: PLATFORM_ADMIN is not a school admin’s to grant, nobody is left roleless, and the school keeps an admin', async () => {
      const me = await member();
      expect(codes(await as(admin.accessToken, SET_ROLES, { id: me.id, r: ['PLATFORM_ADMIN'] }))).toEqual(['FORBIDDEN']);
      expect(codes(await as(admin.accessToken, SET_ROLES, { id: me.id, r: [] }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await as(me.accessToken, SET_ROLES, { id: me.id, r: ['SCHOOL_ADMIN'] }))).toEqual(['FORBIDDEN']);
      // The demo school has one school admin: they cannot step down until another exists.
      const stepDown = await as(admin.accessToken, SET_ROLES, { id: DEMO.users.demoAdmin.id, r: ['TEACHER'] });
      expect(codes(stepDown)).toEqual(['CONFLICT']);
      const second = await member(['SCHOOL_ADMIN']);
      expect(codes(await as(second.accessToken, DEACTIVATE, { id: DEMO.users.demoAdmin.id }))).toEqual([]);
      // Now `second` is the only active one.
      expect(codes(await as(second.accessToken, SET_ROLES, { id: second.id, r: ['TEACHER'] }))).toEqual(['CONFLICT']);
      expect(
        codes(await as(second.accessToken, 'mutation($id: ID!) { reactivateUser(id: $id) { id } }', { id: DEMO.users.demoAdmin.id })),
      ).toEqual([]);
      admin = await stack.login(DEMO.users.demoAdmin.email);
      const platformAdmin = await member(['SCHOOL_ADMIN']);
      await usersEm().nativeUpdate(User, { id: platformAdmin.id }, { roles: ['PLATFORM_ADMIN', 'SCHOOL_ADMIN'] });
      expect(codes(await as(admin.accessToken, DEACTIVATE, { id: platformAdmin.id }))).toEqual(['FORBIDDEN']);
    });
  });

  describe('invitations', () => {
    const LIST =
      'query($s: InvitationStatus, $after: String) { invitations(status: $s, first: 100, after: $after) { totalCount edges { node { id email status revokedAt token } } } }';
    const invite = (email: string) =>
      as(admin.accessToken, 'mutation($i: InviteUserInput!) { inviteUser(input: $i) { id token status } }', {
        i: { email, displayName: 'Invitee', roles: ['STUDENT'] },
      });

    it('sends the token by event, lists pending invitations to admins, and a revoked one cannot be accepted', async () => {
      const [a, b] = [`${uniqueName('inv-a')}@demo.test`, `${uniqueName('inv-b')}@demo.test`];
      const first = (await invite(a)).body.data.inviteUser;
      const second = (await invite(b)).body.data.inviteUser;
      expect(first.status).toBe('PENDING');
      const sent = (await events('invitation.created')).find((e) => e.invitationId === first.id);
      expect(sent).toMatchObject({ email: a, token: first.token, roles: ['STUDENT'], invitedById: DEMO.users.demoAdmin.id });

      const pending = (await as(admin.accessToken, LIST, { s: 'PENDING' })).body.data.invitations;
      const listed = pending.edges.map((e: { node: { id: string } }) => e.node);
      expect(listed).toEqual(
        expect.arrayContaining([
          { id: first.id, email: a, status: 'PENDING', revokedAt: null, token: null },
          { id: second.id, email: b, status: 'PENDING', revokedAt: null, token: null },
        ]),
      );

      const revoked = await as(admin.accessToken, 'mutation($id: ID!) { revokeInvitation(id: $id) { id status revokedAt } }', {
        id: first.id,
      });
      expect(revoked.body.data.revokeInvitation).toMatchObject({ id: first.id, status: 'REVOKED', revokedAt: expect.any(String) });
      expect((await events('invitation.revoked')).map((e) => e.invitationId)).toContain(first.id);
      const accept = 'mutation($t: String!) { acceptInvitation(token: $t, password: "a-long-password") { user { id } } }';
      expect(codes(await anonymous(accept, { t: first.token }))).toEqual(['NOT_FOUND']);
      const ids = async (s: string) =>
        (await as(admin.accessToken, LIST, { s })).body.data.invitations.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(await ids('PENDING')).not.toContain(first.id);
      expect(await ids('REVOKED')).toContain(first.id);

      expect(codes(await anonymous(accept, { t: second.token }))).toEqual([]);
      expect(await ids('ACCEPTED')).toContain(second.id);
      const late = await as(admin.accessToken, 'mutation($id: ID!) { revokeInvitation(id: $id) { id } }', { id: second.id });
      expect(codes(late)).toEqual(['CONFLICT']);
    });

    it('is for admins only', async () => {
      const teacher = await stack.login(DEMO.users.demoTeacher.email);
      expect(codes(await as(teacher.accessToken, LIST, { s: 'PENDING' }))).toEqual(['FORBIDDEN']);
      const nobody = await as(admin.accessToken, 'mutation($id: ID!) { revokeInvitation(id: $id) { id } }', {
        id: '00000000-0000-4000-8000-00000000dead',
      });
      expect(codes(nobody)).toEqual(['NOT_FOUND']);
    });
  });

  describe('pairing', () => {
    const UNPAIR = 'mutation($s: ID!, $p: ID!) { unpair(studentId: $s, parentId: $p) }';

    it('sends the pairing code by event; the parent or an admin unpairs, and other subgraphs learn it', async () => {
      const student = await member(['STUDENT']);
      const parent = await member(['PARENT']);
      const created = await as(student.accessToken, 'mutation($id: ID!) { createPairingCode(studentId: $id) { code } }', {
        id: student.id,
      });
      const code = created.body.data.createPairingCode.code;
      expect((await events('pairing.code.created')).find((e) => e.studentId === student.id)).toMatchObject({
        code,
        createdById: student.id,
      });
      await as(parent.accessToken, 'mutation($c: String!) { pairWithCode(code: $c) { id } }', { c: code });

      expect(codes(await as(student.accessToken, UNPAIR, { s: student.id, p: parent.id }))).toEqual(['FORBIDDEN']);
      expect((await as(parent.accessToken, UNPAIR, { s: student.id, p: parent.id })).body.data.unpair).toBe(true);
      expect((await as(parent.accessToken, '{ me { children { id } } }')).body.data.me.children).toEqual([]);
      expect((await events('guardian.unlinked')).filter((e) => e.studentId === student.id)).toEqual([
        { guardianId: parent.id, studentId: student.id },
      ]);
      expect((await as(admin.accessToken, UNPAIR, { s: student.id, p: parent.id })).body.data.unpair).toBe(false);
    });
  });
});
