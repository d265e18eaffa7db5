// How rows are to be ordered, when the question says so: "ordered by the number of papers in
// descending order", "sorted alphabetically", "from highest to lowest", "newest first". The
// phrase is blanked so its words are not linked as the question's subject; what it orders by is
// resolved against the plan afterwards, and a phrase that resolves to nothing the plan shows is a
// doubt, never ignored.

export interface OrderReading {
  /** The phrase as written. */
  text: string;
  /** The direction written; absent when only a key was named ("ordered by the journal name"). */
  dir?: 'asc' | 'desc';
  /** Words naming what to order by ("the number of publications"); empty when none. */
  by: string;
  /** "alphabetically", "A to Z": by a name, not a number. */
  alphabetical: boolean;
}

export interface OrderingResult {
  order?: OrderReading;
  rest: string;
}

const HIGH = 'highest|largest|biggest|greatest|most|longest|newest|latest|best|max(?:imum)?';
const LOW = 'lowest|smallest|least|fewest|shortest|oldest|earliest|worst|min(?:imum)?';

/** A direction phrase; the named groups say which. */
const DIRECTION = [
  '(?:in\\s+)?(?:an?\\s+|the\\s+)?(?<dirword>ascending|descending|increasing|decreasing|asc|desc|(?:reverse\\s+)?alphabetical|reverse)\\s+order',
  '(?<alpha>alphabetically|(?:from\\s+)?a\\s*(?:to|-)\\s*z)',
  // "ordered by month descending": the direction word alone, last.
  '(?<lastword>ascending|descending|asc|desc)',
  `from\\s+(?:the\\s+)?(?<from>${HIGH}|${LOW})\\s+to\\s+(?:the\\s+)?(?:${HIGH}|${LOW})`,
  `(?:with\\s+)?(?:the\\s+)?(?<first>${HIGH}|${LOW})\\s+(?:ones?\\s+)?first`,
].join('|');

const VERB = '(?:ordered|sorted|ranked|arranged|order|sort|rank)\\b';
const OBJECT = '(?:(?:the\\s+)?(?:results?|them|it|rows|list|output|answer)\\s+)?';
const KEY = '(?<by>[^,.;:?!()]*?)';

/** "ordered by X in descending order", "sort the results by X", "sorted alphabetically",
 *  "sort the codes in ascending order": a verb with a key after "by", a direction, or both. */
const WITH_VERB = new RegExp(
  `(?:[,;]\\s*)?(?:\\band\\s+)?(?:\\b(?:please|then)\\s+)?(?:\\b(?:are|is|be)\\s+)?\\b${VERB}\\s+${OBJECT}` +
    `(?:(?<prep>by|according\\s+to)\\s+)?${KEY}\\s*,?\\s*(?:${DIRECTION})?(?=\\s*(?:[,.;:?!)]|$))`,
  'gi',
);

/** "in descending order of X", "from highest to lowest", "newest first" without a verb. */
const BARE = new RegExp(
  `(?:[,;]\\s*)?\\b(?:${DIRECTION})(?:\\s+(?:of|by)\\s+${KEY})?(?=\\s*(?:[,.;:?!)]|$))`,
  'gi',
);

/** The first phrase that says how to order: a verb needs a key after "by" or a direction. */
function firstOrdering(text: string): RegExpExecArray | undefined {
  for (const m of text.matchAll(WITH_VERB)) {
    const g = m.groups ?? {};
    if (g.prep || g.dirword || g.alpha || g.from || g.first || g.lastword) return m as RegExpExecArray;
  }
  for (const m of text.matchAll(BARE)) return m as RegExpExecArray;
  return undefined;
}

function directionOf(groups: Record<string, string | undefined>): {
  dir?: 'asc' | 'desc';
  alphabetical: boolean;
} {
  const word = groups.dirword?.toLowerCase().replace(/\s+/g, ' ');
  if (word) {
    if (word === 'alphabetical') return { dir: 'asc', alphabetical: true };
    if (word.endsWith('alphabetical')) return { dir: 'desc', alphabetical: true };
    const asc = /^(?:asc|ascending|increasing)$/.test(word);
    return { dir: asc ? 'asc' : 'desc', alphabetical: false };
  }
  if (groups.alpha) return { dir: 'asc', alphabetical: true };
  if (groups.lastword) return { dir: /^asc/i.test(groups.lastword) ? 'asc' : 'desc', alphabetical: false };
  const extreme = (groups.from ?? groups.first)?.toLowerCase();
  if (extreme)
    return { dir: new RegExp(`^(?:${HIGH})$`).test(extreme) ? 'desc' : 'asc', alphabetical: false };
  return { alphabetical: false };
}

export function readOrdering(text: string): OrderingResult {
  const match = firstOrdering(text);
  if (!match) return { rest: text };
  const groups = match.groups ?? {};
  const { dir, alphabetical } = directionOf(groups);
  const rest =
    text.slice(0, match.index) + ' '.repeat(match[0].length) + text.slice(match.index + match[0].length);
  return {
    order: { text: match[0].replace(/^[,;]\s*/, '').trim(), dir, by: (groups.by ?? '').trim(), alphabetical },
    rest,
  };
}
