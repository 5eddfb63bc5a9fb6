import { FieldResolver, Resolver, Root } from 'type-graphql';
import { UserRef, userRef } from '../references';
import { Message } from './message.entity';

@Resolver(() => Message)
export class MessageResolver {
  @FieldResolver(() => UserRef, { description: 'Who wrote it (resolved by the users subgraph).' })
  sender(@Root() message: Message): UserRef {
    return userRef(message.senderId);
  }
}
