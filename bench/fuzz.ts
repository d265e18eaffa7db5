// Fuzzing the planner, the compiler and the guard. Generated questions and follow-up threads
// (schema words, planner vocabulary, time phrases, noise) go through the offline planner and
// the compiler; random QueryPlans, hostile values included, go through the compiler. Nothing
// may crash (only NotUnderstood and WriteRefused, the planner's refusals, may be thrown), every emitted SQL must pass the guard, and no
// filter value may appear in the SQL text (values are parameters). A sample is executed.
//   node --import tsx bench/fuzz.ts [cases=10000] [seed] [--database-url URL]
// Without --database-url the sample runs on the embedded demo shop.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Db } from '../src/db/client.ts';
import { createRandom, type Random } from '../src/demo/random.ts';
import type {
  Aggregate,
  ColumnInfo,
  Filter,
  FilterOp,
  Measure,
  MeasureExpr,
  QueryPlan,
  RelativeUnit,
  Scalar,
  SchemaInfo,
  TableInfo,
  TimeGrain,
  TimeRange,
} from '../src/domain/types.ts';
import { NotUnderstood, WriteRefused } from '../src/errors.ts';
import {
  AGGREGATE_WORDS,
  GRAIN_WORDS,
  GROUPING_WORDS,
  MONEY_WORDS,
  QUANTITY_WORDS,
} from '../src/language/vocabulary.ts';
import { type CompiledQuery, compilePlan } from '../src/pipeline/compile.ts';
import { executeReadOnly } from '../src/pipeline/execute.ts';
import { guardSql } from '../src/pipeline/guard.ts';
import { planQuestion } from '../src/pipeline/plan.ts';

export interface FuzzOptions {
  seed: number;
  /** Questions generated; about a third start threads with follow-ups. */
  questions: number;
  /** Random QueryPlans generated. */
  plans: number;
  schema: SchemaInfo;
  maxRows?: number;
  now?: Date;
}

export interface Finding {
  input: string;
  problem: string;
}

export interface FuzzReport {
  seed: number;
  questions: number;
  followUps: number;
  planned: number;
  declined: number;
  plans: number;
  compiled: number;
  guarded: number;
  /** Malformed random plans (a non-count aggregate of rows, an empty IN list) the compiler
   *  turned into SQL the guard then refused: safe, but the compiler should have declined. */
  malformedRefused: number;
  findings: Finding[];
  /** Compiled queries to execute: from questions (the planner's) and from random plans. */
  sample: { questions: CompiledQuery[]; plans: CompiledQuery[] };
}

const TIME_PHRASES = [
  'last month',
  'this month',
  'last week',
  'yesterday',
  'today',
  'this year',
  'last year',
  'in the past 90 days',
  'over the last 3 months',
  'last quarter',
  'since 2023-01-01',
  'between 2024-01-01 and 2024-03-31',
  'in March',
  'Q3 2024',
  'the week before',
  'year to date',
  'over the last 12 weeks',
  'on 2024-02-29',
];

const FOLLOW_UPS = [
  'now by category',
  'now by month',
  'only Germany',
  'exclude cancelled',
  'as a line chart',
  'as a bar chart',
  'top 5',
  'show all',
  'the week before',
  'same for last year',
  'why?',
  'show the sql',
  'instead by country',
  'remove the filter',
  'per day',
  'what about that in France',
];

const NOISE = [
  ';',
  "'",
  '"',
  '--',
  '/*',
  '*/',
  '$$',
  '\\',
  'DROP TABLE orders',
  'DELETE',
  'pg_sleep(10)',
  '1=1',
  "' OR ''='",
  'ＤＲＯＰ',
  '\u200b',
  '\u202e',
  '\u0000',
  '🙂',
  'ß',
  'İstanbul',
  '𝔰𝔞𝔩𝔢𝔰',
  'NaN',
  '-1',
  '1e309',
  '999999999999999999999',
  '0x41',
  '%',
  '_',
  'null',
  'undefined',
  'x'.repeat(300),
];

const FILLER = [
  'show',
  'me',
  'what',
  'is',
  'the',
  'of',
  'for',
  'in',
  'per',
  'and',
  'with',
  'how',
  'many',
  'please',
];

const HOSTILE_VALUES: Scalar[] = [
  "'; DROP TABLE orders; --",
  "O'Brien",
  '$$; DELETE FROM orders; $$',
  '\\x27',
  '%_%',
  '',
  'ＤＲＯＰ',
  '\u202eevil',
  -1,
  0,
  1e308,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  '2024-02-30',
  'not a date',
];

