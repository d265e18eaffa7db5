import type { AllMiddlewareArgs } from '@slack/bolt';
import { toCsv } from '../../../render/index.ts';
import { recallAnswer } from '../../answerStore.ts';
import { ANSWER_EXPIRED } from '../../blocks/notices.ts';
import type { BotServices } from '../../services.ts';
import { type ButtonArgs, buttonClick, tellClicker } from './buttonClick.ts';

// "Download CSV": the rows the answer showed, as a file in its thread. They come from the
// stored answer, so the query does not run again (and the file matches what was shown).

/** A file name from the question: lower case, dashes, at most 50 characters. */
export function csvFileName(question: string): string {
  const slug = question
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return `${slug || 'answer'}.csv`;
}

export const downloadCsvCallback =
  (services: BotServices) => async (args: AllMiddlewareArgs & ButtonArgs) => {
    await args.ack();
    const click = buttonClick(args, args.context.teamId);
    const stored = await recallAnswer(services.kv, click.answerId).catch(() => null);
    if (!stored) return tellClicker(args.client, click, ANSWER_EXPIRED);
    if (!click.thread) return;
    await args.client.files.uploadV2({
      channel_id: click.thread.channel,
      thread_ts: click.thread.threadTs,
      file: Buffer.from(toCsv(stored.columns, stored.rows)),
      filename: csvFileName(stored.question),
      title: stored.question,
    });
  };
