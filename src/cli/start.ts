import { loadConfig } from '../config.ts';

// `quarry` / `npm start`: the Slack app when Slack is configured, else a terminal chat on the
// embedded demo (or DATABASE_URL).
export async function startDefault(): Promise<number> {
  loadConfig();
  const { chatCommand } = await import('./chat.ts');
  return chatCommand({ user: 'cli', format: 'text' });
}
