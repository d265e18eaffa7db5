import type { webApi } from '@slack/bolt';
import type { Answer } from '../domain/types.ts';
import type { AnswerChart } from '../render/index.ts';
import { fileAltText, fitMessage, type SlackMessage } from '../slack/limits.ts';
import { type AnswerMessageOptions, answerMessage } from './blocks/answer.ts';

// Puts a reply in a thread: a message (replacing the "Working…" one when there is one) and
// optionally one image after it. Answers and dashboards both go out this way, inside Slack's
// limits whoever built them.

export interface ReplyPlace {
  channel: string;
  threadTs: string;
  /** The message to replace with the reply, e.g. the "Working…" message. */
  replaceTs?: string;
}

export interface ReplyImage {
  png: Buffer;
  filename: string;
  title: string;
  altText: string;
}

export interface ReplyOptions {
  /** A failed image upload leaves the posted message as it is and is reported here. */
  onImageError?: (e: unknown) => void;
}

export async function postReply(
  client: webApi.WebClient,
  place: ReplyPlace,
  message: SlackMessage,
  image: ReplyImage | null = null,
  options: ReplyOptions = {},
): Promise<{ ts: string | undefined }> {
  const { text, blocks } = fitMessage(message);
  const { ts } = place.replaceTs
    ? await client.chat.update({ channel: place.channel, ts: place.replaceTs, text, blocks })
    : await client.chat.postMessage({ channel: place.channel, thread_ts: place.threadTs, text, blocks });
  if (image) {
    await client.files
      .uploadV2({
        channel_id: place.channel,
        thread_ts: place.threadTs,
        file: image.png,
        filename: image.filename,
        title: image.title,
        alt_text: fileAltText(image.altText),
      })
      .catch((e) => options.onImageError?.(e));
  }
  return { ts };
}

/** An answer and its chart as a reply. */
export function postAnswer(
  client: webApi.WebClient,
  place: ReplyPlace,
  answer: Answer,
  chart: AnswerChart | null,
  options: AnswerMessageOptions & ReplyOptions = {},
): Promise<{ ts: string | undefined }> {
  const message = answerMessage(answer, { ...options, chartNote: chart?.note ?? null });
  const image = chart && {
    png: chart.png,
    filename: 'chart.png',
    title: answer.summary,
    altText: `Chart: ${answer.summary}`,
  };
  return postReply(client, place, message, image, options);
}
