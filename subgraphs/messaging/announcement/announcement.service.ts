import { forbidden, notFound } from '../../../platform/errors';
import { isUuid } from '../../../platform/graphql/ids';
import { viewerOf, type Viewer } from '../../../platform/auth/viewer';
import { recordEvent } from '../../../platform/outbox/outbox';
import { badInput } from '../../../platform/errors';
import { Contact } from '../contact/contact.entity';
import type { MessagingContext } from '../context';
import { CourseInfo } from '../course/course-info.entity';
import type { Channel } from '../notification/notification.entity';
import { templateExists } from '../notification/template/render';
import { Announcement } from './announcement.entity';
import { ANNOUNCEMENT_FANOUT, type AnnouncementFanout } from './announcement.consumer';
import { announcementChannels, announcementSchedule, announcementVariables } from './announcement.validation';

export interface SendAnnouncement {
  courseId: string;
  templateKey: string;
  variables?: unknown;
  channels: Channel[];
  scheduledAt?: Date | null;
}

/**
 * The course the viewer may announce to: its teacher's, or any for a school admin. An unknown,
 * deleted or other school's course is not found (the read model is tenant-scoped); a course of
 * another teacher is forbidden.
 */
export async function announceableCourse(ctx: MessagingContext, viewer: Viewer, courseId: string): Promise<CourseInfo> {
  const course = isUuid(courseId) ? await ctx.em.findOne(CourseInfo, { id: courseId.toLowerCase(), deletedAt: null }) : null;
  if (!course) throw notFound('Course');
  if (!viewer.isAdmin && course.teacherId !== viewer.id) throw forbidden("Only the course's teacher and school admins can announce to it");
  return course;
}

export class AnnouncementService {
  /**
   * Stores the announcement and, in the same transaction, the job that resolves its audience and
   * makes its notifications (announcement.consumer.ts): the request does not wait for 500
   * families, and a committed announcement is never left without its fan-out.
   */
  async send(ctx: MessagingContext, input: SendAnnouncement): Promise<Announcement> {
    const viewer = viewerOf(ctx);
    const channels = announcementChannels(input.channels);
    const variables = announcementVariables(input.variables);
    const scheduledAt = announcementSchedule(input.scheduledAt);
    const templateKey = input.templateKey.trim();
    const course = await announceableCourse(ctx, viewer, input.courseId);
    if (!templateKey || !(await templateExists(ctx.em, templateKey))) {
      throw badInput(`Unknown template "${templateKey}"`, 'templateKey');
    }
    const teacher = await ctx.em.findOne(Contact, { id: course.teacherId });
    return ctx.em.transactional(async (tx) => {
      const announcement = tx.create(Announcement, {
        schoolId: viewer.schoolId,
        courseId: course.id,
        authorId: viewer.id,
        templateKey,
        // What the built-in templates name; the sender's own values win.
        variables: { courseTitle: course.title, ...(teacher?.displayName ? { teacherName: teacher.displayName } : {}), ...variables },
        channels,
        scheduledAt,
      });
      recordEvent<AnnouncementFanout>(tx, {
        type: ANNOUNCEMENT_FANOUT,
        tenantId: viewer.schoolId,
        payload: { announcementId: announcement.id },
      });
      return announcement;
    });
  }
}
