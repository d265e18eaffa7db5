import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import type {
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { Logger } from '../../log.ts';
import { toModelUnavailable } from './modelErrors.ts';
import { TOOL_NAME } from './replyShape.ts';
import { countTokens } from './tokens.ts';

// One chat completion within a deadline. The client's own retries are off: it would honour
// any Retry-After, however long, while the person waits. Here one retry is made, for a rate
// limit, a server error or a dropped connection, and only when it fits in the time left.

export interface ModelEndpoint {
  client: OpenAI;
  model: string;
  /** The whole call, retry included, ends by then. */
  timeoutMs: number;
  /** Most tokens the reply may take. */
  maxTokens: number;
  log: Logger;
}

export interface ModelTurn {
  message: ChatCompletionMessage;
  /** Prompt and reply tokens, as the server counted them (or as estimated when it did not). */
  tokens: number;
  /** `length` when the reply was cut at maxTokens. */
  finishReason: string | null;
}

const DEFAULT_RETRY_MS = 500;

/** How long to wait before the one retry, or null when the failure is final or time is short. */
function retryDelay(e: unknown, deadline: number): number | null {
  let wait: number;
  if (e instanceof OpenAI.APIConnectionTimeoutError || e instanceof OpenAI.APIUserAbortError) return null;
  if (e instanceof OpenAI.APIConnectionError) wait = DEFAULT_RETRY_MS;
  else if (e instanceof OpenAI.APIError && (e.status === 429 || (e.status ?? 0) >= 500)) {
    const seconds = Number(e.headers?.get('retry-after'));
    wait = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_RETRY_MS;
  } else return null;
  // The retry needs time of its own to answer.
  return Date.now() + wait + DEFAULT_RETRY_MS < deadline ? wait : null;
}

export async function askModel(
  endpoint: ModelEndpoint,
  messages: ChatCompletionMessageParam[],
  tools: ChatCompletionTool[],
): Promise<ModelTurn> {
  const deadline = Date.now() + endpoint.timeoutMs;
  const signal = AbortSignal.timeout(endpoint.timeoutMs);
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    try {
      const res = await endpoint.client.chat.completions.create(
        {
          model: endpoint.model,
          messages,
          tools,
          tool_choice: { type: 'function', function: { name: TOOL_NAME } },
          max_completion_tokens: endpoint.maxTokens,
        },
        { timeout: Math.max(1, deadline - Date.now()), maxRetries: 0, signal },
      );
      const choice = res.choices?.[0];
      const message: ChatCompletionMessage = choice?.message ?? {
        role: 'assistant',
        content: null,
        refusal: null,
      };
      const tokens =
        res.usage?.total_tokens ??
        countTokens(JSON.stringify(messages)) + countTokens(JSON.stringify(message));
      endpoint.log.debug(
        { model: endpoint.model, tokens, ms: Date.now() - started, attempt },
        'model answered',
      );
      return { message, tokens, finishReason: choice?.finish_reason ?? null };
    } catch (e) {
      const wait = attempt === 1 ? retryDelay(e, deadline) : null;
      endpoint.log.warn(
        { model: endpoint.model, err: e instanceof Error ? e.message : String(e), attempt, retryInMs: wait },
        'model call failed',
      );
      if (wait === null) throw toModelUnavailable(e);
      await sleep(wait, undefined, { signal }).catch(() => {});
    }
  }
}
