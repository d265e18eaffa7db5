import { describe, expect, it } from 'vitest';
import { NotUnderstood } from '../../src/errors.ts';
import { splitChartRequest } from '../../src/language/chartWords.ts';
import { planQuestion } from '../../src/pipeline/plan.ts';
import { shopSchema } from '../fixtures/shopSchema.ts';

const input = { schema: shopSchema, defaultLimit: 100, maxRows: 1000 };

describe('a chart request in any question', () => {
  it('is read off, leaving the question to plan', () => {
    expect(splitChartRequest('Monthly sales over the last 6 months as a bar chart')).toEqual({
      chart: 'bar',
      rest: 'Monthly sales over the last 6 months',
    });
    expect(splitChartRequest('now by category, as a pie')).toEqual({
      chart: 'doughnut',
      rest: 'now by category,',
    });
    expect(splitChartRequest('Total sales last month as a big number')).toEqual({
      chart: 'big_number',
      rest: 'Total sales last month',
    });
    expect(splitChartRequest('Show me sales by country in a table').chart).toBe('table');
  });

  it('is the whole message when only filler words are left', () => {
    for (const text of ['as a line chart', 'Now show it as a bar graph, please', 'make it a donut!'])
      expect(splitChartRequest(text).rest, text).toBe('');
  });

  it('is not found in questions that only use the words', () => {
    expect(splitChartRequest('How many customers are in a number of cities?').chart).toBeNull();
    expect(splitChartRequest('Sales of bar stools last month').chart).toBeNull();
  });

  it('draws a fresh question as asked', () => {
    const planned = planQuestion({
      ...input,
      question: 'Monthly sales over the last 6 months as a bar chart',
    });
    expect(planned.kind).toBe('plan');
    if (planned.kind !== 'plan') return;
    expect(planned.chart).toBe('bar');
    expect(planned.plan.dimensions[0]).toMatchObject({ grain: 'month' });
  });

  it('edits the last plan and draws it, or only redraws it', () => {
    const last = planQuestion({ ...input, question: 'Show me total sales for last month' });
    if (last.kind !== 'plan') throw new Error('expected a plan');
    const both = planQuestion({
      ...input,
      question: 'now by product category as a pie chart',
      lastPlan: last.plan,
    });
    expect(both).toMatchObject({ kind: 'plan', source: 'followup', chart: 'doughnut' });
    if (both.kind === 'plan') expect(both.plan.dimensions.map((d) => d.ref.column)).toEqual(['category']);
    expect(planQuestion({ ...input, question: 'as a line chart', lastPlan: last.plan })).toEqual({
      kind: 'chart',
      chart: 'line',
    });
  });

  it('asks for a question first when there is nothing to draw', () => {
    expect(() => planQuestion({ ...input, question: 'as a line chart' })).toThrow(NotUnderstood);
  });
});
