import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { CoursesContext } from '../context';
import { coursePolicy } from '../course/course.policy';
import { optionalViewer } from '../../../platform/auth/viewer';
import { LiveSession } from './live-session.entity';
import { sessionWithCourse } from './live-session.policy';
import { PollView, tally } from './poll.type';

@Resolver(() => PollView)
export class PollResolver {
  @FieldResolver(() => LiveSession)
  async session(@Root() poll: PollView, @Ctx() ctx: CoursesContext): Promise<LiveSession> {
    return (await ctx.loaders.liveSession.load(poll.sessionId))!;
  }

  @FieldResolver(() => [Int], {
    nullable: true,
    description: 'Votes per option: for the teacher and admins at any time, for the room once the poll is closed.',
  })
  async counts(@Root() poll: PollView, @Ctx() ctx: CoursesContext): Promise<number[] | null> {
    const viewer = optionalViewer(ctx);
    const found = viewer && (await sessionWithCourse(ctx, poll.sessionId));
    if (!found || !(poll.closed || coursePolicy.canManage(viewer!, found.course))) return null;
    if (poll.eventCounts) return poll.eventCounts;
    return tally(poll.options, await ctx.loaders.pollVotes.load(poll.id));
  }

  @FieldResolver(() => Int, { nullable: true, description: "The caller's own vote, if any." })
  async myVote(@Root() poll: PollView, @Ctx() ctx: CoursesContext): Promise<number | null> {
    const viewer = optionalViewer(ctx);
    if (!viewer) return null;
    return (await ctx.loaders.pollVotes.load(poll.id)).find((v) => v.voterId === viewer.id)?.option ?? null;
  }
}
