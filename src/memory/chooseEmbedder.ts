import type OpenAI from 'openai';
import { type Config, hasModel } from '../config.ts';
import type { Embedder } from './embed.ts';
import { localEmbedder } from './localEmbedder.ts';
import { openaiEmbedder } from './openaiEmbedder.ts';

/** The OpenAI-compatible embedder when a model endpoint is configured and its client given;
 *  otherwise the local one (docs/architecture.md#embeddings). */
export function chooseEmbedder(config: Config, client?: OpenAI): Embedder {
  if (client && hasModel(config)) return openaiEmbedder(client, config.QUARRY_EMBEDDING_MODEL);
  return localEmbedder();
}
