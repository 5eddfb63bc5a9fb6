import { LiveSessionInfo } from './live-session-info.entity';
import { reaction, type ReactionDeps } from './reaction';
import { contactsById, courseTitle, guardiansOf, notifyInTheirLanguage } from './recipients';

/**
 * `live.attendance` ABSENT → the student's guardians. One notice per student and session (source
 * `attendance:<session>:<student>`): an attendance changed back and forth by the teacher does
 * not tell the parents twice. The session's title comes from the live sessions read model; a
 * session messaging has not seen is "a live session of <course>".
 */
export const attendanceConsumer = ({ notify }: ReactionDeps) =>
  reaction('messaging.attendance-notices', ['live.attendance'], async (tx, event) => {
    const p = event.payload;
    if (p.status !== 'ABSENT') return;
    const guardians = await guardiansOf(tx, [p.studentId]);
    if (!guardians.length) return;
    // One after the other: the queries share the transaction's connection.
    const session = await tx.findOne(LiveSessionInfo, { id: p.sessionId });
    const course = await courseTitle(tx, p.courseId);
    const studentName = (await contactsById(tx, [p.studentId])).get(p.studentId)?.displayName;
    await notifyInTheirLanguage(
      notify,
      tx,
      {
        schoolId: event.tenantId,
        category: 'attendance',
        templateKey: 'attendance.absent',
        source: `attendance:${p.sessionId}:${p.studentId}`,
      },
      guardians,
      (locale) => ({
        studentName: studentName ?? (locale === 'AR' ? 'الطالب' : 'The student'),
        sessionTitle:
          locale === 'AR'
            ? session?.title
              ? `حصة «${session.title}» المباشرة${course ? ` في مادة ${course}` : ''}`
              : `حصة مباشرة${course ? ` في مادة ${course}` : ''}`
            : session?.title
              ? `the live session "${session.title}"${course ? ` of ${course}` : ''}`
              : `a live session${course ? ` of ${course}` : ''}`,
        sessionId: p.sessionId,
        studentId: p.studentId,
      }),
    );
  });
