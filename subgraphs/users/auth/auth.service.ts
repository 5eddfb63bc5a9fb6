import { unauthenticated } from '../../../platform/errors';
import type { UsersContext } from '../context';
import { User } from '../user/user.entity';
import type { AuthPayload } from './auth-payload.type';
import type { LoginThrottle } from './login-throttle';
import { PASSWORD_MAX, type PasswordHasher } from './password';
import type { SessionService } from './session.service';

/** One message for an unknown email and a wrong password, so neither reveals which accounts exist. */
const BAD_CREDENTIALS = 'Invalid email or password';
/** Told only to someone who gave the right password: it reveals nothing to a guesser. */
const DEACTIVATED = 'This account has been deactivated; contact your school';

export class AuthService {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    /** Failed logins per (account, source), per account and per source (login-throttle.ts). */
    private readonly throttle: LoginThrottle,
  ) {}

  async login(ctx: UsersContext, emailInput: string, password: string): Promise<AuthPayload> {
    if (!ctx.tenant) throw unauthenticated('A school (tenant) is required to log in');
    const email = emailInput.trim().toLowerCase();
    const account = `${ctx.tenant.id}:${email}`;
    // The client's address as the gateway saw it (signed internal context).
    await this.throttle.before(account, ctx.ip);

    const plausible = email.length <= 254 && password.length <= PASSWORD_MAX;
    const user = plausible ? await ctx.em.findOne(User, { email }, { populate: ['passwordHash'] }) : null;
    const ok = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !ok) {
      // Counted; a source over its limit for this account is refused before any hashing next time.
      await this.throttle.failed(account, ctx.ip);
      throw unauthenticated(BAD_CREDENTIALS);
    }
    await this.throttle.succeeded(account, ctx.ip);
    if (!user.active) throw unauthenticated(DEACTIVATED);
    if (this.hasher.needsRehash(user.passwordHash!)) {
      user.passwordHash = await this.hasher.hash(password);
      await ctx.em.flush();
    }
    return this.sessions.start(ctx.em, user);
  }
}
