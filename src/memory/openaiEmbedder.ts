import type OpenAI from 'openai';
import { ConfigError } from '../errors.ts';
import { EMBEDDING_DIMENSIONS, type Embedder } from './embed.ts';

// Embeddings from the OpenAI API or any server that speaks it. text-embedding-3 models shorten
// their vectors to the deployment's dimension on request (`dimensions`); other models are
// asked as they are and must already return that many numbers, or the deployment is told
// plainly which model to use instead (vectors of another length cannot share the column).

/** Models that accept the `dimensions` parameter. */
const SHORTENABLE = /^text-embedding-3-/;

/** The client asks for base64 unless told otherwise, but servers that ignore the encoding
 *  send plain arrays: both are accepted. Base64 holds little-endian float32s. */
function vectorOf(embedding: unknown): number[] {
  if (Array.isArray(embedding)) return embedding as number[];
  const bytes = Buffer.from(String(embedding), 'base64');
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
}

function unitLength(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

export function openaiEmbedder(
  client: OpenAI,
  model: string,
  dimensions: number = EMBEDDING_DIMENSIONS,
): Embedder {
  const shortenable = SHORTENABLE.test(model);
  return {
    id: `openai:${model}:${dimensions}`,
    dimensions,
    async embed(texts) {
      if (texts.length === 0) return [];
      const res = await client.embeddings.create({
        model,
        input: texts,
        encoding_format: 'base64',
        ...(shortenable ? { dimensions } : {}),
      });
      const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => vectorOf(d.embedding));
      const wrong = vectors.find((v) => v.length !== dimensions);
      if (wrong)
        throw new ConfigError(
          `The embedding model ${model} returns vectors of ${wrong.length} numbers, but Quarry stores ${dimensions}. Set QUARRY_EMBEDDING_MODEL to text-embedding-3-small or text-embedding-3-large (which shorten to ${dimensions}), or unset the model settings to use the built-in embedder.`,
        );
      // Shortened text-embedding-3 vectors are no longer unit length; the Embedder contract is.
      return vectors.map(unitLength);
    },
  };
}
