import pluralize from 'pluralize';
import type { QueryPlan, TableKey } from '../../domain/types.ts';
import { NotUnderstood, type Reading } from '../../errors.ts';
import { readNumbers } from '../../language/numbers.ts';
import { readOrdering } from '../../language/ordering.ts';
import { type Token, tokenize } from '../../language/text.ts';
import { readTime } from '../../language/timePhrases.ts';
import { LINKING_WORDS, STOPWORDS, SUPERLATIVES } from '../../language/vocabulary.ts';
import { isMoneyColumn, isQuantityColumn } from './columnRoles.ts';
import { UnplacedParts } from './ledger.ts';
import { coveredPositions, findMentions, type Mention } from './mentions.ts';
import { tableReading } from './readings.ts';
import { type SchemaLexicon, tableWords } from './schemaLexicon.ts';

// Asking back usefully. A declined question is rewritten the ways it could have been meant — a
// word spelled as the schema spells it, the measure a ranking is by, a count or a total of rows
// whose amount is unclear, a threshold on the total, a number column's total or average, the
// highest value or the average in each group, the average inside each group — and every rewrite
// is planned in full. Only rewrites that plan with every part placed are offered, each labelled
// with what it computes, so picking one answers exactly what its label says and never a guess.

const MAX_READINGS = 3;
/** Rewrites tried per declined question: each is one offline plan (well under a millisecond). */
const MAX_TRIES = 24;

export interface AskBackContext {
  lexicon: SchemaLexicon;
  /** The whole question planned, or NotUnderstood. */
  plan: (question: string) => QueryPlan;
  /** What a plan computes, in words. */
  describe: (plan: QueryPlan) => string;
}

export function readingsFor(question: string, declined: NotUnderstood, ctx: AskBackContext): Reading[] {
  const readings: Reading[] = [];
  const plans = new Set<string>();
  let tries = 0;
  for (const candidate of new Set(rewrites(question, declined, ctx.lexicon))) {
    if (candidate === question) continue;
    if (++tries > MAX_TRIES) break;
    let plan: QueryPlan;
    try {
      plan = ctx.plan(candidate);
    } catch (e) {
      if (e instanceof NotUnderstood) continue;
      throw e;
    }
    const key = JSON.stringify(plan);
    if (plans.has(key)) continue;
    plans.add(key);
    readings.push({ label: ctx.describe(plan), question: candidate });
    if (readings.length === MAX_READINGS) break;
  }
  return readings;
}

/** The question's mentions as the planner finds them, after periods and numbers are read. */
function mentionsOf(question: string, lexicon: SchemaLexicon): { words: Token[]; mentions: Mention[] } {
  const rest = readNumbers(readTime(readOrdering(question).rest).rest).rest;
  const tokens = tokenize(rest);
  return { words: tokens, mentions: findMentions(tokens, lexicon) };
}

function* rewrites(question: string, declined: NotUnderstood, lexicon: SchemaLexicon): Generator<string> {
  const { words, mentions } = mentionsOf(question, lexicon);
  yield* spelledAsSchema(question, words, mentions, lexicon);
  yield* rankedBy(question, mentions, lexicon);
  yield* aggregated(question, mentions, lexicon);
  if (declined instanceof UnplacedParts)
    for (const d of declined.doubts)
      if (d.what === 'amount') {
        yield replaceWords(question, d.text, `number of ${d.rows ?? d.text}`);
        yield replaceWords(question, d.text, `total ${d.text}`);
      } else if (d.what === 'threshold') yield `${question} in total`;
      // "highest price by category": the maximum in each, or their average.
      else if (d.what === 'aggregate' && SUPERLATIVES[d.text.split(' ')[0]!]) {
        const [word, ...rest] = d.text.split(' ');
        const extreme = SUPERLATIVES[word!]!.dir === 'desc' ? 'maximum' : 'minimum';
        yield replaceWords(question, d.text, `${extreme} ${rest.join(' ')}`);
        yield replaceWords(question, d.text, `average ${rest.join(' ')}`);
      }
      // "average seats per plan": the average inside each plan is one reading of it.
      else if (d.what === 'grouping' && d.text.startsWith('per '))
        yield replaceWords(question, d.text, `by ${d.text.slice(4)}`);
}

/** "mrr by industry": a number column named without saying how to put its rows together —
 *  their total or their average. */
function* aggregated(question: string, mentions: Mention[], lexicon: SchemaLexicon): Generator<string> {
  if (mentions.some((m) => m.agg || m.count || m.superlative)) return;
  const numeric = mentions.some((m) =>
    m.schema.some((r) => r.kind === 'column' && r.score >= 0.9 && lexicon.column(r.ref)?.kind === 'number'),
  );
  if (!numeric) return;
  yield `total ${question}`;
  yield `average ${question}`;
}

/** "sales by categry" → "sales by category": a word no mention covers, replaced by the
 *  schema's names one or two letters away. */
function* spelledAsSchema(
  question: string,
  words: Token[],
  mentions: Mention[],
  lexicon: SchemaLexicon,
): Generator<string> {
  const covered = coveredPositions(mentions);
  for (const [i, { raw, norm }] of words.entries()) {
    if (covered.has(i) || STOPWORDS.has(norm) || LINKING_WORDS.has(norm) || !/^[a-z]+$/.test(norm)) continue;
    // The schema's words are singular: "ordrs" is one letter from "order" once it is too.
    for (const near of lexicon.similarWords(norm, 2))
      yield replaceWords(question, raw, raw === norm ? near : pluralize.plural(near));
  }
}

/** "top customers" → "… by revenue", "… by number of orders", "… by units": a ranking that
 *  names no measure, offered the measures the ranked table can be ranked by. */
function* rankedBy(question: string, mentions: Mention[], lexicon: SchemaLexicon): Generator<string> {
  if (!mentions.some((m) => m.superlative)) return;
  if (mentions.some((m) => m.money || m.quantity || m.count || m.agg)) return;
  const ranked = mentions.map(tableReading).find((t): t is TableKey => Boolean(t));
  if (!ranked) return;
  const { schema } = lexicon;
  const columns = schema.tables.flatMap((t) => t.columns.map((c) => ({ t, c })));
  if (columns.some(({ t, c }) => isMoneyColumn(t, c))) yield `${question} by revenue`;
  const counted = schema.foreignKeys
    .filter((fk) => fk.toTable === ranked && fk.fromTable !== ranked)
    .map((fk) => lexicon.table(fk.fromTable))
    .sort((a, b) => b.rowEstimate - a.rowEstimate);
  for (const t of counted.slice(0, 2))
    yield `${question} by number of ${pluralize.plural(tableWords(t).join(' '))}`;
  if (columns.some(({ t, c }) => isQuantityColumn(t, c))) yield `${question} by units sold`;
}

function replaceWords(question: string, words: string, by: string): string {
  const escaped = words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return question.replace(new RegExp(`\\b${escaped}\\b`, 'i'), by);
}
