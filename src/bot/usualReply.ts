import type { webApi } from '@slack/bolt';
import { fitMessage, SLACK_LIMITS, type SlackMessage, shortenEach } from '../slack/limits.ts';
import { escapeText, lineSections } from '../slack/mrkdwn.ts';
import { slackDigestPoster } from '../usual/digestPoster.ts';
import type { UsualCommand } from '../usual/usualCommand.ts';
import {
  handleUsual,
  type UsualCommandContext,
  type UsualCommandDeps,
  type UsualReply,
} from '../usual/usualCommands.ts';
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

/** The dashboard's lines as a message; panel titles are the person's own words, shown as
 *  written. Titles can be whole questions ("Add to my usual"), so the lines are spread over
 *  sections and only a line too long for a section of its own is cut. */
export function usualMessage(reply: UsualReply): SlackMessage {
  return fitMessage({ text: reply.text, blocks: lineSections(escapeText(reply.text).split('\n')) });
}

export function usualImage(reply: UsualReply): ReplyImage | null {
  if (!reply.png) return null;
  return {
    png: reply.png,
    filename: 'usual-dashboard.png',
    title: 'Your usual dashboard',
    // The first lines, each cut to its share of Slack's limit for an image description.
    altText: shortenEach(reply.text.split('\n').slice(0, 6), SLACK_LIMITS.fileAltText, '; '),
  };
}
