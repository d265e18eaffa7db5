import { measureTable } from '../../domain/planParts.ts';
import type { Filter, Measure, QueryPlan } from '../../domain/types.ts';
import { NotUnderstood } from '../../errors.ts';
import type { OrderReading } from '../../language/ordering.ts';
import { identifierWords, tokenize } from '../../language/text.ts';
import { AGGREGATE_WORDS } from '../../language/vocabulary.ts';
import { filterWords } from '../headline/filters.ts';
import type { PlanDraft } from './draft.ts';

// "What is the ratio of open businesses to closed businesses in San Francisco?": each side is
// planned as a question of its own by the whole planner (so no word of either side goes
// unread), then the two plans are joined into one plan of two measures and their ratio. They
// must count the same rows: the conditions they share stay in WHERE, each side's own ones go to
// its measure (`FILTER (WHERE …)`). A condition written after the second side on a column the
// first side leaves open ("… in San Francisco") is read as applying to both, and said so.

export interface RatioParts {
  numerator: string;
  denominator: string;
}

const RATIO =
  /\b(?:the\s+)?(?:ratio|proportion)\s+(?:of\s+|between\s+)(.+?)\s+(?:to|and|versus|vs\.?|against)\s+(.+?)\s*[?.!]*\s*$/i;

/** Words that may come before "the ratio of" without changing it ("what is", "calculate"). */
const LEAD_WORDS = new Set([
  'calculate',
  'compute',
  'whats',
  'what',
  'is',
  'the',
  'show',
  'me',
  'give',
  'tell',
  'find',
  'get',
]);

export function splitRatio(question: string): RatioParts | undefined {
  const m = RATIO.exec(question);
  if (!m) return undefined;
  // "What is not the ratio …", "how does the ratio … change": the lead is part of the question.
  const lead = tokenize(question.slice(0, m.index)).map((t) => t.norm);
  if (!lead.every((w) => LEAD_WORDS.has(w))) return undefined;
  return { numerator: m[1]!.trim(), denominator: m[2]!.trim() };
}

/** A side as a question the planner answers with one number: "how many open businesses". */
function sideQuestion(side: string): string {
  const text = side.replace(/^(?:the\s+)?(?:total\s+)?(?:number|count|no\.?)\s+of\s+/i, '');
  const first = text.split(/\s+/)[0]?.toLowerCase() ?? '';
  return first in AGGREGATE_WORDS ? `what is the ${side}` : `how many ${text}`;
}

const key = (f: Filter) => JSON.stringify([f.ref, f.op, f.value ?? null, f.none ?? false]);
const sameColumn = (a: Filter, b: Filter) => a.ref.table === b.ref.table && a.ref.column === b.ref.column;

function alias(m: Measure, own: Filter[]): string {
  const words = [...identifierWords(m.as), ...own.flatMap((f) => identifierWords(filterWords(f)))];
  return words
    .filter((w) => w !== 'with')
    .join('_')
    .replace(/[^a-z0-9_]/g, '')
    .slice(0, 60);
}

function declined(text: string): never {
  throw new NotUnderstood(
    `I can work out a ratio of two counts of the same rows ("open businesses to closed businesses"), but not ${text}.`,
  );
}

/** "…, sorted from lowest to highest": a ratio's groups are ordered by the ratio, and by
 *  nothing else a question could name. */
export function orderRatio(draft: PlanDraft, order: OrderReading | undefined): PlanDraft {
  if (!order) return draft;
  const words = tokenize(order.by).map((t) => t.norm);
  if (
    !draft.plan.dimensions.length ||
    order.alphabetical ||
    !words.every((w) => w === 'ratio' || w === 'the')
  )
    throw new NotUnderstood(
      `I can order a ratio's groups by the ratio, but not "${order.text}".`,
      draft.understood,
    );
  const dir = order.dir ?? 'desc';
  return {
    ...draft,
    plan: { ...draft.plan, orderBy: [{ by: 'ratio', dir }] },
    understood: [...draft.understood, `ordered by ratio ${dir === 'asc' ? 'ascending' : 'descending'}`],
  };
}

export function planRatio(parts: RatioParts, planSide: (question: string) => PlanDraft): PlanDraft {
  const a = planSide(sideQuestion(parts.numerator));
  const b = planSide(sideQuestion(parts.denominator));
  const [ma, mb] = [a.plan.measures, b.plan.measures];
  if (ma.length !== 1 || mb.length !== 1 || a.plan.select?.length || b.plan.select?.length)
    declined('of lists of rows');
  const [na, nb] = [ma[0]!, mb[0]!];
  // "how many helpfulness scores" counts distinct values: not a side anyone means.
  const asked = (m: Measure, side: string) =>
    m.agg !== 'count_distinct' || /\b(?:distinct|different|unique)\b/i.test(side);
  if (!asked(na, parts.numerator) || !asked(nb, parts.denominator)) declined('of two kinds of values');
  if (measureTable(na.expr) !== measureTable(nb.expr)) declined('between two different kinds of rows');
  if (
    JSON.stringify(a.plan.timeRange ?? null) !== JSON.stringify(b.plan.timeRange ?? null) &&
    a.plan.timeRange
  )
    declined('with a period on one side only');
  if (a.plan.dimensions.length && JSON.stringify(a.plan.dimensions) !== JSON.stringify(b.plan.dimensions))
    declined('of a grouped count to an overall one');
  if (a.plan.having?.length || b.plan.having?.length || a.plan.limit !== b.plan.limit)
    declined('of ranked lists');
  // A count of related rows on one side is a condition the sides' FILTERs cannot carry.
  if (a.plan.relatedCounts?.length || b.plan.relatedCounts?.length)
    declined('of rows with a count of others');

  const assumptions = [...new Set([...a.assumptions, ...b.assumptions])];
  const inA = new Set(a.plan.filters.map(key));
  const inB = new Set(b.plan.filters.map(key));
  const common = a.plan.filters.filter((f) => inB.has(key(f)));
  const ownA = a.plan.filters.filter((f) => !inB.has(key(f)));
  const restB = b.plan.filters.filter((x) => !inA.has(key(x)));
  // Only when the sides contrast on one column ("open … to closed …") is a condition on
  // another column context for both; "courses with projects to courses with exams" are two.
  const contrast = restB.some((f) => ownA.some((x) => sameColumn(x, f)));
  const ownB: Filter[] = [];
  for (const f of restB) {
    if (!contrast || ownA.some((x) => sameColumn(x, f)) || f.none) ownB.push(f);
    else {
      common.push(f);
      assumptions.push(`"${filterWords(f)}" applies to both sides of the ratio`);
    }
  }
  if ([...ownA, ...ownB].some((f) => f.none)) declined('with "without" on one side');
  const numerator: Measure = { ...na, as: alias(na, ownA), where: ownA.length ? ownA : undefined };
  const denominator: Measure = { ...nb, as: alias(nb, ownB), where: ownB.length ? ownB : undefined };
  if (numerator.as === denominator.as) declined('of a count to itself');
  const plan: QueryPlan = {
    ...b.plan,
    measures: [numerator, denominator],
    filters: common,
    ratio: { numerator: numerator.as, denominator: denominator.as, as: 'ratio' },
  };
  // Groups are ranked by their ratio, not by the count on top of it.
  if (plan.dimensions.length && !plan.dimensions.some((d) => d.grain))
    plan.orderBy = [{ by: 'ratio', dir: 'desc' }];
  else delete plan.orderBy;
  return {
    plan,
    confidence: Math.min(a.confidence, b.confidence),
    understood: [...a.understood, 'divided by', ...b.understood],
    assumptions,
  };
}
