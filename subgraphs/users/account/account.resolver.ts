import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { AuthPayload } from '../auth/auth-payload.type';
import { signedIn } from '../auth/session.service';
import type { UsersContext } from '../context';
import { Role } from '../user/role';
import { User } from '../user/user.entity';
import type { AccountService } from './account.service';
import { UpdateMeInput } from './account.types';
import type { CredentialsService } from './credentials.service';

@Resolver()
export class AccountResolver {
  constructor(
    private readonly accounts: AccountService,
    private readonly credentials: CredentialsService,
  ) {}

  @Authorized()
  @Mutation(() => User, {
    description: 'The signed-in person changes their name, phone or language. A new language applies from their next access token.',
  })
  updateMe(@Arg('input') input: UpdateMeInput, @Ctx() ctx: UsersContext): Promise<User> {
    return this.accounts.updateMe(ctx, input);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      'Changes the password of the signed-in person, who gives the current one (5 wrong ones in 15 minutes refuse for a while). Every other session of theirs is signed out; this one stays.',
  })
  changePassword(
    @Arg('currentPassword') currentPassword: string,
    @Arg('newPassword') newPassword: string,
    @Ctx() ctx: UsersContext,
  ): Promise<boolean> {
    return this.credentials.changePassword(ctx, currentPassword, newPassword);
  }

  @Mutation(() => Boolean, {
    description:
      'Sends a single-use reset token (valid 30 minutes by default) to the account with this email in the current school, if there is one. Always true, so it tells nobody which accounts exist; rate-limited per email and per address.',
  })
  requestPasswordReset(@Arg('email') email: string, @Ctx() ctx: UsersContext): Promise<boolean> {
    return this.credentials.requestReset(ctx, email);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Sets a new password with a token from requestPasswordReset, once; every session of the person is signed out and a new one starts. An expired token answers TOKEN_EXPIRED.',
  })
  resetPassword(@Arg('token') token: string, @Arg('newPassword') newPassword: string, @Ctx() ctx: UsersContext): Promise<AuthPayload> {
    return this.credentials.reset(ctx, token, newPassword).then((p) => signedIn(ctx, p));
  }

  @Authorized(Role.SCHOOL_ADMIN, Role.PLATFORM_ADMIN)
  @Mutation(() => User, {
    description:
      'A school admin deactivates a person of the school (not themselves): they can no longer sign in, and their sessions end at once (open subscriptions close with 4403).',
  })
  deactivateUser(@Arg('id', () => ID) id: string, @Ctx() ctx: UsersContext): Promise<User> {
    return this.accounts.deactivate(ctx, id);
  }

  @Authorized(Role.SCHOOL_ADMIN, Role.PLATFORM_ADMIN)
  @Mutation(() => User, { description: 'A school admin lets a deactivated person sign in again.' })
  reactivateUser(@Arg('id', () => ID) id: string, @Ctx() ctx: UsersContext): Promise<User> {
    return this.accounts.reactivate(ctx, id);
  }

  @Authorized(Role.SCHOOL_ADMIN, Role.PLATFORM_ADMIN)
  @Mutation(() => User, {
    description:
      "A school admin replaces a person's roles; the school keeps an active SCHOOL_ADMIN, and PLATFORM_ADMIN is for platform admins to grant. A role taken away ends the person's sessions at once; a role granted applies from their next access token.",
  })
  setUserRoles(@Arg('id', () => ID) id: string, @Arg('roles', () => [Role]) roles: Role[], @Ctx() ctx: UsersContext): Promise<User> {
    return this.accounts.setRoles(ctx, id, roles);
  }
}
