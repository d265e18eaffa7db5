// A thread goes on after a question asked back, through the whole pipeline on the demo shop with
// real PostgreSQL memory and Redis: the readings offered come out in JSON and the terminal, a
// reply picks one by its number, a short reply is read with the question it answers, and a
// number past the readings is asked back again, never read as a number.
import { describe, expect, it } from 'vitest';
import { answerText } from '../../src/cli/printAnswer.ts';
import { answerJson } from '../../src/render/answerJson.ts';
import { useDemoWorld } from '../helpers/demoWorld.ts';

const TEAM = 'T_ASKBACK';
const world = useDemoWorld(TEAM);
const ask = (question: string, thread: string) => world.ask(question, { userId: 'U_ASK', thread });

const TOP_PRODUCT_BY_REVENUE = `SELECT p.name, sum(i.price * i.quantity) AS revenue
  FROM order_items i JOIN products p ON p.id = i.product_id
  GROUP BY p.id, p.name ORDER BY revenue DESC LIMIT 1`;

describe('asking back on the demo shop', () => {
  it('offers readings in JSON and the terminal, and a reply "3" answers the third', async () => {
    const asked = await ask('best products', 'thread-pick');
    expect(asked.error?.kind).toBe('not_understood');
    const readings = asked.error!.readings!;
    expect(readings).toHaveLength(3);
    expect(answerJson(asked).error?.readings).toEqual(readings);
    const text = answerText(asked, null, { inThread: true });
    expect(text).toContain('Did you mean one of these? Reply with its number.');
    for (const [i, r] of readings.entries())
      expect(text).toContain(`    ${i + 1}. ${r.label}   ("${r.question}")`);

    const picked = await ask('3', 'thread-pick');
    expect(picked.error).toBeNull();
    expect(picked.question).toBe(readings[2]!.question);
    expect(picked.summary.startsWith(`${readings[2]!.label.replace(/, top 100$/, '')}: `)).toBe(true);
    const [top] = await world.demo.target.query<{ name: string; units: string }>(
      `SELECT p.name, sum(i.quantity) AS units FROM order_items i JOIN products p ON p.id = i.product_id
       GROUP BY p.id, p.name ORDER BY units DESC LIMIT 1`,
    );
    expect(readings[2]!.question).toBe('best products by units sold');
    expect(picked.rows[0]).toEqual([top!.name, Number(top!.units)]);
  });

  it('reads a short reply with the question it answers, and says so', async () => {
    await ask('best products', 'thread-join');
    const joined = await ask('by revenue', 'thread-join');
    expect(joined.error).toBeNull();
    expect(joined.question).toBe('best products by revenue');
    expect(joined.notes).toContain('Read with your earlier question "best products".');
    const [top] = await world.demo.target.query<{ name: string; revenue: string }>(TOP_PRODUCT_BY_REVENUE);
    expect(joined.rows[0]?.[0]).toBe(top!.name);
    expect(Number(joined.rows[0]?.[1])).toBeCloseTo(Number(top!.revenue), 2);
  });

  it('asks again for a number past the readings, and a long new question is answered on its own', async () => {
    await ask('best products', 'thread-past');
    const past = await ask('7', 'thread-past');
    expect(past.error?.message).toMatch(/reply with a number from 1 to 3/);
    expect(past.error?.readings).toHaveLength(3);
    expect(past.sql).toBeNull();
    // Still the same question back: a short reply is read with it, not with the "7".
    const joined = await ask('by revenue', 'thread-past');
    expect(joined.question).toBe('best products by revenue');
    await ask('top customers', 'thread-past');
    // A short reply that is a question of its own is answered as one.
    const own = await ask('how many customers', 'thread-past');
    expect(own.question).toBe('how many customers');
    expect(own.notes.join(' ')).not.toContain('earlier question');
    await ask('top customers', 'thread-past');
    const fresh = await ask('How many customers do we have in Germany and France?', 'thread-past');
    expect(fresh.error).toBeNull();
    expect(fresh.question).toBe('How many customers do we have in Germany and France?');
    expect(fresh.notes.join(' ')).not.toContain('earlier question');
  });
});
