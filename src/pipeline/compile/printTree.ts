import type { Scalar } from '../../domain/types.ts';
import { quoteIdent } from './quote.ts';
import type {
  Aggregate,
  Condition,
  Expr,
  From,
  Join,
  LoweredQuery,
  SelectItem,
  SelectTree,
  Source,
  SubSelect,
} from './selectTree.ts';
import { SqlWriter } from './sqlWriter.ts';

// Printing: the lowered tree written out as PostgreSQL, deciding nothing. The layout is the
// one answers have always shown and remembered: one clause a line, sub-queries on one line.

export interface CompiledQuery {
  /** Parameterised statement that runs. */
  text: string;
  params: Scalar[];
  /** The same statement with literals inlined, for people and memory. */
  sql: string;
}

export function printQuery(query: LoweredQuery): CompiledQuery {
  const writer = new SqlWriter(query.params);
  const text = statement(query.tree, '');
  const exec = writer.executable(text);
  return { text: exec.text, params: exec.params, sql: writer.readable(text) };
}

/** A statement whose clauses start at `indent`; a distinct base comes first as `WITH base`. */
function statement(t: SelectTree, indent: string): string {
  const lines = [
    `${indent}SELECT ${t.distinct ? 'DISTINCT ' : ''}${t.select.map(item).join(', ')}`,
    `${indent}FROM ${from(t.from)}`,
  ];
  if (t.where.length) lines.push(`${indent}WHERE ${t.where.map(condition).join(`\n${indent}  AND `)}`);
  if (t.groupBy.length) lines.push(`${indent}GROUP BY ${t.groupBy.join(', ')}`);
  if (t.having.length) lines.push(`${indent}HAVING ${t.having.map(condition).join(' AND ')}`);
  if (t.orderBy.length)
    lines.push(`${indent}ORDER BY ${t.orderBy.map((o) => `${o.expr} ${o.dir} NULLS LAST`).join(', ')}`);
  if (t.limit !== undefined) lines.push(`${indent}LIMIT ${t.limit}`);
  const body = lines.join('\n');
  return t.from.kind === 'base' ? `WITH base AS (\n${statement(t.from.query, '  ')}\n)\n${body}` : body;
}

/** Joins go two spaces in under any FROM, the base's too. */
function from(f: From): string {
  if (f.kind === 'base') return 'base';
  return [source(f.source), ...f.joins.map(join)].join('\n  ');
}

function source(s: Source): string {
  return s.alias === s.name ? s.name : `${s.name} AS ${s.alias}`;
}

function join(j: Join): string {
  return `${j.kind === 'left' ? 'LEFT JOIN' : 'JOIN'} ${source(j.source)} ON ${j.on}`;
}

function subSelect(q: SubSelect): string {
  const body = [`SELECT ${q.select} FROM ${source(q.from)}`, ...q.joins.map(join)].join(' ');
  return `${body} WHERE ${q.where.join(' AND ')}`;
}

function item(i: SelectItem): string {
  return i.as === undefined ? expr(i.expr) : `${expr(i.expr)} AS ${quoteIdent(i.as)}`;
}

function condition(c: Condition): string {
  if (typeof c === 'string') return c;
  if (c.kind === 'exists') return `${c.negated ? 'NOT EXISTS' : 'EXISTS'} (${subSelect(c.query)})`;
  const left = expr(c.left);
  return Array.isArray(c.right)
    ? `${left} BETWEEN ${c.right[0]} AND ${c.right[1]}`
    : `${left} ${c.op} ${c.right}`;
}

function expr(e: Expr): string {
  if (typeof e === 'string') return e;
  switch (e.kind) {
    case 'count':
      return `(${subSelect(e.query)})`;
    case 'aggregate':
      return aggregate(e);
    case 'share': {
      const a = aggregate(e.of);
      return `round(100.0 * ${a} / NULLIF(SUM(${a}) OVER (), 0), 1)`;
    }
    case 'ratio':
      return `CAST(${aggregate(e.numerator)} AS double precision) / NULLIF(${aggregate(e.denominator)}, 0)`;
  }
}

function aggregate(a: Aggregate): string {
  const arg = expr(a.arg);
  const call =
    a.fn === 'median'
      ? `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${arg})`
      : `${a.fn.toUpperCase()}(${a.distinct ? 'DISTINCT ' : ''}${arg})`;
  return a.filter.length ? `${call} FILTER (WHERE ${a.filter.join(' AND ')})` : call;
}
