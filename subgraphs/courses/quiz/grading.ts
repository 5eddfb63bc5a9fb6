import { badInput } from '../../../platform/errors';
import { QuestionKind } from './question.entity';

/** A question's solution as stored (the Question entity satisfies it). */
export interface Solution {
  kind: QuestionKind;
  points: number;
  options?: string[] | null;
  correctChoices?: number[] | null;
  correctBoolean?: boolean | null;
  correctNumber?: number | null;
  tolerance?: number | null;
  acceptedAnswers?: string[] | null;
}

/** One answer as given (AnswerInput, or a stored QuizAnswer). */
export interface GivenAnswer {
  choices?: number[] | null;
  booleanValue?: boolean | null;
  numericValue?: number | null;
  text?: string | null;
}

type AnswerField = keyof GivenAnswer;
type SolutionField = 'options' | 'correctChoices' | 'correctBoolean' | 'correctNumber' | 'tolerance' | 'acceptedAnswers';

/** Which input fields each kind uses; any other field given is a mistake worth reporting. */
const fieldsOf: Record<QuestionKind, { answer: AnswerField; solution: SolutionField[] }> = {
  [QuestionKind.SINGLE_CHOICE]: { answer: 'choices', solution: ['options', 'correctChoices'] },
  [QuestionKind.MULTIPLE_CHOICE]: { answer: 'choices', solution: ['options', 'correctChoices'] },
  [QuestionKind.TRUE_FALSE]: { answer: 'booleanValue', solution: ['correctBoolean'] },
  [QuestionKind.NUMERIC]: { answer: 'numericValue', solution: ['correctNumber', 'tolerance'] },
  [QuestionKind.SHORT_ANSWER]: { answer: 'text', solution: ['acceptedAnswers'] },
};
const SOLUTION_FIELDS: SolutionField[] = ['options', 'correctChoices', 'correctBoolean', 'correctNumber', 'tolerance', 'acceptedAnswers'];
const ANSWER_FIELDS: AnswerField[] = ['choices', 'booleanValue', 'numericValue', 'text'];

const given = (v: unknown) => v !== undefined && v !== null;

/**
 * Short answers compare after Unicode normalization (NFKC), lower-casing, and removing all
 * whitespace, Arabic diacritics (tashkeel, U+064B–U+065F, U+0670) and the tatweel (U+0640):
 * students type Arabic with and without harakat, and spacing is not what a question tests.
 */
export function normalizeShortAnswer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/\s+/g, '');
}

/** Checks one question of a new quiz; returns its solution with defaults filled in. */
export function checkQuestion(q: Solution & { prompt: string }, field: string): Solution {
  const uses = fieldsOf[q.kind].solution;
  for (const f of SOLUTION_FIELDS) {
    if (!uses.includes(f) && given(q[f])) throw badInput(`${field}.${f} is not used by ${q.kind} questions`, `${field}.${f}`);
  }
  switch (q.kind) {
    case QuestionKind.SINGLE_CHOICE:
    case QuestionKind.MULTIPLE_CHOICE: {
      const options = (q.options ?? []).map((o) => o.trim());
      if (options.length < 2 || options.some((o) => !o))
        throw badInput(`${field}.options needs at least 2 non-blank options`, `${field}.options`);
      const correct = q.correctChoices ?? [];
      const single = q.kind === QuestionKind.SINGLE_CHOICE;
      if (single ? correct.length !== 1 : correct.length < 1) {
        throw badInput(`${field}.correctChoices needs ${single ? 'exactly one' : 'at least one'} option index`, `${field}.correctChoices`);
      }
      checkIndexes(correct, options.length, `${field}.correctChoices`);
      return { kind: q.kind, points: q.points, options, correctChoices: [...correct].sort((a, b) => a - b) };
    }
    case QuestionKind.TRUE_FALSE:
      if (!given(q.correctBoolean)) throw badInput(`${field}.correctBoolean is required`, `${field}.correctBoolean`);
      return { kind: q.kind, points: q.points, correctBoolean: q.correctBoolean };
    case QuestionKind.NUMERIC:
      if (!given(q.correctNumber) || !Number.isFinite(q.correctNumber))
        throw badInput(`${field}.correctNumber is required`, `${field}.correctNumber`);
      return { kind: q.kind, points: q.points, correctNumber: q.correctNumber, tolerance: q.tolerance ?? 0 };
    case QuestionKind.SHORT_ANSWER: {
      const accepted = (q.acceptedAnswers ?? []).map((a) => a.trim()).filter((a) => normalizeShortAnswer(a));
      if (!accepted.length) throw badInput(`${field}.acceptedAnswers needs at least one non-blank answer`, `${field}.acceptedAnswers`);
      return { kind: q.kind, points: q.points, acceptedAnswers: accepted };
    }
  }
}