/** Words drawn from the schema: table and column names, their comments and sampled values. */
function schemaWords(schema: SchemaInfo): string[] {
  const words = new Set<string>();
  for (const t of schema.tables) {
    words.add(t.name.replace(/_/g, ' '));
    for (const w of (t.comment ?? '').split(/\W+/).filter((x) => x.length > 3)) words.add(w);
    for (const c of t.columns) {
      words.add(c.name.replace(/_/g, ' '));
      for (const v of c.sampleValues ?? []) words.add(v);
      for (const v of c.enumValues ?? []) words.add(v);
    }
  }
  return [...words];
}

function vocabularyWords(): string[] {
  return [
    ...MONEY_WORDS,
    ...QUANTITY_WORDS,
    ...Object.keys(AGGREGATE_WORDS),
    ...GROUPING_WORDS,
    ...Object.keys(GRAIN_WORDS),
    'top',
    'most',
    'least',
    'trend',
    'share',
    'growth',
    'compare',
    'by',
    'number of',
  ];
}

function question(r: Random, words: { schema: string[]; vocab: string[] }): string {
  const parts: string[] = [];
  const length = r.int(1, 9);
  for (let i = 0; i < length; i++) {
    const roll = r.next();
    if (roll < 0.35) parts.push(r.pick(words.schema));
    else if (roll < 0.6) parts.push(r.pick(words.vocab));
    else if (roll < 0.75) parts.push(r.pick(FILLER));
    else if (roll < 0.87) parts.push(r.pick(TIME_PHRASES));
    else if (roll < 0.95) parts.push(r.pick(NOISE));
    else parts.push(String(r.int(-5, 5000)));
  }
  return parts.join(r.chance(0.1) ? '' : ' ');
}

function followUp(r: Random, words: { schema: string[]; vocab: string[] }): string {
  if (r.chance(0.6)) return r.pick(FOLLOW_UPS);
  return `${r.pick(['now', 'only', 'instead', 'and', 'what about'])} ${r.pick(words.schema)}${r.chance(0.3) ? ` ${r.pick(TIME_PHRASES)}` : ''}`;
}

// ---- random plans ------------------------------------------------------------------------

const AGGREGATES: Aggregate[] = ['sum', 'count', 'count_distinct', 'avg', 'min', 'max', 'median'];
const GRAINS: TimeGrain[] = ['hour', 'day', 'week', 'month', 'quarter', 'year'];
const UNITS: RelativeUnit[] = ['day', 'week', 'month', 'quarter', 'year'];
const OPS: FilterOp[] = [
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'not_in',
  'between',
  'like',
  'is_null',
  'not_null',
];

const ref = (t: TableInfo, c: ColumnInfo) => ({ table: t.key, column: c.name });

function randomValue(r: Random, column: ColumnInfo): Scalar {
  if (r.chance(0.4)) return r.pick(HOSTILE_VALUES);
  if (column.sampleValues?.length && r.chance(0.6)) return r.pick(column.sampleValues);
  if (column.kind === 'number') return r.int(-100, 10_000);
  if (column.kind === 'timestamp' || column.kind === 'date')
    return `202${r.int(0, 6)}-0${r.int(1, 9)}-1${r.int(0, 9)}`;
  if (column.kind === 'boolean') return r.chance(0.5);
  return `v${r.int(0, 99)}`;
}

function randomFilter(r: Random, t: TableInfo): Filter {
  const c = r.pick(t.columns);
  const op = r.pick(OPS);
  const value =
    op === 'is_null' || op === 'not_null'
      ? undefined
      : op === 'in' || op === 'not_in'
        ? Array.from({ length: r.int(0, 4) }, () => randomValue(r, c))
        : op === 'between'
          ? [randomValue(r, c), randomValue(r, c)]
          : randomValue(r, c);
  return { ref: ref(t, c), op, value };
}

function randomTimeRange(r: Random, t: TableInfo): TimeRange | undefined {
  const times = t.columns.filter((c) => c.kind === 'timestamp' || c.kind === 'date');
  if (!times.length || r.chance(0.4)) return undefined;
  const column = ref(t, r.pick(times));
  const unit = r.pick(UNITS);
  switch (r.int(0, 3)) {
    case 0:
      return { column, kind: 'current', unit };
    case 1:
      return {
        column,
        kind: 'previous',
        unit,
        n: r.int(0, 24),
        offset: r.chance(0.3) ? r.int(0, 3) : undefined,
      };
    case 2:
      return { column, kind: 'rolling', unit, n: r.int(0, 400) };
    default:
      return {
        column,
        kind: 'absolute',
        from: r.chance(0.8) ? '2024-01-01' : undefined,
        to: r.chance(0.5) ? '2025-01-01' : undefined,
      };
  }
}

