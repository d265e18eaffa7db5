import { describe, expect, it } from 'vitest';
import type { Answer, QueryPlan, SchemaInfo } from '../../src/domain/types.ts';
import type { DigestSchedule } from '../../src/memory/digestSchedules.ts';
import type { FrequentPlan } from '../../src/memory/queryHistory.ts';
import { emptyAnswer } from '../../src/pipeline/stages.ts';
import { clusterKey, clusterPlans } from '../../src/usual/cluster.ts';
import { biggestMoves, digestText, failureNote } from '../../src/usual/digestMessage.ts';
import { changeOf, describeChange, headlineOf, headlineValue } from '../../src/usual/headline.ts';
import { panelTitle } from '../../src/usual/panelTitle.ts';
import { previousPeriod } from '../../src/usual/previousPeriod.ts';
import type { UsualPanel } from '../../src/usual/runPanels.ts';
import { suggestQuestions } from '../../src/usual/suggestions.ts';
import { mentionsTopic } from '../../src/usual/topic.ts';
import { col, table } from '../fixtures/schemaBuilders.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const created = { table: 'public.orders', column: 'created_at' };
const sales = (range?: QueryPlan['timeRange'], dims: QueryPlan['dimensions'] = []): QueryPlan => ({
  baseTable: 'public.orders',
  measures: [
    {
      agg: 'sum',
      expr: { kind: 'column', ref: { table: 'public.orders', column: 'total' } },
      as: 'sales',
      concept: 'money',
    },
  ],
  dimensions: dims,
  filters: [],
  ...(range ? { timeRange: range } : {}),
});
const lastMonth = { column: created, kind: 'previous', unit: 'month', n: 1 } as const;
const lastWeek = { column: created, kind: 'previous', unit: 'week', n: 1 } as const;
const byCategory = [{ ref: { table: 'public.products', column: 'category' }, as: 'category' }];

const NOW = new Date('2026-11-25T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function frequent(question: string, plan: QueryPlan, times: number, lastDaysAgo: number): FrequentPlan {
  return {
    planKey: `k-${question}`,
    plan,
    question,
    times,
    lastAskedAt: daysAgo(lastDaysAgo),
    patternId: null,
    successRate: null,
  };
}

function answerOf(plan: QueryPlan, columns: Answer['columns'], rows: Answer['rows']): Answer {
  return { ...emptyAnswer('q'), plan, columns, rows, rowCount: rows.length };
}

describe('clustering questions into panels', () => {
  it('puts the same plan under one key whatever its period, and different plans apart', () => {
    expect(clusterKey(sales(lastMonth))).toBe(clusterKey(sales(lastWeek)));
    expect(clusterKey(sales(lastMonth))).toBe(clusterKey(sales()));
    expect(clusterKey(sales(lastMonth))).not.toBe(clusterKey(sales(lastMonth, byCategory)));
  });

  it('adds up the forms of a panel, runs its latest form, and ranks by frequency and recency', () => {
    const clusters = clusterPlans(
      [
        frequent('sales last month', sales(lastMonth), 6, 20),
        frequent('sales last week', sales(lastWeek), 2, 1),
        frequent('sales by category', sales(lastMonth, byCategory), 5, 0),
        frequent('old favourite', sales(undefined, [{ ref: created, grain: 'month', as: 'month' }]), 9, 29),
      ],
      NOW,
    );
    expect(clusters.map((c) => c.latest.question)).toEqual([
      'sales last week',
      'sales by category',
      'old favourite',
    ]);
    expect(clusters[0]!.times).toBe(8);
    expect(clusters[0]!.latest.plan.timeRange).toEqual(lastWeek);
    // 9 asks a month ago weigh less than 5 today.
    expect(clusters[2]!.score).toBeLessThan(clusters[1]!.score);
  });
});

describe('previous periods', () => {
  it('shifts relative ranges back by their own length', () => {
    expect(previousPeriod(sales(lastMonth))?.timeRange).toEqual({ ...lastMonth, offset: 1 });
    expect(previousPeriod(sales({ ...lastMonth, n: 12 }))?.timeRange).toEqual({
      ...lastMonth,
      n: 12,
      offset: 12,
    });
    expect(
      previousPeriod(sales({ column: created, kind: 'rolling', unit: 'day', n: 7, offset: 7 }))?.timeRange,
    ).toMatchObject({ offset: 14 });
  });

  it('has none for running periods, fixed dates or no period', () => {
    expect(previousPeriod(sales({ column: created, kind: 'current', unit: 'month' }))).toBeNull();
    expect(previousPeriod(sales({ column: created, kind: 'absolute', from: '2026-01-01' }))).toBeNull();
    expect(previousPeriod(sales())).toBeNull();
  });
});

