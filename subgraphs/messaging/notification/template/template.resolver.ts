import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Roles } from '../../../../platform/auth/roles';
import type { MessagingContext } from '../../context';
import { NotificationTemplate } from './notification-template.entity';
import { TemplateInput } from './template.input';
import type { TemplateService } from './template.service';

/** The school's own notification wording: school admins only (teachers announce with it, they do not edit it). */
@Resolver(() => NotificationTemplate)
export class TemplateResolver {
  constructor(private readonly service: TemplateService) {}

  @Authorized(Roles.SCHOOL_ADMIN, Roles.PLATFORM_ADMIN)
  @Mutation(() => NotificationTemplate, {
    description:
      "School admins: the school's wording of a notification for one language (and one channel, or every channel); replaces the previous one.",
  })
  upsertTemplate(@Arg('input') input: TemplateInput, @Ctx() ctx: MessagingContext): Promise<NotificationTemplate> {
    return this.service.upsert(ctx, input);
  }

  @Authorized(Roles.SCHOOL_ADMIN, Roles.PLATFORM_ADMIN)
  @Query(() => [NotificationTemplate], {
    description: "School admins: the school's own templates (of `key`, when given); built-in ones are not listed.",
  })
  notificationTemplates(
    @Arg('key', () => String, { nullable: true }) key: string | undefined,
    @Ctx() ctx: MessagingContext,
  ): Promise<NotificationTemplate[]> {
    return this.service.list(ctx, key ?? undefined);
  }
}
