import { describe, expect, it } from 'vitest';
import { normalizeQuestion } from '../../src/language/questionFeatures.ts';
import { cosineSimilarity, EMBEDDING_DIMENSIONS } from '../../src/memory/embed.ts';
import { localEmbedder } from '../../src/memory/localEmbedder.ts';
import { MIN_SIMILARITY } from '../../src/memory/shouldUseMemoryPattern.ts';

const embedder = localEmbedder();

async function similarity(a: string, b: string): Promise<number> {
  const [va, vb] = await embedder.embed([a, b]);
  return cosineSimilarity(va!, vb!);
}

describe('local embedder', () => {
  it('makes unit vectors of the deployment dimension, the same on every call', async () => {
    const [a, b] = await embedder.embed(['total sales last month', 'total sales last month']);
    expect(a).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 10);
    expect(b).toEqual(a);
    expect(embedder.id).toBe(`local-hash-v1:${EMBEDDING_DIMENSIONS}`);
  });

  it.each([
    ['total sales last month', "last month's revenue in total"],
    ['Show me total sales for last month', 'What were our sales last month?'],
    ['how many orders last week', 'number of purchases in the past week'],
    ['how many customers', 'count of clients'],
    ['sales by category last month', 'revenue per category for the previous month'],
    ['monthly sales trend', 'sales by month over time'],
  ])('puts paraphrases above the reuse bar: %s ~ %s', async (a, b) => {
    expect(await similarity(a, b)).toBeGreaterThan(MIN_SIMILARITY);
  });

  it('keeps unrelated questions far apart', async () => {
    expect(await similarity('total sales last month', 'number of customers by country')).toBeLessThan(0.3);
  });

  it.each([
    // The period: memory keeps a pattern's period, so another period is another question.
    ['top 10 products by revenue this year', 'top 10 products by revenue last year'],
    ['orders in March', 'orders in April'],
    ['revenue last 7 days', 'revenue last 30 days'],
    // The row limit, the grouping and the comparison change the SQL too.
    ['top 10 products by revenue', 'top 5 products by revenue'],
    ['sales by category', 'sales by country'],
    ['customers with more than 5 orders', 'customers with more than 10 orders'],
  ])('keeps questions that differ in what decides the SQL below the bar: %s / %s', async (a, b) => {
    expect(await similarity(a, b)).toBeLessThanOrEqual(MIN_SIMILARITY);
  });
});

describe('normalizeQuestion', () => {
  it('gives paraphrases one form and keeps the period, limit and grouping', () => {
    expect(normalizeQuestion('Revenue per category for the previous month')).toBe(
      normalizeQuestion('sales by category last month'),
    );
    expect(normalizeQuestion('top 10 products by revenue this year')).toBe(
      'rank_desc product revenue by:revenue limit:10 time:current:year',
    );
  });
});
