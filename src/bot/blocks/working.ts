import type { Stage } from '../../pipeline/index.ts';
import { fitMessage, type SlackMessage } from '../../slack/limits.ts';
import { context } from '../../slack/mrkdwn.ts';

// The "Working…" message posted at once and updated as the pipeline moves through its stages.

const LABEL: Record<Stage, string | null> = {
  schema: 'discovering schema',
  recall: 'remembering this thread',
  plan: 'planning the query',
  guard: 'checking the SQL',
  execute: 'running query',
  count: 'counting the rows',
  present: 'preparing the answer',
  // Learning happens once the answer is known; the message is about to be replaced.
  learn: null,
};

/** The progress label of a stage, or null when the stage is not worth showing. */
export function stageLabel(stage: Stage): string | null {
  return LABEL[stage];
}

export function workingMessage(label: string): SlackMessage {
  const text = `Working… (${label})`;
  return fitMessage({ text, blocks: [context([`:hourglass_flowing_sand: ${text}`])] });
}
