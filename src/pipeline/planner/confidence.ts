import { planTables } from '../../domain/planParts.ts';
import type { QueryPlan, TableKey } from '../../domain/types.ts';
import { JoinPaths } from '../compile/joinGraph.ts';
import { CONFIDENCE_THRESHOLD, type PlanDraft } from './draft.ts';
import type { Interpretation } from './interpretation.ts';
import { describeDoubts, doubtsOf, UnplacedParts } from './ledger.ts';
import { planRoot } from './readers/pathTables.ts';
import { tableWords } from './schemaLexicon.ts';

// Confidence: a plan is returned only when every part of the question was placed in it;
// otherwise the doubts go back to the person (or the model) as the question not understood.

export function score(it: Interpretation, plan: QueryPlan): PlanDraft {
  const doubts = doubtsOf({
    words: it.words,
    mentions: it.mentions,
    used: it.used,
    plan,
    limit: it.limit,
    unplaced: it.unplaced,
    timeConflict: it.time.conflict,
    tableWords: new Set(planTables(plan).flatMap((t) => tableWords(it.lexicon.table(t)))),
    readWords: it.readWords,
    pathTables: pathTables(it, plan),
    everyColumnListed: !plan.measures.length && !plan.orderBy?.length && !it.projection.length,
  });
  const confidence = Math.max(0, 1 - it.confidencePenalty);
  if (doubts.length || confidence < CONFIDENCE_THRESHOLD) {
    const what = it.understood.length ? ` I understood: ${it.understood.join('; ')}.` : '';
    throw new UnplacedParts(
      `I'm not sure what you mean by ${describeDoubts(doubts) || 'that'}.${what} Could you rephrase with the names used in your data?`,
      it.understood,
      `confidence ${confidence.toFixed(2)}, ${doubts.length} unplaced`,
      doubts,
    );
  }
  return { plan, confidence, understood: it.understood, assumptions: it.assumptions };
}

/** The tables the compiled joins pass through: "reviews for businesses in the category Cafe"
 *  names the businesses that link reviews to categories. */
function pathTables(it: Interpretation, plan: QueryPlan): TableKey[] {
  const root = planRoot(plan);
  const paths = new JoinPaths(it.schema);
  return planTables(plan).flatMap((t) => (paths.between(root, t, plan.via) ?? []).map((step) => step.from));
}