function randomPlan(r: Random, schema: SchemaInfo): QueryPlan {
  const base = r.pick(schema.tables);
  const pool = r.chance(0.7) ? [base] : schema.tables;
  const measures = Array.from({ length: r.int(0, 2) }, (_, i): Measure => {
    const t = r.pick(pool);
    const numbers = t.columns.filter((c) => c.kind === 'number');
    const expr: MeasureExpr =
      r.chance(0.3) || !numbers.length
        ? { kind: 'rows', table: t.key }
        : r.chance(0.2) && numbers.length > 1
          ? { kind: 'product', refs: [ref(t, numbers[0]!), ref(t, numbers[1]!)] }
          : { kind: 'column', ref: ref(t, r.pick(r.chance(0.9) ? numbers : t.columns)) };
    return { agg: r.pick(AGGREGATES), expr, as: r.chance(0.95) ? `m${i}` : "x'; drop" };
  });
  const dimensions = Array.from({ length: r.int(0, 2) }, (_, i) => {
    const t = r.pick(pool);
    const c = r.pick(t.columns);
    const timeLike = c.kind === 'timestamp' || c.kind === 'date';
    return { ref: ref(t, c), grain: timeLike && r.chance(0.7) ? r.pick(GRAINS) : undefined, as: `d${i}` };
  });
  const names = [...measures.map((m) => m.as), ...dimensions.map((d) => d.as), 'nope'];
  return {
    baseTable: base.key,
    measures,
    dimensions,
    select: measures.length ? undefined : base.columns.slice(0, r.int(0, 4)).map((c) => ref(base, c)),
    filters: Array.from({ length: r.int(0, 3) }, () => randomFilter(r, r.pick(pool))),
    having:
      measures.length && r.chance(0.2)
        ? [{ measure: measures[0]!.as, op: '>', value: r.int(0, 100) }]
        : undefined,
    timeRange: randomTimeRange(r, base),
    orderBy: r.chance(0.5) ? [{ by: r.pick(names), dir: r.chance(0.5) ? 'asc' : 'desc' }] : undefined,
    limit: r.chance(0.5) ? r.pick([0, 1, 5, 100, 5000, -3, 1e9]) : undefined,
  };
}

// ---- checks --------------------------------------------------------------------------------

/** Whether a plan means something: rows are only counted, IN lists are not empty. */
function isWellFormed(plan: QueryPlan): boolean {
  return (
    plan.measures.every((m) => m.expr.kind !== 'rows' || m.agg === 'count') &&
    plan.filters.every(
      (f) => !(f.op === 'in' || f.op === 'not_in') || (Array.isArray(f.value) && f.value.length > 0),
    )
  );
}

