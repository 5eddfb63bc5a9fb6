import type { AnswerInput, QuestionKind } from '../../gql/graphql';

/** What the student has put in for one question; numbers stay text until they parse (so "2." can be typed). */
export interface Draft {
  choices?: number[];
  booleanValue?: boolean;
  numericText?: string;
  text?: string;
}

export interface SavedAnswer {
  choices?: number[] | null;
  booleanValue?: boolean | null;
  numericValue?: number | null;
  text?: string | null;
  question: { id: string };
}

export const draftOf = (a: SavedAnswer): Draft => ({
  choices: a.choices ?? undefined,
  booleanValue: a.booleanValue ?? undefined,
  numericText: a.numericValue == null ? undefined : String(a.numericValue),
  text: a.text ?? undefined,
});

// Egyptian keyboards type Arabic-Indic digits and the Arabic decimal separator: read them as the number meant.
const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';
export function parseNumber(text: string): number | null {
  const western = text
    .trim()
    .replace(/[٠-٩]/g, (d) => String(ARABIC_DIGITS.indexOf(d)))
    .replace(/[٫,]/g, '.')
    .replace(/^−/, '-');
  if (!/^-?\d+(\.\d+)?$/.test(western)) return null;
  return Number(western);
}

/**
 * The answer to send for a draft, in the field its kind uses (QuestionKind in the supergraph);
 * 'empty' when there is nothing to save yet, 'invalid' when a number does not parse.
 */
export function answerOf(questionId: string, kind: QuestionKind, d: Draft): AnswerInput | 'empty' | 'invalid' {
  switch (kind) {
    case 'SINGLE_CHOICE':
    case 'MULTIPLE_CHOICE':
      return d.choices?.length ? { questionId, choices: d.choices } : 'empty';
    case 'TRUE_FALSE':
      return d.booleanValue == null ? 'empty' : { questionId, booleanValue: d.booleanValue };
    case 'NUMERIC': {
      if (!d.numericText?.trim()) return 'empty';
      const n = parseNumber(d.numericText);
      return n == null ? 'invalid' : { questionId, numericValue: n };
    }
    case 'SHORT_ANSWER':
      return d.text?.trim() ? { questionId, text: d.text } : 'empty';
  }
}
