import { notFound } from '../../../platform/errors';
import type { CoursesContext } from '../context';
import { CourseStatus, type Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { optionalViewer, type Viewer } from '../viewer';
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
 * dropped) and their guardians. Only inside the caller's school: the session is read through the
 * request's tenant-scoped loaders, so another school's id is simply not found.
 */
export async function canWatchSession(ctx: CoursesContext, sessionId: string): Promise<boolean> {
  const viewer = optionalViewer(ctx);
  const found = viewer && (await sessionWithCourse(ctx, sessionId));
  if (!found) return false;
  const { course } = found;
  if (coursePolicy.canManage(viewer!, course)) return true;
  if (course.status === CourseStatus.DRAFT) return false;
  for (const studentId of await coursePolicy.followedStudentIds(ctx, viewer!)) {
    if (await coursePolicy.activeEnrollment(ctx, course.id, studentId)) return true;
  }
  return false;
}

export const liveSessionPolicy = {
  /** Taking part (join, chat, hands, votes): the course's managers and its enrolled students themselves. */
  async canParticipate(ctx: CoursesContext, viewer: Viewer, course: Course): Promise<boolean> {
    return coursePolicy.canStudy(ctx, viewer, course);
  },

  /** The session if the viewer may see its course; NOT_FOUND otherwise. */
  async visible(ctx: CoursesContext, viewer: Viewer, sessionId: string): Promise<{ session: LiveSession; course: Course }> {
    const found = await sessionWithCourse(ctx, sessionId);
    if (!found || !(await coursePolicy.canView(ctx, viewer, found.course))) throw notFound('Live session');
    return found;
  },
};
