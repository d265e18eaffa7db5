import { getJson, type Kv, setJson } from '../memory/kv.ts';
import type { Answer, Cell, QueryPlan, ResultColumn } from '../pipeline/types.ts';

// A posted answer's result, kept a day for its buttons: "Download CSV" sends these rows
// instead of running the query again, "Add to my usual" pins this plan.

export const STORED_ANSWER_TTL_SECONDS = 86_400;

export interface StoredAnswer {
  id: string;
  question: string;
  columns: ResultColumn[];
  rows: Cell[][];
  plan: QueryPlan | null;
}

const answerKey = (id: string) => `answer:${id}`;

export async function rememberAnswer(kv: Kv, answer: Answer & { id: string }): Promise<void> {
  const stored: StoredAnswer = {
    id: answer.id,
    question: answer.question,
    columns: answer.columns,
    rows: answer.rows,
    plan: answer.plan,
  };
  await setJson(kv, answerKey(answer.id), stored, STORED_ANSWER_TTL_SECONDS);
}

export function recallAnswer(kv: Kv, id: string): Promise<StoredAnswer | null> {
  return getJson<StoredAnswer>(kv, answerKey(id));
}
