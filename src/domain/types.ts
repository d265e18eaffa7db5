// The domain's nouns, on the ground floor: the data contracts between pipeline stages
// (docs/architecture.md#one-question-stage-by-stage, #the-queryplan), which memory, access and
// the surfaces speak too. Plain data only: no clients, no Slack types, so every stage can be
// tested on its own and plans can be stored as JSON.

import type { Reading } from '../errors.ts';

export type { Reading };

/** A table is named by its qualified key, e.g. `public.orders`. */
export type TableKey = string;

export interface ColumnRef {
  table: TableKey;
  column: string;
}

export type ValueKind = 'number' | 'text' | 'timestamp' | 'date' | 'boolean' | 'json' | 'other';

export interface ColumnInfo {
  name: string;
  /** `format_type` output, e.g. `numeric(12,2)`, `timestamp with time zone`. */
  type: string;
  kind: ValueKind;
  nullable: boolean;
  comment?: string;
  isPrimaryKey: boolean;
  /** Labels of an enum type, in declaration order. */
  enumValues?: string[];
  /** A few distinct values of a low-cardinality text column (most common first). */
  sampleValues?: string[];
  /** pg_stats n_distinct turned into an absolute estimate, when known. */
  distinctEstimate?: number;
}

export interface IndexInfo {
  name: string;
  columns: string[];
  unique: boolean;
}

export interface TableInfo {
  key: TableKey;
  schema: string;
  name: string;
  kind: 'table' | 'view' | 'materialized_view' | 'foreign_table' | 'partitioned_table';
  comment?: string;
  rowEstimate: number;
  columns: ColumnInfo[];
  primaryKey: string[];
  indexes: IndexInfo[];
  /** The column the data team says names this table's rows (the knowledge file's `labels`). */
  label?: string;
}

export interface ForeignKey {
  fromTable: TableKey;
  fromColumns: string[];
  toTable: TableKey;
  toColumns: string[];
  /** true when found by naming convention (`customer_id` → `customers.id`), not a constraint. */
  inferred: boolean;
}

export interface SchemaInfo {
  /** Name of the database the schema was read from. */
  database: string;
  /** Hash of the structure (tables, columns, types, keys); not of data or samples. */
  fingerprint: string;
  tables: TableInfo[];
  foreignKeys: ForeignKey[];
  searchPath: string[];
  discoveredAt: string;
}

// ---- QueryPlan (docs/architecture.md#the-queryplan) -------------------------------------

export type Aggregate = 'sum' | 'count' | 'count_distinct' | 'avg' | 'min' | 'max' | 'median';

export type MeasureExpr =
  | { kind: 'column'; ref: ColumnRef }
  /** Product of columns of one table, e.g. order_items.price * order_items.quantity. */
  | { kind: 'product'; refs: ColumnRef[] }
  /** COUNT(*) of a table's rows. */
  | { kind: 'rows'; table: TableKey }
  /** How many rows of `rows` each row of `table` has (0 for none): "orders per customer",
   *  averaged or otherwise aggregated over the rows of `table`. */
  | { kind: 'related'; table: TableKey; rows: TableKey };

export interface Measure {
  agg: Aggregate;
  expr: MeasureExpr;
  as: string;
  /** Derived presentation of the aggregate: share of the total, or growth vs the previous period. */
  derive?: 'share' | 'growth';
  /** The measure answers a general word ("sales", "units"): follow-ups may move it to the
   *  table that fits a new grouping without fan-out. */
  concept?: 'money' | 'quantity';
  /** Only rows meeting these take part: `COUNT(*) FILTER (WHERE …)`, for one side of a ratio
   *  ("open businesses" against "closed businesses"). */
  where?: Filter[];
}

/** One measure divided by another, both of the plan's measures (by their `as`). */
export interface Ratio {
  numerator: string;
  denominator: string;
  as: string;
}

export type TimeGrain = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/** A place in the calendar that rows of every year share: "by day of the week". */
export type DatePart = 'weekday' | 'hour' | 'month';

export interface Dimension {
  ref: ColumnRef;
  grain?: TimeGrain;
  /** The calendar place of a time column, or a column that holds its names already
   *  (`checkin.day` of 'Monday'…): grouped by it, in calendar order. */
  part?: DatePart;
  as: string;
  /** The column labels an entity ("by product" → products.name): group by the table's key too,
   *  so two products that share a name stay apart. */
  entity?: boolean;
}

export type FilterOp =
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | 'not_in'
  | 'between'
  | 'like'
  | 'is_null'
  | 'not_null';

export type Scalar = string | number | boolean;

export interface Filter {
  ref: ColumnRef;
  op: FilterOp;
  /** One value, a list for in/not_in, a pair for between; absent for is_null/not_null. */
  value?: Scalar | Scalar[];
  /** No related row matches: "accounts without a past-due subscription" keeps the accounts
   *  none of whose subscriptions is past due (NOT EXISTS), not those with one that is not. */
  none?: boolean;
}

