import { byId, listBy, pairKey, splitPairs } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { Question } from './question.entity';
import { QuizAnswer } from './quiz-answer.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { Quiz } from './quiz.entity';

/** The quiz feature's per-request loaders (one `IN (…)` query per tick each, through the request's tenant-scoped EntityManager). */
export function quizLoaders({ em }: LoaderContext) {
  return {
    quiz: byId((ids) => em.find(Quiz, { id: { $in: ids } })),
    question: byId((ids) => em.find(Question, { id: { $in: ids } })),
    // Attempts change under the same request (submit), so they are always read fresh.
    attempt: byId((ids) => em.find(QuizAttempt, { id: { $in: ids } }, { refresh: true })),
    quizzesByCourse: listBy(
      (ids) => em.find(Quiz, { course: { $in: ids } }, { orderBy: { createdAt: 'asc' } }),
      (q) => q.course.id,
    ),
    questionsByQuiz: listBy(
      (ids) => em.find(Question, { quiz: { $in: ids } }, { orderBy: { position: 'asc' } }),
      (q) => q.quiz.id,
    ),
    answersByAttempt: listBy(
      (ids) => em.find(QuizAnswer, { attempt: { $in: ids } }),
      (a) => a.attempt.id,
    ),
    /** Attempts of a student at a quiz, oldest first, by pairKey(quizId, studentId). */
    attemptsOf: listBy(
      (keys) => {
        const [quizzes, students] = splitPairs(keys);
        return em.find(
          QuizAttempt,
          { quiz: { $in: quizzes }, studentId: { $in: students } },
          { orderBy: { number: 'asc' }, refresh: true },
        );
      },
      (a) => pairKey(a.quiz.id, a.studentId),
    ),
    /** Every attempt at a quiz, oldest first (for its teacher). */
    attemptsByQuiz: listBy(
      (ids) => em.find(QuizAttempt, { quiz: { $in: ids } }, { orderBy: { startedAt: 'asc' }, refresh: true }),
      (a) => a.quiz.id,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface CoursesLoaders extends ReturnType<typeof quizLoaders> {}
}