/** Checks that an answer has the shape its question's kind asks for. */
export function checkAnswer(question: Solution, answer: GivenAnswer, field: string): void {
  const uses = fieldsOf[question.kind].answer;
  for (const f of ANSWER_FIELDS) {
    if (f !== uses && given(answer[f]))
      throw badInput(`${field}.${f} does not answer a ${question.kind} question; use ${uses}`, `${field}.${f}`);
  }
  if (!given(answer[uses])) throw badInput(`${field}.${uses} is required for a ${question.kind} question`, `${field}.${uses}`);
  if (uses === 'choices') {
    const choices = answer.choices!;
    if (question.kind === QuestionKind.SINGLE_CHOICE && choices.length !== 1)
      throw badInput(`${field}.choices takes exactly one index`, `${field}.choices`);
    checkIndexes(choices, question.options?.length ?? 0, `${field}.choices`);
  }
  if (uses === 'numericValue' && !Number.isFinite(answer.numericValue))
    throw badInput(`${field}.numericValue must be a finite number`, `${field}.numericValue`);
}

/** The most an attempt can score: the sum of the questions' points. */
export function totalPoints(questions: ReadonlyArray<Pick<Solution, 'points'>>): number {
  return questions.reduce((sum, q) => sum + q.points, 0);
}

/** Grades one answer (undefined = not answered: no points). All-or-nothing per question. */
export function grade(question: Solution, answer: GivenAnswer | undefined): { correct: boolean; points: number } {
  const correct = !!answer && isCorrect(question, answer);
  return { correct, points: correct ? question.points : 0 };
}

function isCorrect(q: Solution, a: GivenAnswer): boolean {
  switch (q.kind) {
    case QuestionKind.SINGLE_CHOICE:
    case QuestionKind.MULTIPLE_CHOICE: {
      const chosen = [...new Set(a.choices ?? [])].sort((x, y) => x - y);
      const right = q.correctChoices ?? [];
      return chosen.length === right.length && chosen.every((c, i) => c === right[i]);
    }
    case QuestionKind.TRUE_FALSE:
      return given(a.booleanValue) && a.booleanValue === q.correctBoolean;
    case QuestionKind.NUMERIC:
      // A hair of slack so that 0.1 + 0.2 style representation errors never fail an exact answer.
      return given(a.numericValue) && Math.abs(a.numericValue! - q.correctNumber!) <= (q.tolerance ?? 0) + 1e-9;
    case QuestionKind.SHORT_ANSWER: {
      const text = normalizeShortAnswer(a.text ?? '');
      return !!text && (q.acceptedAnswers ?? []).some((accepted) => normalizeShortAnswer(accepted) === text);
    }
  }
}

function checkIndexes(indexes: number[], count: number, field: string): void {
  if (new Set(indexes).size !== indexes.length) throw badInput(`${field} lists an index twice`, field);
  const bad = indexes.find((i) => !Number.isInteger(i) || i < 0 || i >= count);
  if (bad !== undefined) throw badInput(`${field}: ${bad} is not an option index (0 to ${count - 1})`, field);
}
