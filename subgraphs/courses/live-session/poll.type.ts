import { Field, ID, ObjectType } from 'type-graphql';
import type { CoursesContext } from '../context';
import type { LiveSessionEventData } from './live-event';
import type { PollVote } from './poll-vote.entity';
import type { Poll } from './poll.entity';

/**
 * A poll as clients see it: from the database, or as a live event carried it (the state at that
 * moment). Counts and the caller's vote resolve in poll.resolver.ts.
 */
@ObjectType('Poll')
export class PollView {
  @Field(() => ID)
  id!: string;

  @Field()
  question!: string;

  @Field(() => [String])
  options!: string[];

  @Field()
  closed!: boolean;

  sessionId!: string;
  /** Final counts carried by a POLL_ENDED event. */
  eventCounts?: number[];
}

export function pollView(poll: Poll): PollView {
  return Object.assign(new PollView(), {
    id: poll.id,
    question: poll.question,
    options: poll.options,
    closed: !!poll.closedAt,
    sessionId: poll.session.id,
  });
}

export function pollFromEvent(data: LiveSessionEventData): PollView | null {
  if (!data.poll) return null;
  const { id, question, options, closed, counts } = data.poll;
  return Object.assign(new PollView(), { id, question, options, closed, sessionId: data.sessionId, eventCounts: counts });
}

/** The poll as a live event carries it; counts only once closed (live results stay hidden). */
export function pollSnapshot(poll: Poll, counts?: number[]): NonNullable<LiveSessionEventData['poll']> {
  return {
    id: poll.id,
    question: poll.question,
    options: poll.options,
    closed: !!poll.closedAt,
    ...(poll.closedAt && counts ? { counts } : {}),
  };
}

/** Votes per option of a poll. */
export function tally(options: readonly string[], votes: readonly PollVote[]): number[] {
  return options.map((_, i) => votes.filter((v) => v.option === i).length);
}

/**
 * Votes per option of a poll, read fresh from the database (not from what the request loaded
 * earlier); polls counted together share one query, and the poll's `counts` field reuses it.
 */
export async function countVotes(ctx: CoursesContext, poll: Poll): Promise<number[]> {
  return tally(poll.options, await ctx.loaders.pollVotes.clear(poll.id).load(poll.id));
}
