import pluralize from 'pluralize';

// Word handling shared by the planner's linking: one normal form for words in questions and
// words in schema names, so "Customers", "customer_id", "customerId" and "customer's" meet.

export interface Token {
  /** Normal form: lower case, singular. */
  norm: string;
  /** The word as written, lower case. */
  raw: string;
  /** Index among the question's tokens. */
  index: number;
  /** The token continues a hyphenated word ("ins" of "check-ins"), which may also be one name. */
  hyphenated?: boolean;
}

/** Splits identifiers like `orderItems`, `order_items`, `OrderID`, `tbl_orders` into words. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

// Irregular or domain words pluralize gets wrong for our purposes.
const SINGULAR_OVERRIDES: Record<string, string> = {
  sales: 'sales',
  status: 'status',
  statuses: 'status',
  analytics: 'analytics',
  data: 'data',
  news: 'news',
  series: 'series',
  species: 'species',
  business: 'business',
  businesses: 'business',
  address: 'address',
  addresses: 'address',
  less: 'less',
  this: 'this',
  was: 'was',
  has: 'has',
  is: 'is',
  its: 'its',
  us: 'us',
  plus: 'plus',
  bonus: 'bonus',
  bonuses: 'bonus',
  canvas: 'canvas',
  class: 'class',
  classes: 'class',
  campus: 'campus',
};

export function singular(word: string): string {
  const w = word.toLowerCase();
  if (SINGULAR_OVERRIDES[w]) return SINGULAR_OVERRIDES[w];
  if (w.length <= 3 || /\d/.test(w)) return w;
  return pluralize.singular(w);
}

/** Light suffix stripping for verbs and adjectives ("ordered" → "order", "selling" → "sell"). */
export function stem(word: string): string {
  const w = singular(word);
  if (w.length > 5 && w.endsWith('ing')) return undouble(w.slice(0, -3));
  if (w.length > 7 && w.endsWith('ation')) return undouble(w.slice(0, -5));
  if (w.length > 4 && w.endsWith('ed'))
    return w.endsWith('ied') ? `${w.slice(0, -3)}y` : undouble(w.slice(0, -2));
  return w;
}

function undouble(w: string): string {
  return /([^aeiouls])\1$/.test(w) ? w.slice(0, -1) : w;
}

/** Lower-cases and tokenizes a question; possessives and punctuation go, numbers stay. */
export function tokenize(text: string): Token[] {
  const cleaned = text
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    // Contractions keep their negation as a word of its own: "haven't" → "have not".
    .replace(/\bwon't\b/g, 'will not')
    .replace(/\bcan't\b/g, 'can not')
    .replace(/n't\b/g, ' not')
    .replace(/'s\b/g, '')
    .replace(/s'(?=\s|$)/g, 's');
  const words = cleaned.match(/\$?\d+(?:[.,]\d+)*%?|[\p{L}][\p{L}\p{N}_-]*/gu) ?? [];
  const out: Token[] = [];
  for (const w of words) {
    const parts = w.split('-').filter(Boolean);
    parts.forEach((part, i) => {
      out.push({
        raw: part,
        norm: singular(part),
        index: out.length,
        ...(i > 0 ? { hyphenated: true } : {}),
      });
    });
  }
  return out;
}

export function phrase(words: string[]): string {
  return words.join(' ');
}
