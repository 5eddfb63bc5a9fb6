import type { MikroORM } from '@mikro-orm/core';
import { scopeToTenant } from '../../platform/db/tenant';
import { DEMO } from '../../platform/demo';
import type { Logger } from '../../platform/logger';
import { recordEvent } from '../../platform/outbox/outbox';
import { Course, CourseStatus } from './course/course.entity';
import { courseUpserted } from './course/course.events';
import { Enrollment } from './enrollment/enrollment.entity';
import { GuardianLink } from '../../platform/people/guardian-link.entity';
import { LessonCompletion } from './lesson/lesson-completion.entity';
import { Lesson, LessonKind } from './lesson/lesson.entity';
import { LiveSession } from './live-session/live-session.entity';
import { Question, QuestionKind } from './quiz/question.entity';
import { Quiz } from './quiz/quiz.entity';

/** Fixed ids of the demo courses, for other subgraphs' seeds (a billing plan for a course) and tests. */
export const DEMO_COURSES = {
  math: { id: '0b8f5a2e-0000-4000-8000-000000001001', title: 'Mathematics, Grade 8' },
  arabic: { id: '0b8f5a2e-0000-4000-8000-000000001002', title: 'Arabic Language, Grade 8' },
  mathQuiz: { id: '0b8f5a2e-0000-4000-8000-000000001101' },
  mathLive: { id: '0b8f5a2e-0000-4000-8000-000000001201' },
} as const;

/**
 * Seeds the `demo` school's courses once (first start): two published courses taught by the demo
 * teacher, with lessons, a quiz with one question of each kind, the demo student enrolled in both
 * (one lesson done), a live session 30 minutes after seeding, and the demo parent → student link
 * of the guardian read model (the users subgraph seeds that link before this service listens to
 * its events); `course.upserted` for each course. A no-op when the first course exists.
 */
export async function seedDemo(orm: MikroORM, logger: Logger): Promise<void> {
  const schoolId = DEMO.schools.demo.id;
  const em = scopeToTenant(orm.em.fork(), schoolId);
  if (await em.count(Course, { id: DEMO_COURSES.math.id })) return;
  const { demoTeacher, demoStudent, demoParent } = DEMO.users;
  await em.transactional(async (tx) => {
    const course = (id: string, title: string, subject: string, description: string) =>
      tx.create(Course, {
        id,
        schoolId,
        title,
        subject,
        description,
        gradeLevel: 'Grade 8',
        teacherId: demoTeacher.id,
        status: CourseStatus.PUBLISHED,
        publishedAt: new Date(),
      });
    const math = course(DEMO_COURSES.math.id, DEMO_COURSES.math.title, 'Mathematics', 'Linear equations, inequalities and their graphs.');
    const arabic = course(DEMO_COURSES.arabic.id, DEMO_COURSES.arabic.title, 'Arabic', 'Reading, grammar (nahw) and composition.');
    // Like any creation of a course; a subgraph that starts later gets them from a courses backfill.
    for (const c of [math, arabic]) recordEvent(tx, courseUpserted(c));

    const lesson = (c: Course, position: number, title: string, kind: LessonKind, durationSeconds: number, content?: string) =>
      tx.create(Lesson, { schoolId, course: c, position, title, kind, durationSeconds, content });
    const intro = lesson(math, 1, 'Linear equations: introduction', LessonKind.VIDEO, 720);
    lesson(math, 2, 'Worksheet: solving for x', LessonKind.DOCUMENT, 1200);
    lesson(math, 3, 'Summary', LessonKind.TEXT, 300, 'To solve `ax + b = c`, subtract `b` from both sides, then divide by `a`.');
    lesson(
      arabic,
      1,
      'The nominal sentence',
      LessonKind.TEXT,
      600,
      'A nominal sentence (جملة اسمية) starts with a noun: the subject (مبتدأ) and the predicate (خبر).',
    );
    lesson(arabic, 2, 'Reading: The Nile', LessonKind.TEXT, 900, 'اقرأ النص ثم أجب عن الأسئلة.');

    const quiz = tx.create(Quiz, {
      id: DEMO_COURSES.mathQuiz.id,
      schoolId,
      course: math,
      title: 'Linear equations check',
      maxAttempts: 3,
      timeLimitSeconds: 900,
      passingScore: 3,
    });
    const question = (position: number, data: Partial<Question> & Pick<Question, 'kind' | 'prompt'>) =>
      tx.create(Question, { schoolId, quiz, position, ...data });
    question(1, {
      kind: QuestionKind.SINGLE_CHOICE,
      prompt: 'Solve 2x + 3 = 11.',
      options: ['x = 3', 'x = 4', 'x = 7'],
      correctChoices: [1],
    });
    question(2, {
      kind: QuestionKind.MULTIPLE_CHOICE,
      prompt: 'Which are linear equations?',
      options: ['y = 3x + 1', 'y = x²', '2x - y = 5'],
      correctChoices: [0, 2],
    });
    question(3, { kind: QuestionKind.TRUE_FALSE, prompt: 'x = -2 solves 3x + 6 = 0.', correctBoolean: true });
    question(4, { kind: QuestionKind.NUMERIC, prompt: 'Solve 4x = 10 (to one decimal place).', correctNumber: 2.5, tolerance: 0.05 });
    question(5, {
      kind: QuestionKind.SHORT_ANSWER,
      prompt: 'What is the value that makes an equation true called?',
      acceptedAnswers: ['solution', 'root', 'الحل'],
    });

    const enrollMath = tx.create(Enrollment, { schoolId, course: math, studentId: demoStudent.id, sourceRef: demoTeacher.id });
    tx.create(Enrollment, { schoolId, course: arabic, studentId: demoStudent.id, sourceRef: demoTeacher.id });
    tx.create(LessonCompletion, { schoolId, enrollment: enrollMath, lesson: intro });

    const startsAt = new Date(Date.now() + 30 * 60_000);
    tx.create(LiveSession, {
      id: DEMO_COURSES.mathLive.id,
      schoolId,
      course: math,
      title: 'Live revision: linear equations',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 60 * 60_000),
    });
    tx.create(GuardianLink, { schoolId, guardianId: demoParent.id, studentId: demoStudent.id });
  });
  logger.info('seeded demo courses');
}
