import type { Rating } from '../../memory/feedback.ts';

// Short replies that are not answers.

export const RATE_LIMITED =
  'You are asking faster than I can keep up. Give me a minute and ask again; I will answer then.';

export const EMPTY_QUESTION =
  'Ask me about your data in plain words, e.g. "Show me total sales for last month" or "How many customers do we have in Germany?"';

export const ANSWER_EXPIRED =
  'That answer is more than a day old, so its rows are gone. Ask the question again to get a fresh one.';

export const ONLY_OWNERS_VERIFY =
  'Only the data owners named in the knowledge file can verify answers, so nothing changed. Ask one of them to look at this answer.';

export const NOTHING_TO_VERIFY = 'That answer has no SQL to verify.';

export function verifiedForWorkspace(question: string): string {
  return `Verified: "${question}" — and questions close to it — now answer with this SQL for everyone in the workspace.`;
}

/** The DM to whoever verified an answer that later failed. */
export function verifiedSetAside(question: string, reason: string): string {
  return `The verified answer to "${question}" failed (${reason}), so I set it aside and no longer use it. Ask the question again and verify a new answer when it is right.`;
}

export const NOTHING_TO_PIN = 'That answer has no query to pin. Pin an answer that shows a table.';

export function feedbackThanks(rating: Rating): string {
  return rating === 'up'
    ? 'Thanks! I will keep answering this way.'
    : 'Thanks for telling me. I will not reuse that answer for you; try rephrasing, or reply in the thread with what was wrong.';
}

export function pinnedToUsual(title: string): string {
  return `Added "${title}" to your usual. \`/usual\` shows it with the rest.`;
}
