// QUARRY_DENY=customers.email,staff_salaries: the denied column and table never appear in an
// answer, whatever the question or raw plan, and never reach the schema a planner sees or the
// memory that stores it. Raw SQL that would read them is among the red-team's hostile SQL
// (hostileSqlCases.ts), refused through every path that runs SQL.
import { describe, expect, it } from 'vitest';
import { schemaKey } from '../../src/pipeline/schema.ts';
import {
  expectHarmless,
  leakedSecrets,
  SECRET_EMAIL,
  SECRET_SALARY_NAME,
  throwawayShopForFile,
} from '../helpers/throwawayShop.ts';

const fixture = throwawayShopForFile();

describe('denied columns and tables', () => {
  it.each([
    'show customer emails',
    'list customers',
    'list customers by email',
    'email of customer 1',
    'customers whose email contains canary',
    'count customers by email',
    'show everything about customer 1',
    'customer contact details for Germany',
    'top 10 customers by sales with their email',
    'export all customer data',
    'show staff salaries',
    'average salary of staff',
    'who earns the most in staff salaries',
  ])('never shows them in an answer: %s', async (question) => {
    const a = await fixture.shop.ask(question);
    await expectHarmless(fixture, a);
    expect(a.sql ?? '').not.toMatch(/email|staff_salaries/i);
    expect(a.columns.map((c) => c.name)).not.toContain('email');
  });

  it('answers with the columns that are not denied', async () => {
    const a = await fixture.shop.runSql('SELECT id, name, country FROM customers ORDER BY id LIMIT 3');
    expect(a.error).toBeNull();
    expect(a.rows).toHaveLength(3);
    expect(leakedSecrets(a)).toEqual([]);
  });

  it('leaves them out of the schema every planner sees', async () => {
    const schema = await fixture.shop.runtime.pipeline.schemaLayers[0]!.get(
      fixture.shop.runtime.pipeline.target.label,
    );
    expect(schema).not.toBeNull();
    const customers = schema!.tables.find((t) => t.name === 'customers');
    expect(customers?.columns.map((c) => c.name)).toEqual([
      'id',
      'name',
      'country',
      'city',
      'segment',
      'created_at',
    ]);
    expect(schema!.tables.map((t) => t.name)).not.toContain('staff_salaries');
    expect(JSON.stringify(schema)).not.toContain(SECRET_EMAIL);
  });

  it('never stores them in memory: schema cache, history, patterns or Redis', async () => {
    await fixture.shop.ask('list customers', {
      session: { teamId: 'T1', channelId: 'C2', threadTs: 'denied-1' },
    });
    const [stored] = await fixture.shop.memoryAdmin.query<{ text: string }>(
      `SELECT concat_ws(' ', (SELECT string_agg(schema::text, ' ') FROM schema_cache),
                             (SELECT string_agg(concat_ws(' ', question, sql, plan::text), ' ') FROM user_query_history),
                             (SELECT string_agg(concat_ws(' ', question, sql_template, plan::text), ' ') FROM query_embeddings)) AS text`,
    );
    expect(stored!.text).toContain('customers');
    expect(stored!.text).not.toMatch(/"email"|staff_salaries|example\.com/);
    expect(stored!.text).not.toContain(SECRET_SALARY_NAME);
    const kv = fixture.shop.runtime.kv;
    const cached = await kv.get(schemaKey(fixture.shop.runtime.pipeline.target.label));
    expect(cached).toContain('customers');
    expect(cached).not.toMatch(/"email"|staff_salaries/);
    const session = await kv.get('session:T1:C2:denied-1');
    expect(session).toContain('customers');
    expect(session).not.toMatch(/"email"|staff_salaries|example\.com/);
  });
});
