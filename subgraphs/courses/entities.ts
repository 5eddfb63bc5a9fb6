import { outboxEntities } from '../../platform/outbox/outbox';
import { Course } from './course/course.entity';
import { Enrollment } from './enrollment/enrollment.entity';
import { GuardianLink } from './guardian/guardian-link.entity';
import { LessonCompletion } from './lesson/lesson-completion.entity';
import { Lesson } from './lesson/lesson.entity';
import { Attendance } from './live-session/attendance.entity';
import { LiveSession } from './live-session/live-session.entity';
import { PollVote } from './live-session/poll-vote.entity';
import { Poll } from './live-session/poll.entity';
import { Question } from './quiz/question.entity';
import { QuizAnswer } from './quiz/quiz-answer.entity';
import { QuizAttempt } from './quiz/quiz-attempt.entity';
import { Quiz } from './quiz/quiz.entity';

export const entities = [
  Course,
  Lesson,
  LessonCompletion,
  Enrollment,
  Quiz,
  Question,
  QuizAttempt,
  QuizAnswer,
  LiveSession,
  Attendance,
  Poll,
  PollVote,
  GuardianLink,
  ...outboxEntities,
];
