import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

// Eval files are JSONL: Quarry's own `{"question"|"thread","gold_sql"}` lines, or sql-eval's
// `{"question","gold_sql_variants":[…],"order_matters","db"}` lines. Both become one shape.

const Gold = z.union([
  z.object({ gold_sql: z.string().min(1) }),
  z.object({ gold_sql_variants: z.array(z.string().min(1)).min(1) }),
]);
const Ask = z.union([
  z.object({ question: z.string().min(1) }),
  z.object({ thread: z.array(z.string().min(1)).min(1) }),
]);
const Extra = z.object({
  id: z.string().optional(),
  category: z.string().optional(),
  order_matters: z.boolean().optional(),
  db_name: z.string().min(1).optional(),
  db: z.string().min(1).optional(),
});
const Line = z.intersection(z.intersection(Ask, Gold), Extra);

export interface EvalCase {
  id?: string;
  /** Asked in order in one thread; the last answer is scored. */
  questions: string[];
  /** Right when the answer's rows equal those of any of these. */
  goldSql: string[];
  category?: string;
  /** Undefined: row order matters when the gold query has a top-level ORDER BY. */
  orderMatters?: boolean;
  db?: string;
}

export function parseCase(line: unknown): EvalCase {
  const c = Line.parse(line);
  return {
    id: c.id,
    questions: 'thread' in c ? c.thread : [c.question],
    goldSql: 'gold_sql' in c ? [c.gold_sql] : c.gold_sql_variants,
    category: c.category,
    orderMatters: c.order_matters,
    db: c.db_name ?? c.db,
  };
}

export function parseCases(text: string, file: string): EvalCase[] {
  return text
    .split('\n')
    .map((l, i) => [l.trim(), i + 1] as const)
    .filter(([l]) => l)
    .map(([l, n]) => {
      try {
        return parseCase(JSON.parse(l));
      } catch {
        throw new ConfigError(
          `Line ${n} of ${file} is not a {"question","gold_sql"}, {"thread":[…],"gold_sql"} or {"question","gold_sql_variants":[…]} object.`,
        );
      }
    });
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
  return parseCases(text, file);
}

/** The database a file's questions are about: their `db_name`/`db`, else the file's folder. */
export function fileDbName(file: string, cases: EvalCase[]): string {
  return cases.find((c) => c.db)?.db ?? basename(dirname(file));
}
