import { readCommitted } from '../../../platform/db/isolation';
import type { FilterQuery } from '@mikro-orm/core';
import { viewerOf } from '../../../platform/auth/viewer';
import { appError, conflict, ErrorCode, forbidden, notFound } from '../../../platform/errors';
import { domainEvent } from '../../../platform/events/domain-events';
import { paginate, type Connection, type PageArgs } from '../../../platform/graphql/connection';
import { requireTenant } from '../../../platform/graphql/auth-checker';
import { recordEvent } from '../../../platform/outbox/outbox';
import { opaqueToken, sha256 } from '../../../platform/secrets';
import type { AuthPayload } from '../auth/auth-payload.type';
import { checkPassword, type PasswordHasher } from '../auth/password';
import type { SessionService } from '../auth/session.service';
import type { UsersContext } from '../context';
import { Role } from '../user/role';
import { User } from '../user/user.entity';
import { userUpserted } from '../user/user.events';
import { Invitation } from './invitation.entity';
import { InvitationStatus, invitationView, type InvitationView, type InviteUserInput } from './invitation.type';

/** Invitations stay valid for 7 days. */
const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
const INVALID = 'Invitation is invalid, expired or already accepted';

/** Rows of one status (the statuses are exclusive: accepted first, then revoked, then by time). */
function byStatus(status: InvitationStatus | undefined, now: Date): FilterQuery<Invitation> {
  switch (status) {
    case InvitationStatus.PENDING:
      return { acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } };
    case InvitationStatus.ACCEPTED:
      return { acceptedAt: { $ne: null } };
    case InvitationStatus.REVOKED:
      return { acceptedAt: null, revokedAt: { $ne: null } };
    case InvitationStatus.EXPIRED:
      return { acceptedAt: null, revokedAt: null, expiresAt: { $lte: now } };
    default:
      return {};
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
    const token = opaqueToken('inv_');
    const invitation = await ctx.em.transactional(async (tx) => {
      // A newer invitation replaces any pending one for the same address.
      await tx.nativeUpdate(
        Invitation,
        { email, acceptedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } },
        { expiresAt: new Date() },
      );
      const invitation = tx.create(Invitation, {
        schoolId: viewer.schoolId,
        email,
        displayName: input.displayName.trim(),
        roles: [...new Set(input.roles)],
        tokenHash: sha256(token),
        invitedById: viewer.id,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      });
      // For the messaging subgraph to deliver (the token is never logged).
      recordEvent(
        tx,
        domainEvent('invitation.created', viewer.schoolId, {
          invitationId: invitation.id,
          email,
          displayName: invitation.displayName,
          roles: invitation.roles,
          token,
          invitedById: viewer.id,
          expiresAt: invitation.expiresAt.toISOString(),
        }),
      );
      return invitation;
    }, readCommitted(ctx.em));
    return invitationView(invitation, token);
  }

  /** The school's invitations, oldest first, optionally of one status (admins). */
  async list(ctx: UsersContext, status: InvitationStatus | undefined, page: PageArgs): Promise<Connection<InvitationView>> {
    const viewer = viewerOf(ctx);
    if (!viewer.isAdmin) throw forbidden('Only school admins can list invitations');
    const found = await paginate(ctx.em, Invitation, byStatus(status, new Date()), page);
    return { ...found, edges: found.edges.map((e) => ({ cursor: e.cursor, node: invitationView(e.node) })) };
  }

  /** Its token stops working; idempotent. An accepted invitation cannot be revoked (deactivate the person instead). */
  async revoke(ctx: UsersContext, id: string): Promise<InvitationView> {
    const viewer = viewerOf(ctx);
    if (!viewer.isAdmin) throw forbidden('Only school admins can revoke invitations');
    const invitation = await ctx.em.transactional(async (tx) => {
      const now = new Date();
      // Conditional: an accept at the same moment either wins (then this refuses) or finds it revoked.
      const revoked = await tx.nativeUpdate(
        Invitation,
        { id, acceptedAt: null, revokedAt: null },
        { revokedAt: now, revokedById: viewer.id },
      );
      const invitation = await tx.findOne(Invitation, { id }, { refresh: true });
      if (!invitation) throw notFound('Invitation');
      if (invitation.acceptedAt) throw conflict('This invitation was already accepted');
      if (revoked) {
        recordEvent(
          tx,
          domainEvent('invitation.revoked', viewer.schoolId, { invitationId: id, revokedById: viewer.id, revokedAt: now.toISOString() }),
        );
      }
      return invitation;
    });
    return invitationView(invitation);
  }

  async accept(ctx: UsersContext, token: string, password: string): Promise<AuthPayload> {
    const tenant = requireTenant(ctx);
    checkPassword(password);
    const invitation = await ctx.em.findOne(Invitation, { tokenHash: sha256(token) });
    if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) {
      throw appError(ErrorCode.NOT_FOUND, INVALID);
    }
    const passwordHash = await this.hasher.hash(password);
    const locale = (await ctx.loaders.school.load(tenant.id))?.locale;
    // Inside the transaction use only `em`: on SQLite the outer EntityManager would wait for
    // the connection the transaction holds.
    return ctx.em.transactional(async (em) => {
      // Claim the invitation first: of two concurrent accepts (or an accept and a revoke) only one updates the row.
      const claimed = await em.nativeUpdate(
        Invitation,
        { id: invitation.id, acceptedAt: null, revokedAt: null },
        { acceptedAt: new Date() },
      );
      if (claimed !== 1) throw appError(ErrorCode.NOT_FOUND, INVALID);
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
