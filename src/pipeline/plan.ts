import type { TeamWord } from '../domain/schemaReading.ts';
import type { AnswerSource, QueryPlan, SchemaInfo } from '../domain/types.ts';
import { NotUnderstood, WriteRefused } from '../errors.ts';
import { applyDefinedMeasures } from '../knowledge/applyMeasures.ts';
import type { DefinedMeasure } from '../knowledge/definedMeasure.ts';
import { type ChartRequest, splitChartRequest } from '../language/chartWords.ts';
import type { Definition } from '../language/hints.ts';
import { readNumbers } from '../language/numbers.ts';
import { readOrdering } from '../language/ordering.ts';
import { tokenize } from '../language/text.ts';
import { readTime } from '../language/timePhrases.ts';
import { ANSWER_PART_WORDS, WRITE_REQUEST } from '../language/vocabulary.ts';
import type { SimilarPattern } from '../memory/patterns.ts';
import { shouldUseMemoryPattern } from '../memory/shouldUseMemoryPattern.ts';
import { looksLikeFollowUp, readFollowUp } from './followup.ts';
import { describePlan } from './headline.ts';
import { readingsFor } from './planner/askBack.ts';
import type { PlanDraft } from './planner/draft.ts';
import { findMentions, type Mention } from './planner/mentions.ts';
import { planOffline } from './planner/offline.ts';
import { SchemaLexicon } from './planner/schemaLexicon.ts';

// The plan stage (see docs/architecture.md#plan): a question becomes a QueryPlan from, in order, a
// follow-up edit of the thread's last plan, a remembered pattern (re-compiled with fresh dates), or
// the offline planner.

export interface PlanInput {
  question: string;
  schema: SchemaInfo;
  defaultLimit: number;
  maxRows: number;
  now?: Date;
  definitions?: Definition[];
  /** The thread's last plan, for follow-ups. */
  lastPlan?: QueryPlan | null;
  /** Similar past questions from memory, the asker's own first. */
  patterns?: SimilarPattern[];
  /** Terms the data team defined with SQL: that exact measure wherever the word appears. */
  measures?: DefinedMeasure[];
  /** The team's words for tables and columns (the knowledge file's synonyms). */
  vocabulary?: readonly TeamWord[];
}

export type Planned =
  | (PlanDraft & { kind: 'plan'; source: AnswerSource; patternId?: number; chart?: ChartRequest })
  | { kind: 'chart'; chart: ChartRequest }
  | { kind: 'explain' };

// The lexicon is derived from the schema and the team's words alone; a schema object served
// from cache is reused, so it is built once per discovered schema and vocabulary.
const lexicons = new WeakMap<SchemaInfo, WeakMap<readonly TeamWord[], SchemaLexicon>>();
const NO_TEAM_WORDS: readonly TeamWord[] = [];

export function lexiconFor(
  schema: SchemaInfo,
  teamWords: readonly TeamWord[] = NO_TEAM_WORDS,
): SchemaLexicon {
  const byWords = lexicons.get(schema) ?? new WeakMap<readonly TeamWord[], SchemaLexicon>();
  lexicons.set(schema, byWords);
  let lex = byWords.get(teamWords);
  if (!lex) {
    lex = new SchemaLexicon(schema, teamWords);
    byWords.set(teamWords, lex);
  }
  return lex;
}

/** What a mention does to a plan, apart from which words say it: its operators and the table
 *  or column it most likely names. */
function mentionRole(m: Mention): string {
  const best = [...m.schema].sort((a, b) => b.score - a.score)[0];
  const names =
    !best || best.kind === 'value'
      ? ''
      : best.kind === 'table'
        ? best.table
        : `${best.ref.table}.${best.ref.column}`;
  const ops = [
    m.negation && 'not',
    m.distinct && 'distinct',
    m.grouping && 'by',
    m.superlative && `rank:${m.superlative.dir}`,
    m.agg && `agg:${m.agg}`,
    m.count && 'count',
    m.grain && `grain:${m.grain}`,
  ].filter(Boolean);
  return [...ops, names].filter(Boolean).join(' ');
}

/** What must be equal for two questions to share a plan: the values, numbers and periods they
 *  name, the tables and columns, the operators (negations, groupings, rankings) and the order
 *  asked for. "Sales in Germany" and "sales in France", or a question and the same one "by
 *  country", embed close together but are not the same. */
