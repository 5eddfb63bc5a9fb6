import { viewerOf } from '../../../platform/auth/viewer';
import { forbidden } from '../../../platform/errors';
import type { AnalyticsContext } from '../context';

/**
 * Who may read a course's analytics: the school's admins, and the teacher of the course (as
 * courses last said). Everyone else, and a teacher of another course, is refused. The tenant
 * filter keeps another school's course out of reach: unknown here, it is nobody's.
 */
export async function assertMayReadCourse(ctx: AnalyticsContext, courseId: string): Promise<void> {
  const viewer = viewerOf(ctx);
  if (viewer.isAdmin) return;
  const course = await ctx.loaders.courseFact.load(courseId);
  if (!course || course.deleted || course.teacherId !== viewer.id) {
    throw forbidden("Only the school's admins and the course's teacher may read its analytics");
  }
}
