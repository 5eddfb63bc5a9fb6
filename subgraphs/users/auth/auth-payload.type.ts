import { Field, ObjectType } from 'type-graphql';
import { User } from '../user/user.entity';

@ObjectType()
export class AuthPayload {
  @Field({ description: 'EdDSA JWT for `Authorization: Bearer`; valid 15 minutes.' })
  accessToken!: string;

  @Field()
  accessTokenExpiresAt!: Date;

  @Field({ description: 'Opaque; exchange it with `refreshToken` for a new pair. Single use.' })
  refreshToken!: string;

  @Field(() => User)
  user!: User;
}
