import type { Feature } from '../../../platform/subgraph/feature';
import { Question } from './question.entity';
import { QuizAnswer } from './quiz-answer.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { Quiz } from './quiz.entity';
import { CourseQuizzesResolver, EnrollmentAttemptsResolver } from './quiz.extensions';
import { quizLoaders } from './quiz.loaders';
import { QuestionResolver, QuizAnswerResolver, QuizAttemptResolver, QuizResolver } from './quiz.resolver';

/** Quizzes, their questions, attempts and automatic grading. */
export const quizFeature = {
  entities: [Quiz, Question, QuizAttempt, QuizAnswer],
  resolvers: [QuizResolver, QuestionResolver, QuizAttemptResolver, QuizAnswerResolver, CourseQuizzesResolver, EnrollmentAttemptsResolver],
  loaders: quizLoaders,
} satisfies Feature;
