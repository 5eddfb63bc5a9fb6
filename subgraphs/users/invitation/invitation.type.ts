import { ArrayMaxSize, ArrayMinSize, IsEmail, Length } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../user/role';
import type { Invitation } from './invitation.entity';

@InputType()
export class InviteUserInput {
  @Field()
  @IsEmail()
  @Length(3, 254)
  email!: string;

  @Field()
  @Length(1, 200)
  displayName!: string;

  @Field(() => [Role])
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  roles!: Role[];
}

export enum InvitationStatus {
  /** Can still be accepted. */
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  /** Past its validity, or replaced by a newer invitation for the same address. */
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(InvitationStatus, { name: 'InvitationStatus' });

@ObjectType('Invitation', {
  description:
    'An invitation to join the school. Its token is delivered to the invitee (event `invitation.created`) and returned once, to the inviter, to pass on.',
})
export class InvitationView {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  displayName!: string;

  @Field(() => [Role])
  roles!: Role[];

  @Field(() => InvitationStatus)
  status!: InvitationStatus;

  @Field()
  createdAt!: Date;

  @Field()
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Only in the answer to inviteUser.' })
  token!: string | null;
}

export function invitationStatus(invitation: Invitation, now = new Date()): InvitationStatus {
  if (invitation.acceptedAt) return InvitationStatus.ACCEPTED;
  if (invitation.revokedAt) return InvitationStatus.REVOKED;
  return invitation.expiresAt <= now ? InvitationStatus.EXPIRED : InvitationStatus.PENDING;
}

/** The GraphQL view of an invitation; `token` only for the answer to inviteUser. */
export function invitationView(invitation: Invitation, token: string | null = null): InvitationView {
  const { id, email, displayName, roles, createdAt, expiresAt } = invitation;
  return {
    id,
    email,
    displayName,
    roles,
    status: invitationStatus(invitation),
    createdAt,
    expiresAt,
    acceptedAt: invitation.acceptedAt ?? null,
    revokedAt: invitation.revokedAt ?? null,
    token,
  };
}
