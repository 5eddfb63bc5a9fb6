import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { badInput, conflict, forbidden, notFound } from '../../../platform/errors';
import type { CoursesContext } from '../context';
import type { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { requirePerson } from '../person/person.rules';
import { text } from '../../../platform/graphql/validation';
import { viewerOf, type Viewer } from '../../../platform/auth/viewer';
import { LiveSessionEventKind } from './live-event';
import type { LiveEvents } from './live-events';
import { LiveSession, LiveSessionStatus } from './live-session.entity';
import type { LiveSessionEventView } from './live-session-event.type';
import { liveSessionPolicy } from './live-session.policy';
import { PollVote } from './poll-vote.entity';
import { Poll } from './poll.entity';
import { countVotes, pollSnapshot, pollView, type PollView } from './poll.type';
import { roomOf, type Presence } from './presence';

const MAX_CHAT_LENGTH = 1000;
const MAX_POLL_OPTIONS = 10;
/** One emoji, possibly with modifiers or joiners (👍🏽, 👩‍🏫). */
const EMOJI = /^\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|\u200D\p{Extended_Pictographic})*$/u;

/**
 * What happens inside a LIVE session's room: chat, hands, reactions and polls. Only people in the
 * room (joinLiveSession) take part; each action is one live event on the session's topic. Polls
 * and votes are also stored, so a vote is counted once even when two arrive together.
 */
export class ClassroomService {
  constructor(
    private readonly presence: Presence,
    private readonly live: LiveEvents,
  ) {}

  async chat(ctx: CoursesContext, sessionId: string, message: string): Promise<LiveSessionEventView> {
    const { viewer, session } = await this.inRoom(ctx, sessionId);
    return this.live.publishTo(session, {
      kind: LiveSessionEventKind.CHAT_MESSAGE,
      actorId: viewer.id,
      text: text(message, 'text', MAX_CHAT_LENGTH),
    });
  }

  async react(ctx: CoursesContext, sessionId: string, emoji: string): Promise<LiveSessionEventView> {
    const value = emoji.trim();
    if (!EMOJI.test(value)) throw badInput('emoji must be a single emoji', 'emoji');
    const { viewer, session } = await this.inRoom(ctx, sessionId);
    return this.live.publishTo(session, { kind: LiveSessionEventKind.REACTION, actorId: viewer.id, text: value });
  }

  async raiseHand(ctx: CoursesContext, sessionId: string): Promise<LiveSessionEventView> {
    const { viewer, session } = await this.inRoom(ctx, sessionId);
    if (!(await this.presence.raiseHand(roomOf(session.schoolId, session.id), viewer.id))) throw conflict('Your hand is already raised');
    return this.live.publishTo(session, { kind: LiveSessionEventKind.HAND_RAISED, actorId: viewer.id });
  }

  /** Lowers the caller's hand, or (the teacher or an admin) someone else's. */
  async lowerHand(ctx: CoursesContext, sessionId: string, userId?: string): Promise<LiveSessionEventView> {
    const viewer = viewerOf(ctx);
    const { session, course } = await this.running(ctx, viewer, sessionId);
    const whose = userId ?? viewer.id;
    if (whose !== viewer.id && !coursePolicy.canManage(viewer, course))
      throw forbidden("Only the teacher and school admins can lower someone else's hand");
    if (whose !== viewer.id) await requirePerson(ctx, whose, 'userId');
    if (!(await this.presence.lowerHand(roomOf(session.schoolId, session.id), whose))) throw conflict('That hand is not raised');
    return this.live.publishTo(session, {
      kind: LiveSessionEventKind.HAND_LOWERED,
      actorId: viewer.id,
      ...(whose !== viewer.id ? { subjectId: whose } : {}),
    });
  }

