import type OpenAI from 'openai';
import type { Answer, QueryPlan } from '../../domain/types.ts';
import { NotUnderstood } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { Kv } from '../../memory/kv.ts';
import { ModelReplyInvalid, ModelUnavailable } from './modelErrors.ts';
import { type ModelDeps, type ModelDraft, planWithModel, repairWithModel } from './planWithModel.ts';
import type { ModelPlanInput } from './prompt.ts';
import { EMPTY_RESULT_FEEDBACK, feedbackFor } from './repairFeedback.ts';
import { dailyTokenBudget } from './tokenBudget.ts';

// The LLM planner in the pipeline (see docs/architecture.md#the-model-planner): asked when the
// follow-up editor, memory and the offline planner all declined. Its plan is run like any other —
// compiled, guarded, read-only — and when the database rejects it, the guard refuses it, or it
// finds no rows the question expects, the model gets up to two rounds to repair it. When the model
// cannot be reached the person gets the offline planner's own reply with a note saying why.

export interface ModelServices {
  client: OpenAI;
  model: string;
  timeoutMs: number;
  /** Most tokens one reply may take. */
  maxTokens: number;
  /** Tokens each person may use a day. */
  dailyTokenBudget: number;
  /** Where each person's daily token count is kept. */
  kv: Kv;
}

export const MAX_REPAIR_ROUNDS = 2;

const NOTE_UNUSABLE =
  "The model's replies could not be used (they did not fit the schema), so only the built-in planner was used.";

export interface ModelAnswerRequest extends ModelPlanInput {
  teamId: string;
  userId: string;
  maxRows: number;
  /** The offline planner's reply when it declined: the answer when the model cannot help. */
  declined: NotUnderstood;
  /** Compiles, guards and runs a plan into the answer (the pipeline's runPlan). */
  run(plan: QueryPlan): Promise<void>;
}

type Outcome =
  | { done: true }
  /** `error` null: the plan ran but found no rows the question expects. */
  | { done: false; feedback: string; error: unknown };

async function tryDraft(draft: ModelDraft, answer: Answer, request: ModelAnswerRequest): Promise<Outcome> {
  switch (draft.kind) {
    case 'clarify':
      throw new NotUnderstood(draft.question, [], 'the model asked back');
    case 'invalid':
      return { done: false, feedback: draft.feedback, error: new ModelReplyInvalid(draft.feedback) };
    case 'refused':
      return { done: false, feedback: feedbackFor(draft.error, '')!, error: draft.error };
  }
  answer.assumptions = [draft.explanation, ...draft.assumptions].filter(Boolean);
  try {
    await request.run(draft.plan);
  } catch (e) {
    const feedback = feedbackFor(e, answer.sql ?? draft.plan.sql ?? '');
    if (feedback === null) throw e;
    return { done: false, feedback, error: e };
  }
  if (answer.rowCount === 0 && draft.expectRows)
    return { done: false, feedback: EMPTY_RESULT_FEEDBACK, error: null };
  return { done: true };
}

/** Nothing of a failed attempt stays on an answer that falls back to the rules' reply. */
function forgetAttempt(answer: Answer): void {
  Object.assign(answer, {
    sql: null,
    plan: null,
    source: null,
    columns: [],
    rows: [],
    rowCount: 0,
    assumptions: [],
  });
}

/** Plans with the model and runs the plan into `answer`, repairing up to two rounds; throws
 *  the reason when there is no answer (the model's question back, the last error, or the
 *  offline planner's reply). */
export async function answerWithModel(
  model: ModelServices,
  request: ModelAnswerRequest,
  answer: Answer,
  log: Logger,
): Promise<void> {
  // Nothing asked, nothing to plan: the rules' reply already says what to ask.
  if (!request.question.trim()) throw request.declined;
  const deps: ModelDeps = {
    client: model.client,
    model: model.model,
    timeoutMs: model.timeoutMs,
    maxTokens: model.maxTokens,
    maxRows: request.maxRows,
    log,
    budget: dailyTokenBudget(
      model.kv,
      { teamId: request.teamId, userId: request.userId, limit: model.dailyTokenBudget, now: request.now },
      log,
    ),
  };
  const ask = async (call: () => Promise<ModelDraft>): Promise<ModelDraft> => {
    const start = performance.now();
    try {
      const draft = await call();
      answer.tokensUsed = (answer.tokensUsed ?? 0) + draft.tokens;
      return draft;
    } finally {
      answer.timings.plan = Math.round(((answer.timings.plan ?? 0) + performance.now() - start) * 100) / 100;
    }
  };
  let outcome: Outcome | undefined;
  try {
    let draft = await ask(() => planWithModel(request, deps));
    for (let round = 0; ; round++) {
      outcome = await tryDraft(draft, answer, request);
      if (outcome.done || round >= MAX_REPAIR_ROUNDS) break;
      const feedback = outcome.feedback;
      draft = await ask(() => repairWithModel(draft, feedback, request.schema, deps));
    }
  } catch (e) {
    if (!(e instanceof ModelUnavailable)) throw e;
    answer.notes.push(e.userMessage);
    // An empty answer that already ran stands; anything else falls back to the rules' reply.
    if (outcome && !outcome.done && outcome.error === null) return;
    forgetAttempt(answer);
    throw request.declined;
  }
  if (outcome.done || outcome.error === null) return;
  if (outcome.error instanceof ModelReplyInvalid) {
    forgetAttempt(answer);
    answer.notes.push(NOTE_UNUSABLE);
    throw request.declined;
  }
  throw outcome.error;
}
