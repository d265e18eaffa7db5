import type { AssistantThreadStartedMiddleware } from '@slack/bolt';
import { starterQuestions } from '../../../usual/starterQuestions.ts';
import type { BotServices } from '../../services.ts';

// A person opened Quarry's assistant panel: offer questions to start with (Slack shows up to
// four), their usual first. A prompt's title is what the button shows; its message is asked.

const MAX_PROMPTS = 4;
const TITLE_CHARS = 75;
const USUAL_PROMPT = { title: 'My usual dashboard', message: 'Show me the usual' };

function titleOf(question: string): string {
  return question.length <= TITLE_CHARS ? question : `${question.slice(0, TITLE_CHARS - 1)}…`;
}

export const assistantThreadStarted =
  (services: BotServices): AssistantThreadStartedMiddleware =>
  async ({ event, context, setSuggestedPrompts }) => {
    const teamId = context.teamId ?? '';
    const userId = event.assistant_thread.user_id;
    const questions = await starterQuestions(services.pipeline, { teamId, userId }, MAX_PROMPTS - 1).catch(
      (e) => {
        services.log.warn({ err: e }, 'could not read questions to suggest');
        return [];
      },
    );
    await setSuggestedPrompts({
      title: 'Ask about your data in plain words, for example:',
      prompts: [...questions.map((q) => ({ title: titleOf(q), message: q })), USUAL_PROMPT],
    });
  };
