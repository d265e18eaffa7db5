import OpenAI, { APIConnectionError, APIError } from 'openai';
import { type Config, hasModel } from '../config.ts';
import { type CheckResult, check, reasonOf } from './check.ts';

// The model endpoint (any OpenAI-compatible server): reachable, the key accepted, the model
// named in QUARRY_MODEL offered.

export async function checkModel(config: Config): Promise<CheckResult[]> {
  const c = check('Model endpoint');
  if (!hasModel(config)) {
    return [
      c.info(
        'not configured: the offline planner answers, with local embeddings',
        'set OPENAI_API_KEY (or OPENAI_BASE_URL for another compatible server) for the model planner',
      ),
    ];
  }
  const where = config.OPENAI_BASE_URL ?? 'api.openai.com';
  const client = new OpenAI({
    apiKey: config.OPENAI_API_KEY ?? 'not-needed',
    baseURL: config.OPENAI_BASE_URL,
    maxRetries: 0,
    timeout: 5000,
  });
  try {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    if (ids.length > 0 && !ids.includes(config.QUARRY_MODEL)) {
      return [
        c.warn(
          `reachable at ${where}, but it does not offer ${config.QUARRY_MODEL}`,
          `set QUARRY_MODEL to one of: ${ids.slice(0, 5).join(', ')}`,
        ),
      ];
    }
    return [c.ok(`reachable at ${where}; model ${config.QUARRY_MODEL}`)];
  } catch (e) {
    if (e instanceof APIConnectionError) {
      return [c.fail(`cannot reach ${where}: ${reasonOf(e)}`, 'check OPENAI_BASE_URL and the network')];
    }
    if (e instanceof APIError && (e.status === 401 || e.status === 403)) {
      return [c.fail(`${where} refused the API key (HTTP ${e.status})`, 'check OPENAI_API_KEY')];
    }
    return [
      c.warn(
        `reachable at ${where}, but listing models failed: ${reasonOf(e)}`,
        'check that the server speaks the OpenAI API',
      ),
    ];
  }
}
