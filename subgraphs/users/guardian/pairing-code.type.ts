import { Field, ObjectType } from 'type-graphql';
import { User } from '../user/user.entity';

@ObjectType('PairingCode', { description: 'A one-time code a parent redeems with pairWithCode to follow a student.' })
export class PairingCodeView {
  @Field()
  code!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => User)
  student!: User;
}
