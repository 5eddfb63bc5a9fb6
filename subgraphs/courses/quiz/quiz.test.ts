import { OutboxMessage } from '../../../platform/outbox/outbox';
import { startStack, type Stack } from '../../../testkit/stack';
import { codes, coursesEm, coursesService, demoPeople, newMember, publishedCourse, type Person } from '../../../testkit/courses';
import { QuizAnswer } from './quiz-answer.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { Quiz } from './quiz.entity';

const QUESTIONS = [
  { kind: 'SINGLE_CHOICE', prompt: '2 + 2?', options: ['3', '4', '5'], correctChoices: [1], points: 2 },
  { kind: 'MULTIPLE_CHOICE', prompt: 'Primes?', options: ['2', '4', '5', '9'], correctChoices: [0, 2], points: 2 },
  { kind: 'TRUE_FALSE', prompt: 'The Nile flows north.', correctBoolean: true },
  { kind: 'NUMERIC', prompt: 'π to two decimals?', correctNumber: 3.14, tolerance: 0.005 },
  { kind: 'SHORT_ANSWER', prompt: 'Capital of Egypt?', acceptedAnswers: ['Cairo', 'القاهرة'] },
];
const CREATE = 'mutation($c: ID!, $i: CreateQuizInput!) { createQuiz(courseId: $c, input: $i) { id totalPoints questions { id kind } } }';
const START = 'mutation($q: ID!) { startQuizAttempt(quizId: $q) { id number status deadline maxScore score submittedAt } }';
const SUBMIT = `mutation($a: ID!, $answers: [AnswerInput!]!) { submitQuizAttempt(attemptId: $a, answers: $answers) {
  id status score maxScore passed submittedAt
  answers { question { kind } correct pointsAwarded solution { choices booleanValue numericValue acceptedAnswers } }
} }`;

