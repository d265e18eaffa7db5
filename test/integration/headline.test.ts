// The headline on the demo shop, through the whole pipeline with real PostgreSQL memory and
// Redis: a follow-up's filter is named, a learned list length is said as an assumption, and a
// cut list says how many rows exist — checked against the shop's own rows, counted here.
import { describe, expect, it } from 'vitest';
import { answerMessage } from '../../src/bot/blocks/answer.ts';
import { answerText } from '../../src/cli/printAnswer.ts';
import { answerJson } from '../../src/render/answerJson.ts';
import { useDemoWorld } from '../helpers/demoWorld.ts';

const TEAM = 'T_HEADLINE';
const world = useDemoWorld(TEAM);

const ask = async (userId: string, question: string, thread = `${userId}-${question}`) => {
  const a = await world.ask(question, { userId, thread });
  expect(a.error, question).toBeNull();
  return a;
};

const money = (v: unknown) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(v));

const LAST_MONTH = `o.created_at >= date_trunc('month', now()) - interval '1 month'
  AND o.created_at < date_trunc('month', now())`;

describe('headlines on the demo shop', () => {
  it('names the country a follow-up "only Germany" added, with the period as dates', async () => {
    const first = await ask('U_DE', 'Total sales last month', 'thread-de');
    expect(first.summary).toMatch(/^Sales, last month \(1–\d\d \w{3} \d{4}\): \$/);
    const germany = await ask('U_DE', 'only Germany', 'thread-de');
    expect(germany.source).toBe('followup');
    const [germanSales] = await world.demo.target.query<{ sales: string }>(
      `SELECT sum(o.total) AS sales FROM orders o JOIN customers c ON c.id = o.customer_id
       WHERE c.country = 'Germany' AND ${LAST_MONTH}`,
    );
    expect(germany.summary).toMatch(/^Sales for customers in Germany, last month \(1–\d\d \w{3} \d{4}\): /);
    expect(germany.summary).toContain(money(germanSales!.sales));
    // The same words in the terminal, in Slack and in JSON.
    expect(answerText(germany).split('\n')[0]).toBe(germany.summary);
    expect(answerMessage(germany).text).toBe(germany.summary);
    expect(answerJson(germany).summary).toBe(germany.summary);
  });

  it('says a learned list length is assumed, and how many rows the cut list has', async () => {
    for (const q of [
      'Top 5 products by revenue last month',
      'top 5 customers by number of orders',
      'Which 5 cities have the most customers?',
    ])
      await ask('U_FIVE', q);
    const a = await ask('U_FIVE', 'Revenue by product last month');
    expect(a.sql).toMatch(/LIMIT 5$/);
    expect(a.assumptions).toContain(
      'at most 5 rows, the number you usually ask for (ask for another number to change it)',
    );
    expect(answerText(a)).toContain('  assumed: at most 5 rows, the number you usually ask for');
    expect(JSON.stringify(answerMessage(a).blocks)).toContain('assumed: at most 5 rows');
    expect(answerJson(a).assumptions).toEqual(a.assumptions);
    // Asked again in a new thread it comes from memory, and says the same.
    const again = await ask('U_FIVE', 'Revenue by product last month', 'U_FIVE-again');
    expect(again.source).toBe('memory');
    expect(again.assumptions).toContain(
      'at most 5 rows, the number you usually ask for (ask for another number to change it)',
    );

    const [counted] = await world.demo.target.query<{ n: string }>(
      `SELECT count(DISTINCT oi.product_id) AS n FROM order_items oi JOIN orders o ON o.id = oi.order_id
       WHERE ${LAST_MONTH}`,
    );
    const products = Number(counted!.n);
    expect(products).toBeGreaterThan(5);
    expect(a.totalRows).toBe(products);
    expect(a.summary).toContain(`: top 5 of ${products.toLocaleString('en-US')} products; top: `);

    // A question that names its number assumes nothing.
    const seven = await ask('U_FIVE', 'Top 7 products by revenue last month');
    expect(seven.assumptions.join(' ')).not.toContain('usually ask for');
    expect(seven.summary).toContain(`top 7 of ${products.toLocaleString('en-US')} products`);
  });

  it('counts a cut list whose plan filters on a value, as the answer filters', async () => {
    const a = await ask('U_DONE', 'list the completed orders');
    const [counted] = await world.demo.target.query<{ n: string }>(
      `SELECT count(*) AS n FROM orders WHERE status = 'completed'`,
    );
    const completed = Number(counted!.n);
    expect(completed).toBeGreaterThan(100);
    expect(a.totalRows).toBe(completed);
    expect(a.summary).toBe(
      `Orders with status completed: first 100 of ${completed.toLocaleString('en-US')} orders`,
    );
  });

  it('counts nothing when a list is whole', async () => {
    const a = await ask('U_WHOLE', 'Sales by customer segment');
    expect(a.totalRows).toBeUndefined();
    expect(a.timings.count).toBeUndefined();
    expect(a.summary).toMatch(/^Sales by segment: 2 segments; top: \w+ with \$/);
  });
});
