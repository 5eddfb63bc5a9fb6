import bidiFactory from 'bidi-js';

const bidi = bidiFactory();

/** Characters of the Arabic script (letters, Arabic-Indic digits and their separators). */
const ARABIC = /\p{Script=Arabic}/u;

/** A piece of a line in display order, as the PDF writer must be given it. */
export interface VisualPiece {
  /** The text to hand to the font layout (see `visualPieces`). */
  text: string;
  /** A run of white space: only advances the pen. */
  space: boolean;
}

/**
 * One line of mixed Arabic and Latin text cut into pieces in display order (left to right), by
 * the Unicode Bidirectional Algorithm (bidi-js), for a PDF writer that lays out each piece on its
 * own.
 *
 * Why: pdfkit shapes Arabic through fontkit, which joins the letters correctly but reverses a
 * run only as a whole and only when the run's script is right-to-left, while pdfkit itself lays
 * out word by word, left to right. Given whole lines, multi-word Arabic comes out in the wrong
 * word order, numbers inside Arabic text reversed, brackets unmirrored. So the line is cut here
 * into runs of one direction and one script, words apart, ordered for display; each piece is
 * given in the order fontkit turns into the right glyph order: an Arabic-script piece in logical
 * order (fontkit reverses it, shaping each letter by its logical neighbours), any other piece in
 * display order (mirrored brackets included), which fontkit keeps.
 */
export function visualPieces(text: string, direction: 'rtl' | 'ltr'): VisualPiece[] {
  if (!text) return [];
  const embedding = bidi.getEmbeddingLevels(text, direction);
  const order = bidi.getReorderedIndices(text, embedding);
  const mirrored = bidi.getMirroredCharactersMap(text, embedding.levels);
  const groups: Array<{ level: number; arabic: boolean; space: boolean; indices: number[] }> = [];
  for (const i of order) {
    const ch = text[i];
    const level = embedding.levels[i];
    const space = /\s/.test(ch);
    const arabic = ARABIC.test(ch);
    const last = groups.at(-1);
    if (last && !space && !last.space && last.level === level && last.arabic === arabic) last.indices.push(i);
    else groups.push({ level, arabic, space, indices: [i] });
  }
  return groups.map((g) => {
    if (g.space) return { text: g.indices.map(() => ' ').join(''), space: true };
    if (g.arabic)
      return {
        text: [...g.indices]
          .reverse()
          .map((i) => text[i])
          .join(''),
        space: false,
      };
    return { text: g.indices.map((i) => mirrored.get(i) ?? text[i]).join(''), space: false };
  });
}

/** Whether a text is mostly right-to-left (its first strong character is): the direction to lay out a name in. */
export function directionOf(text: string): 'rtl' | 'ltr' {
  const { paragraphs } = bidi.getEmbeddingLevels(text, 'auto');
  return paragraphs[0] && paragraphs[0].level % 2 === 1 ? 'rtl' : 'ltr';
}