export function questionSignature(question: string, lexicon: SchemaLexicon, now?: Date): string {
  const ordering = readOrdering(question);
  const time = readTime(ordering.rest, now);
  const numbers = readNumbers(time.rest);
  const mentions = findMentions(tokenize(numbers.rest), lexicon);
  const values = mentions
    .flatMap((m) =>
      m.schema.filter((r) => r.kind === 'value').map((r) => (r.kind === 'value' ? r.value : '')),
    )
    .sort();
  const roles = [...new Set(mentions.map(mentionRole).filter(Boolean))].sort();
  const order = ordering.order
    ? [ordering.order.dir ?? '', ordering.order.alphabetical, ordering.order.by.toLowerCase()]
    : null;
  return JSON.stringify({
    range: time.range ?? time.windowWithoutGrain ?? null,
    grain: time.grain ?? null,
    limit: numbers.limit ?? null,
    comparisons: numbers.comparisons.map((c) => [c.op, c.value]),
    values,
    roles,
    order,
  });
}

function fromMemory(input: PlanInput, lexicon: SchemaLexicon): Planned | null {
  const signature = questionSignature(input.question, lexicon, input.now);
  for (const p of input.patterns ?? []) {
    if (!shouldUseMemoryPattern(p, input.schema.fingerprint)) continue;
    if (questionSignature(p.question, lexicon, input.now) !== signature) continue;
    return {
      kind: 'plan',
      source: 'memory',
      plan: p.plan,
      patternId: p.id,
      confidence: p.similarity,
      understood: [`the same as your earlier question "${p.question}"`],
      assumptions: [],
    };
  }
  return null;
}

/** The question planned, with how it should be drawn when it says so ("… as a bar chart");
 *  a message that is only a chart request redraws the thread's last answer. */
/** The question asks to change data ("delete my orders"), not about a part of an answer. */
export function asksToWrite(question: string): boolean {
  return WRITE_REQUEST.test(question) && !ANSWER_PART_WORDS.test(question);
}

export function planQuestion(input: PlanInput): Planned {
  if (asksToWrite(input.question)) {
    // Never answered as a different, read-only question: that would look like the change happened.
    throw new WriteRefused(
      'I only read your data: I can\'t delete, change or add anything, and nothing was changed. Ask me a question about the data instead, for example "how many customers have no orders?"',
    );
  }
  const { chart, rest } = splitChartRequest(input.question);
  if (!chart) return planWords(input);
  if (!rest) {
    if (input.lastPlan) return { kind: 'chart', chart };
    throw new NotUnderstood(`Ask a question first; then I can draw its answer as a ${chart} chart.`);
  }
  const planned = planWords({ ...input, question: rest });
  return planned.kind === 'plan' ? { ...planned, chart } : planned;
}

function planWords(input: PlanInput): Planned {
  const lexicon = lexiconFor(input.schema, input.vocabulary);
  if (input.lastPlan && looksLikeFollowUp(input.question, lexicon)) {
    const f = readFollowUp(input.question, input.lastPlan, {
      schema: input.schema,
      lexicon,
      now: input.now,
      defaultLimit: input.defaultLimit,
      maxRows: input.maxRows,
    });
    if (f.kind === 'plan') {
      return {
        kind: 'plan',
        source: 'followup',
        plan: f.plan,
        confidence: 1,
        understood: f.changes,
        assumptions: [],
      };
    }
    if (f.kind !== 'none') return f;
  }
  const remembered = fromMemory(input, lexicon);
  if (remembered) return remembered;
  const offline = {
    schema: input.schema,
    lexicon,
    defaultLimit: input.defaultLimit,
    now: input.now,
    definitions: input.definitions,
  };
  let draft: PlanDraft;
  try {
    draft = planOffline(input.question, offline);
  } catch (e) {
    if (e instanceof NotUnderstood)
      e.readings = readingsFor(input.question, e, {
        lexicon,
        plan: (q) => planOffline(q, offline).plan,
        describe: (plan) => describePlan(plan, { now: input.now }),
      });
    throw e;
  }
  const measured = applyDefinedMeasures(draft, input.question, input.measures ?? []);
  return { ...draft, ...measured, kind: 'plan', source: 'rules' };
}
