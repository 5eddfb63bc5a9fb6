import type { EntityManager } from '@mikro-orm/core';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { viewerOf } from '../../../platform/auth/viewer';
import { scopeToTenant } from '../../../platform/db/tenant';
import { appError, badInput, ErrorCode, unauthenticated } from '../../../platform/errors';
import { domainEvent } from '../../../platform/events/domain-events';
import { requireTenant } from '../../../platform/graphql/auth-checker';
import type { Logger } from '../../../platform/logger';
import { recordEvent } from '../../../platform/outbox/outbox';
import { assertNotLimited, consumeOrThrow } from '../../../platform/rate-limit';
import { opaqueToken, sha256 } from '../../../platform/secrets';
import type { AuthPayload } from '../auth/auth-payload.type';
import { sourceOf } from '../auth/login-throttle';
import { checkPassword, type PasswordHasher } from '../auth/password';
import type { SessionService } from '../auth/session.service';
import type { UsersContext } from '../context';
import { User } from '../user/user.entity';
import { PasswordReset } from './password-reset.entity';

const INVALID_RESET = 'Reset token is invalid or already used';
const EXPIRED_RESET = 'Reset token has expired; request a new one';

/** The rate limits of password changes and reset requests (README, "Security at the edge"). */
export const CREDENTIAL_LIMITS = {
  /** Reset requests per (school, email) per hour: caps the mail a stranger can send someone. */
  resetPerEmail: { points: 5, duration: 3600 },
  /** Reset requests per source (IPv4 address or IPv6 /64) per hour, over every address. */
  resetPerSource: { points: 30, duration: 3600 },
  /** Wrong current passwords per person per 15 minutes before changePassword refuses (a stolen access token guessing it). */
  changeFailures: { points: 5, duration: 900 },
};

export interface CredentialLimiters {
  resetPerEmail: RateLimiterAbstract;
  resetPerSource: RateLimiterAbstract;
  changeFailures: RateLimiterAbstract;
}

/** Ends every reset token of the person not used yet (superseded, or the password changed otherwise). */
export async function endPendingResets(em: EntityManager, userId: string): Promise<void> {
  await em.nativeUpdate(PasswordReset, { userId, usedAt: null }, { usedAt: new Date() });
}

/**
 * Passwords a person changes: knowing the current one (changePassword), or through a single-use
 * token sent to their email (requestPasswordReset, resetPassword). Either way every other session
 * of the person is revoked, announced on the bus as logout does, so the gateway refuses their
 * access tokens at once and closes their subscriptions.
 */
