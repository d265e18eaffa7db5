// A six-panel /usual on the demo shop, end to end (choose panels from history, run every panel
// and its previous period on the pool, draw the combined image), and the same panels run one
// after another for comparison. The shop is loaded into a fresh PostgreSQL database (scale 1 ≈
// 50,000 orders); the history is made by asking six questions through the real pipeline.
// Target: p50 ≤ 300 ms end to end. Needs the local PostgreSQL with pgvector (TEST_PG_URL).
//   node --import tsx bench/usual.ts [scale=1] [runs=30]

import { createLogger } from '../src/log.ts';
import { memoryKv } from '../src/memory/memoryKv.ts';
import { answer } from '../src/pipeline/index.ts';
import { choosePanels } from '../src/usual/choosePanels.ts';
import { buildUsualDashboard } from '../src/usual/dashboard.ts';
import { runPanels } from '../src/usual/runPanels.ts';
import { openDemoPipeline } from '../test/helpers/demoPipeline.ts';

const [scale = 1, runs = 30] = process.argv.slice(2).map(Number);
const WARM_UP = 3;
const TARGET_MS = 300;
const ASKS_PER_QUESTION = 3;
const QUESTIONS = [
  'Show me total sales for last month',
  "Break down last month's sales by product category",
  'What were our top selling products last week?',
  'Monthly sales over the last 12 months',
  'How many customers by country?',
  'How many orders by status last month?',
];
const who = { teamId: 'T-bench', userId: 'U-bench' };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function sample(work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARM_UP; i++) await work();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

let start = performance.now();
const demo = await openDemoPipeline({ scale });
try {
  const { orders, orderItems } = demo.loaded;
  console.log(`demo shop at scale ${scale}: ${orders} orders, ${orderItems} order lines`);
  console.log(`  loaded (with the memory database migrated) in ${fmt(performance.now() - start)}`);
  const services = demo.services({ kv: memoryKv(), log: createLogger('warn'), statementTimeoutMs: 15_000 });
  start = performance.now();
  for (let i = 0; i < ASKS_PER_QUESTION; i++) {
    for (const q of QUESTIONS) {
      const a = await answer(q, who, services);
      if (a.error) throw new Error(`"${q}" failed: ${a.error.message}`);
    }
  }
  console.log(
    `history: ${QUESTIONS.length * ASKS_PER_QUESTION} questions asked in ${fmt(performance.now() - start)}`,
  );

  const { panels: sources } = await choosePanels(demo.memory, who);
  console.log(`panels: ${sources.length}`);
  const endToEnd = await sample(async () => {
    const d = await buildUsualDashboard(services, who);
    if (d.panels.length !== sources.length || d.panels.some((p) => p.answer.error))
      throw new Error('a panel failed');
  });
  const parallel = await sample(() => runPanels(services, sources, who));
  const sequential = await sample(async () => {
    for (const s of sources) await runPanels(services, [s], who);
  });

  const p50 = percentile(endToEnd, 50);
  console.log(`\n/usual end to end (${runs} runs after ${WARM_UP} warm-up):`);
  console.log(
    `  p50 ${fmt(p50)}  p95 ${fmt(percentile(endToEnd, 95))}  target ≤ ${TARGET_MS} ms: ${p50 <= TARGET_MS ? 'met' : 'MISSED'}`,
  );
  const par = percentile(parallel, 50);
  const seq = percentile(sequential, 50);
  console.log('panel queries only (each panel and its previous period):');
  console.log(
    `  in parallel p50 ${fmt(par)}  one after another p50 ${fmt(seq)}  ratio ${(seq / par).toFixed(2)}×`,
  );
  console.log(`  image and the rest: ≈ ${fmt(p50 - par)} of the end-to-end p50`);
} finally {
  await demo.close();
}
