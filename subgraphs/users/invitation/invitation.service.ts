import { Role } from '../user/role';
import { User } from '../user/user.entity';
import { userUpserted } from '../user/user.events';
import { viewerOf } from '../../../platform/auth/viewer';
import { appError, badInput, conflict, ErrorCode, forbidden } from '../../../platform/errors';
import { requireTenant } from '../../../platform/graphql/auth-checker';
import { recordEvent } from '../../../platform/outbox/outbox';
import { opaqueToken, sha256 } from '../../../platform/secrets';
import type { AuthPayload } from '../auth/auth-payload.type';
import { PASSWORD_MAX, PASSWORD_MIN, type PasswordHasher } from '../auth/password';
import type { SessionService } from '../auth/session.service';
import type { UsersContext } from '../context';
import { Invitation } from './invitation.entity';
import type { InvitationView, InviteUserInput } from './invitation.type';

/** Invitations stay valid for 7 days. */
const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw badInput(`Password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`, 'password');
  }
}

export class InvitationService {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
  ) {}

  async invite(ctx: UsersContext, input: InviteUserInput): Promise<InvitationView> {
    const viewer = viewerOf(ctx);
    if (!viewer.isAdmin) throw forbidden('Only school admins can invite people');
    if (input.roles.includes(Role.PLATFORM_ADMIN) && !viewer.isPlatformAdmin) {
      throw forbidden('Only a platform admin can grant PLATFORM_ADMIN');
    }
    const email = input.email.trim().toLowerCase();
    if (await ctx.em.count(User, { email })) throw conflict(`${email} is already a member of this school`);
    // A newer invitation replaces any pending one for the same address.
    await ctx.em.nativeUpdate(Invitation, { email, acceptedAt: null, expiresAt: { $gt: new Date() } }, { expiresAt: new Date() });
    const token = opaqueToken('inv_');
    const invitation = ctx.em.create(Invitation, {
      schoolId: viewer.schoolId,
      email,
      displayName: input.displayName.trim(),
      roles: [...new Set(input.roles)],
      tokenHash: sha256(token),
      invitedById: viewer.id,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    });
    await ctx.em.flush();
    return { ...invitation, acceptedAt: null, token };
  }

  async accept(ctx: UsersContext, token: string, password: string): Promise<AuthPayload> {
    const tenant = requireTenant(ctx);
    checkPassword(password);
    const invitation = await ctx.em.findOne(Invitation, { tokenHash: sha256(token) });
    if (!invitation || invitation.acceptedAt || invitation.expiresAt <= new Date()) {
      throw appError(ErrorCode.NOT_FOUND, 'Invitation is invalid, expired or already accepted');
    }
    const passwordHash = await this.hasher.hash(password);
    const locale = (await ctx.loaders.school.load(tenant.id))?.locale;
    // Inside the transaction use only `em`: on SQLite the outer EntityManager would wait for
    // the connection the transaction holds.
    return ctx.em.transactional(async (em) => {
      // Claim the invitation first: of two concurrent accepts only one updates the row.
      const claimed = await em.nativeUpdate(Invitation, { id: invitation.id, acceptedAt: null }, { acceptedAt: new Date() });
      if (claimed !== 1) throw appError(ErrorCode.NOT_FOUND, 'Invitation is invalid, expired or already accepted');
      if (await em.count(User, { email: invitation.email })) throw conflict(`${invitation.email} is already a member of this school`);
      const user = em.create(User, {
        schoolId: tenant.id,
        email: invitation.email,
        displayName: invitation.displayName,
        roles: invitation.roles,
        passwordHash,
        locale,
      });
      // Other subgraphs keep a read model of people (courses: who may be enrolled or teach).
      recordEvent(em, userUpserted(user));
      await em.flush();
      await em.nativeUpdate(Invitation, { id: invitation.id }, { userId: user.id });
      return this.sessions.start(em, user);
    });
  }
}
