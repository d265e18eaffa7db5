import { type App, Assistant } from '@slack/bolt';
import type { BotServices } from '../../services.ts';
import { assistantThreadStarted } from './threadStarted.ts';
import { assistantUserMessage } from './userMessage.ts';

// Slack's assistant panel (the app's DMs as threads). Quarry does not use the channel a
// person is looking at, so context changes are not stored (Bolt's default would rewrite the
// thread's first message on every change).

export function register(app: App, services: BotServices): void {
  app.assistant(
    new Assistant({
      threadStarted: assistantThreadStarted(services),
      threadContextChanged: async () => {},
      userMessage: assistantUserMessage(services),
    }),
  );
}
