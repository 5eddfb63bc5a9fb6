import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { MessagingContext } from '../../context';
import { Channel } from '../notification.entity';
import { NotificationFrequency, NotificationPreference } from './notification-preference.entity';
import type { PreferenceService } from './preference.service';

@Resolver(() => NotificationPreference)
export class PreferenceResolver {
  constructor(private readonly service: PreferenceService) {}

  @Authorized()
  @Query(() => [NotificationPreference], {
    description: "The viewer's preference for every notification category (the defaults where unset).",
  })
  notificationPreferences(@Ctx() ctx: MessagingContext): Promise<NotificationPreference[]> {
    return this.service.list(ctx);
  }

  @Authorized()
  @Mutation(() => NotificationPreference, {
    description:
      'How the viewer wants one category of notifications: on which channels (in-app ones always come when a sender asks for them) and how often.',
  })
  setNotificationPreference(
    @Arg('category') category: string,
    @Arg('channels', () => [Channel]) channels: Channel[],
    @Arg('frequency', () => NotificationFrequency) frequency: NotificationFrequency,
    @Ctx() ctx: MessagingContext,
  ): Promise<NotificationPreference> {
    return this.service.set(ctx, category, channels, frequency);
  }
}
