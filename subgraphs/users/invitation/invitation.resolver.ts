import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { AuthPayload } from '../auth/auth-payload.type';
import type { UsersContext } from '../context';
import { Role } from '../user/role';
import { signedIn } from '../auth/session.service';
import type { InvitationService } from './invitation.service';
import { InvitationView, InviteUserInput } from './invitation.type';

@Resolver()
export class InvitationResolver {
  constructor(private readonly invitations: InvitationService) {}

  @Authorized(Role.SCHOOL_ADMIN, Role.PLATFORM_ADMIN)
  @Mutation(() => InvitationView, { name: 'inviteUser' })
  inviteUser(@Arg('input') input: InviteUserInput, @Ctx() ctx: UsersContext): Promise<InvitationView> {
    return this.invitations.invite(ctx, input);
  }

  @Mutation(() => AuthPayload, { description: 'Creates the account of an invited person and signs them in.' })
  acceptInvitation(@Arg('token') token: string, @Arg('password') password: string, @Ctx() ctx: UsersContext): Promise<AuthPayload> {
    return this.invitations.accept(ctx, token, password).then((p) => signedIn(ctx, p));
  }
}
