import { byId, listBy, pairKey, splitPairs } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { includingDeleted } from '../course/soft-delete';
import { settleExpired } from './attempt-grading';
import { Question } from './question.entity';
import { QuizAnswer } from './quiz-answer.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { Quiz } from './quiz.entity';

/**
 * The quiz feature's per-request loaders (one `IN (…)` query per tick each, through the request's
 * tenant-scoped EntityManager).
 *
 * `quiz` and `quizzesByCourse` see quizzes that are not deleted: they are how a quiz is reached.
 * The others also see what belongs to a deleted quiz (`quizIncludingDeleted`, questions, attempts,
 * answers): their callers reached it through a check (a visible quiz, or a history view), and
 * history keeps pointing at the deleted quiz. Attempts are graded on their saved answers as soon
 * as a loader finds their deadline passed (attempt-grading.ts), so every view shows them graded.
 */
export function quizLoaders({ em }: LoaderContext) {
  return {
    quiz: byId((ids) => em.find(Quiz, { id: { $in: ids } })),
    quizIncludingDeleted: byId((ids) => em.find(Quiz, { id: { $in: ids } }, includingDeleted())),
    question: byId((ids) => em.find(Question, { id: { $in: ids } }, includingDeleted())),
    // Attempts change under the same request (submit), so they are always read fresh.
    attempt: byId(async (ids) =>
      settleExpired(em, await em.find(QuizAttempt, { id: { $in: ids } }, { ...includingDeleted(), refresh: true })),
    ),
    quizzesByCourse: listBy(
      (ids) => em.find(Quiz, { course: { $in: ids } }, { orderBy: { createdAt: 'asc' } }),
      (q) => q.course.id,
    ),
    /** A course's quizzes, deleted ones included (history views). */
    quizzesByCourseIncludingDeleted: listBy(
      (ids) => em.find(Quiz, { course: { $in: ids } }, { ...includingDeleted(), orderBy: { createdAt: 'asc' } }),
      (q) => q.course.id,
    ),
    questionsByQuiz: listBy(
      (ids) => em.find(Question, { quiz: { $in: ids } }, { ...includingDeleted(), orderBy: { position: 'asc' } }),
      (q) => q.quiz.id,
    ),
    // Graded in a transaction of their own (attempt-grading.ts): read fresh, like attempts.
    answersByAttempt: listBy(
      (ids) => em.find(QuizAnswer, { attempt: { $in: ids } }, { ...includingDeleted(), refresh: true }),
      (a) => a.attempt.id,
    ),
    /** Attempts of a student at a quiz, oldest first, by pairKey(quizId, studentId). */
    attemptsOf: listBy(
      async (keys) => {
        const [quizzes, students] = splitPairs(keys);
        const attempts = await em.find(
          QuizAttempt,
          { quiz: { $in: quizzes }, studentId: { $in: students } },
          { ...includingDeleted(), orderBy: { number: 'asc' }, refresh: true },
        );
        return settleExpired(em, attempts);
      },
      (a) => pairKey(a.quiz.id, a.studentId),
    ),
    /** Every attempt at a quiz, oldest first (for its teacher). */
    attemptsByQuiz: listBy(
      async (ids) =>
        settleExpired(
          em,
          await em.find(QuizAttempt, { quiz: { $in: ids } }, { ...includingDeleted(), orderBy: { startedAt: 'asc' }, refresh: true }),
        ),
      (a) => a.quiz.id,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface CoursesLoaders extends ReturnType<typeof quizLoaders> {}
}
