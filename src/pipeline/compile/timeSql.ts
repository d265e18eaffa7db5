import type { TimeRange } from '../../domain/types.ts';

// Relative time compiles to half-open ranges on the database's clock. The session's TimeZone is
// set to the user's zone at execution, so date_trunc cuts days, weeks (ISO, Monday) and months
// where the user's calendar does.

/** PostgreSQL intervals have no quarter unit: a quarter is written as three months. */
export function intervalLiteral(n: number, unit: string): string {
  const [count, name] = unit === 'quarter' ? [n * 3, 'month'] : [n, unit];
  return `interval '${count} ${name}${count === 1 ? '' : 's'}'`;
}

/** The SQL conditions (ANDed) that restrict `column` to the range; `param` binds absolute dates. */
export function timeConditions(range: TimeRange, column: string, param: (v: string) => string): string[] {
  switch (range.kind) {
    case 'current':
      return [`${column} >= date_trunc('${range.unit}', now())`];
    case 'previous': {
      const start = `date_trunc('${range.unit}', now())`;
      const offset = range.offset ?? 0;
      return [
        `${column} >= ${start} - ${intervalLiteral(range.n + offset, range.unit)}`,
        `${column} < ${offset ? `${start} - ${intervalLiteral(offset, range.unit)}` : start}`,
      ];
    }
    case 'rolling': {
      const offset = range.offset ?? 0;
      const from = `${column} >= now() - ${intervalLiteral(range.n + offset, range.unit)}`;
      return offset ? [from, `${column} < now() - ${intervalLiteral(offset, range.unit)}`] : [from];
    }
    case 'absolute': {
      const out: string[] = [];
      if (range.from) out.push(`${column} >= ${param(range.from)}`);
      if (range.to) out.push(`${column} < ${param(range.to)}`);
      return out;
    }
  }
}
