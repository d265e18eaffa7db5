import { NotUnderstood } from '../errors.ts';
import { type JoinStep, pathTo, shortestPaths } from './compile/joinGraph.ts';
import { quoteIdent, quoteTable } from './compile/quote.ts';
import { SqlWriter } from './compile/sqlWriter.ts';
import { timeConditions } from './compile/timeSql.ts';
import { measureTable } from './planParts.ts';
import { personNameColumns } from './schema/entityLabels.ts';
import { identifyingKey } from './schema/identity.ts';
import type {
  ColumnRef,
  Dimension,
  Filter,
  Having,
  Measure,
  MeasureExpr,
  QueryPlan,
  RelatedCount,
  Scalar,
  SchemaInfo,
  TableInfo,
  TableKey,
} from './types.ts';

// One compiler turns a QueryPlan into PostgreSQL. Join paths, fan-out safety and time ranges
// live here, not in the planners, so every plan — rules, memory, follow-up or model — gets
// the same guarantees.

export interface CompileOptions {
  /** LIMIT for answers of many rows when the plan has none (the user's preferred limit). */
  defaultLimit?: number;
  /** Hard cap on any LIMIT. */
  maxRows?: number;
}

export interface CompiledQuery {
  /** Parameterised statement that runs. */
  text: string;
  params: Scalar[];
  /** The same statement with literals inlined, for people and memory. */
  sql: string;
}

type Role = 'output' | 'filter';

interface Need {
  table: TableKey;
  role: Role;
}

export function compilePlan(
  plan: QueryPlan,
  schema: SchemaInfo,
  options: CompileOptions = {},
): CompiledQuery {
  if (plan.sql) return { text: plan.sql, params: [], sql: plan.sql };
  return new PlanCompiler(plan, schema, options).compile();
}

class PlanCompiler {
  private readonly w = new SqlWriter();
  private readonly tables = new Map<TableKey, TableInfo>();
  private readonly aliases = new Map<TableKey, string>();
  private readonly root: TableKey;

  constructor(
    private readonly plan: QueryPlan,
    private readonly schema: SchemaInfo,
    private readonly options: CompileOptions,
  ) {
    for (const t of schema.tables) this.tables.set(t.key, t);
    const measureTables = [...new Set(plan.measures.map((m) => measureTable(m.expr)))];
    if (measureTables.length > 1) {
      throw new NotUnderstood(
        'I can only combine measures from one table in a single answer. Ask for them one at a time.',
        [],
        `measures on ${measureTables.join(', ')}`,
      );
    }
    this.root = measureTables[0] ?? plan.baseTable;
    this.table(this.root);
  }

  private table(key: TableKey): TableInfo {
    const t = this.tables.get(key);
    if (!t) throw new NotUnderstood(`I can't find the table ${key} any more; the schema may have changed.`);
    return t;
  }

  private alias(key: TableKey): string {
    const existing = this.aliases.get(key);
    if (existing) return existing;
    const t = this.table(key);
    const taken = new Set(this.aliases.values());
    let name = quoteIdent(t.name);
    if (taken.has(name)) name = quoteIdent(`${t.schema}_${t.name}`);
    this.aliases.set(key, name);
    return name;
  }

  private col(ref: ColumnRef): string {
    const t = this.table(ref.table);
    if (!t.columns.some((c) => c.name === ref.column)) {
      throw new NotUnderstood(
        `I can't find the column ${ref.column} in ${t.name}; the schema may have changed.`,
      );
    }
    return `${this.alias(ref.table)}.${quoteIdent(ref.column)}`;
  }

  private from(key: TableKey): string {
    const t = this.table(key);
    const duplicated = this.schema.tables.filter((o) => o.name === t.name).length > 1;
    const name = duplicated
      ? `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`
      : quoteTable(t.schema, t.name, this.schema.searchPath);
    const alias = this.alias(key);
    return alias === name ? name : `${name} AS ${alias}`;
  }

  private needs(): Need[] {
    const p = this.plan;
    const out: Need[] = [];
    for (const d of p.dimensions) out.push({ table: d.ref.table, role: 'output' });
    for (const s of p.select ?? []) out.push({ table: s.table, role: 'output' });
    for (const f of p.filters) if (!f.none) out.push({ table: f.ref.table, role: 'filter' });
    // A measure's own condition is read row by row, so its table is joined, never an EXISTS.
    for (const m of p.measures)
      for (const f of m.where ?? []) out.push({ table: f.ref.table, role: 'output' });
    if (p.timeRange) out.push({ table: p.timeRange.column.table, role: 'filter' });
    return out;
  }

