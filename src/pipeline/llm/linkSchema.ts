import type { SchemaReading } from '../../domain/schemaReading.ts';
import type { ColumnInfo, ForeignKey, SchemaInfo, TableInfo, TableKey } from '../../domain/types.ts';
import { tokenize } from '../../language/text.ts';
import { lexiconFor } from '../plan.ts';
import { eventTimeColumn, isMoneyColumn, isQuantityColumn, labelColumn } from '../planner/columnRoles.ts';
import { findMentions } from '../planner/mentions.ts';
import { countTokens } from './tokens.ts';

// Schema linking: the few tables a question needs, out of hundreds, written compactly for the
// prompt. Tables are scored by what the question (and the team's vocabulary, the thread and
// similar past plans) names — table and column names, comments, sampled values — and a
// table next to a named one (through a foreign key) inherits some of its score. Tables are
// then added best first while they fit the token budget, each together with the tables on the
// shortest foreign-key path to those already shown, so the join keys are always there.

export interface LinkRequest {
  question: string;
  /** More text that names things: the team's definitions, the thread's earlier questions. */
  hints?: string[];
  /** Tables already known to matter (the thread's plan, similar past plans), with a weight. */
  knownTables?: Map<TableKey, number>;
  maxTokens: number;
}

export interface LinkedSchema {
  text: string;
  tokens: number;
  /** Tables shown, in the order written. */
  tables: TableKey[];
  /** Tables of the schema left out. */
  omitted: number;
}

const MAX_SEEDS = 12;
/** Tables scoring below this share of the best one are not worth their tokens. */
const MIN_SEED_SHARE = 0.2;
/** Readings this close to a phrase's best one count too. */
const BEST_READING_SHARE = 0.9;
/** More equally good readings than this share the phrase's weight. */
const AMBIGUOUS_READINGS = 3;
const MAX_PATH_HOPS = 3;
/** The best few tables: the tables they reference, and a few more neighbours, come with them. */
const TOP_TABLES = 3;
const MAX_NEIGHBOURS = 6;
const MAX_COLUMNS = 24;
/** Smaller than any table's block: with less room left, stop looking. */
const MIN_TABLE_TOKENS = 12;
const MAX_SAMPLES = 8;
const MAX_SAMPLE_CHARS = 40;
const MAX_COMMENT_CHARS = 120;
/** Below this many characters a schema is shown whole: small schemas need no linking. */
const WHOLE_SCHEMA_CHARS_PER_TOKEN = 2.5;

interface Graph {
  /** Tables one foreign key away, with 1 for a declared key and less for an inferred one. */
  neighbours: Map<TableKey, Map<TableKey, number>>;
  fksFrom: Map<TableKey, ForeignKey[]>;
}

const graphs = new WeakMap<SchemaInfo, Graph>();

function graphOf(schema: SchemaInfo): Graph {
  let g = graphs.get(schema);
  if (g) return g;
  const neighbours = new Map<TableKey, Map<TableKey, number>>();
  const fksFrom = new Map<TableKey, ForeignKey[]>();
  const link = (a: TableKey, b: TableKey, weight: number) => {
    const m = neighbours.get(a) ?? new Map<TableKey, number>();
    m.set(b, Math.max(m.get(b) ?? 0, weight));
    neighbours.set(a, m);
  };
  for (const fk of schema.foreignKeys) {
    if (fk.fromTable === fk.toTable) continue;
    const weight = fk.inferred ? 0.5 : 1;
    link(fk.fromTable, fk.toTable, weight);
    link(fk.toTable, fk.fromTable, weight);
    fksFrom.set(fk.fromTable, [...(fksFrom.get(fk.fromTable) ?? []), fk]);
  }
  g = { neighbours, fksFrom };
  graphs.set(schema, g);
  return g;
}

interface Scores {
  tables: Map<TableKey, number>;
  /** Columns named by the question, per table. */
  columns: Map<TableKey, Set<string>>;
}

/** Of a phrase's readings, the best ones; many equally good ones share the weight, since a
 *  word that fits twenty tables says little about any one of them. */
function bestReadings(readings: SchemaReading[]): { reading: SchemaReading; weight: number }[] {
  const best = Math.max(0, ...readings.map((r) => r.score));
  const kept = readings.filter((r) => r.score >= best * BEST_READING_SHARE);
  const share = Math.min(1, AMBIGUOUS_READINGS / kept.length);
  return kept.map((reading) => ({ reading, weight: reading.score * share }));
}

