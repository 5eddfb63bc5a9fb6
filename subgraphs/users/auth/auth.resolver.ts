import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireTenant } from '../../../platform/graphql/auth-checker';
import type { UsersContext } from '../context';
import { AuthPayload } from './auth-payload.type';
import type { AuthService } from './auth.service';
import { signedIn, type SessionService } from './session.service';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
  ) {}

  @Mutation(() => AuthPayload, {
    description:
      'Email and password login in the current school. Failures are throttled per account and source: slowed down, never locked out for other sources (README, Security).',
  })
  login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: UsersContext): Promise<AuthPayload> {
    return this.auth.login(ctx, email, password).then((p) => signedIn(ctx, p));
  }

  @Mutation(() => AuthPayload, { description: 'Rotates the refresh token. Reusing an old one revokes the whole session.' })
  refreshToken(@Arg('refreshToken') token: string, @Ctx() ctx: UsersContext): Promise<AuthPayload> {
    requireTenant(ctx);
    return this.sessions.rotate(ctx.em, token).then((p) => signedIn(ctx, p));
  }

  @Mutation(() => Boolean, { description: 'Ends the session of this refresh token; false if it was unknown.' })
  logout(@Arg('refreshToken') token: string, @Ctx() ctx: UsersContext): Promise<boolean> {
    requireTenant(ctx);
    return this.sessions.revoke(ctx.em, token);
  }
}
