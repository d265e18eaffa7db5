import type { SchemaReading } from '../../domain/schemaReading.ts';
import type { Aggregate } from '../../domain/types.ts';
import { singular, stem, type Token } from '../../language/text.ts';
import {
  AGGREGATE_WORDS,
  ASKING_WORDS,
  DISTINCT_WORDS,
  GRAIN_WORDS,
  GROUPING_WORDS,
  MONEY_WORDS,
  NEGATION_WORDS,
  QUANTITY_WORDS,
  SUPERLATIVES,
} from '../../language/vocabulary.ts';
import type { SchemaLexicon } from './schemaLexicon.ts';

// Turns a question's tokens into mentions: spans of words with every reading they could have
// (a table, a column, a sampled value, "money", an aggregate, a ranking word…). Which reading
// wins is decided later, with the whole question in view.

export interface Mention {
  start: number;
  end: number;
  text: string;
  schema: SchemaReading[];
  money?: boolean;
  quantity?: boolean;
  agg?: Aggregate;
  count?: boolean;
  distinct?: boolean;
  superlative?: (typeof SUPERLATIVES)[string];
  grouping?: boolean;
  asking?: boolean;
  negation?: boolean;
  grain?: (typeof GRAIN_WORDS)[string];
  /** "new customers": the entity's own creation time is meant. */
  fresh?: boolean;
  /** The word was written in the plural ("products"), for "the most expensive product(s)". */
  plural: boolean;
}

/** Words for an entity's own start: "new customers", "accounts that signed up". */
const FRESH_WORDS = new Set(['new', 'newly', 'signup', 'joined', 'signed', 'registered', 'onboarded']);

const PHRASES: { words: string[]; set: Partial<Mention> }[] = [
  { words: ['how', 'many'], set: { count: true } },
  { words: ['number', 'of'], set: { count: true } },
  { words: ['total', 'number', 'of'], set: { count: true } },
  { words: ['count', 'of'], set: { count: true } },
  { words: ['no', 'of'], set: { count: true } },
  { words: ['break', 'down'], set: { grouping: true } },
  { words: ['broken', 'down'], set: { grouping: true } },
  { words: ['breakdown', 'by'], set: { grouping: true } },
  { words: ['split', 'by'], set: { grouping: true } },
  { words: ['grouped', 'by'], set: { grouping: true } },
  { words: ['for', 'each'], set: { grouping: true } },
  { words: ['in', 'each'], set: { grouping: true } },
  { words: ['in', 'terms', 'of'], set: { grouping: true } },
  { words: ['the', 'most'], set: { superlative: SUPERLATIVES.most } },
  { words: ['the', 'least'], set: { superlative: SUPERLATIVES.least } },
  { words: ['how', 'much'], set: { agg: 'sum' } },
];

/** The token positions some mention covers. */
export function coveredPositions(mentions: Mention[]): Set<number> {
  const covered = new Set<number>();
  for (const m of mentions) for (let i = m.start; i < m.end; i++) covered.add(i);
  return covered;
}

function vocabularyReading(word: string): Partial<Mention> | null {
  const s = stem(word);
  if (word === 'count') return { count: true };
  if (word in AGGREGATE_WORDS) return { agg: AGGREGATE_WORDS[word] };
  if (DISTINCT_WORDS.has(word)) return { distinct: true };
  if (word in SUPERLATIVES) return { superlative: SUPERLATIVES[word] };
  if (GROUPING_WORDS.has(word)) return { grouping: true };
  if (ASKING_WORDS.has(word)) return { asking: true };
  if (NEGATION_WORDS.has(word)) return { negation: true };
  if (FRESH_WORDS.has(word)) return { fresh: true };
  const out: Partial<Mention> = {};
  if (MONEY_WORDS.has(word) || MONEY_WORDS.has(s)) out.money = true;
  if (QUANTITY_WORDS.has(word) || QUANTITY_WORDS.has(s)) out.quantity = true;
  if (word in GRAIN_WORDS) out.grain = GRAIN_WORDS[word];
  return Object.keys(out).length ? out : null;
}

/** "check-ins" read as one word, `checkin`, when its parts name nothing together. */
function hyphenJoined(span: Token[], lexicon: SchemaLexicon): SchemaReading[] {
  if (span.length < 2 || !span.slice(1).every((t) => t.hyphenated)) return [];
  return lexicon.lookup([singular(span.map((t) => t.raw).join(''))]);
}

export function findMentions(tokens: Token[], lexicon: SchemaLexicon): Mention[] {
  const out: Mention[] = [];
  let i = 0;
  while (i < tokens.length) {
    let found: Mention | null = null;
    const maxN = Math.min(Math.max(lexicon.maxWords, 3), tokens.length - i);
    for (let n = maxN; n >= 1 && !found; n--) {
      const span = tokens.slice(i, i + n);
      const norms = span.map((t) => t.norm);
      const raws = span.map((t) => t.raw);
      const phrase = PHRASES.find((p) => p.words.join(' ') === raws.join(' '));
      const schema = lexicon.lookup(norms).length ? lexicon.lookup(norms) : hyphenJoined(span, lexicon);
      const vocab = n === 1 ? (vocabularyReading(norms[0]!) ?? vocabularyReading(raws[0]!)) : null;
      if (phrase || schema.length || vocab) {
        found = {
          start: i,
          end: i + n,
          text: raws.join(' '),
          schema,
          plural: span.some((t) => t.raw !== t.norm),
          ...(vocab ?? {}),
          ...(phrase?.set ?? {}),
        };
      }
    }
    const prev = out[out.length - 1];
    if (
      found &&
      prev?.superlative &&
      !prev.superlative.attribute &&
      found.superlative?.attribute &&
      prev.end === found.start
    ) {
      // "most expensive" is one superlative; "least expensive" turns it around.
      const dir =
        prev.superlative.dir === 'asc'
          ? found.superlative.dir === 'asc'
            ? 'desc'
            : 'asc'
          : found.superlative.dir;
      out[out.length - 1] = {
        ...found,
        start: prev.start,
        text: `${prev.text} ${found.text}`,
        superlative: { ...found.superlative, dir },
      };
      i = found.end;
    } else if (found) {
      out.push(found);
      i = found.end;
    } else {
      i += 1;
    }
  }
  return out;
}
