import { startStack, type Stack } from '../../../testkit/stack';
import {
  codes,
  coursesEm,
  coursesEvents,
  createQuiz,
  demoPeople,
  expireAttempt,
  newMember,
  pair,
  publishedCourse,
  type Person,
} from '../../../testkit/courses';
import { QuizAnswer } from './quiz-answer.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { Quiz } from './quiz.entity';

const TF = { kind: 'TRUE_FALSE', prompt: 'The Nile flows north.', correctBoolean: true };
const CHOICE = { kind: 'SINGLE_CHOICE', prompt: '2 + 2?', options: ['3', '4', '5'], correctChoices: [1], points: 2 };
const NUMBER = { kind: 'NUMERIC', prompt: '10 / 4?', correctNumber: 2.5 };

const START = 'mutation($q: ID!) { startQuizAttempt(quizId: $q) { id number status deadline } }';
const SAVE = `mutation($a: ID!, $answer: AnswerInput!) { saveQuizAnswer(attemptId: $a, answer: $answer) {
  id status lastSavedAt score answers { question { id } choices booleanValue correct } } }`;
const SUBMIT = `mutation($a: ID!, $answers: [AnswerInput!]!) { submitQuizAttempt(attemptId: $a, answers: $answers) {
  id status score answers { correct pointsAwarded solution { choices booleanValue numericValue } } } }`;
const ATTEMPT = `query($id: ID!) { quizAttempt(id: $id) {
  id status timedOut score maxScore submittedAt deadline
  answers { question { id } booleanValue choices numericValue correct pointsAwarded solution { choices booleanValue numericValue } }
} }`;
/** Everything through which a student could learn the right answers of a quiz. */
const SOLUTIONS = `query($id: ID!) { quiz(id: $id) {
  solutionsRevealed
  questions { solution { choices booleanValue numericValue } }
  attempts { number score answers { correct pointsAwarded solution { choices booleanValue numericValue } } }
} }`;

/** What SOLUTIONS shows of the right answers (null everywhere when nothing is revealed). */
function revealedIn(quiz: {
  solutionsRevealed: boolean;
  questions: Array<{ solution: unknown }>;
  attempts: Array<{ answers: Array<{ correct: unknown; pointsAwarded: unknown; solution: unknown }> }>;
}) {
  return {
    solutionsRevealed: quiz.solutionsRevealed,
    questionSolutions: quiz.questions.filter((q) => q.solution !== null).length,
    answerResults: quiz.attempts
      .flatMap((a) => a.answers)
      .filter((a) => a.correct !== null || a.pointsAwarded !== null || a.solution !== null).length,
  };
}
const NOTHING = { solutionsRevealed: false, questionSolutions: 0, answerResults: 0 };