export class CredentialsService {
  /** Reset requests recorded in the background (see requestReset); awaited by `idle`. */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly limiters: CredentialLimiters,
    private readonly logger: Logger,
    /** How long a reset token works; default 30 minutes. */
    private readonly resetTtlSeconds = 30 * 60,
  ) {}

  async changePassword(ctx: UsersContext, currentPassword: string, newPassword: string): Promise<boolean> {
    const viewer = viewerOf(ctx);
    const key = `${viewer.schoolId}:${viewer.id}`;
    await assertNotLimited(this.limiters.changeFailures, key);
    checkPassword(newPassword, 'newPassword');
    const user = await ctx.em.findOne(User, { id: viewer.id }, { populate: ['passwordHash'] });
    if (!user?.active) throw unauthenticated();
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) {
      await this.limiters.changeFailures.consume(key).catch(() => undefined);
      throw badInput('Current password is incorrect', 'currentPassword');
    }
    if (currentPassword === newPassword) throw badInput('The new password must differ from the current one', 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    const revoked = await ctx.em.transactional(async (tx) => {
      await tx.nativeUpdate(User, { id: user.id }, { passwordHash, updatedAt: new Date() });
      await endPendingResets(tx, user.id);
      recordEvent(
        tx,
        domainEvent('password.changed', user.schoolId, { userId: user.id, via: 'CHANGE', changedAt: new Date().toISOString() }),
      );
      // The session making the change stays signed in; every other one ends.
      return this.sessions.revokeAllOf(tx, user.id, ctx.user?.sessionId);
    });
    await this.sessions.announce(revoked);
    return true;
  }

  /**
   * Always true, whether an account has this email or not, and in the same time: the answer
   * does not wait for the lookup and the token, which are recorded in the background. Both limits
   * count every request alike, so a refusal tells nothing about the account either.
   */
  async requestReset(ctx: UsersContext, emailInput: string): Promise<boolean> {
    const tenant = requireTenant(ctx);
    const email = emailInput.trim().toLowerCase();
    if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) throw badInput('email must be an email address', 'email');
    await consumeOrThrow(this.limiters.resetPerSource, sourceOf(ctx.ip));
    await consumeOrThrow(this.limiters.resetPerEmail, `${tenant.id}:${email}`);
    // Its own fork: the request's may still be in use by other fields of the operation.
    const work = this.issueReset(scopeToTenant(ctx.em.fork(), tenant.id), tenant.id, email)
      .catch((err: unknown) => this.logger.error({ err }, 'could not record a password reset request'))
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
    return true;
  }

  /** Resolves once every reset request taken so far is recorded (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async issueReset(em: EntityManager, schoolId: string, email: string): Promise<void> {
    const user = await em.findOne(User, { email });
    // Unknown and deactivated accounts get nothing; the caller cannot tell.
    if (!user?.active || !user.email) return;
    const token = opaqueToken('pwr_');
    const expiresAt = new Date(Date.now() + this.resetTtlSeconds * 1000);
    await em.transactional(async (tx) => {
      // A new request supersedes the earlier tokens: only the latest message works.
      await endPendingResets(tx, user.id);
      tx.create(PasswordReset, { schoolId, userId: user.id, tokenHash: sha256(token), expiresAt });
      // The only place the token goes (never logged): the messaging subgraph delivers it.
      recordEvent(
        tx,
        domainEvent('password.reset.requested', schoolId, {
          userId: user.id,
          email: user.email!,
          token,
          expiresAt: expiresAt.toISOString(),
          locale: user.locale,
        }),
      );
    });
  }

  /** Sets the password with a reset token (once, before it expires), ends every session and signs the person in. */
  async reset(ctx: UsersContext, token: string, newPassword: string): Promise<AuthPayload> {
    requireTenant(ctx);
    checkPassword(newPassword, 'newPassword');
    const row = token.length <= 200 ? await ctx.em.findOne(PasswordReset, { tokenHash: sha256(token) }) : null;
    if (!row || row.usedAt) throw badInput(INVALID_RESET, 'token');
    if (row.expiresAt <= new Date()) throw appError(ErrorCode.TOKEN_EXPIRED, EXPIRED_RESET, { field: 'token' });
    const passwordHash = await this.hasher.hash(newPassword);
    const { payload, revoked } = await ctx.em.transactional(async (tx) => {
      // Claimed first: of two concurrent uses only one updates the row.
      const now = new Date();
      const claimed = await tx.nativeUpdate(PasswordReset, { id: row.id, usedAt: null, expiresAt: { $gt: now } }, { usedAt: now });
      if (claimed !== 1) throw badInput(INVALID_RESET, 'token');
      const user = await tx.findOne(User, { id: row.userId });
      if (!user?.active) throw badInput(INVALID_RESET, 'token');
      await tx.nativeUpdate(User, { id: user.id }, { passwordHash, updatedAt: now });
      await endPendingResets(tx, user.id);
      recordEvent(tx, domainEvent('password.changed', user.schoolId, { userId: user.id, via: 'RESET', changedAt: now.toISOString() }));
      // Whoever else holds a session (perhaps the reason for the reset) is signed out.
      const revoked = await this.sessions.revokeAllOf(tx, user.id);
      return { payload: await this.sessions.start(tx, user), revoked };
    });
    await this.sessions.announce(revoked);
    return payload;
  }
}
