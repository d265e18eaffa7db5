// Memory and time of one answer under results wide in bytes, with the default size cap
// (QUARRY_MAX_RESULT_BYTES, 5 MB): a thousand rows of 4.5 MB each, and one value of 2.6 MB,
// against a small query in the same process first. Peak RSS is the process's high-water mark,
// so each line shows how far that answer pushed it. Run: node --import tsx bench/wideResult.ts
import { answerText } from '../src/cli/printAnswer.ts';
import { summarize } from '../src/pipeline/present.ts';
import { runRawSqlPlan } from '../test/helpers/rawSqlPlan.ts';
import { createTestDatabase } from '../test/helpers/services.ts';
import { openTestRuntime } from '../test/helpers/testRuntime.ts';

const target = await createTestDatabase();
const memory = await createTestDatabase({ vector: true });
const runtime = await openTestRuntime({
  DATABASE_URL: target.url,
  MEMORY_DATABASE_URL: memory.url,
  LOG_LEVEL: 'silent',
});
const peakMb = () => process.resourceUsage().maxRSS / 1024;

async function measure(label: string, sql: string): Promise<void> {
  const started = performance.now();
  const a = await runRawSqlPlan(runtime.pipeline, { teamId: 'T', userId: 'U' }, sql);
  const summary = a.error ? a.error.message : summarize(a, {});
  answerText({ ...a, summary });
  const ms = performance.now() - started;
  console.log(
    `${label}: ${a.rows.length} rows kept (truncated by ${a.truncatedBy ?? 'nothing'}), ${ms.toFixed(0)} ms, peak RSS ${peakMb().toFixed(0)} MB`,
  );
}

try {
  console.log(`start: peak RSS ${peakMb().toFixed(0)} MB`);
  await measure('baseline, a small query', 'SELECT g, md5(g::text) FROM generate_series(1, 100) g');
  await measure('one 2.6 MB value', "SELECT repeat('x', 2600000) AS v");
  await measure('1001 rows of 4.5 MB', "SELECT repeat('x', 4500000) AS v FROM generate_series(1, 1001)");
} finally {
  await runtime.close();
  await target.drop();
  await memory.drop();
}