export type RelativeUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';

export type TimeRange =
  /** The current period so far (`this month`): [start of unit, now). */
  | { column: ColumnRef; kind: 'current'; unit: RelativeUnit }
  /** Whole previous periods (`last month`, `last 3 months`): [start - (n+offset) units, start - offset units),
   *  where start is the beginning of the current unit; `offset` shifts back ("the week before"). */
  | { column: ColumnRef; kind: 'previous'; unit: RelativeUnit; n: number; offset?: number }
  /** A rolling window (`in the past 90 days`): [now - (n+offset) units, now - offset units). */
  | { column: ColumnRef; kind: 'rolling'; unit: RelativeUnit; n: number; offset?: number }
  /** Absolute dates, half-open [from, to); either side may be open. ISO dates or timestamps. */
  | { column: ColumnRef; kind: 'absolute'; from?: string; to?: string };

export interface OrderBy {
  /** The `as` of a measure or dimension, or a raw column for plain listings. */
  by: string;
  dir: 'asc' | 'desc';
}

/** A condition on an aggregated measure ("customers with more than 5 orders"). */
export interface Having {
  /** The `as` of a measure. */
  measure: string;
  op: '=' | '<>' | '<' | '<=' | '>' | '>=' | 'between';
  value: number | [number, number];
}

/** A condition on how many related rows each row has ("customers with fewer than 3 orders"):
 *  counted per row of the base table, so rows with none count as 0. */
export interface RelatedCount {
  /** The related table whose rows are counted; reached from the base table by its keys. */
  table: TableKey;
  op: Having['op'];
  value: number | [number, number];
}

export interface QueryPlan {
  /** The table whose rows are being counted/listed; the anchor of join paths. */
  baseTable: TableKey;
  measures: Measure[];
  dimensions: Dimension[];
  /** Plain columns to list when there are no measures ("most expensive product"). */
  select?: ColumnRef[];
  /** Each combination of the `select` columns once (SELECT DISTINCT): "list all product categories". */
  distinct?: boolean;
  filters: Filter[];
  having?: Having[];
  relatedCounts?: RelatedCount[];
  /** Tables the joins pass through because the question names them on the way ("authors who
   *  wrote publications in a domain"), where a shorter way exists. */
  via?: TableKey[];
  timeRange?: TimeRange;
  orderBy?: OrderBy[];
  limit?: number;
  /** A ratio of two measures, shown next to them. */
  ratio?: Ratio;
  /** A raw-SQL plan (from the LLM). Still guarded before it runs. */
  sql?: string;
}

// ---- Answer ------------------------------------------------------------------------------

export type Cell = string | number | boolean | null;

export interface ResultColumn {
  name: string;
  kind: ValueKind;
  /** Postgres type oid, when known. */
  typeOid?: number;
}

export type AnswerSource = 'memory' | 'followup' | 'rules' | 'llm' | 'verified';

export interface AnswerError {
  kind: string;
  message: string;
  /** For a question asked back: the readings offered, to pick by number or button. */
  readings?: Reading[];
}

export interface Answer {
  question: string;
  /** The SQL that ran (literals inlined for reading), or null when nothing ran. */
  sql: string | null;
  columns: ResultColumn[];
  rows: Cell[][];
  /** Rows returned; when `truncated`, more existed than the row cap allowed. */
  rowCount: number;
  truncated: boolean;
  /** Why rows were left out: the row cap, or the result's size in bytes. */
  truncatedBy?: 'rows' | 'size';
  /** Rows the query gives without its limit, counted when the list may have been cut; null when
   *  that count could not be made. Absent when nothing was cut. */
  totalRows?: number | null;
  source: AnswerSource | null;
  plan: QueryPlan | null;
  /** One plain line for people: "Total sales last month: 123,456.78". */
  summary: string;
  /** What the planner assumed ("sales = sum of orders.total, all statuses"). */
  assumptions: string[];
  /** Milliseconds per stage: schema, recall, plan, guard, execute, present, learn. */
  timings: Record<string, number>;
  error: AnswerError | null;
  /** Things the asker should know that are not assumptions ("answered without this thread's
   *  earlier context: short-term memory is unavailable"). */
  notes: string[];
  /** A chart kind asked for in words ("as a line chart"); presentation honours it when it fits. */
  chartRequest?: string;
  /** The asker's learned favourite chart kinds, most asked first; used when they fit. */
  preferredCharts?: string[];
  /** The answer's id: the key of everything learned from it, and of its buttons in Slack. */
  id?: string;
  /** The session (thread) it belongs to. */
  sessionId?: string;
  /** Model tokens spent on this answer (prompt and reply, repairs included). */
  tokensUsed?: number;
  /** Answered with SQL the data team vouches for: who verified it in Slack and when, or the
   *  knowledge file (no `by`). */
  verified?: { by?: string; at?: string };
  /** A verified answer to this question failed and was set aside; the surface tells `notify`. */
  setAside?: { question: string; reason: string; notify: string[] };
}