describe.each(['mysql', 'sqlite'] as const)('quizzes people can correct, through the gateway (%s)', (dialect) => {
  let stack: Stack;
  let teacher: Person;
  let student: Person;
  let parent: Person;
  let course: { id: string };
  beforeAll(async () => {
    stack = await startStack(dialect);
    const people = await demoPeople(stack);
    teacher = people.teacher;
    student = await newMember(stack, people.admin, 'STUDENT', 'Careful Student');
    parent = await newMember(stack, people.admin, 'PARENT', 'Careful Parent');
    await pair(student, parent);
    course = await publishedCourse(teacher, { title: 'Corrections', students: [student] });
  });
  afterAll(() => stack.stop());

  describe('answers saved during an attempt', () => {
    it('saves and replaces answers one by one, without grading them yet, and refuses answers that do not fit', async () => {
      const quiz = await createQuiz(teacher, course.id, { title: 'Saved', questions: [TF, CHOICE] });
      const [tf, choice] = quiz.questions;
      const { startQuizAttempt: attempt } = await student.ok(START, { q: quiz.id });
      await student.ok(SAVE, { a: attempt.id, answer: { questionId: choice.id, choices: [0] } });
      await student.ok(SAVE, { a: attempt.id, answer: { questionId: tf.id, booleanValue: true } });
      const { saveQuizAnswer: saved } = await student.ok(SAVE, { a: attempt.id, answer: { questionId: choice.id, choices: [1] } });
      expect(saved.status).toBe('IN_PROGRESS');
      expect(saved.score).toBeNull();
      expect(saved.lastSavedAt).not.toBeNull();
      expect(saved.answers).toEqual(
        expect.arrayContaining([
          { question: { id: choice.id }, choices: [1], booleanValue: null, correct: null },
          { question: { id: tf.id }, choices: null, booleanValue: true, correct: null },
        ]),
      );
      expect(saved.answers).toHaveLength(2);

      const other = await createQuiz(teacher, course.id, { title: 'Other', questions: [NUMBER] });
      for (const answer of [
        { questionId: other.questions[0].id, numericValue: 2.5 },
        { questionId: choice.id, choices: [9] },
        { questionId: tf.id, text: 'yes' },
      ]) {
        expect(codes(await student.q(SAVE, { a: attempt.id, answer }))).toEqual(['BAD_USER_INPUT']);
      }
      const stranger = await demoPeople(stack).then((p) => p.student);
      expect(codes(await stranger.q(SAVE, { a: attempt.id, answer: { questionId: tf.id, booleanValue: false } }))).toEqual(['NOT_FOUND']);

      // The submission grades the saved answers with those it brings; afterwards nothing is saved any more.
      const { submitQuizAttempt: graded } = await student.ok(SUBMIT, { a: attempt.id, answers: [] });
      expect(graded).toMatchObject({ status: 'SUBMITTED', score: 3 });
      expect(codes(await student.q(SAVE, { a: attempt.id, answer: { questionId: tf.id, booleanValue: false } }))).toEqual(['CONFLICT']);
      expect((await coursesEm(stack).find(QuizAnswer, { attempt: attempt.id })).map((a) => a.correct).sort()).toEqual([true, true]);
    });

    it('grades an attempt that ran out of time on its saved answers, refusing later answers and a late submission', async () => {
      const quiz = await createQuiz(teacher, course.id, { title: 'Timed', timeLimitSeconds: 60, questions: [TF, CHOICE, NUMBER] });
      const [tf, choice, number] = quiz.questions;
      const { startQuizAttempt: attempt } = await student.ok(START, { q: quiz.id });
      await student.ok(SAVE, { a: attempt.id, answer: { questionId: tf.id, booleanValue: true } });
      await student.ok(SAVE, { a: attempt.id, answer: { questionId: choice.id, choices: [2] } });
      await expireAttempt(stack, attempt.id);

      const lateSave = await student.q(SAVE, { a: attempt.id, answer: { questionId: number.id, numericValue: 2.5 } });
      expect(codes(lateSave)).toEqual(['DEADLINE_PASSED']);
      const lateSubmit = await student.q(SUBMIT, { a: attempt.id, answers: [{ questionId: number.id, numericValue: 2.5 }] });
      expect(codes(lateSubmit)).toEqual(['DEADLINE_PASSED']);

      const { quizAttempt: graded } = await student.ok(ATTEMPT, { id: attempt.id });
      expect(graded).toMatchObject({ status: 'EXPIRED', timedOut: true, score: 1, maxScore: 4, submittedAt: graded.deadline });
      // What was saved, graded; the late answer was never stored.
      expect(graded.answers.map((a: { question: { id: string } }) => a.question.id).sort()).toEqual([tf.id, choice.id].sort());
      const rows = await coursesEm(stack).find(QuizAnswer, { attempt: attempt.id });
      expect(rows.map((r) => [r.question.id, r.correct, r.pointsAwarded]).sort()).toEqual(
        [
          [tf.id, true, 1],
          [choice.id, false, 0],
        ].sort(),
      );
      const events = (await coursesEvents(stack, 'quiz.submitted')).filter((e) => e.attemptId === attempt.id);
      expect(events).toEqual([expect.objectContaining({ score: 1, maxScore: 4, timedOut: true, submittedAt: graded.submittedAt })]);
    });

    it('shows an attempt that ran out of time graded in every view, whoever reads it first (once)', async () => {
      const quiz = await createQuiz(teacher, course.id, { title: 'Read first', timeLimitSeconds: 60, questions: [TF, NUMBER] });
      const [tf] = quiz.questions;
      const { startQuizAttempt: attempt } = await student.ok(START, { q: quiz.id });
      await student.ok(SAVE, { a: attempt.id, answer: { questionId: tf.id, booleanValue: true } });
      await expireAttempt(stack, attempt.id);

      // The teacher's list of attempts is the first to read it.
      const { quiz: asTeacher } = await teacher.ok('query($id: ID!) { quiz(id: $id) { attempts { id status score } } }', { id: quiz.id });
      expect(asTeacher.attempts).toEqual([{ id: attempt.id, status: 'EXPIRED', score: 1 }]);
      const { quiz: paged } = await teacher.ok(
        'query($id: ID!) { quiz(id: $id) { attemptPage(first: 5) { totalCount edges { node { id status score } } } } }',
        { id: quiz.id },
      );
      expect(paged.attemptPage).toEqual({ totalCount: 1, edges: [{ node: { id: attempt.id, status: 'EXPIRED', score: 1 } }] });
      const { quizAttempt: asParent } = await parent.ok(ATTEMPT, { id: attempt.id });
      expect(asParent).toMatchObject({ status: 'EXPIRED', score: 1 });
      const { me } = await student.ok('{ me { enrollments { course { id } quizAttempts { id status score } } } }');
      const enrollment = me.enrollments.find((e: { course: { id: string } }) => e.course.id === course.id);
      expect(enrollment.quizAttempts).toContainEqual({ id: attempt.id, status: 'EXPIRED', score: 1 });
      expect((await coursesEvents(stack, 'quiz.submitted')).filter((e) => e.attemptId === attempt.id)).toHaveLength(1);

      // Its student starts the next attempt as usual.
      expect((await student.ok(START, { q: quiz.id })).startQuizAttempt).toMatchObject({ number: 2, status: 'IN_PROGRESS' });
    });
  });

  describe('solutions', () => {
    it('stay hidden while the student has attempts left (the default), so a second attempt gains nothing from the first', async () => {
      const quiz = await createQuiz(teacher, course.id, { title: 'Two tries', maxAttempts: 2, questions: [TF, CHOICE] });
      const { quiz: settings } = await teacher.ok('query($id: ID!) { quiz(id: $id) { solutionsVisibility } }', { id: quiz.id });
      expect(settings.solutionsVisibility).toBe('AFTER_LAST_ATTEMPT');
      const [tf, choice] = quiz.questions;

      const first = (await student.ok(START, { q: quiz.id })).startQuizAttempt;
      const { submitQuizAttempt: graded } = await student.ok(SUBMIT, {
        a: first.id,
        answers: [
          { questionId: tf.id, booleanValue: false },
          { questionId: choice.id, choices: [0] },
        ],
      });
      // The student learns the score, not which answers were right nor the right answers.
      expect(graded.score).toBe(0);
      expect(graded.answers).toEqual([
        { correct: null, pointsAwarded: null, solution: null },
        { correct: null, pointsAwarded: null, solution: null },
      ]);
      expect(revealedIn((await student.ok(SOLUTIONS, { id: quiz.id })).quiz)).toEqual(NOTHING);
      expect(
        (await parent.ok(ATTEMPT, { id: first.id })).quizAttempt.answers.every((a: { solution: unknown }) => a.solution === null),
      ).toBe(true);
      // Between attempts, and during the second one, still nothing.
      const second = (await student.ok(START, { q: quiz.id })).startQuizAttempt;
      expect(revealedIn((await student.ok(SOLUTIONS, { id: quiz.id })).quiz)).toEqual(NOTHING);
      // The teacher sees everything throughout.
      expect(revealedIn((await teacher.ok(SOLUTIONS, { id: quiz.id })).quiz)).toEqual({
        solutionsRevealed: true,
        questionSolutions: 2,
        answerResults: 2,
      });

      await student.ok(SUBMIT, { a: second.id, answers: [{ questionId: tf.id, booleanValue: true }] });
      // No attempt left: now the student sees the solutions, of both attempts' answers and of every question.
      const after = (await student.ok(SOLUTIONS, { id: quiz.id })).quiz;
      expect(revealedIn(after)).toEqual({ solutionsRevealed: true, questionSolutions: 2, answerResults: 3 });
      expect(after.questions.map((q: { solution: unknown }) => q.solution)).toEqual([
        { choices: null, booleanValue: true, numericValue: null },
        { choices: [1], booleanValue: null, numericValue: null },
      ]);
      expect((await parent.ok(ATTEMPT, { id: first.id })).quizAttempt.answers.map((a: { correct: boolean }) => a.correct)).toEqual([
        false,
        false,
      ]);
    });

    it('with unlimited attempts and no due date, stay with the staff', async () => {
      const quiz = await createQuiz(teacher, course.id, { title: 'Practice', questions: [TF] });
      const attempt = (await student.ok(START, { q: quiz.id })).startQuizAttempt;
      await student.ok(SUBMIT, { a: attempt.id, answers: [{ questionId: quiz.questions[0].id, booleanValue: false }] });
      expect(revealedIn((await student.ok(SOLUTIONS, { id: quiz.id })).quiz)).toEqual(NOTHING);
    });

    it('after each attempt, if the teacher chooses so, but never while another attempt runs', async () => {
      const quiz = await createQuiz(teacher, course.id, {
        title: 'Learn as you go',
        maxAttempts: 3,
        solutionsVisibility: 'AFTER_EACH_ATTEMPT',
        questions: [TF],
      });
      expect(revealedIn((await student.ok(SOLUTIONS, { id: quiz.id })).quiz)).toEqual(NOTHING);
      const first = (await student.ok(START, { q: quiz.id })).startQuizAttempt;
      await student.ok(SUBMIT, { a: first.id, answers: [{ questionId: quiz.questions[0].id, booleanValue: false }] });
      expect(revealedIn((await student.ok(SOLUTIONS, { id: quiz.id })).quiz)).toEqual({
        solutionsRevealed: true,
        questionSolutions: 1,
        answerResults: 1,
      });
      // Not even in the answer to starting the next attempt.
      const { startQuizAttempt } = await student.ok(
        'mutation($q: ID!) { startQuizAttempt(quizId: $q) { quiz { solutionsRevealed questions { solution { booleanValue } } } } }',
        { q: quiz.id },
      );
      expect(startQuizAttempt.quiz).toEqual({ solutionsRevealed: false, questions: [{ solution: null }] });
      expect(revealedIn((await student.ok(SOLUTIONS, { id: quiz.id })).quiz)).toEqual(NOTHING);
    });

    it('after the due date, which also closes the quiz and ends the attempts running then', async () => {
      const noDate = await teacher.q('mutation($c: ID!, $i: CreateQuizInput!) { createQuiz(courseId: $c, input: $i) { id } }', {
        c: course.id,
        i: { title: 'Due', solutionsVisibility: 'AFTER_DUE_DATE', questions: [TF] },
      });
      expect(codes(noDate)).toEqual(['BAD_USER_INPUT']);
      const pastDate = await teacher.q('mutation($c: ID!, $i: CreateQuizInput!) { createQuiz(courseId: $c, input: $i) { id } }', {
        c: course.id,
        i: { title: 'Due', dueAt: new Date(Date.now() - 60_000).toISOString(), questions: [TF] },
      });
      expect(codes(pastDate)).toEqual(['BAD_USER_INPUT']);

      const dueAt = new Date(Date.now() + 3600_000);
      const quiz = await createQuiz(teacher, course.id, {
        title: 'Homework',
        timeLimitSeconds: 7200,
        solutionsVisibility: 'AFTER_DUE_DATE',
        dueAt: dueAt.toISOString(),
        questions: [TF, CHOICE],
      });
      const first = (await student.ok(START, { q: quiz.id })).startQuizAttempt;
      // Two hours to answer, but no later than the due date in one hour.
      expect(new Date(first.deadline).getTime()).toBe(dueAt.getTime());
      await student.ok(SUBMIT, { a: first.id, answers: [{ questionId: quiz.questions[0].id, booleanValue: true }] });
      const second = (await student.ok(START, { q: quiz.id })).startQuizAttempt;
      await student.ok(SAVE, { a: second.id, answer: { questionId: quiz.questions[1].id, choices: [1] } });
      expect(revealedIn((await student.ok(SOLUTIONS, { id: quiz.id })).quiz)).toEqual(NOTHING);

      // The due date passes (moved into the past rather than waited for): the running attempt ends there.
      const past = new Date(Date.now() - 1000);
      await coursesEm(stack).nativeUpdate(Quiz, { id: quiz.id }, { dueAt: past });
      await coursesEm(stack).nativeUpdate(QuizAttempt, { id: second.id }, { deadline: past });
      const after = (await student.ok(SOLUTIONS, { id: quiz.id })).quiz;
      expect(revealedIn(after)).toEqual({ solutionsRevealed: true, questionSolutions: 2, answerResults: 2 });
      expect(after.attempts.map((a: { score: number }) => a.score)).toEqual([1, 2]);
      expect(codes(await student.q(START, { q: quiz.id }))).toEqual(['DEADLINE_PASSED']);
    });
  });

  describe('teachers correcting quizzes', () => {
    const UPDATE = `mutation($id: ID!, $i: UpdateQuizInput!) { updateQuiz(id: $id, input: $i) {
      title maxAttempts timeLimitSeconds passingScore solutionsVisibility dueAt totalPoints questions { kind prompt }
    } }`;

    it('changes settings and questions before anyone started, and only settings afterwards', async () => {
      const quiz = await createQuiz(teacher, course.id, { title: 'Draft quiz', maxAttempts: 1, timeLimitSeconds: 60, questions: [TF] });
      const { updateQuiz: fixed } = await teacher.ok(UPDATE, {
        id: quiz.id,
        i: { title: 'Fixed quiz', maxAttempts: null, passingScore: 2, solutionsVisibility: 'AFTER_EACH_ATTEMPT', questions: [CHOICE, TF] },
      });
      expect(fixed).toEqual({
        title: 'Fixed quiz',
        maxAttempts: null,
        timeLimitSeconds: 60,
        passingScore: 2,
        solutionsVisibility: 'AFTER_EACH_ATTEMPT',
        dueAt: null,
        totalPoints: 3,
        questions: [
          { kind: 'SINGLE_CHOICE', prompt: '2 + 2?' },
          { kind: 'TRUE_FALSE', prompt: 'The Nile flows north.' },
        ],
      });
      for (const i of [{ passingScore: 4 }, { title: null }, { solutionsVisibility: 'AFTER_DUE_DATE' }, { questions: [] }]) {
        expect(codes(await teacher.q(UPDATE, { id: quiz.id, i }))).toEqual(['BAD_USER_INPUT']);
      }
      expect(codes(await student.q(UPDATE, { id: quiz.id, i: { title: 'Mine' } }))).toEqual(['FORBIDDEN']);

      const questions = (await student.ok('query($id: ID!) { quiz(id: $id) { questions { id kind } } }', { id: quiz.id })).quiz.questions;
      const running = (await student.ok(START, { q: quiz.id })).startQuizAttempt;
      const refused = await teacher.q(UPDATE, { id: quiz.id, i: { questions: [TF] } });
      expect(codes(refused)).toEqual(['CONFLICT']);
      // A due date before the running attempt's deadline ends it there.
      const dueAt = new Date(Date.now() + 30_000);
      const { updateQuiz: later } = await teacher.ok(UPDATE, {
        id: quiz.id,
        i: { title: 'Fixed quiz (2)', timeLimitSeconds: 600, dueAt: dueAt.toISOString() },
      });
      expect(later).toMatchObject({ title: 'Fixed quiz (2)', timeLimitSeconds: 600, totalPoints: 3 });
      const { quizAttempt } = await student.ok(ATTEMPT, { id: running.id });
      expect(new Date(quizAttempt.deadline).getTime()).toBe(dueAt.getTime());
      // The attempt is graded against the questions it was taken on.
      const { submitQuizAttempt } = await student.ok(SUBMIT, {
        a: running.id,
        answers: [{ questionId: questions.find((q: { kind: string }) => q.kind === 'SINGLE_CHOICE').id, choices: [1] }],
      });
      expect(submitQuizAttempt.score).toBe(2);
    });

    it('deletes a quiz: gone from every view and from taking it, its attempts kept as history for the staff', async () => {
      const quiz = await createQuiz(teacher, course.id, { title: 'Mistake', questions: [TF] });
      const attempt = (await student.ok(START, { q: quiz.id })).startQuizAttempt;
      await student.ok(SUBMIT, { a: attempt.id, answers: [{ questionId: quiz.questions[0].id, booleanValue: true }] });
      expect(codes(await student.q('mutation($id: ID!) { deleteQuiz(id: $id) }', { id: quiz.id }))).toEqual(['FORBIDDEN']);
      expect(await teacher.ok('mutation($id: ID!) { deleteQuiz(id: $id) }', { id: quiz.id })).toEqual({ deleteQuiz: true });

      const seen =
        'query($c: ID!, $q: ID!) { quiz(id: $q) { id } course(id: $c) { quizzes { id } quizPage(first: 100) { edges { node { id } } } } }';
      for (const who of [student, teacher]) {
        const { quiz: byId, course: c } = await who.ok(seen, { c: course.id, q: quiz.id });
        expect(byId).toBeNull();
        expect(c.quizzes.map((q: { id: string }) => q.id)).not.toContain(quiz.id);
        expect(c.quizPage.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(quiz.id);
      }
      expect((await student.ok(ATTEMPT, { id: attempt.id })).quizAttempt).toBeNull();
      expect(codes(await student.q(START, { q: quiz.id }))).toEqual(['NOT_FOUND']);
      expect(codes(await teacher.q('mutation($id: ID!) { deleteQuiz(id: $id) }', { id: quiz.id }))).toEqual(['NOT_FOUND']);

      // History: the attempt is still there, for the staff, pointing at the deleted quiz.
      const history = `query($id: ID!) { user(id: $id) { enrollments { course { id } quizAttempts(includeDeleted: true) {
        id score quiz { title deletedAt } answers { correct } } } } }`;
      const { user } = await teacher.ok(history, { id: student.id });
      const enrollment = user.enrollments.find((e: { course: { id: string } }) => e.course.id === course.id);
      expect(enrollment.quizAttempts).toContainEqual({
        id: attempt.id,
        score: 1,
        quiz: { title: 'Mistake', deletedAt: expect.any(String) },
        answers: [{ correct: true }],
      });
      expect(new Set(codes(await student.q(history, { id: student.id })))).toEqual(new Set(['FORBIDDEN']));
      expect(await coursesEm(stack).count(QuizAttempt, { id: attempt.id }, { filters: { notDeleted: false } })).toBe(1);
      expect((await coursesEvents(stack, 'quiz.deleted')).filter((e) => e.quizId === quiz.id)).toEqual([
        { courseId: course.id, quizId: quiz.id, deletedBy: teacher.id, deletedAt: expect.any(String) },
      ]);
    });
  });

  it('pages the quizzes of a course and the attempts at a quiz', async () => {
    const own = await publishedCourse(teacher, { title: 'Paged quizzes', students: [student] });
    const ids: string[] = [];
    for (const title of ['One', 'Two', 'Three']) ids.push((await createQuiz(teacher, own.id, { title, questions: [TF] })).id);
    const page =
      'query($c: ID!, $after: String) { course(id: $c) { quizPage(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }';
    const first = (await student.ok(page, { c: own.id })).course.quizPage;
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const second = (await student.ok(page, { c: own.id, after: first.pageInfo.endCursor })).course.quizPage;
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect([...first.edges, ...second.edges].map((e: { node: { id: string } }) => e.node.id)).toEqual(ids);

    for (let i = 0; i < 3; i++) {
      const attempt = (await student.ok(START, { q: ids[0] })).startQuizAttempt;
      await student.ok(SUBMIT, { a: attempt.id, answers: [] });
    }
    const attempts =
      'query($q: ID!, $after: String) { quiz(id: $q) { attemptPage(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { number } } } } }';
    const a1 = (await student.ok(attempts, { q: ids[0] })).quiz.attemptPage;
    const a2 = (await student.ok(attempts, { q: ids[0], after: a1.pageInfo.endCursor })).quiz.attemptPage;
    expect([...a1.edges, ...a2.edges].map((e: { node: { number: number } }) => e.node.number)).toEqual([1, 2, 3]);
    expect(a1.totalCount).toBe(3);
    // A parent follows their child's attempts too.
    expect((await parent.ok(attempts, { q: ids[0] })).quiz.attemptPage.totalCount).toBe(3);
    expect(codes(await student.q(attempts, { q: ids[0], after: first.pageInfo.endCursor }))).toEqual(['BAD_USER_INPUT']);
  });
});
