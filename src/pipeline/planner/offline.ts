import { NotUnderstood } from '../../errors.ts';
import { splitHints } from '../../language/hints.ts';
import { readOrdering } from '../../language/ordering.ts';
import { applyOrder, assemble } from './assemble.ts';
import { score } from './confidence.ts';
import type { OfflineContext, PlanDraft } from './draft.ts';
import { Interpretation } from './interpretation.ts';
import { orderRatio, planRatio, splitRatio } from './ratio.ts';
import { readComparedColumns } from './readers/comparisons.ts';
import { readDefinitions } from './readers/definitions.ts';
import { readGroupings } from './readers/groupings.ts';
import { readMeasure } from './readers/measure.ts';
import { readPathTables } from './readers/pathTables.ts';
import { readPresence } from './readers/presence.ts';
import { readProjection } from './readers/projection.ts';
import { readQuotedValues } from './readers/quotedValues.ts';
import { readValueFilters } from './readers/valueFilters.ts';

// The offline planner: a question in plain words → a QueryPlan, using only the schema (names,
// comments, keys, sampled values) and general English. It scores its own understanding and
// declines with a question back rather than guess: a wrong answer is worse than a question.
// How to teach it a new kind of question: docs/architecture.md#adding-a-plan-shape.

const MAX_QUESTION_CHARS = 2000;

export function planOffline(input: string, ctx: OfflineContext): PlanDraft {
  const raw = input.trim();
  if (!raw)
    throw new NotUnderstood(
      'Ask me a question about your data, for example "How many orders did we get last week?"',
    );
  if (raw.length > MAX_QUESTION_CHARS) {
    throw new NotUnderstood(
      `That question is ${raw.length} characters long; please keep it under ${MAX_QUESTION_CHARS}.`,
    );
  }
  if (ctx.schema.tables.length === 0) {
    throw new NotUnderstood('The database has no tables I can read, so there is nothing to answer from yet.');
  }
  const hints = splitHints(raw);
  const ordering = readOrdering(hints.question);
  const ratio = splitRatio(ordering.rest);
  if (ratio)
    return orderRatio(
      planRatio(ratio, (side) => planOffline(side, ctx)),
      ordering.order,
    );
  return readPlan(new Interpretation(ctx, hints, ordering));
}

/** The readers, in the order they run: each places what it reads and takes those words, so
 *  later ones see only what is left (a value filter's word is not also a grouping). */
function readPlan(it: Interpretation): PlanDraft {
  readDefinitions(it);
  readValueFilters(it);
  readQuotedValues(it);
  readComparedColumns(it);
  readPresence(it);
  readProjection(it);
  const rankingTarget = readGroupings(it);
  const plan = assemble(it, readMeasure(it, rankingTarget));
  readPathTables(it, plan);
  applyOrder(it, plan);
  return score(it, plan);
}