/** Strings a plan's filters carry: none may be written into the SQL text. */
function filterStrings(plan: QueryPlan): string[] {
  return plan.filters
    .flatMap((f) => (Array.isArray(f.value) ? f.value : f.value === undefined ? [] : [f.value]))
    .filter((v): v is string => typeof v === 'string' && /['$;]/.test(v));
}

async function checkCompiled(
  input: string,
  plan: QueryPlan,
  compiled: CompiledQuery,
  report: FuzzReport,
  maxRows: number,
): Promise<void> {
  try {
    await guardSql(compiled.text, { maxRows, parameters: compiled.params.length });
    report.guarded++;
  } catch (e) {
    if (!isWellFormed(plan)) report.malformedRefused++;
    else
      report.findings.push({
        input,
        problem: `guard refused compiled SQL: ${(e as Error).message}\n${compiled.text}`,
      });
  }
  for (const s of filterStrings(plan)) {
    if (compiled.text.includes(s)) report.findings.push({ input, problem: `value in SQL text: ${s}` });
  }
}

function crash(report: FuzzReport, input: string, e: unknown): void {
  if (e instanceof NotUnderstood || e instanceof WriteRefused) return;
  report.findings.push({
    input,
    problem: `threw ${(e as Error)?.name}: ${(e as Error)?.message ?? String(e)}`,
  });
}

async function fuzzQuestions(r: Random, o: FuzzOptions, report: FuzzReport, maxRows: number): Promise<void> {
  const words = { schema: schemaWords(o.schema), vocab: vocabularyWords() };
  let lastPlan: QueryPlan | null = null;
  let threadLeft = 0;
  for (let i = 0; i < o.questions; i++) {
    const inThread = threadLeft > 0 && lastPlan !== null;
    const text = inThread ? followUp(r, words) : question(r, words);
    if (inThread) report.followUps++;
    else threadLeft = r.chance(0.35) ? r.int(1, 3) : 0;
    if (inThread) threadLeft--;
    report.questions++;
    try {
      const planned = planQuestion({
        question: text,
        schema: o.schema,
        defaultLimit: 100,
        maxRows,
        now: o.now,
        lastPlan: inThread ? lastPlan : null,
      });
      if (planned.kind !== 'plan') continue;
      report.planned++;
      const compiled = compilePlan(planned.plan, o.schema, { defaultLimit: 100, maxRows });
      await checkCompiled(text, planned.plan, compiled, report, maxRows);
      lastPlan = planned.plan;
      if (r.chance(0.02)) report.sample.questions.push(compiled);
    } catch (e) {
      report.declined++;
      crash(report, text, e);
    }
  }
}

async function fuzzPlans(r: Random, o: FuzzOptions, report: FuzzReport, maxRows: number): Promise<void> {
  for (let i = 0; i < o.plans; i++) {
    const plan = randomPlan(r, o.schema);
    report.plans++;
    try {
      const compiled = compilePlan(plan, o.schema, { defaultLimit: 100, maxRows });
      report.compiled++;
      await checkCompiled(JSON.stringify(plan), plan, compiled, report, maxRows);
      if (r.chance(0.02)) report.sample.plans.push(compiled);
    } catch (e) {
      crash(report, JSON.stringify(plan), e);
    }
  }
}

export async function fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const maxRows = o.maxRows ?? 1000;
  const report: FuzzReport = {
    seed: o.seed,
    questions: 0,
    followUps: 0,
    planned: 0,
    declined: 0,
    plans: 0,
    compiled: 0,
    guarded: 0,
    malformedRefused: 0,
    findings: [],
    sample: { questions: [], plans: [] },
  };
  await fuzzQuestions(createRandom(o.seed, 'questions'), o, report, maxRows);
  await fuzzPlans(createRandom(o.seed, 'plans'), o, report, maxRows);
  return report;
}

export interface SampleRun {
  ran: number;
  /** Rejected by the database with a typed, user-facing error (a type mismatch from a random
   *  value…): not a crash. */
  rejected: number;
  findings: Finding[];
}

/** Executes compiled queries read-only; anything but a typed error is a finding. */
export async function executeSample(db: Db, sample: CompiledQuery[], timeoutMs = 5000): Promise<SampleRun> {
  const run: SampleRun = { ran: 0, rejected: 0, findings: [] };
  for (const q of sample) {
    try {
      await executeReadOnly(db, q.text, q.params, { timeoutMs, maxRows: 1000 });
      run.ran++;
    } catch (e) {
      if ((e as { kind?: string }).kind === 'query_failed' || (e as { kind?: string }).kind === 'timeout')
        run.rejected++;
      else run.findings.push({ input: q.sql, problem: `execution threw ${String(e)}` });
    }
  }
  return run;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const urlAt = args.indexOf('--database-url');
  const url = urlAt >= 0 ? args.splice(urlAt, 2)[1] : undefined;
  const cases = Number(args[0] ?? 10_000);
  const seed = Number(args[1] ?? Math.floor(Math.random() * 2 ** 31));
  const { discoverSchema } = await import('../src/pipeline/schema.ts');
  let db: Db;
  let close: () => Promise<void>;
  if (url) {
    const { postgresDb } = await import('../src/db/postgres.ts');
    db = postgresDb(url);
    close = () => db.close();
  } else {
    const { openEmbedded } = await import('../src/embedded/embedded.ts');
    const dir = await mkdtemp(join(tmpdir(), 'quarry-fuzz-'));
    const embedded = await openEmbedded({ dataDir: dir, onProgress: (m) => process.stderr.write(`${m}\n`) });
    db = embedded.target;
    close = async () => {
      await embedded.close();
      await rm(dir, { recursive: true, force: true });
    };
  }
  try {
    const schema = await discoverSchema(db);
    const started = performance.now();
    const report = await fuzz({ seed, questions: cases, plans: cases, schema });
    const ms = performance.now() - started;
    const asked = await executeSample(db, report.sample.questions);
    const random = await executeSample(db, report.sample.plans);
    const { sample, findings, ...counts } = report;
    const all = [...findings, ...asked.findings, ...random.findings];
    console.log(JSON.stringify({ ...counts, findings: all.length, ms: Math.round(ms) }));
    console.log(
      `seed ${seed}: ${counts.questions} questions (${counts.followUps} follow-ups): ${counts.planned} planned, ` +
        `${counts.declined} declined; ${counts.plans} random plans: ${counts.compiled} compiled; ` +
        `${counts.guarded} SQL statements passed the guard, ${counts.malformedRefused} from malformed plans refused by it; ` +
        `executed ${asked.ran + asked.rejected} planner queries (${asked.rejected} rejected by the database) and ` +
        `${random.ran + random.rejected} random-plan queries (${random.rejected} rejected); ${all.length} findings; ` +
        `${Math.round(((counts.questions + counts.plans) / ms) * 1000)} cases/s`,
    );
    for (const f of all.slice(0, 20)) console.log(`- ${f.problem}\n  input: ${f.input.slice(0, 300)}`);
    process.exitCode = all.length > 0 ? 1 : 0;
  } finally {
    await close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
