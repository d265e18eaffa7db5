// SQL a model wrote that would reach a user's function shadowing PostgreSQL's own: it never runs,
// so it is never remembered as a pattern and never fires again from memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { throwawayShopForFile } from '../helpers/throwawayShop.ts';

const QUESTION = 'what does the quarterly shadow audit look like';
const HOSTILE_SQL = 'SELECT lower(count(*)::int) AS audit FROM orders';
const env: Record<string, string> = {};
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  Object.assign(env, { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'test-key' });
});

const fixture = throwawayShopForFile({ env }, async (shop) => {
  await shop.admin.exec(
    `CREATE FUNCTION public.lower(integer) RETURNS text LANGUAGE sql AS $f$ SELECT 'trap-fired' $f$`,
  );
});

afterAll(async () => {
  await fake?.close();
});

const sqlReply = {
  tool: { action: 'sql', explanation: 'The audit.', assumptions: [], sql: HOSTILE_SQL, expect_rows: true },
};

describe('remembered SQL', () => {
  it('never stores a model’s SQL that reaches a shadowing function, nor answers from it later', async () => {
    for (let round = 0; round < 2; round++) {
      fake.script(sqlReply, sqlReply, sqlReply);
      const a = await fixture.shop.ask(QUESTION);
      expect(a.error, a.summary).not.toBeNull();
      expect(JSON.stringify(a)).not.toContain('trap-fired');
      expect(a.source).not.toBe('memory');
    }
    // It may be kept as a failure (so it is never offered again), never as a success.
    const stored = await fixture.shop.memoryAdmin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM query_embeddings
        WHERE (coalesce(sql_template, '') LIKE '%lower%' OR plan::text LIKE '%lower%') AND success_count > 0`,
    );
    expect(stored[0]!.n).toBe(0);
    expect(fake.chatRequests().length).toBeGreaterThan(0);
  });
});
