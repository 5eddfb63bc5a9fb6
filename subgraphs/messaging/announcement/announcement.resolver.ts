import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import { ConnectionType, type Connection } from '../../../platform/graphql/connection';
import { GraphQLJSON } from '../../../platform/graphql/federation';
import type { MessagingContext } from '../context';
import { paginateNewestFirst } from '../notification/newest-first';
import { Channel } from '../notification/notification.entity';
import { CourseRef, courseRef } from '../references';
import { Announcement } from './announcement.entity';
import { announceableCourse, type AnnouncementService } from './announcement.service';

/** How an announcement's notifications stand, by status (every recipient and channel). */
@ObjectType('AnnouncementDeliveries')
export class AnnouncementDeliveries {
  @Field(() => Int) scheduled!: number;
  @Field(() => Int) queued!: number;
  @Field(() => Int) sent!: number;
  @Field(() => Int) delivered!: number;
  @Field(() => Int) read!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) canceled!: number;
}

@ArgsType()
class AnnouncementsArgs {
  @Field(() => ID)
  courseId!: string;

  @Field(() => Int, { nullable: true })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

const AnnouncementConnection = ConnectionType(Announcement);

/** Announcements: sent and listed by the course's teacher and school admins. */
@Resolver(() => Announcement)
export class AnnouncementResolver {
  constructor(private readonly service: AnnouncementService) {}

  @Authorized()
  @Mutation(() => Announcement, {
    description:
      "The course's teacher or a school admin: a message to the course's students and their guardians, on `channels` (each person's " +
      'preferences can still turn a channel off), from a template with `variables` (a flat object), at once or at `scheduledAt`.',
  })
  sendAnnouncement(
    @Arg('courseId', () => ID) courseId: string,
    @Arg('templateKey') templateKey: string,
    @Arg('variables', () => GraphQLJSON, { nullable: true }) variables: unknown,
    @Arg('channels', () => [Channel]) channels: Channel[],
    @Arg('scheduledAt', () => Date, { nullable: true }) scheduledAt: Date | undefined,
    @Ctx() ctx: MessagingContext,
  ): Promise<Announcement> {
    return this.service.send(ctx, { courseId, templateKey, variables, channels, scheduledAt });
  }

  @Authorized()
  @Query(() => AnnouncementConnection, { description: "The course's announcements, newest first: its teacher and school admins." })
  async announcements(@Args() args: AnnouncementsArgs, @Ctx() ctx: MessagingContext): Promise<Connection<Announcement>> {
    const course = await announceableCourse(ctx, viewerOf(ctx), args.courseId);
    return paginateNewestFirst(ctx.em, Announcement, { courseId: course.id }, args);
  }

  @FieldResolver(() => CourseRef)
  course(@Root() announcement: Announcement): CourseRef {
    return courseRef(announcement.courseId);
  }

  @FieldResolver(() => AnnouncementDeliveries)
  async deliveries(@Root() announcement: Announcement, @Ctx() ctx: MessagingContext): Promise<AnnouncementDeliveries> {
    const counts = await ctx.loaders.announcementDeliveries.load(announcement.id);
    return Object.assign(
      new AnnouncementDeliveries(),
      Object.fromEntries(Object.entries(counts).map(([status, n]) => [status.toLowerCase(), n])),
    );
  }
}
