// Text measured the way a monospace terminal or Slack code block shows it: by grapheme (an emoji
// with modifiers is one), with wide East Asian characters and emoji taking two cells.

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const WIDE =
  /\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;
const ELLIPSIS = '…';

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

function graphemeWidth(g: string): number {
  return WIDE.test(g) ? 2 : 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const g of graphemes(text)) width += graphemeWidth(g);
  return width;
}

/** UTF-16 units one cell of width is allowed when cutting: a few for a grapheme of combining
 *  marks or an emoji sequence. Only this much of a value is ever measured, so the work of
 *  cutting follows the width shown, not the length of the value (a 2 MB text is cut at once). */
const UNITS_PER_CELL = 16;

/** Cuts `text` to at most `maxWidth` cells, ending in "…" when cut; never splits a grapheme. */
export function truncate(text: string, maxWidth: number): string {
  const limit = (Math.max(0, maxWidth) + 1) * UNITS_PER_CELL;
  // A pair of surrogates cut in two would be a broken character.
  const bounded = text.length > limit ? text.slice(0, limit).replace(/[\uD800-\uDBFF]$/, '') : text;
  if (bounded === text && displayWidth(text) <= maxWidth) return text;
  if (maxWidth < 1) return '';
  let width = 0;
  let out = '';
  for (const g of graphemes(bounded)) {
    const w = graphemeWidth(g);
    if (width + w > maxWidth - 1) break;
    out += g;
    width += w;
  }
  return out.trimEnd() + ELLIPSIS;
}

/** Pads to `width` cells on the left (right-aligned) or right (left-aligned). */
export function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** One line: newlines and tabs would break a table row. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}
