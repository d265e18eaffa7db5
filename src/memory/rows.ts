// Conversions of values as the two drivers return them (pg and PGlite agree on these).

/** A timestamptz column (a Date from either driver) as ISO text, so rows survive JSON. */
export function isoOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** A bigint identity column: pg returns int8 as text; ids stay far below 2^53. */
export function idOf(value: unknown): number {
  return Number(value);
}
