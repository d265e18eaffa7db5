import { describe, expect, it } from 'vitest';
import { answerMessage } from '../../src/bot/blocks/answer.ts';
import { stageLabel, workingMessage } from '../../src/bot/blocks/working.ts';
import type { Answer, QueryPlan } from '../../src/domain/types.ts';
import { emptyAnswer } from '../../src/pipeline/stages.ts';
import { codeBlock, escapeText, SECTION_TEXT_LIMIT } from '../../src/slack/mrkdwn.ts';

const PLAN: QueryPlan = {
  baseTable: 'public.products',
  measures: [{ agg: 'count', expr: { kind: 'rows', table: 'public.products' }, as: 'products' }],
  dimensions: [{ ref: { table: 'public.products', column: 'category' }, as: 'category' }],
  filters: [],
};

function tableAnswer(rows: number): Answer {
  return {
    ...emptyAnswer('How many products per category?'),
    id: 'a-1',
    sql: 'SELECT products.category AS category, COUNT(*) AS products FROM products GROUP BY 1',
    columns: [
      { name: 'category', kind: 'text' },
      { name: 'products', kind: 'number' },
    ],
    rows: Array.from({ length: rows }, (_, i) => [`Category <${i}>`, i * 3]),
    rowCount: rows,
    source: 'rules',
    plan: PLAN,
    summary: `${rows} rows; top: Category <0> & friends`,
    assumptions: ['products = count of products rows'],
    notes: ['answered without this thread’s earlier context'],
  };
}

const sections = (a: ReturnType<typeof answerMessage>) =>
  a.blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));

