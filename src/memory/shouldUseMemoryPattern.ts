// When a remembered pattern may answer a question without planning afresh
// (docs/architecture.md#patterns-and-when-they-are-reused): all of similarity > 0.85, success
// rate > 0.9, the asker's confidence > 0.8, and the same schema fingerprint. Pure, so the
// thresholds are tested at their edges.

export const MIN_SIMILARITY = 0.85;
export const MIN_SUCCESS_RATE = 0.9;
export const MIN_USER_CONFIDENCE = 0.8;

/** Runs that produced an answer over all recorded runs (a 👎 turns one success into a failure);
 *  0 for a pattern that never ran. No smoothing: one clean run gives 1.0. */
export function successRate(successCount: number, failureCount: number): number {
  const runs = successCount + failureCount;
  return runs === 0 ? 0 : successCount / runs;
}

/** The owner's confidence in their own pattern: (1 + 👍) / (1 + 👍 + 2·👎). That is 1.0 while
 *  they never gave it 👎; one 👎 drops it to ⅓ and blocks reuse until eight 👍 outweigh it
 *  (9/11 ≈ 0.82). */
export function userConfidence(thumbsUp: number, thumbsDown: number): number {
  return (1 + thumbsUp) / (1 + thumbsUp + 2 * thumbsDown);
}

export interface PatternEvidence {
  /** 1 − cosine distance between the question's and the pattern's embeddings. */
  similarity: number;
  successRate: number;
  /** The asker's confidence; null when the pattern is a teammate's the asker never used,
   *  which never passes: they must have used it and not 👎 it. */
  userConfidence: number | null;
  schemaFingerprint: string;
}

export function shouldUseMemoryPattern(pattern: PatternEvidence, currentFingerprint: string): boolean {
  return (
    pattern.similarity > MIN_SIMILARITY &&
    pattern.successRate > MIN_SUCCESS_RATE &&
    pattern.userConfidence !== null &&
    pattern.userConfidence > MIN_USER_CONFIDENCE &&
    pattern.schemaFingerprint === currentFingerprint
  );
}
