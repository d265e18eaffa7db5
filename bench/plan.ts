// Offline planning and compiling cost on the demo shop's schema, and memory use of a huge read
// under the row cap. Run: node --import tsx bench/plan.ts
import { readFileSync } from 'node:fs';
import { postgresDb } from '../src/db/postgres.ts';
import { compilePlan } from '../src/pipeline/compile.ts';
import { executeReadOnly } from '../src/pipeline/execute.ts';
import { guardSql } from '../src/pipeline/guard.ts';
import { planQuestion } from '../src/pipeline/plan.ts';
import { planOffline } from '../src/pipeline/planner/offline.ts';
import { SchemaLexicon } from '../src/pipeline/planner/schemaLexicon.ts';
import { shopSchema } from '../test/fixtures/shopSchema.ts';
import { TEST_PG_ADMIN_URL } from '../test/helpers/services.ts';

const questions = readFileSync(new URL('../test/fixtures/demo/questions.dev.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => (JSON.parse(l) as { question: string }).question);

const lexicon = new SchemaLexicon(shopSchema);
const times: number[] = [];
for (let round = 0; round < 50; round++) {
  for (const q of questions) {
    const start = performance.now();
    const d = planOffline(q, { schema: shopSchema, lexicon, defaultLimit: 100 });
    compilePlan(d.plan, shopSchema, { defaultLimit: 100, maxRows: 1000 });
    if (round > 4) times.push(performance.now() - start);
  }
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.floor((p / 100) * times.length)]!.toFixed(3);
console.log(
  `offline plan + compile over ${times.length} questions: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms`,
);

// Asking back costs a rewrite planned per reading tried: a declined question with its
// readings (planQuestion) against the bare decline (planOffline throwing) in the same run.
const declined = [
  'sales by categry',
  'top customers',
  'best products',
  'highest price by category',
  'which customers spent over 5000',
  'customers who never ordered',
  'revenue per order last month',
  'price by category',
];
const timeDecline = (decline: (q: string) => unknown) => {
  const spent: number[] = [];
  for (let round = 0; round < 50; round++)
    for (const q of declined) {
      const start = performance.now();
      try {
        decline(q);
      } catch {
        if (round > 4) spent.push(performance.now() - start);
      }
    }
  spent.sort((a, b) => a - b);
  return (p: number) => spent[Math.floor((p / 100) * spent.length)]!;
};
const bare = timeDecline((q) => planOffline(q, { schema: shopSchema, lexicon, defaultLimit: 100 }));
const asked = timeDecline((q) =>
  planQuestion({ question: q, schema: shopSchema, defaultLimit: 100, maxRows: 1000 }),
);
console.log(
  `declined with readings over ${declined.length} questions: p50 ${asked(50).toFixed(3)} ms, p95 ${asked(95).toFixed(3)} ms (bare decline p50 ${bare(50).toFixed(3)} ms, ${(asked(50) / bare(50)).toFixed(1)}×)`,
);

// A 10-million-row result read through the guard and the cursor: the cap keeps memory flat.
const db = postgresDb(TEST_PG_ADMIN_URL);
const sql = (
  await guardSql('SELECT g AS n, md5(g::text) AS label FROM generate_series(1, 10000000) g', {
    maxRows: 1000,
  })
).sql;
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const start = performance.now();
const result = await executeReadOnly(db, sql, [], { timeoutMs: 60_000, maxRows: 1000 });
const ms = performance.now() - start;
const heapAfter = process.memoryUsage().heapUsed;
console.log(
  `10M-row question under the row cap: ${result.rows.length} rows, truncated=${result.truncated}, ${ms.toFixed(0)} ms, heap +${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB`,
);
await db.close();