describe('answerMessage', () => {
  it('shows summary, remarks, the first rows with the total, and buttons carrying the answer id', () => {
    const message = answerMessage(tableAnswer(25), { maxTableRows: 10 });
    const [summary, table] = sections(message);
    expect(sections(message)).toHaveLength(2);
    expect(message.text).toBe('25 rows; top: Category <0> & friends');
    expect(summary).toBe('*25 rows; top: Category &lt;0&gt; &amp; friends*');
    expect(table).toContain('Category &lt;9&gt;');
    expect(table).not.toContain('Category &lt;10&gt;');
    expect(table).toContain('… and 15 more rows');
    const contexts = message.blocks.filter((b) => b.type === 'context');
    expect(JSON.stringify(contexts)).toContain('assumed: products = count of products rows');
    expect(JSON.stringify(contexts)).toContain('25 rows · planned by the offline planner');
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({
      elements: [
        { action_id: 'feedback_up', value: 'a-1' },
        { action_id: 'feedback_down', value: 'a-1' },
        { action_id: 'show_sql', value: 'a-1' },
        { action_id: 'download_csv', value: 'a-1' },
        { action_id: 'add_to_usual', value: 'a-1' },
      ],
    });
  });

  it('shows the SQL when asked, with the button to hide it again', () => {
    const message = answerMessage(tableAnswer(3), { showSql: true });
    const [, sql, table] = sections(message);
    expect(sql).toBe(
      '```SELECT products.category AS category, COUNT(*) AS products FROM products GROUP BY 1```',
    );
    expect(table).toContain('Category &lt;2&gt;');
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(JSON.stringify(actions)).toContain('"action_id":"hide_sql"');
    expect(JSON.stringify(actions)).not.toContain('"action_id":"show_sql"');
  });

  it('shows the SQL at once when the answer is about it ("show the SQL")', () => {
    const explained = { ...tableAnswer(0), columns: [], rows: [], rowCount: 0 };
    expect(sections(answerMessage(explained))[1]).toMatch(/^```SELECT /);
  });

  it('keeps a wide result inside one section by showing fewer rows', () => {
    const wide = tableAnswer(10);
    wide.rows = wide.rows.map((row) => ['x'.repeat(39), row[1]!]);
    const message = answerMessage(wide, { maxTableRows: 200, tableWidth: 60 });
    const table = sections(message)[1]!;
    expect(table.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    expect(table.endsWith('```')).toBe(true);
    wide.rows = Array.from({ length: 200 }, (_, i) => ['x'.repeat(39), i]);
    wide.rowCount = 200;
    const many = sections(answerMessage(wide, { maxTableRows: 200 }))[1]!;
    expect(many.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    expect(many).toMatch(/… and \d+ more rows```$/);
  });

  it('says a capped result has more rows, and shows the chart note', () => {
    const capped = { ...tableAnswer(3), truncated: true };
    const text = JSON.stringify(
      answerMessage(capped, { chartNote: 'Showing the top 20 of 25 bars.' }).blocks,
    );
    expect(text).toContain('more exist: results stop at the row cap');
    expect(text).toContain('Showing the top 20 of 25 bars.');
  });

  it('says how many rows exist when a cut list was counted', () => {
    const cut = { ...tableAnswer(5), totalRows: 108 };
    expect(JSON.stringify(answerMessage(cut).blocks)).toContain(
      '5 of 108 rows · planned by the offline planner',
    );
    const whole = { ...tableAnswer(5), totalRows: 5 };
    expect(JSON.stringify(answerMessage(whole).blocks)).toContain(
      '"5 rows · planned by the offline planner"',
    );
  });

  it('offers no CSV or pin for an answer without a table (an explanation)', () => {
    const explained: Answer = {
      ...emptyAnswer('why?'),
      id: 'a-2',
      sql: 'SELECT 1',
      summary: 'That answer came from this SQL.',
    };
    const message = answerMessage(explained);
    expect(message.blocks.find((b) => b.type === 'actions')).toMatchObject({
      elements: [{ action_id: 'feedback_up' }, { action_id: 'feedback_down' }],
    });
  });

  it('turns an error into its message alone', () => {
    const failed: Answer = {
      ...emptyAnswer('what is the airspeed of a swallow?'),
      id: 'a-3',
      error: {
        kind: 'not_understood',
        message: 'I could not tell what to measure. Try "total sales last month".',
      },
    };
    const message = answerMessage(failed);
    expect(message.text).toBe('I could not tell what to measure. Try "total sales last month".');
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ':warning: I could not tell what to measure. Try "total sales last month".',
        },
      },
    ]);
  });

  it('offers Verify when owners can verify, and marks a verified answer instead', () => {
    const ids = (m: ReturnType<typeof answerMessage>) =>
      JSON.stringify(m.blocks.find((b) => b.type === 'actions'));
    expect(ids(answerMessage(tableAnswer(3)))).not.toContain('verify_answer');
    expect(ids(answerMessage(tableAnswer(3), { verifiable: true }))).toContain('"action_id":"verify_answer"');
    const verified = { ...tableAnswer(3), verified: { by: 'U0OWNER', at: '2026-12-01T10:00:00Z' } };
    const message = answerMessage(verified, { verifiable: true });
    expect(ids(message)).not.toContain('verify_answer');
    expect(JSON.stringify(message.blocks)).toContain('✓ Verified by the data team (<@U0OWNER>, 2026-12-01)');
    const fromFile = answerMessage({ ...tableAnswer(3), verified: {} });
    expect(JSON.stringify(fromFile.blocks)).toContain('✓ Verified by the data team"');
  });
});

describe('mrkdwn', () => {
  it('escapes the three control characters only', () => {
    expect(escapeText('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; "d"');
  });

  it('cuts an overlong code block at a line end and says so', () => {
    const sql = Array.from({ length: 400 }, (_, i) => `  AND column_${i} = ${i}`).join('\n');
    const block = codeBlock(sql);
    expect(block.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    expect(block.endsWith('\n… (shortened)```')).toBe(true);
    expect(
      block
        .slice(3, -'\n… (shortened)```'.length)
        .split('\n')
        .every((l) => /^ {2}AND column_\d+ = \d+$/.test(l)),
    ).toBe(true);
  });
});

describe('working message', () => {
  it('names the stage in progress and skips learning', () => {
    expect(workingMessage(stageLabel('execute')!).text).toBe('Working… (running query)');
    expect(workingMessage(stageLabel('schema')!).text).toBe('Working… (discovering schema)');
    expect(stageLabel('learn')).toBeNull();
  });
});