  compile(): CompiledQuery {
    const tree = shortestPaths(this.schema, this.root);
    const needs = this.needs();
    const paths = new Map<TableKey, JoinStep[]>();
    for (const n of needs) paths.set(n.table, this.pathTo(tree, n.table));

    // Down-steps needed by an output column force a fan-out join; all other down-steps are only
    // for filtering and become EXISTS sub-queries, which never multiply rows.
    const firstDown = (path: JoinStep[]) => path.findIndex((s) => s.direction === 'down');
    const fanOutSteps = new Set<JoinStep>();
    for (const n of needs) {
      const path = paths.get(n.table)!;
      const i = firstDown(path);
      if (n.role === 'output' && i >= 0) fanOutSteps.add(path[i]!);
    }
    const joined: JoinStep[] = [];
    const existsGroups = new Map<JoinStep, JoinStep[]>();
    const inExists = new Map<TableKey, JoinStep>();
    const addUnique = (list: JoinStep[], steps: JoinStep[]) => {
      for (const s of steps) if (!list.includes(s)) list.push(s);
    };
    for (const n of needs) {
      const path = paths.get(n.table)!;
      const i = firstDown(path);
      if (i < 0 || fanOutSteps.has(path[i]!)) {
        addUnique(joined, path);
        continue;
      }
      addUnique(joined, path.slice(0, i));
      const group = existsGroups.get(path[i]!) ?? [];
      addUnique(group, path.slice(i));
      existsGroups.set(path[i]!, group);
    }
    // A table reached both ways is joined; its conditions stay in the main WHERE.
    const joinedTables = new Set<TableKey>([this.root, ...joined.map((s) => s.to)]);
    for (const [head, steps] of existsGroups) {
      for (const s of steps) if (!joinedTables.has(s.to)) inExists.set(s.to, head);
    }
    const fanOut = fanOutSteps.size > 0;

    const where: string[] = [];
    const existsWhere = new Map<JoinStep, string[]>();
    const addCondition = (table: TableKey, cond: string) => {
      const head = inExists.get(table);
      if (head) existsWhere.set(head, [...(existsWhere.get(head) ?? []), cond]);
      else where.push(cond);
    };
    for (const f of this.plan.filters) {
      if (f.none) where.push(this.noneCondition(f, this.pathTo(tree, f.ref.table)));
      else addCondition(f.ref.table, this.filter(f));
    }
    for (const c of this.plan.relatedCounts ?? []) where.push(this.relatedCountCondition(c));
    const tr = this.plan.timeRange;
    if (tr) {
      const column = this.col(tr.column);
      for (const c of timeConditions(tr, column, (v) => this.w.param(v))) addCondition(tr.column.table, c);
    }
    for (const [head, steps] of existsGroups) {
      const conds = existsWhere.get(head);
      if (!conds?.length) continue;
      const inner = steps.filter((s) => inExists.get(s.to) === head);
      const [first, ...rest] = inner;
      if (!first) continue;
      const body = [`SELECT 1 FROM ${this.from(first.to)}`, ...rest.map((s) => this.joinClause(s))].join(' ');
      where.push(`EXISTS (${body} WHERE ${[this.joinCondition(first), ...conds].join(' AND ')})`);
    }

    const fromClause = [this.from(this.root), ...this.orderJoins(joined).map((s) => this.joinClause(s))].join(
      '\n  ',
    );
    const text = this.selectStatement(fromClause, where, fanOut);
    const exec = this.w.executable(text);
    return { text: exec.text, params: exec.params, sql: this.w.readable(text) };
  }

  /** Joins in an order where each step's source is already in the FROM list. */
  private orderJoins(steps: JoinStep[]): JoinStep[] {
    const present = new Set<TableKey>([this.root]);
    const ordered: JoinStep[] = [];
    const pending = [...steps];
    while (pending.length) {
      const i = pending.findIndex((s) => present.has(s.from));
      if (i < 0) break;
      const [s] = pending.splice(i, 1);
      if (!s || present.has(s.to)) continue;
      present.add(s.to);
      ordered.push(s);
    }
    return ordered;
  }

  private joinCondition(step: JoinStep): string {
    const { fk } = step;
    return fk.fromColumns
      .map(
        (c, i) =>
          `${this.col({ table: fk.fromTable, column: c })} = ${this.col({ table: fk.toTable, column: fk.toColumns[i]! })}`,
      )
      .join(' AND ');
  }

