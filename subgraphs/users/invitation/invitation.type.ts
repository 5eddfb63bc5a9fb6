import { ArrayMaxSize, ArrayMinSize, IsEmail, Length } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Role } from '../user/role';

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

@ObjectType('Invitation', { description: 'An invitation to join the school. `token` is returned once, to the inviter, to pass on.' })
export class InvitationView {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  displayName!: string;

  @Field(() => [Role])
  roles!: Role[];

  @Field()
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Only in the answer to inviteUser.' })
  token!: string | null;
}
