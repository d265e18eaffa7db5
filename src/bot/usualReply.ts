import type { webApi } from '@slack/bolt';
import { slackDigestPoster } from '../usual/digestPoster.ts';
import type { UsualCommand } from '../usual/usualCommand.ts';
import {
  handleUsual,
  type UsualCommandContext,
  type UsualCommandDeps,
  type UsualReply,
} from '../usual/usualCommands.ts';
import { escapeText, type SlackMessage, section } from './blocks/mrkdwn.ts';
import type { ReplyImage } from './postReply.ts';
import type { BotServices } from './services.ts';

// `/usual` in Slack runs the same commands as the terminal. Slack adds the place digests go:
// the poster checks the named channel with Slack and the scheduler arms the digest's timer.

const USUAL_NEEDS_MEMORY =
  '/usual needs my long-term memory (MEMORY_DATABASE_URL), which is not available right now.';

/** What the /usual commands need, or null when there is no long-term memory to read. */
function usualDeps(services: BotServices, client: webApi.WebClient): UsualCommandDeps | null {
  const memory = services.pipeline.memory;
  if (!memory) return null;
  return {
    services: { ...services.pipeline, memory },
    // Without a running scheduler a digest would never fire: scheduling then says digests are off.
    poster: services.digests ? slackDigestPoster(client) : undefined,
    scheduler: services.digests,
  };
}

/** A /usual command (its text, or one already read) run for the person, or why it cannot be. */
export async function runUsual(
  services: BotServices,
  client: webApi.WebClient,
  who: UsualCommandContext,
  command: string | UsualCommand,
): Promise<UsualReply> {
  const deps = usualDeps(services, client);
  return deps ? handleUsual(command, who, deps) : { text: USUAL_NEEDS_MEMORY };
}

/** The dashboard's lines as a message; panel titles are the person's own words, shown as written. */
export function usualMessage(reply: UsualReply): SlackMessage {
  return { text: reply.text, blocks: [section(escapeText(reply.text))] };
}

export function usualImage(reply: UsualReply): ReplyImage | null {
  if (!reply.png) return null;
  return {
    png: reply.png,
    filename: 'usual-dashboard.png',
    title: 'Your usual dashboard',
    altText: reply.text.split('\n').slice(0, 6).join('; '),
  };
}