  private joinClause(step: JoinStep): string {
    // Following a nullable reference keeps the rows that have none (LEFT JOIN).
    const from = this.table(step.fk.fromTable);
    const nullable =
      step.direction === 'up' &&
      step.fk.fromColumns.some((c) => from.columns.find((x) => x.name === c)?.nullable);
    return `${nullable ? 'LEFT JOIN' : 'JOIN'} ${this.from(step.to)} ON ${this.joinCondition(step)}`;
  }

  private pathTo(tree: ReturnType<typeof shortestPaths>, table: TableKey): JoinStep[] {
    const path = pathTo(tree, this.root, table);
    if (path) return path;
    throw new NotUnderstood(
      `I can't tell how ${this.table(table).name} and ${this.table(this.root).name} are connected in this database, so I can't combine them; try asking about each on its own.`,
      [],
      `no join path ${this.root} → ${table}`,
    );
  }

  /** How many related rows each row has, compared: a correlated count over the path, which is
   *  0 for a row with none. The path must start downwards: a row has one parent, not a count. */
  private relatedCountCondition(c: RelatedCount): string {
    const counted = this.relatedCount(c.table);
    if (c.op === 'between' && Array.isArray(c.value))
      return `${counted} BETWEEN ${this.w.param(c.value[0])} AND ${this.w.param(c.value[1])}`;
    return `${counted} ${c.op} ${this.w.param(Array.isArray(c.value) ? c.value[0] : c.value)}`;
  }

  /** How many rows of `table` a row of the root has: a correlated count over the path. */
  private relatedCount(table: TableKey): string {
    const [first, ...rest] = this.pathTo(shortestPaths(this.schema, this.root), table);
    if (first?.direction !== 'down')
      throw new NotUnderstood(
        `Each ${this.table(this.root).name} row has at most one ${this.table(table).name}, so there is nothing to count.`,
      );
    const body = [`SELECT count(*) FROM ${this.from(first.to)}`, ...rest.map((s) => this.joinClause(s))].join(
      ' ',
    );
    return `(${body} WHERE ${this.joinCondition(first)})`;
  }

  /** Rows none of whose related rows match: a correlated NOT EXISTS over the whole path. */
  private noneCondition(f: Filter, path: JoinStep[]): string {
    const matches = this.filter({ ref: f.ref, op: f.op, value: f.value });
    const [first, ...rest] = path;
    if (!first) return `NOT (${matches})`;
    const body = [`SELECT 1 FROM ${this.from(first.to)}`, ...rest.map((s) => this.joinClause(s))].join(' ');
    return `NOT EXISTS (${body} WHERE ${this.joinCondition(first)} AND ${matches})`;
  }

  private filter(f: Filter): string {
    const c = this.col(f.ref);
    const p = (v: Scalar) => this.w.param(v);
    const values = Array.isArray(f.value) ? f.value : f.value === undefined ? [] : [f.value];
    switch (f.op) {
      case 'is_null':
        return `${c} IS NULL`;
      case 'not_null':
        return `${c} IS NOT NULL`;
      case 'in':
        return `${c} IN (${values.map(p).join(', ')})`;
      case 'not_in':
        return `${c} NOT IN (${values.map(p).join(', ')})`;
      case 'between':
        return `${c} BETWEEN ${p(values[0]!)} AND ${p(values[1]!)}`;
      case 'like':
        return `${c} ILIKE ${p(`%${String(values[0])}%`)}`;
      default:
        return `${c} ${f.op} ${p(values[0]!)}`;
    }
  }

  private measureInput(expr: MeasureExpr): string {
    switch (expr.kind) {
      case 'column':
        return this.col(expr.ref);
      case 'product':
        return expr.refs.map((r) => this.col(r)).join(' * ');
      case 'rows':
        return '*';
      case 'related':
        return this.relatedCount(expr.rows);
    }
  }

  private rootKey(): string[] {
    return identifyingKey(this.table(this.root)).map((c) => this.col({ table: this.root, column: c }));
  }

  private aggregate(m: Measure, input: string, fanOut: boolean): string {
    switch (m.agg) {
      case 'count':
        if (input === '*') {
          if (!fanOut) return 'COUNT(*)';
          const key = this.rootKey();
          if (key.length === 1) return `COUNT(DISTINCT ${key[0]})`;
          return `COUNT(DISTINCT ${this.alias(this.root)})`;
        }
        return `COUNT(${input})`;
      case 'count_distinct':
        return input === '*' ? `COUNT(DISTINCT ${this.alias(this.root)})` : `COUNT(DISTINCT ${input})`;
      case 'median':
        return `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${input})`;
      default:
        return `${m.agg.toUpperCase()}(${input})`;
    }
  }

