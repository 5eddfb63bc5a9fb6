import { conflict, forbidden, notFound } from '../../../platform/errors';
import { pairKey } from '../../../platform/graphql/loaders';
import type { CoursesContext } from '../context';
import type { Viewer } from '../../../platform/auth/viewer';
import { CourseStatus, type Course } from './course.entity';

/**
 * Who may see and do what with a course and the data of its students, inside one school (other
 * schools never get here: every query runs behind the tenant filter).
 * - School admins: everything. Teachers: their own courses, and other courses once published.
 * - Students: published courses; their own enrollments, progress and attempts. An archived
 *   course stays visible to the students enrolled in it.
 * - Parents: what their children (guardian read model) may see of their own data.
 */
export const coursePolicy = {
  canManage(viewer: Viewer, course: Course): boolean {
    return viewer.isAdmin || (viewer.isTeacher && course.teacherId === viewer.id);
  },

  /** The viewer themselves (as a student) and the children they follow (as a parent). */
  async followedStudentIds(ctx: CoursesContext, viewer: Viewer): Promise<string[]> {
    const children = viewer.isParent ? await ctx.loaders.childIds.load(viewer.id) : [];
    return viewer.isStudent ? [viewer.id, ...children] : children;
  },

  /** The student is the viewer, or a child the viewer follows as a parent. */
  async isSelfOrChild(ctx: CoursesContext, viewer: Viewer, studentId: string): Promise<boolean> {
    if (viewer.id === studentId) return true;
    return viewer.isParent && (await ctx.loaders.childIds.load(viewer.id)).includes(studentId);
  },

  /** A student's data (progress, attempts, attendance): the student, their guardians, the course's managers. */
  async canSeeStudent(ctx: CoursesContext, viewer: Viewer, studentId: string, course: Course): Promise<boolean> {
    return coursePolicy.canManage(viewer, course) || coursePolicy.isSelfOrChild(ctx, viewer, studentId);
  },

  /** An enrollment that lets its student study the course (not dropped), or null. */
  activeEnrollment(ctx: CoursesContext, courseId: string, studentId: string) {
    return ctx.loaders.activeEnrollmentOf.load(pairKey(courseId, studentId));
  },

  /**
   * Following the course from the inside (its live sessions' events, who is in the room): its
   * managers, and once it is no longer a draft, its enrolled students and their guardians.
   */
  async canFollow(ctx: CoursesContext, viewer: Viewer, course: Course): Promise<boolean> {
    if (coursePolicy.canManage(viewer, course)) return true;
    if (course.status === CourseStatus.DRAFT) return false;
    for (const studentId of await coursePolicy.followedStudentIds(ctx, viewer)) {
      if (await coursePolicy.activeEnrollment(ctx, course.id, studentId)) return true;
    }
    return false;
  },

  /** Published courses, and those the viewer may follow (canFollow). */
  async canView(ctx: CoursesContext, viewer: Viewer, course: Course): Promise<boolean> {
    return course.status === CourseStatus.PUBLISHED || coursePolicy.canFollow(ctx, viewer, course);
  },

  /** Lesson content, quiz questions, live participation: the managers and enrolled students. */
  async canStudy(ctx: CoursesContext, viewer: Viewer, course: Course): Promise<boolean> {
    if (coursePolicy.canManage(viewer, course)) return true;
    return course.status !== CourseStatus.DRAFT && !!(await coursePolicy.activeEnrollment(ctx, course.id, viewer.id));
  },

  /** The course if the viewer may see it; NOT_FOUND otherwise (never revealing that it exists). */
  async viewable(ctx: CoursesContext, viewer: Viewer, courseId: string): Promise<Course> {
    const course = await ctx.loaders.course.load(courseId);
    if (!course || !(await coursePolicy.canView(ctx, viewer, course))) throw notFound('Course');
    return course;
  },

  /**
   * The course of a lesson, quiz or live session, when that item exists and the viewer may see its
   * course; null otherwise (callers then answer null or NOT_FOUND, never revealing that it exists).
   */
  async viewableCourseOf(ctx: CoursesContext, viewer: Viewer, item: { course: { id: string } } | null): Promise<Course | null> {
    const course = item && (await ctx.loaders.course.load(item.course.id));
    return course && (await coursePolicy.canView(ctx, viewer, course)) ? course : null;
  },

  /**
   * The course if the viewer may change it: NOT_FOUND when they cannot even see it, FORBIDDEN
   * when they can see but not manage it.
   */
  async manageable(ctx: CoursesContext, viewer: Viewer, courseId: string): Promise<Course> {
    const course = await coursePolicy.viewable(ctx, viewer, courseId);
    if (!coursePolicy.canManage(viewer, course)) throw forbidden("Only the course's teacher and school admins can change it");
    return course;
  },

  /** History views that also show deleted lessons and quizzes (`includeDeleted`): the course's managers; FORBIDDEN otherwise. */
  async requireDeletedViewer(ctx: CoursesContext, viewer: Viewer, courseId: string): Promise<void> {
    const course = await ctx.loaders.course.load(courseId);
    if (!course || !coursePolicy.canManage(viewer, course)) {
      throw forbidden("Only the course's teacher and school admins see deleted lessons and quizzes");
    }
  },

  /** manageable(), and not archived (CONFLICT): the course, its lessons, quizzes and sessions may change. */
  async editable(ctx: CoursesContext, viewer: Viewer, courseId: string): Promise<Course> {
    const course = await coursePolicy.manageable(ctx, viewer, courseId);
    if (course.status === CourseStatus.ARCHIVED) throw conflict('An archived course cannot be changed; publish it again first');
    return course;
  },
};
