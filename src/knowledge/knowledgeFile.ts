import { parseDocument } from 'yaml';
import { z } from 'zod';
import { DENY_ENTRY } from '../config.ts';
import { ConfigError } from '../errors.ts';

// The data team's knowledge file (QUARRY_KNOWLEDGE, default ./quarry.yml): what words mean,
// which words name which tables, how entities are named, the questions the team vouches for,
// what is never read and who may verify answers in Slack. Parsed and checked once at start;
// any problem is one sentence naming the file, the entry and the fix.

const text = z.string().trim().min(1);

const definition = z
  .object({
    term: text.transform((t) => t.toLowerCase()),
    /** Shown as the assumption in every answer the word touches. */
    means: text,
    /** The exact measure, e.g. SUM(orders.total) FILTER (WHERE orders.status = 'completed'). */
    sql: text.optional(),
  })
  .strict();

const verifiedQuestion = z.object({ question: text, sql: text }).strict();

/** A table (`customers`, `sales.customers`) or a column (`customers.name`). */
const NAME = /^[A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*){0,2}$/;

const fileSchema = z
  .object({
    definitions: z.array(definition).default([]),
    /** word → table or table.column */
    synonyms: z.record(z.string(), z.string().trim().regex(NAME)).default({}),
    /** table → the column that names its rows */
    labels: z.record(z.string(), z.string().trim().regex(NAME)).default({}),
    verified: z.array(verifiedQuestion).default([]),
    hidden: z.array(z.string().trim().regex(DENY_ENTRY)).default([]),
    owners: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[UW][A-Z0-9]{2,}$/),
      )
      .default([]),
  })
  .strict();

export type KnowledgeDefinition = z.infer<typeof definition>;
export type VerifiedQuestion = z.infer<typeof verifiedQuestion>;

export interface Knowledge extends z.infer<typeof fileSchema> {
  /** The file it was read from, for messages. */
  file: string;
}

/** How to put each kind of entry right. */
const FIXES: Record<string, string> = {
  term: 'give each definition a term, the word being defined (term: revenue)',
  means: 'say in plain words what the term means (means: the total of completed orders only)',
  sql: 'write the SQL as text on one line',
  question: 'write the question as people ask it (question: How many orders did we get last week?)',
  synonyms: 'map a word to a table or table.column (synonyms: { clients: customers })',
  labels: 'map a table to the column that names its rows (labels: { customers: name })',
  hidden:
    'list tables and columns as table, schema.table or table.column (hidden: [audit_log, customers.email])',
  owners: 'list Slack user ids such as U0123ABCD (Profile → ⋯ → Copy member ID)',
  definitions: 'write definitions as a list of { term, means, sql } entries',
  verified: 'write verified as a list of { question, sql } entries',
};

const TOP_KEYS = 'definitions, synonyms, labels, verified, hidden and owners';

function entryName(path: PropertyKey[], raw: unknown): string {
  const [section, index] = path;
  if (typeof index !== 'number')
    return typeof index === 'string' ? `${String(section)}.${index}` : String(section);
  const item = (raw as Record<string, unknown[]> | null)?.[String(section)]?.[index] as
    | Record<string, unknown>
    | undefined;
  const named = item?.term ?? item?.question;
  return `${String(section)}[${index}]${typeof named === 'string' ? ` ("${named}")` : ''}`;
}

function problemOf(issue: z.core.$ZodIssue, raw: unknown): { entry: string; fix: string } {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    if (issue.path.length === 0)
      return { entry: `"${keys}"`, fix: `the file holds only ${TOP_KEYS}: remove or rename it` };
    return { entry: entryName(issue.path, raw), fix: `remove "${keys}", which it cannot hold` };
  }
  const field = [...issue.path].reverse().find((p) => typeof p === 'string' && p in FIXES);
  const fix = FIXES[String(field ?? issue.path[0])] ?? 'correct it';
  return { entry: entryName(issue.path, raw), fix };
}

/** Reads the file's text; throws a ConfigError naming the file, the entry and the fix. */
export function parseKnowledge(source: string, file: string): Knowledge {
  const doc = parseDocument(source);
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0]?.line;
    throw new ConfigError(
      `${file}${line ? ` line ${line}` : ''} is not valid YAML (${syntax.code}): fix the indentation or quoting there.`,
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const { entry, fix } = problemOf(parsed.error.issues[0]!, raw);
    throw new ConfigError(`${file}: ${entry} is not right: ${fix}.`);
  }
  const seen = new Set<string>();
  for (const d of parsed.data.definitions) {
    if (seen.has(d.term))
      throw new ConfigError(`${file}: definitions define "${d.term}" twice: keep one of them.`);
    seen.add(d.term);
  }
  return { ...parsed.data, file };
}