  /** The aggregate limited to the measure's own rows, when it has a condition. */
  private measureSql(m: Measure, input: string, fanOut: boolean): string {
    const aggregate = this.aggregate(m, input, fanOut);
    if (!m.where?.length) return aggregate;
    return `${aggregate} FILTER (WHERE ${m.where.map((f) => this.filter(f)).join(' AND ')})`;
  }

  /** "ratio": the numerator over the denominator, as a fraction; no rows below gives null. */
  private ratioColumn(exprOf: (m: Measure) => string): string[] {
    const r = this.plan.ratio;
    if (!r) return [];
    const num = this.plan.measures.find((m) => m.as === r.numerator);
    const den = this.plan.measures.find((m) => m.as === r.denominator);
    if (!num || !den) throw new Error(`ratio of unknown measures ${r.numerator}, ${r.denominator}`);
    return [`CAST(${exprOf(num)} AS double precision) / NULLIF(${exprOf(den)}, 0) AS ${quoteIdent(r.as)}`];
  }

  private withDerived(m: Measure, aggregate: string): string[] {
    const cols = [`${aggregate} AS ${quoteIdent(m.as)}`];
    if (m.derive === 'share') {
      cols.push(
        `round(100.0 * ${aggregate} / NULLIF(SUM(${aggregate}) OVER (), 0), 1) AS ${quoteIdent(`${m.as}_share_pct`)}`,
      );
    }
    return cols;
  }

  private dimensionExpr(d: Dimension): string {
    const c = this.col(d.ref);
    if (d.grain) return `date_trunc('${d.grain}', ${c})`;
    return d.entity ? (this.personName(d.ref) ?? c) : c;
  }

  /** A listed column; a person's first (or last) name alone is their whole name. */
  private selectColumn(ref: ColumnRef): string {
    const select = this.plan.select ?? [];
    const name = this.personName(ref);
    const bothListed = select.some(
      (o) => o !== ref && o.table === ref.table && personNameColumns(this.table(o.table), o.column),
    );
    if (!name || bothListed) return this.col(ref);
    const alias = select.some((o) => o.column === 'name') ? ref.column : 'name';
    return `${name} AS ${quoteIdent(alias)}`;
  }

  /** A person labelled by one of their name columns is shown by both: "Ada Lovelace". */
  private personName(ref: ColumnRef): string | null {
    const parts = personNameColumns(this.table(ref.table), ref.column);
    if (!parts) return null;
    return `concat_ws(' ', ${parts.map((column) => this.col({ table: ref.table, column })).join(', ')})`;
  }

