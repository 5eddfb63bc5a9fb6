import { byId, listBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { Attendance } from './attendance.entity';
import { LiveSession } from './live-session.entity';
import { PollVote } from './poll-vote.entity';
import { Poll } from './poll.entity';

/** The live-session feature's per-request loaders (one `IN (…)` query per tick each, through the request's tenant-scoped EntityManager). */
export function liveSessionLoaders({ em }: LoaderContext) {
  return {
    liveSession: byId((ids) => em.find(LiveSession, { id: { $in: ids } })),
    poll: byId((ids) => em.find(Poll, { id: { $in: ids } })),
    liveSessionsByCourse: listBy(
      (ids) => em.find(LiveSession, { course: { $in: ids } }, { orderBy: { startsAt: 'asc' } }),
      (s) => s.course.id,
    ),
    pollsBySession: listBy(
      (ids) => em.find(Poll, { session: { $in: ids } }, { orderBy: { createdAt: 'asc' } }),
      (p) => p.session.id,
    ),
    attendanceBySession: listBy(
      (ids) => em.find(Attendance, { session: { $in: ids } }, { orderBy: { firstJoinedAt: 'asc' } }),
      (a) => a.session.id,
    ),
    /** The votes of a poll (counted per option by poll.type.ts's tally). */
    pollVotes: listBy(
      (ids) => em.find(PollVote, { poll: { $in: ids } }),
      (v) => v.poll.id,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface CoursesLoaders extends ReturnType<typeof liveSessionLoaders> {}
}
