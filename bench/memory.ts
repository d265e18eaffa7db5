// Memory paths end to end on the demo shop (scale 1) with real PostgreSQL + pgvector and Redis:
// a repeated question answered from memory, a follow-up in a thread, and the planned path,
// measured in the same run; then how many repeated questions memory answers after 50 varied
// ones. Run: node --import tsx bench/memory.ts
import { answer } from '../src/pipeline/index.ts';
import type { Runtime } from '../src/runtime.ts';
import { openDemoRuntime } from '../test/helpers/demoRuntime.ts';

const ROUNDS = 40;
const TEAM = 'bench';

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function timedAnswer(runtime: Runtime, q: string, user: string, thread: string) {
  const start = performance.now();
  const a = await answer(
    q,
    { teamId: TEAM, userId: user, session: { teamId: TEAM, channelId: 'C', threadTs: thread } },
    runtime.pipeline,
  );
  return { a, ms: performance.now() - start };
}

async function learned(runtime: Runtime, user: string, n: number) {
  for (let i = 0; i < 200; i++) {
    const [row] = await runtime.memoryDb.query<{ n: string }>(
      'SELECT count(*) AS n FROM user_query_history WHERE team_id = $1 AND user_id = $2',
      [TEAM, user],
    );
    if (Number(row!.n) >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const MEASURES = ['total sales', 'revenue', 'number of orders', 'average order value', 'units sold'];
const GROUPS = ['', ' by country', ' by product category', ' by customer segment', ' by status'];
const PERIODS = [' last month', ' this year', ' last week', ' in the last 30 days'];

function variedQuestions(n: number): string[] {
  const out: string[] = [];
  for (const m of MEASURES) for (const g of GROUPS) for (const p of PERIODS) out.push(`${m}${g}${p}`);
  return out.slice(0, n);
}

async function main() {
  const demo = await openDemoRuntime({ scale: 1, redis: true });
  const { runtime } = demo;
  try {
    const question = 'Show me total sales for last month';
    const cold = await timedAnswer(runtime, question, 'first', 'cold');
    await learned(runtime, 'first', 1);

    // Planned path: a new user each time (no pattern of their own), warm schema cache.
    const planned: number[] = [];
    for (let i = 0; i < ROUNDS; i++)
      planned.push((await timedAnswer(runtime, question, `new-${i}`, `p-${i}`)).ms);

    // Memory path: one experienced user asking again in new threads.
    for (let i = 0; i < 3; i++) await timedAnswer(runtime, question, 'regular', `warm-${i}`);
    await learned(runtime, 'regular', 3);
    const memoryHits: number[] = [];
    let hits = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const { a, ms } = await timedAnswer(runtime, question, 'regular', `m-${i}`);
      memoryHits.push(ms);
      if (a.source === 'memory') hits++;
    }

    // Follow-ups: each in its own thread, after the thread's first question.
    const followups: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await timedAnswer(runtime, question, 'analyst', `f-${i}`);
      followups.push(
        (await timedAnswer(runtime, 'Now break that down by product category', 'analyst', `f-${i}`)).ms,
      );
    }

    // 50 varied questions, then the same 50 again in new threads.
    const varied = variedQuestions(50);
    for (const [i, q] of varied.entries()) await timedAnswer(runtime, q, 'varied', `v1-${i}`);
    await learned(runtime, 'varied', varied.length);
    let fromMemory = 0;
    let answered = 0;
    for (const [i, q] of varied.entries()) {
      const { a } = await timedAnswer(runtime, q, 'varied', `v2-${i}`);
      if (!a.error) answered++;
      if (a.source === 'memory') fromMemory++;
    }

    const p50 = (v: number[]) => percentile(v, 50).toFixed(1);
    const p95 = (v: number[]) => percentile(v, 95).toFixed(1);
    console.log('demo shop scale 1, real PostgreSQL + pgvector and Redis');
    console.log('| path | p50 ms | p95 ms | vs planned |');
    console.log('|---|---:|---:|---:|');
    console.log(`| cold start (first question, schema discovery) | ${cold.ms.toFixed(1)} | — | — |`);
    console.log(`| planned (offline rules, warm schema) | ${p50(planned)} | ${p95(planned)} | 1.00× |`);
    console.log(
      `| memory hit (${hits}/${ROUNDS} from memory) | ${p50(memoryHits)} | ${p95(memoryHits)} | ${(percentile(memoryHits, 50) / percentile(planned, 50)).toFixed(2)}× |`,
    );
    console.log(
      `| follow-up in a thread | ${p50(followups)} | ${p95(followups)} | ${(percentile(followups, 50) / percentile(planned, 50)).toFixed(2)}× |`,
    );
    console.log(
      `repeated questions answered from memory after ${varied.length} varied ones: ${fromMemory}/${answered} answered (${((100 * fromMemory) / Math.max(1, answered)).toFixed(0)}%)`,
    );
  } finally {
    await demo.close();
  }
}

await main();