describe.each(['mysql', 'sqlite'] as const)('quizzes through the gateway (%s)', (dialect) => {
  let stack: Stack;
  let teacher: Person;
  let student: Person;
  let course: { id: string };
  let quiz: { id: string; questions: Array<{ id: string; kind: string }> };
  beforeAll(async () => {
    stack = await startStack(dialect);
    const people = await demoPeople(stack);
    teacher = people.teacher;
    student = await newMember(stack, people.admin, 'STUDENT', 'Quiz Taker');
    course = await publishedCourse(teacher, { title: 'Quizzing', students: [student] });
    const created = await teacher.ok(CREATE, {
      c: course.id,
      // Results after each attempt: this file checks grading and the reveal rule's "never while another runs";
      // quiz-corrections.test.ts checks the default (after the last attempt) and the others.
      i: {
        title: 'Mixed',
        maxAttempts: 2,
        timeLimitSeconds: 600,
        passingScore: 4,
        solutionsVisibility: 'AFTER_EACH_ATTEMPT',
        questions: QUESTIONS,
      },
    });
    quiz = created.createQuiz;
  });
  afterAll(() => stack.stop());

  const idOf = (kind: string) => quiz.questions.find((q) => q.kind === kind)!.id;

  it('totals the points of the questions', async () => {
    const { quiz: q } = await teacher.ok('query($id: ID!) { quiz(id: $id) { totalPoints maxAttempts timeLimitSeconds passingScore } }', {
      id: quiz.id,
    });
    expect(q).toEqual({ totalPoints: 7, maxAttempts: 2, timeLimitSeconds: 600, passingScore: 4 });
  });

  it('never shows a student the solutions before the attempt is submitted; the teacher always sees them', async () => {
    const q =
      'query($id: ID!) { quiz(id: $id) { questions { kind options solution { choices booleanValue numericValue tolerance acceptedAnswers } } } }';
    const asStudent = await student.ok(q, { id: quiz.id });
    expect(asStudent.quiz.questions.map((x: { solution: unknown }) => x.solution)).toEqual([null, null, null, null, null]);
    expect(asStudent.quiz.questions[0].options).toEqual(['3', '4', '5']);
    const asTeacher = await teacher.ok(q, { id: quiz.id });
    expect(asTeacher.quiz.questions.map((x: { solution: unknown }) => x.solution)).toEqual([
      { choices: [1], booleanValue: null, numericValue: null, tolerance: null, acceptedAnswers: null },
      { choices: [0, 2], booleanValue: null, numericValue: null, tolerance: null, acceptedAnswers: null },
      { choices: null, booleanValue: true, numericValue: null, tolerance: null, acceptedAnswers: null },
      { choices: null, booleanValue: null, numericValue: 3.14, tolerance: 0.005, acceptedAnswers: null },
      { choices: null, booleanValue: null, numericValue: null, tolerance: null, acceptedAnswers: ['Cairo', 'القاهرة'] },
    ]);
  });

  it('grades every question kind, reveals the results after submission, and refuses a second submission', async () => {
    const started = await student.ok(START, { q: quiz.id });
    expect(started.startQuizAttempt).toMatchObject({ number: 1, status: 'IN_PROGRESS', maxScore: 7, score: null, submittedAt: null });
    expect(new Date(started.startQuizAttempt.deadline).getTime()).toBeGreaterThan(Date.now());
    const resumed = await student.ok(START, { q: quiz.id });
    expect(resumed.startQuizAttempt.id).toBe(started.startQuizAttempt.id);
    const pending = await student.ok('query($id: ID!) { quizAttempt(id: $id) { answers { correct } } }', {
      id: started.startQuizAttempt.id,
    });
    expect(pending.quizAttempt.answers).toEqual([]);

    const answers = [
      { questionId: idOf('SINGLE_CHOICE'), choices: [1] },
      { questionId: idOf('MULTIPLE_CHOICE'), choices: [2, 0] },
      { questionId: idOf('TRUE_FALSE'), booleanValue: false },
      { questionId: idOf('NUMERIC'), numericValue: 3.141 },
      { questionId: idOf('SHORT_ANSWER'), text: '  cAiRo ' },
    ];
    const submitted = await student.ok(SUBMIT, { a: started.startQuizAttempt.id, answers });
    const attempt = submitted.submitQuizAttempt;
    expect(attempt).toMatchObject({ status: 'SUBMITTED', score: 6, maxScore: 7, passed: true });
    expect(
      attempt.answers.map((a: { question: { kind: string }; correct: boolean; pointsAwarded: number }) => [
        a.question.kind,
        a.correct,
        a.pointsAwarded,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['SINGLE_CHOICE', true, 2],
        ['MULTIPLE_CHOICE', true, 2],
        ['TRUE_FALSE', false, 0],
        ['NUMERIC', true, 1],
        ['SHORT_ANSWER', true, 1],
      ]),
    );
    expect(attempt.answers.find((a: { question: { kind: string } }) => a.question.kind === 'TRUE_FALSE').solution.booleanValue).toBe(true);
    expect(codes(await student.q(SUBMIT, { a: attempt.id, answers }))).toEqual(['CONFLICT']);
    const events = await coursesService(stack).orm().em.fork().find(OutboxMessage, { type: 'quiz.submitted' });
    expect(events.map((e) => JSON.parse(e.payload)).filter((p) => p.attemptId === attempt.id)).toEqual([
      {
        attemptId: attempt.id,
        quizId: quiz.id,
        courseId: course.id,
        studentId: student.id,
        score: 6,
        maxScore: 7,
        submittedAt: attempt.submittedAt,
      },
    ]);
  });

  it('hides the results of a finished attempt while the next one runs, then refuses attempts over the maximum', async () => {
    const second = await student.ok(START, { q: quiz.id });
    expect(second.startQuizAttempt.number).toBe(2);
    const attempts =
      'query($id: ID!) { quiz(id: $id) { attempts { number status answers { correct pointsAwarded solution { booleanValue } } } } }';
    const during = await student.ok(attempts, { id: quiz.id });
    const first = during.quiz.attempts.find((a: { number: number }) => a.number === 1);
    expect(
      first.answers.every(
        (a: { correct: unknown; pointsAwarded: unknown; solution: unknown }) =>
          a.correct === null && a.pointsAwarded === null && a.solution === null,
      ),
    ).toBe(true);
    const forTeacher = await teacher.ok(attempts, { id: quiz.id });
    expect(
      forTeacher.quiz.attempts
        .find((a: { number: number }) => a.number === 1)
        .answers.every((a: { correct: unknown }) => a.correct !== null),
    ).toBe(true);

    const unanswered = await student.ok(SUBMIT, { a: second.startQuizAttempt.id, answers: [] });
    expect(unanswered.submitQuizAttempt).toMatchObject({ score: 0, passed: false, answers: [] });
    const after = await student.ok(attempts, { id: quiz.id });
    expect(
      after.quiz.attempts.find((a: { number: number }) => a.number === 1).answers.every((a: { correct: unknown }) => a.correct !== null),
    ).toBe(true);

    const third = await student.q(START, { q: quiz.id });
    expect(codes(third)).toEqual(['ATTEMPT_LIMIT_REACHED']);
    expect(third.body.errors![0].extensions!.maxAttempts).toBe(2);
    expect(await coursesEm(stack).count(QuizAttempt, { quiz: quiz.id, studentId: student.id })).toBe(2);
  });

  it('refuses a submission after the deadline, grading the attempt on its saved answers (none here) as EXPIRED', async () => {
    const timed = await teacher.ok(CREATE, { c: course.id, i: { title: 'Timed', timeLimitSeconds: 60, questions: [QUESTIONS[2]] } });
    const started = await student.ok(START, { q: timed.createQuiz.id });
    // The attempt's clock ran out: put its deadline in the past rather than waiting a minute.
    await coursesEm(stack).nativeUpdate(QuizAttempt, { id: started.startQuizAttempt.id }, { deadline: new Date(Date.now() - 1000) });
    const late = await student.q(SUBMIT, {
      a: started.startQuizAttempt.id,
      answers: [{ questionId: timed.createQuiz.questions[0].id, booleanValue: true }],
    });
    expect(codes(late)).toEqual(['DEADLINE_PASSED']);
    const attempt = await coursesEm(stack).findOneOrFail(QuizAttempt, { id: started.startQuizAttempt.id });
    expect(attempt).toMatchObject({ submittedAt: attempt.deadline, timedOut: true, score: 0 });
    expect(await coursesEm(stack).count(QuizAnswer, { attempt: attempt.id })).toBe(0);
    const status = await student.ok('query($id: ID!) { quizAttempt(id: $id) { status score timedOut } }', { id: attempt.id });
    expect(status.quizAttempt).toEqual({ status: 'EXPIRED', score: 0, timedOut: true });
    expect(codes(await student.q(SUBMIT, { a: attempt.id, answers: [] }))).toEqual(['DEADLINE_PASSED']);
    const next = await student.ok(START, { q: timed.createQuiz.id });
    expect(next.startQuizAttempt.number).toBe(2);
  });

  it('refuses answers that do not fit the quiz, changing nothing', async () => {
    const other = await teacher.ok(CREATE, { c: course.id, i: { title: 'Shapes', questions: [QUESTIONS[0], QUESTIONS[3]] } });
    const started = await student.ok(START, { q: other.createQuiz.id });
    const [choice, numeric] = other.createQuiz.questions;
    for (const answers of [
      [{ questionId: quiz.questions[0].id, choices: [1] }],
      [{ questionId: choice.id, choices: [7] }],
      [{ questionId: choice.id, text: '4' }],
      [
        { questionId: numeric.id, numericValue: 3 },
        { questionId: numeric.id, numericValue: 4 },
      ],
    ]) {
      expect(codes(await student.q(SUBMIT, { a: started.startQuizAttempt.id, answers }))).toEqual(['BAD_USER_INPUT']);
    }
    const attempt = await coursesEm(stack).findOneOrFail(QuizAttempt, { id: started.startQuizAttempt.id });
    expect(attempt.submittedAt).toBeNull();
    const stranger = await demoPeople(stack).then((p) => p.student);
    expect(codes(await stranger.q(SUBMIT, { a: attempt.id, answers: [] }))).toEqual(['NOT_FOUND']);
    expect(codes(await stranger.q(START, { q: other.createQuiz.id }))).toEqual(['FORBIDDEN']);
  });

  it('refuses quizzes that cannot be graded, creating nothing', async () => {
    const before = await coursesEm(stack).count(Quiz, {});
    const bad = [
      { title: 'Too hard', passingScore: 9, questions: [QUESTIONS[0]] },
      { title: 'No right answer', questions: [{ kind: 'SINGLE_CHOICE', prompt: 'Pick', options: ['a', 'b'], correctChoices: [] }] },
      { title: 'Empty', questions: [] },
      { title: ' ', questions: [QUESTIONS[2]] },
      { title: 'Negative', maxAttempts: 0, questions: [QUESTIONS[2]] },
    ];
    for (const input of bad) expect(codes(await teacher.q(CREATE, { c: course.id, i: input }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await student.q(CREATE, { c: course.id, i: { title: 'Mine', questions: [QUESTIONS[2]] } }))).toEqual(['FORBIDDEN']);
    expect(await coursesEm(stack).count(Quiz, {})).toBe(before);
  });
});
