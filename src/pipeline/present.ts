import type { Answer } from '../domain/types.ts';
import { type HeadlineOptions, writeHeadline } from './headline.ts';

// The present stage's words: one plain line that answers the question before any table, written
// from the plan (headline.ts), or the error's message.

export type PresentOptions = HeadlineOptions;

export function summarize(answer: Answer, options: PresentOptions = {}): string {
  if (answer.error) return answer.error.message;
  if (answer.rows.length === 0 && answer.truncatedBy === 'size') {
    return 'The result was too large to show; ask for fewer or shorter columns.';
  }
  return writeHeadline(answer, options);
}