  private selectStatement(from: string, where: string[], fanOut: boolean): string {
    const p = this.plan;
    const dims = p.dimensions.map((d) => ({ d, expr: this.dimensionExpr(d) }));
    // Entity dimensions group by the entity's key as well, so equal labels stay apart. Rows
    // that each belong to one measured row (a business's neighbourhood) are grouped by what
    // they say: by their own key every group would hold one row.
    // (A table referring to itself, employees to their manager, owns nothing of itself.)
    const ownedByRoot = (t: TableKey) =>
      t !== this.root && this.schema.foreignKeys.some((fk) => fk.fromTable === t && fk.toTable === this.root);
    const entityKeys = p.dimensions
      .filter((d) => d.entity && !ownedByRoot(d.ref.table))
      .flatMap((d) =>
        identifyingKey(this.table(d.ref.table)).map((k) => this.col({ table: d.ref.table, column: k })),
      );
    const whereSql = where.length ? `\nWHERE ${where.join('\n  AND ')}` : '';
    const needsDistinctBase = fanOut && p.measures.some((m) => ['sum', 'avg', 'median'].includes(m.agg));

    let select: string[];
    let body: string;
    let groupBy: string[];
    const havingOf = (h: Having, exprOf: (m: Measure) => string) => {
      const m = p.measures.find((x) => x.as === h.measure);
      if (!m) return null;
      const e = exprOf(m);
      if (h.op === 'between' && Array.isArray(h.value))
        return `${e} BETWEEN ${this.w.param(h.value[0])} AND ${this.w.param(h.value[1])}`;
      return `${e} ${h.op} ${this.w.param(Array.isArray(h.value) ? h.value[0] : h.value)}`;
    };
    let having: string[];

    if (needsDistinctBase && p.measures.some((m) => m.where?.length)) {
      throw new NotUnderstood(
        "I can't compare those two amounts safely across the rows they are spread over; ask for each on its own.",
      );
    }
    if (needsDistinctBase) {
      // Each root row once per group: a line that belongs to two categories counts in both, but
      // never twice in one (see docs/architecture.md#the-compiler: measures never fan out
      // across one-to-many joins).
      const key = this.rootKey();
      if (!key.length) {
        throw new NotUnderstood(
          `I can't add that up safely: ${this.table(this.root).name} has no key to tell its rows apart.`,
        );
      }
      const inner = [
        ...key.map((k, i) => `${k} AS __k${i}`),
        ...dims.map(({ d, expr }) => `${expr} AS ${quoteIdent(d.as)}`),
        ...p.measures.flatMap((m, i) =>
          m.expr.kind === 'rows' ? [] : [`${this.measureInput(m.expr)} AS __m${i}`],
        ),
      ];
      body = `WITH base AS (\n  SELECT DISTINCT ${inner.join(', ')}\n  FROM ${from}${whereSql.replace(/\n/g, '\n  ')}\n)\n`;
      const outerInput = (m: Measure) => {
        const i = p.measures.indexOf(m);
        return m.expr.kind === 'rows' ? '*' : `__m${i}`;
      };
      select = [
        ...dims.map(({ d }) => quoteIdent(d.as)),
        ...p.measures.flatMap((m) => this.withDerived(m, this.aggregate(m, outerInput(m), false))),
        ...this.ratioColumn((m) => this.aggregate(m, outerInput(m), false)),
      ];
      groupBy = dims.map(({ d }) => quoteIdent(d.as));
      having = (p.having ?? [])
        .map((h) => havingOf(h, (m) => this.aggregate(m, outerInput(m), false)))
        .filter(Boolean) as string[];
      body += `SELECT ${select.join(', ')}\nFROM base`;
    } else {
      select = [
        ...dims.map(({ d, expr }) => `${expr} AS ${quoteIdent(d.as)}`),
        ...(p.select ?? []).map((r) => this.selectColumn(r)),
        ...p.measures.flatMap((m) =>
          this.withDerived(m, this.measureSql(m, this.measureInput(m.expr), fanOut)),
        ),
        ...this.ratioColumn((m) => this.measureSql(m, this.measureInput(m.expr), fanOut)),
      ];
      groupBy = p.measures.length ? [...dims.map(({ expr }) => expr), ...entityKeys] : [];
      having = (p.having ?? [])
        .map((h) => havingOf(h, (m) => this.measureSql(m, this.measureInput(m.expr), fanOut)))
        .filter(Boolean) as string[];
      body = `SELECT ${select.join(', ')}\nFROM ${from}${whereSql}`;
    }

    if (groupBy.length) body += `\nGROUP BY ${[...new Set(groupBy)].join(', ')}`;
    if (having.length) body += `\nHAVING ${having.join(' AND ')}`;
    const order = this.orderBy();
    if (order) body += `\nORDER BY ${order}`;
    const limit = this.limit();
    if (limit !== undefined) body += `\nLIMIT ${limit}`;
    return body;
  }

  private orderBy(): string | null {
    const p = this.plan;
    const known = new Map<string, string>();
    for (const d of p.dimensions) known.set(d.as, quoteIdent(d.as));
    for (const m of p.measures) known.set(m.as, quoteIdent(m.as));
    if (p.ratio) known.set(p.ratio.as, quoteIdent(p.ratio.as));
    for (const s of p.select ?? []) known.set(s.column, this.col(s));
    const items = (p.orderBy ?? [])
      .filter((o) => known.has(o.by))
      .map((o) => `${known.get(o.by)} ${o.dir.toUpperCase()} NULLS LAST`);
    if (items.length) return items.join(', ');
    const timeDim = p.dimensions.find((d) => d.grain);
    if (timeDim) return `${quoteIdent(timeDim.as)} ASC NULLS LAST`;
    if (p.dimensions.length && p.measures[0]) return `${quoteIdent(p.measures[0].as)} DESC NULLS LAST`;
    return null;
  }

  private limit(): number | undefined {
    return rowLimit(this.plan, this.options);
  }
}

/** The LIMIT a plan compiles to: its own, else the default for answers of many rows, capped. */
export function rowLimit(plan: QueryPlan, options: CompileOptions): number | undefined {
  const manyRows = plan.dimensions.length > 0 || (plan.select?.length ?? 0) > 0;
  const wanted = plan.limit ?? (manyRows ? options.defaultLimit : undefined);
  if (wanted === undefined) return manyRows && options.maxRows ? options.maxRows : undefined;
  return options.maxRows ? Math.min(wanted, options.maxRows) : wanted;
}
