import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { unauthenticated } from '../../../platform/errors';
import { opaqueToken, sha256 } from '../../../platform/secrets';
import { School } from '../school/school.entity';
import { User } from '../user/user.entity';
import type { AccessTokenIssuer } from '../../../platform/auth/access-token';
import type { AuthPayload } from './auth-payload.type';
import { RefreshToken } from './refresh-token.entity';

const INVALID = 'Refresh token is invalid, expired or already used';

/** A login session (refresh-token family) revoked in a transaction, to announce after the commit. */
export interface RevokedSession {
  sessionId: string;
  schoolId: string;
}

/**
 * Login sessions: an access JWT plus an opaque refresh token stored hashed. Every refresh
 * rotates the token; a token used twice means someone else holds a copy, so the whole family
 * (the legitimate holder's newer token included) is revoked (RFC 9700 §4.14.2).
 */
export class SessionService {
  constructor(
    private readonly issueAccess: AccessTokenIssuer,
    /** Refresh token lifetime; default 7 days. */
    private readonly refreshTtlSeconds = 7 * 24 * 3600,
    /** Told about every revoked session, so its access tokens can be refused before they expire. */
    private readonly onRevoked: (sessionId: string, schoolId: string) => Promise<void> = async () => {},
  ) {}

  /** Opens a new session (a new family) for a user who just proved who they are. */
  async start(em: EntityManager, user: User): Promise<AuthPayload> {
    return this.issue(em, user, randomUUID());
  }

  async rotate(em: EntityManager, presented: string): Promise<AuthPayload> {
    const row = await em.findOne(RefreshToken, { tokenHash: sha256(presented) });
    if (!row || row.revokedAt) throw unauthenticated(INVALID);
    const now = new Date();
    if (row.usedAt) {
      await this.revokeFamily(em, row);
      throw unauthenticated(INVALID);
    }
    if (row.expiresAt <= now) throw unauthenticated(INVALID);
    // A token issued concurrently with a reuse detection can outlive the family's revocation;
    // any revoked sibling means the session is dead.
    if (await em.count(RefreshToken, { familyId: row.familyId, revokedAt: { $ne: null } })) {
      await this.revokeFamily(em, row);
      throw unauthenticated(INVALID);
    }
    // Conditional update: of two concurrent refreshes with one token exactly one wins; the
    // other sees 0 rows, which is indistinguishable from reuse and handled the same way.
    const won = await em.nativeUpdate(RefreshToken, { id: row.id, usedAt: null, revokedAt: null }, { usedAt: now });
    if (won !== 1) {
      await this.revokeFamily(em, row);
      throw unauthenticated(INVALID);
    }
    const user = await em.findOne(User, { id: row.userId });
    // Deactivation revokes every session; this covers a login that raced it.
    if (!user || !user.active) {
      await this.revokeFamily(em, row);
      throw unauthenticated(INVALID);
    }
    return this.issue(em, user, row.familyId, row.id);
  }

  /** Ends the session the token belongs to; false when the token is unknown. */
  async revoke(em: EntityManager, presented: string): Promise<boolean> {
    const row = await em.findOne(RefreshToken, { tokenHash: sha256(presented) });
    if (!row) return false;
    await this.revokeFamily(em, row);
    return true;
  }

  /**
   * Revokes every live session of the person but `exceptSessionId` (the caller's own, when it
   * stays): password change or reset, deactivation, roles taken away. Runs in `em`'s transaction;
   * announce the returned sessions with `announce` once it is committed, so that a rollback never
   * announces a session that still works. A session whose refresh tokens have all expired has no
   * live access token either (those live minutes, refresh tokens days), so it is left alone.
   */
  async revokeAllOf(em: EntityManager, userId: string, exceptSessionId?: string): Promise<RevokedSession[]> {
    const now = new Date();
    const rows = await em.find(
      RefreshToken,
      { userId, revokedAt: null, expiresAt: { $gt: now }, ...(exceptSessionId ? { familyId: { $ne: exceptSessionId } } : {}) },
      { fields: ['familyId', 'schoolId'] },
    );
    const sessions = [...new Map(rows.map((r) => [r.familyId, { sessionId: r.familyId, schoolId: r.schoolId }])).values()];
    if (sessions.length) {
      await em.nativeUpdate(RefreshToken, { familyId: { $in: sessions.map((s) => s.sessionId) }, revokedAt: null }, { revokedAt: now });
    }
    return sessions;
  }

  /** Tells the gateway (through the bus) about sessions revoked by a committed transaction: their access tokens stop working at once. */
  async announce(sessions: RevokedSession[]): Promise<void> {
    await Promise.all(sessions.map((s) => this.onRevoked(s.sessionId, s.schoolId)));
  }

  /** Revokes every token of the session `token` belongs to, and announces it. */
  private async revokeFamily(em: EntityManager, token: Pick<RefreshToken, 'familyId' | 'schoolId'>): Promise<void> {
    await em.nativeUpdate(RefreshToken, { familyId: token.familyId, revokedAt: null }, { revokedAt: new Date() });
    await this.onRevoked(token.familyId, token.schoolId);
  }

  private async issue(em: EntityManager, user: User, familyId: string, parentId?: string): Promise<AuthPayload> {
    const school = await em.findOneOrFail(School, { id: user.schoolId });
    const refreshToken = opaqueToken('rt_');
    em.create(RefreshToken, {
      schoolId: user.schoolId,
      userId: user.id,
      familyId,
      parentId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.refreshTtlSeconds * 1000),
    });
    await em.flush();
    const access = await this.issueAccess({
      userId: user.id,
      schoolId: user.schoolId,
      schoolSlug: school.slug,
      roles: user.roles,
      sessionId: familyId,
      locale: user.locale.toLowerCase(),
    });
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, user };
  }
}

/**
 * The rest of this request (the payload's `user { email children … }`) is answered for the
 * person who just signed in, not for the anonymous caller the gateway vouched for.
 */
export function signedIn(ctx: { user?: { id: string; roles: string[] } }, payload: AuthPayload): AuthPayload {
  ctx.user = { id: payload.user.id, roles: payload.user.roles };
  return payload;
}
