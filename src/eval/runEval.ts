import { randomUUID } from 'node:crypto';
import type { Answer, Reading } from '../domain/types.ts';
import { isQuarryError } from '../errors.ts';
import { type AskContext, answer, executeReadOnly, type PipelineServices } from '../pipeline/index.ts';
import { type GoldResult, goldOrders, matchesAnyGold } from './compareResults.ts';
import type { EvalCase } from './readCases.ts';

// `quarry eval`: execution accuracy on questions with gold SQL. Each case runs in a thread of
// its own (a `thread` case asks its questions in order and scores the last answer); a decline
// is counted apart from a wrong answer, since asking back is better than being wrong.

export type Outcome = 'correct' | 'wrong' | 'declined' | 'error';

export interface CaseResult {
  id?: string;
  question: string;
  category: string;
  outcome: Outcome;
  source: Answer['source'];
  sql: string | null;
  detail?: string;
  /** A decline's readings offered, and which of them (1-based) gives the gold result. */
  readings?: { offered: number; right?: number };
}

export interface Tally {
  total: number;
  correct: number;
  wrong: number;
  declined: number;
  error: number;
}

export interface EvalReport {
  results: CaseResult[];
  /** Declines that offered readings, and those where one of the readings is right. */
  askedBack: { offered: number; right: number };
  byCategory: Record<string, Tally>;
  bySource: Record<string, Tally>;
  overall: Tally;
}

export const emptyTally = (): Tally => ({ total: 0, correct: 0, wrong: 0, declined: 0, error: 0 });

export function addTally(into: Tally, from: Tally): void {
  for (const k of Object.keys(into) as (keyof Tally)[]) into[k] += from[k];
}

function add(t: Tally, o: Outcome) {
  t.total++;
  t[o]++;
}

/** The gold variants that run; an error only when none does, since one is enough to score. */
async function goldResults(
  c: EvalCase,
  services: PipelineServices,
  timeZone: string | undefined,
): Promise<GoldResult[]> {
  const golds: GoldResult[] = [];
  let lastError: unknown;
  for (const sql of c.goldSql) {
    try {
      const r = await executeReadOnly(services.target, sql, [], {
        timeoutMs: services.limits.statementTimeoutMs,
        maxRows: services.limits.maxRows,
        timeZone,
      });
      golds.push({
        result: { columns: r.columns.map((x) => x.name), rows: r.rows },
        ordered: c.orderMatters ?? (await goldOrders(sql)),
      });
    } catch (e) {
      lastError = e;
    }
  }
  if (!golds.length) throw lastError;
  return golds;
}

/** Which reading (1-based) gives the gold result when picked; each asked in a thread of its own. */
async function rightReading(
  c: EvalCase,
  readings: Reading[],
  services: PipelineServices,
  ctx: Omit<AskContext, 'session'>,
): Promise<number | undefined> {
  const golds = await goldResults(c, services, ctx.timeZone);
  for (const [i, r] of readings.entries()) {
    const session = { teamId: ctx.teamId, channelId: 'eval', threadTs: randomUUID() };
    const a = await answer(r.question, { ...ctx, session }, services);
    if (!a.error && matchesAnyGold(golds, { columns: a.columns.map((x) => x.name), rows: a.rows }))
      return i + 1;
  }
  return undefined;
}

export async function runEval(
  cases: EvalCase[],
  services: PipelineServices,
  ctx: Omit<AskContext, 'session'>,
  onResult?: (result: CaseResult, done: number) => void,
): Promise<EvalReport> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    const session = { teamId: ctx.teamId, channelId: 'eval', threadTs: randomUUID() };
    let a: Answer | undefined;
    for (const q of c.questions) a = await answer(q, { ...ctx, session }, services);
    const last = a!;
    const base = {
      id: c.id,
      question: c.questions.join(' → '),
      category: c.category ?? 'uncategorized',
      source: last.source,
      sql: last.sql,
    };
    let result: CaseResult;
    if (last.error) {
      result = {
        ...base,
        outcome: last.error.kind === 'not_understood' ? 'declined' : 'error',
        detail: last.error.message,
      };
      const readings = last.error.readings ?? [];
      if (readings.length)
        result.readings = {
          offered: readings.length,
          right: await rightReading(c, readings, services, ctx).catch(() => undefined),
        };
    } else {
      try {
        const golds = await goldResults(c, services, ctx.timeZone);
        const ok = matchesAnyGold(golds, { columns: last.columns.map((x) => x.name), rows: last.rows });
        result = { ...base, outcome: ok ? 'correct' : 'wrong' };
      } catch (e) {
        result = {
          ...base,
          outcome: 'error',
          detail: `gold SQL failed: ${isQuarryError(e) ? (e.detail ?? e.userMessage) : String(e)}`,
        };
      }
    }
    results.push(result);
    onResult?.(result, results.length);
  }
  const report: EvalReport = {
    results,
    askedBack: {
      offered: results.filter((r) => r.readings).length,
      right: results.filter((r) => r.readings?.right).length,
    },
    byCategory: {},
    bySource: {},
    overall: emptyTally(),
  };
  const bucket = (map: Record<string, Tally>, key: string) => {
    map[key] ??= emptyTally();
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

export const tallyRow = (name: string, t: Tally) =>
  `| ${name} | ${t.total} | ${t.correct} | ${t.wrong} | ${t.declined} | ${t.error} | ${pct(t.correct, t.total)} |`;

export function reportText(report: EvalReport, verbose = false): string {
  const lines: string[] = [];
  if (verbose) {
    for (const r of report.results) {
      const mark = { correct: '✓', wrong: '✗', declined: '?', error: '!' }[r.outcome];
      lines.push(
        `${mark} [${r.category}] ${r.question}${r.detail ? `\n    ${r.detail}` : ''}${r.outcome === 'wrong' && r.sql ? `\n    ${r.sql.replace(/\n/g, '\n    ')}` : ''}`,
      );
    }
    lines.push('');
  }
  lines.push(
    '| category | questions | correct | wrong | declined | error | accuracy |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const [k, t] of Object.entries(report.byCategory).sort()) lines.push(tallyRow(k, t));
  lines.push(tallyRow('**overall**', report.overall), '');
  const { offered, right } = report.askedBack;
  lines.push(
    `Asked back with readings: ${offered} of ${report.overall.declined} declined; the right reading offered in ${right}.`,
    '',
  );
  lines.push('| planner | answered | correct | accuracy |', '|---|---:|---:|---:|');
  for (const [k, t] of Object.entries(report.bySource).sort())
    lines.push(`| ${k} | ${t.total} | ${t.correct} | ${pct(t.correct, t.total)} |`);
  return `${lines.join('\n')}\n`;
}
