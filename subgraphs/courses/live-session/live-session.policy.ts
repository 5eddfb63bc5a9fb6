import { forbidden, notFound } from '../../../platform/errors';
import type { CoursesContext } from '../context';
import type { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { optionalViewer, type Viewer } from '../../../platform/auth/viewer';
import type { LiveSession } from './live-session.entity';

/** A session with its course, if both exist in the caller's school (tenant filter). */
export async function sessionWithCourse(ctx: CoursesContext, sessionId: string): Promise<{ session: LiveSession; course: Course } | null> {
  const session = await ctx.loaders.liveSession.load(sessionId);
  const course = session && (await ctx.loaders.course.load(session.course.id));
  return session && course ? { session, course } : null;
}

/**
 * Who may follow a session's classroom events (`Subscription.liveSessionEvents`) and see who is
 * in the room: the course's teacher, school admins, the students enrolled in the course (not
 * dropped) and their guardians (coursePolicy.canFollow). Only inside the caller's school: the
 * session is read through the request's tenant-scoped loaders, so another school's id is simply not found.
 */
export async function canWatchSession(ctx: CoursesContext, sessionId: string): Promise<boolean> {
  const viewer = optionalViewer(ctx);
  const found = viewer && (await sessionWithCourse(ctx, sessionId));
  return !!found && coursePolicy.canFollow(ctx, viewer!, found.course);
}

export const liveSessionPolicy = {
  /** The session if the viewer may see its course; NOT_FOUND otherwise. */
  async visible(ctx: CoursesContext, viewer: Viewer, sessionId: string): Promise<{ session: LiveSession; course: Course }> {
    const session = await ctx.loaders.liveSession.load(sessionId);
    const course = await coursePolicy.viewableCourseOf(ctx, viewer, session);
    if (!session || !course) throw notFound('Live session');
    return { session, course };
  },

  /**
   * The session if the viewer takes part in it (join, chat, hands, votes): the course's managers
   * and its enrolled students themselves (coursePolicy.canStudy). NOT_FOUND when they cannot see it.
   */
  async participating(ctx: CoursesContext, viewer: Viewer, sessionId: string): Promise<{ session: LiveSession; course: Course }> {
    const found = await liveSessionPolicy.visible(ctx, viewer, sessionId);
    if (!(await coursePolicy.canStudy(ctx, viewer, found.course))) {
      throw forbidden("Only the course's teacher, school admins and enrolled students take part in its sessions");
    }
    return found;
  },
};
