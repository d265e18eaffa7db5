// Memory and target in one database: Quarry's own tables (every team's questions and patterns,
// Slack installations with their tokens) are denied like any other, so no question or raw
// plan reads them, and the planner never sees them.
import { describe, expect, it } from 'vitest';
import { memoryTableNames } from '../../src/access/memoryTables.ts';
import { expectHarmless, expectRefused, throwawayShopForFile } from '../helpers/throwawayShop.ts';

const fixture = throwawayShopForFile({ sharedMemory: true }, async (shop) => {
  expect(shop.targetUrl).toBe(shop.memoryUrl);
  await shop.ask('total sales last month', { teamId: 'T2', userId: 'U2' });
  await shop.admin.exec(
    `INSERT INTO slack_installations (install_id, team_id, installation) VALUES ('T2', 'T2', '{"bot":{"token":"xoxb-secret-shared"}}')`,
  );
});

describe("Quarry's own tables when they share the target database", () => {
  it('are all denied and absent from the schema', async () => {
    const names = await memoryTableNames();
    const schema = await fixture.shop.runtime.pipeline.schemaLayers[0]!.get(
      fixture.shop.runtime.pipeline.target.label,
    );
    const visible = schema!.tables.map((t) => t.name);
    expect(visible).toContain('orders');
    for (const name of names) expect(visible).not.toContain(name);
  });

  it.each([
    'SELECT * FROM user_query_history',
    'SELECT question FROM public.user_query_history WHERE team_id = $$T2$$',
    'SELECT * FROM query_embeddings',
    'SELECT installation FROM slack_installations',
    'SELECT * FROM schema_cache',
    'SELECT * FROM user_profiles',
    'SELECT * FROM system_learnings',
    'SELECT * FROM team_definitions',
    'SELECT * FROM schema_migrations',
    'SELECT * FROM orders WHERE id IN (SELECT id FROM user_query_history)',
  ])('refuses a raw plan reading them: %s', async (sql) => {
    await expectRefused(fixture, await fixture.shop.runSql(sql));
  });

  it.each([
    'show user query history',
    'list slack installations',
    'what questions did team T2 ask',
    'show the query embeddings',
  ])('answers a question about them without reading them: %s', async (question) => {
    const a = await fixture.shop.ask(question);
    await expectHarmless(fixture, a);
    expect(a.sql ?? '').not.toMatch(/user_query_history|slack_installations|query_embeddings/);
    expect(JSON.stringify(a.rows)).not.toContain('xoxb-secret-shared');
  });
});