describe('headlines and changes', () => {
  const money = { name: 'sales', kind: 'number' } as const;
  const category = { name: 'category', kind: 'text' } as const;

  it('leads a single value with itself and a breakdown with its total and top row', () => {
    const total = answerOf(sales(lastMonth), [money], [['13771.28']]);
    expect(headlineOf(total)).toEqual({ text: '$13,771.28', value: 13771.28 });
    const breakdown = answerOf(
      sales(lastMonth, byCategory),
      [category, money],
      [
        ['Books', '100.50'],
        ['Electronics', '300.00'],
      ],
    );
    expect(headlineOf(breakdown)).toEqual({
      text: '$400.50 in all; top Electronics ($300.00)',
      value: 400.5,
    });
  });

  it('says what a count counts, and shows the latest point of a trend', () => {
    const trendPlan: QueryPlan = {
      baseTable: 'public.orders',
      measures: [{ agg: 'count', expr: { kind: 'rows', table: 'public.orders' }, as: 'orders' }],
      dimensions: [{ ref: created, grain: 'month', as: 'month' }],
      filters: [],
    };
    const trend = answerOf(
      trendPlan,
      [
        { name: 'month', kind: 'timestamp' },
        { name: 'orders', kind: 'number' },
      ],
      [
        ['2026-09-01T00:00:00Z', '40'],
        ['2026-10-01T00:00:00Z', '60'],
      ],
    );
    const h = headlineOf(trend, { timeZone: 'UTC' });
    expect(h.value).toBe(100);
    expect(h.text).toMatch(/^100 orders in all; latest Oct 2026: 60 orders$/);
  });

  it('has no comparable value for averages over groups, truncated or failed answers', () => {
    const avg: QueryPlan = {
      ...sales(lastMonth, byCategory),
      measures: [{ ...sales().measures[0]!, agg: 'avg' }],
    };
    expect(
      headlineValue(
        answerOf(
          avg,
          [category, money],
          [
            ['a', '1'],
            ['b', '2'],
          ],
        ),
      ),
    ).toBeNull();
    expect(
      headlineValue({
        ...answerOf(
          sales(lastMonth, byCategory),
          [category, money],
          [
            ['a', '1'],
            ['b', '2'],
          ],
        ),
        truncated: true,
      }),
    ).toBeNull();
    const failed = { ...emptyAnswer('q'), error: { kind: 'timeout', message: 'The query took too long.' } };
    expect(headlineOf(failed)).toEqual({ text: 'The query took too long.', value: null });
  });

  it('describes changes with direction and size, and the previous value when it was zero', () => {
    const total = answerOf(sales(lastMonth), [money], [['150']]);
    expect(changeOf(150, 100)).toEqual({ previous: 100, pct: 50 });
    expect(describeChange(changeOf(150, 100)!, total)).toBe('▲ 50% vs the period before');
    expect(describeChange(changeOf(75, 100)!, total)).toBe('▼ 25% vs the period before');
    expect(describeChange(changeOf(100, 100)!, total)).toBe('= no change vs the period before');
    expect(describeChange(changeOf(10, 0)!, total)).toBe('previous period: $0.00');
    expect(changeOf(null, 3)).toBeUndefined();
  });
});

describe('panel titles and topics', () => {
  it.each([
    ['What were our top selling products last week?', 'Top selling products last week'],
    ["Break down last month's sales by product category", "Last month's sales by product category"],
    ['Show me total sales for last month', 'Total sales for last month'],
    ['Monthly sales over the last 12 months', 'Monthly sales over the last 12 months'],
    ['can you show revenue by country as a bar chart?', 'Revenue by country'],
  ])('%s → %s', (question, title) => {
    expect(panelTitle(question)).toBe(title);
  });

  it('keeps panels that mention every topic word in their words or plan', () => {
    const panel = { title: 'Revenue', question: 'revenue last month', plan: sales(lastMonth, byCategory) };
    expect(mentionsTopic('sales', panel)).toBe(true); // the measure is called sales
    expect(mentionsTopic('categories', panel)).toBe(true);
    expect(mentionsTopic('Orders', panel)).toBe(true);
    expect(mentionsTopic('customers', panel)).toBe(false);
    expect(mentionsTopic('sales customers', panel)).toBe(false);
  });
});

