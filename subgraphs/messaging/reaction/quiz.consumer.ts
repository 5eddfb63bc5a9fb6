import { formatNumber, formatPercent } from './format';
import { reaction, type ReactionDeps } from './reaction';
import { contactsById, courseTitle, guardiansOf, notifyInTheirLanguage } from './recipients';

/** `quiz.submitted` → the student's guardians: the score out of the maximum, and the course. */
export const quizResultConsumer = ({ notify }: ReactionDeps) =>
  reaction('messaging.quiz-results', ['quiz.submitted'], async (tx, event) => {
    const p = event.payload;
    const guardians = await guardiansOf(tx, [p.studentId]);
    if (!guardians.length) return;
    const course = await courseTitle(tx, p.courseId);
    const studentName = (await contactsById(tx, [p.studentId])).get(p.studentId)?.displayName;
    await notifyInTheirLanguage(
      notify,
      tx,
      { schoolId: event.tenantId, category: 'quiz.result', templateKey: 'quiz.result', source: event.id },
      guardians,
      (locale) => ({
        studentName: studentName ?? (locale === 'AR' ? 'الطالب' : 'The student'),
        courseTitle: course ?? (locale === 'AR' ? 'المادة' : 'the course'),
        score: formatNumber(p.score, locale),
        maxScore: formatNumber(p.maxScore, locale),
        percent: p.maxScore > 0 ? formatPercent(p.score / p.maxScore, locale) : '',
        quizId: p.quizId,
        attemptId: p.attemptId,
      }),
    );
  });
