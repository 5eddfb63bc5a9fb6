import { LockMode, type EntityManager } from '@mikro-orm/core';
import { viewerOf, type Viewer } from '../../../platform/auth/viewer';
import { badInput, conflict, forbidden, notFound } from '../../../platform/errors';
import { text } from '../../../platform/graphql/validation';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { RevokedSession, SessionService } from '../auth/session.service';
import type { UsersContext } from '../context';
import { Role } from '../user/role';
import { hasRole } from '../user/role-set.type';
import { User } from '../user/user.entity';
import { userUpserted } from '../user/user.events';
import type { UpdateMeInput } from './account.types';
import { endPendingResets } from './credentials.service';
import { normalizePhone } from './phone';

const DISPLAY_NAME_MAX = 200;

/**
 * A person's own profile (updateMe) and a school admin's administration of people: deactivation
 * and roles. Every change other subgraphs keep (name, phone, language, roles, active) records `user.upserted` in
 * its transaction; every change that makes a person's access tokens say too much (deactivated,
 * a role taken away) revokes their sessions, announced once committed, so the gateway refuses
 * those tokens and closes their subscriptions at once.
 */
export class AccountService {
  constructor(private readonly sessions: SessionService) {}

  async updateMe(ctx: UsersContext, input: UpdateMeInput): Promise<User> {
    const viewer = viewerOf(ctx);
    const user = await ctx.em.findOne(User, { id: viewer.id });
    if (!user?.active) throw notFound('User');
    const before = { displayName: user.displayName, phone: user.phone ?? null, locale: user.locale };
    if (input.displayName !== undefined) user.displayName = text(input.displayName ?? '', 'displayName', DISPLAY_NAME_MAX);
    if (input.phone !== undefined) user.phone = normalizePhone(input.phone);
    // The access token's `loc` claim follows from the next token on (see UpdateMeInput.locale).
    if (input.locale) user.locale = input.locale;
    // Courses shows names from its own read model of people; messaging reaches people by phone in their language.
    const changed = user.displayName !== before.displayName || (user.phone ?? null) !== before.phone || user.locale !== before.locale;
    if (changed) recordEvent(ctx.em, userUpserted(user));
    await ctx.em.flush();
    return user;
  }

  /**
   * The person can no longer sign in (login answers that the account is deactivated, after a
   * right password only), their sessions and pending reset tokens end, and other subgraphs learn
   * they are inactive. Idempotent. Not oneself, and the school keeps an active school admin.
   */
  async deactivate(ctx: UsersContext, id: string): Promise<User> {
    const viewer = viewerOf(ctx);
    if (!viewer.isAdmin) throw forbidden('Only school admins can deactivate people');
    if (id === viewer.id) throw badInput('You cannot deactivate your own account', 'id');
    const { user, revoked } = await ctx.em.transactional(async (tx) => {
      const user = await this.target(tx, viewer, id);
      if (!user.active) return { user, revoked: [] as RevokedSession[] };
      if (user.roles.includes(Role.SCHOOL_ADMIN)) await keepAnAdmin(tx, user.id);
      user.deactivatedAt = new Date();
      await endPendingResets(tx, user.id);
      const revoked = await this.sessions.revokeAllOf(tx, user.id);
      recordEvent(tx, userUpserted(user));
      return { user, revoked };
    });
    await this.sessions.announce(revoked);
    return user;
  }

  /** Lets a deactivated person sign in again (with their old password, or a reset). Idempotent. */
  async reactivate(ctx: UsersContext, id: string): Promise<User> {
    const viewer = viewerOf(ctx);
    if (!viewer.isAdmin) throw forbidden('Only school admins can reactivate people');
    return ctx.em.transactional(async (tx) => {
      const user = await this.target(tx, viewer, id);
      if (user.active) return user;
      user.deactivatedAt = null;
      recordEvent(tx, userUpserted(user));
      return user;
    });
  }

  /**
   * Replaces the person's roles. Granting or taking PLATFORM_ADMIN, or changing a platform
   * admin's roles, is for platform admins; the school keeps an active school admin. Taking a role
   * away revokes the person's sessions (their access tokens list the roles they had), so it
   * applies at once; a role granted applies from the person's next token (refresh or login).
   */
  async setRoles(ctx: UsersContext, id: string, rolesInput: Role[]): Promise<User> {
    const viewer = viewerOf(ctx);
    if (!viewer.isAdmin) throw forbidden("Only school admins can change people's roles");
    const roles = [...new Set(rolesInput)];
    if (!roles.length) throw badInput('roles must name at least one role', 'roles');
    if (roles.includes(Role.PLATFORM_ADMIN) && !viewer.isPlatformAdmin) throw forbidden('Only a platform admin can grant PLATFORM_ADMIN');
    const { user, revoked } = await ctx.em.transactional(async (tx) => {
      const user = await this.target(tx, viewer, id);
      const removed = user.roles.filter((r) => !roles.includes(r));
      const added = roles.filter((r) => !user.roles.includes(r));
      if (!removed.length && !added.length) return { user, revoked: [] as RevokedSession[] };
      if (removed.includes(Role.SCHOOL_ADMIN) && user.active) await keepAnAdmin(tx, user.id);
      user.roles = roles;
      recordEvent(tx, userUpserted(user));
      const revoked = removed.length ? await this.sessions.revokeAllOf(tx, user.id) : [];
      return { user, revoked };
    });
    await this.sessions.announce(revoked);
    return user;
  }

  /** The person `id` of the school, whom `viewer` may administer: only platform admins administer a platform admin. */
  private async target(tx: EntityManager, viewer: Viewer, id: string): Promise<User> {
    const user = await tx.findOne(User, { id });
    if (!user) throw notFound('User');
    if (user.roles.includes(Role.PLATFORM_ADMIN) && !viewer.isPlatformAdmin) {
      throw forbidden('Only a platform admin can change a platform admin');
    }
    return user;
  }
}

/**
 * CONFLICT unless the school has an active school admin other than `userId`. The admins' rows
 * are locked (MySQL; SQLite runs one transaction at a time), so two admins demoting or
 * deactivating each other at once cannot both succeed and leave the school without one.
 */
async function keepAnAdmin(tx: EntityManager, userId: string): Promise<void> {
  const admins = await tx.find(User, { roles: hasRole(Role.SCHOOL_ADMIN), deactivatedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!admins.some((a) => a.id !== userId)) throw conflict('A school must keep at least one active school admin');
}
