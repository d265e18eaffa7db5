// Conversions of values as the two drivers return them (pg and PGlite agree on these).

/** A timestamptz column (a Date from either driver) as ISO text, so rows survive JSON. */
export function isoOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** A bigint identity column: pg returns int8 as text; ids stay far below 2^53. */
export function idOf(value: unknown): number {
  return Number(value);
}

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** The named columns of a row under their camelCase names (`plan_key` → `planKey`): the fields a
 *  row hands its noun as they are. Ids and timestamps are converted by the caller. */
export function camelFields<R, K extends keyof R & string>(
  row: R,
  columns: readonly K[],
): { [P in K as CamelCase<P>]: R[P] } {
  const fields: Record<string, unknown> = {};
  for (const c of columns)
    fields[c.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())] = row[c];
  return fields as { [P in K as CamelCase<P>]: R[P] };
}
