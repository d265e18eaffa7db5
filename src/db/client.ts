// One small interface over the two kinds of PostgreSQL Quarry talks to: a real server through
// `pg` and the embedded PGlite. Stages depend on `Db`, never on a driver.

export interface Field {
  name: string;
  dataTypeID: number;
}

export interface ArrayResult {
  fields: Field[];
  rows: unknown[][];
  /** true when the reader stopped at `maxRows` (or `maxBytes`) and more rows existed. */
  truncated: boolean;
  /** The reader stopped because the rows reached `maxBytes`. */
  cutBySize?: boolean;
}

export interface QueryArraysOptions {
  /** Every value as PostgreSQL's text output (NULL stays null), for callers that convert
   *  values themselves without losing precision. */
  asText?: boolean;
  /** Stop reading once the rows' values reach this many bytes (with `maxRows`). */
  maxBytes?: number;
}

export interface DbSession {
  /** Rows as objects; parameters are `$1…`. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Rows as arrays, reading at most `maxRows` (+1 to detect truncation) when given. */
  queryArrays(
    sql: string,
    params?: unknown[],
    maxRows?: number,
    options?: QueryArraysOptions,
  ): Promise<ArrayResult>;
  /** Several statements, no parameters, no result (migrations, demo load). */
  exec(sql: string): Promise<void>;
  /** Asks the server to stop the statement running on this session. Absent where a statement
   *  cannot be interrupted (the embedded PGlite runs on the caller's thread). */
  cancel?(): Promise<void>;
}

export interface Db extends DbSession {
  readonly kind: 'postgres' | 'pglite';
  /** Database name for messages and cache keys; never carries credentials. */
  readonly label: string;
  /** Runs `fn` on one dedicated connection (needed for transactions and SET LOCAL). */
  session<T>(fn: (s: DbSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
