import { checkAnswer, checkQuestion, grade, normalizeShortAnswer, type Solution } from './grading';
import { QuestionKind } from './question.entity';

/** The grading rules of every question kind, on their own (quiz.test.ts checks them through the API). */
describe('grading', () => {
  const single: Solution = { kind: QuestionKind.SINGLE_CHOICE, points: 2, options: ['a', 'b', 'c'], correctChoices: [1] };
  const multiple: Solution = { kind: QuestionKind.MULTIPLE_CHOICE, points: 3, options: ['a', 'b', 'c', 'd'], correctChoices: [0, 2] };
  const trueFalse: Solution = { kind: QuestionKind.TRUE_FALSE, points: 1, correctBoolean: false };
  const numeric: Solution = { kind: QuestionKind.NUMERIC, points: 1, correctNumber: 3.14, tolerance: 0.01 };
  const exact: Solution = { kind: QuestionKind.NUMERIC, points: 1, correctNumber: 0.3, tolerance: 0 };
  const short: Solution = { kind: QuestionKind.SHORT_ANSWER, points: 1, acceptedAnswers: ['New York', 'القاهرة'] };

  it.each([
    ['single choice, right', single, { choices: [1] }, true, 2],
    ['single choice, wrong', single, { choices: [0] }, false, 0],
    ['multiple choice, the exact set in any order', multiple, { choices: [2, 0] }, true, 3],
    ['multiple choice, a subset', multiple, { choices: [0] }, false, 0],
    ['multiple choice, a superset', multiple, { choices: [0, 1, 2] }, false, 0],
    ['true/false, right', trueFalse, { booleanValue: false }, true, 1],
    ['true/false, wrong', trueFalse, { booleanValue: true }, false, 0],
    ['numeric, inside the tolerance', numeric, { numericValue: 3.149 }, true, 1],
    ['numeric, on its edge', numeric, { numericValue: 3.13 }, true, 1],
    ['numeric, outside it', numeric, { numericValue: 3.2 }, false, 0],
    ['numeric, exact with a float sum', exact, { numericValue: 0.1 + 0.2 }, true, 1],
    ['short answer, other case and spacing', short, { text: '  new   york ' }, true, 1],
    ['short answer, no spaces at all', short, { text: 'NEWYORK' }, true, 1],
    ['short answer, Arabic with diacritics and tatweel', short, { text: 'القَاهِـرَة' }, true, 1],
    ['short answer, wrong', short, { text: 'Boston' }, false, 0],
    ['short answer, blank', short, { text: '   ' }, false, 0],
  ])('%s', (_name, question, answer, correct, points) => {
    expect(grade(question, answer)).toEqual({ correct, points });
  });

  it('gives nothing for an unanswered question', () => {
    expect(grade(single, undefined)).toEqual({ correct: false, points: 0 });
  });

  it('normalizes short answers by case, whitespace and Arabic marks only', () => {
    expect(normalizeShortAnswer(' Ice  Cream ')).toBe('icecream');
    expect(normalizeShortAnswer('مُحَمَّد')).toBe('محمد');
    expect(normalizeShortAnswer('ﬁle')).toBe('file'); // NFKC folds the ligature
  });

  it.each([
    [
      'a single choice with two right options',
      { kind: QuestionKind.SINGLE_CHOICE, options: ['a', 'b'], correctChoices: [0, 1] },
      /exactly one/,
    ],
    ['a choice question with one option', { kind: QuestionKind.MULTIPLE_CHOICE, options: ['a'], correctChoices: [0] }, /at least 2/],
    ['a right option out of range', { kind: QuestionKind.SINGLE_CHOICE, options: ['a', 'b'], correctChoices: [2] }, /not an option index/],
    ['a true/false question without its answer', { kind: QuestionKind.TRUE_FALSE }, /correctBoolean is required/],
    ['a numeric question with options', { kind: QuestionKind.NUMERIC, correctNumber: 1, options: ['a', 'b'] }, /options is not used/],
    ['a short answer without accepted answers', { kind: QuestionKind.SHORT_ANSWER, acceptedAnswers: [' '] }, /acceptedAnswers/],
  ])('refuses %s', (_name, question, message) => {
    expect(() => checkQuestion({ points: 1, prompt: 'Q', ...question } as Solution & { prompt: string }, 'questions[0]')).toThrow(message);
  });

  it.each([
    ['two choices for a single choice question', single, { choices: [0, 1] }, /exactly one/],
    ['a choice out of range', multiple, { choices: [4] }, /not an option index/],
    ['a repeated choice', multiple, { choices: [0, 0] }, /twice/],
    ['text for a true/false question', trueFalse, { text: 'false' }, /use booleanValue/],
    ['no number for a numeric question', numeric, {}, /numericValue is required/],
  ])('refuses an answer with %s', (_name, question, answer, message) => {
    expect(() => checkAnswer(question, answer, 'answers[0]')).toThrow(message);
  });
});
