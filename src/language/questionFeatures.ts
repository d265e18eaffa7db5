import { readNumbers } from './numbers.ts';
import { stem, tokenize } from './text.ts';
import { readTime } from './timePhrases.ts';
import {
  AGGREGATE_WORDS,
  COUNT_PHRASES,
  GROUPING_WORDS,
  MONEY_WORDS,
  STOPWORDS,
  SUPERLATIVES,
} from './vocabulary.ts';

// A question reduced to what decides its answer, so that paraphrases meet and near-misses
// do not: words in one canonical form ("sales", "revenue", "income" → revenue; "clients",
// "buyers" → customer), and facets for the parts that change the SQL even when the words
// hardly differ — the period ("this year" vs "last year"), the row limit ("top 5" vs
// "top 10"), comparisons and groupings. Memory re-compiles a stored plan with fresh dates but
// keeps its period, so two questions that differ only in the period must not look alike.
// The planner's own readers find these parts, so memory and planner agree on what a question says.

export interface QuestionFeatures {
  /** Canonical content words, in question order. */
  words: string[];
  /** Structural facts: `time:…`, `grain:…`, `limit:…`, `cmp:…`, `by:…`. */
  facets: string[];
}

/** Entity words people use interchangeably, each mapped to one form. */
const ENTITY_FORMS: Record<string, string> = {
  client: 'customer',
  buyer: 'customer',
  shopper: 'customer',
  purchaser: 'customer',
  consumer: 'customer',
  item: 'product',
  good: 'product',
  sku: 'product',
  article: 'product',
  merchandise: 'product',
  purchase: 'order',
  transaction: 'order',
  checkout: 'order',
};

/** A fixed clock: "in March" must read the same whichever day the question is embedded. */
const EPOCH = new Date(Date.UTC(2000, 0, 15));

function canonicalWord(norm: string): string {
  if (MONEY_WORDS.has(norm)) return 'revenue';
  const agg = AGGREGATE_WORDS[norm];
  if (agg) return `agg_${agg}`;
  const rank = SUPERLATIVES[norm];
  if (rank) return rank.attribute ? `rank_${rank.dir}_${rank.attribute}` : `rank_${rank.dir}`;
  return ENTITY_FORMS[norm] ?? norm;
}

function timeFacets(question: string): { facets: string[]; rest: string } {
  const t = readTime(question, EPOCH);
  const facets: string[] = [];
  const r = t.range;
  if (r?.kind === 'absolute') facets.push(`time:absolute:${r.from ?? ''}:${r.to ?? ''}`);
  else if (r?.kind === 'current') facets.push(`time:current:${r.unit}`);
  else if (r) facets.push(`time:${r.kind}:${r.unit}:${r.n}:${r.offset ?? 0}`);
  if (t.grain) facets.push(`grain:${t.grain}`);
  return { facets, rest: t.rest };
}

const COUNT_RE = new RegExp(
  `\\b(${[...COUNT_PHRASES].sort((a, b) => b.length - a.length).join('|')})\\b`,
  'g',
);

export function questionFeatures(question: string): QuestionFeatures {
  const time = timeFacets(question.toLowerCase());
  const numbers = readNumbers(time.rest);
  const facets = [...time.facets];
  if (numbers.limit !== undefined) facets.push(`limit:${numbers.limit}`);
  for (const c of numbers.comparisons) facets.push(`cmp:${c.op}:${JSON.stringify(c.value)}`);

  const tokens = tokenize(numbers.rest.replace(COUNT_RE, ' agg_count '));
  const words: string[] = [];
  let grouping = false;
  for (const token of tokens) {
    if (GROUPING_WORDS.has(token.norm)) {
      grouping = true;
      continue;
    }
    if (STOPWORDS.has(token.norm) || /^\d/.test(token.norm)) continue;
    const word = canonicalWord(stem(token.norm));
    words.push(word);
    // The first content word after "by"/"per" is what the answer is grouped by.
    if (grouping) facets.push(`by:${word}`);
    grouping = false;
  }
  return { words, facets };
}

/** One line per question meaning, stored with patterns: the same line is the same question. */
export function normalizeQuestion(question: string): string {
  const f = questionFeatures(question);
  return [...f.words, ...[...f.facets].sort()].join(' ');
}
