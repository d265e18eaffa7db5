import { describe, expect, it } from 'vitest';
import { csvFileName } from '../../src/bot/listeners/actions/downloadCsv.ts';
import { mentionsBot, questionOf } from '../../src/bot/questionText.ts';

describe('questionOf', () => {
  it('removes Quarry’s mention and keeps the question', () => {
    expect(questionOf('<@UQ> Show me total sales for last month', 'UQ')).toBe(
      'Show me total sales for last month',
    );
    expect(questionOf('sales by country <@UQ|quarry>?', 'UQ')).toBe('sales by country ?');
  });

  it('turns Slack markup back into what was typed', () => {
    expect(
      questionOf('orders &gt; 100 &amp; status &lt;&gt; <https://x.io|cancelled> for <@U2|ana>', 'UQ'),
    ).toBe('orders > 100 & status <> cancelled for ana');
    expect(questionOf('see <https://example.com/a>', 'UQ')).toBe('see https://example.com/a');
  });

  it('is empty for a bare mention', () => {
    expect(questionOf('<@UQ>   ', 'UQ')).toBe('');
    expect(questionOf(undefined, 'UQ')).toBe('');
  });
});

describe('mentionsBot', () => {
  it('finds Quarry’s mention only', () => {
    expect(mentionsBot('hey <@UQ> now by month', 'UQ')).toBe(true);
    expect(mentionsBot('hey <@U2> now by month', 'UQ')).toBe(false);
    expect(mentionsBot('now by month', undefined)).toBe(false);
  });
});

describe('csvFileName', () => {
  it('makes a short, safe file name from the question', () => {
    expect(csvFileName('Show me total sales for last month')).toBe('show-me-total-sales-for-last-month.csv');
    expect(csvFileName('Top 10 products — by revenue (EUR)?')).toBe('top-10-products-by-revenue-eur.csv');
    expect(csvFileName('¿?')).toBe('answer.csv');
    expect(csvFileName('a'.repeat(49) + ' bcd').length).toBe(49 + '.csv'.length);
  });
});