function scoreTables(schema: SchemaInfo, request: LinkRequest): Scores {
  const lexicon = lexiconFor(schema);
  const graph = graphOf(schema);
  const tables = new Map<TableKey, number>();
  const columns = new Map<TableKey, Set<string>>();
  const add = (t: TableKey, s: number) => tables.set(t, (tables.get(t) ?? 0) + s);
  const mark = (t: TableKey, c: string) => columns.set(t, (columns.get(t) ?? new Set()).add(c));
  let money = false;
  let quantity = false;
  for (const text of [request.question, ...(request.hints ?? [])]) {
    for (const m of findMentions(tokenize(text), lexicon)) {
      money ||= Boolean(m.money);
      quantity ||= Boolean(m.quantity);
      for (const { reading: r, weight } of bestReadings(m.schema)) {
        if (r.kind === 'table') add(r.table, 3 * weight);
        else {
          add(r.ref.table, 2 * weight);
          mark(r.ref.table, r.ref.column);
        }
      }
    }
  }
  for (const [t, w] of request.knownTables ?? []) add(t, 3 * w);
  const named = new Map(tables);
  // "sales", "units": a table with such a column, named or next to a named one, is a candidate.
  if (money || quantity) {
    const near = new Set([...named.keys()].flatMap((t) => [t, ...(graph.neighbours.get(t)?.keys() ?? [])]));
    for (const t of schema.tables)
      if (
        near.has(t.key) &&
        t.columns.some((c) => (money && isMoneyColumn(t, c)) || (quantity && isQuantityColumn(t, c)))
      )
        add(t.key, 1);
  }
  // A candidate next to a named table is likelier than an isolated one.
  const candidates = new Map(tables);
  for (const [t, s] of named)
    for (const [n, w] of graph.neighbours.get(t) ?? []) if (candidates.has(n)) add(n, 0.5 * w * s);
  return { tables, columns };
}

/** The tables between `from` and the nearest table of `reached` (exclusive), or null when none
 *  is within a few hops. */