/** A gym's database: nothing in it is named like the demo shop. */
const gymSchema: SchemaInfo = {
  database: 'gym',
  fingerprint: 'gym-v1',
  searchPath: ['public'],
  discoveredAt: '2026-01-01T00:00:00Z',
  tables: [
    table(
      'members',
      [
        col('id', 'integer', 'number'),
        col('full_name', 'text', 'text'),
        col('membership', 'text', 'text', { sampleValues: ['basic', 'premium', 'family'] }),
        col('joined_at', 'timestamp with time zone', 'timestamp'),
      ],
      3000,
    ),
    table(
      'payments',
      [
        col('id', 'integer', 'number'),
        col('member_id', 'integer', 'number'),
        col('amount', 'numeric(10,2)', 'number'),
        col('method', 'text', 'text', { sampleValues: ['card', 'bank transfer', 'cash'] }),
        col('paid_at', 'timestamp with time zone', 'timestamp'),
      ],
      40000,
    ),
  ],
  foreignKeys: [
    {
      fromTable: 'public.payments',
      fromColumns: ['member_id'],
      toTable: 'public.members',
      toColumns: ['id'],
      inferred: false,
    },
  ],
};

describe('suggestions for a thin history', () => {
  it('reads a money total, a count by category and a monthly trend from the schema', () => {
    expect(suggestQuestions(shopSchema, NOW)).toEqual([
      'Order total last month',
      'How many orders by status?',
      'Monthly order total over the last 12 months',
    ]);
    expect(suggestQuestions(gymSchema, NOW)).toEqual([
      'Payment amount last month',
      'How many payments by method?',
      'Monthly payment amount over the last 12 months',
    ]);
  });

  it('offers a count trend when there is no money, and nothing for an empty schema', () => {
    const noMoney = { ...gymSchema, tables: gymSchema.tables.filter((t) => t.name === 'members') };
    expect(suggestQuestions(noMoney, NOW)).toEqual([
      'How many members by membership?',
      'How many members per month over the last 12 months?',
    ]);
    expect(suggestQuestions({ ...gymSchema, tables: [], foreignKeys: [] }, NOW)).toEqual([]);
  });
});

describe('digest text', () => {
  const schedule: DigestSchedule = {
    id: 7,
    teamId: 'T1',
    ownerUserId: 'U1',
    channelId: 'C1',
    cadence: 'weekly',
    timeOfDay: '09:00',
    timezone: 'Europe/Berlin',
    dayOfWeek: 1,
    dayOfMonth: null,
    runOn: null,
    panels: [],
    paused: false,
    lastRunKey: null,
    lastRunAt: null,
    createdAt: NOW.toISOString(),
  };
  const money = { name: 'sales', kind: 'number' } as const;
  const panel = (title: string, value: number, previous: number | null, error?: string): UsualPanel => {
    const answer = error
      ? { ...emptyAnswer(title), error: { kind: 'timeout', message: error } }
      : answerOf(sales(lastMonth), [money], [[String(value)]]);
    const change = changeOf(error ? null : value, previous);
    return {
      title,
      question: title,
      answer,
      headline: error ?? headlineOf(answer).text,
      value: error ? null : value,
      ...(change ? { change } : {}),
      startedMs: 0,
      finishedMs: 1,
    };
  };

  it('leads with the panels that moved most, then one line per panel', () => {
    const panels = [
      panel('Calm', 101, 100),
      panel('Jump', 200, 100),
      panel('Drop', 40, 100),
      panel('Steady', 50, 50),
      panel('New', 10, 0),
    ];
    expect(biggestMoves(panels).map((p) => p.title)).toEqual(['Jump', 'Drop', 'Calm']);
    const text = digestText({ schedule, panels, slot: new Date('2026-11-30T08:00:00Z') });
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      '*Usual digest* for <@U1> · Mon, Nov 30, 09:00 (every Monday at 09:00, Europe/Berlin)',
    );
    expect(lines[1]).toBe('*What changed* vs the period before: Jump ▲ 100% · Drop ▼ 60% · Calm ▲ 1%');
    expect(lines.slice(2)).toHaveLength(5);
    expect(lines[3]).toBe('• Jump: $200.00 (▲ 100% vs the period before)');
  });

  it('marks failed panels in the channel and explains them to the owner', () => {
    const panels = [panel('Fine', 5, 4), panel('Broken', 0, null, 'The query took too long.')];
    const text = digestText({ schedule, panels, slot: NOW });
    expect(text).toContain('• Broken: ⚠️ The query took too long.');
    expect(text).toContain('_1 of 2 panels could not be run this time; <@U1> has the details._');
    expect(failureNote(schedule, panels, '<#C1>')).toBe(
      [
        'Your digest #7 to <#C1> went out without 1 of its 2 panels.',
        '• Broken: The query took too long.',
        'I will try again at the next scheduled time.',
      ].join('\n'),
    );
    expect(failureNote(schedule, [panels[1]!], '<#C1>')).toMatch(/^Your digest #7 to <#C1> was not posted/);
  });
});
