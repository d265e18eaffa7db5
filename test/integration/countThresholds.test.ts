// Conditions on how many related rows an entity has, through the whole pipeline on the demo
// shop with real PostgreSQL and Redis, each checked against the shop's own rows counted here: a
// list over a count shows the counts, a count of entities and a list under a threshold keep the
// entities with none, absence ("never ordered") and averages per entity count those with none as
// 0, a threshold on a total is read as one only when the question says so, and follow-ups edit
// these plans and say what changed.
import { describe, expect, it } from 'vitest';
import { useDemoWorld } from '../helpers/demoWorld.ts';

const TEAM = 'T_THRESHOLDS';
const world = useDemoWorld(TEAM);

const ask = async (question: string, thread: string) => {
  const a = await world.ask(question, { userId: 'U_T', thread });
  expect(a.error, question).toBeNull();
  return a;
};

const count = async (sql: string) => Number((await world.demo.target.query<{ n: string }>(sql))[0]!.n);
const ORDERS_OF = '(SELECT count(*) FROM orders o WHERE o.customer_id = c.id)';

describe('thresholds on related rows on the demo shop', () => {
  it('lists the customers over a count with their counts, and edits the list in the thread', async () => {
    const over = await count(`SELECT count(*) AS n FROM customers c WHERE ${ORDERS_OF} > 3`);
    const a = await ask('customers with more than 3 orders', 'thread-over');
    expect(a.totalRows ?? a.rowCount).toBe(over);
    expect(a.summary).toMatch(/^Orders by customer with more than 3 orders: /);
    expect(a.rows.every((r) => Number(r[1]) > 3)).toBe(true);

    const germans = await count(
      `SELECT count(*) AS n FROM customers c WHERE c.country = 'Germany' AND ${ORDERS_OF} > 3`,
    );
    const germany = await ask('only Germany', 'thread-over');
    expect(germany.source).toBe('followup');
    expect(germany.summary).toMatch(/^Orders for customers in Germany by customer with more than 3 orders: /);
    expect(germany.totalRows ?? germany.rowCount).toBe(germans);
  });

  it('counts entities over and under a count, those without any rows included', async () => {
    const many = await ask('how many customers have more than 3 orders', 'thread-count');
    expect(many.rows).toEqual([
      [await count(`SELECT count(*) AS n FROM customers c WHERE ${ORDERS_OF} > 3`)],
    ]);
    expect(many.summary).toMatch(/^Customers with more than 3 orders: /);

    const none = await count(`SELECT count(*) AS n FROM customers c WHERE ${ORDERS_OF} = 0`);
    const few = await count(`SELECT count(*) AS n FROM customers c WHERE ${ORDERS_OF} < 2`);
    expect(none).toBeGreaterThan(0);
    const a = await ask('how many customers have fewer than 2 orders', 'thread-few');
    expect(a.rows).toEqual([[few]]);
  });

  it('keeps the customers who never ordered, and breaks them down in a follow-up', async () => {
    const none = await count(`SELECT count(*) AS n FROM customers c WHERE ${ORDERS_OF} = 0`);
    const a = await ask('customers who never ordered', 'thread-never');
    expect(a.totalRows ?? a.rowCount).toBe(none);
    expect(a.summary).toMatch(/^Customers with no orders: /);
    const byCountry = await ask('by country', 'thread-never');
    expect(byCountry.summary).toMatch(/^Customers with no orders by country: /);
    expect(byCountry.rows.reduce((sum, r) => sum + Number(r[1]), 0)).toBe(none);
  });

  it('averages a count over every customer, those with none as 0', async () => {
    const [expected] = await world.demo.target.query<{ avg: string }>(
      `SELECT avg(${ORDERS_OF}) AS avg FROM customers c`,
    );
    const a = await ask('average number of orders per customer', 'thread-avg');
    expect(Number(a.rows[0]?.[0])).toBeCloseTo(Number(expected!.avg), 6);
    expect(a.assumptions).toContain('every customer counted, those with no orders as 0');
  });

  it('keeps a threshold on each customer’s total only when the question says "in total"', async () => {
    const rich = await count(
      'SELECT count(*) AS n FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING sum(total) > 2000) x',
    );
    const a = await ask('which customers spent over 2000 in total', 'thread-total');
    expect(a.totalRows ?? a.rowCount).toBe(rich);
    const unsaid = await world.ask('which customers spent over 2000', {
      userId: 'U_T',
      thread: 'thread-unsaid',
    });
    expect(unsaid.error?.message).toContain('"over 2000" (on each row, or on the total?)');
    expect(unsaid.error?.readings?.[0]?.question).toBe('which customers spent over 2000 in total');
  });
});
