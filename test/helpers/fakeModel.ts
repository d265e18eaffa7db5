// The pipeline's model services pointed at the fake OpenAI server (fakeOpenAI.ts), as the LLM
// tests use them.
import OpenAI from 'openai';
import type { Kv } from '../../src/memory/kv.ts';
import type { ModelServices } from '../../src/pipeline/llm/answerWithModel.ts';
import type { FakeOpenAI } from './fakeOpenAI.ts';

export function fakeModelServices(
  fake: FakeOpenAI,
  kv: Kv,
  overrides: Partial<ModelServices> = {},
): ModelServices {
  return {
    // No retries: a retry would take the next scripted reply meant for another request.
    client: new OpenAI({ apiKey: 'test-key', baseURL: fake.baseURL, maxRetries: 0 }),
    model: 'test-model',
    timeoutMs: 3000,
    maxTokens: 500,
    dailyTokenBudget: 1_000_000,
    kv,
    ...overrides,
  };
}
