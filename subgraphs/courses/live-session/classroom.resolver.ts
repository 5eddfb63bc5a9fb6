import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { CoursesContext } from '../context';
import type { ClassroomService } from './classroom.service';
import { LiveSessionEventView } from './live-session-event.type';
import { PollView } from './poll.type';

/** The room of a LIVE session: each mutation answers with the live event it produced (or the poll). */
@Resolver()
export class ClassroomResolver {
  constructor(private readonly classroom: ClassroomService) {}

  @Authorized()
  @Mutation(() => LiveSessionEventView, {
    description: 'A chat message (1–1000 characters) to everyone in the room; not stored beyond the event stream.',
  })
  sendLiveChat(
    @Arg('sessionId', () => ID) sessionId: string,
    @Arg('text') text: string,
    @Ctx() ctx: CoursesContext,
  ): Promise<LiveSessionEventView> {
    return this.classroom.chat(ctx, sessionId, text);
  }

  @Authorized()
  @Mutation(() => LiveSessionEventView, { description: 'One emoji shown to the room.' })
  sendReaction(
    @Arg('sessionId', () => ID) sessionId: string,
    @Arg('emoji') emoji: string,
    @Ctx() ctx: CoursesContext,
  ): Promise<LiveSessionEventView> {
    return this.classroom.react(ctx, sessionId, emoji);
  }

  @Authorized()
  @Mutation(() => LiveSessionEventView, { description: 'CONFLICT when the hand is already up.' })
  raiseHand(@Arg('sessionId', () => ID) sessionId: string, @Ctx() ctx: CoursesContext): Promise<LiveSessionEventView> {
    return this.classroom.raiseHand(ctx, sessionId);
  }

  @Authorized()
  @Mutation(() => LiveSessionEventView, {
    description: "Lowers the caller's hand, or with userId (teacher, admins) someone else's. CONFLICT when it is not up.",
  })
  lowerHand(
    @Arg('sessionId', () => ID) sessionId: string,
    @Arg('userId', () => ID, { nullable: true }) userId: string | undefined,
    @Ctx() ctx: CoursesContext,
  ): Promise<LiveSessionEventView> {
    return this.classroom.lowerHand(ctx, sessionId, userId ?? undefined);
  }

  @Authorized()
  @Mutation(() => PollView, { description: "The course's teacher or a school admin asks the room; 2 to 10 options." })
  startPoll(
    @Arg('sessionId', () => ID) sessionId: string,
    @Arg('question') question: string,
    @Arg('options', () => [String]) options: string[],
    @Ctx() ctx: CoursesContext,
  ): Promise<PollView> {
    return this.classroom.startPoll(ctx, sessionId, question, options);
  }

  @Authorized()
  @Mutation(() => PollView, { description: 'A student in the room answers with a 0-based option index, once (CONFLICT on a second vote).' })
  votePoll(
    @Arg('pollId', () => ID) pollId: string,
    @Arg('option', () => Int) option: number,
    @Ctx() ctx: CoursesContext,
  ): Promise<PollView> {
    return this.classroom.vote(ctx, pollId, option);
  }

  @Authorized()
  @Mutation(() => PollView, { description: 'Closes the poll and reveals its counts to the room.' })
  endPoll(@Arg('pollId', () => ID) pollId: string, @Ctx() ctx: CoursesContext): Promise<PollView> {
    return this.classroom.endPoll(ctx, pollId);
  }
}
