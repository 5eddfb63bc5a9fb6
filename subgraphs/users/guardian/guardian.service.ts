import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { viewerOf } from '../../../platform/auth/viewer';
import { appError, ErrorCode, forbidden, notFound } from '../../../platform/errors';
import { domainEvent } from '../../../platform/events/domain-events';
import { consumeOrThrow } from '../../../platform/rate-limit';
import { recordEvent } from '../../../platform/outbox/outbox';
import { readableCode, sha256 } from '../../../platform/secrets';
import type { UsersContext } from '../context';
import { Role } from '../user/role';
import { User } from '../user/user.entity';
import { GuardianLink } from './guardian-link.entity';
import { PairingCode } from './pairing-code.entity';
import type { PairingCodeView } from './pairing-code.type';

/** Pairing codes live 48 hours: long enough to pass on by hand, short enough to go stale. */
const CODE_TTL_MS = 48 * 3600 * 1000;
const INVALID_CODE = 'Pairing code is invalid, expired or already used';

export class GuardianService {
  constructor(
    /** Redeem attempts per parent: 8 characters of a 31-letter alphabet, but codes are guessable in bulk without a limit. */
    private readonly redeemLimiter: RateLimiterAbstract,
  ) {}

  async createCode(ctx: UsersContext, studentId: string): Promise<PairingCodeView> {
    const viewer = viewerOf(ctx);
    if (viewer.id !== studentId && !viewer.isAdmin) {
      throw forbidden('Only the student or a school admin can create a pairing code');
    }
    const student = await ctx.em.findOne(User, { id: studentId });
    if (!student || !student.roles.includes(Role.STUDENT)) throw notFound('Student');
    const code = readableCode(8);
    const expiresAt = new Date(Date.now() + CODE_TTL_MS);
    ctx.em.create(PairingCode, { schoolId: viewer.schoolId, codeHash: sha256(code), student, createdById: viewer.id, expiresAt });
    // For the messaging subgraph to deliver (the code is never logged); written with the code's row.
    recordEvent(
      ctx.em,
      domainEvent('pairing.code.created', viewer.schoolId, { studentId, createdById: viewer.id, code, expiresAt: expiresAt.toISOString() }),
    );
    await ctx.em.flush();
    return { code, expiresAt, student };
  }

  /**
   * The parent stops following the student: by the parent, or a school admin. True when a link
   * was removed, false when there was none. Other subgraphs learn it (`guardian.unlinked`).
   */
  async unpair(ctx: UsersContext, studentId: string, parentId: string): Promise<boolean> {
    const viewer = viewerOf(ctx);
    if (viewer.id !== parentId && !viewer.isAdmin) throw forbidden('Only the parent or a school admin can unpair');
    return ctx.em.transactional(async (em) => {
      const removed = await em.nativeDelete(GuardianLink, { guardian: parentId, student: studentId });
      if (!removed) return false;
      recordEvent(em, domainEvent('guardian.unlinked', viewer.schoolId, { guardianId: parentId, studentId }));
      return true;
    });
  }

  async redeem(ctx: UsersContext, codeInput: string): Promise<User> {
    const viewer = viewerOf(ctx);
    if (!viewer.isParent) throw forbidden('Only a parent account can pair with a student');
    await consumeOrThrow(this.redeemLimiter, `${viewer.schoolId}:${viewer.id}`);
    const code = codeInput.trim().toUpperCase().replace(/[\s-]/g, '');
    if (code.length !== 8) throw appError(ErrorCode.BAD_USER_INPUT, INVALID_CODE, { field: 'code' });
    const row = await ctx.em.findOne(PairingCode, { codeHash: sha256(code) }, { populate: ['student'] });
    if (!row || row.usedAt || row.expiresAt <= new Date()) throw appError(ErrorCode.BAD_USER_INPUT, INVALID_CODE, { field: 'code' });
    return ctx.em.transactional(async (em) => {
      const claimed = await em.nativeUpdate(PairingCode, { id: row.id, usedAt: null }, { usedAt: new Date(), usedById: viewer.id });
      if (claimed !== 1) throw appError(ErrorCode.BAD_USER_INPUT, INVALID_CODE, { field: 'code' });
      const guardian = em.getReference(User, viewer.id);
      const existing = await em.count(GuardianLink, { guardian, student: row.student });
      if (!existing) {
        em.create(GuardianLink, { schoolId: viewer.schoolId, guardian, student: row.student });
        // Other subgraphs keep a read model of guardian links (courses: what a parent may see).
        recordEvent(em, domainEvent('guardian.linked', viewer.schoolId, { guardianId: viewer.id, studentId: row.student.id }));
      }
      await em.flush();
      return row.student;
    });
  }
}
