import { slackConfigured } from '../bot/slackSettings.ts';
import { loadConfig } from '../config.ts';
import { answerAndExit } from './answerAndExit.ts';

// `quarry` / `npm start`: the Slack app when Slack is configured, else a terminal chat on the
// embedded demo (or DATABASE_URL).
export async function startDefault(): Promise<number> {
  const config = loadConfig();
  if (slackConfigured(config)) {
    const { serveCommand } = await import('./serve.ts');
    return serveCommand();
  }
  answerAndExit();
  const { chatCommand } = await import('./chat.ts');
  return chatCommand({ user: 'cli', format: 'text' });
}
