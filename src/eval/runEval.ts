import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError, isQuarryError } from '../errors.ts';
import { type AskContext, answer, type PipelineServices } from '../pipeline/answer.ts';
import { executeReadOnly } from '../pipeline/execute.ts';
import type { Answer } from '../pipeline/types.ts';
import { goldOrders, resultsMatch } from './compareResults.ts';

// `quarry eval`: execution accuracy on questions with gold SQL. Each case runs in a thread of
// its own (a `thread` case asks its questions in order and scores the last answer); a decline
// is counted apart from a wrong answer, since asking back is better than being wrong.

const Case = z.union([
  z.object({ question: z.string().min(1), gold_sql: z.string().min(1), category: z.string().optional() }),
  z.object({
    thread: z.array(z.string().min(1)).min(1),
    gold_sql: z.string().min(1),
    category: z.string().optional(),
  }),
]);
export type EvalCase = z.infer<typeof Case>;

export type Outcome = 'correct' | 'wrong' | 'declined' | 'failed';

export interface CaseResult {
  question: string;
  category: string;
  outcome: Outcome;
  source: Answer['source'];
  sql: string | null;
  detail?: string;
}

export interface Tally {
  total: number;
  correct: number;
  wrong: number;
  declined: number;
  failed: number;
}

export interface EvalReport {
  results: CaseResult[];
  byCategory: Record<string, Tally>;
  bySource: Record<string, Tally>;
  overall: Tally;
}

export async function readCases(file: string): Promise<EvalCase[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ConfigError(
      `Can't read ${file}; give the path of a JSONL file of {"question","gold_sql"} lines.`,
    );
  }
  return text
    .split('\n')
    .map((l, i) => [l.trim(), i + 1] as const)
    .filter(([l]) => l)
    .map(([l, n]) => {
      try {
        return Case.parse(JSON.parse(l));
      } catch {
        throw new ConfigError(
          `Line ${n} of ${file} is not a {"question","gold_sql"} or {"thread":[…],"gold_sql"} object.`,
        );
      }
    });
}

const empty = (): Tally => ({ total: 0, correct: 0, wrong: 0, declined: 0, failed: 0 });

function add(t: Tally, o: Outcome) {
  t.total++;
  t[o]++;
}

export async function runEval(
  cases: EvalCase[],
  services: PipelineServices,
  ctx: Omit<AskContext, 'session'>,
): Promise<EvalReport> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    const questions = 'thread' in c ? c.thread : [c.question];
    const session = { teamId: ctx.teamId, channelId: 'eval', threadTs: randomUUID() };
    let a: Answer | undefined;
    for (const q of questions) a = await answer(q, { ...ctx, session }, services);
    const last = a!;
    const base = {
      question: questions.join(' → '),
      category: c.category ?? 'uncategorized',
      source: last.source,
      sql: last.sql,
    };
    if (last.error) {
      results.push({
        ...base,
        outcome: last.error.kind === 'not_understood' ? 'declined' : 'failed',
        detail: last.error.message,
      });
      continue;
    }
    try {
      const gold = await executeReadOnly(services.target, c.gold_sql, [], {
        timeoutMs: services.limits.statementTimeoutMs,
        maxRows: services.limits.maxRows,
        timeZone: ctx.timeZone,
      });
      const ok = resultsMatch(
        { columns: gold.columns.map((x) => x.name), rows: gold.rows },
        { columns: last.columns.map((x) => x.name), rows: last.rows },
        await goldOrders(c.gold_sql),
      );
      results.push({ ...base, outcome: ok ? 'correct' : 'wrong' });
    } catch (e) {
      results.push({
        ...base,
        outcome: 'failed',
        detail: `gold SQL failed: ${isQuarryError(e) ? (e.detail ?? e.userMessage) : String(e)}`,
      });
    }
  }
  const report: EvalReport = { results, byCategory: {}, bySource: {}, overall: empty() };
  const bucket = (map: Record<string, Tally>, key: string) => {
    map[key] ??= empty();
    return map[key];
  };
  for (const r of results) {
    add(bucket(report.byCategory, r.category), r.outcome);
    add(bucket(report.bySource, r.source ?? 'none'), r.outcome);
    add(report.overall, r.outcome);
  }
  return report;
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '—');

export function reportText(report: EvalReport, verbose = false): string {
  const lines: string[] = [];
  if (verbose) {
    for (const r of report.results) {
      const mark = { correct: '✓', wrong: '✗', declined: '?', failed: '!' }[r.outcome];
      lines.push(
        `${mark} [${r.category}] ${r.question}${r.detail ? `\n    ${r.detail}` : ''}${r.outcome === 'wrong' && r.sql ? `\n    ${r.sql.replace(/\n/g, '\n    ')}` : ''}`,
      );
    }
    lines.push('');
  }
  const row = (name: string, t: Tally) =>
    `| ${name} | ${t.total} | ${t.correct} | ${t.wrong} | ${t.declined} | ${t.failed} | ${pct(t.correct, t.total)} |`;
  lines.push(
    '| category | questions | correct | wrong | declined | failed | accuracy |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const [k, t] of Object.entries(report.byCategory).sort()) lines.push(row(k, t));
  lines.push(row('**overall**', report.overall), '');
  lines.push('| planner | answered | correct | accuracy |', '|---|---:|---:|---:|');
  for (const [k, t] of Object.entries(report.bySource).sort())
    lines.push(`| ${k} | ${t.total} | ${t.correct} | ${pct(t.correct, t.total)} |`);
  return `${lines.join('\n')}\n`;
}
