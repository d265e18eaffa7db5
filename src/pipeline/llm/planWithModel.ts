import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { SchemaInfo } from '../../domain/types.ts';
import { askModel, type ModelEndpoint } from './askModel.ts';
import { buildPrompt, type ModelPlanInput } from './prompt.ts';
import { type ReadReply, readReply } from './readReply.ts';
import type { TokenBudget } from './tokenBudget.ts';

// The LLM planner's two entries: plan a question, and repair the last reply after something
// went wrong with it (the model sees its own reply and what happened, never result rows).
// Each is one model call, counted against the asker's daily token budget.

export interface ModelDeps extends ModelEndpoint {
  /** Row cap the guard enforces on raw SQL. */
  maxRows: number;
  budget: TokenBudget;
}

export type ModelDraft = ReadReply & {
  /** Tokens this call used. */
  tokens: number;
  /** The conversation so far, the model's reply last: what a repair continues. */
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
};

/** Only the first tool call is kept: each kept call needs an answer in the next request. */
function assistantTurn(m: ChatCompletionMessage): ChatCompletionAssistantMessageParam {
  const call = m.tool_calls?.[0];
  return call
    ? { role: 'assistant', content: m.content ?? null, tool_calls: [call] }
    : { role: 'assistant', content: m.content ?? '' };
}

async function converse(
  messages: ChatCompletionMessageParam[],
  tools: ChatCompletionTool[],
  schema: SchemaInfo,
  deps: ModelDeps,
): Promise<ModelDraft> {
  await deps.budget.check();
  const turn = await askModel(deps, messages, tools);
  await deps.budget.spend(turn.tokens);
  const reply = await readReply(turn.message, turn.finishReason, { schema, maxRows: deps.maxRows });
  return { ...reply, tokens: turn.tokens, messages: [...messages, assistantTurn(turn.message)], tools };
}

export async function planWithModel(input: ModelPlanInput, deps: ModelDeps): Promise<ModelDraft> {
  const prompt = buildPrompt(input);
  deps.log.debug({ promptTokens: prompt.tokens, tables: prompt.tables }, 'asking the model to plan');
  return converse(prompt.messages, prompt.tools, input.schema, deps);
}

/** Tells the model what went wrong with its last reply (`problem`) and reads its new one. */
export async function repairWithModel(
  last: ModelDraft,
  problem: string,
  schema: SchemaInfo,
  deps: ModelDeps,
): Promise<ModelDraft> {
  const previous = last.messages.at(-1);
  const call = previous?.role === 'assistant' ? previous.tool_calls?.[0] : undefined;
  const feedback: ChatCompletionMessageParam = call
    ? { role: 'tool', tool_call_id: call.id, content: problem }
    : { role: 'user', content: problem };
  deps.log.debug({ problem }, 'asking the model to repair its plan');
  return converse([...last.messages, feedback], last.tools, schema, deps);
}
