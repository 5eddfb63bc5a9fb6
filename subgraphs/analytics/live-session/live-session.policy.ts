import { viewerOf } from '../../../platform/auth/viewer';
import { forbidden } from '../../../platform/errors';
import { isUuid } from '../../../platform/graphql/ids';
import type { AnalyticsContext } from '../context';
import { assertMayReadCourse } from '../course/course.policy';
import type { LiveSessionFact } from './live-session-fact.entity';

/**
 * Who may read a live session's figures: as for its course, the school's admins and the course's
 * teacher. Answers the session, or null to an admin when analytics has not heard of it (not
 * scheduled yet as far as it knows, or of another school: the tenant filter hides it); anyone
 * else is refused then, as they cannot be told apart from a teacher of another course.
 */
export async function sessionReadableBy(ctx: AnalyticsContext, sessionId: string): Promise<LiveSessionFact | null> {
  const viewer = viewerOf(ctx);
  const session = isUuid(sessionId) ? await ctx.loaders.liveSessionFact.load(sessionId.toLowerCase()) : null;
  if (!session) {
    if (viewer.isAdmin) return null;
    throw forbidden("Only the school's admins and the course's teacher may read its analytics");
  }
  await assertMayReadCourse(ctx, session.courseId);
  return session;
}
