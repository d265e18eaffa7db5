// `quarry ask` as a person runs it: a new process from start to answer, against `node -e 0` in
// the same run (the floor any Node command pays on this machine). Three set-ups, runs interleaved:
//   external — the question to a PostgreSQL URL (--database-url), memory in MEMORY_DATABASE_URL
//   memory   — --database-url only: the embedded memory, warm (no demo shop is made)
//   embedded — nothing configured: the embedded demo shop and memory, warm
// and the first answer on a fresh data directory with --database-url only, with and without this
// machine's cached snapshot of an empty memory store (a fresh TMPDIR hides it). Every run starts
// from the JavaScript build bin/quarry.js uses (bin/prebuilt.js), made current first; the time a
// new build takes (the first run after a change or an install) is printed on its own.
// Prints median wall ms to the first byte of the answer and to exit, the ratio to `node -e 0`,
// and the median peak RSS (each child reports its own getrusage maxrss at exit: maxRssAtExit.cjs).
// Needs the local PostgreSQL with pgvector (TEST_PG_URL).
//   node --import tsx bench/cli-start.ts [runs=5]

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, currentBuild } from '../bin/prebuilt.js';
import { postgresDb } from '../src/db/postgres.ts';
import { loadDemo } from '../src/demo/load.ts';
import { createTestDatabase } from '../test/helpers/services.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/quarry.js', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./maxRssAtExit.cjs', import.meta.url));
const QUESTION = 'how many orders';

interface Sample {
  /** Spawn to the first byte on stdout (the answer), ms; exit when nothing is printed. */
  answerMs: number;
  exitMs: number;
  maxRssMb: number;
}

let scratch = '';

/** One child process, timed from spawn; fails loudly if it did not exit 0. */
async function measure(args: string[], env: Record<string, string>): Promise<Sample> {
  const rssFile = join(scratch, `rss-${Math.random().toString(36).slice(2)}`);
  const start = performance.now();
  let firstByte: number | undefined;
  const child = spawn(process.execPath, ['--require', PRELOAD, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'error',
      QUARRY_BENCH_RSS_FILE: rssFile,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.once('data', () => {
    firstByte = performance.now();
  });
  child.stdout.resume();
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const exitMs = performance.now() - start;
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}: ${stderr}`);
  const maxRssKb = Number(await readFile(rssFile, 'utf8'));
  return { answerMs: (firstByte ?? performance.now()) - start, exitMs, maxRssMb: maxRssKb / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function report(label: string, samples: Sample[], baseline?: number): void {
  const answer = median(samples.map((s) => s.answerMs));
  const exit = median(samples.map((s) => s.exitMs));
  const rss = median(samples.map((s) => s.maxRssMb));
  const ratio = baseline ? ` (${(answer / baseline).toFixed(1)}× node -e 0)` : '';
  const range =
    samples.length > 1
      ? `, range ${Math.round(Math.min(...samples.map((s) => s.answerMs)))}–${Math.round(Math.max(...samples.map((s) => s.answerMs)))}`
      : '';
  console.log(
    `${label.padEnd(46)} answer ${Math.round(answer)} ms${ratio}${range}; exit ${Math.round(exit)} ms; peak RSS ${Math.round(rss)} MB`,
  );
}

const runs = Number(process.argv[2] ?? 5);
const buildStart = performance.now();
await build(ROOT);
const buildMs = performance.now() - buildStart;
if (!currentBuild(ROOT)) throw new Error('a source changed during the build: run the bench again');
const [shop, memory] = await Promise.all([createTestDatabase(), createTestDatabase({ vector: true })]);
scratch = await mkdtemp(join(tmpdir(), 'quarry-bench-cli-'));
try {
  const db = postgresDb(shop.url);
  await loadDemo(db, { scale: 0.05 });
  await db.close();

  const ask = ['--database-url', shop.url];
  const dirs = { memory: join(scratch, 'memory-home'), embedded: join(scratch, 'embedded-home') };
  const setups = {
    external: () =>
      measure([BIN, 'ask', QUESTION, ...ask], {
        QUARRY_DATA_DIR: join(scratch, 'ext'),
        MEMORY_DATABASE_URL: memory.url,
      }),
    memory: () => measure([BIN, 'ask', QUESTION, ...ask], { QUARRY_DATA_DIR: dirs.memory }),
    embedded: () => measure([BIN, 'ask', QUESTION], { QUARRY_DATA_DIR: dirs.embedded }),
  };
  // First answers: on a fresh data directory (the snapshot made beforehand if this machine has
  // none), then warm-up runs that leave the stores as a person's second command finds them.
  await measure([BIN, 'ask', QUESTION, ...ask], { QUARRY_DATA_DIR: join(scratch, 'snapshot-home') });
  const firstWithSnapshot = await setups.memory();
  const noSnapshotTmp = await mkdtemp(join(scratch, 'tmp-'));
  const firstWithoutSnapshot = await measure([BIN, 'ask', QUESTION, ...ask], {
    QUARRY_DATA_DIR: join(scratch, 'fresh-home'),
    TMPDIR: noSnapshotTmp,
  });
  await setups.embedded();
  await setups.external();

  const samples: Record<'node' | keyof typeof setups, Sample[]> = {
    node: [],
    external: [],
    memory: [],
    embedded: [],
  };
  for (let i = 0; i < runs; i++) {
    samples.node.push(await measure(['-e', '0'], {}));
    for (const [name, run] of Object.entries(setups)) samples[name as keyof typeof setups].push(await run());
  }
  const floor = median(samples.node.map((s) => s.exitMs));
  console.log(`quarry ask "${QUESTION}", median of ${runs} runs each, interleaved`);
  report('node -e 0', samples.node);
  report('external services (PostgreSQL + memory URL)', samples.external, floor);
  report('--database-url only (embedded memory, warm)', samples.memory, floor);
  report('nothing configured (embedded demo + memory)', samples.embedded, floor);
  report('first answer, fresh data dir, --database-url', [firstWithSnapshot], floor);
  report('  same, fresh TMPDIR (no snapshot: initdb)', [firstWithoutSnapshot], floor);
  console.log(`${'a new build of the sources (bin/prebuilt.js)'.padEnd(46)} ${Math.round(buildMs)} ms`);
} finally {
  await Promise.all([shop.drop(), memory.drop()]);
  await rm(scratch, { recursive: true, force: true });
}
