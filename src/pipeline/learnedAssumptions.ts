import type { QueryPlan } from '../domain/types.ts';
import { readNumbers } from '../language/numbers.ts';
import { readTime } from '../language/timePhrases.ts';
import { DEFAULT_PREFERENCES } from '../memory/profiles.ts';
import { rowLimit } from './compile.ts';

// A preference learned from someone's earlier questions changes later answers without their
// asking; when it does, the answer says so, as one of its assumptions.

/** Said when a person's learned list length cut a list whose question asked for no number of rows. */
export function learnedLimitAssumption(
  question: string,
  plan: QueryPlan,
  learnedLimit: number,
  now?: Date,
): string | null {
  if (plan.sql || learnedLimit === DEFAULT_PREFERENCES.default_limit) return null;
  if (rowLimit(plan, { defaultLimit: learnedLimit }) !== learnedLimit) return null;
  // Dates are read first, as the planner reads them, so "in 2023" is not taken for a number of rows.
  if (readNumbers(readTime(question, now).rest).limit !== undefined) return null;
  return `at most ${learnedLimit} rows, the number you usually ask for (ask for another number to change it)`;
}
