import { reaction, type ReactionDeps } from './reaction';
import { courseTitle, notifyInTheirLanguage } from './recipients';

/**
 * Deliveries of an `enrollment.created` whose course messaging does not know yet are retried this
 * many times (the course's `course.upserted` travels on another queue and may come second); after
 * that the welcome names no course rather than never going out.
 */
const WAIT_FOR_COURSE_ATTEMPTS = 2;

/** `enrollment.created` → a welcome to the student naming the course. A backfill re-send is state, not news: no welcome. */
export const enrollmentWelcomeConsumer = ({ notify }: ReactionDeps) =>
  reaction('messaging.enrollment-welcomes', ['enrollment.created'], async (tx, event, { message }) => {
    const p = event.payload;
    if (p.backfill) return;
    const title = await courseTitle(tx, p.courseId);
    if (title === undefined && message.attempt <= WAIT_FOR_COURSE_ATTEMPTS) {
      throw new Error(`course ${p.courseId} is not known to messaging yet; retrying the welcome of enrollment ${p.enrollmentId}`);
    }
    await notifyInTheirLanguage(
      notify,
      tx,
      { schoolId: event.tenantId, category: 'enrollment', templateKey: 'enrollment.welcome', source: event.id },
      [p.studentId],
      () => ({ courseTitle: title, courseId: p.courseId }),
    );
  });
