import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ConnectionType, PageArgs } from '../../../platform/graphql/connection';
import { AuthPayload } from '../auth/auth-payload.type';
import type { UsersContext } from '../context';
import { Role } from '../user/role';
import { signedIn } from '../auth/session.service';
import type { InvitationService } from './invitation.service';
import { InvitationStatus, InvitationView, InviteUserInput } from './invitation.type';

export const InvitationConnection = ConnectionType(InvitationView, 'Invitation');

@Resolver()
export class InvitationResolver {
  constructor(private readonly service: InvitationService) {}

  @Authorized(Role.SCHOOL_ADMIN, Role.PLATFORM_ADMIN)
  @Mutation(() => InvitationView, {
    name: 'inviteUser',
    description: 'Invites someone to join the school with roles; the token goes to them by message (event `invitation.created`).',
  })
  inviteUser(@Arg('input') input: InviteUserInput, @Ctx() ctx: UsersContext): Promise<InvitationView> {
    return this.service.invite(ctx, input);
  }

  @Authorized(Role.SCHOOL_ADMIN, Role.PLATFORM_ADMIN)
  @Query(() => InvitationConnection, {
    description: "The school's invitations, oldest first; e.g. status: PENDING for those still open (admins).",
  })
  invitations(
    @Args() page: PageArgs,
    @Arg('status', () => InvitationStatus, { nullable: true }) status: InvitationStatus | undefined,
    @Ctx() ctx: UsersContext,
  ) {
    return this.service.list(ctx, status ?? undefined, page);
  }

  @Authorized(Role.SCHOOL_ADMIN, Role.PLATFORM_ADMIN)
  @Mutation(() => InvitationView, { description: 'Makes a pending invitation unusable (admins). An accepted one answers CONFLICT.' })
  revokeInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: UsersContext): Promise<InvitationView> {
    return this.service.revoke(ctx, id);
  }

  @Mutation(() => AuthPayload, { description: 'Creates the account of an invited person and signs them in.' })
  acceptInvitation(@Arg('token') token: string, @Arg('password') password: string, @Ctx() ctx: UsersContext): Promise<AuthPayload> {
    return this.service.accept(ctx, token, password).then((p) => signedIn(ctx, p));
  }
}
