import type { types } from '@slack/bolt';
import type { Answer, AnswerSource, Reading } from '../../domain/types.ts';
import { verifiedMark } from '../../knowledge/verifiedMark.ts';
import { formatTable } from '../../render/index.ts';
import { fitMessage, type SlackMessage } from '../../slack/limits.ts';
import { boldSection, codeBlock, context, escapeText, fitsCodeBlock, section } from '../../slack/mrkdwn.ts';
import { ACTION, readingActionId } from './actionIds.ts';

// An Answer as Block Kit: the summary, what was assumed, the first rows as an aligned table with
// the total count, and the buttons; the SQL behind "Show SQL" (most readers do not read SQL, the
// ones who check it are a click away). An error is its message and nothing else. Both are cut
// to Slack's limits (fitMessage), marked where they are.

export interface AnswerMessageOptions {
  locale?: string;
  timeZone?: string;
  /** What the chart image leaves out or could not honour. */
  chartNote?: string | null;
  /** Rows shown in the table (the CSV has them all). */
  maxTableRows?: number;
  /** Width of the table in monospace cells; Slack wraps lines much wider than this. */
  tableWidth?: number;
  /** The SQL in a code block; otherwise behind the "Show SQL" button. */
  showSql?: boolean;
  /** A Verify button for the data owners (the workspace's knowledge file names some). */
  verifiable?: boolean;
}

const SOURCE_WORDS: Record<AnswerSource, string> = {
  memory: 'from a pattern you used before',
  followup: 'as a follow-up in this thread',
  rules: 'by the offline planner',
  llm: 'by the language model',
  verified: 'with SQL the data team verified',
};

/** The table with as many of the first rows as fit one section. */
function tableText(answer: Answer, options: AnswerMessageOptions): string {
  for (let rows = options.maxTableRows ?? 10; ; rows = Math.floor(rows / 2)) {
    const table = formatTable(answer.columns, answer.rows, {
      maxRows: rows,
      maxWidth: options.tableWidth ?? 80,
      totalRows: answer.rowCount,
      plan: answer.plan,
      locale: options.locale,
      timeZone: options.timeZone,
    });
    if (rows === 0 || fitsCodeBlock(table)) return codeBlock(table);
  }
}

function countLine(answer: Answer, locale?: string): string {
  const format = new Intl.NumberFormat(locale).format;
  const n = format(answer.rowCount);
  const total = answer.totalRows;
  const rows =
    typeof total === 'number' && total > answer.rowCount
      ? `${n} of ${format(total)} rows`
      : `${n} ${answer.rowCount === 1 ? 'row' : 'rows'}`;
  const cap = answer.truncatedBy === 'size' ? 'the size cap' : 'the row cap';
  const capped = answer.truncated ? `${rows} (more exist: results stop at ${cap})` : rows;
  const planned = answer.source ? ` · planned ${SOURCE_WORDS[answer.source]}` : '';
  return capped + planned;
}

function buttons(answer: Answer & { id: string }, showSql: boolean, verifiable: boolean): types.ActionsBlock {
  const button = (text: string, actionId: string): types.Button => ({
    type: 'button',
    text: { type: 'plain_text', text, emoji: true },
    action_id: actionId,
    value: answer.id,
  });
  const elements = [button(':+1:', ACTION.feedbackUp), button(':-1:', ACTION.feedbackDown)];
  // Without a table the SQL is the answer itself, always shown.
  if (answer.sql && answer.columns.length > 0)
    elements.push(showSql ? button('Hide SQL', ACTION.hideSql) : button('Show SQL', ACTION.showSql));
  if (answer.columns.length > 0) elements.push(button('Download CSV', ACTION.downloadCsv));
  if (answer.plan && answer.columns.length > 0) elements.push(button('Add to my usual', ACTION.addToUsual));
  if (verifiable && answer.sql && answer.columns.length > 0 && !answer.verified)
    elements.push(button('Verify', ACTION.verify));
  return { type: 'actions', block_id: 'answer_actions', elements };
}

/** The block ids of a question asked back start with this; a pick removes them. */
export const READINGS_BLOCK = 'readings';

/** Slack's limits for a button: its text and its value. */
const BUTTON_TEXT_CHARS = 75;
const BUTTON_VALUE_CHARS = 2000;

/** A question asked back offers its readings as buttons; a reply with the number works too. */
function readingBlocks(readings: Reading[]): types.KnownBlock[] {
  const offered = readings.filter((r) => r.question.length <= BUTTON_VALUE_CHARS);
  if (!offered.length) return [];
  const label = (r: Reading, i: number) => {
    const text = `${i + 1}. ${r.label}`;
    return text.length > BUTTON_TEXT_CHARS ? `${text.slice(0, BUTTON_TEXT_CHARS - 1)}…` : text;
  };
  return [
    {
      ...section('Did you mean one of these? Press it, or reply with its number.'),
      block_id: `${READINGS_BLOCK}_prompt`,
    },
    {
      type: 'actions',
      block_id: READINGS_BLOCK,
      elements: offered.map((r, i) => ({
        type: 'button',
        text: { type: 'plain_text', text: label(r, i), emoji: false },
        action_id: readingActionId(i + 1),
        value: r.question,
      })),
    },
  ];
}

function errorMessage(answer: Answer): SlackMessage {
  const { message, readings = [] } = answer.error!;
  const blocks: types.KnownBlock[] = [
    section(`:warning: ${escapeText(message)}`),
    ...readingBlocks(readings),
  ];
  if (answer.notes.length > 0) blocks.push(context(answer.notes.map(escapeText)));
  const choices = readings.map((r, i) => `${i + 1}. ${r.label}`);
  return fitMessage({ text: [message, ...choices].join('\n'), blocks });
}

export function answerMessage(answer: Answer, options: AnswerMessageOptions = {}): SlackMessage {
  if (answer.error) return errorMessage(answer);
  // An answer without a table is about its SQL ("show the SQL"): shown at once.
  const showSql = options.showSql ?? answer.columns.length === 0;
  const blocks: types.KnownBlock[] = [boldSection(escapeText(answer.summary))];
  const remarks = [
    ...(answer.verified ? [verifiedMark(answer.verified, (id) => `<@${id}>`)] : []),
    ...answer.notes.map((n) => `:information_source: ${escapeText(n)}`),
    ...answer.assumptions.map((a) => `assumed: ${escapeText(a)}`),
  ];
  if (remarks.length > 0) blocks.push(context(remarks));
  if (answer.sql && showSql) blocks.push(section(codeBlock(answer.sql)));
  if (answer.columns.length > 0) {
    blocks.push(section(tableText(answer, options)));
    const lines = [countLine(answer, options.locale)];
    if (options.chartNote) lines.push(escapeText(options.chartNote));
    blocks.push(context(lines));
  }
  if (answer.id)
    blocks.push(buttons(answer as Answer & { id: string }, showSql, options.verifiable === true));
  return fitMessage({ text: answer.summary, blocks });
}
