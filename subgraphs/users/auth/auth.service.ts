import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { unauthenticated } from '../../../platform/errors';
import { assertNotLimited } from '../../../platform/rate-limit';
import type { UsersContext } from '../context';
import { User } from '../user/user.entity';
import type { AuthPayload } from './auth-payload.type';
import { PASSWORD_MAX, type PasswordHasher } from './password';
import type { SessionService } from './session.service';

export interface LoginLimiters {
  /** Failed logins per (school, email): stops guessing one account's password. */
  perAccount: RateLimiterAbstract;
  /** Failed logins per client IP: stops spraying many accounts from one place. */
  perIp: RateLimiterAbstract;
}

/** One message for an unknown email and a wrong password, so neither reveals which accounts exist. */
const BAD_CREDENTIALS = 'Invalid email or password';

export class AuthService {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly limiters: LoginLimiters,
  ) {}

  async login(ctx: UsersContext, emailInput: string, password: string): Promise<AuthPayload> {
    if (!ctx.tenant) throw unauthenticated('A school (tenant) is required to log in');
    const email = emailInput.trim().toLowerCase();
    const accountKey = `${ctx.tenant.id}:${email}`;
    const ipKey = ctx.ip ?? 'unknown';
    await assertNotLimited(this.limiters.perAccount, accountKey);
    await assertNotLimited(this.limiters.perIp, ipKey);

    const plausible = email.length <= 254 && password.length <= PASSWORD_MAX;
    const user = plausible ? await ctx.em.findOne(User, { email }, { populate: ['passwordHash'] }) : null;
    const ok = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !ok) {
      // Count the failure; the next attempt over the limit is refused before any hashing.
      await Promise.allSettled([this.limiters.perAccount.consume(accountKey), this.limiters.perIp.consume(ipKey)]);
      throw unauthenticated(BAD_CREDENTIALS);
    }
    await this.limiters.perAccount.delete(accountKey);
    if (this.hasher.needsRehash(user.passwordHash!)) {
      user.passwordHash = await this.hasher.hash(password);
      await ctx.em.flush();
    }
    return this.sessions.start(ctx.em, user);
  }
}
