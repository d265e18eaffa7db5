import type { Having, Scalar, TableKey } from '../../domain/types.ts';

// The SELECT a plan lowers to, before it is printed. Lowering (lower.ts) makes every decision
// — which tables are joined, which are only tested with EXISTS, when measures are taken over a
// distinct base of the root rows — and records it here; printing (printTree.ts) only writes it
// out. Leaves are SQL fragments with identifiers already quoted and values as SqlWriter
// placeholders, so the tree holds decisions, not a grammar of PostgreSQL.

/** A SQL fragment: quoted identifiers, values as SqlWriter placeholders. */
export type Sql = string;

/** A table as it is named in FROM or JOIN, and the alias its columns are written with. */
export interface Source {
  table: TableKey;
  name: Sql;
  alias: Sql;
}

export interface Join {
  /** 'left' follows a nullable reference, keeping the rows that have none. */
  kind: 'inner' | 'left';
  source: Source;
  on: Sql;
}

/** A correlated sub-query: `SELECT 1` under EXISTS, or `SELECT count(*)` as a value. Its first
 *  condition ties it to the outer row. */
export interface SubSelect {
  select: '1' | 'count(*)';
  from: Source;
  joins: Join[];
  where: Sql[];
}

/** How many related rows the outer row has (0 for none). */
export interface CountOf {
  kind: 'count';
  query: SubSelect;
}

export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'median';

export interface Aggregate {
  kind: 'aggregate';
  fn: AggregateFn;
  distinct: boolean;
  /** '*' for rows. */
  arg: Sql | CountOf;
  /** Only rows meeting these take part (`FILTER (WHERE …)`). */
  filter: Sql[];
}

/** Each group's share of the total, in percent. */
export interface Share {
  kind: 'share';
  of: Aggregate;
}

export interface Ratio {
  kind: 'ratio';
  numerator: Aggregate;
  denominator: Aggregate;
}

export type Expr = Sql | CountOf | Aggregate | Share | Ratio;

export interface SelectItem {
  expr: Expr;
  /** Unquoted output name; none keeps the expression's own. */
  as?: string;
}

export interface Compare {
  kind: 'compare';
  left: Expr;
  op: Having['op'];
  /** One placeholder, or the two ends of BETWEEN. */
  right: Sql | [Sql, Sql];
}

/** Some (or, negated, no) related row exists. */
export interface Exists {
  kind: 'exists';
  negated: boolean;
  query: SubSelect;
}

export type Condition = Sql | Compare | Exists;

export interface OrderItem {
  expr: Sql;
  dir: 'ASC' | 'DESC';
}

/** The root table, or a distinct base of its rows (`WITH base AS (SELECT DISTINCT …)`) that
 *  the outer query aggregates so no one-to-many join multiplies a measure. */
export type From = { kind: 'table'; source: Source; joins: Join[] } | { kind: 'base'; query: SelectTree };

export interface SelectTree {
  distinct: boolean;
  select: SelectItem[];
  from: From;
  where: Condition[];
  groupBy: Sql[];
  having: Compare[];
  orderBy: OrderItem[];
  limit?: number;
}

/** A lowered statement and the values of its placeholders, in placeholder order. */
export interface LoweredQuery {
  tree: SelectTree;
  params: Scalar[];
}
