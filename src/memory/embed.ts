// Embeddings turn a question into a vector so that memory finds questions that mean the same.
// One fixed dimension per deployment (the column is vector(256)); each row records the
// embedder that made it, and only rows of the asker's embedder are compared.

export const EMBEDDING_DIMENSIONS = 256;

export interface Embedder {
  /** Names the embedder and its version, e.g. `local-hash-v1:256`, `openai:text-embedding-3-small:256`. */
  readonly id: string;
  readonly dimensions: number;
  /** One unit-length vector per text, in order. */
  embed(texts: string[]): Promise<number[][]>;
}

/** Cosine similarity of two vectors (1 for the same direction). */
export function cosineSimilarity(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
