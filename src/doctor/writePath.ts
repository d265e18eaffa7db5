// One way the target's role could change something, as `quarry doctor` reports it: what was
// found and the statement that closes it. `fail` is a path to a write; `warn` is one PostgreSQL
// grants every role by default (temporary tables, new large objects) and Quarry's own
// read-only execution and guard already refuse.

export interface WritePath {
  severity: 'fail' | 'warn';
  title: string;
  /** The statement(s) to run, then, after " — ", anything else to know or another way. */
  fix: string;
}

export const some = (names: string[], n = 5) =>
  names.slice(0, n).join(', ') + (names.length > n ? `, … (${names.length} in all)` : '');