  async startPoll(ctx: CoursesContext, sessionId: string, question: string, options: string[]): Promise<PollView> {
    const viewer = viewerOf(ctx);
    const { session, course } = await this.running(ctx, viewer, sessionId);
    if (!coursePolicy.canManage(viewer, course)) throw forbidden("Only the course's teacher and school admins can start polls");
    const asked = text(question, 'question', 500);
    const choices = options.map((o, i) => text(o, `options[${i}]`, 200));
    if (choices.length < 2 || choices.length > MAX_POLL_OPTIONS) throw badInput(`A poll needs 2 to ${MAX_POLL_OPTIONS} options`, 'options');
    // A poll nobody can see is no poll: refuse before storing it while the bus is away.
    this.live.assertAvailable();
    const poll = ctx.em.create(Poll, {
      schoolId: viewer.schoolId,
      session: ctx.em.getReference(LiveSession, session.id),
      question: asked,
      options: choices,
      createdById: viewer.id,
    });
    await ctx.em.flush();
    await this.live.publishTo(session, { kind: LiveSessionEventKind.POLL_STARTED, actorId: viewer.id, poll: pollSnapshot(poll) });
    return pollView(poll);
  }

  /** One vote per student and poll: a second one is a CONFLICT, an option out of range BAD_USER_INPUT. */
  async vote(ctx: CoursesContext, pollId: string, option: number): Promise<PollView> {
    const viewer = viewerOf(ctx);
    const poll = await ctx.loaders.poll.load(pollId);
    if (!poll) throw notFound('Poll');
    const { session, course } = await this.running(ctx, viewer, poll.session.id);
    if (coursePolicy.canManage(viewer, course)) throw forbidden('Polls are answered by students');
    if (!(await this.presence.isIn(roomOf(session.schoolId, session.id), viewer.id))) throw conflict('Join the session before voting');
    if (poll.closedAt) throw conflict('The poll is closed');
    if (!Number.isInteger(option) || option < 0 || option >= poll.options.length) {
      throw badInput(`option must be between 0 and ${poll.options.length - 1}`, 'option');
    }
    this.live.assertAvailable();
    try {
      ctx.em.create(PollVote, { schoolId: viewer.schoolId, poll, voterId: viewer.id, option });
      await ctx.em.flush();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw conflict('You already voted in this poll');
      throw err;
    }
    await this.live.publishTo(session, { kind: LiveSessionEventKind.POLL_RESPONSE, actorId: viewer.id, poll: pollSnapshot(poll) });
    return pollView(poll);
  }

  /** Closes the poll and publishes its final counts; ending a closed poll changes nothing. */
  async endPoll(ctx: CoursesContext, pollId: string): Promise<PollView> {
    const viewer = viewerOf(ctx);
    const poll = await ctx.loaders.poll.load(pollId);
    if (!poll) throw notFound('Poll');
    const { session, course } = await liveSessionPolicy.visible(ctx, viewer, poll.session.id);
    if (!coursePolicy.canManage(viewer, course)) throw forbidden("Only the course's teacher and school admins can end polls");
    if (poll.closedAt) return pollView(poll);
    this.live.assertAvailable();
    const closedAt = new Date();
    const claimed = await ctx.em.nativeUpdate(Poll, { id: poll.id, closedAt: null }, { closedAt });
    await ctx.em.refresh(poll);
    if (claimed === 1) {
      await this.live.publishTo(session, {
        kind: LiveSessionEventKind.POLL_ENDED,
        actorId: viewer.id,
        poll: pollSnapshot(poll, await countVotes(ctx, poll)),
      });
    }
    return pollView(poll);
  }

  /** The LIVE session, if the viewer takes part in it. */
  private async running(ctx: CoursesContext, viewer: Viewer, sessionId: string): Promise<{ session: LiveSession; course: Course }> {
    const found = await liveSessionPolicy.participating(ctx, viewer, sessionId);
    if (found.session.status !== LiveSessionStatus.LIVE) throw conflict('The session is not live');
    return found;
  }

  /** running() plus being in the room. */
  private async inRoom(ctx: CoursesContext, sessionId: string) {
    const viewer = viewerOf(ctx);
    const { session } = await this.running(ctx, viewer, sessionId);
    if (!(await this.presence.isIn(roomOf(session.schoolId, session.id), viewer.id))) throw conflict('Join the session first');
    return { viewer, session };
  }
}
