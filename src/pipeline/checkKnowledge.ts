import { type AccessRules, deniedRelationNames } from '../access/rules.ts';
import type { Db } from '../db/client.ts';
import { measureTable } from '../domain/planParts.ts';
import type { TeamWord } from '../domain/schemaReading.ts';
import type { SchemaInfo, TableKey } from '../domain/types.ts';
import { userMessageOf } from '../errors.ts';
import { type DefinedMeasure, definedMeasure, MeasureSqlProblem } from '../knowledge/definedMeasure.ts';
import type { Knowledge } from '../knowledge/knowledgeFile.ts';
import { findColumn, findTable, findTableOrColumn, MissingName } from '../knowledge/schemaNames.ts';
import { tokenize } from '../language/text.ts';
import { compilePlan } from './compile.ts';
import { executeReadOnly } from './execute.ts';
import { checkAccess } from './guard/checkAccess.ts';
import { guardSql } from './guard.ts';

// The knowledge file checked against the database: every name it uses exists, every verified
// query passes the guard and runs read-only, every definition's SQL compiles to a plan the
// guard accepts. At start the queries run with no rows (names and types are checked by the
// server); `quarry knowledge check` runs them in full and reports each one.

export interface Finding {
  /** `definitions[0] ("revenue")`, `synonyms.clients`, `verified[1] ("How many …")`. */
  entry: string;
  ok: boolean;
  /** What was found: "SUM(orders.total) …", "3 rows in 12 ms", or the problem. */
  result: string;
  /** How to put a problem right. */
  fix?: string;
}

export interface ResolvedKnowledge {
  measures: DefinedMeasure[];
  /** Synonyms, as words of the planner's lexicon. */
  vocabulary: TeamWord[];
  /** table → the column naming its rows. */
  labels: Record<TableKey, string>;
}

export interface CheckEnvironment {
  schema: SchemaInfo;
  target: Db;
  access?: AccessRules;
  limits: { statementTimeoutMs: number; maxRows: number };
}

const FIX_NAME = 'correct the name or remove the entry';
const FIX_SQL = 'correct the SQL or remove the entry';

const entryOf = (section: string, i: number, name: string) =>
  `${section}[${i}] ("${name.length > 40 ? `${name.slice(0, 37)}…` : name}")`;

function problem(e: unknown): string {
  if (e instanceof MissingName || e instanceof MeasureSqlProblem) return e.message;
  return userMessageOf(e).replace(/\.$/, '');
}

async function runRead(
  env: CheckEnvironment,
  sql: string,
  params: unknown[],
  full: boolean,
): Promise<string> {
  const { maxRows, statementTimeoutMs } = env.limits;
  const guarded = await guardSql(sql, {
    maxRows,
    deniedRelations: env.access && deniedRelationNames(env.access),
    parameters: params.length,
  });
  await checkAccess(guarded.sql, env.access, env.schema);
  // No rows: the server still resolves every name and type, in a moment.
  const text = full ? guarded.sql : `SELECT * FROM (${guarded.sql}) AS checked LIMIT 0`;
  const r = await executeReadOnly(env.target, text, params, { timeoutMs: statementTimeoutMs, maxRows });
  return full
    ? `${r.rowCount} ${r.rowCount === 1 ? 'row' : 'rows'} in ${Math.round(r.durationMs)} ms`
    : 'runs';
}

export async function checkKnowledge(
  k: Knowledge,
  env: CheckEnvironment,
  options: { full: boolean },
): Promise<{ findings: Finding[]; resolved: ResolvedKnowledge }> {
  const findings: Finding[] = [];
  const resolved: ResolvedKnowledge = { measures: [], vocabulary: [], labels: {} };
  const attempt = async (entry: string, fix: string, fn: () => Promise<string> | string) => {
    try {
      findings.push({ entry, ok: true, result: await fn() });
    } catch (e) {
      findings.push({ entry, ok: false, result: problem(e), fix });
    }
  };
  for (const [i, d] of k.definitions.entries()) {
    const sql = d.sql;
    if (!sql) {
      findings.push({ entry: entryOf('definitions', i, d.term), ok: true, result: `means ${d.means}` });
      continue;
    }
    await attempt(entryOf('definitions', i, d.term), FIX_SQL, async () => {
      const m = await definedMeasure({ ...d, sql }, env.schema);
      const measures = [{ agg: m.agg, expr: m.expr, as: 'value' }];
      const plan = { baseTable: measureTable(m.expr), measures, dimensions: [], filters: m.filters };
      const compiled = compilePlan(plan, env.schema);
      const ran = await runRead(env, compiled.text, compiled.params, options.full);
      resolved.measures.push(m);
      return options.full ? `${sql} (${ran})` : sql;
    });
  }
  for (const [word, name] of Object.entries(k.synonyms)) {
    await attempt(`synonyms.${word}`, FIX_NAME, () => {
      const target = findTableOrColumn(env.schema, name);
      const phrase = tokenize(word)
        .map((t) => t.norm)
        .join(' ');
      // As strong as the table's or column's own name.
      const reading =
        'column' in target
          ? { kind: 'column' as const, ref: target, score: 1 }
          : { kind: 'table' as const, table: target.table, score: 1 };
      resolved.vocabulary.push({ phrase, reading });
      return `${word} → ${name}`;
    });
  }
  for (const [table, column] of Object.entries(k.labels)) {
    await attempt(`labels.${table}`, FIX_NAME, () => {
      const ref = findColumn(env.schema, findTable(env.schema, table).key, column);
      resolved.labels[ref.table] = ref.column;
      return `${table} named by ${column}`;
    });
  }
  for (const [i, v] of k.verified.entries()) {
    await attempt(entryOf('verified', i, v.question), FIX_SQL, () => runRead(env, v.sql, [], options.full));
  }
  return { findings, resolved };
}
