// Puts a LIMIT on a statement so the server never produces more rows than the cap. The limit
// is the cap + 1: the executor reads that one extra row only to tell the person that more rows
// existed, and never returns more than the cap.

type Obj = Record<string, unknown>;

/** The top-level LIMIT as a number, or undefined when absent, ALL, a parameter or an expression. */
function literalLimit(select: Obj): number | undefined {
  const count = select.limitCount as Obj | undefined;
  const constant = count?.A_Const as Obj | undefined;
  if (!constant || constant.isnull) return undefined;
  const ival = constant.ival as Obj | undefined;
  // The parse tree omits zero values: `LIMIT 0` is `{ ival: {} }`.
  return ival ? Number(ival.ival ?? 0) : undefined;
}

/** `statement` with a LIMIT of at most `maxRows + 1` rows; unchanged when it already has one as small. */
export function capRows(statement: string, select: Obj, maxRows: number): string {
  const fetch = maxRows + 1;
  const withTies = select.limitOption === 'LIMIT_OPTION_WITH_TIES';
  const limit = literalLimit(select);
  if (!withTies && limit !== undefined && limit <= maxRows) return statement;
  if (select.limitCount === undefined && select.limitOffset === undefined && !withTies) {
    // Appending keeps the statement's own ORDER BY in charge of which rows come first. The
    // newline ends a trailing `--` comment.
    return `${statement}\nLIMIT ${fetch}`;
  }
  // A LIMIT that is too large, ALL, a parameter or WITH TIES: cap the outside. PostgreSQL keeps
  // the inner ORDER BY's order through a plain subquery scan.
  return `SELECT * FROM (\n${statement}\n) AS capped LIMIT ${fetch}`;
}