function pathToShown(graph: Graph, from: TableKey, reached: Set<TableKey>): TableKey[] | null {
  const via = new Map<TableKey, TableKey | null>([[from, null]]);
  let frontier = [from];
  for (let hop = 0; hop < MAX_PATH_HOPS && frontier.length; hop++) {
    const next: TableKey[] = [];
    for (const t of frontier) {
      for (const n of graph.neighbours.get(t)?.keys() ?? []) {
        if (via.has(n)) continue;
        via.set(n, t);
        if (reached.has(n)) {
          const between: TableKey[] = [];
          for (let p = via.get(n); p && p !== from; p = via.get(p)) between.push(p);
          return between;
        }
        next.push(n);
      }
    }
    frontier = next;
  }
  return null;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const quoteValue = (v: string) => `'${clip(v, MAX_SAMPLE_CHARS).replace(/'/g, "''")}'`;

function chooseColumns(t: TableInfo, named: Set<string> | undefined, fks: ForeignKey[]): ColumnInfo[] {
  if (t.columns.length <= MAX_COLUMNS) return t.columns;
  const wanted = new Set<string>([
    ...t.primaryKey,
    ...fks.flatMap((fk) => fk.fromColumns),
    ...(named ?? []),
    ...[eventTimeColumn(t), labelColumn(t)].flatMap((c) => (c ? [c.name] : [])),
    ...t.columns.filter((c) => isMoneyColumn(t, c) || isQuantityColumn(t, c)).map((c) => c.name),
  ]);
  for (const c of t.columns) if (wanted.size < MAX_COLUMNS) wanted.add(c.name);
  return t.columns.filter((c) => wanted.has(c.name));
}

function renderColumn(c: ColumnInfo, fk: ForeignKey | undefined): string {
  const parts = [`  ${c.name} ${c.type}`];
  if (c.isPrimaryKey) parts.push('PK');
  if (fk) {
    const target = fk.toColumns[fk.fromColumns.indexOf(c.name)] ?? fk.toColumns[0];
    parts.push(`-> ${fk.toTable}.${target}${fk.inferred ? ' (inferred)' : ''}`);
  }
  const values = c.enumValues ?? c.sampleValues;
  if (values?.length) parts.push(`values: ${values.slice(0, MAX_SAMPLES).map(quoteValue).join(', ')}`);
  if (c.comment) parts.push(`-- ${clip(c.comment.replace(/\s+/g, ' '), MAX_COMMENT_CHARS)}`);
  return parts.join(' ');
}

function renderTable(t: TableInfo, graph: Graph, named: Set<string> | undefined): string {
  const fks = graph.fksFrom.get(t.key) ?? [];
  const shown = chooseColumns(t, named, fks);
  const head = [`${t.key}${t.kind === 'table' ? '' : ` (${t.kind.replace('_', ' ')})`}`];
  if (t.rowEstimate > 0) head.push(`~${t.rowEstimate} rows`);
  if (t.comment) head.push(`-- ${clip(t.comment.replace(/\s+/g, ' '), MAX_COMMENT_CHARS)}`);
  const lines = [head.join(' ')];
  for (const c of shown)
    lines.push(
      renderColumn(
        c,
        fks.find((fk) => fk.fromColumns.includes(c.name)),
      ),
    );
  if (shown.length < t.columns.length) lines.push(`  (+${t.columns.length - shown.length} more columns)`);
  return lines.join('\n');
}

/** Every table, written as the prompt writes it (keys, comments, sampled values): the whole
 *  schema for a reader that chooses for itself, such as an agent asking through MCP. */
export function renderSchema(schema: SchemaInfo): string {
  const graph = graphOf(schema);
  return schema.tables.map((t) => renderTable(t, graph, undefined)).join('\n');
}

export function linkSchema(schema: SchemaInfo, request: LinkRequest): LinkedSchema {
  const graph = graphOf(schema);
  const { tables: scores, columns } = scoreTables(schema, request);
  const byKey = new Map(schema.tables.map((t) => [t.key, t]));
  const blocks = new Map<TableKey, string>();
  const block = (key: TableKey) => {
    let b = blocks.get(key);
    if (b === undefined) {
      b = renderTable(byKey.get(key)!, graph, columns.get(key));
      blocks.set(key, b);
    }
    return b;
  };
  const finish = (keys: TableKey[]): LinkedSchema => {
    const text = keys.map(block).join('\n');
    return { text, tokens: countTokens(text), tables: keys, omitted: schema.tables.length - keys.length };
  };

  const top = Math.max(0, ...scores.values());
  const ranked = [...scores]
    .filter(([t, s]) => s > 0 && s >= top * MIN_SEED_SHARE && byKey.has(t))
    .sort((a, b) => b[1] - a[1] || byKey.get(b[0])!.rowEstimate - byKey.get(a[0])!.rowEstimate)
    .map(([t]) => t);
  const relevant = new Set(ranked);
  // Small schemas are shown whole, relevant tables first.
  const all = [...ranked, ...schema.tables.map((t) => t.key).filter((k) => !relevant.has(k))];
  const chars = schema.tables.reduce((n, t) => n + (n > request.maxTokens * 4 ? 0 : block(t.key).length), 0);
  if (chars <= request.maxTokens * WHOLE_SCHEMA_CHARS_PER_TOKEN) {
    const whole = finish(all);
    if (whole.tokens <= request.maxTokens) return whole;
  }

  // A question that names nothing known still gets the biggest tables to ask about.
  const seeds = ranked.length
    ? ranked.slice(0, MAX_SEEDS)
    : [...schema.tables].sort((a, b) => b.rowEstimate - a.rowEstimate).map((t) => t.key);
  // The best tables bring the tables they reference through declared keys: joining those never
  // multiplies rows, and they hold what questions filter and group by (dates, names, places).
  const parents = (t: TableKey) =>
    (graph.fksFrom.get(t) ?? []).filter((fk) => !fk.inferred).map((fk) => fk.toTable);
  const queue = seeds.flatMap((t, i) => (i < TOP_TABLES ? [t, ...parents(t)] : [t]));
  const shown: TableKey[] = [];
  const shownSet = new Set<TableKey>();
  let used = 0;
  /** Shows `table` and the path joining it to what is shown, when all of it fits. */
  const show = (table: TableKey, withPath: boolean) => {
    if (shownSet.has(table)) return;
    const path = withPath && shown.length ? (pathToShown(graph, table, shownSet) ?? []) : [];
    const adding = [table, ...path.filter((t) => !shownSet.has(t))];
    const cost = adding.reduce((n, t) => n + countTokens(block(t)) + 1, 0);
    if (used + cost > request.maxTokens) return;
    used += cost;
    for (const t of adding) {
      shown.push(t);
      shownSet.add(t);
    }
  };
  for (const t of queue) {
    if (request.maxTokens - used < MIN_TABLE_TOKENS) break;
    show(t, true);
  }
  // With room left, a few more neighbours of the best tables: the question may need one more hop.
  const before = shown.length;
  for (const t of shown.slice(0, TOP_TABLES))
    for (const n of graph.neighbours.get(t)?.keys() ?? [])
      if (shown.length - before < MAX_NEIGHBOURS) show(n, false);
  return finish(shown);
}
