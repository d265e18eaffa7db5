import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { answerMessage } from '../../src/bot/blocks/answer.ts';
import { usualImage, usualMessage } from '../../src/bot/usualReply.ts';
import { emptyAnswer } from '../../src/pipeline/stages.ts';
import { fitMessage, SHORTENED, SLACK_LIMITS, shorten, shortenEach } from '../../src/slack/limits.ts';
import { context, lineSections } from '../../src/slack/mrkdwn.ts';
import { refusalOf } from '../helpers/fakeSlackRules.ts';

const LONG_QUESTION = `Show me total sales for last month ${'for the stores & <teams> in the north '.repeat(60)}`;

/** What the fake Slack (Slack's rules, written out on their own) says to this message. */
const slackSays = (method: string, m: { text: string; blocks: types.KnownBlock[] }) =>
  refusalOf(method, { text: m.text, blocks: JSON.stringify(m.blocks) });

describe('shorten', () => {
  it('leaves text within the limit as it is', () => {
    expect(shorten('Total sales: $1,234', 3000)).toBe('Total sales: $1,234');
  });

  it('cuts longer text to the limit and says it was shortened', () => {
    const cut = shorten('word '.repeat(1000), 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut.endsWith(SHORTENED)).toBe(true);
    expect(cut).toMatch(/word …/);
  });

  it('never splits an escaped character, a mention or an emoji in two', () => {
    const entity = shorten(`${'x'.repeat(80)}&amp;&amp;&amp;${'y'.repeat(50)}`, 100);
    expect(entity.replace(/&amp;/g, '')).not.toContain('&');
    const mention = shorten(`${'x'.repeat(75)} <@U12345678>${'y'.repeat(50)}`, 100);
    expect(mention).not.toContain('<@U1');
    expect(mention.endsWith(SHORTENED)).toBe(true);
    const emoji = shorten('😀'.repeat(100), 101);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('closes a code fence it cut open', () => {
    const cut = shorten(`\`\`\`${'SELECT 1;\n'.repeat(500)}\`\`\``, 300);
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut.split('```').length - 1).toBe(2);
    expect(cut.endsWith(SHORTENED)).toBe(true);
  });
});

describe('shortenEach', () => {
  it('gives each item a fair share, so short ones stay whole and every one is named', () => {
    const items = ['Revenue: $10', `${'A'.repeat(3000)}: 4`, `${'B'.repeat(3000)}: 5`];
    const alt = shortenEach(items, 1000, '; ');
    expect(alt.length).toBeLessThanOrEqual(1000);
    expect(alt.startsWith('Revenue: $10; AAA')).toBe(true);
    expect(alt).toContain('BBB');
    expect(alt.split(SHORTENED)).toHaveLength(3);
  });
});

describe('fitMessage', () => {
  it('keeps at most 50 blocks, the buttons last, and says blocks were left out', () => {
    const actions: types.ActionsBlock = {
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Download CSV' }, action_id: 'x' }],
    };
    const blocks = [...lineSections(Array.from({ length: 60 }, () => 'x'.repeat(2990))), actions];
    const fitted = fitMessage({ text: 'x', blocks });
    expect(fitted.blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(fitted.blocks.at(-1)).toEqual(actions);
    expect(JSON.stringify(fitted.blocks.at(-2))).toContain(SHORTENED);
    expect(slackSays('chat.update', fitted)).toBeNull();
  });

  it('cuts the top-level text to what chat.update takes', () => {
    const fitted = fitMessage({ text: 'y'.repeat(5000), blocks: [] });
    expect(fitted.text.length).toBeLessThanOrEqual(4000);
    expect(fitted.text.endsWith(SHORTENED)).toBe(true);
    expect(slackSays('chat.update', fitted)).toBeNull();
    expect(slackSays('chat.update', { text: 'y'.repeat(4001), blocks: [] })).toEqual({
      error: 'msg_too_long',
    });
  });

  it('marks a context block with more than ten lines', () => {
    const block = context(Array.from({ length: 12 }, (_, i) => `note ${i}`));
    expect(block.elements).toHaveLength(10);
    expect(JSON.stringify(block.elements.at(-1))).toContain(SHORTENED);
  });
});

describe('messages Slack takes by construction', () => {
  it('an answer to a very long question, with long notes and SQL', () => {
    const answer = {
      ...emptyAnswer(LONG_QUESTION),
      id: 'a-1',
      summary: LONG_QUESTION,
      sql: `SELECT ${'1 + '.repeat(2000)}1`,
      columns: [{ name: 'n', kind: 'number' as const }],
      rows: [[1]],
      rowCount: 1,
      notes: Array.from({ length: 14 }, () => LONG_QUESTION),
      assumptions: [LONG_QUESTION],
    };
    const message = answerMessage(answer, { showSql: true });
    expect(slackSays('chat.update', message)).toBeNull();
    expect(JSON.stringify(message.blocks)).toContain(SHORTENED);
    const error = answerMessage({ ...answer, error: { kind: 'sql', message: LONG_QUESTION.repeat(3) } });
    expect(slackSays('chat.update', error)).toBeNull();
  });

  it('a /usual dashboard whose titles are whole long questions: each line whole in its section', () => {
    const lines = [LONG_QUESTION, `${LONG_QUESTION} by month`].map((q) => `• ${q}: $1,234 (+5%)`);
    const reply = { text: lines.join('\n'), png: Buffer.from('png') };
    expect(reply.text.length).toBeGreaterThan(4000);
    const message = usualMessage(reply);
    expect(slackSays('chat.update', message)).toBeNull();
    const shown = message.blocks.map((b) => (b.type === 'section' ? b.text!.text : '')).join('\n');
    expect(shown).not.toContain(SHORTENED);
    expect(shown).toContain('by month: $1,234 (+5%)');
    const alt = usualImage(reply)!.altText;
    expect(refusalOf('files.getUploadURLExternal', { alt_txt: alt })).toBeNull();
    expect(alt.split(SHORTENED)).toHaveLength(3);
  });
});
