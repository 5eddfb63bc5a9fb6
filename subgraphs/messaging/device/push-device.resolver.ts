import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import type { MessagingContext } from '../context';
import { registerPushDevice, unregisterPushDevice } from './push-device.service';

/** The signed-in person's phones and browsers that take push notifications. */
@Resolver()
export class PushDeviceResolver {
  @Authorized()
  @Mutation(() => Boolean, {
    description:
      'Registers this device’s FCM token for push notifications (call it on every app start). `platform`: ios, android or web. A token registered by someone else moves to you.',
  })
  async registerPushDevice(
    @Arg('token', () => String) token: string,
    @Arg('platform', () => String) platform: string,
    @Ctx() ctx: MessagingContext,
  ): Promise<boolean> {
    const viewer = viewerOf(ctx);
    await registerPushDevice(ctx.em, { schoolId: viewer.schoolId, userId: viewer.id, token, platform });
    return true;
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Stops push notifications to this device (sign-out); false when it was not registered to you.' })
  unregisterPushDevice(@Arg('token', () => String) token: string, @Ctx() ctx: MessagingContext): Promise<boolean> {
    return unregisterPushDevice(ctx.em, viewerOf(ctx).id, token);
  }
}
